"""A writer killed mid-write (kill -9) leaves a hidden temporary file or staging folder; the next writer of that
folder removes it once it is a minute old, and never a concurrent writer's or anything that is not ours."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lib.data import files

REPO = Path(__file__).resolve().parents[2]
HALF_WRITTEN = {
    # a file being written under its temporary name, then the writer sleeps until killed
    "atomic_path": "with files.atomic_path(folder / 'report.csv') as tmp:\n"
                   "    tmp.write_text('half')\n    print('writing', flush=True)\n    time.sleep(60)",
    # a model folder being staged
    "staged_dir": "with files.staged_dir(folder / 'model') as staging:\n"
                  "    (staging / 'weights.pt').write_text('half')\n"
                  "    print('writing', flush=True)\n    time.sleep(60)",
}


def _killed_mid_write(kind: str, folder: Path) -> list[Path]:
    """Run a writer in another process, SIGKILL it mid-write, and return what it left in `folder`."""
    script = f"import sys, time; from pathlib import Path; from lib.data import files\nfolder = Path(sys.argv[1])\n" \
             f"{HALF_WRITTEN[kind]}"
    writer = subprocess.Popen([sys.executable, "-c", script, str(folder)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "writing"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    return sorted(folder.iterdir())


def _age(path: Path, seconds: float) -> None:
    """Set the time `path` (and all inside it) was last written to `seconds` ago."""
    then = time.time() - seconds
    for inner in [path, *(path.rglob("*") if path.is_dir() else [])]:
        os.utime(inner, (then, then))


@pytest.mark.parametrize("kind", list(HALF_WRITTEN))
@pytest.mark.parametrize("next_writer", ["write_text", "staged_dir"])
def test_the_next_writer_removes_what_a_killed_writer_left(kind, next_writer, tmp_path):
    # Setup: a writer killed mid-write, its leftover two minutes old; the user's own hidden files beside it
    left = _killed_mid_write(kind, tmp_path)
    assert len(left) == 1 and left[0].name.startswith((".tmp-", ".staging-"))
    _age(left[0], 120)
    mine = [tmp_path / ".tmp-notes.txt", tmp_path / ".staging-area"]
    for path in mine:
        path.write_text("the user's")
        _age(path, 3600)
    # Run: the next writer of the folder
    if next_writer == "write_text":
        files.write_text(tmp_path / "other.json", "{}")
    else:
        with files.staged_dir(tmp_path / "other") as staging:
            (staging / "a.txt").write_text("a")
    # Assert: the leftover is gone, the new output and the user's files are there
    assert not left[0].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".staging-area", ".tmp-notes.txt",
                                                                  "other" if next_writer == "staged_dir" else
                                                                  "other.json"])


def test_a_concurrent_writers_temporary_file_is_left_alone(tmp_path):
    # Setup: a staging folder whose folder is old but whose file is still being written, and a fresh temporary file
    staging = tmp_path / ".staging-abcd1234"
    staging.mkdir()
    (staging / "weights.pt").write_text("growing")
    os.utime(staging, (time.time() - 600, time.time() - 600))
    fresh = tmp_path / f".tmp-{'0' * 32}-report.csv"
    fresh.write_text("being written")
    # Run
    removed = files.remove_leftovers(tmp_path)
    # Assert
    assert removed == [] and staging.exists() and fresh.exists()
