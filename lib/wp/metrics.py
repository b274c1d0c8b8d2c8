"""Scores of win-probability predictions, all from scikit-learn, and their spread over training seeds.

Every function takes `(y_true, y_prob)`: y_true the 0/1 outcome (`isWinner`), y_prob the predicted probability
that the batting side wins, 0..1, both of shape (n,).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats
from sklearn.calibration import calibration_curve
from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, roc_auc_score, roc_curve


@dataclass(frozen=True)
class Metric:
    """One score of win-probability predictions.

    Attributes:
        label: its name for people ("ROC AUC").
        meaning: what it measures, its range and direction, in words.
        higher_is_better: the direction of improvement.
        bounds: the values it can take; an interval over few seeds is cut to them.
    """

    label: str
    meaning: str
    higher_is_better: bool
    bounds: tuple[float, float]

    @property
    def arrow(self) -> str:
        """↑ when higher is better, ↓ when lower is."""
        return "↑" if self.higher_is_better else "↓"


METRICS = {
    "accuracy": Metric("accuracy", "share of deliveries whose winner is called right at probability 0.5, 0..1, "
                       "higher is better", True, (0.0, 1.0)),
    "auc": Metric("ROC AUC", "chance that a winning row gets a higher probability than a losing row, 0..1, "
                  "higher is better", True, (0.0, 1.0)),
    "brier": Metric("Brier", "Brier score loss: mean squared error of the probability, 0..1, lower is better", False,
                    (0.0, 1.0)),
    "log_loss": Metric("log loss", "binary cross-entropy, >= 0, lower is better", False, (0.0, math.inf)),
}
"""Metric name -> its Metric; the names are the keys of every score table."""
CONFIDENCE = 0.95
MAX_ROC_POINTS = 200
"""ROC points kept per curve; enough to draw it, small enough for a JSON report."""


def score_predictions(y_true: np.ndarray, y_prob: np.ndarray) -> dict[str, float]:
    """Accuracy, ROC AUC, Brier score and log loss of one set of predictions.

    With one class only in `y_true`, AUC is NaN and scikit-learn warns; the others are still defined.
    """
    y_true = np.asarray(y_true)
    y_prob = np.asarray(y_prob, dtype=np.float64)
    return {
        "accuracy": float(accuracy_score(y_true, y_prob >= 0.5)),
        "auc": float(roc_auc_score(y_true, y_prob)),
        "brier": float(brier_score_loss(y_true, y_prob, labels=[0, 1])),
        "log_loss": float(log_loss(y_true, y_prob, labels=[0, 1])),
    }


def mean_interval(values: list[float], bounds: tuple[float, float] = (-math.inf, math.inf)) -> dict:
    """Mean and 95% t-interval of one metric over seeds.

    Args:
        values: the metric's value for each seed.
        bounds: the values the metric can take (Metric.bounds); the interval is cut to them, since a t-interval over
            two or three seeds can reach past them (an AUC above 1).

    Returns:
        {"mean": m, "ci": [lo, hi]}; the interval is NaN for a single seed or NaN values, and [m, m] when every
        seed gave the same value.
    """
    values = np.asarray(values, dtype=np.float64)
    mean = float(values.mean()) if len(values) else math.nan
    if len(values) < 2 or not np.isfinite(values).all():
        return {"mean": mean, "ci": [math.nan, math.nan]}
    spread = float(stats.sem(values))
    if spread == 0:
        return {"mean": mean, "ci": [mean, mean]}
    low, high = stats.t.interval(CONFIDENCE, df=len(values) - 1, loc=mean, scale=spread)
    low, high = max(low, bounds[0]), min(high, bounds[1])
    return {"mean": mean, "ci": [float(low), float(high)]}


def roc_points(y_true: np.ndarray, y_prob: np.ndarray) -> dict[str, list[float]]:
    """Points of the ROC curve (scikit-learn's roc_curve), at most MAX_ROC_POINTS, first and last kept.

    Returns:
        {"fpr": [...], "tpr": [...]}, both 0..1; NaN when `y_true` has one class only.
    """
    with warnings.catch_warnings():
        # One class only: AUC has already warned about it; the curve is NaN either way.
        warnings.simplefilter("ignore")
        fpr, tpr, _ = roc_curve(y_true, y_prob)
    keep = np.unique(np.linspace(0, len(fpr) - 1, min(len(fpr), MAX_ROC_POINTS)).round().astype(int))
    return {"fpr": fpr[keep].tolist(), "tpr": tpr[keep].tolist()}


def calibration_points(y_true: np.ndarray, y_prob: np.ndarray, bins: int = 10) -> dict[str, list[float]]:
    """Reliability curve (scikit-learn's calibration_curve, uniform bins; empty bins are left out).

    Returns:
        {"prob_pred": mean predicted probability per bin, "prob_true": share of wins per bin}, both 0..1.
    """
    prob_true, prob_pred = calibration_curve(y_true, y_prob, n_bins=bins, strategy="uniform")
    return {"prob_pred": prob_pred.tolist(), "prob_true": prob_true.tolist()}
