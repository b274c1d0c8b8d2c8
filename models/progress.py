"""The progress protocol shared by every long-running step (synthesizer training, win-probability training).

A trainer takes two optional callables and knows nothing about jobs, pages or the run store:

- ``on_epoch(EpochLog)`` after every finished epoch;
- ``should_stop() -> bool`` polled between steps; when it returns True the trainer raises `Cancelled`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class EpochLog:
    """One finished epoch.

    Attributes:
        epoch: 1-based epoch number within `stage`.
        epochs: epochs planned for `stage`.
        seconds: wall-clock seconds the epoch took.
        losses: named losses, e.g. {"generator": 1.2, "discriminator": -0.3} or {"loss": .6, "val_loss": .62}.
        stage: which part of a multi-part job this is ("shard 2/12", "real, seed 1"); "" for a single part.
        step: 0-based index of `stage` among `stages`, for an overall progress bar.
        stages: number of parts in the whole job.
    """

    epoch: int
    epochs: int
    seconds: float
    losses: dict[str, float] = field(default_factory=dict)
    stage: str = ""
    step: int = 0
    stages: int = 1

    @property
    def fraction_done(self) -> float:
        """Share of the whole job finished, 0..1."""
        return min(1.0, (self.step + self.epoch / max(self.epochs, 1)) / max(self.stages, 1))


OnEpoch = Callable[[EpochLog], None]
ShouldStop = Callable[[], bool]


class Cancelled(Exception):
    """Raised by a trainer when `should_stop()` said so; the job is recorded as cancelled."""


def never() -> bool:
    return False


def ignore(_: EpochLog) -> None:
    return None
