"""Evaluations kept in the workspace, so that one survives a reload and is computed once per pair of datasets.

Layout: ``artifacts/evaluations/<synthetic set id>/<real dataset id>.json`` holds the score report
(ScoreReport.to_json) with a stamp of each of the two datasets as they were when it was computed: its `created`
time and its rows file's modification time in nanoseconds (`created` alone is to the second, and a dataset can be
replaced within one). A dataset saved again under its id (the sample rebuilt, a set replaced) gets a new stamp, so
its old evaluation no longer matches and is computed anew, then overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lib.data import files, workspace
from lib.data.workspace import EVALUATIONS, DatasetInfo
from lib.quality.report import OnStep, ScoreReport, check_made_from, score_report, workspace_provenance


def evaluation_path(real: DatasetInfo, synthetic: DatasetInfo) -> Path:
    """Where the evaluation of `synthetic` against `real` is kept."""
    folder = workspace.artifact_root(EVALUATIONS) / workspace.check_id(synthetic.id)
    return folder / f"{workspace.check_id(real.id)}.json"


def stored_evaluation(real: DatasetInfo, synthetic: DatasetInfo) -> ScoreReport | None:
    """The kept evaluation of `synthetic` against `real`; None when there is none, when either dataset was
    replaced since it was computed, or when the file cannot be read (it is then computed anew and overwritten)."""
    path = evaluation_path(real, synthetic)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
        if (data["real_stamp"], data["synthetic_stamp"]) != (_stamp(real), _stamp(synthetic)):
            return None
        return ScoreReport.from_json(data["report"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _stamp(info: DatasetInfo) -> str:
    """Which version of a stored dataset this is: its creation time and its rows file's modification time."""
    return f"{info.created} {workspace.dataset_path(info.id).stat().st_mtime_ns}"


def evaluate_stored(real: DatasetInfo, synthetic: DatasetInfo, real_rows: pd.DataFrame,
                    synthetic_rows: pd.DataFrame, on_step: OnStep | None = None, seed: int = 0) -> ScoreReport:
    """Score a stored synthetic set against a stored real dataset and keep the report in the workspace.

    Args:
        real, synthetic: the two datasets' sidecars; the set's records say whether its training matches are
            known and how many generated rows were redrawn.
        real_rows, synthetic_rows: their rows (workspace.load_dataset), passed in as callers hold them already.
        on_step: progress callback (lib.quality.report.STEPS).
        seed: seeds the floor and every sample.

    Returns:
        The ScoreReport with its provenance.

    Raises:
        ValueError: the set was made from another real dataset.
    """
    check_made_from(real.id, synthetic.extra)
    report = score_report(real_rows, synthetic_rows, variant=real.features,
                          known_training=bool(synthetic.extra.get("synthesizer_id")),
                          redrawn_share=synthetic.extra.get("redrawn_share"), seed=seed, on_step=on_step)
    report.provenance = workspace_provenance(real, synthetic, report, seed)
    kept = {"real_stamp": _stamp(real), "synthetic_stamp": _stamp(synthetic), "report": report.to_json()}
    files.write_text(evaluation_path(real, synthetic), json.dumps(kept, indent=1))
    return report
