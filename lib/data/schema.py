"""The t20.csv schema: column names, reading CSV/Parquet, and validation with actionable messages.

One row per delivery. Column names stay exactly as users of the published t20.csv know them;
every other module refers to them through the constants below.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lib.data import files
from lib.data.modelfiles import REFUSAL, describe_model_file
from lib.data.units import byte_size

BATTER = "batsmanIdx"
BOWLER = "bowlerIdx"
BALL_NUM = "ballNum"
BALLS_REMAINING = "ballsRemaining"
RUNS = "runs"
RUN_RATE = "runRate"
WICKETS = "numWickets"
MOMENTUM = "runsMomentum"
PERF_INDEX = "perfIndex"
WINNER = "isWinner"

MATCH_ID = "matchId"
INNINGS = "innings"

MODEL_COLUMNS = [BATTER, BOWLER, BALL_NUM, BALLS_REMAINING, RUNS, RUN_RATE, WICKETS, MOMENTUM, PERF_INDEX, WINNER]
"""The ten t20.csv columns, in file order."""
PLAYER_COLUMNS = [BATTER, BOWLER]
NUMERIC_COLUMNS = [BALL_NUM, BALLS_REMAINING, RUNS, RUN_RATE, WICKETS, MOMENTUM, PERF_INDEX]
"""The seven match-state inputs of the win-probability model."""
DISCRETE_COLUMNS = [BATTER, BOWLER, WINNER]
INTEGER_COLUMNS = [BATTER, BOWLER, BALL_NUM, BALLS_REMAINING, RUNS, WICKETS, WINNER]
META_COLUMNS = [MATCH_ID, INNINGS]
"""Optional columns kept when present: which match and which innings a delivery belongs to."""

UNKNOWN_PLAYER = 0
"""Player index reserved for a player the vocabulary does not know."""
MAX_PLAYER_INDEX = 100_000
"""Highest player index accepted: models size an embedding row per index up to the highest one seen, so one stray
huge index would cost gigabytes; every T20 player Cricsheet knows fits many times over."""

FEATURE_VARIANTS = ("leakfree", "yorkr")
"""Ways to compute the match-state columns (lib.data.cricsheet.features); the first is the default."""

T20_BALLS = 120
"""Legal balls an innings may last: 20 overs of 6 (or, with balls_per_over, 100 balls of The Hundred)."""
MAX_INNINGS_DELIVERIES = 180
"""Deliveries in one innings counting wides and no-balls: the legal balls plus a wide margin for extras."""
MAX_INNINGS_RUNS = 500
"""Runs of one innings, and so of a target; the highest T20 total is well below."""
MIN_RUNS_NEEDED = -100
"""Lowest `runs` of a chase: runs still needed go negative once the target is passed, further under a D/L
target revised below runs already made."""
MAX_DELIVERY_RUNS = 40
"""Runs off one delivery, penalty runs and overthrows included, with room to spare; bounds the scoring rate."""
PLAYERS_PER_SIDE = 11
"""Players in a side; wickets in hand are PLAYERS_PER_SIDE - numWickets (runsMomentum, perfIndex)."""

_COMMON_RANGES = {
    BATTER: (UNKNOWN_PLAYER, MAX_PLAYER_INDEX),
    BOWLER: (UNKNOWN_PLAYER, MAX_PLAYER_INDEX),
    BALL_NUM: (1, 2 * MAX_INNINGS_DELIVERIES),
    RUNS: (MIN_RUNS_NEEDED, MAX_INNINGS_RUNS),
    RUN_RATE: (MIN_RUNS_NEEDED, MAX_INNINGS_RUNS),
    WICKETS: (0, PLAYERS_PER_SIDE - 1),
    MOMENTUM: (0, PLAYERS_PER_SIDE),
    PERF_INDEX: (0, PLAYERS_PER_SIDE * MAX_DELIVERY_RUNS),
    WINNER: (0, 1),
}
RANGES = {
    "leakfree": {**_COMMON_RANGES, BALLS_REMAINING: (0, T20_BALLS)},
    "yorkr": {**_COMMON_RANGES, BALLS_REMAINING: (1, MAX_INNINGS_DELIVERIES)},
}
"""Feature variant -> column -> (lowest, highest) value allowed, both included. Why: ballNum counts both innings'
deliveries; ballsRemaining counts legal balls left (leakfree) or deliveries the innings went on to last (yorkr);
runs and runRate of a chase are runs still needed (and per ball left), negative once the target is passed;
runsMomentum is wickets in hand per ball left; perfIndex is runs per delivery times wickets in hand."""
RANGES[None] = {
    column: (min(RANGES[v][column][0] for v in FEATURE_VARIANTS), max(RANGES[v][column][1] for v in FEATURE_VARIANTS))
    for column in MODEL_COLUMNS
}
"""A table of unknown variant (a user's own t20.csv) gets the union of the variants' ranges."""
FIRST_INNINGS_RANGES = {RUNS: (0, MAX_INNINGS_RUNS), RUN_RATE: (0, MAX_DELIVERY_RUNS)}
"""Tighter ranges where the `innings` column says a row is of the first innings: runs made so far and runs per
delivery cannot be negative."""

_PARQUET_MAGIC = b"PAR1"
_NOT_TABLE_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a zip archive (to import Cricsheet matches, use the Cricsheet zip option instead)",
    b"\x1f\x8b": "a gzip archive (unpack it first)",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "a program",
}
_MAX_LINE_BYTES = 64 * 1024
MAX_TABLE_ROWS = 10_000_000
"""Most rows a t20.csv or Parquet file may hold, checked before it is parsed: every T20 on Cricsheet is a few
million deliveries, the 5,000-match simulated league 1.2 million."""
MAX_TABLE_COLUMNS = 64
"""Most columns a t20.csv or Parquet file may hold, checked before it is parsed: a t20.csv has 12, an import 21;
parsing cost grows with columns x rows, so thousands of tiny columns would cost far more than the file's size."""
MAX_TABLE_BYTES = 4 * 2**30
"""Most bytes a Parquet file may decode to (4 GiB): its metadata is checked before decoding, and text columns are
decoded as dictionaries first, so a value repeated a million times is counted before it is copied a million
times. About 3 times what 10 million imported rows take."""


class SchemaError(ValueError):
    """A table that is not a valid t20.csv; the message says what, where and how to fix it."""


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


def read_table(source: str | Path | bytes | BinaryIO, name: str | None = None) -> pd.DataFrame:
    """Read a t20.csv or Parquet file into a frame, without validating its columns.

    Args:
        source: a path, raw bytes, or a binary file object (a Streamlit upload).
        name: file name used in messages; defaults to the path's name.

    Returns:
        The table as read; columns keep their file names and types.

    Raises:
        SchemaError: the file is empty, is not a CSV or Parquet table, or cannot be decoded.
    """
    data, name = _read_bytes(source, name)
    if not data.strip():
        raise SchemaError(f"{name} is empty (0 rows). Export the data with a header row and one row per delivery.")
    if data.startswith(_PARQUET_MAGIC) or name.lower().endswith(".parquet"):
        return _read_parquet(data, name)
    model = describe_model_file(data)
    if model:
        raise SchemaError(f"{name} is {model}, not a CSV or Parquet table. {REFUSAL}")
    for magic, what in _NOT_TABLE_MAGIC.items():
        if data.startswith(magic):
            raise SchemaError(f"{name} is not a CSV or Parquet table: its first bytes are those of {what}.")
    return _read_csv(data, name)


def _read_bytes(source, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise SchemaError(f"{path} does not exist or is not a file.")
        return path.read_bytes(), name or path.name
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), name or "the uploaded file"
    data = source.read()
    return data, name or getattr(source, "name", None) or "the uploaded file"


def _read_parquet(data: bytes, name: str) -> pd.DataFrame:
    try:
        table = _decode_parquet(data, name)
    except (pa.ArrowException, OSError) as error:
        raise SchemaError(
            f"{name} is not a readable Parquet file ({type(error).__name__}): it may be truncated or corrupt. "
            "Export it again, or save the table as a UTF-8 t20.csv."
        ) from None
    return table.to_pandas()


def _decode_parquet(data: bytes, name: str) -> pa.Table:
    """The table of a Parquet file, refused on what its metadata declares before anything is decoded, and on
    what its text columns would take before they are expanded from their dictionaries."""
    metadata = pq.read_metadata(pa.BufferReader(data))
    declared = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    _check_table_size(metadata.num_rows, metadata.num_columns, name)
    if declared > MAX_TABLE_BYTES:
        raise SchemaError(f"{name} declares {byte_size(declared)} of uncompressed data, over the limit of "
                          f"{byte_size(MAX_TABLE_BYTES)}; refusing to decode it.")
    text = [f.name for f in metadata.schema.to_arrow_schema() if pa.types.is_string(f.type)
            or pa.types.is_large_string(f.type) or pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)]
    table = pq.ParquetFile(pa.BufferReader(data), read_dictionary=text).read()
    expanded = table.nbytes + sum(_expanded_bytes(table[column]) for column in text)
    if expanded > MAX_TABLE_BYTES:
        raise SchemaError(f"{name} decodes to more than {byte_size(MAX_TABLE_BYTES)} (its text columns repeat long "
                          "values many times); refusing it. A t20.csv table holds numbers and short names.")
    for column in text:
        index = table.schema.get_field_index(column)
        table = table.set_column(index, column, table[column].cast(table.schema.field(index).type.value_type))
    return table


def _expanded_bytes(column: pa.ChunkedArray) -> int:
    """Bytes the values of a dictionary column take once each row holds its own copy."""
    total = 0
    for chunk in column.chunks:
        lengths = pc.binary_length(chunk.dictionary)
        total += pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
    return total


def _check_table_size(rows: int, columns: int, name: str) -> None:
    """Refuse a table of more rows or columns than a t20.csv ever holds, before it is parsed."""
    if rows > MAX_TABLE_ROWS:
        raise SchemaError(f"{name} holds {rows:,} rows, over the limit of {MAX_TABLE_ROWS:,} (every T20 on Cricsheet "
                          "is a few million deliveries); refusing to read it. Use fewer rows.")
    if columns > MAX_TABLE_COLUMNS:
        raise SchemaError(f"{name} holds {columns:,} columns, over the limit of {MAX_TABLE_COLUMNS} (a t20.csv has "
                          f"{len(MODEL_COLUMNS) + len(META_COLUMNS)}); refusing to read it. Keep the t20.csv columns.")


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    _check_text(data, name)
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(block_size=max(1 << 20, _MAX_LINE_BYTES * 2)),
            # match ids as text: read as numbers, ids above 2**53 would merge and "0123" would become 123
            convert_options=pacsv.ConvertOptions(strings_can_be_null=False, column_types={MATCH_ID: pa.string()}),
        )
    except pa.ArrowInvalid:
        raise SchemaError(
            f"{name} could not be parsed as CSV: rows must be comma-separated with the same number of fields "
            "as the header. Check that the file is a t20.csv export."
        ) from None
    return table.to_pandas()


def _check_text(data: bytes, name: str) -> None:
    """Reject content that is not line-oriented UTF-8 text, naming the first offending line."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SchemaError(
            f"{name} is not UTF-8 text: byte {error.start} (line {line}) cannot be decoded. "
            "Save the file as UTF-8 CSV, or check that it is a t20.csv and not a binary file."
        ) from None
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    lines = len(newlines) + (not data.endswith(b"\n"))
    header = data[: newlines[0] if len(newlines) else len(data)]
    _check_table_size(lines - 1, header.count(b",") + 1, name)
    bounds = np.concatenate(([-1], newlines, [len(data)]))
    lengths = np.diff(bounds) - 1
    longest = int(np.argmax(lengths))
    if lengths[longest] > _MAX_LINE_BYTES:
        raise SchemaError(
            f"{name}: line {longest + 1} is {lengths[longest]:,} bytes long; a t20.csv line is well under "
            f"{_MAX_LINE_BYTES:,} bytes. The file is not a t20.csv or has lost its line breaks."
        )


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


def load_t20(source: str | Path | bytes | BinaryIO, name: str | None = None, **options) -> pd.DataFrame:
    """Read and validate a t20.csv or Parquet file in one step; options go to `validate`."""
    table = read_table(source, name)
    return validate(table, name or _default_name(source), **options)


def _default_name(source) -> str:
    if isinstance(source, (str, Path)):
        return Path(source).name
    return getattr(source, "name", None) or "the uploaded file"


def t20_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the t20.csv columns of a frame: `matchId` and `innings` when present, then the ten model columns."""
    return frame[[c for c in META_COLUMNS if c in frame] + MODEL_COLUMNS]


def to_t20_csv(frame: pd.DataFrame) -> bytes:
    """The frame as t20.csv bytes (see `t20_columns`), text match ids made safe for spreadsheets
    (lib.data.files.csv_safe)."""
    return files.csv_bytes(t20_columns(frame))
