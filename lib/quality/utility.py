"""Utility, train on synthetic and test on real: does a win-probability model learn as much from the synthetic
rows as from as many real training rows?

The model is the comparison's reference (lib.wp.arms.REFERENCE_MODEL, fitted by lib.wp.reference, which loads no
TensorFlow): gradient boosting on the seven numeric columns.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from lib.data.schema import WINNER
from lib.wp.arms import REFERENCE_MODEL
from lib.wp.metrics import score_predictions
from lib.wp.reference import reference_predictions

UTILITY_ROWS = 20_000
"""At most this many seeded rows train each model (two fits of the reference take about 15 s at 50,000 rows on a
busy 2-core machine); the test set is every row of the test matches."""


@dataclass(frozen=True)
class UtilityResult:
    """The reference trained on synthetic rows only and on as many real training rows, both tested on real test
    matches. AUCs are ROC AUC (0..1, higher is better), Briers Brier loss (0..1, lower is better); NaN where a
    training sample held one outcome only.

    Attributes:
        synthetic_auc, synthetic_brier: trained on the synthetic rows.
        real_auc, real_brier: trained on as many real training rows.
        train_rows: rows each model trained on.
        test_rows: rows of the test matches both were tested on.
        model: the model, in words.
    """

    synthetic_auc: float
    synthetic_brier: float
    real_auc: float
    real_brier: float
    train_rows: int
    test_rows: int
    model: str = REFERENCE_MODEL

    def table(self) -> pd.DataFrame:
        """Two rows, "trained on" synthetic rows only and on as many real training rows: "ROC AUC", "Brier loss"."""
        return pd.DataFrame([
            {"trained on": "synthetic rows only", "ROC AUC": self.synthetic_auc, "Brier loss": self.synthetic_brier},
            {"trained on": "as many real training rows", "ROC AUC": self.real_auc, "Brier loss": self.real_brier}])

    def to_json(self) -> dict:
        return asdict(self)


def utility(training: pd.DataFrame, synthetic: pd.DataFrame, test: pd.DataFrame, rows: int = UTILITY_ROWS,
            seed: int = 0) -> UtilityResult:
    """The reference trained on synthetic rows only and on as many real training rows, both tested on `test`.

    Args:
        training: real training rows (the synthesizer's training matches).
        synthetic: synthetic rows.
        test: real rows of held-out test matches.
        rows: at most this many seeded rows train each model.
        seed: seeds the samples and the models.

    Returns:
        The UtilityResult; a training sample with one outcome only gives NaN scores.
    """
    n = min(rows, len(training), len(synthetic))
    scores = {}
    for name, frame in (("synthetic", synthetic), ("real", training)):
        sample = frame.sample(n, random_state=seed)
        if sample[WINNER].nunique() < 2:
            scores.update({f"{name}_auc": float("nan"), f"{name}_brier": float("nan")})
            continue
        scored = score_predictions(test[WINNER].to_numpy(), reference_predictions(sample, test, seed))
        scores.update({f"{name}_auc": scored["auc"], f"{name}_brier": scored["brier"]})
    return UtilityResult(**scores, train_rows=n, test_rows=len(test))
