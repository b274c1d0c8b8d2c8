"""Shards, (arm, seed) trainings and sample chunks as Ray tasks on a local two-CPU Ray head: the same seeds give the
same models, rows and scores as a local run; failed tasks are retried once; cancelling stops the tasks."""

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
import torch

from lib.cli import main
from lib.data import workspace
from lib.data.schema import t20_columns
from lib.data.workspace import COMPARISONS
from lib.jobs import cluster, runner, store
from lib.jobs.kinds import WP_COMPARE
from lib.wp.compare import compare_arms
from models.progress import Cancelled
from models.synth.chunks import sample_in_chunks
from models.synth.ctgan.synthesizer import train_synthesizer
from models.synth.engines import load_synthesizer
from models.wp.config import WPConfig
from tests.pages_helpers import wait_for
from tests.ray_helpers import free_port, ray_head, wait_until
from tests.synth_helpers import tiny, tiny_league

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def head():
    """A Ray head on 127.0.0.1 with 2 CPUs, started for this module and stopped after it; yields its address."""
    import cloudpickle

    with ray_head() as started:
        # The test's own task functions travel by value: the workers get lib/ and models/, not tests/.
        cloudpickle.register_pickle_by_value(sys.modules[__name__])
        try:
            yield started.address
        finally:
            cluster.disconnect()


@pytest.fixture
def on_ray(head):
    return cluster.connect(head)


def test_two_shards_on_ray_are_the_shards_of_a_local_run(on_ray):
    # Setup
    frame, config = tiny_league(), tiny(shards=2)
    logs = []
    # Run
    local = train_synthesizer(frame, config)
    remote = train_synthesizer(frame, config, on_epoch=logs.append, run_parts=cluster.part_runner(on_ray))
    # Assert: identical generators, losses and samples; every epoch of both shards reached the caller
    for mine, theirs in zip(local.shards, remote.shards, strict=True):
        state = theirs.generator.state_dict()
        assert all(torch.equal(value, state[name]) for name, value in mine.generator.state_dict().items())
        assert _losses(mine.history) == _losses(theirs.history)
    assert local.sample(200, seed=3).equals(remote.sample(200, seed=3))
    assert sorted((log.stage, log.epoch) for log in logs) == [
        ("shard 1/2", 1), ("shard 1/2", 2), ("shard 2/2", 1), ("shard 2/2", 2)]


def test_sampling_in_chunks_on_ray_gives_the_local_rows(on_ray, league):
    # Setup: 450 rows in chunks of 200, 200 and 50
    model = train_synthesizer(league, tiny(epochs=1))
    # Run
    local, local_report = sample_in_chunks(model, 450, seed=5, chunk_rows=200)
    remote, remote_report = sample_in_chunks(model, 450, seed=5, chunk_rows=200,
                                             run_chunks=cluster.chunk_runner(on_ray))
    # Assert
    assert len(remote) == 450 and remote.equals(local)
    assert remote_report == local_report


def test_train_and_sample_on_ray_from_the_command_line(on_ray, head, tmp_path, capsys):
    # Setup
    data = tmp_path / "t20.csv"
    t20_columns(tiny_league()).to_csv(data, index=False)
    # Run
    trained = main(["synth", "train", "--data", str(data), "--fraction", "0.5", "--epochs", "1", "--shards", "2",
                    "--batch-size", "100", "--player-encoding", "top_k", "--top-k", "10", "--out",
                    str(tmp_path / "model"), "--ray", head])
    sampled = main(["synth", "sample", "--model", str(tmp_path / "model"), "--rows", "300", "--seed", "2",
                    "--chunk-rows", "120", "--out", str(tmp_path / "synthetic.csv"), "--ray", head])
    output = capsys.readouterr().out
    # Assert: both shards were trained there and relayed their epochs; three chunks make the 300 rows
    assert trained == 0 and sampled == 0
    assert len(load_synthesizer(tmp_path / "model").shards) == 2
    assert len(pd.read_csv(tmp_path / "synthetic.csv")) == 300
    assert f"connecting to the Ray cluster at {head}" in output
    assert "shard 1/2 epoch 1/1: generator loss" in output and "shard 2/2 epoch 1/1: generator loss" in output
    assert "chunk 3/3 sampled" in output


def test_a_compare_job_of_the_app_runs_on_the_cluster_crease_ray_address_names(head, stored_league, monkeypatch):
    # Setup: the app started with CREASE_RAY_ADDRESS; a two-seed comparison of the real and reference arms, four
    # trainings (the first-seed `real` model travels back to be saved)
    monkeypatch.setenv(cluster.ADDRESS_VARIABLE, head)
    config = WPConfig(epochs=1, batch_size=256)
    params = {"real_id": stored_league.id, "synthetic_id": None, "ratios": [], "seeds": 2, "split": "match",
              "config": config.to_json()}
    # Run
    run = runner.submit(WP_COMPARE, params, "a comparison on Ray")
    done = wait_for(run.id, lambda r: not r.active, timeout=600)
    # Assert: stored where a local job stores it, with the local run's per-seed scores; the tasks' epochs reached
    # the run store (the job's progress bar)
    assert done.state == store.DONE, done.error
    report = json.loads((workspace.artifact_dir(COMPARISONS, run.id) / "report.json").read_text())
    local = compare_arms(workspace.load_dataset(stored_league.id), seeds=2, config=config)
    assert report["per_seed"] == local.to_json()["per_seed"]
    assert report["models"] == {"real": f"{run.id}-real"}
    assert {epoch["stage"] for epoch in store.epochs(run.id)} >= {"real, seed 1/2", "reference, seed 2/2"}


def test_a_task_whose_worker_is_killed_is_retried_once(on_ray, tmp_path):
    # Setup: a task that kills its own worker on its first attempt, as the out-of-memory killer would
    def die_once(shared, item, report):
        attempts = tmp_path / f"attempts-{item}"
        attempts.write_text(attempts.read_text() + "x" if attempts.exists() else "x")
        if item == 1 and len(attempts.read_text()) == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        return shared * item

    # Run
    results = dict(cluster.run_tasks(on_ray, die_once, 10, [1, 2]))
    # Assert
    assert results == {0: 10, 1: 20}
    assert (tmp_path / "attempts-1").read_text() == "xx" and (tmp_path / "attempts-2").read_text() == "x"


def test_a_task_that_fails_twice_fails_the_run_with_its_cause(on_ray, tmp_path):
    # Setup
    def always_fails(shared, item, report):
        attempts = tmp_path / "attempts"
        attempts.write_text(attempts.read_text() + "x" if attempts.exists() else "x")
        raise ValueError("shard 2 has no rows")

    # Run
    with pytest.raises(cluster.ClusterError) as failure:
        list(cluster.run_tasks(on_ray, always_fails, None, [1], label="shard"))
    # Assert
    assert str(failure.value) == ("A shard failed on the Ray cluster and again when retried: "
                                  "ValueError: shard 2 has no rows")
    assert (tmp_path / "attempts").read_text() == "xx"


def test_cancelling_the_run_cancels_its_running_tasks(on_ray, tmp_path):
    # Setup: a long task that says where it runs
    def long_task(shared, item, report):
        (tmp_path / "pid").write_text(str(os.getpid()))
        time.sleep(120)

    def started():
        return (tmp_path / "pid").exists()

    # Run: the job is cancelled once the task has started
    with pytest.raises(Cancelled):
        list(cluster.run_tasks(on_ray, long_task, None, [1], should_stop=started))
    # Assert: its worker process is gone, long before the task could have finished
    pid = int((tmp_path / "pid").read_text())
    wait_until(lambda: not _alive(pid), 60)
    assert not _alive(pid)


def test_an_unreachable_cluster_is_a_clear_message_and_without_ray_nothing_imports_it(tmp_path):
    # Setup: a port nothing listens on
    port = free_port()
    script = ("import sys; from lib.cli import main; code = main(sys.argv[1:]); "
              "print('ray imported' if 'ray' in sys.modules else 'ray not imported'); sys.exit(code)")
    command = [sys.executable, "-c", script, "wp", "compare", "--data", str(tmp_path / "none.csv"), "--out",
               str(tmp_path / "r.json")]
    # Run
    remote = subprocess.run([*command, "--ray", f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=120,
                            check=False)
    local = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    # Assert: the Ray run says what is wrong; the local one fails on the missing file without touching Ray
    assert remote.returncode == 2 and "No Ray cluster answers at '127.0.0.1:" in remote.stderr
    assert "Start one with `ray start --head`" in remote.stderr
    assert local.returncode == 2 and "ray not imported" in local.stdout


def _losses(history: list[dict]) -> list[tuple]:
    return [(record["generator"], record["discriminator"]) for record in history]


def _alive(pid: int) -> bool:
    import psutil

    return psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
