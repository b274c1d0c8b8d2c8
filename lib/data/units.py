"""Sizes, durations and scores written for people, the same way on every page, command and message."""

from __future__ import annotations

import math

GIB = 2**30
"""Bytes in a GiB."""


def gib(size: float | None, digits: int = 1) -> str:
    """`size` bytes in GiB, e.g. "1.2 GiB"; "–" when unknown."""
    return "–" if size is None else f"{size / GIB:.{digits}f} GiB"


def byte_size(count: int) -> str:
    """A byte count in the largest unit that keeps it at 1 or more: "3.5 MiB", "512 bytes"."""
    for unit, scale in (("GiB", GIB), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count:,} bytes"


def score_text(value: float | None, digits: int = 3) -> str:
    """A score with `digits` decimals, "—" when undefined (None, NaN), and without a minus sign when it rounds to
    zero: a position of -0.0004 reads "0.00", not "-0.00"."""
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def duration(seconds: float | None) -> str:
    """A duration: "2.9 s" under ten seconds, "42 s" under a minute and a half, then "3 min 05 s", "1 h 02 min";
    "–" when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 90:
        return f"{round(seconds)} s"
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {rest:02d} s"


def duration_change(seconds: float | None) -> str:
    """A difference of durations with its sign: "+3.1 s", "-1 min 05 s"; "–" when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    return f"{'-' if seconds < 0 else '+'}{duration(abs(seconds))}"
