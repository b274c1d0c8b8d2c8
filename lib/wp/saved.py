"""The win-probability models stored in the workspace: listed for the Match page, zipped for download."""

from __future__ import annotations

import io
import json
import zipfile

from lib.data import workspace
from lib.data.workspace import WP_MODELS
from lib.wp.arms import REAL, REFERENCE


def model_zip(model_id: str) -> bytes:
    """A stored WP model folder (.keras, .h5, wp.json, players.json) as zip bytes, for download."""
    folder = workspace.artifact_dir(WP_MODELS, model_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{model_id}/{path.name}")
    return buffer.getvalue()


def stored_models() -> list[dict]:
    """Every WP model in the workspace, newest run first and real-only first within a run: id, run, arm, label,
    its feature variant, the real dataset it trained on and the synthetic set its comparison drew from (None when
    not recorded, or none)."""
    models = []
    for model_id in workspace.list_artifacts(WP_MODELS):
        meta_path = workspace.artifact_dir(WP_MODELS, model_id) / "wp.json"
        if not meta_path.is_file():
            continue
        meta = json.loads(meta_path.read_text())
        extra = meta.get("extra", {})
        arm = extra.get("arm", "single model")
        models.append({"id": model_id, "features": meta.get("features"), "arm": arm,
                       "run": extra.get("run_id", model_id), "label": f"{arm} · {extra.get('run_id', model_id)}",
                       "synthetic": extra.get("synthetic_id"), "real": extra.get("real_id")})
    runs = list(dict.fromkeys(m["run"] for m in models))
    return sorted(models, key=lambda m: (runs.index(m["run"]), _arm_rank(m["arm"])))


def drew_from(model: dict, synthetic_id: str) -> bool:
    """Whether a stored model (a `stored_models` entry) drew training rows from synthetic set `synthetic_id`, so
    that it may have trained on any of its matches: the augmented and synthetic-only arms of a comparison on it."""
    return model.get("synthetic") == synthetic_id and model["arm"] not in (REAL, REFERENCE)


def _arm_rank(arm: str) -> float:
    """Within one comparison: real first, then augmented arms by ratio, synthetic-only last."""
    if arm.startswith("augmented@"):
        return 1 + float(arm.removeprefix("augmented@"))
    return {"synthetic": float("inf")}.get(arm, 0.0)
