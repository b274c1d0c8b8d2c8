"""The verdict of a win-probability comparison: does an arm help, hurt, or make no detectable difference?

Two kinds of noise move a score: the training seed, and which matches happen to be in the test set (on a real
T20I set the reference's ROC AUC moved by about 0.02 between three random choices of test matches, more than any
augmentation effect measured so far). The interval here covers both with one paired, two-level bootstrap:

1. draw whole test matches with replacement (every row of a drawn match, as often as it is drawn), the same draw
   for every arm, so the difference to real-only is paired on the same rows;
2. draw the training seeds with replacement, the same seeds for the arm and for real-only (seed k of one arm
   trained with the same seed as seed k of the other), and average the per-seed scores over them.

The 2.5th and 97.5th percentiles of the resampled mean form the 95% interval. Scores come from scikit-learn
(`roc_auc_score`, `brier_score_loss`) with the drawn match counts as sample weights.

The rule, from the intervals of the paired difference to real-only in ROC AUC and in Brier loss. An interval that
lies wholly on one side of 0 says "better" or "worse" on its metric (ROC AUC up is better, Brier down is better);
one that holds 0 says nothing.

- no verdict: fewer than MIN_VERDICT_SEEDS seeds, whatever the intervals;
- helps: at least one metric says better and neither says worse;
- hurts: at least one metric says worse and neither says better;
- mixed: one says better and the other worse;
- no detectable effect: both intervals hold 0.

An interval that cannot be computed (a test set of one outcome gives no ROC AUC) says nothing either. So one
metric is enough when the other's interval holds 0: a Brier interval wholly above 0 gives "hurts" beside a ROC AUC
interval of -0.0091 to +0.0001. Both metrics are read because they see different faults (ranking,
and probabilities that are too sure or not sure enough); the price is that an arm with no effect gets helps or
hurts by chance up to about 1 time in 10 rather than the 1 in 20 of one interval. The sentence names the metric a
verdict rests on, so a verdict from one metric alone reads as such.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

from lib.wp.arms import REAL
from lib.wp.metrics import CONFIDENCE, METRICS

VERDICT_METRICS = ("auc", "brier")
"""The scores a verdict is read from: ranking (ROC AUC) and probability quality (Brier)."""
MIN_VERDICT_SEEDS = 3
"""Fewer seeds than this cannot tell training noise from an effect, so no verdict is given."""
RESAMPLES = 200
"""Bootstrap resamples: enough for the ends of a 95% interval to move by a small share of its width between
bootstrap seeds, while scoring every resample of a 50,000-row test set stays within a few minutes."""
HELPS, HURTS, NO_EFFECT, MIXED, NO_VERDICT = "helps", "hurts", "no detectable effect", "mixed", "no verdict"


@dataclass(frozen=True)
class ComparisonPredictions:
    """What the bootstrap needs from a comparison.

    Attributes:
        y_true: outcomes of the test rows, shape (n_test,), 0/1.
        match_ids: the test match of each test row, shape (n_test,).
        predictions: arm name -> one array of win probabilities (0..1, shape (n_test,)) per training seed;
            every arm has the same number of seeds, seed k of each arm trained with the same seed value.
    """

    y_true: np.ndarray
    match_ids: np.ndarray
    predictions: dict[str, list[np.ndarray]]


def bootstrap_scores(data: ComparisonPredictions, resamples: int = RESAMPLES, seed: int = 0) -> dict[str, np.ndarray]:
    """Each arm's score on resampled test matches, per seed.

    Returns:
        "{arm}:{metric}" -> array of shape (resamples, seeds); NaN where a resample held one class only (AUC).
    """
    rng = np.random.default_rng(seed)
    matches, row_match = np.unique(np.asarray(data.match_ids), return_inverse=True)
    counts = rng.multinomial(len(matches), np.full(len(matches), 1 / len(matches)), size=resamples)
    scores = {}
    for arm, seeds in data.predictions.items():
        scores[f"{arm}:auc"] = np.stack([_resampled_auc(data.y_true, p, row_match, counts) for p in seeds], axis=1)
        scores[f"{arm}:brier"] = np.stack([_resampled_brier(data.y_true, p, row_match, counts) for p in seeds],
                                          axis=1)
    return scores


def _resampled_auc(y_true: np.ndarray, y_prob: np.ndarray, row_match: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """ROC AUC on each resample (shape (resamples,)): rows weighted by how often their match was drawn."""
    result = np.full(len(counts), math.nan)
    with warnings.catch_warnings():
        # A resample of a tiny test set can hold one class only; its AUC is NaN and left out of the percentiles.
        warnings.simplefilter("ignore")
        for b, count in enumerate(counts):
            weights = count[row_match].astype(np.float64)
            if len(np.unique(y_true[weights > 0])) == 2:
                result[b] = roc_auc_score(y_true, y_prob, sample_weight=weights)
    return result


def _resampled_brier(y_true: np.ndarray, y_prob: np.ndarray, row_match: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Brier score on each resample (shape (resamples,)).

    A Brier score is a mean over rows, so each match's rows are scored once by scikit-learn and a resample's score
    is the row-weighted mean of its drawn matches' scores: the same number as scoring the resampled rows, at a
    fraction of the cost on a test set of tens of thousands of rows.
    """
    matches = counts.shape[1]
    rows = np.bincount(row_match, minlength=matches).astype(np.float64)
    per_match = np.array([brier_score_loss(y_true[row_match == m], y_prob[row_match == m], labels=[0, 1])
                          for m in range(matches)])
    return (counts @ (per_match * rows)) / (counts @ rows)


def _interval(samples: np.ndarray, seed_draws: np.ndarray) -> list[float]:
    """95% percentile interval of the mean over drawn seeds; samples (resamples, seeds), seed_draws the same."""
    means = np.take_along_axis(samples, seed_draws, axis=1).mean(axis=1)
    means = means[np.isfinite(means)]
    if not len(means):
        return [math.nan, math.nan]
    tail = 100 * (1 - CONFIDENCE) / 2
    return [float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))]


def verdicts(data: ComparisonPredictions, full_scores: dict[str, dict[str, list[float]]],
             resamples: int = RESAMPLES, seed: int = 0) -> tuple[dict[str, dict], dict[str, dict]]:
    """The bootstrap intervals of every arm's scores and the verdict of every arm against real-only.

    Args:
        data: test outcomes, test match ids and per-seed predictions of every arm (must include `real`).
        full_scores: arm -> metric -> per-seed score on the whole test set (the point estimates).
        resamples: bootstrap resamples.
        seed: seeds the bootstrap, so a report is reproducible.

    Returns:
        (scores, verdict): scores[arm][metric] = {"mean", "ci"} over seeds and test matches; verdict[arm] for each
        arm but `real` = {"auc": {"mean", "ci"}, "brier": {"mean", "ci"}, "seeds": n, "effect": one of "helps",
        "hurts", "no detectable effect", "mixed", "no verdict", "sentence": the verdict in words}.
    """
    samples = bootstrap_scores(data, resamples, seed)
    n_seeds = len(data.predictions[REAL])
    seed_draws = np.random.default_rng(seed + 1).integers(0, n_seeds, size=(resamples, n_seeds))
    scores = {arm: {metric: {"mean": float(np.mean(full_scores[arm][metric])),
                             "ci": _interval(samples[f"{arm}:{metric}"], seed_draws)}
                    for metric in VERDICT_METRICS} for arm in data.predictions}
    verdict = {}
    for arm in data.predictions:
        if arm == REAL:
            continue
        differences = {metric: {
            "mean": float(np.mean(np.subtract(full_scores[arm][metric], full_scores[REAL][metric]))),
            "ci": _interval(samples[f"{arm}:{metric}"] - samples[f"{REAL}:{metric}"], seed_draws),
        } for metric in VERDICT_METRICS}
        verdict[arm] = verdict_of(arm, differences, n_seeds)
    return scores, verdict


def _direction(metric: str, interval: list[float]) -> int:
    """+1 when the whole interval of the difference lies on the better side of 0, -1 on the worse side, else 0."""
    low, high = interval
    if math.isnan(low) or low <= 0 <= high:
        return 0
    better = (low > 0) == METRICS[metric].higher_is_better
    return 1 if better else -1


def verdict_of(arm: str, differences: dict[str, dict], seeds: int) -> dict:
    """The verdict on one arm by the module's rule, from its paired differences to real-only.

    Args:
        arm: its name, for the sentence.
        differences: "auc" and "brier" -> {"mean": the arm's mean minus real-only's, "ci": [low, high], 95%}.
        seeds: training seeds per arm.

    Returns:
        `differences` with "seeds", "effect" (HELPS, HURTS, NO_EFFECT, MIXED or NO_VERDICT) and "sentence".
    """
    directions = {_direction(metric, differences[metric]["ci"]) for metric in VERDICT_METRICS}
    if seeds < MIN_VERDICT_SEEDS:
        effect = NO_VERDICT
    elif directions == {0}:
        effect = NO_EFFECT
    elif {1, -1} <= directions:
        effect = MIXED
    else:
        effect = HELPS if 1 in directions else HURTS
    return {**differences, "seeds": seeds, "effect": effect, "sentence": verdict_sentence(arm, differences, seeds,
                                                                                           effect)}


def _difference_text(metric: str, summary: dict) -> str:
    if math.isnan(summary["mean"]):
        return f"{METRICS[metric].label} not defined (the test matches hold one outcome only)"
    low, high = summary["ci"]
    interval = "" if math.isnan(low) else f" (95% interval {low:+.4f} to {high:+.4f})"
    return f"{METRICS[metric].label} {summary['mean']:+.4f}{interval}"


VERDICT_RULE = (
    f"Each verdict reads two 95% intervals of the paired difference to real-only, in ROC AUC and in Brier loss, over "
    "training seeds and test matches resampled whole. An interval wholly on one side of 0 says better or worse on "
    "its metric; one that holds 0 says nothing. **helps** when at least one says better and neither says worse, "
    "**hurts** when at least one says worse and neither says better: one metric is enough when the other's interval "
    "holds 0, and the sentence then says so. **mixed** when one says better and the other worse, **no detectable "
    f"effect** when both hold 0, **no verdict** under {MIN_VERDICT_SEEDS} seeds. Reading two intervals, an arm with "
    "no effect gets helps or hurts by chance up to about 1 time in 10 (1 in 20 for one interval)."
)
"""The rule of the module docstring in the words Compare shows under the verdicts."""


def verdict_sentence(arm: str, differences: dict[str, dict], seeds: int, effect: str) -> str:
    """One sentence: the arm's effect in words and the metrics it rests on, then its paired differences to
    real-only with their intervals."""
    numbers = " and ".join(_difference_text(metric, differences[metric]) for metric in VERDICT_METRICS)
    if effect == NO_VERDICT:
        return (f"{arm}: no verdict with {seeds} seed{'s' if seeds != 1 else ''}; run at least {MIN_VERDICT_SEEDS} "
                f"seeds (needs {MIN_VERDICT_SEEDS - seeds} more) to tell training noise from an effect. "
                f"Against real-only: {numbers}.")
    meaning = {
        HELPS: "helps: it beats real-only beyond seed and test-match noise",
        HURTS: "hurts: it is worse than real-only beyond seed and test-match noise",
        NO_EFFECT: "no detectable effect: the difference to real-only is within seed and test-match noise",
        MIXED: "mixed: better on one score and worse on the other",
    }[effect]
    return f"{arm} {meaning}{_resting_on(differences, effect)} ({numbers}; {seeds} seeds, bootstrapped test matches)."


def _resting_on(differences: dict[str, dict], effect: str) -> str:
    """For helps and hurts, which metric said so: both, or one while the other's interval holds 0."""
    if effect not in (HELPS, HURTS):
        return ""
    deciding = [metric for metric in VERDICT_METRICS if _direction(metric, differences[metric]["ci"]) != 0]
    if len(deciding) == len(VERDICT_METRICS):
        return "; both scores say so"
    silent = next(metric for metric in VERDICT_METRICS if metric not in deciding)
    return f"; this rests on {METRICS[deciding[0]].label} alone, as {METRICS[silent].label}'s interval holds 0"

