"""Distinct matches stay distinct whatever their ids look like: Cricsheet file names and t20.csv or Parquet
matchIds that a conversion to int64 (or through float64) would merge are kept apart."""

import io

import numpy as np
import pandas as pd
import pytest

from lib.data import schema, tables, validation
from lib.data.cricsheet.importer import import_matches
from tests.cricsheet_fixtures import paper_match

BEYOND_64_BITS = [str(2**64 + 1), str(2**64 + 2)]


@pytest.mark.parametrize("stems", [["0123", "123"], BEYOND_64_BITS, ["7", "007"]],
                         ids=["leading zero", "beyond 64 bits", "two zeros"])
def test_two_cricsheet_files_whose_ids_read_as_one_number_stay_two_matches(stems):
    # Setup: the same match under two file names that int() would make one
    files = [(f"{stem}.json", paper_match()) for stem in stems]
    # Run
    result = import_matches(files)
    # Assert: two matches of 22 deliveries each (the paper match has 22), ids kept as the file names say
    counts = result.deliveries.groupby(schema.MATCH_ID).size()
    assert sorted(counts.index) == sorted(stems) and counts.tolist() == [22, 22]
    assert result.report.matches_kept == 2


def _two_matches(ids) -> pd.DataFrame:
    """The paper match's rows twice, under the two given ids."""
    rows = import_matches([("1.json", paper_match())]).deliveries[schema.META_COLUMNS + schema.MODEL_COLUMNS]
    both = pd.concat([rows, rows], ignore_index=True)
    ids = ids if isinstance(ids, np.ndarray) else np.asarray(ids, dtype=object)
    both[schema.MATCH_ID] = np.repeat(ids, len(rows))
    return both


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


@pytest.mark.parametrize("ids, write", [
    ([2**60 + 1, 2**60 + 2], _csv),  # one apart above 2**53, where float64 merges them
    (BEYOND_64_BITS, _csv),
    (["0123", "123"], _csv),
    (np.array([2**63 + 1, 2**63 + 2], dtype=np.uint64), _parquet),
    ([2.0**60, 2.0**60 + 256], _parquet),  # floats one representable step apart
    ([1e20, 2e20], _parquet),
], ids=["CSV above 2**53", "CSV beyond 64 bits", "CSV leading zero", "Parquet uint64", "Parquet floats",
        "Parquet floats beyond 64 bits"])
def test_a_t20_file_keeps_two_matches_apart_whatever_their_ids(ids, write):
    # Setup
    data = write(_two_matches(ids))
    # Run
    frame = tables.load_t20(data, "t20.csv")
    # Assert: two matches, half of the rows each
    counts = frame.groupby(schema.MATCH_ID).size()
    assert len(counts) == 2 and counts.tolist() == [len(frame) // 2] * 2
    assert validation.summarize(frame).matches == 2
