"""Past runs as tables for people: settings, duration, and what was predicted next to what happened."""

from __future__ import annotations

import time

import pandas as pd

from lib.data.units import GIB
from lib.jobs.store import Run


def _gib(size) -> float | None:
    return None if size is None else round(size / GIB, 2)


def synth_runs_frame(runs: list[Run]) -> pd.DataFrame:
    """One row per synthesizer run: when, state, settings, seconds per epoch and peak memory (predicted, actual)."""
    rows = []
    for run in runs:
        config, estimate, result = run.params.get("config", {}), run.estimate or {}, run.result or {}
        stats = result.get("stats", {})
        rows.append({
            "run": run.id,
            "started": time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created)),
            "state": run.state,
            "fraction": config.get("fraction"),
            "epochs": config.get("epochs"),
            "encoding": config.get("player_encoding"),
            "shards": config.get("shards"),
            "minutes": None if run.seconds is None else round(run.seconds / 60, 1),
            "s/epoch predicted": _round(estimate.get("seconds_per_epoch")),
            "s/epoch actual": _round(stats.get("seconds_per_epoch")),
            "peak GiB predicted": _gib(estimate.get("peak_bytes")),
            "peak GiB actual": _gib(result.get("peak_rss_bytes")),
            "redrawn": result.get("redrawn_share"),
            "error": run.error or "",
        })
    return pd.DataFrame(rows)


def _round(value) -> float | None:
    return None if value is None else round(value, 2)
