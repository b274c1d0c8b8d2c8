"""Vectorised feature columns on hand-made delivery facts: counts restart per innings and per match."""

from __future__ import annotations

import numpy as np
import pytest

from lib.data.cricsheet.features import DeliveryFacts, MatchFacts, check_variant, state_columns
from lib.data.schema import BALL_NUM, BALLS_REMAINING, MOMENTUM, PERF_INDEX, RUN_RATE, RUNS, WICKETS, WINNER


def _facts():
    """Two 1-over matches, 3 + 2 and 2 + 2 deliveries.

    Match 0: first innings 1, wide 1, 4 (6 runs, 2 legal); chase target 7: 6, 1 with a wicket (won).
    Match 1: first innings 2, 2 (4 runs); chase 0 with a wicket, 0 (lost); limit 1 ball (floor test).
    """
    deliveries = DeliveryFacts(
        match=np.array([0, 0, 0, 0, 0, 1, 1, 1, 1]),
        innings=np.array([1, 1, 1, 2, 2, 1, 1, 2, 2]),
        total=np.array([1, 1, 4, 6, 1, 2, 2, 0, 0]),
        wickets=np.array([0, 0, 0, 0, 1, 0, 0, 1, 0]),
        legal=np.array([True, False, True, True, True, True, True, True, True]),
    )
    matches = MatchFacts(
        first_balls=np.array([6, 1]),
        chase_balls=np.array([6, 1]),
        target=np.array([0, 0]),
        first_won=np.array([False, True]),
    )
    return deliveries, matches


def test_leakfree_restarts_per_innings_and_match():
    # Setup
    deliveries, matches = _facts()

    # Run
    columns = state_columns(deliveries, matches, "leakfree")

    # Assert
    assert columns[BALL_NUM].tolist() == [1, 2, 3, 4, 5, 1, 2, 3, 4]
    assert columns[RUNS].tolist() == [1, 2, 6, 1, 0, 2, 4, 5, 5]
    assert columns[WICKETS].tolist() == [0, 0, 0, 0, 1, 0, 0, 1, 1]
    # match 1 has a 1-ball limit, so the second ball of each innings floors at 0
    assert columns[BALLS_REMAINING].tolist() == [5, 5, 4, 5, 4, 0, 0, 0, 0]
    assert columns[RUN_RATE] == pytest.approx([1, 1, 2, 1 / 5, 0 / 4, 2, 2, 5 / 1, 5 / 1])
    assert columns[MOMENTUM] == pytest.approx([11 / 5, 11 / 5, 11 / 4, 11 / 5, 10 / 4, 11, 11, 10, 10])
    assert columns[PERF_INDEX] == pytest.approx([11, 11, 22, 66, 35, 22, 22, 0, 0])
    assert columns[WINNER].tolist() == [0, 0, 0, 1, 1, 1, 1, 0, 0]


def test_yorkr_counts_down_deliveries_and_ignores_file_target():
    # Setup: a file target (D/L) the yorkr variant must not use
    deliveries, matches = _facts()
    matches = MatchFacts(matches.first_balls, matches.chase_balls, np.array([3, 3]), matches.first_won)

    # Run
    columns = state_columns(deliveries, matches, "yorkr")
    leakfree = state_columns(deliveries, matches, "leakfree")

    # Assert
    assert columns[BALLS_REMAINING].tolist() == [3, 2, 1, 2, 1, 2, 1, 2, 1]
    assert columns[RUNS].tolist() == [1, 2, 6, 1, 0, 2, 4, 5, 5]
    assert columns[RUN_RATE] == pytest.approx([1, 1, 2, 1 / 2, 0, 2, 2, 5 / 2, 5])
    assert columns[MOMENTUM] == pytest.approx([11 / 3, 11 / 2, 11, 11 / 2, 10, 11 / 2, 11, 10 / 2, 10])
    assert leakfree[RUNS].tolist()[3:5] == [-3, -4] and leakfree[RUNS].tolist()[7:] == [3, 3]


def test_column_types():
    # Setup
    deliveries, matches = _facts()

    # Run
    columns = state_columns(deliveries, matches)

    # Assert
    for name in [BALL_NUM, BALLS_REMAINING, RUNS, WICKETS, WINNER]:
        assert columns[name].dtype == np.int64
    for name in [RUN_RATE, MOMENTUM, PERF_INDEX]:
        assert columns[name].dtype == np.float64


def test_unknown_variant_is_refused():
    # Setup / Run / Assert
    with pytest.raises(ValueError, match="choose one of leakfree, yorkr"):
        check_variant("published")
