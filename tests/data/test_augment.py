"""Augmented training sets: real training matches plus drawn synthetic rows, never test or validation rows."""

import numpy as np
import pandas as pd
import pytest

from lib.data.augment import augment_rows, check_synthetic, draw_synthetic
from lib.data.schema import BATTER, INNINGS, MATCH_ID, MODEL_COLUMNS, PERF_INDEX
from lib.data.vocabulary import Vocabulary
from lib.wp.train import build_augmented_set
from tests.wp_toy import toy_deliveries, toy_synthetic


def test_augmented_set_holds_training_matches_and_ratio_times_synthetic_rows():
    # Setup: 10 matches x 24 rows; the split keeps 7 matches (168 rows) for training. Synthetic rows are marked.
    real = toy_deliveries(matches=10)
    synthetic = toy_synthetic(real, rows=500)
    synthetic[PERF_INDEX] = 439.5  # in range, and far above any toy delivery's

    # Run
    augmented = build_augmented_set(real, synthetic, 0.5, seed=1)

    # Assert: 168 real rows (the training matches exactly), then 0.5 x 168 = 84 synthetic rows.
    assert (augmented.real_rows, augmented.synthetic_rows) == (168, 84)
    frame = augmented.frame
    assert list(frame.columns) == MODEL_COLUMNS
    assert frame[PERF_INDEX].iloc[:168].lt(439.5).all() and frame[PERF_INDEX].iloc[168:].eq(439.5).all()
    expected = real.iloc[augmented.split.train][MODEL_COLUMNS].reset_index(drop=True)
    assert frame.iloc[:168].equals(expected)
    assert "84 of 500 synthetic rows drawn without replacement" in augmented.note


def test_small_synthetic_set_is_drawn_with_replacement_and_says_so():
    # Setup
    synthetic = toy_synthetic(toy_deliveries(matches=2), rows=10)

    # Run
    draw = draw_synthetic(synthetic, 25, seed=0)

    # Assert
    assert len(draw.rows) == 25 and draw.with_replacement
    assert "with replacement" in draw.note


def test_synthetic_only_training_uses_as_many_rows_as_the_real_training_set():
    # Setup
    real_train = toy_deliveries(matches=4)
    synthetic = toy_synthetic(real_train, rows=300)

    # Run
    rows, draw = augment_rows(real_train, synthetic, 1.0, seed=0, keep_real=False)

    # Assert: 4 x 24 = 96 rows, all drawn from the synthetic set.
    assert len(rows) == 96 and not draw.with_replacement


@pytest.mark.parametrize("ratio", [-0.5, float("nan"), "lots"])
def test_bad_ratio_is_refused(ratio):
    # Setup
    real_train = toy_deliveries(matches=4)

    # Run / Assert
    with pytest.raises(ValueError, match="number >= 0"):
        augment_rows(real_train, toy_synthetic(real_train, rows=50), ratio, seed=0)


def test_synthetic_player_beyond_the_real_players_is_flagged():
    # Setup: one synthetic row names a batter one past the largest real batter index.
    real = toy_deliveries(matches=10)
    synthetic = toy_synthetic(real, rows=50)
    largest = int(real[BATTER].max())
    synthetic.loc[7, BATTER] = largest + 1

    # Run / Assert
    message = rf"batsmanIdx: 1 row\(s\) \(first: row 8\) have player indices above {largest}, the largest in the real"
    with pytest.raises(ValueError, match=message):
        check_synthetic(real, synthetic)


def test_synthetic_players_are_checked_against_a_given_vocabulary():
    # Setup: a vocabulary of 30 batters admits batter 27 although the real rows stop at 24 or below.
    real = toy_deliveries(matches=10)
    synthetic = toy_synthetic(real, rows=50)
    synthetic.loc[0, BATTER] = 27
    vocabulary = Vocabulary([f"b{i}" for i in range(30)], [f"w{i}" for i in range(18)])

    # Run
    rows = check_synthetic(real, synthetic, vocabulary=vocabulary)

    # Assert
    assert rows[BATTER].iat[0] == 27


def test_synthetic_set_missing_a_column_names_it():
    # Setup
    real = toy_deliveries(matches=10)
    synthetic = toy_synthetic(real, rows=50).drop(columns=[PERF_INDEX])

    # Run / Assert
    with pytest.raises(ValueError, match="the synthetic set is missing column\\(s\\) perfIndex"):
        check_synthetic(real, synthetic)


def test_synthetic_rows_with_match_ids_are_kept_as_whole_matches():
    # Setup: a synthetic set written with matchId (the matches engine writes them) keeps its ids, to be drawn whole.
    real = toy_deliveries(matches=10)
    synthetic = real.iloc[:72]

    # Run
    rows = check_synthetic(real, synthetic)

    # Assert
    assert list(rows.columns) == [MATCH_ID, INNINGS, *MODEL_COLUMNS] and len(rows) == 72
    assert np.array_equal(rows[BATTER].to_numpy(), synthetic[BATTER].to_numpy())


def test_a_ratio_of_whole_matches_adds_that_many_matches_per_real_training_match():
    # Setup: 10 real training matches; a synthetic set of 30 whole matches with the same players (other ids).
    real = toy_deliveries(matches=30)
    real_train = real[real[MATCH_ID].isin(real[MATCH_ID].unique()[:10])]
    synthetic = real.assign(**{MATCH_ID: real[MATCH_ID] + 5000})
    sizes = synthetic.groupby(MATCH_ID).size()

    # Run: 2 synthetic matches per real training match
    rows, draw = augment_rows(real_train, check_synthetic(real, synthetic), 2.0, seed=1)

    # Assert: 20 whole matches without replacement, each with all its rows, real rows first
    synthetic_rows = rows.iloc[len(real_train):]
    assert not draw.with_replacement and draw.note.startswith("20 synthetic matches (")
    drawn = [sizes[m] for m in _drawn_matches(synthetic, synthetic_rows)]
    assert len(drawn) == 20 and sum(drawn) == len(synthetic_rows)
    assert f"({len(synthetic_rows):,} rows)" in draw.note


def test_more_matches_than_the_set_holds_are_drawn_with_replacement():
    real_train = toy_deliveries(matches=10)
    synthetic = toy_deliveries(matches=4)
    _rows, draw = augment_rows(real_train, check_synthetic(real_train, synthetic), 1.0, seed=0)
    assert draw.with_replacement and "each match used about 2.5 times" in draw.note


def _drawn_matches(synthetic: pd.DataFrame, drawn: pd.DataFrame) -> list:
    """The match of each block of drawn rows, found by matching the rows back to the set (rows of a match differ)."""
    keys = synthetic[MODEL_COLUMNS].astype(str).agg("|".join, axis=1)
    lookup = dict(zip(keys, synthetic[MATCH_ID]))
    ids = drawn[MODEL_COLUMNS].astype(str).agg("|".join, axis=1).map(lookup).to_numpy()
    starts = np.r_[True, ids[1:] != ids[:-1]]
    return list(ids[starts])
