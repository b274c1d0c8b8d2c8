"""The synthesizer engine interface: what every engine (CTGAN, the matches simulator) offers, and nothing else.

Shaped as SDV's ``BaseSynthesizer`` is for its engines: an engine trains (`train`), samples
(`sample_with_report`), saves and loads itself without pickle, estimates its cost before training, declares the
losses it reports each epoch (`loss_names`) and its settings dataclass (`config_class`). Engine-free work (the
cricket-rule checks and redraw, sample chunks, cost types, the torch runtime) lives beside this module, never in an
engine. The registry of engines is `models.synth.engines`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pandas as pd

ROWS, MATCHES = "rows", "matches"
"""What an engine writes: independent rows, or whole matches (rows with matchId and innings)."""


class SamplingError(ValueError):
    """The model produces too few rows that obey the cricket rules; training longer usually helps."""


@dataclass
class SampleReport:
    """What sampling did.

    Attributes:
        rows: rows returned.
        generated: rows generated, including those redrawn.
        redrawn_share: share of generated rows that broke a cricket rule and were redrawn, 0..1.
        broken: per rule, generated rows that broke it.
        matches: whole matches returned (engines that write matches), else 0.
    """

    rows: int
    generated: int
    redrawn_share: float
    broken: dict[str, int] = field(default_factory=dict)
    matches: int = 0


class Synthesizer(ABC):
    """A trained synthesizer of one engine.

    Class attributes every engine sets:
        name: the registry key and the value of ``--engine`` ("ctgan", "matches").
        title: how people call it ("CTGAN", "Matches simulator").
        summary: one line on what it does and what it needs, shown where the engine is chosen.
        config_class: its settings dataclass (frozen, JSON via to_json / from_json, checked by `check_config`).
        loss_names: the losses its epochs report, in EpochLog.losses order; charts and the CLI read these.
        writes: ROWS or MATCHES.

    Instance attributes:
        config: the settings it was trained with (a `config_class`).
        stats: measured facts of the run (seconds per epoch, peak RSS bytes, timings), JSON-ready.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    summary: ClassVar[str]
    config_class: ClassVar[type]
    loss_names: ClassVar[tuple[str, ...]]
    writes: ClassVar[str] = ROWS

    config: object
    stats: dict

    @classmethod
    @abstractmethod
    def train(cls, frame: pd.DataFrame, config=None, *, events=None, on_epoch=None, should_stop=None,
              checkpoint_dir=None, resume: bool = False, cache_dir=None, run_parts=None) -> Synthesizer:
        """Train on validated t20 rows (the standard split's training matches, as the caller chose them).

        Args:
            frame: validated t20 rows (lib.data.schema.load_t20); extra columns are ignored by row engines.
            config: a `config_class` instance; None for its defaults.
            events: the dataset's delivery events (lib.data.events.MatchEvents) when it has them; engines that
                learn from whole matches derive them from `frame` when None; row engines ignore them.
            on_epoch, should_stop: the progress protocol (models.progress).
            checkpoint_dir, resume: checkpoint every few epochs into this folder; continue the run there.
            cache_dir: a folder for caches that can be rebuilt; None keeps nothing on disk.
            run_parts: trains the engine's independent parts (CTGAN's shards) elsewhere (lib.jobs.cluster);
                None trains them here.
        """

    @classmethod
    @abstractmethod
    def estimate(cls, frame: pd.DataFrame, config=None, *, events=None, probe: bool = True, cache_dir=None):
        """The predicted cost of training on `frame` with `config`, before any training.

        Returns:
            An object with peak_bytes, available_bytes, seconds_per_epoch and total_seconds (None without a
            probe), suggestions, fits(), check_fits(), lines() (the estimate in a few lines of text) and
            to_json().
        """

    @abstractmethod
    def sample_with_report(self, n: int, seed: int | None = None) -> tuple[pd.DataFrame, SampleReport]:
        """At least `n` synthetic rows (exactly `n` for a row engine; whole matches until there are at least `n`
        rows for a match engine) in t20.csv column order and dtypes, and what sampling did. The same seed gives
        the same rows."""

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        """`n` synthetic rows; see `sample_with_report`."""
        return self.sample_with_report(n, seed)[0]

    @abstractmethod
    def save(self, folder: str | Path) -> Path:
        """Write the model into `folder` (weights plus ``synthesizer.json`` naming the engine), replacing it
        whole; returns the folder."""

    @classmethod
    @abstractmethod
    def load(cls, folder: str | Path, device: str = "cpu") -> Synthesizer:
        """Read a model written by `save`, without pickle."""

    @property
    def history(self) -> list[dict]:
        """Per finished epoch, the `loss_names` losses and "seconds" (all parts in order)."""
        return []
