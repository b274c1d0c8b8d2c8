"""The workspace folder: every dataset and model the app creates, on disk.

Layout under the root (``./workspace`` or ``$CREASE_WORKSPACE``)::

    datasets/<id>.parquet        the rows
    datasets/<id>.json           sidecar: name, kind, source, feature variant, created, counts
    datasets/<id>.players.json   player vocabulary, when the source had player names
    datasets/<id>.events/        match events (lib.data.events), when whole matches are known: deliveries.parquet,
                                 lineups.parquet, matches.parquet and meta.json (source, notes)
    artifacts/<kind>/<id>/       trained models (synthesizers, win-probability models), comparison reports and
                                 evaluations of synthetic sets, one folder each
    runs.sqlite                  the run store of background jobs (lib.jobs.runner)

Everything is written under a temporary name and renamed into place, so a half-written dataset or
model never appears as finished.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from lib.data import files
from lib.data.events import MatchEvents
from lib.data.validation import summarize
from lib.data.vocabulary import Vocabulary

ENV_VAR = "CREASE_WORKSPACE"
CACHE_VAR = "CREASE_CACHE"
"""Where the caches go instead of the workspace's "cache" folder; several workspaces may share one."""
DEFAULT_ROOT = "workspace"
KINDS = ("real", "synthetic", "augmented")
SYNTHESIZERS = "synthesizers"
"""Artifact folder of trained synthesizers, one folder per run id."""
SYNTH_CHECKPOINTS = "synth-checkpoints"
"""Artifact folder of checkpoints of synthesizer runs that have not finished."""
WP_MODELS = "wp"
"""Artifact folder of trained win-probability models."""
COMPARISONS = "comparisons"
"""Artifact folder of win-probability comparison reports."""
EVALUATIONS = "evaluations"
"""Artifact folder of synthetic-set evaluations: one folder per synthetic set, one report per real dataset
(lib.quality.stored)."""
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")
_EVENT_TABLES = ("deliveries", "lineups", "matches")
"""The tables of a dataset's events folder, one <name>.parquet each, named as MatchEvents' attributes."""
_EVENTS_META = "meta.json"


class NotFound(LookupError):
    """A dataset, run or model that was asked for by id is not in the workspace."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


@dataclass
class DatasetInfo:
    """The sidecar of one stored dataset."""

    id: str
    name: str
    kind: str
    """"real" (imported or sample), "synthetic" (from a synthesizer) or "augmented" (real + synthetic)."""
    source: str
    """Where the rows came from, in words: "simulated league, 1000 matches, seed 7", a file name, a run id."""
    features: str | None
    """Feature variant of a Cricsheet import ("leakfree" or "yorkr"); None when unknown."""
    created: str
    rows: int
    matches: int
    batters: int
    bowlers: int
    won_share: float
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The name, then what the name does not say: "Simulated league (150 matches, seed 7) · 34,955 real rows"."""
        return f"{self.name} · {self.rows:,} {self.kind} rows"

    @property
    def rows_per_match(self) -> float | None:
        """Mean rows (deliveries) per match; None for a dataset without matches."""
        return self.rows / self.matches if self.matches else None


class WorkspaceUnusable(ValueError):
    """The workspace folder cannot be used (empty setting, read-only, not a folder); the message says how to fix."""


def root() -> Path:
    """The workspace root, created on first use.

    Raises:
        WorkspaceUnusable: $CREASE_WORKSPACE is set but empty (which would make the current folder the
            workspace), or names a file.
    """
    setting = os.environ.get(ENV_VAR, DEFAULT_ROOT)
    if not setting.strip():
        raise WorkspaceUnusable(
            f"${ENV_VAR} is set but empty; set it to a folder (e.g. {ENV_VAR}=~/crease-workspace) or unset it to "
            f"use ./{DEFAULT_ROOT}."
        )
    path = Path(setting).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise WorkspaceUnusable(f"The workspace {path} (${ENV_VAR}) is a file, not a folder; choose a folder.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WorkspaceUnusable(f"The workspace {path} cannot be created ({error.strerror}); {_HOW_TO_MOVE}") from None
    return path


_HOW_TO_MOVE = f"point ${ENV_VAR} at a folder you can write to, or fix the folder's permissions."


def problem() -> str:
    """Why the workspace cannot be used now (unset-but-empty setting, read-only, full disk), in words; "" when a
    file can be created in it. Pages show this before anything else."""
    try:
        folder = root()
        files.check_writable(folder)
    except (WorkspaceUnusable, files.OutputRefused) as error:
        return f"The workspace cannot be written: {error} {_HOW_TO_MOVE}" if isinstance(
            error, files.OutputRefused) else str(error)
    return ""


def cache_root() -> Path:
    """Folder of caches that can be rebuilt at any time (prepared synthesizer data, timing probes): the workspace's
    "cache" folder, or the folder $CREASE_CACHE names. Nothing in it belongs to one workspace (a preparation is
    keyed by its data and settings, a timing by the machine and settings), so workspaces may share it; an empty
    setting means the workspace's own."""
    setting = os.environ.get(CACHE_VAR, "").strip()
    return Path(setting).expanduser().resolve() if setting else root() / "cache"


def kept_root() -> Path:
    """Folder of the finished parts of comparisons and samples that stopped halfway (lib.data.parts), kept until
    the same work runs again and finishes."""
    return root() / "kept"


def _datasets() -> Path:
    path = root() / "datasets"
    path.mkdir(exist_ok=True)
    return path


def slug(name: str) -> str:
    """A file-safe id from a human name: lower case, digits, '-' and '_' only."""
    text = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")
    return text[:60] or "dataset"


def new_id(name: str) -> str:
    """A fresh id for `name`, unique in the workspace."""
    return f"{slug(name)}-{uuid.uuid4().hex[:6]}"


def check_id(dataset_id: str) -> str:
    """Refuse ids that could point outside the workspace."""
    if not isinstance(dataset_id, str) or not _ID.match(dataset_id):
        raise ValueError(f"{dataset_id!r} is not a workspace id (lower-case letters, digits, '-' and '_').")
    return dataset_id


def save_dataset(
    frame: pd.DataFrame,
    *,
    name: str,
    kind: str,
    source: str,
    features: str | None = None,
    vocabulary: Vocabulary | None = None,
    extra: dict | None = None,
    dataset_id: str | None = None,
    events: MatchEvents | None = None,
) -> DatasetInfo:
    """Store a validated frame with its sidecar (and vocabulary, and match events) and return the sidecar.

    Args:
        frame: rows in the t20.csv schema, optionally with metadata columns.
        name: the name users see; the id is derived from it unless `dataset_id` is given.
        kind: one of KINDS.
        source: where the rows came from, in words.
        features: feature variant, for Cricsheet imports and the simulated sample.
        vocabulary: player names behind the indices, when known.
        extra: anything else worth keeping (run id, settings).
        dataset_id: a fixed id, e.g. for the cached sample; replaces an existing dataset of that id.
        events: the rows' matches as delivery events (an import's or the sample's `ImportResult.events`), for the
            matches engine; None when the source had none.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}.")
    dataset_id = check_id(dataset_id or new_id(name))
    counts = summarize(frame)
    info = DatasetInfo(
        id=dataset_id,
        name=name,
        kind=kind,
        source=source,
        features=features,
        created=datetime.now(UTC).isoformat(timespec="microseconds"),
        rows=counts.rows,
        matches=counts.matches,
        batters=counts.batters,
        bowlers=counts.bowlers,
        won_share=counts.won_share,
        extra=dict(extra or {}),
    )
    folder = _datasets()
    if vocabulary is not None:
        files.write_text(folder / f"{dataset_id}.players.json", json.dumps(vocabulary.to_json()))
    with files.atomic_path(folder / f"{dataset_id}.parquet") as tmp:
        frame.reset_index(drop=True).to_parquet(tmp, index=False)
    _save_events(folder / f"{dataset_id}.events", events)
    # The sidecar goes last: a dataset without one is not listed, so a crash mid-save leaves nothing visible.
    files.write_text(folder / f"{dataset_id}.json", json.dumps(asdict(info), indent=1))
    return info


def _save_events(target: Path, events: MatchEvents | None) -> None:
    """Write the events folder whole (staged, then moved into place); without events, remove an older one, so that
    a dataset replaced under the same id does not keep the events of the rows it replaced."""
    if events is None:
        shutil.rmtree(target, ignore_errors=True)
        return
    with files.staged_dir(target) as folder:
        for table in _EVENT_TABLES:
            getattr(events, table).to_parquet(folder / f"{table}.parquet", index=False)
        (folder / _EVENTS_META).write_text(json.dumps({"source": events.source, "notes": events.notes}, indent=1))


def load_events(dataset_id: str) -> MatchEvents | None:
    """The match events stored with a dataset, or None when it was saved without (a t20.csv upload, synthetic rows);
    lib.data.events.events_for then rebuilds them from the rows."""
    folder = _datasets() / f"{check_id(dataset_id)}.events"
    if not (folder / _EVENTS_META).is_file():
        return None
    meta = json.loads((folder / _EVENTS_META).read_text())
    tables = {table: pd.read_parquet(folder / f"{table}.parquet") for table in _EVENT_TABLES}
    return MatchEvents(**tables, source=meta["source"], notes=list(meta["notes"]))


def list_datasets(kind: str | None = None) -> list[DatasetInfo]:
    """Stored datasets, newest first; `kind` filters."""
    infos = []
    for sidecar in _datasets().glob("*.json"):
        if sidecar.name.endswith(".players.json") or not (sidecar.with_suffix(".parquet")).exists():
            continue
        try:
            info = _read_info(sidecar)
        except (ValueError, TypeError):
            continue  # a foreign or damaged file; not ours to show
        if kind is None or info.kind == kind:
            infos.append(info)
    # Parsed, not compared as text: sidecars written before microseconds were kept hold whole seconds, and two
    # datasets saved within one second (the sample, then an upload) must still list the newer first.
    return sorted(infos, key=lambda info: datetime.fromisoformat(info.created), reverse=True)


def dataset_info(dataset_id: str) -> DatasetInfo:
    sidecar = _datasets() / f"{check_id(dataset_id)}.json"
    if not sidecar.exists():
        raise NotFound(f"No dataset {dataset_id!r} in the workspace {root()}.")
    return _read_info(sidecar)


_OLD_EXTRA_KEYS = {"synthesizer": "synthesizer_id", "real_dataset": "real_id", "real_dataset_checked": "real_id"}
"""Names that sidecars written before one name per concept use, and the name each now has."""


def _read_info(sidecar: Path) -> DatasetInfo:
    data = json.loads(sidecar.read_text())
    extra = data.get("extra") or {}
    data["extra"] = {_OLD_EXTRA_KEYS.get(key, key): value for key, value in extra.items()}
    return DatasetInfo(**data)


def load_dataset(dataset_id: str) -> pd.DataFrame:
    """The rows of a stored dataset."""
    dataset_info(dataset_id)
    return pd.read_parquet(_datasets() / f"{dataset_id}.parquet")


def load_vocabulary(dataset_id: str) -> Vocabulary | None:
    """The player vocabulary stored with a dataset, or None when it had no player names."""
    path = _datasets() / f"{check_id(dataset_id)}.players.json"
    return Vocabulary.load(path) if path.exists() else None


def dataset_columns(dataset_id: str) -> list[str]:
    """Column names of a stored dataset, read from the Parquet footer without loading rows."""
    import pyarrow.parquet as pq

    return pq.read_schema(dataset_path(dataset_id)).names


def dataset_path(dataset_id: str) -> Path:
    return _datasets() / f"{check_id(dataset_id)}.parquet"


def rename_dataset(dataset_id: str, name: str) -> DatasetInfo:
    info = dataset_info(dataset_id)
    info.name = name.strip() or info.name
    files.write_text(_datasets() / f"{dataset_id}.json", json.dumps(asdict(info), indent=1))
    return info


def artifact_root(kind: str) -> Path:
    """Folder of one kind of artifact ("synthesizers", "wp"), created on first use."""
    path = root() / "artifacts" / slug(kind)
    path.mkdir(parents=True, exist_ok=True)
    return path


def artifact_dir(kind: str, artifact_id: str) -> Path:
    """The folder of a finished artifact; raises NotFound when there is none."""
    path = artifact_root(kind) / check_id(artifact_id)
    if not path.is_dir():
        raise NotFound(f"No {kind} artifact {artifact_id!r} in the workspace {root()}.")
    return path


def list_artifacts(kind: str) -> list[str]:
    """Ids of finished artifacts of a kind, newest first (unfinished ones live under dot-names)."""
    folders = [p for p in artifact_root(kind).iterdir() if p.is_dir() and not p.name.startswith(".")]
    return [p.name for p in sorted(folders, key=lambda p: p.stat().st_mtime, reverse=True)]
