"""The bad-input corpus (tests/corpus): every file gives its message, in the app and on the command line,
the app stays usable, and nothing is written to the workspace."""

import json
from pathlib import Path

import pytest

from lib.cli import main
from lib.data import workspace as ws
from lib.data.schema import MODEL_COLUMNS
from tests.corpus.build import good_rows, long_line
from tests.pages_helpers import page

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = json.loads((CORPUS / "manifest.json").read_text())
UPLOAD_CHOICE = {"table": "Upload t20.csv or Parquet", "cricsheet": "Upload Cricsheet JSON"}


def content(case: dict) -> bytes:
    return long_line() if case["file"] == "long_line.csv" else (CORPUS / case["file"]).read_bytes()


def ids(cases):
    return [case["file"] for case in cases]


def test_the_corpus_has_at_least_25_inputs_of_every_kind():
    kinds = {case["kind"] for case in CASES}
    assert len(CASES) >= 25 and kinds == {"table", "cricsheet", "synthetic"}


@pytest.fixture
def real_csv(tmp_path) -> Path:
    """The real data the synthetic cases are checked against: two matches with batters 1-2 and bowler 2."""
    path = tmp_path / "real.csv"
    good_rows().to_csv(path, index=False)
    return path


def command_for(case: dict, path: Path, real: Path, out: Path) -> list[str]:
    if case["kind"] == "table":
        return ["data", "check", str(path)]
    if case["kind"] == "cricsheet":
        return ["data", "import", str(path), "--out", str(out)]
    return ["score", "--real", str(real), "--synthetic", str(path), "--out", str(out)]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_command_line_exits_2_with_the_message_on_stderr(case, real_csv, tmp_path, capsys):
    # Setup
    path = tmp_path / case["file"]
    path.write_bytes(content(case))
    out = tmp_path / "out" / "result"
    # Run
    code = main(command_for(case, path, real_csv, out))
    # Assert
    printed = capsys.readouterr()
    assert code == 2
    assert printed.err.startswith("error: ") and case["message"] in printed.err
    assert "Traceback" not in printed.err and not out.exists()


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] in UPLOAD_CHOICE], ids=ids(
    [c for c in CASES if c["kind"] in UPLOAD_CHOICE]))
def test_home_upload_shows_the_message_and_keeps_working(case, with_sample):
    # Setup: the app open on the embedded sample
    at = page("Home.py").run()
    before = sorted(info.id for info in ws.list_datasets())
    at.radio[0].set_value(UPLOAD_CHOICE[case["kind"]]).run()
    # Run
    at.file_uploader[0].set_value((case["file"], content(case), "application/octet-stream")).run()
    # Assert: the message, no traceback, the sample still on screen, nothing written
    assert not at.exception
    assert case["message"] in at.error[0].value
    assert any(m.label == "Matches" for m in at.metric)
    assert sorted(info.id for info in ws.list_datasets()) == before


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "synthetic"],
                         ids=ids([c for c in CASES if c["kind"] == "synthetic"]))
def test_evaluate_upload_shows_the_message_and_writes_nothing(case):
    ws.save_dataset(good_rows(), name="two matches", kind="real", source="test")
    at = page("pages/2_Evaluate.py").run()
    at.radio[0].set_value("Upload synthetic CSV").run()
    at.file_uploader[0].set_value((case["file"], content(case), "text/csv")).run()
    assert not at.exception
    assert case["message"] in at.error[0].value
    assert ws.list_datasets("synthetic") == []


def test_good_rows_are_good():
    """The corpus breaks one thing per file: the rows it starts from must pass."""
    from lib.data.validation import validate

    assert list(validate(good_rows()).columns) == MODEL_COLUMNS
