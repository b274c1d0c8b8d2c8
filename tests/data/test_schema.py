"""t20.csv reading and validation: what a user sees when a file is good, and when it is not."""

import io

import numpy as np
import pandas as pd
import pytest

from lib.data import schema, tables, validation
from lib.data.schema import SchemaError


def two_matches() -> pd.DataFrame:
    """Two tiny matches of three deliveries per innings, in t20.csv order, without metadata columns."""
    rows = []
    for match in range(2):
        for ball in range(1, 7):
            rows.append({
                schema.BATTER: 1 + match, schema.BOWLER: 2, schema.BALL_NUM: ball, schema.BALLS_REMAINING: 7 - ball,
                schema.RUNS: ball, schema.RUN_RATE: 1.0, schema.WICKETS: 0, schema.MOMENTUM: 1.5,
                schema.PERF_INDEX: 11.0, schema.WINNER: int(ball > 3),
            })
    return pd.DataFrame(rows)[schema.MODEL_COLUMNS]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def test_valid_csv_loads_with_canonical_types_and_summary():
    # Setup
    data = csv_bytes(two_matches())
    # Run
    frame = tables.load_t20(data, "t20.csv")
    summary = validation.summarize(frame)
    # Assert
    assert list(frame.columns) == schema.MODEL_COLUMNS
    assert frame[schema.BATTER].dtype == np.int64 and frame[schema.RUN_RATE].dtype == np.float64
    assert (summary.rows, summary.matches, summary.batters, summary.bowlers) == (12, 2, 2, 1)
    assert summary.won_share == 0.5 and summary.matches_inferred


def test_parquet_with_metadata_columns_keeps_them_first():
    # Setup
    frame = two_matches()
    frame.insert(0, schema.INNINGS, [1, 1, 1, 2, 2, 2] * 2)
    frame.insert(0, schema.MATCH_ID, [501] * 6 + [502] * 6)
    buffer = io.BytesIO()
    frame[schema.MODEL_COLUMNS + schema.META_COLUMNS].to_parquet(buffer)
    # Run
    loaded = tables.load_t20(buffer.getvalue(), "t20.parquet")
    # Assert
    assert list(loaded.columns) == schema.META_COLUMNS + schema.MODEL_COLUMNS
    assert validation.summarize(loaded).matches == 2 and not validation.summarize(loaded).matches_inferred


def test_match_ids_inferred_from_ball_number_restarting():
    frame = two_matches()
    ids, inferred = validation.match_ids(frame)
    assert inferred and ids.tolist() == [0] * 6 + [1] * 6


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda f: f.drop(columns=[schema.RUNS]), "missing column(s) runs"),
        (lambda f: f.assign(extra=1), "unknown column(s) 'extra'"),
        (lambda f: f.assign(**{schema.RUNS: f[schema.RUNS].astype(object).where(f.index != 4, "ten")}),
         "column runs: row 5 has the text 'ten'"),
        (lambda f: f.assign(**{schema.RUN_RATE: f[schema.RUN_RATE].where(f.index != 2, np.nan)}),
         "column runRate: row 3 is empty or NaN"),
        (lambda f: f.assign(**{schema.RUN_RATE: f[schema.RUN_RATE].where(f.index != 7, np.inf)}),
         "column runRate: row 8 is infinite"),
        (lambda f: f.assign(**{schema.BATTER: f[schema.BATTER].where(f.index != 1, -3)}),
         "column batsmanIdx: row 2 is -3"),
        (lambda f: f.assign(**{schema.WINNER: f[schema.WINNER].where(f.index != 0, 2)}),
         "column isWinner: row 1 is 2"),
        (lambda f: f.iloc[:6], "holds 1 match"),
        (lambda f: f.assign(**{schema.WINNER: 1}), "every row has isWinner = 1"),
        (lambda f: f.iloc[:0], "has a header but no rows"),
        (lambda f: f.assign(**{schema.BALL_NUM: f[schema.BALL_NUM] + 0.5}), "holds whole numbers"),
    ],
)
def test_bad_tables_are_rejected_with_what_and_where(mutate, expected):
    # Setup
    data = csv_bytes(mutate(two_matches()))
    # Run / Assert
    with pytest.raises(SchemaError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        tables.load_t20(data, "t20.csv")


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG image"),
        (b"PK\x03\x04" + bytes(100), "zip archive"),
        ("batsmanIdx,bowlerIdx\n1,caf\xe9\n".encode("latin-1"), "not UTF-8 text: byte 26 \\(line 2\\)"),
        (b"x" * 200_000, "line 1 is 200,000 bytes long"),
        (b"PAR1garbage", "not a readable Parquet file"),
    ],
)
def test_files_that_are_not_tables_are_named_as_such(data, expected):
    with pytest.raises(SchemaError, match=expected):
        tables.read_table(data, "upload.csv")


def test_a_corrupt_parquet_upload_is_named_as_parquet_not_as_bad_text():
    # A .parquet whose first bytes were lost: the message speaks of Parquet, not of UTF-8 text.
    with pytest.raises(SchemaError, match="t20.parquet is not a readable Parquet file"):
        tables.read_table(bytes(range(256)) * 4, "t20.parquet")


def test_index_column_gets_a_hint():
    frame = two_matches()
    data = frame.to_csv(index=True).encode()
    with pytest.raises(SchemaError, match="row-number column"):
        tables.load_t20(data, "t20.csv")


def test_synthetic_sets_need_no_match_structure():
    # Setup: three rows of one match, every one a win, columns in reverse order and the batter read as floats;
    # as real data they are refused, since real data needs two matches to hold one out
    rows = two_matches().iloc[:3].assign(**{schema.WINNER: 1})
    shuffled = rows[schema.MODEL_COLUMNS[::-1]].astype({schema.BATTER: float})
    with pytest.raises(SchemaError, match="real.csv holds 1 match"):
        validation.validate(shuffled, "real.csv")
    # Run
    loaded = validation.validate(shuffled, "synthetic.csv", require_matches=False)
    # Assert: the same three rows, in t20.csv column order with the canonical types
    assert list(loaded.columns) == schema.MODEL_COLUMNS
    assert loaded[schema.BATTER].dtype == np.int64 and loaded[schema.RUN_RATE].dtype == np.float64
    pd.testing.assert_frame_equal(loaded, rows.reset_index(drop=True))


def test_round_trip_through_t20_csv_bytes():
    frame = validation.validate(two_matches())
    again = tables.load_t20(tables.to_t20_csv(frame), "again.csv")
    pd.testing.assert_frame_equal(frame, again)
