"""Input that costs far more than its size is bounded before it is parsed: an oversized match file is skipped by
name (the good ones imported), a table of absurd shape is refused before it is decoded."""

import io
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lib.data import schema, tables
from lib.data.cricsheet.archive import MAX_MATCH_BYTES
from lib.data.cricsheet.importer import CricsheetError, import_cricsheet
from tests.cricsheet_fixtures import paper_match, zip_of

EMPTY_LISTS = b"[" + b"[]," * 7_300_000 + b"[]]"
"""22 MB of empty JSON lists, the issue's example: about 600 MB of Python lists once parsed, 21 KB zipped."""
GOOD = json.dumps(paper_match()).encode()


def _as_zip(tmp_path):
    return zip_of({"1.json": GOOD, "bomb.json": EMPTY_LISTS, "2.json": GOOD})


def _as_folder(tmp_path):
    for name, data in (("1.json", GOOD), ("bomb.json", EMPTY_LISTS), ("2.json", GOOD)):
        (tmp_path / name).write_bytes(data)
    return tmp_path


@pytest.mark.parametrize("source", [_as_zip, _as_folder], ids=["zip member", "folder file"])
def test_an_oversized_match_file_is_skipped_by_name_unparsed_and_the_good_ones_imported(source, tmp_path):
    # Setup: two good matches and 22 MB of empty lists between them
    data = source(tmp_path)
    # Run
    result = import_cricsheet(data, name="matches")
    # Assert: the good matches imported; the big one named with the limit, never parsed (it would be "malformed: a
    # JSON list" if it had been)
    assert result.report.matches_kept == 2
    (name, problem), = result.report.malformed
    assert name == "bomb.json" and "over the limit of 2.0 MiB for one match file" in problem
    assert "skipped without parsing it" in problem


def test_one_uploaded_json_over_the_limit_is_refused_by_name_unparsed():
    # Setup: one match upload that is a valid JSON object just over the limit
    data = b'{"padding": [' + b"[]," * (MAX_MATCH_BYTES // 3) + b"[]]}"
    # Run / Assert
    with pytest.raises(CricsheetError, match="big.json: holds more than the limit of 2.0 MiB for one match file"):
        import_cricsheet(data, name="big.json")


def _parquet(table: pa.Table, **options) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **options)
    return buffer.getvalue()


TABLES = {
    # 10 million and one rows of one constant byte: 34 KB on disk, run-length encoded
    "Parquet of too many rows": (
        lambda: _parquet(pa.table({"a": pa.array(np.zeros(tables.MAX_TABLE_ROWS + 1, np.int8))})), "t20.parquet",
        "holds 10,000,001 rows, over the limit of 10,000,000"),
    # one 100,000-character value repeated by its dictionary for 50,000 rows: 300 KB on disk, 5 GB decoded
    "Parquet whose text explodes": (
        lambda: _parquet(pa.table({"note": pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(50_000, np.int32)), pa.array(["x" * 100_000]))}), store_schema=False), "t20.parquet",
        "decodes to more than 4.0 GiB"),
    "CSV of too many columns": (
        lambda: (",".join(f"c{i}" for i in range(5000)) + "\n" + ",".join(["1"] * 5000) + "\n").encode(), "t20.csv",
        "holds 5,000 columns, over the limit of 64"),
    "CSV of too many rows": (
        lambda: b"a\n" + b"1\n" * (tables.MAX_TABLE_ROWS + 1), "t20.csv",
        "holds 10,000,001 rows, over the limit of 10,000,000"),
}


@pytest.mark.parametrize("case", list(TABLES))
def test_a_table_of_absurd_shape_is_refused_before_it_is_decoded(case):
    # Setup
    make, name, message = TABLES[case]
    data = make()
    # Run / Assert
    with pytest.raises(schema.SchemaError, match=f"{name} {message}"):
        tables.read_table(data, name)
