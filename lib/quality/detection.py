"""Detection: how well a classifier tells real rows from synthetic ones, as a ROC AUC (0.5 = indistinguishable).

Folds hold out whole matches: consecutive deliveries of one match sit close together, so a classifier that saw
some of a match's rows recognises the rest, and even real matches would be told from other real matches.

scikit-learn's HistGradientBoostingClassifier with stratified cross-validation, not sdmetrics' LogisticDetection:
a logistic regression is linear in the columns, so it cannot see a broken product identity (runRate x ballNum =
runs), which is how a synthesizer that learned the columns one by one gives itself away; boosted trees can.
LogisticDetection also reports 1 - 2 x (AUC - 0.5) rather than the AUC itself.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from lib.data.schema import MODEL_COLUMNS

DETECTION_ROWS = 5_000
"""Seeded rows drawn from each of the two sets: the AUC of 10,000 rows has a standard error near 0.01, and the
three evaluations' nine fits stay within seconds."""
FOLDS = 3
DETECTION_MODEL = (f"scikit-learn HistGradientBoostingClassifier, {FOLDS}-fold cross-validation holding out "
                   f"whole matches, mean of the folds' AUCs, at most {DETECTION_ROWS:,} rows of each set")


@dataclass(frozen=True)
class DetectionResult:
    """How well a classifier told one set of rows from the real training rows.

    Attributes:
        auc: mean of the folds' ROC AUCs, 0..1: 0.5 = indistinguishable, 1 = every row told apart (lower is better
            for a synthetic set); NaN when either set had fewer than FOLDS rows.
        rows: rows used from each set.
        model: what classified, in words.
    """

    auc: float
    rows: int
    model: str = DETECTION_MODEL

    def to_json(self) -> dict:
        return asdict(self)


def detection_auc(real: pd.DataFrame, synthetic: pd.DataFrame, real_matches: np.ndarray | None = None,
                  synthetic_matches: np.ndarray | None = None, rows: int = DETECTION_ROWS,
                  seed: int = 0) -> DetectionResult:
    """ROC AUC of a classifier telling `synthetic` rows from `real` ones, out of fold.

    Args:
        real: real rows (t20.csv columns).
        synthetic: the rows to tell apart from them.
        real_matches, synthetic_matches: (len(set),) int match code of each row; None treats every row as its
            own match (synthetic rows belong to none).
        rows: at most this many seeded rows of each set.
        seed: seeds the samples, the folds and the classifier.

    Returns:
        The DetectionResult; its AUC is NaN, with a warning, when either set has fewer than FOLDS rows.
    """
    n = min(rows, len(real), len(synthetic))
    if n < FOLDS:
        warnings.warn(f"Detection needs at least {FOLDS} rows in each set; returning NaN.", stacklevel=2)
        return DetectionResult(float("nan"), n)
    rng = np.random.default_rng(seed)
    picks = [rng.choice(len(frame), n, replace=False) for frame in (real, synthetic)]
    both = pd.concat([real[MODEL_COLUMNS].iloc[picks[0]], synthetic[MODEL_COLUMNS].iloc[picks[1]]], ignore_index=True)
    is_synthetic = np.repeat([0, 1], n)
    groups = [np.arange(len(frame)) if codes is None else np.asarray(codes)
              for frame, codes in ((real, real_matches), (synthetic, synthetic_matches))]
    # Offset the second set's codes so that no group spans both sets.
    offset = groups[0].max() + 1
    matches = np.concatenate([groups[0][picks[0]], groups[1][picks[1]] + offset])
    folds = GroupKFold(FOLDS, shuffle=True, random_state=seed).split(both, is_synthetic, matches)
    features = both.to_numpy(np.float64)
    aucs = []
    # One OpenMP thread, as the WP reference does: on a shared 2-core machine spinning threads wait on each other.
    with threadpool_limits(limits=1, user_api="openmp"):
        for train, test in folds:
            train = _balanced(train, is_synthetic, rng)
            model = HistGradientBoostingClassifier(random_state=seed).fit(features[train], is_synthetic[train])
            aucs.append(roc_auc_score(is_synthetic[test], model.predict_proba(features[test])[:, 1]))
    return DetectionResult(float(np.mean(aucs)), n)


def _balanced(rows: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """`rows` with the larger class subsampled to the size of the smaller.

    Holding out whole matches leaves the two sets in unequal shares in each fold; a classifier trained on unequal
    shares shifts every prediction of the fold towards the larger set, which pushed real-against-real AUCs to 0.33.
    (Class weights would do the same, but make scikit-learn's binning compute weighted percentiles, 100 s here.)
    """
    by_class = [rows[labels[rows] == label] for label in (0, 1)]
    size = min(len(part) for part in by_class)
    return np.concatenate([rng.choice(part, size, replace=False) for part in by_class])
