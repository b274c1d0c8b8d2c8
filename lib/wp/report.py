"""A finished win-probability comparison's report, read back and shown as a table for people."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pandas as pd

from lib.data import workspace
from lib.data.splits import STANDARD_SPLIT, make_split
from lib.data.validation import match_ids
from lib.data.workspace import COMPARISONS
from lib.wp.metrics import METRICS
from lib.wp.verdict import VERDICT_METRICS, verdict_of

METRIC_LABELS = {name: f"{metric.label} {metric.arrow}" for name, metric in METRICS.items()}
"""Column titles of the report table: each metric with the arrow of its better direction."""


def load_report(run_id: str) -> dict:
    """The stored JSON report of a finished comparison."""
    return json.loads((workspace.artifact_dir(COMPARISONS, run_id) / "report.json").read_text())


def arm_summaries(report: dict) -> dict[str, dict[str, dict]]:
    """arm -> metric -> {"mean", "ci"}: ROC AUC's and Brier's intervals over seeds and resampled test matches when
    the report has them (written since the verdict was added), every other interval over training seeds only."""
    bootstrapped = report.get("bootstrap_scores") or {}
    return {arm: {**metrics, **bootstrapped.get(arm, {})} for arm, metrics in report["arms"].items()}


def score_table(report: dict) -> pd.DataFrame:
    """One row per arm (the index), one column per metric: "mean [low, high]" (INTERVALS_NOTE says which)."""
    summaries = arm_summaries(report)
    return pd.DataFrame([{"arm": arm, **{label: _interval(summaries[arm][metric])
                                         for metric, label in METRIC_LABELS.items()}}
                         for arm in report["arms"]]).set_index("arm")


def difference_table(report: dict) -> pd.DataFrame:
    """One row per arm but real-only (the index), one column per metric: the arm's paired difference to real-only
    as "mean [low, high]", ROC AUC's and Brier's from the verdict when the report has one."""
    rows = []
    for arm, differences in report.get("difference_vs_real", {}).items():
        verdict = (report.get("verdict") or {}).get(arm, {})
        differences = {**differences, **{m: v for m, v in verdict.items() if m in METRICS}}
        rows.append({"arm": arm, **{label: _interval(differences[metric], signed=True) if metric in differences
                                    else "" for metric, label in METRIC_LABELS.items()}})
    return pd.DataFrame(rows, columns=["arm", *METRIC_LABELS.values()]).set_index("arm")


INTERVALS_NOTE = ("Each cell is the mean over seeds on all test rows, with its 95% interval: over training seeds "
                  "and test matches resampled whole for ROC AUC and Brier (as the verdict reads them), over training "
                  "seeds only for accuracy and log loss.")
"""Which interval a cell of the score and difference tables holds, for the pages."""


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
    """The verdict of each arm against real-only, for people: (effect, sentence) in the report's arm order, read
    again from its stored differences by today's rule and words (lib.wp.verdict); empty for a report written
    before verdicts existed."""
    lines = []
    for arm, verdict in (report.get("verdict") or {}).items():
        differences = {metric: {"mean": _number(verdict[metric]["mean"]),
                                "ci": [_number(end) for end in verdict[metric]["ci"]]} for metric in VERDICT_METRICS}
        again = verdict_of(arm, differences, verdict["seeds"])
        lines.append((again["effect"], again["sentence"]))
    return lines


def _number(value) -> float:
    """A stored score: JSON writes NaN as null."""
    return math.nan if value is None else float(value)


OLD_TABLE_NOTE = "The table's intervals are 95% t-intervals over training seeds"
"""How a note began that reports carried until the command line took it over: it is about the printed table's
intervals, not the page's."""


def report_notes(report: dict) -> list[str]:
    """The report's notes for the page (the provenance of its synthetic set, how its split leaks)."""
    return [note for note in report.get("notes", []) if not note.startswith(OLD_TABLE_NOTE)]


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


TRAINING, VALIDATION, TEST, OUTSIDE = "training", "validation", "test", "outside"
ROLE_WORDS = {
    TEST: "a **held-out test match**: this model never trained on it.",
    VALIDATION: "**not a test match**: one of the validation matches, which decided when this model's training "
                "stopped.",
    TRAINING: "**a training match**: this model trained on it.",
    OUTSIDE: "**not in the dataset this model trained on**: it never trained on this match (unless the same match is "
             "there under another id).",
}
"""A match's part in a model's comparison, in the words the Match page puts under its model."""


def match_role(report: dict, real: pd.DataFrame, match_id) -> str:
    """Which part of a comparison's split a match was in: TRAINING, VALIDATION, TEST, or OUTSIDE the real dataset.

    Args:
        report: the comparison's report ("split" says its kind; it split under the standard split's shares).
        real: the rows of the comparison's real dataset (report["real_id"]), as it was split.
        match_id: the match, e.g. a Cricsheet file's stem; compared as text.

    Returns:
        TRAINING when any of its rows trained the model (in a row split, almost every match), else VALIDATION when
        any validated it, else TEST; OUTSIDE when no row of `real` is of this match.
    """
    split = make_split(real, replace(STANDARD_SPLIT, kind=report["split"]))
    ids, _ = match_ids(real)
    rows = np.flatnonzero(pd.Series(ids).astype(str).to_numpy() == str(match_id))
    if not len(rows):
        return OUTSIDE
    for role, part in ((TRAINING, split.train), (VALIDATION, split.validation)):
        if np.isin(rows, part).any():
            return role
    return TEST


def augmented_ratios(report: dict) -> list[float]:
    return sorted(float(arm.split("@")[1]) for arm in report["arms"] if arm.startswith("augmented@"))
