"""The full score report of a synthetic set: fidelity (four sdmetrics groups), cricket validity and privacy.

The Evaluate page and `python -m lib.cli score` both build it here, so both show the same numbers.
"""

from __future__ import annotations

import io

import pandas as pd

from lib.data.schema import MODEL_COLUMNS
from lib.quality.fidelity import CORRELATION_ROWS, FidelityReport, fidelity
from lib.quality.privacy import SAMPLE_ROWS, privacy
from lib.quality.validity import CricketValidity

SAMPLING_NOTE = (
    f"Correlation similarity uses a seeded sample of at most {CORRELATION_ROWS:,} rows of each set; exact copies "
    f"and distances to the closest real row use {SAMPLE_ROWS:,} sampled synthetic rows. Every other score uses "
    "all rows."
)


def score_report(real: pd.DataFrame, synthetic: pd.DataFrame, with_privacy: bool = True) -> dict:
    """Every score of `synthetic` against `real`, JSON-ready.

    Returns:
        {"averages", "published", "ks", "tv", "correlation", "coverage", "missing_regulars", "rows",
        "validity_score", "privacy" (or None), "sampling"}: every score in [0, 1].
    """
    real, synthetic = real[MODEL_COLUMNS], synthetic[MODEL_COLUMNS]
    report = fidelity(real, synthetic).to_json()
    report["validity_score"] = CricketValidity.compute(real, synthetic)
    report["privacy"] = privacy(real, synthetic).to_json() if with_privacy else None
    report["sampling"] = SAMPLING_NOTE
    return report


def scores_csv(report: dict) -> bytes:
    """Every per-column and per-pair score as CSV rows: group, metric, column(s), score."""
    rows = [("column shapes", "KSComplement", c, s) for c, s in report["ks"].items()]
    rows += [("column shapes", "TVComplement", c, s) for c, s in report["tv"].items()]
    rows += [("column pair trends", "CorrelationSimilarity", c, s) for c, s in report["correlation"].items()]
    rows += [("coverage", "CategoryCoverage", c, s) for c, s in report["coverage"].items()]
    rows += [("average", name, "", s) for name, s in report["averages"].items()]
    rows += [("validity", "CricketValidity", "all", report["validity_score"])]
    buffer = io.StringIO()
    pd.DataFrame(rows, columns=["group", "metric", "columns", "score"]).to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def _fidelity(report: dict) -> FidelityReport:
    return FidelityReport(report["ks"], report["tv"], report["correlation"], report["coverage"])


def headline(report: dict) -> pd.DataFrame:
    """The four averages next to the published reference (rebuilt from a JSON report)."""
    return _fidelity(report).headline()


def per_column(report: dict) -> pd.DataFrame:
    """Every single-column score of a JSON report: column, metric, score."""
    return _fidelity(report).per_column()
