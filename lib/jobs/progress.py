"""What a running job is doing, in words, and the time it has left at its pace so far; the pages' live panels and
their tests read these."""

from __future__ import annotations

import time

from lib.jobs.store import RUNNING, Run


def doing(run: Run, epochs: list[dict]) -> str:
    """What the job is doing now: its note when it has one (preparing, saving, sampling, scoring), else the last
    finished epoch of its current part, e.g. "real, seed 1/3: epoch 4 of 20 done".

    Args:
        run: the run as stored.
        epochs: its logged epochs, in order (lib.jobs.store.epochs); a logged epoch clears the run's note.
    """
    if run.message or not epochs:
        return run.message or ("starting" if run.state == RUNNING else run.state)
    last = epochs[-1]
    part = f"{last['stage']}: " if last["stage"] else ""
    return f"{part}epoch {last['epoch']} of {last['epochs']} done"


def seconds_left(run: Run, epochs: list[dict], now: float | None = None) -> float | None:
    """Seconds the job has left at the pace of its epochs so far, counted down from its last epoch; None when it
    cannot be told: before the first epoch, while it does something other than epochs (a note), or once it has
    run past what its pace predicted (a slow part, or the work after the last epoch).

    Args:
        run: the run; `progress` is the share of the whole job its epochs have finished, 0..1.
        epochs: its logged epochs, in order, with the time each was logged (epoch seconds).
        now: the time to count to; the clock when None.
    """
    if run.state != RUNNING or run.message or not epochs or run.started is None or not 0 < run.progress < 1:
        return None
    last = epochs[-1]["logged"]
    whole = (last - run.started) / run.progress
    left = whole * (1 - run.progress) - ((time.time() if now is None else now) - last)
    return left if left > 0 else None
