"""Fidelity scores of a synthetic set against the real data, all from sdmetrics.

Five groups, each averaged: column shapes of numeric columns (KSComplement), column shapes of discrete columns
(TVComplement), column pair trends of numeric pairs (CorrelationSimilarity), player coverage (CategoryCoverage),
and the outcome against the match state (ContingencySimilarity of isWinner with each binned numeric column, the
relation the win-probability model lives on). Every score is in [0, 1], higher is better. Arguments are always
(real, synthetic).
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from sdmetrics.column_pairs import ContingencySimilarity, CorrelationSimilarity
from sdmetrics.single_column import CategoryCoverage, KSComplement, TVComplement

from lib.data.schema import DISCRETE_COLUMNS, NUMERIC_COLUMNS, PLAYER_COLUMNS, WINNER

PUBLISHED = {"ks_score": 0.908, "tv_score": 0.790, "correlation_score": 0.884, "coverage_score": 0.972}
"""The published reference run's four averages, a labelled historical reference (it had no outcome group)."""
GROUP_LABELS = {
    "ks_score": "Column shapes, numeric (KS complement)",
    "tv_score": "Column shapes, discrete (TV complement)",
    "correlation_score": "Column pair trends (correlation similarity)",
    "coverage_score": "Player coverage (category coverage)",
    "contingency_score": "Outcome vs match state (contingency similarity)",
}
CONTINGENCY_BINS = 10
"""Equal-width bins of each numeric column when crossed with isWinner."""
NUMERIC_PAIRS = list(itertools.combinations(NUMERIC_COLUMNS, 2))
"""The 21 pairs of numeric columns."""


@dataclass
class FidelityReport:
    """Per-column and per-pair scores and their four group averages, each in [0, 1], higher is better."""

    ks: dict[str, float]
    tv: dict[str, float]
    correlation: dict[str, float]
    """Keyed "columnA / columnB"."""
    coverage: dict[str, float]
    contingency: dict[str, float] = field(default_factory=dict)
    """Keyed "isWinner / column"."""
    missing_regulars: dict[str, list[int]] = field(default_factory=dict)
    """Per player column: indices of the top real players (by deliveries) absent from the synthetic set."""
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def averages(self) -> dict[str, float]:
        return {
            "ks_score": _mean(self.ks),
            "tv_score": _mean(self.tv),
            "correlation_score": _mean(self.correlation),
            "coverage_score": _mean(self.coverage),
            "contingency_score": _mean(self.contingency),
        }

    def against_published(self) -> pd.DataFrame:
        """The averages next to the published reference run's (NaN where it has none), one row per group."""
        rows = []
        for key, value in self.averages.items():
            published = PUBLISHED.get(key, float("nan"))
            rows.append({"group": GROUP_LABELS[key], "score": value, "published": published,
                         "difference": value - published})
        return pd.DataFrame(rows)

    def per_column(self) -> pd.DataFrame:
        """Every single-column score: column, metric, score."""
        parts = [("KSComplement", self.ks), ("TVComplement", self.tv), ("CategoryCoverage", self.coverage),
                 ("ContingencySimilarity", self.contingency)]
        return pd.DataFrame(
            [{"column": column, "metric": metric, "score": score} for metric, scores in parts
             for column, score in scores.items()]
        )

    def to_json(self) -> dict:
        """The scores, their averages and the published run's averages (the last two for readers of the file)."""
        return {**asdict(self), "averages": self.averages, "published": PUBLISHED}

    @classmethod
    def from_json(cls, data: dict) -> FidelityReport:
        """The report `to_json` wrote (derived averages are recomputed, not read)."""
        return cls(data["ks"], data["tv"], data["correlation"], data["coverage"], data.get("contingency", {}),
                   data.get("missing_regulars", {}), data.get("rows", {}))


def _mean(scores: dict[str, float]) -> float:
    values = [v for v in scores.values() if not np.isnan(v)]
    return float(np.mean(values)) if values else float("nan")


CORRELATION_ROWS = 50_000
"""Rows of each set that CorrelationSimilarity and ContingencySimilarity see. Their run time grows with the rows
(an evaluation runs them four times) while a Pearson coefficient from 50,000 rows has a standard error under 0.005."""


REGULARS = 20
"""How many of the most frequent real batters and bowlers are checked for absence from the synthetic set."""


def fidelity(real: pd.DataFrame, synthetic: pd.DataFrame, regulars: int = REGULARS, seed: int = 0) -> FidelityReport:
    """Score a synthetic set against the real data on the five groups.

    Args:
        real: validated real rows (t20.csv columns).
        synthetic: validated synthetic rows (t20.csv columns).
        regulars: how many of the most frequent real players to check for absence.
        seed: seeds the row sample used for correlations on sets larger than CORRELATION_ROWS.

    Returns:
        A FidelityReport. A column constant in either set gives NaN for its pairs (with a warning), as a
        correlation with a constant is undefined.
    """
    report = FidelityReport(
        ks={c: float(KSComplement.compute(real[c], synthetic[c])) for c in NUMERIC_COLUMNS},
        tv={c: float(TVComplement.compute(real[c], synthetic[c])) for c in DISCRETE_COLUMNS},
        correlation=_correlations(real, synthetic, seed),
        coverage={c: float(CategoryCoverage.compute(real[c], synthetic[c])) for c in PLAYER_COLUMNS},
        contingency=_contingencies(real, synthetic, seed),
        rows={"real": len(real), "synthetic": len(synthetic)},
    )
    for column in PLAYER_COLUMNS:
        present = set(synthetic[column].unique().tolist())
        top = real[column].value_counts().index[:regulars]
        report.missing_regulars[column] = [int(p) for p in top if p not in present]
    return report


def _correlations(real: pd.DataFrame, synthetic: pd.DataFrame, seed: int) -> dict[str, float]:
    real, synthetic = (_at_most(frame[NUMERIC_COLUMNS], CORRELATION_ROWS, seed) for frame in (real, synthetic))
    constant = {c for frame in (real, synthetic) for c in NUMERIC_COLUMNS if frame[c].min() == frame[c].max()}
    if constant:
        warnings.warn(f"{', '.join(sorted(constant))} constant: correlations with it are undefined (NaN).",
                      stacklevel=3)
    return {
        f"{a} / {b}": float("nan") if {a, b} & constant
        else float(CorrelationSimilarity.compute(real[[a, b]], synthetic[[a, b]], coefficient="Pearson"))
        for a, b in NUMERIC_PAIRS
    }


def _contingencies(real: pd.DataFrame, synthetic: pd.DataFrame, seed: int) -> dict[str, float]:
    """ContingencySimilarity of isWinner with each numeric column, binned, on the same row samples as correlations."""
    columns = [WINNER, *NUMERIC_COLUMNS]
    real, synthetic = (_at_most(frame[columns], CORRELATION_ROWS, seed) for frame in (real, synthetic))
    return {
        f"{WINNER} / {c}": float(ContingencySimilarity.compute(
            real[[WINNER, c]], synthetic[[WINNER, c]], continuous_column_names=[c], num_discrete_bins=CONTINGENCY_BINS))
        for c in NUMERIC_COLUMNS
    }


def _at_most(frame: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    return frame if len(frame) <= rows else frame.sample(rows, random_state=seed)
