"""The verdict on Compare: paired bootstrap over whole test matches and seeds, and its sentence per arm."""

import numpy as np

from lib.wp.verdict import (
    HELPS,
    HURTS,
    MIXED,
    NO_EFFECT,
    NO_VERDICT,
    ComparisonPredictions,
    bootstrap_scores,
    verdict_of,
    verdicts,
)


def _toy_predictions(seeds: int, matches: int = 40, rows_per_match: int = 10) -> ComparisonPredictions:
    """`real` guesses at random; `sharp` knows the winner (0.9 / 0.1), `blunt` inverts it, `twin` copies real."""
    rng = np.random.default_rng(0)
    match_ids = np.repeat(np.arange(matches), rows_per_match)
    y_true = np.repeat(np.arange(matches) % 2, rows_per_match)
    real = [rng.uniform(0.3, 0.7, len(y_true)) for _ in range(seeds)]
    sharp = [np.where(y_true == 1, 0.9, 0.1) + rng.normal(0, 0.01, len(y_true)) for _ in range(seeds)]
    blunt = [1 - p for p in sharp]
    return ComparisonPredictions(y_true, match_ids, {"real": real, "sharp": sharp, "blunt": blunt,
                                                     "twin": [p.copy() for p in real]})


def _full(data: ComparisonPredictions) -> dict:
    from lib.wp.metrics import score_predictions

    return {arm: {m: [score_predictions(data.y_true, p)[m] for p in seeds] for m in ("auc", "brier")}
            for arm, seeds in data.predictions.items()}


def test_three_seeds_give_helps_hurts_and_no_effect_in_words():
    # Setup
    data = _toy_predictions(seeds=3)

    # Run
    scores, verdict = verdicts(data, _full(data), resamples=60)

    # Assert: an arm that knows the winner helps, its inverse hurts, a copy of real-only has no effect (its paired
    # difference is exactly 0 on every resample).
    assert verdict["sharp"]["effect"] == HELPS and verdict["blunt"]["effect"] == HURTS
    assert verdict["twin"]["effect"] == NO_EFFECT and verdict["twin"]["auc"]["ci"] == [0.0, 0.0]
    assert verdict["sharp"]["auc"]["ci"][0] > 0 and verdict["sharp"]["brier"]["ci"][1] < 0
    assert verdict["sharp"]["sentence"].startswith("sharp helps") and "95% interval" in verdict["sharp"]["sentence"]
    assert "no detectable effect" in verdict["twin"]["sentence"] and verdict["sharp"]["seeds"] == 3
    assert "real" not in verdict
    # Absolute scores: the mean is over seeds on all test rows; the interval holds it for a stable arm.
    low, high = scores["sharp"]["auc"]["ci"]
    assert low <= scores["sharp"]["auc"]["mean"] <= high <= 1.0


def test_one_seed_gives_no_verdict_and_says_how_many_seeds_are_needed():
    # Setup
    data = _toy_predictions(seeds=1)

    # Run
    _, verdict = verdicts(data, _full(data), resamples=100)

    # Assert: even a clear difference gets no verdict from one seed; 3 are needed, so 2 more.
    assert verdict["sharp"]["effect"] == NO_VERDICT
    assert "no verdict with 1 seed" in verdict["sharp"]["sentence"]
    assert "at least 3 seeds (needs 2 more)" in verdict["sharp"]["sentence"]


def test_bootstrap_resamples_whole_matches_paired_across_arms():
    # Setup: 4 matches of 3 rows; real-only predicts 0.5 everywhere, so its Brier score is 0.25 on any resample.
    data = ComparisonPredictions(np.array([1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0]), np.repeat([7, 8, 9, 10], 3),
                                 {"real": [np.full(12, 0.5)], "other": [np.full(12, 0.5)]})

    # Run
    samples = bootstrap_scores(data, resamples=50, seed=1)

    # Assert: every resample that holds both classes scores 0.25 for both arms; NaN AUC only for one-class draws.
    brier = samples["real:brier"][np.isfinite(samples["real:brier"])]
    assert np.allclose(brier, 0.25) and np.array_equal(np.isnan(samples["real:auc"]), np.isnan(samples["other:auc"]))



def test_one_metric_is_enough_when_the_other_holds_zero_and_the_sentence_says_so():
    # Setup: the case seen on the sample: Brier's interval wholly above 0 (worse), ROC AUC's holding 0
    one = {"auc": {"mean": -0.0045, "ci": [-0.0091, 0.0001]}, "brier": {"mean": 0.0012, "ci": [0.0004, 0.0019]}}
    both = {"auc": {"mean": -0.006, "ci": [-0.009, -0.002]}, "brier": {"mean": 0.0012, "ci": [0.0004, 0.0019]}}
    split = {"auc": {"mean": 0.006, "ci": [0.002, 0.009]}, "brier": {"mean": 0.0012, "ci": [0.0004, 0.0019]}}
    # Run
    verdict_one, verdict_both, verdict_split = (verdict_of("augmented@0.5", d, seeds=5) for d in (one, both, split))
    # Assert
    assert verdict_one["effect"] == HURTS
    assert "this rests on Brier alone, as ROC AUC's interval holds 0" in verdict_one["sentence"]
    assert verdict_both["effect"] == HURTS and "both scores say so" in verdict_both["sentence"]
    assert verdict_split["effect"] == MIXED and "rests on" not in verdict_split["sentence"]


def test_a_stored_verdict_is_read_again_in_todays_words():
    # Setup: a report stored before the sentence named the metric a verdict rests on (NaN written as null)
    from lib.wp.report import verdict_lines

    stored = {"verdict": {"augmented@0.5": {
        "auc": {"mean": -0.0045, "ci": [-0.0091, 0.0001]}, "brier": {"mean": 0.0012, "ci": [0.0004, 0.0019]},
        "seeds": 5, "effect": "hurts", "sentence": "augmented@0.5 hurts: it is worse than real-only (...)."},
        "synthetic": {"auc": {"mean": None, "ci": [None, None]}, "brier": {"mean": 0.001, "ci": [-0.002, 0.004]},
                      "seeds": 5, "effect": "no detectable effect", "sentence": "old words"}}}
    # Run
    lines = verdict_lines(stored)
    # Assert
    assert lines[0][0] == HURTS and "this rests on Brier alone" in lines[0][1]
    assert lines[1][0] == NO_EFFECT and "ROC AUC not defined" in lines[1][1]
