"""A damaged run store is reported, moved aside and rebuilt from the backup and the artifacts on disk."""

import json
import sqlite3

import pytest

from lib.cli import main
from lib.data import workspace
from lib.jobs import recovery, store
from lib.jobs.kinds import SYNTH, WP_COMPARE
from tests.pages_helpers import page


def _artifacts_of_two_finished_runs(stored_league) -> None:
    """A synthesizer with the synthetic set it made, and a comparison report, as finished jobs leave them."""
    model = workspace.artifact_root(workspace.SYNTHESIZERS) / "synth-20260101-000000-abcd"
    model.mkdir()
    (model / "synthesizer.json").write_text(json.dumps(  # as CTGAN wrote it before engines: no engine key
        {"format": "crease-lab-ctgan", "version": 1, "config": {"epochs": 2}, "stats": {"seconds_per_epoch": 1.5}}))
    rows = workspace.load_dataset(stored_league.id).head(50)
    workspace.save_dataset(rows, name="synthetic one", kind="synthetic", source="synthesizer",
                           extra={"synthesizer_id": model.name, "real_id": stored_league.id, "redrawn_share": 0.1})
    report = workspace.artifact_root(workspace.COMPARISONS) / "wp_compare-20260101-000000-ef01"
    report.mkdir()
    (report / "report.json").write_text(json.dumps(
        {"real_id": stored_league.id, "synthetic_id": None, "split": "match", "seeds": [0, 1], "test_matches": 5,
         "models": {}}))


@pytest.mark.parametrize("damage, reason", [
    (b"", "empty (0 bytes)"),
    (b"this is not a database at all" * 100, "does not start with SQLite's header"),
])
def test_a_damaged_store_is_moved_aside_and_rebuilt_from_the_artifacts(damage, reason, stored_league):
    # Setup: the artifacts of two finished runs, and a store that was truncated or overwritten
    _artifacts_of_two_finished_runs(stored_league)
    store.path().write_bytes(damage)
    # Run
    runs = store.list_runs()
    # Assert: both runs are back, done, with what the pages read from them; the damaged file kept and named
    by_kind = {run.kind: run for run in runs}
    assert sorted(by_kind) == [SYNTH, WP_COMPARE]
    synth = by_kind[SYNTH]
    assert synth.state == store.DONE and synth.result["dataset"].startswith("synthetic-one")
    assert synth.params["real_id"] == stored_league.id and synth.seconds == pytest.approx(3.0)
    assert synth.params["engine"] == "ctgan", "the engine read from the model folder"
    assert by_kind[WP_COMPARE].result["report"] == "wp_compare-20260101-000000-ef01"
    aside = list(workspace.root().glob("runs.damaged-*.sqlite"))
    assert len(aside) == 1 and aside[0].read_bytes() == damage
    notice = store.damage_notice()
    assert reason in notice and aside[0].name in notice and "rebuilt 2 finished run(s)" in notice


def test_a_half_written_store_fails_the_check_and_is_restored_from_the_backup(stored_league, capsys):
    # Setup: a run that ended (which refreshes the backup), then the store cut in half mid-file
    store.insert("job-1", "count", "tests.job_tasks:count", "first", {})
    store.finish("job-1", store.DONE, result={"epochs_done": 2})
    for _ in range(300):  # enough rows for the file to span many pages
        store.insert(f"filler-{_}", "count", "tests.job_tasks:count", "x" * 500, {})
    with sqlite3.connect(store.path()) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = store.path().read_bytes()
    store.path().write_bytes(data[: len(data) // 2])
    # Run
    check_code = main(["runs", "check"])
    check_err = capsys.readouterr().err
    list_code = main(["runs", "list"])
    listed = capsys.readouterr()
    # Assert: the check names the file and exits 2; listing repairs it, restores the run from the backup and
    # says so on the command line
    assert check_code == 2 and f"the run store {store.path()} is damaged" in check_err
    assert list_code == 0 and "job-1" in listed.out and "done" in listed.out
    assert "restored the backup" in listed.err and "moved aside to runs.damaged-" in listed.err
    assert main(["runs", "check"]) == 0


def test_runs_list_shows_kind_name_state_started_and_duration(capsys):
    # Setup
    store.insert("job-2", "count", "tests.job_tasks:count", "two epochs", {})
    store.update("job-2", state=store.RUNNING, started=1_000.0)
    store.finish("job-2", store.DONE)
    # Run
    code = main(["runs", "list"])
    # Assert
    header, row = capsys.readouterr().out.splitlines()
    assert code == 0 and header.split() == ["id", "kind", "name", "state", "started", "duration"]
    assert row.split()[:5] == ["job-2", "count", "two", "epochs", "done"]


def test_every_page_says_the_store_was_damaged(stored_league):
    # Setup: a damaged store found by an earlier command
    store.path().write_bytes(b"garbage" * 50)
    store.list_runs()
    # Run
    at = page("pages/1_Synthesize.py").run()
    # Assert
    assert any("was damaged" in warning.value for warning in at.warning)
    assert not at.exception


def test_a_sound_store_is_left_alone(stored_league):
    # Setup / Run
    store.insert("job-3", "count", "tests.job_tasks:count", "one", {})
    store.list_runs()
    # Assert
    assert recovery.problem(store.path()) == "" and store.damage_notice() == ""
    assert [run.id for run in store.list_runs()] == ["job-3"]
