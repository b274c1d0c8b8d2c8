"""What a training run will cost, in the terms every engine shares: peak memory against the memory available now,
seconds, settings that fit when the run does not, and the refusal a run that does not fit gets.

Each engine's `estimate` returns a `CostEstimate` (or a subclass adding what the engine knows: CTGAN's widths and
parameters); the command line prints its `lines()` and the pages read its fields, whatever the engine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import ClassVar

import psutil

from lib.data.units import duration, gib

MEMORY_HEADROOM = 0.9
"""Share of the available memory a run may plan to use."""


@dataclass
class Suggestion:
    """Settings that fit in memory, offered as one click: apply `changes` to the engine's config."""

    label: str
    changes: dict
    peak_bytes: int


class NotEnoughMemory(ValueError):
    """A run predicted to need more memory than is available; `suggestions` lists settings that fit."""

    def __init__(self, message: str, suggestions: list[Suggestion]):
        super().__init__(message)
        self.suggestions = suggestions


@dataclass(kw_only=True)
class CostEstimate:
    """The predicted cost of a run.

    Attributes:
        peak_bytes: predicted peak resident memory of the training process.
        available_bytes: memory available when estimated (psutil).
        seconds_per_epoch, total_seconds: predicted seconds of one epoch and of the whole run; None when not
            measured (no probe, or a run that does not fit).
        suggestions: settings that fit, when this run does not.
    """

    peak_bytes: int
    available_bytes: int
    seconds_per_epoch: float | None = None
    total_seconds: float | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    no_suggestion: ClassVar[str] = "much smaller settings"
    """What the refusal offers when no nearby settings fit."""

    @property
    def fits(self) -> bool:
        return fits(self.peak_bytes, self.available_bytes)

    def check_fits(self) -> None:
        """Raise NotEnoughMemory, with the suggestions, when the run does not fit."""
        if not self.fits:
            raise NotEnoughMemory(memory_message(self.peak_bytes, self.available_bytes, self.suggestions,
                                                 self.no_suggestion), self.suggestions)

    def to_json(self) -> dict:
        return {**asdict(self), "fits": self.fits}

    def lines(self) -> list[str]:
        """The estimate in a few lines of text: what the engine will build, memory, time, settings that fit."""
        lines = [*self.detail_lines(),
                 f"  peak memory about {gib(self.peak_bytes)} of {gib(self.available_bytes)} available"]
        if self.seconds_per_epoch is not None:
            lines.append(f"  about {self.seconds_per_epoch:.1f} s per epoch, {duration(self.total_seconds)} "
                         f"{self.total_words()}")
        lines += [f"  fits instead: {s.label} (about {gib(s.peak_bytes)})" for s in self.suggestions]
        return lines

    def detail_lines(self) -> list[str]:
        """The first lines of `lines()`: "estimate:" and what the engine will build (`facts`)."""
        facts = self.facts()
        return [f"estimate: {facts[0]}" if facts else "estimate:", *(f"  {fact}" for fact in facts[1:])]

    def facts(self) -> list[str]:
        """What the engine will build, a phrase a line ("22 training matches, 5,188 deliveries, ..."); the pages show
        them under the estimate. An engine's estimate says what it knows; none here."""
        return []

    def total_words(self) -> str:
        """What `total_seconds` covers, in words, after the total in `lines()`."""
        return "in all"


def available_bytes() -> int:
    """Memory available to a new run now, in bytes."""
    return int(psutil.virtual_memory().available)


def fits(peak: int, available: int) -> bool:
    """Whether a run of `peak` bytes fits in `available` bytes, with MEMORY_HEADROOM to spare."""
    return peak <= MEMORY_HEADROOM * available


def memory_message(peak: int, available: int, suggestions: list[Suggestion], otherwise: str) -> str:
    """Why a run of `peak` bytes is refused, and the settings that fit (`otherwise` when none was found)."""
    options = "; ".join(s.label for s in suggestions) or otherwise
    return (
        f"this run needs about {gib(peak)} of memory but {gib(available)} is available "
        f"(at most {MEMORY_HEADROOM:.0%} of it is planned for). Settings that fit: {options}."
    )
