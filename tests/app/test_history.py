"""History: every run with its lineage and headline numbers, filters, and runs side by side; names stay unique."""

from lib.data import workspace
from lib.jobs import store
from lib.jobs.history import unique_name
from lib.jobs.kinds import SYNTH, SYNTH_SAMPLE, WP_COMPARE
from tests.pages_helpers import page


def _finished_synth_run(run_id: str, title: str, epochs: int, dataset_id: str | None, real_id: str) -> None:
    """A synthesizer run as the run store holds it once finished (its training is covered by the Synthesize
    page tests; here only what History reads matters)."""
    params = {"real_id": real_id, "config": {"fraction": 0.5, "epochs": epochs}, "rows": 300, "name": "set"}
    store.insert(run_id, SYNTH, "lib.jobs.bodies:synthesize", title, params)
    store.finish(run_id, store.DONE, result={"synthesizer_id": run_id, "dataset": dataset_id, "rows": 300,
                                             "redrawn_share": 0.01, "stats": {"seconds_per_epoch": 2.5}})


def test_history_lists_every_run_with_lineage_and_compares_two_side_by_side(stored_league):
    # Setup: two synthesizer runs on the league, and a sampling run from the first
    rows = workspace.load_dataset(stored_league.id).head(300)
    made = workspace.save_dataset(rows, name="first set", kind="synthetic", source="test",
                                  extra={"synthesizer_id": "synth-a", "real_id": stored_league.id})
    _finished_synth_run("synth-a", "CTGAN fast", 5, made.id, stored_league.id)
    _finished_synth_run("synth-b", "CTGAN slow", 50, made.id, stored_league.id)
    store.insert("sample-c", SYNTH_SAMPLE, "lib.jobs.bodies:sample_synthesizer", "Sample 500 rows from CTGAN fast",
                 {"synthesizer_id": "synth-a", "real_id": stored_league.id, "rows": 500, "name": "more"})

    # Run
    at = page("pages/6_History.py").run()
    table = at.table[0].value.reset_index()
    at.multiselect(key="history_kinds").set_value([SYNTH]).run()
    filtered = at.table[0].value.reset_index()
    picks = at.multiselect(key="history_pick")
    picks.set_value(picks.options[:2]).run()

    # Assert: every run, by title, with where it came from; the kind filter; two runs' settings in columns.
    assert not at.exception
    assert set(table["title"]) == {"CTGAN fast", "CTGAN slow", "Sample 500 rows from CTGAN fast"}
    assert set(table["engine"]) == {"ctgan"}, "runs stored without an engine were CTGAN's"
    sample_row = table[table["title"] == "Sample 500 rows from CTGAN fast"].iloc[0]
    assert sample_row["lineage"] == "mini league → CTGAN fast → Sample 500 rows from CTGAN fast"
    assert set(filtered["title"]) == {"CTGAN fast", "CTGAN slow"}
    side = at.dataframe[0].value
    assert list(side.columns) == ["CTGAN slow", "CTGAN fast"] or list(side.columns) == ["CTGAN fast", "CTGAN slow"]
    assert {side.loc["epochs", "CTGAN fast"], side.loc["epochs", "CTGAN slow"]} == {"5", "50"}
    assert set(table["headline"]) >= {"rows 300 · redrawn share 1.0% · s/epoch 2.5"}


def test_runs_of_different_kinds_side_by_side_keep_their_settings_apart(stored_league):
    # Setup: a synthesizer run and a comparison, both with an embedding size of their own, the comparison 4 min 18 s
    _finished_synth_run("synth-a", "CTGAN fast", 5, None, stored_league.id)
    store.insert("wp-a", WP_COMPARE, "lib.jobs.bodies:compare_wp", "WP comparison",
                 {"real_id": stored_league.id, "ratios": [1.0], "seeds": 1, "config": {"embedding_dim": 16}})
    store.update("wp-a", state=store.RUNNING, started=1000.0)
    store.finish("wp-a", store.CANCELLED, error="by the user")
    store.update("wp-a", finished=1258.0)

    # Run
    at = page("pages/6_History.py").run()
    picks = at.multiselect(key="history_pick")
    picks.set_value(picks.options).run()

    # Assert: one table per kind of run, each with only its own settings; durations as every page writes them
    assert not at.exception
    tables = {m.value.strip("*"): frame.value for m, frame in zip(at.markdown[-2:], at.dataframe)}
    assert set(tables) == {"Synthesizer (ctgan)", "WP comparison"}
    synth, comparison = tables["Synthesizer (ctgan)"], tables["WP comparison"]
    assert list(synth.columns) == ["CTGAN fast"] and list(comparison.columns) == ["WP comparison"]
    assert "embedding dim" in comparison.index and "embedding dim" not in synth.index
    assert comparison.loc["duration", "WP comparison"] == "4 min 18 s"
    assert at.table[0].value.loc["WP comparison", "duration"] == "4 min 18 s"


def test_a_second_name_gets_a_suffix():
    assert unique_name("synthetic deliveries", []) == "synthetic deliveries"
    assert unique_name("synthetic deliveries", ["synthetic deliveries"]) == "synthetic deliveries (2)"
    assert unique_name("x", ["x", "x (2)"]) == "x (3)"
