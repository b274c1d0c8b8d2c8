"""Past runs as tables for people: settings, duration, and what was predicted next to what happened."""

from __future__ import annotations

import json
import time

import pandas as pd

from lib.data import workspace
from lib.data.units import GIB, duration
from lib.data.workspace import COMPARISONS, NotFound
from lib.jobs import store
from lib.jobs.kinds import SYNTH, SYNTH_SAMPLE, WP_COMPARE
from lib.jobs.store import Run
from models.synth.base import Synthesizer
from models.synth.engines import DEFAULT_ENGINE, engine_class


def _gib(size) -> float | None:
    return None if size is None else round(size / GIB, 2)


def engine_name(run: Run) -> str | None:
    """The synthesizer engine of a synthesizer or sampling run (models.synth.engines; runs stored before engines
    were CTGAN's); None for a run of another kind."""
    if run.kind not in (SYNTH, SYNTH_SAMPLE):
        return None
    return run.params.get("engine") or (run.result or {}).get("engine") or DEFAULT_ENGINE


def run_engine(run: Run) -> type[Synthesizer]:
    """The engine of a synthesizer or sampling run: its loss names, title and settings (imports the engine)."""
    return engine_class(engine_name(run))


def synth_runs_frame(runs: list[Run]) -> pd.DataFrame:
    """One row per synthesizer run: when, state, engine, settings, seconds per epoch and peak memory (predicted,
    actual). Settings an engine does not have show a dash."""
    rows = []
    for run in runs:
        config, estimate, result = run.params.get("config", {}), run.estimate or {}, run.result or {}
        stats = result.get("stats", {})
        rows.append({
            "run": run.title,
            "started": time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created)),
            "state": run.state,
            "engine": engine_name(run),
            "fraction": config.get("fraction"),
            "epochs": config.get("epochs"),
            "encoding": config.get("player_encoding"),
            "shards": config.get("shards"),
            "duration": _duration(run),
            "s/epoch predicted": _round(estimate.get("seconds_per_epoch")),
            "s/epoch actual": _round(stats.get("seconds_per_epoch")),
            "peak GiB predicted": _gib(estimate.get("peak_bytes")),
            "peak GiB actual": _gib(result.get("peak_rss_bytes")),
            "redrawn": result.get("redrawn_share"),
            "error": run.error or "",
        })
    return _as_text(pd.DataFrame(rows))


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text, and a value a run does not have (a run still going has no measured speed) as a dash
    rather than "None"; text keeps a column of mixed numbers and dashes displayable as one type."""
    return frame.astype(object).where(frame.notna(), "–").map(str)


def _duration(run: Run) -> str | None:
    """How long a run took (or has taken so far), as every page writes durations; None before it started."""
    return None if run.seconds is None else duration(run.seconds)


def _round(value) -> float | None:
    return None if value is None else round(value, 2)


KIND_LABELS = {SYNTH: "synthesizer", SYNTH_SAMPLE: "synthetic sample", WP_COMPARE: "WP comparison"}
"""Job kind -> its name for people."""


def _dataset_name(dataset_id: str | None) -> str | None:
    if not dataset_id:
        return None
    try:
        return workspace.dataset_info(dataset_id).name
    except NotFound:
        return "(deleted dataset)"


def run_title(run_id: str | None) -> str | None:
    """A run's title by id; None for no id, a note for a deleted run."""
    if not run_id:
        return None
    try:
        return store.get(run_id).title
    except NotFound:
        return "(deleted run)"


def set_lineage(dataset_id: str) -> list[str]:
    """Where a synthetic set came from, oldest first: real dataset, synthesizer run, the set itself (names)."""
    made = workspace.dataset_info(dataset_id).extra
    steps = [_dataset_name(made.get("real_id")), run_title(made.get("synthesizer_id")), _dataset_name(dataset_id)]
    return [step for step in steps if step]


def lineage(run: Run) -> list[str]:
    """Where a run's output came from, oldest first, by human name: dataset, synthesizer run, synthetic set,
    the run itself."""
    params = run.params
    if params.get("synthetic_id"):
        try:
            earlier = set_lineage(params["synthetic_id"])
        except NotFound:  # a deleted set: its name is all that is lost
            earlier = [_dataset_name(params.get("real_id")), "(deleted synthetic set)"]
        if _dataset_name(params.get("real_id")) not in earlier:
            earlier.insert(0, _dataset_name(params.get("real_id")))
    elif params.get("synthesizer_id"):
        earlier = [_dataset_name(params.get("real_id")), run_title(params["synthesizer_id"])]
    else:
        earlier = [_dataset_name(params.get("real_id"))]
    return [step for step in earlier if step] + [run.title]


def run_settings(run: Run) -> dict:
    """A run's settings by name in words, its config's fields beside its own ("epochs": 10, "ratios": "0.5, 1"),
    without the ids of what it read (its lineage names those). A config field named as one of the run's own
    settings is prefixed with the config's name."""
    settings = {}
    for key, value in run.params.items():
        for name, item in value.items() if isinstance(value, dict) else [(key, value)]:
            if name.endswith("_id"):
                continue
            label = name.replace("_", " ")
            settings[f"{key} {label}" if label in settings else label] = _list_text(item)
    return settings


def settings_text(run: Run) -> str:
    """`run_settings` in one line: "engine ctgan, fraction 0.5, epochs 10, ..."."""
    return ", ".join(f"{name} {value}" for name, value in run_settings(run).items())


def _list_text(value):
    if not isinstance(value, list):
        return value
    return ", ".join(f"{item:g}" if isinstance(item, float) else str(item) for item in value) or "none"


def headline(run: Run) -> dict:
    """The few numbers that say how a run went: synthesizer speed and rule repairs, or a comparison's verdicts."""
    result = run.result or {}
    if run.kind == WP_COMPARE and run.state == store.DONE:
        verdicts = _stored_verdicts(result.get("report") or run.id)
        return {f"verdict {arm}": entry.get("effect") for arm, entry in verdicts.items()}
    stats = result.get("stats", {})
    scores = {"matches": result.get("matches") or None, "rows": result.get("rows"),
              "redrawn share": result.get("redrawn_share"),
              "s/epoch": _round(stats.get("seconds_per_epoch"))}
    return {key: value for key, value in scores.items() if value is not None}


def headline_text(run: Run) -> str:
    """`headline` as one line of text: "rows 30,000 · redrawn share 2.1% · s/epoch 24.7"."""
    return " · ".join(f"{key} {_number_text(key, value)}" for key, value in headline(run).items())


def _number_text(key: str, value) -> str:
    if isinstance(value, float) and "share" in key:
        return f"{value:.1%}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _stored_verdicts(report_id: str) -> dict:
    try:
        report = json.loads((workspace.artifact_dir(COMPARISONS, report_id) / "report.json").read_text())
    except (OSError, ValueError, NotFound):
        return {}
    return report.get("verdict") or {}


def all_runs_frame(runs: list[Run]) -> pd.DataFrame:
    """One row per run of any kind: what, engine (synthesizer runs), state, when, how long, where from, and its
    headline numbers in one column (text)."""
    rows = [{
        "title": run.title, "kind": KIND_LABELS.get(run.kind, run.kind), "engine": engine_name(run),
        "state": run.state, "started": time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created)),
        "duration": _duration(run), "lineage": " → ".join(lineage(run)), "headline": headline_text(run) or None,
    } for run in runs]
    return _as_text(pd.DataFrame(rows))


def run_group(run: Run) -> str:
    """Which runs share their settings, for people: "synthesizer (ctgan)", "synthesizer (matches)", "WP comparison"."""
    kind = KIND_LABELS.get(run.kind, run.kind)
    engine = engine_name(run)
    return f"{kind} ({engine})" if engine else kind


def side_by_side(runs: list[Run]) -> dict[str, pd.DataFrame]:
    """Settings and headline numbers of a few runs in columns (one per run, headed by its title), one row per
    setting, as text, in one table per group of runs that share their settings (`run_group`): a WP model's
    embedding size is another setting than a synthesizer's. A setting a run of the group does not have shows a
    dash."""
    tables: dict[str, dict] = {}
    for run in runs:
        column = {"state": run.state, "duration": _duration(run), **run_settings(run), **headline(run)}
        tables.setdefault(run_group(run), {})[run.title] = column
    return {group: _as_text(pd.DataFrame(columns)) for group, columns in tables.items()}


def unique_name(name: str, taken) -> str:
    """`name`, or `name (2)`, `name (3)`... the first that is not in `taken`, so that two runs or two synthetic
    sets never share a label."""
    taken = set(taken)
    if name not in taken:
        return name
    number = 2
    while f"{name} ({number})" in taken:
        number += 1
    return f"{name} ({number})"
