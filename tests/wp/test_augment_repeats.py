"""Augmentation says what it does: how often each synthetic row is used, and when that is too often."""

from lib.data.augment import MAX_REPEATS, draw_synthetic, repeats
from tests.wp_toy import toy_deliveries, toy_synthetic


def test_the_reported_case_is_57_uses_per_row_and_warned():
    # Setup: the case, 3,000 synthetic rows against 170,865 real training rows at ratio 1.
    # Run
    plan = repeats(170_865, 3_000, 1.0)
    # Assert: 170,865 / 3,000 = 56.955 uses per row, 167,865 rows short.
    assert round(plan.per_row, 3) == 56.955 and plan.too_many and plan.missing == 167_865
    assert "each used about 57.0 times" in plan.sentence()


def test_a_set_large_enough_uses_each_row_once_at_most():
    # 0.5 x 1,000 = 500 rows wanted from 600: no repeats, no warning.
    plan = repeats(1_000, 600, 0.5)
    assert plan.per_row <= 1 and not plan.too_many and plan.missing == 0
    assert plan.sentence() == "500 of 600 synthetic rows, each used once at most"
    assert not repeats(1_000, 400, 1.0).too_many and MAX_REPEATS == 3.0  # 2.5 uses per row is tolerated


def test_the_draw_note_says_how_often_rows_repeat():
    # Setup: 100 synthetic rows, 450 wanted -> 4.5 uses per row
    synthetic = toy_synthetic(toy_deliveries(matches=4), rows=100)
    # Run
    draw = draw_synthetic(synthetic, 450, seed=0)
    # Assert
    assert draw.with_replacement and "each row used about 4.5 times" in draw.note


def test_a_draw_of_whole_matches_says_matches_and_about_how_many_rows():
    # Setup: 120 real training matches, a set of 1,000 synthetic matches of 238 rows each on average
    # Run: ratio 2.5 -> 300 matches, about 300 x 238 = 71,400 rows; ratio 10 -> 1,200 matches from 1,000
    once = repeats(120, 1_000, 2.5, unit="matches", rows_per_match=238)
    again = repeats(120, 1_000, 10, unit="matches", rows_per_match=238)
    # Assert
    assert once.sentence() == "300 synthetic matches (about 71,400 rows) of 1,000, each used once at most"
    assert again.sentence() == ("1,200 synthetic matches (about 285,600 rows) drawn with replacement from 1,000: "
                                "each used about 1.2 times")
    assert repeats(120, 1_000, 2.5, unit="matches").sentence() == (
        "300 synthetic matches of 1,000, each used once at most")
