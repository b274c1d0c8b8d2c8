"""The synthesizer engine interface: what every engine (CTGAN, the matches simulator) offers, and nothing else.

Shaped as SDV's ``BaseSynthesizer`` is for its engines: an engine trains (`train`), samples
(`sample_with_report`), saves and loads itself without pickle, estimates its cost before training, declares the
losses it reports each epoch (`loss_names`) and its settings dataclass (`config_class`). Engine-free work (the
cricket-rule checks and redraw, sample chunks, cost types, the torch runtime) lives beside this module, never in an
engine. The registry of engines is `models.synth.engines`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol

import pandas as pd

from models.progress import OnEpoch, ShouldStop

ROWS, MATCHES = "rows", "matches"
"""What an engine writes: independent rows, or whole matches (rows with matchId and innings)."""


class DamagedModel(ValueError):
    """A model folder whose files were cut short or edited by hand: refused at load, naming the file and the
    problem, before anything is sampled (a tampered batch size once made sampling loop for minutes)."""

    def __init__(self, path, problem: str):
        super().__init__(f"{path} is damaged: {problem}. Train the synthesizer again (or restore the folder).")


def checked_model(path, load):
    """`load()` (an engine's reading of its model file at `path`), with any malformed content (a missing key, a
    wrong type, a setting its config refuses) raised as DamagedModel."""
    try:
        return load()
    except DamagedModel:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, RuntimeError) as error:
        problem = f"no {error}" if isinstance(error, KeyError) else str(error).split("\n")[0]
        raise DamagedModel(path, problem) from None


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


class RunParts(Protocol):
    """Runs the independent parts of a training (CTGAN's shards) elsewhere: lib.jobs.cluster runs each as a Ray
    task. An engine calls it with a module-level function, so that the part runs the same code as it would here.

    Attributes:
        cpus_per_task: CPUs each part gets; its torch threads when the settings name none.
        gpus: GPUs where the parts run, all machines together (0 without any).
    """

    cpus_per_task: int
    gpus: float

    def __call__(self, function: Callable, shared, items: list, *, gpu: bool = False, label: str = "part",
                 on_epoch: OnEpoch | None = None, should_stop: ShouldStop | None = None
                 ) -> Iterable[tuple[int, object]]:
        """Call function(shared, item, report) once per item elsewhere; yield (index of item, its result) as each
        finishes, in any order. `report(EpochLog)` reaches `on_epoch` here; `should_stop` cancels (raising
        models.progress.Cancelled); `gpu` asks one GPU per part; `label` names a part in messages."""


class Synthesizer(ABC):
    """A trained synthesizer of one engine.

    Class attributes every engine sets:
        name: the registry key and the value of ``--engine`` ("ctgan", "matches").
        title: how people call it ("CTGAN", "Matches simulator").
        summary: one line on what it does and what it needs, shown where the engine is chosen.
        config_class: its settings dataclass (frozen, JSON via to_json / from_json, refusing bad settings when made).
        loss_names: the losses its epochs report, in EpochLog.losses order; charts and the CLI read these.
        writes: ROWS or MATCHES.
        separate_stages: True when the stages its epochs report (EpochLog.stage) are models of their own, compared
            side by side (the matches engine's ball model and its state-only reference); False when they are parts
            of one training run in turn (CTGAN's shards). Charts draw the first from epoch 1 each, the second on one
            axis.

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
    separate_stages: ClassVar[bool] = False

    config: object
    stats: dict

    @classmethod
    @abstractmethod
    def train(cls, frame: pd.DataFrame, config=None, *, events=None, on_epoch=None, should_stop=None,
              checkpoint_dir=None, resume: bool = False, cache_dir=None, run_parts=None) -> Synthesizer:
        """Train on validated t20 rows (the standard split's training matches, as the caller chose them).

        Args:
            frame: validated t20 rows (lib.data.tables.load_t20); extra columns are ignored by row engines.
            config: a `config_class` instance; None for its defaults.
            events: the dataset's delivery events (lib.data.events.MatchEvents) when it has them; engines that
                learn from whole matches derive them from `frame` when None; row engines ignore them.
            on_epoch, should_stop: the progress protocol (models.progress).
            checkpoint_dir, resume: checkpoint every few epochs into this folder; continue the run there.
            cache_dir: a folder for caches that can be rebuilt; None keeps nothing on disk.
            run_parts: trains the engine's independent parts (CTGAN's shards) elsewhere (a `RunParts`,
                lib.jobs.cluster on Ray); None trains them here.

        Raises:
            ValueError: settings or data the engine refuses (NotEnoughMemory, models.synth.cost, for a run
                predicted not to fit), before any training.
            models.progress.Cancelled: `should_stop` said so.
        """

    @classmethod
    @abstractmethod
    def estimate(cls, frame: pd.DataFrame, config=None, *, events=None, probe: bool = True, cache_dir=None):
        """The predicted cost of training on `frame` with `config`, before any training.

        Returns:
            A models.synth.cost.CostEstimate (or the engine's subclass of it): peak_bytes, available_bytes,
            seconds_per_epoch and total_seconds (None without a probe), suggestions, fits, check_fits(), lines()
            (the estimate in a few lines of text) and to_json().

        Raises:
            ValueError: settings or data that `train` would refuse, with the same messages.
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
    def threads(self) -> int | None:
        """Torch CPU threads to sample with: the config's `threads`; None (every core) when it names none. Rows
        repeat bit for bit only at one thread count, so every chunk of a sample runs this many."""
        return getattr(self.config, "threads", None)

    @property
    def history(self) -> list[dict]:
        """Per finished epoch, the `loss_names` losses and "seconds" (all parts in order)."""
        return []
