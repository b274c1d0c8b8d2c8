"""Utility, train on synthetic and test on real: does a win-probability model learn as much from the synthetic
rows as from as many real training rows?

The model is the comparison's reference (lib.wp.arms.REFERENCE_MODEL, fitted by lib.wp.reference, which loads no
TensorFlow): gradient boosting on the seven numeric columns.
"""

from __future__ import annotations

import pandas as pd

from lib.data.schema import WINNER
from lib.wp.arms import REFERENCE_MODEL
from lib.wp.metrics import score_predictions
from lib.wp.reference import reference_predictions

UTILITY_ROWS = 20_000
"""At most this many seeded rows train each model (two fits of the reference take about 15 s at 50,000 rows on a
busy 2-core machine); the test set is every row of the test matches."""


def utility(training: pd.DataFrame, synthetic: pd.DataFrame, test: pd.DataFrame, rows: int = UTILITY_ROWS,
            seed: int = 0) -> dict:
    """The reference trained on synthetic rows only and on as many real training rows, both tested on `test`.

    Args:
        training: real training rows (the synthesizer's training matches).
        synthetic: synthetic rows.
        test: real rows of held-out test matches.
        rows: at most this many seeded rows train each model.
        seed: seeds the samples and the models.

    Returns:
        {"synthetic_auc", "real_auc" (ROC AUC, higher better), "synthetic_brier", "real_brier" (Brier loss,
        lower better), "train_rows", "test_rows", "model"}. A training set with one outcome only gives NaN.
    """
    n = min(rows, len(training), len(synthetic))
    result = {"train_rows": n, "test_rows": len(test), "model": REFERENCE_MODEL}
    for name, frame in (("synthetic", synthetic), ("real", training)):
        sample = frame.sample(n, random_state=seed)
        if sample[WINNER].nunique() < 2:
            result.update({f"{name}_auc": float("nan"), f"{name}_brier": float("nan")})
            continue
        scores = score_predictions(test[WINNER].to_numpy(), reference_predictions(sample, test, seed))
        result.update({f"{name}_auc": scores["auc"], f"{name}_brier": scores["brier"]})
    return result
