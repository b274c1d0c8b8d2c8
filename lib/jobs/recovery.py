"""Keeping the run store usable: damage detected at open, the damaged file moved aside, runs restored from the
rolling backup and rebuilt from the artifacts on disk, and a notice until the user has seen it.

A store is damaged when it is empty (0 bytes: the store is only ever created whole, by a rename, so an empty one
was truncated), does not start with SQLite's header, or fails SQLite's ``PRAGMA quick_check``. It is then
renamed to ``runs.damaged-<UTC time>.sqlite`` beside a ``.txt`` saying what happened; the notice shows on every
page and command while that file is there.

Recovery first copies the rolling backup (``runs.backup.sqlite``, refreshed with SQLite's backup API whenever a
run ends), then adds every finished run that the artifacts describe and the store lacks: each stored
synthesizer (``synthesizer.json``, with the synthetic sets made from it), each comparison (``report.json``).
Runs that had not finished, and the loss curves of runs newer than the backup, cannot be rebuilt.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from lib.data import files, workspace
from lib.jobs.kinds import SYNTH, WP_COMPARE
from models.synth.engines import MODEL_FILE, engine_of

BACKUP_NAME = "runs.backup.sqlite"
DAMAGED_PREFIX = "runs.damaged-"
_HEADER = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm")
"""SQLite's write-ahead log and shared-memory index, which travel with the store file."""


def problem(store_file: Path) -> str:
    """What is wrong with a store file, in words; "" when it is sound (or absent)."""
    if not store_file.exists():
        return ""
    if store_file.is_dir():
        return "it is a folder, not an SQLite database file"
    if store_file.stat().st_size == 0:
        return "it is empty (0 bytes), as a truncated file is"
    with store_file.open("rb") as stream:
        if stream.read(len(_HEADER)) != _HEADER:
            return "it does not start with SQLite's header, so it is not a database or was overwritten"
    try:
        connection = sqlite3.connect(f"file:{store_file}?mode=ro", uri=True, timeout=30)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.OperationalError:
        return ""  # busy or locked: another process holds it, which says nothing about damage
    except sqlite3.DatabaseError as error:
        return f"SQLite cannot read it ({error})"
    return "" if verdict == "ok" else f"SQLite's integrity check failed ({verdict})"


def create(store_file: Path, schema: str) -> None:
    """Create the store whole: written under a temporary name and linked into place, so that no other process
    ever opens a half-made (or 0-byte) store; a store that appeared meanwhile is kept."""
    tmp = store_file.with_name(f".tmp-{uuid.uuid4().hex}-{store_file.name}")
    try:
        connection = sqlite3.connect(tmp)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(schema)
        finally:
            connection.close()
        try:
            os.link(tmp, store_file)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: a plain rename, under the caller's lock
            if not store_file.exists():
                os.replace(tmp, store_file)
    finally:
        for suffix in ("", *_SIDE_FILES):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


@contextmanager
def exclusive(store_file: Path):
    """Hold a lock file beside the store while checking or repairing it, so two processes never both move it."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; repairs there run unguarded
        yield
        return
    with open(store_file.with_name("runs.lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def recover(store_file: Path, reason: str, schema: str) -> Path:
    """Move a damaged store aside, restore the backup or start empty, rebuild runs from the artifacts, and
    leave the notice. Returns the path the damaged file was moved to."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    aside = store_file.with_name(f"{DAMAGED_PREFIX}{stamp}-{uuid.uuid4().hex[:4]}.sqlite")
    for suffix in ("", *_SIDE_FILES):
        if Path(f"{store_file}{suffix}").exists():
            os.replace(f"{store_file}{suffix}", f"{aside}{suffix}")
    restored = _restore_backup(store_file)
    if not restored:
        create(store_file, schema)
    rebuilt = rebuild(store_file)
    source = "restored the backup of " + restored + " and" if restored else "started an empty store and"
    message = (f"The run store {store_file.name} was damaged ({reason}); it was moved aside to {aside.name} in "
               f"{store_file.parent}. Crease Lab {source} rebuilt {rebuilt} finished run(s) from the models and "
               f"reports on disk. Delete {aside.name} to dismiss this note.")
    aside.with_suffix(".txt").write_text(message + "\n")
    return aside


def notice(root: Path) -> str:
    """The newest damage notice of a workspace, while its moved-aside store is still there; "" otherwise."""
    notes = sorted(root.glob(f"{DAMAGED_PREFIX}*.txt"))
    for note in reversed(notes):
        if note.with_suffix(".sqlite").exists():
            return note.read_text().strip()
    return ""


def backup(store_file: Path) -> None:
    """Refresh the rolling backup with SQLite's online backup API; written aside and renamed into place."""
    _copy_database(store_file, store_file.with_name(BACKUP_NAME))


def _restore_backup(store_file: Path) -> str:
    """Copy a sound backup onto the (moved-aside) store's place; returns its time in words, or "" when none."""
    saved = store_file.with_name(BACKUP_NAME)
    if not saved.exists() or problem(saved):
        return ""
    _copy_database(saved, store_file, wal=True)
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(saved.stat().st_mtime))


def _copy_database(source_file: Path, target: Path, wal: bool = False) -> None:
    """Copy an SQLite database with its backup API (consistent while others write to it) onto `target`
    atomically; `wal` switches the copy to WAL journaling, as the run store uses."""
    with files.atomic_path(target) as tmp:
        source, copy = sqlite3.connect(source_file, timeout=30), sqlite3.connect(tmp)
        try:
            source.backup(copy)
            if wal:
                copy.execute("PRAGMA journal_mode=WAL")
        finally:
            copy.close()
            source.close()


def rebuild(store_file: Path) -> int:
    """Insert a finished run for every stored synthesizer and comparison the store lacks; returns how many."""
    runs = _synthesizer_runs() + _comparison_runs()
    connection = sqlite3.connect(store_file, timeout=30)
    try:
        with connection:
            before = connection.total_changes
            for run in runs:
                columns = ", ".join(run)
                marks = ", ".join("?" for _ in run)
                connection.execute(f"INSERT OR IGNORE INTO runs ({columns}) VALUES ({marks})", tuple(run.values()))
            return connection.total_changes - before
    finally:
        connection.close()


def _finished_run(run_id: str, kind: str, title: str, params: dict, result: dict, when: float, seconds) -> dict:
    """The columns of one rebuilt run, done, ending at `when` (the artifact's time) after `seconds`."""
    started = when - (seconds or 0)
    return {"id": run_id, "kind": kind, "task": kind, "title": f"{title} (rebuilt from disk)",
            "params": json.dumps(params), "state": "done", "created": started, "started": started,
            "finished": when, "progress": 1.0, "result": json.dumps(result)}


def _synthesizer_runs() -> list[dict]:
    """A run per stored synthesizer whose first synthetic set is still stored (the Synthesize page shows a run
    through that set); one without a set stays usable by its folder but is not listed."""
    made = {}
    for info in sorted(workspace.list_datasets("synthetic"), key=lambda info: info.created):
        made.setdefault(info.extra.get("synthesizer_id"), info)
    runs = []
    for folder, meta in _artifacts(workspace.SYNTHESIZERS, MODEL_FILE):
        sample = made.get(folder.name)
        if sample is None or not sample.extra.get("real_id"):
            continue
        try:
            engine = engine_of(folder)
        except ValueError:  # a file no engine of this version reads: nothing to rebuild a run from
            continue
        stats, config = meta.get("stats") or {}, meta.get("config") or {}
        params = {"engine": engine, "config": config, "real_id": sample.extra["real_id"], "rows": sample.rows,
                  "name": sample.name}
        result = {"synthesizer_id": folder.name, "engine": engine, "stats": stats, "dataset": sample.id,
                  "rows": sample.rows, "redrawn_share": sample.extra.get("redrawn_share") or 0.0}
        seconds = (stats.get("seconds_per_epoch") or 0) * (config.get("epochs") or 0)
        when = (folder / MODEL_FILE).stat().st_mtime
        runs.append(_finished_run(folder.name, SYNTH, f"synthesizer {folder.name}", params, result, when, seconds))
    return runs


def _comparison_runs() -> list[dict]:
    """A run per stored comparison report, with the settings the report carries."""
    runs = []
    for folder, report in _artifacts(workspace.COMPARISONS, "report.json"):
        params = {key: report.get(key) for key in ("real_id", "synthetic_id", "split", "config")}
        params["seeds"] = len(report.get("seeds") or [])
        result = {"report": folder.name, "models": report.get("models", {}), "test_matches": report.get("test_matches")}
        when = (folder / "report.json").stat().st_mtime
        runs.append(_finished_run(folder.name, WP_COMPARE, f"comparison {folder.name}", params, result, when, None))
    return runs


def _artifacts(kind: str, marker: str) -> list[tuple[Path, dict]]:
    """(folder, its marker file's JSON) of each finished artifact of a kind; unreadable ones are left out."""
    found = []
    for name in workspace.list_artifacts(kind):
        path = workspace.artifact_root(kind) / name / marker
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            found.append((path.parent, data))
    return found
