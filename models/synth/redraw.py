"""Rows within the cricket rules' bounds (lib.data.rules: wickets, balls and the result in range, known players)
and the observed bounds: the reject-and-redraw loop every row engine uses. The identities between a row's columns
(lib.quality.coherence) are not enforced: a row can pass every bound and still not be a delivery that could
happen.

An engine only says how it draws candidate rows (`Draw`); the redraw loop rounds the integer columns, checks each
row against the rules (lib.data.rules), keeps those that obey them, draws again until enough are kept, counts
per rule what was broken, and clips the numeric columns to the bounds observed in the training data. SDV's
``BaseSynthesizer`` owns its reject sampling the same way, apart from its engines.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from lib.data.rules import CricketRules
from lib.data.schema import INTEGER_COLUMNS, MODEL_COLUMNS, NUMERIC_COLUMNS
from models.synth.base import SampleReport, SamplingError

MAX_DRAWS_PER_ROW = 20
"""Give up when this many rows per requested row were generated and still too few obey the rules."""

Draw = Callable[[int], dict[str, np.ndarray]]
"""draw(missing) -> candidate rows, column name -> (k,) values in the model's units, k >= 1. An engine may draw
more than `missing` (whole batches); rows past the last one needed are neither kept nor counted."""


def sample_valid(draws: list[Draw], n: int, rng: np.random.Generator, rules: CricketRules,
                 bounds: dict[str, tuple]) -> tuple[pd.DataFrame, SampleReport]:
    """`n` rows that obey `rules`, an equal share from each of `draws`, shuffled together and clipped to `bounds`.

    Args:
        draws: one candidate source per independent part of the model (CTGAN's shards), >= 1.
        n: rows wanted, >= 0.
        rng: shuffles the pooled rows; the same generator the draws use makes the sample repeatable.
        rules: the cricket rules with the training data's players.
        bounds: numeric column -> (lowest, highest) value observed in the training data (`observed_bounds`).

    Returns:
        (frame, report): the rows in t20.csv column order and dtypes, and what sampling did.

    Raises:
        ValueError: `n` is not a whole number >= 0.
        SamplingError: too few generated rows obey the rules.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"rows to sample must be a whole number >= 0, not {n!r}.")
    quotas = np.full(len(draws), n // len(draws))
    quotas[: n % len(draws)] += 1
    report = SampleReport(rows=int(n), generated=0, redrawn_share=0.0)
    parts = [redraw(draw, int(quota), rules, report) for draw, quota in zip(draws, quotas)]
    frame = pd.concat(parts, ignore_index=True) if parts else empty_rows()
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    report.redrawn_share = 1 - n / report.generated if report.generated else 0.0
    return clip(frame, bounds), report


def redraw(draw: Draw, rows: int, rules: CricketRules, report: SampleReport) -> pd.DataFrame:
    """`rows` rows from `draw` that obey `rules`, in the order drawn; adds what was generated and broken to
    `report` (its `generated` and `broken`).

    Raises:
        SamplingError: MAX_DRAWS_PER_ROW rows per requested row were generated and too few obeyed the rules.
    """
    kept, missing, generated = [], rows, 0
    while missing > 0:
        if generated >= MAX_DRAWS_PER_ROW * max(rows, 1):
            raise SamplingError(
                f"only {rows - missing} of {generated} generated rows obey the cricket rules; "
                "the model is undertrained. Train for more epochs or on more rows."
            )
        frame = as_rows(draw(missing))
        checks = rules.checks(frame)
        valid = np.logical_and.reduce(list(checks.values()))
        examined = min(len(frame), int(np.searchsorted(np.cumsum(valid), missing)) + 1)
        for rule, obeyed in checks.items():
            report.broken[rule] = report.broken.get(rule, 0) + int((~obeyed[:examined]).sum())
        kept.append(frame[:examined][valid[:examined]])
        generated += examined
        missing -= int(valid[:examined].sum())
    report.generated += generated
    return pd.concat(kept, ignore_index=True) if kept else empty_rows()


def as_rows(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """The ten t20.csv model columns of `columns` (name -> values) in order, integer columns rounded to int64."""
    frame = pd.DataFrame({name: columns[name] for name in MODEL_COLUMNS})
    for column in INTEGER_COLUMNS:
        frame[column] = np.rint(frame[column].to_numpy(np.float64)).astype(np.int64)
    return frame


def empty_rows() -> pd.DataFrame:
    """No rows, in the t20.csv model columns and dtypes."""
    return as_rows({name: np.zeros(0) for name in MODEL_COLUMNS})


def observed_bounds(frame: pd.DataFrame) -> dict[str, tuple]:
    """Numeric column -> (lowest, highest) value in `frame`, as plain Python numbers."""
    return {column: (frame[column].min().item(), frame[column].max().item()) for column in NUMERIC_COLUMNS}


def clip(frame: pd.DataFrame, bounds: dict[str, tuple]) -> pd.DataFrame:
    """`frame` with each bounded column clipped to its (lowest, highest) value, in place; returns it."""
    for column, (low, high) in bounds.items():
        frame[column] = frame[column].clip(low, high)
    return frame
