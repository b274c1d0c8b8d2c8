"""Splits of real deliveries: whole matches held out, inferred matches, the labelled leaky row split."""

import numpy as np
import pytest

from lib.data.schema import MATCH_ID
from lib.data.splits import SPLIT_KINDS, STANDARD_SPLIT, SplitSpec, make_split
from lib.data.validation import match_ids
from tests.wp_toy import toy_deliveries


def _matches_of(frame, rows):
    ids, _ = match_ids(frame)
    return set(ids[rows].tolist())


def test_match_split_never_puts_one_match_in_two_sets():
    # Setup: 10 matches of 2 x 12 deliveries.
    frame = toy_deliveries(matches=10)

    # Run
    split = make_split(frame, SplitSpec("match", test_share=0.2, validation_share=0.1, seed=3))

    # Assert: 0.2 x 10 = 2 test matches, round(0.1 x 8) = 1 validation match, 7 training matches, each whole.
    train, validation, test = (_matches_of(frame, rows) for rows in (split.train, split.validation, split.test))
    assert (len(train), len(validation), len(test)) == (7, 1, 2)
    assert not (train & validation or train & test or validation & test)
    assert len(split.test) == 2 * 24 and split.test_matches == 2
    everything = np.sort(np.concatenate([split.train, split.validation, split.test]))
    assert np.array_equal(everything, np.arange(len(frame)))
    assert split.kind == "match" and not split.matches_inferred


def test_match_split_is_seeded():
    # Setup
    frame = toy_deliveries(matches=30)

    # Run
    first, again, other = (make_split(frame, SplitSpec(seed=seed)) for seed in (5, 5, 6))

    # Assert
    assert np.array_equal(first.test, again.test) and np.array_equal(first.validation, again.validation)
    assert not np.array_equal(first.test, other.test)


def test_matches_are_inferred_from_ball_number_when_there_is_no_match_id():
    # Setup: the same deliveries without matchId and innings; ballNum restarts at 1 for every match.
    with_ids = toy_deliveries(matches=10)
    without = toy_deliveries(matches=10, match_ids=False)

    # Run
    split = make_split(without, SplitSpec(seed=3))

    # Assert: the inferred matches are the real ones, so the split is the same and says it inferred them.
    assert split.matches_inferred
    assert np.array_equal(split.test, make_split(with_ids, SplitSpec(seed=3)).test)
    held_out = set(with_ids[MATCH_ID].to_numpy()[split.test].tolist())
    training = set(with_ids[MATCH_ID].to_numpy()[split.train].tolist())
    assert len(held_out) == 2 and not held_out & training


def test_row_split_is_labelled_as_leaking():
    # Setup
    frame = toy_deliveries(matches=10)

    # Run
    split = make_split(frame, SplitSpec("row", test_share=0.25, seed=0))

    # Assert: 60 of 240 rows held out, from matches that also train, and the label says it leaks.
    assert len(split.test) == 60
    assert _matches_of(frame, split.test) & _matches_of(frame, split.train)
    assert split.label == SPLIT_KINDS["row"] and "leaks" in split.label


@pytest.mark.parametrize(
    "options, message",
    [
        ({"kind": "random"}, "split must be one of match, row"),
        ({"test_share": 1.0}, "test_share must be between 0 and 1"),
        ({"validation_share": 0}, "validation_share must be between 0 and 1"),
    ],
)
def test_bad_split_settings_say_what_is_allowed(options, message):
    # Run / Assert: refused when the settings are made, before any data is touched
    with pytest.raises(ValueError, match=message):
        SplitSpec(**options)


def test_too_few_matches_to_split_is_refused():
    # Setup: two matches cannot give one each to training, validation and test.
    frame = toy_deliveries(matches=2)

    # Run / Assert
    with pytest.raises(ValueError, match="has 2 matches; a split needs at least 3"):
        make_split(frame)


def test_standard_split_trains_on_72_percent_and_round_trips_through_json():
    # Setup: 80% of matches are not test, and 90% of those are not validation: 0.8 x 0.9 = 0.72
    spec = STANDARD_SPLIT

    # Run
    again = SplitSpec.from_json(spec.to_json())

    # Assert: the JSON is the dict stored with synthetic sets made before SplitSpec existed
    assert spec.training_share == pytest.approx(0.72)
    assert spec.to_json() == {"kind": "match", "test_share": 0.2, "validation_share": 0.1, "seed": 0}
    assert again == spec
