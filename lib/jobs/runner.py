"""Background jobs: each training runs in its own process, so a crash, an out-of-memory kill or a cancel never
takes the app down, and its state lives in the run store (lib.jobs.store), so nothing is lost on a page switch,
a reload or an app restart.

Two processes per job, both started detached from the app (their own session):

- the supervisor (``python -m lib.jobs.runner supervise RUN``) waits for a free slot (at most ``CREASE_MAX_JOBS``
  jobs run at once; others wait their turn with a visible message), starts the worker, waits for it, and records
  how it ended: a worker killed by SIGKILL is recorded as "killed (SIGKILL): most likely out of memory";
- the worker (``python -m lib.jobs.runner work RUN``) runs the job body, the plain function that
  lib.jobs.kinds.BODIES names for the run's kind.

Task queues such as huey, rq or celery need a broker or a consumer process to stay up beside the app, and none
records a worker's death by signal in a place the app can read after a restart; what is written here is that
bookkeeping only: process start and wait come from `subprocess`, liveness from psutil, storage from SQLite.
"""

from __future__ import annotations

import errno
import importlib
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import psutil

from lib.data import workspace
from lib.data.units import byte_size
from lib.jobs import store
from lib.jobs.kinds import BODIES
from lib.jobs.store import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Run
from models.peak_rss import process_peak_bytes
from models.progress import Cancelled, EpochLog
from models.training_process import training_env

MAX_JOBS_VAR = "CREASE_MAX_JOBS"
LOW_DISK_BYTES = 16 * 1024 * 1024
"""Free space below which a job that vanished is reported as stopped by a full disk."""
CANCEL_GRACE_SECONDS = 30
"""How long a worker may take to notice a cancel before the supervisor terminates it."""
_POLL_SECONDS = 0.5


def max_jobs() -> int:
    """Jobs allowed to run at once: one by default, as one training already uses every core.

    Raises:
        ValueError: $CREASE_MAX_JOBS is not a whole number of at least 1; checked by `submit` before any job
            starts, so that a bad setting is an error on the page rather than every job ending "lost".
    """
    setting = os.environ.get(MAX_JOBS_VAR, "1").strip()
    if not setting.isdigit() or int(setting) < 1:
        raise ValueError(f"${MAX_JOBS_VAR} is {setting!r}; set it to a whole number of at least 1 (jobs run at "
                         "once), or unset it for 1.")
    return int(setting)


def log_path(run_id: str) -> Path:
    folder = workspace.root() / "logs"
    folder.mkdir(exist_ok=True)
    return folder / f"{workspace.check_id(run_id)}.log"


def submit(kind: str, params: dict, title: str, estimate: dict | None = None, body: str | None = None) -> Run:
    """Record a job and start its supervisor; returns at once with the queued run.

    Args:
        kind: what the job is ("synth", "wp_compare", ...); pages list runs by kind.
        params: JSON-serialisable arguments of the task.
        title: what the user sees in run lists.
        estimate: the cost estimate shown before starting, kept for predicted-vs-actual.
        body: "module:function" to run, for a kind that lib.jobs.kinds.BODIES does not know (the job tests use
            this); a known kind always runs its own body.
    """
    if kind not in BODIES and body is None:
        raise ValueError(f"Unknown job kind {kind!r}; known: {', '.join(BODIES)}.")
    max_jobs()  # a bad setting is refused here, on the page, not in the detached supervisor
    task = body or kind
    run_id = f"{workspace.slug(kind)}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"
    store.insert(run_id, kind, task, title, params, estimate)
    supervisor = _spawn("supervise", run_id)
    store.update(run_id, supervisor_pid=supervisor.pid)
    return store.get(run_id)


def _spawn(role: str, run_id: str) -> subprocess.Popen:
    """Start a job process; the supervisor gets its own session so that stopping the app does not stop it,
    and the worker stays in the supervisor's session so that the two can be stopped together."""
    env = {**training_env(), workspace.ENV_VAR: str(workspace.root())}
    with open(log_path(run_id), "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "lib.jobs.runner", role, run_id],
            cwd=Path(__file__).resolve().parents[2],  # the repository root, where `-m lib.jobs.runner` resolves
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=role == "supervise",
        )


def cancel(run_id: str) -> None:
    """Ask a run to stop: a queued run is cancelled at once, a running one at its next step."""
    store.update(run_id, cancel_requested=1)
    if store.get(run_id).state == QUEUED:
        store.finish(run_id, CANCELLED, error="cancelled before it started")


def get(run_id: str) -> Run:
    """A run, with its state corrected if its processes have vanished."""
    return _reconcile(store.get(run_id))


def list_runs(kind: str | None = None) -> list[Run]:
    return [_reconcile(run) for run in store.list_runs(kind)]


def _reconcile(run: Run) -> Run:
    """Mark an active run whose processes are all gone as failed: with a full disk in the workspace (its likely
    cause: nothing could be written, not even the end), else as lost (machine or session restarted)."""
    if not run.active or run.supervisor_pid is None:
        return run
    if _alive(run.supervisor_pid, run.id) or (run.worker_pid and _alive(run.worker_pid, run.id)):
        return run
    error = "lost: its processes stopped without recording an end (the machine or the app's session was restarted)"
    free = shutil.disk_usage(workspace.root()).free
    if free < LOW_DISK_BYTES:
        error = (f"disk full: the workspace {workspace.root()} has {byte_size(free)} free, so the job could not "
                 "write its results; free some space, then run it again. Earlier runs are kept.")
    try:
        store.finish(run.id, FAILED, error=error)
    except sqlite3.OperationalError:  # the store cannot be written either (a full disk): say so without storing
        return replace(run, state=FAILED, error=error)
    return store.get(run.id)


def _alive(pid: int, run_id: str) -> bool:
    """True when process `pid` is a live job process of `run_id` (a reused pid runs something else)."""
    try:
        process = psutil.Process(pid)
        return process.status() != psutil.STATUS_ZOMBIE and run_id in process.cmdline()
    except psutil.Error:
        return False


def delete(run_id: str) -> None:
    """Forget a finished run and its log; its artifacts are removed by the caller that knows them."""
    run = get(run_id)
    if run.active:
        raise ValueError(f"Run {run_id} is still {run.state}; cancel it first.")
    store.delete(run_id)
    log_path(run_id).unlink(missing_ok=True)


def log_tail(run_id: str, lines: int = 40) -> str:
    path = log_path(run_id)
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


# --- inside the supervisor process -------------------------------------------------------------


def supervise(run_id: str) -> None:
    """Wait for a slot, run the worker, and record how it ended."""
    if not _wait_for_slot(run_id):
        return
    worker = _spawn("work", run_id)
    store.update(run_id, worker_pid=worker.pid)
    cancel_seen = None
    while worker.poll() is None:
        time.sleep(_POLL_SECONDS)
        if cancel_seen is None and store.get(run_id).cancel_requested:
            cancel_seen = time.time()
        if cancel_seen and time.time() - cancel_seen > CANCEL_GRACE_SECONDS:
            worker.terminate()
    _record_exit(run_id, worker.returncode, cancelled=cancel_seen is not None)


def _wait_for_slot(run_id: str) -> bool:
    while True:
        run = store.get(run_id)
        if run.state != QUEUED:
            return run.state == RUNNING
        if run.cancel_requested:
            store.finish(run_id, CANCELLED, error="cancelled before it started")
            return False
        waiting = store.claim_slot(run_id, max_jobs())
        if waiting == 0:
            return True
        store.update(run_id, message=f"waiting for its turn: {waiting} job(s) running or queued ahead")
        time.sleep(_POLL_SECONDS * 2)


def _record_exit(run_id: str, code: int, cancelled: bool) -> None:
    """The worker records its own success or error; this covers deaths it could not record."""
    if code == 0:
        store.finish(run_id, FAILED, error="the worker exited without recording a result")
        return
    if code < 0:
        name = signal.Signals(-code).name
        if cancelled:
            cause = f"cancelled (worker terminated by {name} after not stopping within {CANCEL_GRACE_SECONDS} s)"
            store.finish(run_id, CANCELLED, error=cause)
            return
        cause = "killed (SIGKILL): most likely out of memory" if -code == signal.SIGKILL else f"killed by {name}"
    else:
        cause = f"the worker exited with code {code}"
    store.finish(run_id, FAILED, error=cause)


# --- inside the worker process -----------------------------------------------------------------


@dataclass
class JobContext:
    """What a task gets besides its params: progress reporting and the cancel flag."""

    run_id: str
    _last_check: float = 0.0
    _cancelled: bool = False

    def on_epoch(self, log: EpochLog) -> None:
        store.log_epoch(self.run_id, step=log.step, stage=log.stage, epoch=log.epoch, epochs=log.epochs,
                           seconds=log.seconds, losses=log.losses, progress=log.fraction_done)

    def should_stop(self) -> bool:
        """Polled between training steps; reads the store at most every half second."""
        now = time.monotonic()
        if not self._cancelled and now - self._last_check > _POLL_SECONDS:
            self._last_check = now
            self._cancelled = store.get(self.run_id).cancel_requested
        return self._cancelled

    def note(self, message: str, progress: float | None = None) -> None:
        """A line for the user about what the job is doing now (and, optionally, its progress 0..1)."""
        fields = {"message": message} if progress is None else {"message": message, "progress": progress}
        store.update(self.run_id, **fields)


def body_of(run: Run):
    """The function a run executes: its kind's body, looked up by kind so that runs stored before a module moved
    still run; a kind BODIES does not know runs the "module:function" it was submitted with."""
    module, _, function = BODIES.get(run.kind, run.task).partition(":")
    if not function:
        raise ValueError(f"Run {run.id} is of kind {run.kind!r}, which this version does not know.")
    return getattr(importlib.import_module(module), function)


def work(run_id: str) -> None:
    """Run the body of `run_id` and record its result, its cancellation or its error."""
    run = store.get(run_id)
    try:
        body = body_of(run)
        result = body(run.params, JobContext(run_id)) or {}
    except Cancelled:
        store.finish(run_id, CANCELLED, error="cancelled by the user",
                     result={"peak_rss_bytes": process_peak_bytes()})
        return
    # Anything the body raises, a bug included, must end the run as failed with its cause in the store, or the
    # page would show it running until the supervisor's fallback "exited without recording a result".
    except BaseException as error:  # noqa: BLE001
        traceback.print_exc()
        store.finish(run_id, FAILED, error=failure_message(error))
        return
    store.finish(run_id, DONE, result={**result, "peak_rss_bytes": process_peak_bytes()})


def failure_message(error: BaseException) -> str:
    """How a job's error is recorded: a full disk or a read-only folder in words, with the path; else the error."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        where = f" while writing {error.filename}" if error.filename else f" in the workspace {workspace.root()}"
        return f"disk full{where}: free some space, then run it again; earlier runs and their results are kept."
    if isinstance(error, OSError) and error.errno == errno.EROFS:
        return f"read-only file system: {error.filename or workspace.root()} cannot be written."
    if isinstance(error, MemoryError):
        return "MemoryError: ran out of memory; pick smaller settings (the estimate says what fits)."
    return f"{type(error).__name__}: {error}"


if __name__ == "__main__":
    logging.getLogger("tensorflow").setLevel(logging.ERROR)  # retracing hints would crowd out the job log's lines
    role, run = sys.argv[1], sys.argv[2]
    {"supervise": supervise, "work": work}[role](run)
