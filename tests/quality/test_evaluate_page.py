"""The Evaluate page as a user meets it: both references in the headline, tables labelled, players by name, and a
workspace set made from another dataset refused as an upload from other data is."""

import pytest

from lib.data import workspace
from lib.data.schema import MODEL_COLUMNS
from lib.data.simulate.league import build_sample
from lib.data.splits import STANDARD_SPLIT
from lib.quality import stored
from tests.pages_helpers import page


def store_synthetic(rows, made_from: str, name: str = "synthetic deliveries"):
    return workspace.save_dataset(rows, name=name, kind="synthetic", source="test rows",
                                  extra={"real_id": made_from, "redrawn_share": 0.25})


def test_evaluate_reads_every_score_between_floor_and_ceiling(stored_league, monkeypatch):
    # Setup: 600 rows of the real league stored as the synthetic set made from it
    rows = workspace.load_dataset(stored_league.id)[MODEL_COLUMNS].sample(600, random_state=0)
    store_synthetic(rows, stored_league.id)
    # Run
    at = page("pages/2_Evaluate.py", timeout=300).run()
    # Assert
    assert not at.exception, at.exception
    overall = next(s.value for s in at.subheader if s.value.startswith("Overall position"))
    assert "-0.00" not in overall
    table = at.dataframe[0].value
    assert {"floor", "synthetic", "ceiling", "position", "published"} <= set(table.columns)
    cards = {m.label: m for m in at.metric}
    assert cards["Cricket coherence (leakfree)"].value == "100.0%", "real rows are possible deliveries"
    assert "position" in cards["Column shapes, numeric"].delta, "a position or none, no arrow, no colour"
    captions = " ".join(c.value for c in at.caption)
    assert "floor " in captions and " · ceiling " in captions, "each card's references under it"
    assert "_score" not in captions, "scores by their names, not their keys"
    assert "before rows breaking a bound were redrawn: 75.0%" in captions, "validity of the raw output"
    assert "ceiling" in captions and "Scored against the synthesizer's training matches" not in captions, (
        "a set without a recorded synthesizer says which real rows it is scored against")
    labels = [m.value for m in at.markdown]
    assert any(v.startswith("**Real rows**") for v in labels) and any(v.startswith("**Synthetic rows**")
                                                                      for v in labels)
    assert "Download the report (HTML, opens offline)" in [b.label for b in at.get("download_button")]
    assert any(i.value.startswith("This section needs whole matches") for i in at.info), "single rows: a note"
    # Run: the page opened again (a reload, a new session), with scoring made to fail
    monkeypatch.setattr(stored, "score_report", lambda *args, **kwargs: pytest.fail("scored again"))
    again = page("pages/2_Evaluate.py", timeout=300).run()
    # Assert: the evaluation kept in the workspace is shown as it was
    assert not again.exception, again.exception
    assert overall in [s.value for s in again.subheader]


def test_evaluate_shows_whole_matches_of_a_set_of_whole_matches(stored_league):
    # Setup: another simulated league's matches, matchId and innings kept, stored as the app stores a set made by
    # the matches engine
    other = build_sample(matches=12, seed=12).deliveries
    workspace.save_dataset(other[["matchId", "innings", *MODEL_COLUMNS]], name="synthetic matches",
                           kind="synthetic", source="test rows",
                           extra={"real_id": stored_league.id, "split": STANDARD_SPLIT.to_json()})
    # Run
    at = page("pages/2_Evaluate.py", timeout=300).run()
    # Assert
    assert not at.exception, at.exception
    assert "Whole matches" in [s.value for s in at.subheader]
    assert not [i for i in at.info if "needs whole matches" in i.value]
    cards = {m.label: m for m in at.metric}
    card = cards["Whole-match similarity (mean of the scores below)"]
    assert 0 <= float(card.value) <= 1 and card.delta.startswith("ceiling ")
    figures = next(d.value for d in at.dataframe if "figure" in d.value.columns)
    assert figures.loc[figures["figure"] == "matches", "synthetic matches"].item() == other["matchId"].nunique()
    captions = " ".join(c.value for c in at.caption)
    assert "SequenceLengthSimilarity" in captions and "InterRowMSAS" in captions, "each score says what it measures"


def test_evaluate_refuses_a_workspace_set_made_from_another_dataset(stored_league):
    # Setup: a second real dataset, and a synthetic set made from it
    other = build_sample(matches=5, seed=3)
    other_info = workspace.save_dataset(other.deliveries, name="other league", kind="real", source="simulated",
                                        features="leakfree")
    store_synthetic(other.deliveries[MODEL_COLUMNS].head(200), other_info.id, name="from the other league")
    # Run: the page opens on the first real dataset, the mini league
    at = page("pages/2_Evaluate.py").run()
    at.selectbox(key="eval-real").set_value(
        next(o for o in workspace.list_datasets("real") if o.id == stored_league.id)).run()
    # Assert
    assert not at.exception
    assert "made from another dataset" in at.error[0].value
    assert not [s for s in at.subheader if s.value.startswith("Overall")], "no scores of a set from other data"
