"""A finished win-probability comparison's report, read back and shown as a table for people."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from lib.data import workspace
from lib.data.workspace import COMPARISONS
from lib.wp.metrics import METRICS

METRIC_LABELS = {name: f"{metric.label} {metric.arrow}" for name, metric in METRICS.items()}
"""Column titles of the report table: each metric with the arrow of its better direction."""


def load_report(run_id: str) -> dict:
    """The stored JSON report of a finished comparison."""
    return json.loads((workspace.artifact_dir(COMPARISONS, run_id) / "report.json").read_text())


def report_table(report: dict) -> pd.DataFrame:
    """One row per arm: each metric as "mean [low, high]" and its paired difference to `real`.

    The intervals of ROC AUC and Brier cover seeds and resampled test matches when the report has them (reports
    written since the verdict was added); the other intervals cover training seeds only.
    """
    rows = []
    for arm, metrics in report["arms"].items():
        row = {"arm": arm}
        difference = {**report.get("difference_vs_real", {}).get(arm, {}),
                      **{m: v for m, v in (report.get("verdict") or {}).get(arm, {}).items() if m in METRICS}}
        metrics = {**metrics, **(report.get("bootstrap_scores") or {}).get(arm, {})}
        for metric, label in METRIC_LABELS.items():
            row[label] = _interval(metrics[metric])
            row[f"{label} vs real"] = _interval(difference[metric], signed=True) if metric in difference else ""
        rows.append(row)
    return pd.DataFrame(rows).set_index("arm")


def _interval(summary: dict, signed: bool = False) -> str:
    form = "{:+.4f}" if signed else "{:.4f}"
    mean, (low, high) = summary["mean"], summary["ci"]
    shown = ["–" if v is None or (isinstance(v, float) and math.isnan(v)) else form.format(v)
             for v in (mean, low, high)]
    return shown[0] if shown[1] == "–" else f"{shown[0]} [{shown[1]}, {shown[2]}]"


REFERENCE_MEANING = ("**reference** is not a neural model: gradient boosting (scikit-learn's "
                     "HistGradientBoostingClassifier) on the seven numeric columns, without players. It shows what "
                     "the player embeddings add.")
"""How the pages explain the `reference` arm wherever it appears."""


def verdict_lines(report: dict) -> list[tuple[str, str]]:
    """The verdict of each arm against real-only, for people: (effect, sentence) in the report's arm order;
    empty for a report written before verdicts existed."""
    return [(verdict["effect"], verdict["sentence"]) for verdict in (report.get("verdict") or {}).values()]


def held_out(report: dict, match_id) -> bool | None:
    """Whether `match_id` was one of the comparison's held-out test matches; None when the report predates the
    list (or the id is of another dataset's kind)."""
    ids = report.get("test_match_ids")
    if ids is None:
        return None
    return match_id in ids or str(match_id) in {str(i) for i in ids}


def held_out_mask(report: dict | None, match_ids) -> np.ndarray | None:
    """(N,) bool: which of `match_ids` were the comparison's held-out test matches; None when that is not known
    (no report, or one written before the list)."""
    ids = None if report is None else report.get("test_match_ids")
    if ids is None:
        return None
    return pd.Series(match_ids).astype(str).isin({str(i) for i in ids}).to_numpy()


def augmented_ratios(report: dict) -> list[float]:
    return sorted(float(arm.split("@")[1]) for arm in report["arms"] if arm.startswith("augmented@"))
