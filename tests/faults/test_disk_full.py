"""A full disk stops a job with "disk full" and where, and loses no earlier run; bad job settings are refused
before any job starts."""

import shutil
import subprocess
import sys
from collections import namedtuple

import pytest

from lib.data import workspace
from lib.jobs import runner, store
from tests.faults.tmpfs import small_disk
from tests.pages_helpers import wait_for


def test_a_job_that_fills_the_disk_says_disk_full_and_keeps_earlier_runs(tmp_path, monkeypatch):
    with small_disk(tmp_path / "disk", "8m") as disk:
        # Setup: a workspace on an 8 MB disk, and a run that finished there
        monkeypatch.setenv(workspace.ENV_VAR, str(disk / "workspace"))
        earlier = runner.submit("count", {"epochs": 1, "sleep": 0.01}, "earlier", body="tests.job_tasks:count")
        wait_for(earlier.id, lambda r: not r.active)
        # Run: a job that writes 64 MB
        filler = runner.submit("fill", {"bytes": 64 * 1024 * 1024}, "filler", body="tests.job_tasks:fill_disk")
        filler = wait_for(filler.id, lambda r: not r.active)
        # Assert: failed with "disk full" and the file it was writing; the earlier run still done, nothing left over
        assert filler.state == store.FAILED
        assert filler.error.startswith(f"disk full while writing {disk / 'workspace' / 'artifacts' / 'big.bin'}")
        assert runner.get(earlier.id).state == store.DONE
        assert not list((disk / "workspace" / "artifacts").glob(".tmp-*"))


def test_a_vanished_job_on_a_full_disk_is_reported_as_disk_full(monkeypatch):
    # Setup: a run whose processes are gone (a finished process's pid), on a disk with 1 MB free
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    store.insert("job-x", "count", "tests.job_tasks:count", "vanished", {})
    store.update("job-x", state=store.RUNNING, supervisor_pid=gone.pid)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 2**20, 2**20))
    # Run
    run = runner.get("job-x")
    # Assert: not "lost: the machine or app's session was restarted"
    assert run.state == store.FAILED and run.error.startswith(f"disk full: the workspace {workspace.root()} has 1")


@pytest.mark.parametrize("setting", ["abc", "0", "-2", ""])
def test_a_bad_max_jobs_setting_is_refused_before_the_job_starts(setting, monkeypatch):
    # Setup
    monkeypatch.setenv(runner.MAX_JOBS_VAR, setting)
    # Run / Assert: an error saying how to fix it, and no run recorded (none would end "lost")
    with pytest.raises(ValueError, match="set it to a whole number of at least 1"):
        runner.submit("count", {"epochs": 1, "sleep": 0}, "one", body="tests.job_tasks:count")
    assert store.list_runs() == []


def test_a_bad_max_jobs_setting_is_said_on_the_page(monkeypatch, stored_league):
    from tests.pages_helpers import page

    # Setup
    monkeypatch.setenv(runner.MAX_JOBS_VAR, "abc")
    # Run
    at = page("pages/1_Synthesize.py").run()
    # Assert: what to set, before any Train button
    assert "CREASE_MAX_JOBS is 'abc'" in at.error[0].value and not at.button
    assert not at.exception


@pytest.mark.parametrize("setting", ["", "   "])
def test_an_empty_workspace_setting_is_refused_not_the_current_folder(setting, monkeypatch):
    # Setup
    monkeypatch.setenv(workspace.ENV_VAR, setting)
    # Run / Assert
    with pytest.raises(workspace.WorkspaceUnusable, match="is set but empty"):
        workspace.root()


def test_a_read_only_workspace_is_said_on_the_page_not_a_traceback(tmp_path, monkeypatch):
    from tests.pages_helpers import page

    with small_disk(tmp_path / "disk", "1m") as disk:
        # Setup: a workspace on a file system mounted read-only
        (disk / "workspace").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        monkeypatch.setenv(workspace.ENV_VAR, str(disk / "workspace"))
        # Run
        at = page("pages/1_Synthesize.py").run()
        # Assert
        assert "The workspace cannot be written" in at.error[0].value and "Read-only file system" in at.error[0].value
        assert not at.exception
