"""Synthesize and Evaluate pages, driven as a user would, with real (tiny) synthesizer training."""


from lib.data import workspace
from lib.data.schema import MODEL_COLUMNS
from lib.jobs import runner, store
from lib.jobs.kinds import SYNTH
from tests.pages_helpers import click, finish_job, page, tiny_settings, wait_for


def test_synthesize_trains_in_the_background_and_offers_the_csv(stored_league):
    # Setup
    at = tiny_settings(page("pages/1_Synthesize.py").run())
    assert not at.exception
    assert [m.label for m in at.metric][:3] == ["Peak memory", "Per epoch", "Total"]
    assert any(c.value.startswith("Transformed width") for c in at.caption), "what CTGAN will build"
    # Run
    at = finish_job(click(at, "Train"), SYNTH)
    # Assert: the sliders reached the job, and the result is on the page
    run = runner.list_runs(SYNTH)[0]
    assert run.state == store.DONE, run.error
    assert run.params["config"]["fraction"] == 0.2 and run.params["config"]["epochs"] == 1
    assert run.params["config"]["batch_size"] == 100 and run.params["rows"] == 300
    assert not at.exception
    assert at.get("vega_lite_chart"), "the loss chart"
    # the measured seconds against the prediction, with their unit, in grey and without an arrow: neither is good news
    measured = next(m for m in at.metric if m.label == "Per epoch (measured)").proto
    assert measured.delta.startswith(("+", "-")) and " s vs predicted " in measured.delta
    assert measured.direction == measured.MetricDirection.NONE and measured.color == measured.MetricColor.GRAY
    assert "Download synthetic t20.csv" in [b.label for b in at.get("download_button")]
    stored = workspace.dataset_info(run.result["dataset"])
    assert stored.kind == "synthetic" and stored.rows == 300 and stored.name == "tiny synthetic"
    assert stored.extra["real_id"] == stored_league.id
    # Run: Evaluate the set it made
    evaluate = page("pages/2_Evaluate.py").run()
    # Assert: every score between its floor and its ceiling, the overall position in its own heading
    assert not evaluate.exception, evaluate.exception
    table = evaluate.dataframe[0].value
    assert table["score"].iloc[-1].startswith("Overall position") and len(table) == 8
    assert table.loc[:4, ["floor", "synthetic", "ceiling"]].stack().between(0, 1).all()
    assert "Overall position :" in evaluate.subheader[1].value
    assert f"{table['synthetic'].iloc[-1]:.2f}" in evaluate.subheader[1].value
    cards = {m.label: m for m in evaluate.metric}
    assert {"Cricket coherence (leakfree)", "Detection ROC AUC", "Cricket validity (bounds), delivered"} <= set(cards)


def test_cancel_leaves_a_cancelled_run(stored_league):
    at = tiny_settings(page("pages/1_Synthesize.py").run(), epochs=300)
    at = click(at, "Train")
    at = click(at, "Cancel")
    at = finish_job(at, SYNTH)
    run = runner.list_runs(SYNTH)[0]
    assert run.state == store.CANCELLED
    assert not at.exception and "Cancelled" in at.warning[0].value


def test_a_run_cancelled_mid_training_is_offered_for_resuming(stored_league):
    # Setup: a long run cancelled once its first epoch is done
    at = click(tiny_settings(page("pages/1_Synthesize.py").run(), epochs=300), "Train")
    wait_for(runner.list_runs(SYNTH)[0].id, lambda r: len(store.epochs(r.id)) >= 1)
    at = finish_job(click(at, "Cancel"), SYNTH)
    cancelled = runner.list_runs(SYNTH)[0]
    # Run
    at = click(at, "Resume from checkpoint")
    # Assert: a new run continues the cancelled one with the same settings
    resumed = runner.list_runs(SYNTH)[0]
    assert resumed.id != cancelled.id and resumed.title.endswith("(resumed)")
    assert resumed.params["resume_from"] == cancelled.id and resumed.params["config"] == cancelled.params["config"]
    runner.cancel(resumed.id)
    assert not finish_job(at, SYNTH).exception


def test_synthesize_refuses_a_batch_size_that_cannot_train_and_keeps_the_form(stored_league):
    # Setup
    at = page("pages/1_Synthesize.py").run()
    # Run: a batch size that pac (10 rows judged together) does not divide
    at.number_input(key="synth_batch").set_value(1005).run()
    # Assert: the fix in words, no training offered, every widget still there to change
    assert not at.exception
    assert "batch size 1005 is not divisible by pac 10; use 1000 or 1010." in at.error[0].value
    assert next(b for b in at.button if b.label == "Train").disabled
    assert at.text_input(key="synth_name").value == "synthetic deliveries"
    assert runner.list_runs(SYNTH) == []


def test_evaluate_refuses_a_synthetic_upload_with_text(stored_league):
    at = page("pages/2_Evaluate.py").run()
    at.radio[0].set_value("Upload synthetic CSV").run()
    rows = workspace.load_dataset(stored_league.id)[MODEL_COLUMNS].head(20).astype(object)
    rows.iloc[3, 4] = "lots"
    at.file_uploader[0].set_value(("synth.csv", rows.to_csv(index=False).encode(), "text/csv")).run()
    assert not at.exception
    assert "column runs: row 4 has the text 'lots'" in at.error[0].value
    assert workspace.list_datasets("synthetic") == []
