"""Checking a frame against the t20.csv schema (lib.data.schema): columns, types, ranges and matches, each
refusal a SchemaError that names the file, row and column and says how to fix it; and what a valid frame holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.data.schema import (
    BALL_NUM,
    BATTER,
    BOWLER,
    FEATURE_VARIANTS,
    FIRST_INNINGS_RANGES,
    INNINGS,
    INTEGER_COLUMNS,
    MATCH_ID,
    MAX_PLAYER_INDEX,
    META_COLUMNS,
    MODEL_COLUMNS,
    PLAYER_COLUMNS,
    RANGES,
    UNKNOWN_PLAYER,
    WINNER,
    SchemaError,
)


@dataclass(frozen=True)
class Summary:
    """What a user wants to know about a dataset at a glance."""

    rows: int
    matches: int
    batters: int
    bowlers: int
    won_share: float
    """Share of rows where the batting side went on to win, 0..1."""
    matches_inferred: bool
    """True when there was no matchId column and matches were inferred from ballNum restarting at 1."""


def validate(
    table: pd.DataFrame,
    name: str = "the table",
    *,
    require_matches: bool = True,
    keep_extra: bool = False,
    features: str | None = None,
) -> pd.DataFrame:
    """Check a table against the t20.csv schema and return it with canonical column order and types.

    Args:
        table: a frame as read by `read_table`.
        name: file name used in messages.
        require_matches: demand at least two matches and both outcomes (real data); synthetic sets
            have no match structure, so their callers pass False.
        keep_extra: keep columns outside the schema (the Cricsheet importer's names and dates) instead
            of rejecting them.
        features: the feature variant the rows were computed with, whose `RANGES` apply; None (unknown, a
            user's own file) allows the union of the variants' ranges.

    Returns:
        A new frame: `matchId`, `innings` when present, then the ten model columns; integer columns
        as int64, the rest float64; then any kept extra columns.

    Raises:
        SchemaError: naming the column, the first bad row (1-based, as a spreadsheet counts data rows),
            the allowed range where one is broken, and how to fix it.
    """
    columns = [str(c).strip() for c in table.columns]
    table = table.set_axis(columns, axis=1)
    _check_columns(columns, name, keep_extra)
    if len(table) == 0:
        raise SchemaError(f"{name} has a header but no rows. Add at least two matches of deliveries.")
    out = {}
    for column in [c for c in META_COLUMNS if c in columns] + MODEL_COLUMNS:
        reader = _match_id_column if column == MATCH_ID else _numeric_column
        out[column] = reader(table[column], column, name)
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(table)))
    _check_ranges(frame, name, features)
    if require_matches:
        _check_matches(frame, name)
    if keep_extra:
        for column in columns:
            if column not in frame:
                frame[column] = table[column].to_numpy()
    return frame


def _check_columns(columns: list[str], name: str, keep_extra: bool) -> None:
    if len(set(columns)) != len(columns):
        twice = sorted({c for c in columns if columns.count(c) > 1})
        raise SchemaError(f"{name} has duplicate columns: {', '.join(twice)}. Keep one of each.")
    missing = [c for c in MODEL_COLUMNS if c not in columns]
    if missing:
        raise SchemaError(
            f"{name} is missing column(s) {', '.join(missing)}. A t20.csv has the columns "
            f"{', '.join(MODEL_COLUMNS)} (names are case-sensitive); found {', '.join(columns[:12])}."
        )
    unknown = [c for c in columns if c not in MODEL_COLUMNS and c not in META_COLUMNS]
    if unknown and not keep_extra:
        hint = " (it looks like a row-number column; write the file without an index)" if _looks_like_index(
            unknown[0]
        ) else ""
        raise SchemaError(
            f"{name} has unknown column(s) {', '.join(repr(c) for c in unknown[:5])}{hint}. Allowed: the ten "
            f"t20.csv columns plus optional {', '.join(META_COLUMNS)}. Remove or rename the others."
        )


def _looks_like_index(column: str) -> bool:
    return column == "" or column.startswith("Unnamed") or column.lower() in {"index", "x"}


def _match_id_column(values: pd.Series, column: str, name: str) -> np.ndarray:
    """Match ids as int64 when that keeps every distinct id distinct, else as text (see `ids_from_text`).

    Whole numbers are never taken through float64 (which merges ids above 2**53); integers beyond int64 and
    whole floats beyond it are kept as their text, never wrapped around."""
    _refuse_non_scalar(values, column, name)
    if not pd.api.types.is_numeric_dtype(values) and values.dtype != bool:
        text = values.astype(str)
        bad = np.flatnonzero((text.str.strip().eq("") | values.isna()).to_numpy())
        if bad.size:
            raise SchemaError(f"{name}, column {column}: row {bad[0] + 1} is empty. Every delivery needs its match id.")
        return ids_from_text(text.to_numpy(dtype=object))
    if pd.api.types.is_integer_dtype(values) and not values.isna().any():
        if values.dtype.kind == "u" and values.max() > np.iinfo(np.int64).max:
            return values.astype(str).to_numpy(dtype=object)
        return values.to_numpy(dtype=np.int64)
    numbers = _whole_numbers(_finite_numbers(values, column, name), column, name)
    if np.abs(numbers).max() >= 2.0**63:
        return np.asarray([repr(float(number)) for number in numbers], dtype=object)
    return numbers.astype(np.int64)


_WHOLE_TEXT = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
"""A whole number as text: 12, -3, +7, 12.0 (as a spreadsheet may write it)."""


def ids_from_text(texts: np.ndarray) -> np.ndarray:
    """Match ids given as text (a CSV's matchId column, Cricsheet file stems), as int64 when every one is a whole
    number that fits in int64 and no two texts give the same number, else unchanged: "0123" and "123" stay two
    matches, as do ids beyond 64 bits.

    Args:
        texts: (rows,) str.

    Returns:
        (rows,) int64, or `texts` as an object array.
    """
    codes, unique = pd.factorize(np.asarray(texts, dtype=object))
    numbers = []
    for text in unique:
        if not _WHOLE_TEXT.fullmatch(text):
            return np.asarray(texts, dtype=object)
        numbers.append(int(text.split(".")[0]))
    low, high = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    if len(set(numbers)) < len(numbers) or not all(low <= number <= high for number in numbers):
        return np.asarray(texts, dtype=object)
    return np.asarray(numbers, dtype=np.int64)[codes]


def _numeric_column(values: pd.Series, column: str, name: str) -> np.ndarray:
    """A model column or `innings` as numbers: int64 for whole-number columns, else float64."""
    numbers = _finite_numbers(values, column, name)
    if column in INTEGER_COLUMNS or column == INNINGS:
        return _whole_numbers(numbers, column, name).astype(np.int64)
    return numbers


def _finite_numbers(values: pd.Series, column: str, name: str) -> np.ndarray:
    """(rows,) float64 of a column; refuses non-scalar kinds, text, empty and infinite values by row."""
    _refuse_non_scalar(values, column, name)
    if values.dtype == bool:
        values = values.astype(np.int64)
    numbers = pd.to_numeric(values, errors="coerce") if not pd.api.types.is_numeric_dtype(values) else values
    numbers = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(numbers)
    if bad.any():
        row = int(np.argmax(bad))
        raw = values.iloc[row]
        if isinstance(raw, str) and raw.strip() and not _is_float_text(raw):
            problem = f"has the text {raw[:40]!r}, not a number"
        elif isinstance(raw, str) and not raw.strip() or pd.isna(raw):
            problem = "is empty or NaN"
        else:
            problem = "is infinite (inf)"
        raise SchemaError(
            f"{name}, column {column}: row {row + 1} {problem}. Every value must be a finite number; "
            "fix or drop that row."
        )
    return numbers


def _whole_numbers(numbers: np.ndarray, column: str, name: str) -> np.ndarray:
    """`numbers`, refused at the first row that is not a whole number."""
    fractional = numbers != np.round(numbers)
    if fractional.any():
        row = int(np.argmax(fractional))
        raise SchemaError(
            f"{name}, column {column}: row {row + 1} is {numbers[row]:g}, but this column holds whole numbers."
        )
    return numbers


def _refuse_non_scalar(values: pd.Series, column: str, name: str) -> None:
    """Refuse, by type, a column of dates, durations, lists or structs (Parquet can hold them), rather than
    converting them to numbers that mean nothing."""
    kind = None
    if pd.api.types.is_datetime64_any_dtype(values) or pd.api.types.is_timedelta64_dtype(values):
        kind = f"dates or times ({values.dtype})"
    elif values.dtype == object:
        odd = values.map(lambda v: isinstance(v, (list, tuple, dict, set, np.ndarray, bytes))).to_numpy()
        if odd.any():
            row = int(np.argmax(odd))
            found = type(values.iloc[row])
            what = "struct" if found is dict else "binary" if found is bytes else "list"
            kind = f"{what} values (row {row + 1})"
    if kind:
        raise SchemaError(
            f"{name}, column {column} holds {kind}, not numbers. Store it as whole or decimal numbers."
        )


def _is_float_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_ranges(frame: pd.DataFrame, name: str, features: str | None) -> None:
    """Refuse the first value outside `RANGES[features]` (and `FIRST_INNINGS_RANGES`), naming column and row."""
    if features not in RANGES:
        raise ValueError(f"Unknown feature variant {features!r}; choose one of {', '.join(FEATURE_VARIANTS)}.")
    winner = frame[WINNER].to_numpy()
    bad = (winner != 0) & (winner != 1)
    if bad.any():
        row = int(np.argmax(bad))
        raise SchemaError(
            f"{name}, column {WINNER}: row {row + 1} is {winner[row]}; it must be 1 when the batting side won "
            "and 0 when it lost."
        )
    if INNINGS in frame:
        innings = frame[INNINGS].to_numpy()
        bad = (innings != 1) & (innings != 2)
        if bad.any():
            row = int(np.argmax(bad))
            raise SchemaError(f"{name}, column {INNINGS}: row {row + 1} is {innings[row]}; it must be 1 or 2.")
    for column, (low, high) in RANGES[features].items():
        _refuse_outside(frame, column, low, high, name, _range_hint(frame, column, features))
    if INNINGS in frame:
        first = frame[INNINGS].to_numpy() == 1
        for column, (low, high) in FIRST_INNINGS_RANGES.items():
            _refuse_outside(frame, column, low, high, name, " in the first innings (innings 1)", rows=first)


def outside_ranges(frame: pd.DataFrame, features: str | None) -> np.ndarray:
    """(rows,) bool: True where a model column is outside `RANGES[features]` (or `FIRST_INNINGS_RANGES`)."""
    outside = np.zeros(len(frame), dtype=bool)
    for column, (low, high) in RANGES[features].items():
        values = frame[column].to_numpy()
        outside |= (values < low) | (values > high)
    if INNINGS in frame:
        first = frame[INNINGS].to_numpy() == 1
        for column, (low, high) in FIRST_INNINGS_RANGES.items():
            values = frame[column].to_numpy()
            outside |= first & ((values < low) | (values > high))
    return outside


def _refuse_outside(frame: pd.DataFrame, column: str, low: float, high: float, name: str, hint: str,
                    rows: np.ndarray | None = None) -> None:
    values = frame[column].to_numpy()
    outside = (values < low) | (values > high)
    if rows is not None:
        outside &= rows
    if outside.any():
        row = int(np.argmax(outside))
        raise SchemaError(
            f"{name}, column {column}: row {row + 1} is {values[row]:g}, outside the range {low:g}..{high:g} "
            f"allowed{hint}. Fix or drop that row (the README's table of column ranges says why each range holds)."
        )


def _range_hint(frame: pd.DataFrame, column: str, features: str | None) -> str:
    """Why a range applies, or what most likely went wrong, for the message of an out-of-range value."""
    if column in PLAYER_COLUMNS:
        return (f"; player indices start at {UNKNOWN_PLAYER} (unknown player) and stop at {MAX_PLAYER_INDEX:,}, "
                "so re-index the players with small non-negative integers")
    if column == BALL_NUM and MATCH_ID not in frame:
        return (f"; there is no {MATCH_ID} column and {BALL_NUM} does not restart at 1, so match boundaries could "
                f"not be found. Add a {MATCH_ID} column, or restart {BALL_NUM} at 1 for each match")
    return f" for {features} features" if features else " in a T20 (any feature variant)"


def _check_matches(frame: pd.DataFrame, name: str) -> None:
    ids, inferred = match_ids(frame)
    matches = len(np.unique(ids))
    if matches < 2:
        how = f" (inferred from {BALL_NUM} restarting, as there is no {MATCH_ID} column)" if inferred else ""
        raise SchemaError(
            f"{name} holds {matches} match{how}; at least 2 are needed so that whole matches can be held out "
            "for testing. Add more matches."
        )
    if frame[WINNER].nunique() < 2:
        only = int(frame[WINNER].iat[0])
        raise SchemaError(
            f"{name}: every row has {WINNER} = {only}, so there is nothing to tell winners from losers. "
            f"A t20.csv has rows of both the winning and the losing side."
        )


def match_ids(frame: pd.DataFrame) -> tuple[np.ndarray, bool]:
    """Which match each row belongs to.

    Returns:
        (ids, inferred): `matchId` when the column exists (inferred False); otherwise consecutive
        integers starting at 0, a new match beginning wherever `ballNum` fails to increase, as it does
        when a t20.csv moves on to the next match (inferred True).
    """
    if MATCH_ID in frame:
        return frame[MATCH_ID].to_numpy(), False
    ball = frame[BALL_NUM].to_numpy()
    starts = np.ones(len(ball), dtype=bool)
    starts[1:] = ball[1:] <= ball[:-1]
    return np.cumsum(starts) - 1, True


def summarize(frame: pd.DataFrame) -> Summary:
    """Rows, matches, distinct batters and bowlers, and share of rows won, of a validated frame."""
    ids, inferred = match_ids(frame)
    return Summary(
        rows=len(frame),
        matches=len(np.unique(ids)),
        batters=int(frame[BATTER].nunique()),
        bowlers=int(frame[BOWLER].nunique()),
        won_share=float(frame[WINNER].mean()) if len(frame) else float("nan"),
        matches_inferred=inferred,
    )
