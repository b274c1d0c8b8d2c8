"""Augment & train and Compare pages, driven as a user would, with real (tiny) training."""

import time

import pytest

from lib.data import workspace
from lib.data.schema import MODEL_COLUMNS
from lib.data.simulate.league import build_sample
from lib.jobs import runner, store
from lib.jobs.kinds import WP_COMPARE
from models.wp.config import WPConfig
from tests.pages_helpers import finish_job, page


@pytest.fixture
def datasets():
    """A small simulated league and a synthetic stand-in made of its own rows, both in the workspace."""
    result = build_sample(matches=40, seed=3)
    real = workspace.save_dataset(result.deliveries, name="mini league", kind="real", source="test",
                                  features="leakfree", vocabulary=result.vocabulary)
    rows = result.deliveries[MODEL_COLUMNS].sample(2000, random_state=0)
    synthetic = workspace.save_dataset(rows, name="stand-in", kind="synthetic", source="test")
    return real, synthetic


def test_compare_page_without_runs_points_to_augment():
    at = page("pages/4_Compare.py").run()
    assert not at.exception
    assert "No finished comparison yet" in at.info[0].value


def test_compare_says_a_comparison_is_running_with_its_progress_and_where_to_follow_it():
    # Setup: a comparison 40% through training, none finished
    store.insert("wp_compare-running", WP_COMPARE, WP_COMPARE, "WP comparison on mini league", {})
    store.update("wp_compare-running", state=store.RUNNING, started=time.time() - 30, progress=0.4,
                 stage="training the arms")
    # Run
    at = page("pages/4_Compare.py").run()
    # Assert
    assert not at.exception, at.exception
    boxes = [box.value for box in at.info]
    assert "A comparison is running: its verdict, table and curves appear here when it finishes." in boxes
    assert not any("No finished comparison" in box for box in boxes)
    bar = at.get("progress")[0]
    assert bar.value == 40 and "WP comparison on mini league" in bar.proto.text
    assert any("Follow it on Augment & train" in link.proto.label for link in at.get("page_link"))


def test_a_tiny_comparison_runs_in_the_background_and_compare_shows_it(datasets):
    # Setup: one seed, one ratio, one epoch per phase
    at = page("pages/3_Augment_and_Train.py").run()
    assert not at.exception
    at.multiselect[0].set_value([1.0])
    at.slider[0].set_value(1)
    next(n for n in at.number_input if n.label == "Most epochs").set_value(1)
    next(n for n in at.number_input if n.label == "Synthetic row weight").set_value(0.5)
    at.run()
    # Assert: before Train, the trainings (real, augmented@1, synthetic; one seed) and the most time they take
    cards = {m.label: m.value for m in at.metric}
    assert cards["Trainings"] == "3" and {"One real-arm training", "All trainings, at most"} <= set(cards)
    assert any(c.value.startswith("3 training(s) (3 arm(s) x 1 seed(s)) of at most 1 epoch in each of 2 phases")
               for c in at.caption)
    # Run
    next(b for b in at.button if b.label == "Train and compare").click().run()
    at = finish_job(at, WP_COMPARE)
    assert runner.list_runs(WP_COMPARE)[0].estimate["trainings"] == 3, "kept with the run, as Synthesize's is"
    # Assert: the job finished with the settings the user chose
    run = runner.list_runs(WP_COMPARE)[0]
    assert run.state == store.DONE, run.error
    assert run.params["ratios"] == [1.0] and run.params["seeds"] == 1 and run.params["config"]["epochs"] == 1
    assert run.params["config"]["synthetic_weight"] == 0.5 and run.params["config"]["synthetic_phases"] == "all"
    assert not at.exception and any("open the Compare page" in s.value for s in at.success)
    assert at.get("vega_lite_chart"), "the live loss chart"
    # Run: the Compare page
    compare = page("pages/4_Compare.py").run()
    # Assert
    assert not compare.exception
    table = compare.dataframe[0].value
    assert list(table.index) == ["real", "reference", "augmented@1", "synthetic"]
    assert any("held-out **real** matches" in m.value for m in compare.markdown)
    assert len(compare.get("vega_lite_chart")) >= 3, "ROC, calibration and loss charts"
    verdicts = [box.value for box in compare.info]
    assert any(v.startswith("augmented@1: no verdict with 1 seed; run at least 3 seeds (needs 2 more)")
               for v in verdicts)
    assert any("gradient boosting" in m.value and "seven numeric columns" in m.value for m in compare.markdown)
    notes = " ".join(c.value for c in compare.caption)
    assert "cannot tell whether its synthesizer saw the test matches" in notes, "a stand-in set of unknown origin"
    assert "honest only if" not in notes, "the precise provenance note replaces the generic one"
    labels = [b.label for b in compare.get("download_button")]
    assert "Download the report (JSON)" in labels and "Download the augmented@1 model (.keras and .h5)" in labels
    assert any(c.value.startswith("From: mini league → stand-in → WP comparison on mini league")
               for c in compare.caption)
    # Run: the Match page with this comparison's models
    match = page("pages/5_Match.py").run()
    # Assert: models by name, not run id; whether the match shown was one of the model's test matches
    assert not match.exception
    assert match.multiselect[0].value[0]["label"] == "real", "the arm alone: one comparison in the workspace"
    assert any(c.value.startswith(f"real: {run.title}, started ") for c in match.caption) and run.id not in run.title
    assert any("test match" in c.value for c in match.caption)


def test_augment_says_how_often_synthetic_rows_repeat_and_warns(datasets):
    # Setup: 2,000 synthetic rows against the training matches of a 40-match league (several thousand rows)
    at = page("pages/3_Augment_and_Train.py").run()
    # Run
    at.multiselect(key="wp_ratios").set_value([2.0]).run()
    # Assert: ratio 2 needs more than 3 uses of each synthetic row; the page says so before anything trains.
    assert not at.exception
    assert any("augmented@2:" in c.value and "drawn with replacement from 2,000" in c.value for c in at.caption)
    assert any("Each synthetic row would be used about" in w.value for w in at.warning)


def test_three_seeds_give_a_verdict_in_words(datasets):
    # Setup: Augment & train set to the real and reference arms over three seeds: three neural trainings
    real, _ = datasets
    at = page("pages/3_Augment_and_Train.py").run()
    at.radio[0].set_value("None (real and reference arms only)").run()
    at.slider(key="wp_seeds").set_value(3)
    at.number_input(key="wp_epochs").set_value(1).run()
    assert not at.exception and {m.label: m.value for m in at.metric}["Trainings"] == "3"
    # ... and such a comparison finished, run by the job's own body in this process (how the page starts one is
    # the tiny comparison's test, above)
    params = {"real_id": real.id, "synthetic_id": None, "ratios": [], "seeds": 3, "split": "match",
              "config": WPConfig(epochs=1).to_json()}
    store.insert("wp_compare-three-seeds", WP_COMPARE, WP_COMPARE, "WP comparison on mini league", params)
    runner.work("wp_compare-three-seeds")
    assert runner.get("wp_compare-three-seeds").state == store.DONE
    # Run
    compare = page("pages/4_Compare.py").run()
    # Assert: with 3 seeds the reference gets a verdict (helps, hurts or no detectable effect) with its interval
    assert not compare.exception
    boxes = [box.value for kind in ("success", "error", "info", "warning") for box in getattr(compare, kind)]
    sentence = next(v for v in boxes if v.startswith("reference "))
    assert any(word in sentence for word in ("helps:", "hurts:", "no detectable effect:", "mixed:"))
    assert "95% interval" in sentence and "3 seeds, bootstrapped test matches" in sentence


def test_an_uploaded_synthetic_set_with_unknown_players_is_refused(datasets):
    real, _ = datasets
    at = page("pages/3_Augment_and_Train.py").run()
    at.radio[0].set_value("Upload synthetic CSV").run()
    rows = workspace.load_dataset(real.id)[MODEL_COLUMNS].head(50).assign(batsmanIdx=99_999)
    at.file_uploader[0].set_value(("synth.csv", rows.to_csv(index=False).encode(), "text/csv")).run()
    assert not at.exception
    assert "player indices above" in at.error[0].value
    assert len(workspace.list_datasets("synthetic")) == 1


def test_models_are_offered_real_first_within_the_newest_run():
    # Setup: two comparisons' models, written newest last, arms in the order they finish
    import json
    import os

    for stamp, run in enumerate(["run-old", "run-new"]):
        for arm in ["real", "augmented@2", "augmented@0.5", "synthetic"]:
            folder = workspace.artifact_root("wp") / f"{run}-{arm.replace('@', '-').replace('.', '-')}"
            folder.mkdir(parents=True)
            (folder / "wp.json").write_text(json.dumps({"features": "leakfree", "extra": {"arm": arm, "run_id": run}}))
            os.utime(folder, (stamp * 100 + len(arm), stamp * 100 + len(arm)))
    # Run
    from lib.wp.saved import stored_models

    models = stored_models()
    # Assert
    assert [(m["run"], m["arm"]) for m in models] == [
        (run, arm) for run in ("run-new", "run-old") for arm in ("real", "augmented@0.5", "augmented@2", "synthetic")]


def test_synthetic_rows_kept_to_a_state_phase_that_joint_training_lacks_are_refused_on_the_page(datasets):
    # Setup
    at = page("pages/3_Augment_and_Train.py").run()
    # Run
    next(s for s in at.selectbox if s.label == "Training").set_value("joint")
    next(s for s in at.selectbox if s.label == "Synthetic rows join").set_value("state").run()
    # Assert: the page says why, and offers no Train button to start a run that would fail
    assert not at.exception
    assert any("synthetic_phases 'state' needs training 'state_first'" in e.value for e in at.error)
    assert not any(b.label == "Train and compare" for b in at.button)
