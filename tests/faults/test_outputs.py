"""Output faults: an --out folder that is not ours survives, two writers leave one whole file, a full disk keeps
the old file, and every error a user can act on is one line with exit code 2."""

import errno
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lib.cli import explain, main
from lib.data import files
from tests.faults.tmpfs import small_disk

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("group, marker", [("synth", "synthesizer.json"), ("wp", "wp.json")])
def test_an_out_folder_holding_a_user_file_survives(group, marker, tmp_path, monkeypatch, capsys):
    # Setup: a folder of the user's, and data that would train
    monkeypatch.chdir(tmp_path)
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "t20.csv").write_text("the user's data\n")
    # Run
    code = main([group, "train", "--data", "nowhere.csv", "--out", "mine"])
    # Assert: refused before anything else (the data is not even read), the file intact, nothing staged
    assert code == 2
    assert f"has no {marker}" in capsys.readouterr().err
    assert (precious / "t20.csv").read_text() == "the user's data\n"
    assert not list(tmp_path.glob(".staging-*"))


@pytest.mark.parametrize("out", [".", ".."])
def test_the_current_folder_is_never_an_out_folder(out, tmp_path, monkeypatch, capsys):
    # Setup
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t20.csv").write_text("data\n")
    # Run
    code = main(["synth", "train", "--data", "t20.csv", "--out", out])
    # Assert
    assert code == 2 and "current folder or one above it" in capsys.readouterr().err
    assert (tmp_path / "t20.csv").exists()


def test_an_earlier_model_is_replaced_only_with_force(tmp_path):
    # Setup: a folder one of our commands wrote
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "wp.json").write_text("{}")
    # Run / Assert
    with pytest.raises(files.OutputRefused, match="pass --force"):
        files.check_output_dir(folder, "wp.json", "WP model")
    assert files.check_output_dir(folder, "wp.json", "WP model", force=True) == folder.resolve()
    assert files.check_output_dir(tmp_path / "new", "wp.json", "WP model") == (tmp_path / "new").resolve()


def test_two_writers_to_one_output_leave_one_whole_file(tmp_path):
    # Setup: two processes each write a 200,000-row CSV of its own value to the same path, three times over
    target = tmp_path / "out.csv"
    script = ("import sys, pandas as pd; from lib.data import files; v = int(sys.argv[1]); "
              "frame = pd.DataFrame({'a': [v] * 200_000, 'b': [v] * 200_000}); "
              "[files.write_csv(sys.argv[2], frame) for _ in range(3)]")
    # Run
    writers = [subprocess.Popen([sys.executable, "-c", script, str(v), str(target)], cwd=REPO) for v in (1, 2)]
    codes = [w.wait(timeout=120) for w in writers]
    # Assert: both succeeded and the file is one writer's whole output, never a mix or a truncation
    assert codes == [0, 0]
    frame = pd.read_csv(target)
    assert len(frame) == 200_000 and frame.nunique().tolist() == [1, 1]
    assert not list(tmp_path.glob(".tmp-*"))


def test_a_full_disk_keeps_the_old_file_and_says_disk_full(tmp_path):
    with small_disk(tmp_path / "disk", "1m") as disk:
        # Setup: a good file, then one too big for the disk
        target = disk / "report.csv"
        files.write_csv(target, pd.DataFrame({"a": [1, 2, 3]}))
        # Run
        with pytest.raises(OSError) as caught:
            files.write_csv(target, pd.DataFrame({"a": range(1_000_000)}))
        # Assert: the old file as it was, no partial file, and a message naming the target
        assert caught.value.errno == errno.ENOSPC
        assert pd.read_csv(target)["a"].tolist() == [1, 2, 3]
        assert [p.name for p in disk.iterdir()] == ["report.csv"]
        assert explain(caught.value).startswith(f"disk full while writing {target}")


@pytest.mark.parametrize("error, expected", [
    (OSError(errno.EROFS, "Read-only file system", "/data/out.csv"), "read-only file system: /data/out.csv"),
    (IsADirectoryError(errno.EISDIR, "is a folder", "/tmp"), "/tmp is a folder; give a file name inside it"),
    (PermissionError(errno.EACCES, "Permission denied", "/root/x"), "permission denied: /root/x"),
    (MemoryError(), "ran out of memory"),
])
def test_errors_a_user_can_act_on_are_explained_in_one_line(error, expected):
    # Run / Assert
    assert expected in explain(error)


def test_a_bug_is_one_line_and_its_traceback_shows_behind_debug(monkeypatch, capsys):
    # Setup: a command that fails the way a bug does
    def broken(args):
        raise TypeError("unsupported operand")

    monkeypatch.setattr("lib.cli.runs.list_command", broken)
    # Run
    code = main(["runs", "list"])
    # Assert: exit 1 with one line; --debug raises the error itself
    assert code == 1 and "This is a bug; run again with --debug" in capsys.readouterr().err
    with pytest.raises(TypeError):
        main(["--debug", "runs", "list"])


def test_an_output_path_that_is_a_folder_is_refused_by_name(tmp_path, capsys):
    # Run
    code = main(["data", "sample", "--matches", "2", "--out", str(tmp_path)])
    # Assert
    assert code == 2 and f"{tmp_path} is a folder" in capsys.readouterr().err


def test_a_model_saved_to_a_full_disk_says_disk_full_and_leaves_no_staging_folder(tmp_path):
    import torch

    with small_disk(tmp_path / "disk", "1m") as disk:
        # Setup: a model folder to be written by torch, which reports a full disk as a RuntimeError
        destination = disk / "model"
        # Run
        with pytest.raises(OSError) as caught, files.staged_dir(destination) as staging:
            torch.save({"weights": torch.zeros(1_000_000)}, staging / "generator-0.pt")
        # Assert: said as a full disk, naming the folder; nothing left behind
        assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(destination)
        assert list(disk.iterdir()) == []
