"""The Match page with a comparison's models: held-out test matches first, whether each model trained on the match
shown (an uploaded one too), and synthetic matches with their simulated scorecard, driven as an analyst would (real
tiny training: see tests.conftest.built_match_workspace)."""

import json

from lib.data import workspace
from lib.data.schema import MODEL_COLUMNS
from lib.data.simulate.league import simulate_matches
from lib.data.splits import make_split
from lib.jobs import store
from lib.jobs.kinds import WP_COMPARE
from lib.wp.report import OUTSIDE, TEST, TRAINING, VALIDATION, load_report, match_role
from pages.ui.match import label_models, short_names
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
    assert any(c.value.startswith("real: a **held-out test match**") for c in at.caption)
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


def test_an_uploaded_match_says_whether_the_model_trained_on_it_by_its_id(match_workspace):
    # Setup: the fixture league's own Cricsheet files (30 matches, seed 3), and a match of another league filed
    # under an id the league does not have
    real_id, _ = match_workspace
    report = load_report("match-compare")
    league = workspace.load_dataset(real_id)
    split = make_split(league)
    training_id = league["matchId"].to_numpy()[split.train][0]
    test_id = report["test_match_ids"][0]
    files = dict(simulate_matches(30, seed=3))
    outside = json.dumps(next(simulate_matches(1, seed=99))[1]).encode()
    at = page("pages/5_Match.py").run()
    at.radio[0].set_value("Upload one Cricsheet match (.json)").run()
    notes = {}
    # Run: each file uploaded in turn
    for name, content in ((f"{test_id}.json", json.dumps(files[f"{test_id}.json"]).encode()),
                          (f"{training_id}.json", json.dumps(files[f"{training_id}.json"]).encode()),
                          ("999999.json", outside)):
        at.file_uploader[0].set_value((name, content, "application/json")).run()
        assert not at.exception, at.exception
        notes[name] = " ".join(c.value for c in at.caption if c.value.startswith("real:"))
    # Assert: a test match, a training match, a match from outside the dataset, each said with the id it went by
    assert "a **held-out test match**" in notes[f"{test_id}.json"] and f"Judged by its match id, {test_id}" in notes[
        f"{test_id}.json"]
    assert "**a training match**" in notes[f"{training_id}.json"]
    assert "**not in the dataset this model trained on**" in notes["999999.json"]


def test_the_test_matches_by_role_are_the_reports_test_matches(match_workspace):
    # Setup
    real_id, _ = match_workspace
    report = load_report("match-compare")
    league = workspace.load_dataset(real_id)
    # Run
    roles = {match: match_role(report, league, match) for match in league["matchId"].unique()}
    # Assert: the split redone from the report finds the matches it held out, and nothing else
    assert {match for match, role in roles.items() if role == TEST} == set(report["test_match_ids"])
    assert set(roles.values()) == {TRAINING, VALIDATION, TEST}
    assert match_role(report, league, "no-such-match") == OUTSIDE


def test_models_of_two_comparisons_are_told_apart_by_when_each_started():
    # Setup: the real-only models of two comparisons started a minute apart, and an augmented model of the second
    store.insert("wp_compare-old", WP_COMPARE, WP_COMPARE, "WP comparison on mini league", {})
    store.insert("wp_compare-new", WP_COMPARE, WP_COMPARE, "WP comparison on mini league (2)", {})
    with store.connect() as connection:
        connection.execute("UPDATE runs SET created = created - 60 WHERE id = 'wp_compare-old'")
    models = [{"arm": "real", "run": "wp_compare-new"}, {"arm": "augmented@1", "run": "wp_compare-new"},
              {"arm": "real", "run": "wp_compare-old"}]
    # Run
    label_models(models)
    short_names(models[:2])
    names_of_two_arms = [model["name"] for model in models[:2]]
    short_names([models[0], models[2]])
    # Assert: picker labels carry the start time; names in headings only when the arms alone would collide
    assert models[0]["label"].startswith("real · run of ") and models[0]["label"] != models[2]["label"]
    assert names_of_two_arms == ["real", "augmented@1"]
    assert models[0]["name"].startswith("real, run of ") and models[0]["name"] != models[2]["name"]
