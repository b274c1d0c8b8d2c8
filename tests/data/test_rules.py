"""Cricket validity: the share of synthetic rows obeying the rules, given the real players."""

import math

import pandas as pd
import pytest

from lib.data.rules import CricketRules
from lib.data.schema import MODEL_COLUMNS
from lib.quality.validity import CricketValidity


def _rows(rows: list[list]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=MODEL_COLUMNS)


REAL = _rows([
    # batter, bowler, ballNum, ballsRemaining, runs, runRate, wickets, momentum, perfIndex, isWinner
    [1, 7, 1, 119, 0, 0.0, 0, 0.08, 0.0, 1],
    [2, 8, 2, 118, 4, 2.0, 0, 0.08, 20.0, 0],
])


def test_validity_is_the_share_of_rows_obeying_every_rule():
    # Setup: row 0 valid; row 1 has 11 wickets; row 2 an unknown bowler; row 3 ballNum 0; row 4 valid
    synthetic = _rows([
        [1, 7, 5, 115, 10, 2.0, 1, 0.07, 18.0, 1],
        [2, 8, 6, 114, 10, 1.7, 11, 0.0, 0.0, 0],
        [2, 9, 7, 113, 10, 1.4, 2, 0.07, 11.2, 0],
        [1, 8, 0, 120, 0, 0.0, 0, 0.08, 0.0, 1],
        [2, 7, 9, 0, 30, 3.3, 10, 0.0, 0.0, 1],
    ])

    # Run
    score = CricketValidity.compute(REAL, synthetic)
    mask = CricketValidity.row_mask(REAL, synthetic)

    # Assert
    assert score == pytest.approx(2 / 5)
    assert mask.tolist() == [True, False, False, False, True]
    assert (CricketValidity.min_value, CricketValidity.max_value, CricketValidity.goal.value) == (0.0, 1.0, "maximize")


def test_each_rule_reports_its_own_breaches():
    # Setup: negative balls remaining, isWinner 2, an unknown batter
    synthetic = _rows([[3, 7, 5, -1, 10, 2.0, 1, 0.07, 18.0, 2]])

    # Run
    checks = CricketRules.from_frame(REAL).checks(synthetic)

    # Assert
    broken = sorted(rule for rule, obeyed in checks.items() if not obeyed[0])
    assert broken == ["ballsRemaining >= 0", "batsmanIdx is a known batter", "isWinner is 0 or 1"]


def test_an_empty_synthetic_table_scores_nan_with_a_warning():
    with pytest.warns(UserWarning, match="empty"):
        assert math.isnan(CricketValidity.compute(REAL, REAL.iloc[:0]))
