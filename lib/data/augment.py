"""Augmenting real training rows with synthetic rows, for the win-probability comparison and for download.

A ratio R means R synthetic rows per real training row; for a synthetic set of whole matches (a matchId column, as
the matches engine writes), R synthetic matches per real training match, each taken whole. Synthetic rows only ever
join a training set: the validation and test rows stay real (lib.data.splits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.data.schema import BATTER, BOWLER, INNINGS, MATCH_ID, MODEL_COLUMNS
from lib.data.validation import validate
from lib.data.vocabulary import Vocabulary

MAX_REPEATS = 3.0
"""Uses per synthetic row above which a draw with replacement is warned about: a model then sees the same few rows
again and again and learns them, not the game."""


@dataclass(frozen=True)
class Repeats:
    """How often each synthetic row is used when `wanted` rows are drawn from a set of `available`.

    Attributes:
        wanted: synthetic rows (or matches) one training set needs (ratio x real training rows, or matches).
        available: rows (or matches) the synthetic set holds.
        unit: "rows", or "matches" for a set of whole matches.
        rows_per_match: mean rows of the set's matches, when known: the sentence then says the rows a draw of
            matches gives.
    """

    wanted: int
    available: int
    unit: str = "rows"
    rows_per_match: float | None = None

    @property
    def per_row(self) -> float:
        """Mean uses of each synthetic row, >= 0; 1 or less means no row is used twice."""
        return self.wanted / self.available if self.available else math.inf

    @property
    def too_many(self) -> bool:
        return self.per_row > MAX_REPEATS

    @property
    def missing(self) -> int:
        """Rows to generate so that no row is used twice."""
        return max(self.wanted - self.available, 0)

    @property
    def rows(self) -> int | None:
        """Rows the draw gives: `wanted` rows, or about `wanted` x `rows_per_match` for matches, to the hundred
        (None unknown)."""
        if self.unit == "rows":
            return self.wanted
        return None if self.rows_per_match is None else int(round(self.wanted * self.rows_per_match, -2))

    def sentence(self) -> str:
        """The draw in words: how many rows (or matches, and about how many rows), from how many, each used how
        often: "300 synthetic matches (about 71,400 rows) of 1,000, each used once at most"."""
        if self.unit == "rows":
            if self.per_row <= 1:
                return f"{self.wanted:,} of {self.available:,} synthetic rows, each used once at most"
            return (f"{self.wanted:,} rows drawn with replacement from {self.available:,} synthetic rows: "
                    f"each used about {self.per_row:.1f} times")
        rows = "" if self.rows is None else f" (about {self.rows:,} rows)"
        if self.per_row <= 1:
            return f"{self.wanted:,} synthetic {self.unit}{rows} of {self.available:,}, each used once at most"
        return (f"{self.wanted:,} synthetic {self.unit}{rows} drawn with replacement from {self.available:,}: "
                f"each used about {self.per_row:.1f} times")


def repeats(real_train: int, available: int, ratio: float, unit: str = "rows",
            rows_per_match: float | None = None) -> Repeats:
    """How often each synthetic row (or match, with unit "matches") is used at `ratio` synthetic rows per real
    training row (or matches per real training match); `rows_per_match` as in Repeats."""
    return Repeats(round(check_ratio(ratio) * real_train), available, unit, rows_per_match)


def whole_matches(synthetic: pd.DataFrame) -> bool:
    """Whether a synthetic set holds whole matches (a matchId column), so that it is drawn match by match."""
    return MATCH_ID in synthetic


@dataclass(frozen=True)
class SyntheticDraw:
    """Synthetic rows drawn for one training set.

    Attributes:
        rows: the drawn rows, the ten t20.csv columns.
        with_replacement: True when more rows were wanted than the synthetic set holds.
        note: the draw in words, for reports.
    """

    rows: pd.DataFrame
    with_replacement: bool
    note: str


def check_ratio(ratio: float) -> float:
    """`ratio` as a float, or a ValueError when it is not a finite number >= 0."""
    try:
        value = float(ratio)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(
            f"An augmentation ratio is the number of synthetic rows per real training row: a number >= 0 "
            f"(0 = real rows only); got {ratio!r}."
        )
    return value


def check_synthetic(
    real: pd.DataFrame, synthetic: pd.DataFrame, name: str = "the synthetic set", vocabulary: Vocabulary | None = None
) -> pd.DataFrame:
    """Validate a synthetic set against the real data it is meant to augment.

    Args:
        real: the validated real deliveries.
        synthetic: rows with the ten t20.csv columns (other columns are ignored).
        name: what to call the synthetic set in messages.
        vocabulary: the real data's players, when known; otherwise the real data's largest indices are the limit.

    Returns:
        The synthetic rows, ten t20.csv columns with canonical types, after matchId and innings when the set has
        them (whole matches).

    Raises:
        ValueError: a column is missing or malformed, or a player index lies outside the real data's players.
    """
    checked = validate(synthetic, name, require_matches=False, keep_extra=True)
    rows = checked[[c for c in (MATCH_ID, INNINGS) if c in checked] + MODEL_COLUMNS]
    source = "the real data's player vocabulary" if vocabulary else "the real data"
    limits = {
        BATTER: len(vocabulary.batters) if vocabulary else int(real[BATTER].max()),
        BOWLER: len(vocabulary.bowlers) if vocabulary else int(real[BOWLER].max()),
    }
    for column, limit in limits.items():
        beyond = rows[column].to_numpy() > limit
        if beyond.any():
            raise ValueError(
                f"{name}, column {column}: {int(beyond.sum()):,} row(s) (first: row {int(np.argmax(beyond)) + 1}) "
                f"have player indices above {limit}, the largest in {source}. The synthetic set was made "
                "from other data: generate it with a synthesizer trained on this dataset."
            )
    return rows


def draw_synthetic(synthetic: pd.DataFrame, rows: int, seed: int) -> SyntheticDraw:
    """Draw `rows` synthetic rows, without replacement when the set holds enough, else with replacement.

    Args:
        synthetic: rows as returned by `check_synthetic`.
        rows: how many to draw, >= 0.
        seed: seeds the draw.
    """
    available = len(synthetic)
    if rows > 0 and available == 0:
        raise ValueError("The synthetic set has no rows; generate synthetic rows before augmenting.")
    replace = rows > available
    picked = np.random.default_rng(seed).choice(available, size=rows, replace=replace) if rows else []
    drawn = synthetic.iloc[picked].reset_index(drop=True)
    how = (f"with replacement (the set is smaller than that; each row used about {rows / available:.1f} times)"
           if replace else "without replacement")
    return SyntheticDraw(drawn, replace, f"{rows:,} of {available:,} synthetic rows drawn {how}, seed {seed}")


def draw_matches(synthetic: pd.DataFrame, matches: int, seed: int) -> SyntheticDraw:
    """Draw `matches` whole synthetic matches, without replacement when the set holds enough, else with replacement.

    Args:
        synthetic: rows with a matchId column, as returned by `check_synthetic`.
        matches: how many, >= 0.
        seed: seeds the draw.

    Returns:
        The drawn matches' rows (ten t20.csv columns), match after match.
    """
    ids = pd.unique(synthetic[MATCH_ID].to_numpy())
    if matches > 0 and len(ids) == 0:
        raise ValueError("The synthetic set has no matches; generate synthetic matches before augmenting.")
    replace = matches > len(ids)
    picked = ids[np.random.default_rng(seed).choice(len(ids), size=matches, replace=replace)] if matches else ids[:0]
    groups = synthetic.groupby(MATCH_ID, sort=False).indices
    rows = np.concatenate([groups[match] for match in picked]) if matches else np.zeros(0, dtype=np.int64)
    drawn = synthetic.iloc[rows][MODEL_COLUMNS].reset_index(drop=True)
    how = (f"with replacement (the set is smaller than that; each match used about {matches / len(ids):.1f} times)"
           if replace else "without replacement")
    return SyntheticDraw(drawn, replace, f"{matches:,} synthetic matches ({len(drawn):,} rows) of {len(ids):,} drawn "
                                         f"{how}, seed {seed}")


def synthetic_flags(rows: pd.DataFrame, draw: SyntheticDraw | None) -> np.ndarray:
    """Which of `augment_rows`'s rows are synthetic (bool per row): the draw's rows, which come last."""
    drawn = 0 if draw is None else len(draw.rows)
    return np.arange(len(rows)) >= len(rows) - drawn


def augment_rows(
    real_train: pd.DataFrame, synthetic: pd.DataFrame | None, ratio: float, seed: int, keep_real: bool = True
) -> tuple[pd.DataFrame, SyntheticDraw | None]:
    """The rows one model trains on: real training rows plus `ratio` x as many synthetic rows.

    Args:
        real_train: real training rows (validation and test matches already removed), with matchId when the
            synthetic set holds whole matches.
        synthetic: rows as returned by `check_synthetic`, or None for real rows only.
        ratio: synthetic rows per real training row, >= 0; for whole matches, synthetic matches per real training
            match.
        seed: seeds the synthetic draw.
        keep_real: False trains on the synthetic draw alone (ratio 1 then matches the real row count).

    Returns:
        (rows, draw): the ten t20.csv columns, real rows first; draw is None when no synthetic row was wanted.
    """
    ratio = check_ratio(ratio)
    by_match = synthetic is not None and whole_matches(synthetic)
    wanted = round(ratio * (real_train[MATCH_ID].nunique() if by_match else len(real_train)))
    if synthetic is None or wanted == 0:
        if not keep_real:
            raise ValueError("Training on synthetic rows alone needs a synthetic set and a ratio above 0.")
        return real_train[MODEL_COLUMNS].reset_index(drop=True), None
    draw = draw_matches(synthetic, wanted, seed) if by_match else draw_synthetic(synthetic[MODEL_COLUMNS], wanted, seed)
    parts = [real_train[MODEL_COLUMNS], draw.rows] if keep_real else [draw.rows]
    return pd.concat(parts, ignore_index=True), draw
