"""A workspace written before the code moved into one package per stage still opens: its runs name their bodies
by old module paths ("lib.tasks:synthesize"), and its artifacts and datasets keep their folders and fields."""

import pytest

from lib.data import workspace
from lib.data.splits import training_matches
from lib.data.workspace import SYNTHESIZERS
from lib.jobs import bodies, runner, store
from lib.jobs.kinds import BODIES, SYNTH, SYNTH_SAMPLE, WP_COMPARE
from models.synth.ctgan.train import train_synthesizer
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
