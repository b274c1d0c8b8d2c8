"""Reading what a finished win-probability comparison stored: its report as a table, and its models as files."""

from __future__ import annotations

import io
import json
import math
import zipfile

import pandas as pd

from lib import workspace
from lib.tasks import COMPARISONS, WP_MODELS

METRIC_LABELS = {"accuracy": "accuracy ↑", "auc": "ROC AUC ↑", "brier": "Brier ↓", "log_loss": "log loss ↓"}


def load_report(run_id: str) -> dict:
    """The stored JSON report of a finished comparison."""
    return json.loads((workspace.artifact_dir(COMPARISONS, run_id) / "report.json").read_text())


def report_table(report: dict) -> pd.DataFrame:
    """One row per arm: each metric as "mean [low, high]" over seeds and its paired difference to `real`."""
    rows = []
    for arm, metrics in report["arms"].items():
        row = {"arm": arm}
        difference = report.get("difference_vs_real", {}).get(arm, {})
        for metric, label in METRIC_LABELS.items():
            row[label] = _interval(metrics[metric])
            row[f"{label} vs real"] = _interval(difference[metric], signed=True) if metric in difference else ""
        rows.append(row)
    return pd.DataFrame(rows).set_index("arm")


def _interval(summary: dict, signed: bool = False) -> str:
    form = "{:+.4f}" if signed else "{:.4f}"
    mean, (low, high) = summary["mean"], summary["ci"]
    shown = ["–" if v is None or (isinstance(v, float) and math.isnan(v)) else form.format(v) for v in (mean, low, high)]
    return shown[0] if shown[1] == "–" else f"{shown[0]} [{shown[1]}, {shown[2]}]"


def augmented_ratios(report: dict) -> list[float]:
    return sorted(float(arm.split("@")[1]) for arm in report["arms"] if arm.startswith("augmented@"))


def model_zip(model_id: str) -> bytes:
    """A stored WP model folder (.keras, .h5, wp.json, players.json) as zip bytes, for download."""
    folder = workspace.artifact_dir(WP_MODELS, model_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{model_id}/{path.name}")
    return buffer.getvalue()


def stored_models() -> list[dict]:
    """Every WP model in the workspace, newest run first and real-only first within a run: id, run, arm, label
    and its feature variant."""
    models = []
    for model_id in workspace.list_artifacts(WP_MODELS):
        meta_path = workspace.artifact_dir(WP_MODELS, model_id) / "wp.json"
        if not meta_path.is_file():
            continue
        meta = json.loads(meta_path.read_text())
        extra = meta.get("extra", {})
        arm = extra.get("arm", "single model")
        models.append({"id": model_id, "features": meta.get("features"), "arm": arm, "run": extra.get("run_id", model_id),
                       "label": f"{arm} · {extra.get('run_id', model_id)}"})
    runs = list(dict.fromkeys(m["run"] for m in models))
    return sorted(models, key=lambda m: (runs.index(m["run"]), _arm_rank(m["arm"])))


def _arm_rank(arm: str) -> float:
    """Within one comparison: real first, then augmented arms by ratio, synthetic-only last."""
    if arm.startswith("augmented@"):
        return 1 + float(arm.removeprefix("augmented@"))
    return {"synthetic": float("inf")}.get(arm, 0.0)
