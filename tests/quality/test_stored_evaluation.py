"""An evaluation is kept in the workspace per synthetic set and real dataset, and computed anew when either is
replaced (a stand-in report from the first-layout fixture keeps these tests from scoring anything)."""

import json
from pathlib import Path

import pytest

from lib.data import workspace
from lib.data.schema import MODEL_COLUMNS
from lib.quality import stored
from lib.quality.report import ScoreReport
from lib.quality.stored import evaluate_stored, evaluation_path, stored_evaluation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def stand_in_scoring(monkeypatch):
    """score_report replaced by the fixture's report; returns the calls it got."""
    calls = []

    def score_report(real, synthetic, **settings):
        calls.append(settings)
        return ScoreReport.from_json(json.loads((FIXTURES / "score-report-v1.json").read_text()))

    monkeypatch.setattr(stored, "score_report", score_report)
    return calls


def save_set(stored_league, dataset_id=None):
    rows = workspace.load_dataset(stored_league.id)[MODEL_COLUMNS].head(300)
    return workspace.save_dataset(rows, name="synthetic deliveries", kind="synthetic", source="test rows",
                                  dataset_id=dataset_id, extra={"real_id": stored_league.id,
                                                                "synthesizer_id": "synth-run", "redrawn_share": 0.25})


def test_an_evaluation_is_kept_with_its_provenance(stored_league, stand_in_scoring):
    # Setup
    synthetic = save_set(stored_league)
    assert stored_evaluation(stored_league, synthetic) is None, "nothing kept yet"
    # Run
    report = evaluate_stored(stored_league, synthetic, workspace.load_dataset(stored_league.id),
                             workspace.load_dataset(synthetic.id))
    kept = stored_evaluation(stored_league, synthetic)
    # Assert: the same report read back, scored with the set's records, its provenance in words
    assert evaluation_path(stored_league, synthetic).is_file()
    assert json.dumps(kept.to_json()) == json.dumps(report.to_json())
    assert stand_in_scoring == [{"variant": "leakfree", "known_training": True, "redrawn_share": 0.25, "seed": 0,
                                 "on_step": None}]
    assert kept.provenance["synthesizer run"] == "synth-run" and kept.provenance["synthetic set"].startswith(
        "synthetic deliveries (")


def test_replacing_either_dataset_drops_its_evaluation(stored_league, stand_in_scoring):
    # Setup: an evaluation kept
    synthetic = save_set(stored_league)
    evaluate_stored(stored_league, synthetic, workspace.load_dataset(stored_league.id),
                    workspace.load_dataset(synthetic.id))
    # Run: the set saved again under its id, within the same second as its first save
    replaced = save_set(stored_league, dataset_id=synthetic.id)
    # Assert
    assert stored_evaluation(stored_league, replaced) is None, "a replaced set is evaluated anew"


def test_a_damaged_evaluation_file_is_computed_anew(stored_league, stand_in_scoring):
    # Setup
    synthetic = save_set(stored_league)
    path = evaluation_path(stored_league, synthetic)
    path.parent.mkdir(parents=True)
    path.write_text('{"real_stamp": ')
    # Run / Assert
    assert stored_evaluation(stored_league, synthetic) is None
