"""The Match page with a comparison's models: held-out test matches first, and synthetic matches with their
simulated scorecard, driven as an analyst would (real tiny training: see tests.conftest.built_match_workspace)."""

from lib.data import workspace
from lib.data.schema import MODEL_COLUMNS
from lib.wp.report import load_report
from tests.pages_helpers import page


def widget(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def test_the_default_match_is_a_held_out_test_match(match_workspace):
    # Setup: the comparison's report lists its test matches
    test_ids = set(load_report("match-compare")["test_match_ids"])
    # Run
    at = page("pages/5_Match.py").run()
    # Assert: the filter is on, only test matches are offered, the one shown is said to be one
    assert not at.exception, at.exception
    assert widget(at.toggle, "Held-out test matches only").value is True
    matches = widget(at.selectbox, "Match")
    assert len(matches.options) == len(test_ids) == 6 and matches.value in test_ids
    assert any("a **held-out test match** of this model" in c.value for c in at.caption)
    assert " won by " in matches.options[0], "labelled with the result"
    # Run: every match of the dataset
    widget(at.toggle, "Held-out test matches only").set_value(False).run()
    # Assert
    assert not at.exception
    assert len(widget(at.selectbox, "Match").options) == 30


def test_a_synthetic_match_shows_its_curve_and_scorecard(match_workspace):
    # Setup: a set of single rows beside the whole-match set; it is not offered
    real_id, synthetic_id = match_workspace
    rows = workspace.load_dataset(real_id)[MODEL_COLUMNS].head(300)
    workspace.save_dataset(rows, name="rows only", kind="synthetic", source="test", features="leakfree")
    second = workspace.load_dataset(synthetic_id)["matchId"].unique()[1]
    at = page("pages/5_Match.py").run()
    # Run: a synthetic match, the second of the set
    at.radio[0].set_value("A synthetic match").run()
    widget(at.selectbox, "Synthetic match").set_value(second).run()
    # Assert: its curve, its scorecard (two batting and two bowling cards) and what the cards cannot tell
    assert not at.exception, at.exception
    assert widget(at.selectbox, "Synthetic set").value.id == synthetic_id
    assert any("1 synthetic set of single rows (CTGAN) not offered" in c.value for c in at.caption)
    assert at.subheader[0].value.startswith(f"Synthetic match {second}: Side ")
    assert len(at.get("vega_lite_chart")) == 2
    assert at.subheader[1].value == "Simulated scorecard"
    titles = [m.value for m in at.markdown if m.value.startswith("**Side ")]
    assert titles[0].startswith("**Side A (batting first): ") and titles[1].startswith("**Side B (chasing): ")
    columns = [list(frame.value.columns) for frame in at.dataframe]
    assert columns.count(["batter", "runs", "balls", "4s", "6s", "how out"]) == 2
    assert columns.count(["bowler", "overs", "runs", "wickets"]) == 2
    assert any("rows do not split a delivery's runs" in c.value for c in at.caption)
    assert any("never trained on this synthetic set" in c.value for c in at.caption)
