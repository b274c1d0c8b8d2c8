"""The Home page as a user drives it: the embedded sample, uploads good and bad."""

import io
import zipfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib.data import workspace as ws
from lib.data.schema import MODEL_COLUMNS
from tests.cricsheet_fixtures import paper_match

HOME = str(Path(__file__).resolve().parents[2] / "Home.py")


def run_home() -> AppTest:
    at = AppTest.from_file(HOME, default_timeout=120)
    at.run()
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_home_opens_on_the_embedded_sample():
    # Run
    at = run_home()
    # Assert
    assert not at.exception
    assert at.radio[0].value.startswith("Embedded sample")
    assert int(metric(at, "Matches").replace(",", "")) > 900
    assert int(metric(at, "Deliveries").replace(",", "")) > 200_000
    info = ws.list_datasets("real")[0]
    assert info.features == "leakfree" and info.id.startswith("sample-")
    assert at.get("vega_lite_chart"), "the per-column histograms are drawn"
    assert [c for c in at.dataframe[-1].value.index] == MODEL_COLUMNS  # describe() of the ten columns
    links = [link.proto.label for link in at.get("page_link")]
    assert links[:7] == ["1 · Home", "2 · Synthesize", "3 · Evaluate", "4 · Augment & train", "5 · Compare",
                         "6 · Match", "History"], "the flow, each page under the name the navigation gives it"
    assert links[-1] == "Train a synthesizer on this data →", "the next step, as later pages offer theirs"
    skipped = 1000 - int(metric(at, "Matches").replace(",", ""))
    assert skipped == 0 or any(f"{skipped:,} abandoned without a result are left out" in c.value for c in at.caption)


def test_a_bad_upload_shows_the_message_and_writes_nothing():
    # Setup
    at = run_home()
    before = {info.id for info in ws.list_datasets()}
    at.radio[0].set_value("Upload t20.csv or Parquet").run()
    # Run
    bad = b"batsmanIdx,bowlerIdx,ballNum\n1,2,3\n"
    at.file_uploader[0].set_value(("t20.csv", bad, "text/csv")).run()
    # Assert
    assert not at.exception
    assert "missing column(s) ballsRemaining" in at.error[0].value
    assert {info.id for info in ws.list_datasets()} == before
    assert metric(at, "Matches"), "the earlier dataset stays on screen"


def test_a_good_t20_upload_becomes_the_active_dataset():
    # Setup
    at = run_home()
    sample = ws.load_dataset(ws.list_datasets()[0].id)
    csv = sample[sample["matchId"].isin(sample["matchId"].unique()[:3])][MODEL_COLUMNS].to_csv(index=False)
    at.radio[0].set_value("Upload t20.csv or Parquet").run()
    # Run
    at.file_uploader[0].set_value(("mine.csv", csv.encode(), "text/csv")).run()
    # Assert
    assert not at.exception and not at.error
    assert metric(at, "Matches") == "3"
    assert any("inferred from ballNum" in i.value for i in at.info)


def test_a_cricsheet_zip_imports_with_the_chosen_variant():
    # Setup: two copies of the paper match under different ids, and a no-result that is skipped
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for match_id in (1001, 1002):
            archive.writestr(f"{match_id}.json", __import__("json").dumps(paper_match()))
        archive.writestr("README.txt", "not a match")
    at = run_home()
    at.radio[0].set_value("Upload Cricsheet JSON").run()
    at.radio[1].set_value("yorkr").run()
    # Run
    at.file_uploader[0].set_value(("paper.zip", buffer.getvalue(), "application/zip")).run()
    # Assert
    assert not at.exception and not at.error
    assert metric(at, "Matches") == "2"
    stored = ws.list_datasets("real")[0]
    assert stored.features == "yorkr" and stored.name == "paper (yorkr)"
    assert any("2 matches imported" in c.value for c in at.caption)
