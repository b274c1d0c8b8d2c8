"""The run store: state, progress, losses, estimate and result of every background job, in SQLite.

It lives in the workspace (``runs.sqlite``) so it survives page switches, browser reloads and app restarts.
Several processes use it at once (the app, job supervisors, job workers): WAL journaling and a busy timeout
keep their reads and writes from failing on each other, and every state change is one short transaction.
A damaged store is detected when it is opened, moved aside and rebuilt (lib.jobs.recovery); a rolling backup
is refreshed whenever a run ends.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lib.data import workspace
from lib.data.workspace import NotFound
from lib.jobs import recovery

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
ACTIVE_STATES = (QUEUED, RUNNING)
FINAL_STATES = (DONE, FAILED, CANCELLED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    task TEXT NOT NULL,
    title TEXT NOT NULL,
    params TEXT NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    supervisor_pid INTEGER,
    worker_pid INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    progress REAL NOT NULL DEFAULT 0,
    stage TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    estimate TEXT,
    result TEXT,
    error TEXT
);
CREATE TABLE IF NOT EXISTS epochs (
    run_id TEXT NOT NULL,
    step INTEGER NOT NULL,
    stage TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    epochs INTEGER NOT NULL,
    seconds REAL NOT NULL,
    losses TEXT NOT NULL,
    logged REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS epochs_by_run ON epochs (run_id, step, epoch);
"""


_initialised: set[str] = set()
"""Store files this process has checked (SQLite's quick_check) and whose tables it has created."""


class StoreDamaged(ValueError):
    """The run store could not be read; it has been moved aside and rebuilt, and the message says so."""


@dataclass
class Run:
    """One job as the store knows it."""

    id: str
    kind: str
    task: str
    """"module:function" the worker runs."""
    title: str
    params: dict
    state: str
    created: float
    started: float | None = None
    finished: float | None = None
    supervisor_pid: int | None = None
    worker_pid: int | None = None
    cancel_requested: bool = False
    progress: float = 0.0
    """Share of the whole job done, 0..1."""
    stage: str = ""
    message: str = ""
    estimate: dict | None = None
    result: dict | None = None
    error: str | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def seconds(self) -> float | None:
        """Wall-clock seconds from start to finish (or to now while running)."""
        if self.started is None:
            return None
        return (self.finished or time.time()) - self.started


def path() -> Path:
    return workspace.root() / "runs.sqlite"


def ensure_ready() -> Path:
    """Check the store once per process (every time for an empty or foreign file, which costs a stat), repair
    a damaged one, and create a missing one whole. Returns its path."""
    store_file = path()
    key = str(store_file)
    if key in _initialised and store_file.exists() and store_file.stat().st_size > 0:
        return store_file
    with recovery.exclusive(store_file):
        reason = recovery.problem(store_file)
        if reason:
            recovery.recover(store_file, reason, _SCHEMA)
        elif not store_file.exists():
            recovery.create(store_file, _SCHEMA)
        else:
            _create_tables(store_file)
    _initialised.add(key)
    return store_file


def _create_tables(store_file: Path) -> None:
    """Tables of a newer version missing from an older store are added (CREATE ... IF NOT EXISTS)."""
    connection = sqlite3.connect(store_file, timeout=30)
    try:
        connection.executescript(_SCHEMA)
    finally:
        connection.close()


@contextmanager
def connect(immediate: bool = False):
    """A connection in one transaction; `immediate` takes the write lock at once (for check-then-write).

    Raises:
        StoreDamaged: the store turned out damaged while in use; it has been moved aside and rebuilt.
    """
    connection = sqlite3.connect(ensure_ready(), timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA busy_timeout=30000")
        connection.row_factory = sqlite3.Row
        connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
        try:
            yield connection
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as error:
        # Only the plain DatabaseError means an unreadable file; its subclasses (locked, constraint) do not.
        if type(error) is not sqlite3.DatabaseError:
            raise
        connection.close()
        if not _repair():
            raise
        raise StoreDamaged(f"The run store was damaged while in use ({error}); {damage_notice()}") from None
    finally:
        connection.close()


def _repair() -> bool:
    """Check the store again after a read failed; move it aside and rebuild it when damaged. True if it was."""
    store_file = path()
    _initialised.discard(str(store_file))
    with recovery.exclusive(store_file):
        reason = recovery.problem(store_file)
        if reason:
            recovery.recover(store_file, reason, _SCHEMA)
    ensure_ready()
    return bool(reason)


def _repairing(function):
    """Run a store operation again, once, on the repaired store when it found the store damaged mid-session."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except StoreDamaged:
            return function(*args, **kwargs)

    return wrapper


def damage_notice() -> str:
    """What happened to a damaged run store and what was rebuilt, until the user deletes the moved-aside file;
    "" when nothing happened. Reads the notice only: the store is checked where it is opened (`ensure_ready`)."""
    return recovery.notice(workspace.root())


def check() -> str:
    """SQLite's full integrity check of the store without repairing it: "" when sound, else what is wrong."""
    store_file = path()
    if not store_file.exists():
        return ""
    reason = recovery.problem(store_file)
    if reason:
        return reason
    connection = sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=30)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return f"SQLite cannot read it ({error})"
    finally:
        connection.close()
    return "" if verdict == "ok" else f"SQLite's integrity check failed ({verdict})"


_OLD_KEYS = {"params": {"model_id": "synthesizer_id"}, "result": {"model": "synthesizer_id"}}
"""Names that runs stored before one name per concept use, and the name each now has."""


def _row_to_run(row: sqlite3.Row) -> Run:
    data = dict(row)
    for key in ("params", "estimate", "result"):
        data[key] = json.loads(data[key]) if data[key] else ({} if key == "params" else None)
        if key in _OLD_KEYS and isinstance(data[key], dict):
            data[key] = {_OLD_KEYS[key].get(name, name): value for name, value in data[key].items()}
    data["cancel_requested"] = bool(data["cancel_requested"])
    return Run(**data)


@_repairing
def insert(run_id: str, kind: str, task: str, title: str, params: dict, estimate: dict | None = None) -> Run:
    with connect() as db:
        db.execute(
            "INSERT INTO runs (id, kind, task, title, params, state, created, estimate) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, kind, task, title, json.dumps(params), QUEUED, time.time(),
             json.dumps(estimate) if estimate else None),
        )
    return get(run_id)


@_repairing
def get(run_id: str) -> Run:
    with connect() as db:
        row = db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise NotFound(f"No run {run_id!r} in the run store {path()}.")
    return _row_to_run(row)


@_repairing
def list_runs(kind: str | None = None, limit: int = 200) -> list[Run]:
    """Runs, newest first."""
    query = "SELECT * FROM runs" + (" WHERE kind = ?" if kind else "") + " ORDER BY created DESC LIMIT ?"
    with connect() as db:
        rows = db.execute(query, ((kind, limit) if kind else (limit,))).fetchall()
    return [_row_to_run(row) for row in rows]


@_repairing
def update(run_id: str, **fields) -> None:
    """Set columns of one run; dict values are stored as JSON."""
    if not fields:
        return
    values = [json.dumps(v) if isinstance(v, dict) else v for v in fields.values()]
    assignments = ", ".join(f"{name} = ?" for name in fields)
    with connect() as db:
        db.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*values, run_id))


@_repairing
def finish(run_id: str, state: str, *, result: dict | None = None, error: str | None = None) -> bool:
    """Move an active run to a final state; returns False (and changes nothing) if it had already ended."""
    with connect(immediate=True) as db:
        row = db.execute("SELECT state FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None or row["state"] in FINAL_STATES:
            return False
        db.execute(
            "UPDATE runs SET state = ?, finished = ?, result = COALESCE(?, result), error = ?,"
            " progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END WHERE id = ?",
            (state, time.time(), json.dumps(result) if result is not None else None, error, state, run_id),
        )
    _backup()
    return True


def _backup() -> None:
    """Refresh the rolling backup after a run ended; a failed backup never fails the run it follows."""
    try:
        recovery.backup(path())
    except (OSError, sqlite3.Error):
        pass  # the previous backup stays; the next run's end tries again


@_repairing
def claim_slot(run_id: str, max_running: int) -> int:
    """Start `run_id` if fewer than `max_running` runs are running, in one locked transaction.

    Returns:
        0 when the run is now running; otherwise how many runs are running or queued ahead of it.
    """
    with connect(immediate=True) as db:
        running = db.execute("SELECT COUNT(*) FROM runs WHERE state = ?", (RUNNING,)).fetchone()[0]
        mine = db.execute("SELECT created FROM runs WHERE id = ?", (run_id,)).fetchone()
        ahead = db.execute(
            "SELECT COUNT(*) FROM runs WHERE state = ? AND created < ?", (QUEUED, mine["created"])
        ).fetchone()[0]
        if running < max_running and ahead == 0:
            db.execute("UPDATE runs SET state = ?, started = ?, message = '' WHERE id = ?",
                       (RUNNING, time.time(), run_id))
            return 0
        return running + ahead


@_repairing
def log_epoch(run_id: str, *, step: int, stage: str, epoch: int, epochs: int, seconds: float, losses: dict,
              progress: float) -> None:
    """Record a finished epoch; the run's message (what it did before its epochs began) is cleared, so that the
    page says the epoch instead."""
    with connect() as db:
        db.execute(
            "INSERT INTO epochs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, step, stage, epoch, epochs, seconds, json.dumps(losses), time.time()),
        )
        db.execute("UPDATE runs SET progress = ?, stage = ?, message = '' WHERE id = ?", (progress, stage, run_id))


@_repairing
def epochs(run_id: str) -> list[dict]:
    """Every logged epoch of a run, in order: step, stage, epoch, epochs, seconds, logged (when it was recorded,
    epoch seconds), and one key per loss."""
    with connect() as db:
        rows = db.execute("SELECT * FROM epochs WHERE run_id = ? ORDER BY logged, step, epoch", (run_id,)).fetchall()
    return [
        {"step": r["step"], "stage": r["stage"], "epoch": r["epoch"], "epochs": r["epochs"], "seconds": r["seconds"],
         "logged": r["logged"], **json.loads(r["losses"])}
        for r in rows
    ]


@_repairing
def delete(run_id: str) -> None:
    with connect() as db:
        db.execute("DELETE FROM epochs WHERE run_id = ?", (run_id,))
        db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
