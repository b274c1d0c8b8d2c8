"""Range and type checks at the boundary: every range of the schema table refuses a row outside it, real and
simulated data pass, Parquet columns of the wrong kind are refused by type, non-T20 files are skipped by name, and
one absurd number skips its own file, not the whole import."""

import io
import math

import numpy as np
import pandas as pd
import pytest

from lib.cli import main
from lib.data import schema, tables, validation
from lib.data.cricsheet.importer import import_matches
from lib.data.schema import FIRST_INNINGS_RANGES, RANGES, SchemaError
from lib.data.simulate.league import build_sample
from lib.data.validation import validate
from tests.cricsheet_fixtures import paper_match, with_changes, zip_of


def _good_rows() -> pd.DataFrame:
    """Two matches of three deliveries a side, inside every variant's ranges (ballsRemaining >= 1 for yorkr)."""
    rows = []
    for match in range(2):
        for ball in range(1, 7):
            rows.append([match, 1 + (ball > 3), 1 + match, 2, ball, 7 - ball, ball, 1.0, 0, 1.5, 11.0,
                         int(ball > 3)])
    return pd.DataFrame(rows, columns=[schema.MATCH_ID, schema.INNINGS, *schema.MODEL_COLUMNS])


CASES = [
    (features, column, value)
    for features, ranges in RANGES.items()
    for column, (low, high) in ranges.items()
    for value in (low - 1, high + 1)
]


@pytest.mark.parametrize("features, column, value", CASES, ids=[f"{f}-{c}-{v:g}" for f, c, v in CASES])
def test_every_range_in_the_schema_table_refuses_a_row_outside_it(features, column, value):
    # Setup: one value just outside the range, in row 5 (first-innings rows are 1-3, chase rows 4-6)
    frame = _good_rows()
    frame.loc[4, column] = value
    low, high = RANGES[features][column]
    # Run
    with pytest.raises(SchemaError) as refused:
        validate(frame, "t20.csv", features=features)
    # Assert: the message names the column, the row and the range (isWinner says what 0 and 1 mean instead)
    message = str(refused.value)
    assert f"column {column}: row 5 is {value:g}" in message
    assert f"outside the range {low:g}..{high:g}" in message or "1 when the batting side won" in message


@pytest.mark.parametrize("column", list(FIRST_INNINGS_RANGES))
def test_negative_runs_are_refused_in_the_first_innings_only(column):
    # Setup: -1 in a chase row (runs still needed, legal once the target is passed) and in a first-innings row
    chase, first = _good_rows(), _good_rows()
    chase.loc[4, column] = -1
    first.loc[1, column] = -1
    # Run / Assert
    validate(chase, "t20.csv")
    with pytest.raises(SchemaError, match=f"column {column}: row 2 is -1, .* in the first innings"):
        validate(first, "t20.csv")


@pytest.mark.parametrize("features", schema.FEATURE_VARIANTS)
def test_the_simulated_league_is_inside_its_variants_ranges(features):
    # Setup / Run
    deliveries = build_sample(matches=30, seed=3, features=features).deliveries
    # Assert: no row refused (the IPL import passes too: see the README's range table)
    validate(deliveries, "league", keep_extra=True, features=features)
    assert not validation.outside_ranges(deliveries, features).any()


def test_one_match_of_many_rows_says_match_boundaries_could_not_be_found():
    # Setup: 1,000 rows, no matchId, ballNum never restarting
    frame = pd.concat([_good_rows().iloc[[0]]] * 1000, ignore_index=True)[schema.MODEL_COLUMNS]
    frame[schema.BALL_NUM] = np.arange(1, 1001)
    # Run / Assert
    with pytest.raises(SchemaError, match="match boundaries could not be found"):
        validate(frame, "t20.csv")


@pytest.mark.parametrize("values, kind", [
    (pd.to_datetime(["2024-01-01"] * 12), "dates or times"),
    ([[1, 2]] * 12, "list values (row 1)"),
    ([{"a": 1}] * 12, "struct values (row 1)"),
])
def test_parquet_columns_of_the_wrong_kind_are_refused_by_type(values, kind):
    # Setup: a Parquet file whose runRate column holds dates, lists or structs
    frame = _good_rows()[schema.MODEL_COLUMNS]
    frame[schema.RUN_RATE] = values
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    # Run / Assert
    with pytest.raises(SchemaError, match=f"column runRate holds {kind}".replace("(", r"\(").replace(")", r"\)")):
        tables.load_t20(buffer.getvalue(), "t20.parquet")


def test_a_huge_player_index_is_refused_with_the_limit():
    # Setup
    frame = _good_rows()
    frame.loc[0, schema.BATTER] = 3_000_000
    # Run / Assert
    with pytest.raises(SchemaError, match=f"stop at {schema.MAX_PLAYER_INDEX:,}"):
        validate(frame, "t20.csv")


@pytest.mark.parametrize("edit, reason", [
    (lambda d: d["info"].update(overs=50), "more than 20 overs"),
    (lambda d: d["info"].update(balls_per_over=12), "balls per over not a whole number in 1..10"),
    (lambda d: d["info"].update(overs=math.nan), "scheduled overs missing, not a number"),
    (lambda d: d["info"].update(overs="twenty"), "scheduled overs missing, not a number"),
    (lambda d: d["innings"][1]["overs"][0]["deliveries"][0]["runs"].update(total=10_000),
     "a value outside the t20.csv ranges"),
])
def test_a_file_that_is_not_a_t20_is_skipped_by_name_and_the_good_ones_imported(edit, reason):
    # Setup: two good matches and one that is not a T20
    files = [("1.json", paper_match()), ("2.json", with_changes(paper_match(), edit)), ("3.json", paper_match())]
    # Run
    result = import_matches(files)
    # Assert: the good matches imported, the odd one named in the report with its reason
    assert result.report.matches_kept == 2
    assert sorted(set(result.deliveries[schema.MATCH_ID])) == [1, 3]
    assert any(reason in line and "2.json" in line for line in result.report.lines()), result.report.lines()


def _runs(innings: int, **runs):
    return lambda d: d["innings"][innings]["overs"][0]["deliveries"][0]["runs"].update(**runs)


@pytest.mark.parametrize("edit, where", [
    (_runs(1, total=10**30), "runs.total is 100000000000... (31 digits), outside 0..40"),
    (_runs(0, batter=10**20), "runs.batter is 100000000000000000000, outside 0..40"),
    (lambda d: d["innings"][0]["overs"][0]["deliveries"][0].update(extras={"legbyes": 2**70}), "extras.legbyes is"),
    (lambda d: d["innings"][1].update(target={"runs": 10**30, "overs": 2}), "innings 2 target: 'runs' is"),
    (lambda d: d["innings"][0]["overs"][0].update(over=2**64), "'over' is 18446744073709551616, outside 0..179"),
], ids=["total", "batter runs", "extras", "target runs", "over number"])
def test_one_absurd_number_skips_its_file_by_name_and_the_import_goes_on(edit, where, tmp_path, capsys):
    # Setup: a zip of two good matches and one with a number far beyond int64
    matches = {"1.json": paper_match(), "2.json": with_changes(paper_match(), edit), "3.json": paper_match()}
    (tmp_path / "matches.zip").write_bytes(zip_of(matches))
    # Run
    code = main(["data", "import", str(tmp_path / "matches.zip"), "--out", str(tmp_path / "t20.csv")])
    # Assert: the import succeeded with the good matches; the bad file is named with its value and the range
    printed = capsys.readouterr().out
    assert code == 0 and "2 matches imported (3 files read)" in printed
    assert "2.json: " in printed and where in printed and "a value outside the t20.csv ranges" in printed
    assert sorted(pd.read_csv(tmp_path / "t20.csv")[schema.MATCH_ID].unique()) == [1, 3]
