"""No CSV the app or the command line writes carries a live spreadsheet formula from user text: text cells starting
with =, +, -, @, a tab or a carriage return get a leading ' (OWASP's CSV-injection guidance); numbers, negative ones
included, stay numbers."""

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from lib.cli import main
from lib.data import files, schema, tables
from lib.quality.report import ScoreReport
from lib.wp import match_curve
from tests.cricsheet_fixtures import paper_match, with_changes, zip_of
from tests.wp_toy import toy_deliveries

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LINK = '=HYPERLINK("evil.example","click")'  # no "/": it also names a file
FORMULAS = [LINK, "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def _rows() -> pd.DataFrame:
    """Six deliveries, each with a formula-like text matchId, and runs still needed going negative."""
    frame = toy_deliveries(matches=3, balls=1)
    frame[schema.MATCH_ID] = FORMULAS
    frame[schema.RUNS] = [10, -3, 5, -1, 0, -100]
    return frame


def _write_csv(frame: pd.DataFrame, tmp_path) -> bytes:
    return files.write_csv(tmp_path / "out.csv", frame).read_bytes()


def _scores(frame: pd.DataFrame, tmp_path) -> bytes:
    """Evaluate's scores.csv, with the text cells in its column names and the numbers in its scores."""
    report = ScoreReport.from_json(json.loads((FIXTURES / "score-report-v1.json").read_text()))
    report.synthetic.fidelity.ks = dict(zip(frame[schema.MATCH_ID], frame[schema.RUNS]))
    return report.scores_csv()


WRITERS = {
    "files.write_csv (every CSV of the command line)": (_write_csv, schema.MATCH_ID, schema.RUNS),
    "files.csv_bytes (Augment & train's download)": (lambda frame, _: files.csv_bytes(frame), schema.MATCH_ID,
                                                     schema.RUNS),
    "tables.to_t20_csv (Home's and Synthesize's downloads)": (lambda frame, _: tables.to_t20_csv(frame),
                                                              schema.MATCH_ID, schema.RUNS),
    "quality.report.scores_csv (Evaluate's download)": (_scores, "columns", "score"),
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_every_csv_writer_neutralises_formulas_and_keeps_negative_numbers(writer, tmp_path):
    # Setup
    write, text_column, number_column = WRITERS[writer]
    # Run
    written = pd.read_csv(io.BytesIO(write(_rows(), tmp_path)), keep_default_na=False)
    # Assert: every formula-like text starts with ', numbers are numbers (a negative one too)
    cells = written[text_column].tolist()
    assert [cell for cell in cells if cell.lstrip("'") in FORMULAS] == [f"'{formula}" for formula in FORMULAS]
    numbers = written[number_column]
    assert pd.api.types.is_numeric_dtype(numbers) and (numbers < 0).any()


def test_a_formula_in_a_match_file_name_or_a_team_name_reaches_no_csv_live(tmp_path, capsys):
    # Setup: a Cricsheet zip whose match file is named as a formula, and a match whose teams are formulas
    source = zip_of({f"{LINK}.json": paper_match(), "2.json": paper_match()})
    (tmp_path / "matches.zip").write_bytes(source)
    renamed = with_changes(paper_match(), lambda d: _rename_team(d, "Ants", LINK))
    # Run: import, check the written CSV, and the curve of the renamed match
    imported = main(["data", "import", str(tmp_path / "matches.zip"), "--out", str(tmp_path / "t20.csv")])
    checked = main(["data", "check", str(tmp_path / "t20.csv")])
    check_output = capsys.readouterr().out
    original_check = main(["data", "check", str(_formula_ids_file(tmp_path))])
    original_output = capsys.readouterr().out
    # Assert: the id is written as text; `data check` says when a file it reads holds such text
    assert imported == checked == original_check == 0
    assert set(pd.read_csv(tmp_path / "t20.csv")[schema.MATCH_ID].astype(str)) == {f"'{LINK}", "2"}
    assert "note:" not in check_output
    assert "note: some matchId values start with '=', '+', '-', '@'" in original_output
    assert "every CSV Crease Lab writes puts a ' before them" in original_output
    curve = _curve(renamed, tmp_path)
    assert set(curve["batting_side"]) == {f"'{LINK}", "Bees"}


def _rename_team(data: dict, old: str, new: str) -> None:
    for innings in data["innings"]:
        innings["team"] = new if innings["team"] == old else innings["team"]
    data["info"]["teams"] = [new if team == old else team for team in data["info"]["teams"]]
    data["info"]["players"] = {new if team == old else team: names for team, names in data["info"]["players"].items()}
    if data["info"]["outcome"].get("winner") == old:
        data["info"]["outcome"]["winner"] = new


def _formula_ids_file(tmp_path):
    """A t20.csv written without Crease Lab, whose matchIds are formulas."""
    frame = toy_deliveries(matches=3)
    frame[schema.MATCH_ID] = frame[schema.MATCH_ID].map({1000: LINK, 1001: "@x", 1002: "plain"})
    path = tmp_path / "theirs.csv"
    frame.to_csv(path, index=False)
    return path


def _curve(match: dict, tmp_path) -> pd.DataFrame:
    """curve.csv as `wp match` writes it (lib.cli.wp.run_match), for `match` with a made-up probability: the
    team names come from the match file, the numbers do not matter here."""
    (tmp_path / "match.json").write_text(json.dumps(match))
    rows = match_curve.rows_from_file(tmp_path / "match.json", "match.json", "leakfree", None)
    deliveries = rows.assign(delivery=range(1, len(rows) + 1), wp=0.5)
    curve = match_curve.MatchCurve(deliveries, LINK, "Bees", "Bees", 0)
    return pd.read_csv(files.write_csv(tmp_path / "curve.csv", match_curve.curve_table(curve)))
