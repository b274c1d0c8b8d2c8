"""Jobs that die, apps that restart, and two sessions training at once: the user always sees the truth."""

import os
import signal

from lib.data import workspace
from lib.data.workspace import SYNTH_CHECKPOINTS, SYNTHESIZERS
from lib.jobs import runner, store
from lib.jobs.kinds import SYNTH
from tests.pages_helpers import click, finish_job, page, tiny_settings, wait_for


def test_a_killed_training_is_failed_with_its_cause_and_earlier_work_is_intact(stored_league):
    # Setup: one finished run, then a long one
    at = finish_job(click(tiny_settings(page("pages/1_Synthesize.py").run()), "Train"), SYNTH)
    earlier = runner.list_runs(SYNTH)[0]
    assert earlier.state == store.DONE
    at = click(tiny_settings(at, epochs=300), "Train")
    victim = wait_for(runner.list_runs(SYNTH)[0].id, lambda r: r.worker_pid and store.epochs(r.id))
    # Run: the worker is killed mid-epoch, as the kernel's out-of-memory killer would
    os.kill(victim.worker_pid, signal.SIGKILL)
    wait_for(victim.id, lambda r: not r.active)
    # Assert: a restarted app (a new session) shows the true state of both runs
    again = page("pages/1_Synthesize.py").run()
    assert not again.exception
    assert any("killed (SIGKILL): most likely out of memory" in e.value for e in again.error)
    assert runner.get(victim.id).state == store.FAILED and runner.get(earlier.id).state == store.DONE
    assert workspace.list_artifacts(SYNTHESIZERS) == [earlier.id], "no half-written synthesizer is listed"
    assert workspace.load_dataset(earlier.result["dataset"]).shape[0] == 300
    assert [d.id for d in workspace.list_datasets("synthetic")] == [earlier.result["dataset"]]


def test_a_job_that_raises_shows_its_cause_on_the_page(stored_league):
    # Setup: a synthesizer run whose dataset is gone by the time its worker starts
    run = runner.submit(SYNTH, {"real_id": "gone-dataset"}, "a run whose body fails")
    wait_for(run.id, lambda r: not r.active)
    # Run
    at = page("pages/1_Synthesize.py").run()
    # Assert
    assert not at.exception
    assert "Failed: NotFound: No dataset 'gone-dataset' in the workspace" in at.error[0].value


def test_two_sessions_training_at_once_take_turns_and_both_finish(stored_league, monkeypatch):
    # Setup: one job at a time; the first session's run is long enough to still be running
    monkeypatch.setenv("CREASE_MAX_JOBS", "1")
    first = click(tiny_settings(page("pages/1_Synthesize.py").run(), epochs=12), "Train")
    wait_for(first.session_state["synth_run"], lambda r: r.state == store.RUNNING)
    # Run: a second session starts training too
    second = click(tiny_settings(page("pages/1_Synthesize.py").run()), "Train")
    # Assert: it waits its turn, visibly; then both finish and the store holds both
    waiting = wait_for(second.session_state["synth_run"], lambda r: "waiting for its turn" in r.message)
    assert waiting.state == store.QUEUED
    assert "waiting for its turn: 1 job(s) running or queued ahead" in second.run().info[0].value
    for at in (first, second):
        wait_for(at.session_state["synth_run"], lambda r: not r.active, timeout=300)
    assert [r.state for r in runner.list_runs(SYNTH)] == [store.DONE, store.DONE]
    assert len(workspace.list_datasets("synthetic")) == 2


def test_a_killed_training_resumes_from_its_last_checkpoint(stored_league):
    # Setup: a tiny run checkpointing every epoch, killed once two epochs are on disk
    from lib.jobs import bodies
    from tests.synth_helpers import tiny

    config = tiny(fraction=0.2, epochs=30, batch_size=100).to_json()
    params = {"real_id": stored_league.id, "config": config, "rows": 200, "name": "resumed set", "sample_seed": 0}
    victim = runner.submit(SYNTH, params, "tiny run")
    victim = wait_for(victim.id, lambda r: r.worker_pid and len(store.epochs(r.id)) >= 2)
    os.kill(victim.worker_pid, signal.SIGKILL)
    victim = wait_for(victim.id, lambda r: not r.active)
    assert victim.state == store.FAILED and bodies.can_resume(victim)
    # Run: the same settings, continued from the checkpoint
    resumed = runner.submit(SYNTH, bodies.resume_params(victim), "tiny run (resumed)")
    resumed = wait_for(resumed.id, lambda r: not r.active, timeout=300)
    # Assert: it finished without starting over, and left no checkpoints behind
    assert resumed.state == store.DONE, resumed.error
    assert store.epochs(resumed.id)[0]["epoch"] > 1, "the resumed run starts after the last checkpoint"
    assert len(store.epochs(victim.id)) + len(store.epochs(resumed.id)) >= 30
    assert not bodies.can_resume(resumed) and not (workspace.artifact_root(SYNTH_CHECKPOINTS) / victim.id).exists()
    assert workspace.dataset_info(resumed.result["dataset"]).rows == 200


def test_a_run_whose_sample_lost_its_cluster_resumes_without_training_or_drawing_again(stored_league, monkeypatch):
    # Setup: a tiny synthesizer run whose first synthetic set, three chunks, loses its Ray cluster after the first
    # chunk is in (the real head's loss is tests/faults/test_no_hangs.py's)
    from lib.jobs import bodies, cluster
    from models.synth import chunks
    from tests.synth_helpers import tiny

    sample, drawn, lose = chunks.sample_in_chunks, [], [True]

    def in_three_chunks(model, rows, seed, run_chunks=None, kept=None):
        def run(model, plan, todo):
            for index in todo:
                drawn.append(index)
                yield index, model.sample_with_report(*plan[index])
                if lose[0]:
                    raise cluster.ClusterLost("127.0.0.1:6379", 1, 3, "chunk", "its head has not answered for 5 s")

        return sample(model, rows, seed, chunk_rows=100, run_chunks=run, kept=kept)

    monkeypatch.setattr(chunks, "sample_in_chunks", in_three_chunks)
    params = {"real_id": stored_league.id, "config": tiny(fraction=0.2, epochs=1, batch_size=100).to_json(),
              "rows": 300, "name": "lost set", "sample_seed": 0}
    store.insert("synth-lost-0001", SYNTH, SYNTH, "a run that lost its cluster", params)
    runner.work("synth-lost-0001")
    victim = store.get("synth-lost-0001")
    offered = bodies.can_resume(victim)
    # Run: resumed, with the cluster back
    lose[0] = False
    drawn.clear()
    store.insert("synth-lost-0002", SYNTH, SYNTH, "a run that lost its cluster (resumed)",
                 bodies.resume_params(victim))
    runner.work("synth-lost-0002")
    resumed = store.get("synth-lost-0002")
    # Assert: the lost run said how to go on; the resumed one trained no epoch and drew only the two other chunks
    assert victim.state == store.FAILED and offered
    assert "Lost the Ray cluster at '127.0.0.1:6379'" in victim.error and "Resume from checkpoint" in victim.error
    assert resumed.state == store.DONE, resumed.error
    assert store.epochs(resumed.id) == [] and drawn == [1, 2]
    assert workspace.dataset_info(resumed.result["dataset"]).rows == 300
    assert not bodies.can_resume(resumed) and not list((workspace.kept_root()).glob("*/part-*"))
