"""The matches engine on the pages, driven as a user would with real (tiny) training: Synthesize trains it on
whole matches and stores whole synthetic matches; a dataset without whole matches is refused before Train; Augment &
train counts a whole-match set in matches."""

from lib.data import workspace
from lib.data.schema import INNINGS, MATCH_ID, MODEL_COLUMNS
from lib.data.simulate.league import build_sample
from lib.jobs import runner, store
from lib.jobs.kinds import SYNTH, SYNTH_SAMPLE
from models.synth.matches.training import MAIN_STAGE, REFERENCE_STAGE
from tests.pages_helpers import click, finish_job, page, tiny_matches_settings, wait_for


def test_the_matches_engine_trains_on_whole_matches_and_augment_counts_them(stored_league):
    # Setup: the 30-match league with its stored events; the matches engine, 2 epochs, 12 synthetic matches
    at = tiny_matches_settings(page("pages/1_Synthesize.py").run(), epochs=2, matches=12)
    assert not at.exception
    assert [m.label for m in at.metric][:3] == ["Peak memory", "Per epoch", "Total"]
    assert any("training matches" in c.value and " at most (early stopping usually ends sooner)" in c.value
               for c in at.caption)
    assert any(c.value.startswith("About ") and " rows, at the 238 deliveries per match" in c.value for c in at.caption)

    # Run
    at = finish_job(click(at, "Train"), SYNTH)

    # Assert: the job got matches, not rows; both networks logged epochs; the set is 12 whole matches
    run = runner.list_runs(SYNTH)[0]
    assert run.state == store.DONE, run.error
    assert run.params["engine"] == "matches" and run.params["matches"] == 12 and "rows" not in run.params
    assert run.params["config"]["epochs"] == 2
    assert {epoch["stage"] for epoch in store.epochs(run.id)} == {MAIN_STAGE, REFERENCE_STAGE}
    assert not at.exception
    assert at.get("vega_lite_chart"), "the loss chart"
    assert {m.label: m.value for m in at.metric}["Matches"] == "12"
    assert any(c.value.startswith("Log loss per delivery on") for c in at.caption), "the held-out report"
    stored = workspace.dataset_info(run.result["dataset"])
    rows = workspace.load_dataset(stored.id)
    assert stored.kind == "synthetic" and stored.name == "tiny matches" and stored.matches == 12
    assert rows[MATCH_ID].nunique() == 12 and set(rows[INNINGS]) == {1, 2}

    # Run: Augment & train with that set, 22 real training matches against 12 synthetic ones
    augment = page("pages/3_Augment_and_Train.py").run()

    # Assert: ratios count matches; the largest default ratio, 4, wants 88 matches, each of the 12 used about 7.3
    # times, so more are offered
    assert not augment.exception
    assert augment.multiselect(key="wp_ratios").label == "Synthetic matches per real training match"
    plan = next(c.value for c in augment.caption if c.value.startswith("Synthetic matches per arm"))
    assert "augmented@1: 22 synthetic matches (about" in plan and "augmented@2: 44 synthetic matches" in plan
    assert "Each synthetic match would be used about 7 times" in augment.warning[0].value

    # Run: generate the matches it asks for from the stored synthesizer
    augment = finish_job(click(augment, "Generate 88 matches from the stored synthesizer"), SYNTH_SAMPLE)

    # Assert
    sample = runner.list_runs(SYNTH_SAMPLE)[0]
    assert sample.state == store.DONE and sample.params["matches"] == 88, sample.error
    made = workspace.dataset_info(sample.result["dataset"])
    assert made.matches == 88 and made.name == "tiny matches (2)", "its size is in its label, not in its name"
    assert made.label.count("rows") == 1
    assert not augment.exception


def test_a_matches_run_cancelled_mid_training_is_offered_for_resuming(stored_league):
    # Setup: a run long enough to cancel (a learning rate so small that each epoch still improves, so no early
    # stop in 500 epochs), cancelled once an epoch is logged
    at = tiny_matches_settings(page("pages/1_Synthesize.py").run(), epochs=500)
    at.number_input(key="matches_patience").set_value(50)
    at.number_input(key="matches_learning_rate").set_value(1e-5)
    at = click(at.run(), "Train")
    wait_for(runner.list_runs(SYNTH)[0].id, lambda r: len(store.epochs(r.id)) >= 1)
    at = finish_job(click(at, "Cancel"), SYNTH)
    cancelled = runner.list_runs(SYNTH)[0]
    assert cancelled.state == store.CANCELLED and "Cancelled" in at.warning[0].value

    # Run
    at = click(at, "Resume from checkpoint")

    # Assert: a new run continues the cancelled one with the same settings and the same number of matches
    resumed = runner.list_runs(SYNTH)[0]
    assert resumed.id != cancelled.id and resumed.title.endswith("(resumed)")
    assert resumed.params["resume_from"] == cancelled.id and resumed.params["config"] == cancelled.params["config"]
    assert resumed.params["engine"] == "matches" and resumed.params["matches"] == 10
    runner.cancel(resumed.id)
    assert not finish_job(at, SYNTH).exception


def test_the_matches_engine_refuses_a_dataset_without_whole_matches_before_train():
    # Setup: first innings only, no matchId nor innings: no match makes two innings
    deliveries = build_sample(matches=30, seed=11).deliveries
    first_innings = deliveries[deliveries[INNINGS] == 1][MODEL_COLUMNS].reset_index(drop=True)
    workspace.save_dataset(first_innings, name="first innings only", kind="real", source="test")
    at = page("pages/1_Synthesize.py").run()

    # Run
    at.radio(key="synth_engine").set_value("matches").run()

    # Assert: the documented message, no traceback, and Train cannot be pressed
    assert not at.exception
    assert "no whole match could be rebuilt" in at.error[0].value and "matchId" in at.error[0].value
    assert next(b for b in at.button if b.label == "Train").disabled
