"""The finished parts of work that runs in parts (a comparison's trainings, a sample's chunks), kept on disk as each
finishes, so that work stopped halfway (a lost Ray cluster, a cancel, a killed process) continues when it is run
again, as a synthesizer's checkpoints continue its shards (models.synth.ctgan.checkpoint).

Each piece of work has a folder of its own under the workspace's `kept/` folder (`lib.data.workspace.kept_root`),
named by a hash of what it computes (its data, settings and parts), so running the same work again finds it:

    plan.json            what the work computes and its parts, in order
    part-<i>.parquet     a finished part's rows
    part-<i>/            files of a part's own (a trained model)
    part-<i>.json        the rest of the part, written last: a part counts as finished once this is there

The work's caller removes the folder once the whole result is written.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from lib.data import files

_PLAN = "plan.json"


class FinishedParts:
    """The kept parts of one piece of work.

    Args:
        root: where the folders of kept work live.
        kind: what the work is, as the start of its folder's name ("compare", "sample").
        about: what the caller knows the work by that the work itself cannot see (the synthesizer's files).

    Attributes:
        folder: this work's folder, once `start` has named it.
        plan: the parts, in order, once started.
        reused: parts found finished when the work started.
    """

    def __init__(self, root: str | Path, kind: str, about: dict | None = None):
        self.root, self.kind, self.about = Path(root), kind, about or {}
        self.folder: Path | None = None
        self.plan: list = []
        self.reused = 0

    def start(self, settings: dict, plan: list) -> list:
        """Open the folder of the work that `settings` describe, in parts `plan` (JSON values, one per part).

        Returns:
            The plan an earlier run of the same work stored, when there is one (so a seed it drew is drawn
            again), else `plan`, now stored.
        """
        identity = json.dumps({"about": self.about, "settings": settings}, sort_keys=True)
        self.folder = self.root / f"{self.kind}-{hashlib.blake2b(identity.encode(), digest_size=8).hexdigest()}"
        stored = self.folder / _PLAN
        if stored.is_file():
            self.plan = json.loads(stored.read_text())["plan"]
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            files.write_text(stored, json.dumps({"about": self.about, "settings": settings, "plan": plan}, indent=1))
            self.plan = json.loads(json.dumps(plan))  # as it reads back: tuples become lists
        self.reused = len(self.finished())
        return self.plan

    def finished(self) -> list[int]:
        """Indices of the parts stored, in order."""
        return sorted(int(path.stem.removeprefix("part-")) for path in self.folder.glob("part-*.json"))

    def part_dir(self, index: int) -> Path:
        """A folder for files of part `index`'s own, to fill before `save`."""
        return self.folder / f"part-{index}"

    def save(self, index: int, frame: pd.DataFrame, meta: dict) -> None:
        """Store finished part `index`: its rows, then the rest (JSON), which makes it count."""
        with files.atomic_path(self.folder / f"part-{index}.parquet") as tmp:
            frame.to_parquet(tmp, index=False)
        files.write_text(self.folder / f"part-{index}.json", json.dumps(meta))

    def load(self, index: int) -> tuple[pd.DataFrame, dict]:
        """(rows, the rest) of stored part `index`."""
        meta = json.loads((self.folder / f"part-{index}.json").read_text())
        return pd.read_parquet(self.folder / f"part-{index}.parquet"), meta

    def describe(self, label: str) -> str:
        """What is kept, in words: "2 of 6 trainings are kept in FOLDER"."""
        count = len(self.finished()) if self.folder is not None and self.folder.is_dir() else 0
        if self.folder is None or count == 0:
            return f"No {label} had finished, so nothing is kept."
        return f"{count} of {len(self.plan)} {label}(s) are kept in {self.folder}."

    def remove(self) -> None:
        """Forget the work's parts: its whole result is written."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def in_order(pairs: Iterable[tuple[int, object]]) -> Iterator[object]:
    """Results of (index, result) pairs arriving in any order, yielded by index 0, 1, ... as soon as each can be."""
    waiting, upcoming = {}, 0
    for index, result in pairs:
        waiting[index] = result
        while upcoming in waiting:
            yield waiting.pop(upcoming)
            upcoming += 1


def fingerprint(*frames: pd.DataFrame | None) -> str:
    """A hash of the frames' column names, types and values, in order; None counts as a frame of its own."""
    digest = hashlib.blake2b(digest_size=16)
    for frame in frames:
        if frame is None:
            digest.update(b"none")
            continue
        digest.update(json.dumps([[str(name), str(dtype)] for name, dtype in frame.dtypes.items()]).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def folder_fingerprint(folder: str | Path) -> str:
    """A hash of the names and contents of every file in `folder` (a saved model)."""
    digest = hashlib.blake2b(digest_size=16)
    folder = Path(folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
