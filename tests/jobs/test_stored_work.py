"""A workspace written before the code moved into one package per stage still opens: its runs name their bodies
by old module paths ("lib.tasks:synthesize"), and its artifacts and datasets keep their folders and fields."""

import pytest

from lib.data import workspace
from lib.data.splits import training_matches
from lib.data.workspace import SYNTHESIZERS
from lib.jobs import bodies, runner, store
from lib.jobs.history import engine_name
from lib.jobs.kinds import BODIES, SYNTH, SYNTH_SAMPLE, WP_COMPARE
from models.synth.ctgan.synthesizer import train_synthesizer
from models.synth.engines import ENGINES, engine_of, load_synthesizer
from tests.pages_helpers import page
from tests.synth_helpers import tiny

OLD_TASKS = {
    SYNTH: "lib.tasks:synthesize",
    SYNTH_SAMPLE: "lib.tasks:sample_synthesizer",
    WP_COMPARE: "lib.tasks:compare_wp",
}
"""What the run store's `task` column held for each kind before the move."""
OLD_SPLIT = {"kind": "match", "test_share": 0.2, "validation_share": 0.1, "seed": 0}
"""The `split` field stored with synthetic sets before SplitSpec existed."""


@pytest.mark.parametrize("kind", list(OLD_TASKS))
def test_a_run_stored_with_an_old_module_path_finds_its_body_by_kind(kind):
    # Setup: a row as the previous version inserted it
    store.insert(f"old-{kind}", kind, OLD_TASKS[kind], "an old run", {})

    # Run
    body = runner.body_of(store.get(f"old-{kind}"))

    # Assert
    assert f"{body.__module__}:{body.__name__}" == BODIES[kind]


def test_an_old_workspace_shows_its_runs_and_queued_work_still_runs(stored_league):
    # Setup: a finished synthesizer run with its model and synthetic set, stored the old way
    model = train_synthesizer(training_matches(workspace.load_dataset(stored_league.id)), tiny(epochs=1))
    model.save(workspace.artifact_root(SYNTHESIZERS) / "synth-old-0001")
    rows = model.sample(200, seed=0)
    first = workspace.save_dataset(rows, name="old synthetic", kind="synthetic", source="synthesizer synth-old-0001",
                                   features="leakfree", extra={"synthesizer": "synth-old-0001",
                                                               "real_dataset": stored_league.id, "split": OLD_SPLIT})
    params = {"real_id": stored_league.id, "config": tiny(epochs=1).to_json(), "rows": 200, "name": "old synthetic"}
    store.insert("synth-old-0001", SYNTH, OLD_TASKS[SYNTH], "an old synthesizer run", params)
    store.finish("synth-old-0001", store.DONE, result={"model": "synth-old-0001", "dataset": first.id, "rows": 200,
                                                       "redrawn_share": 0.0, "stats": model.stats})
    # ... and a sampling run that was still queued when the app was upgraded
    sample = {"model_id": "synth-old-0001", "real_id": stored_league.id, "rows": 150, "name": "sampled later",
              "sample_seed": 1}
    store.insert("sample-old-0002", SYNTH_SAMPLE, OLD_TASKS[SYNTH_SAMPLE], "an old queued sampling", sample)

    # Run: the worker of the queued run, then the pages a returning user opens
    runner.work("sample-old-0002")
    synthesize = page("pages/1_Synthesize.py").run()
    augment = page("pages/3_Augment_and_Train.py").run()

    # Assert
    queued = store.get("sample-old-0002")
    assert queued.state == store.DONE, queued.error
    assert workspace.load_dataset(queued.result["dataset"]).shape[0] == 150
    assert not synthesize.exception and not augment.exception
    past_runs = next(frame.value for frame in synthesize.dataframe if "run" in frame.value.columns)
    assert past_runs["run"].tolist() == ["an old synthesizer run"]  # runs by title, never by id
    note = bodies.provenance_note(stored_league.id, first.id)
    assert note.startswith("The synthetic set was made in this app from this dataset's training matches only")
    made = workspace.dataset_info(first.id).extra  # old keys read under today's names
    assert (made["synthesizer_id"], made["real_id"]) == ("synth-old-0001", stored_league.id)
    assert store.get("synth-old-0001").result["synthesizer_id"] == "synth-old-0001"


def test_a_synthesizer_run_stored_without_an_engine_still_runs_as_ctgan(stored_league):
    # Setup: a queued run whose params were written before runs named their engine
    params = {"real_id": stored_league.id, "config": tiny(epochs=1).to_json(), "rows": 120, "name": "old params",
              "sample_seed": 0}
    store.insert("synth-old-0003", SYNTH, SYNTH, "a run queued before engines", params)

    # Run: its worker
    runner.work("synth-old-0003")

    # Assert: trained and stored by CTGAN, and labelled so
    run = store.get("synth-old-0003")
    assert run.state == store.DONE, run.error
    assert run.result["engine"] == "ctgan" and engine_name(run) == "ctgan"
    assert engine_of(workspace.artifact_dir(SYNTHESIZERS, "synth-old-0003")) == "ctgan"
    assert workspace.load_dataset(run.result["dataset"]).shape[0] == 120
    assert [set(epoch) >= {"generator", "discriminator"} for epoch in store.epochs(run.id)] == [True]


def test_the_synthesizer_job_runs_whichever_engine_its_params_name(stored_league, monkeypatch):
    # Setup: a second engine, and a run of it with settings of its own
    monkeypatch.setitem(ENGINES, "fake", "tests.fake_engine:FakeSynthesizer")
    params = {"engine": "fake", "real_id": stored_league.id, "config": {"epochs": 2, "rounds": 5}, "rows": 30,
              "name": "fake rows", "sample_seed": 0}
    store.insert("synth-fake-0004", SYNTH, SYNTH, "a fake run", params)

    # Run
    runner.work("synth-fake-0004")

    # Assert: its config, its losses, its model folder, its rows
    run = store.get("synth-fake-0004")
    assert run.state == store.DONE, run.error
    model = load_synthesizer(workspace.artifact_dir(SYNTHESIZERS, "synth-fake-0004"))
    assert model.name == "fake" and (model.config.epochs, model.config.rounds) == (2, 5)
    assert [epoch["a"] for epoch in store.epochs(run.id)] == [1.0, 0.5]
    assert workspace.dataset_info(run.result["dataset"]).extra["engine"] == "fake"
