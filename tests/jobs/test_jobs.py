"""Background jobs: progress on disk, cancel, failures with their cause, kills, and waiting for a turn."""

import os
import signal

import pytest

from lib.jobs import runner, store
from tests.pages_helpers import wait_for

COUNT = "tests.job_tasks:count"


@pytest.fixture(autouse=True)
def one_job_at_a_time(monkeypatch):
    monkeypatch.setenv("CREASE_MAX_JOBS", "1")


def test_a_job_runs_to_done_with_every_epoch_on_disk():
    # Run
    run = runner.submit("test", {"epochs": 3, "sleep": 0.05}, "count to three", body=COUNT)
    run = wait_for(run.id, lambda r: not r.active)
    # Assert
    assert run.state == store.DONE and run.progress == 1.0
    assert run.result["epochs_done"] == 3 and run.result["peak_rss_bytes"] > 0
    assert [e["epoch"] for e in store.epochs(run.id)] == [1, 2, 3]
    assert store.epochs(run.id)[2]["loss"] == pytest.approx(1 / 3)


def test_a_raising_job_is_failed_with_its_cause():
    run = runner.submit("test", {}, "boom", body="tests.job_tasks:boom")
    run = wait_for(run.id, lambda r: not r.active)
    assert run.state == store.FAILED
    assert run.error == "ValueError: the data had no rows of the losing side"
    assert "Traceback" in runner.log_tail(run.id)


def test_cancel_stops_a_running_job():
    run = runner.submit("test", {"epochs": 200, "sleep": 0.1}, "long", body=COUNT)
    wait_for(run.id, lambda r: store.epochs(r.id))
    runner.cancel(run.id)
    run = wait_for(run.id, lambda r: not r.active, timeout=20)
    assert run.state == store.CANCELLED and len(store.epochs(run.id)) < 200


def test_sigkill_mid_epoch_is_recorded_and_earlier_runs_are_untouched():
    # Setup: one finished run, one running
    earlier = wait_for(runner.submit("test", {"epochs": 1, "sleep": 0}, "earlier", body=COUNT).id,
                       lambda r: not r.active)
    run = runner.submit("test", {"epochs": 200, "sleep": 0.1}, "victim", body=COUNT)
    run = wait_for(run.id, lambda r: r.worker_pid and store.epochs(r.id))
    # Run
    os.kill(run.worker_pid, signal.SIGKILL)
    run = wait_for(run.id, lambda r: not r.active)
    # Assert
    assert run.state == store.FAILED and run.error == "killed (SIGKILL): most likely out of memory"
    assert runner.get(earlier.id).state == store.DONE
    assert {r.id for r in runner.list_runs()} == {earlier.id, run.id}


def test_second_job_waits_its_turn_with_a_message_then_both_finish():
    first = runner.submit("test", {"epochs": 5, "sleep": 0.2}, "first", body=COUNT)
    wait_for(first.id, lambda r: r.state == store.RUNNING)
    second = runner.submit("test", {"epochs": 1, "sleep": 0}, "second", body=COUNT)
    waiting = wait_for(second.id, lambda r: "waiting for its turn" in r.message)
    assert waiting.state == store.QUEUED
    assert wait_for(first.id, lambda r: not r.active).state == store.DONE
    assert wait_for(second.id, lambda r: not r.active).state == store.DONE


def test_a_run_whose_processes_vanished_shows_as_lost():
    run = runner.submit("test", {"epochs": 200, "sleep": 0.1}, "orphan", body=COUNT)
    run = wait_for(run.id, lambda r: r.worker_pid and store.epochs(r.id))
    os.killpg(os.getpgid(run.supervisor_pid), signal.SIGKILL)  # supervisor and worker share a session
    run = wait_for(run.id, lambda r: not r.active)
    assert run.state == store.FAILED and run.error.startswith("lost:")


def test_cancel_of_a_queued_job_takes_effect_at_once():
    first = runner.submit("test", {"epochs": 3, "sleep": 0.2}, "first", body=COUNT)
    wait_for(first.id, lambda r: r.state == store.RUNNING)
    second = runner.submit("test", {"epochs": 1, "sleep": 0}, "second", body=COUNT)
    runner.cancel(second.id)
    assert runner.get(second.id).state == store.CANCELLED
    wait_for(first.id, lambda r: not r.active)
