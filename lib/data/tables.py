"""Reading t20.csv and Parquet files into frames, with limits checked before parsing, and writing t20.csv.

Refusals raise lib.data.schema.SchemaError saying what, where and how to fix it.
"""

from __future__ import annotations

import io
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
from lib.data.schema import MATCH_ID, META_COLUMNS, MODEL_COLUMNS, SchemaError, t20_columns
from lib.data.units import byte_size
from lib.data.validation import validate

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


def load_t20(source: str | Path | bytes | BinaryIO, name: str | None = None, **options) -> pd.DataFrame:
    """Read and validate a t20.csv or Parquet file in one step; options go to `validate`."""
    table = read_table(source, name)
    return validate(table, name or _default_name(source), **options)


def _default_name(source) -> str:
    if isinstance(source, (str, Path)):
        return Path(source).name
    return getattr(source, "name", None) or "the uploaded file"


def to_t20_csv(frame: pd.DataFrame) -> bytes:
    """The frame as t20.csv bytes (see `t20_columns`), text match ids made safe for spreadsheets
    (lib.data.files.csv_safe)."""
    return files.csv_bytes(t20_columns(frame))
