"""Checkpoints of a synthesizer run, so that a stopped run resumes exactly where its last checkpoint was.

A checkpoint folder holds:

    prepared.npz, prepared.json   the rows and transforms of every shard (the run does not depend on the cache)
    progress.json                 settings, data fingerprint, finished shards, the current shard's epoch and
                                  JSON state (loss history, numpy random state)
    shard-<s>-epoch-<e>.pt        the current shard's networks, optimisers and torch random state
    finished-<s>.pt               the generator of each finished shard

Tensor files are written before progress.json points at them, so a crash never leaves a half checkpoint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import torch

from lib.data import files
from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.prepare import Prepared, load_prepared, save_prepared

_PREPARED = "prepared"
_PROGRESS = "progress.json"
_MAY_DIFFER = ("checkpoint_every", "threads", "device")
"""Settings a resumed run may change without changing what it computes."""


@dataclass
class Resumed:
    """What a checkpoint gives back.

    Attributes:
        prepared: the run's rows and transforms.
        finished: per finished shard, (generator state dict, history).
        current: the unfinished shard's (tensors, JSON state), or None when it has not checkpointed yet.
    """

    prepared: Prepared
    finished: list[tuple[dict, list[dict]]] = field(default_factory=list)
    current: tuple[dict, dict] | None = None


class CheckpointStore:
    """Reads and writes the checkpoints of one run in `folder`."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def start(self, prepared: Prepared, config: SynthConfig) -> None:
        """Begin a fresh run: drop any earlier checkpoint and store the preparation."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in [*self.folder.glob("shard-*.pt"), *self.folder.glob("finished-*.pt")]:
            old.unlink()
        save_prepared(prepared, self.folder, _PREPARED)
        self._write({"config": config.to_json(), "fingerprint": prepared.fingerprint, "finished": [], "current": None})

    def resume(self, config: SynthConfig, fingerprint: str, device: torch.device) -> Resumed | None:
        """The saved state of a run with these settings on this data, or None when the folder holds no run.

        Raises:
            ValueError: the folder holds a run of other data or other settings.
        """
        if not (self.folder / _PROGRESS).exists():
            return None
        progress = json.loads((self.folder / _PROGRESS).read_text())
        self._check_same_run(progress, config, fingerprint)
        resumed = Resumed(load_prepared(self.folder, _PREPARED))
        for shard, history in enumerate(progress["finished"]):
            resumed.finished.append((self._load(f"finished-{shard}.pt", device), history))
        if progress["current"] is not None:
            current = progress["current"]
            resumed.current = (self._load(current["file"], device), current["state"])
        return resumed

    def save_epoch(self, shard: int, tensors: dict, state: dict) -> None:
        """Checkpoint the current shard after epoch `state["epoch"]`."""
        name = f"shard-{shard}-epoch-{state['epoch']}.pt"
        self._save_tensors(tensors, name)
        progress = self._read()
        progress["current"] = {"shard": shard, "file": name, "state": state}
        self._write(progress)
        self._remove_stale(keep=name)

    def save_finished(self, shard: int, generator_state: dict, history: list[dict]) -> None:
        """Record a finished shard; the next shard starts from scratch."""
        self._save_tensors(generator_state, f"finished-{shard}.pt")
        progress = self._read()
        progress["finished"].append(history)
        progress["current"] = None
        self._write(progress)
        self._remove_stale(keep=None)

    def _check_same_run(self, progress: dict, config: SynthConfig, fingerprint: str) -> None:
        if progress["fingerprint"] != fingerprint:
            raise ValueError(
                f"the checkpoint in {self.folder} was made on other data; resume with the same data, "
                "or start a fresh run (without resume) or in another folder."
            )
        saved, wanted = progress["config"], config.to_json()
        changed = [k for k in wanted if k not in _MAY_DIFFER and saved.get(k) != wanted[k]]
        if changed:
            details = ", ".join(f"{k}: {saved.get(k)!r} -> {wanted[k]!r}" for k in changed)
            raise ValueError(
                f"the checkpoint in {self.folder} was made with other settings ({details}); resume with the "
                "same settings, or start a fresh run."
            )

    def _load(self, name: str, device: torch.device) -> dict:
        return torch.load(self.folder / name, map_location=device, weights_only=True)

    def _save_tensors(self, tensors: dict, name: str) -> None:
        with files.atomic_path(self.folder / name) as tmp:
            torch.save(tensors, tmp)

    def _read(self) -> dict:
        return json.loads((self.folder / _PROGRESS).read_text())

    def _write(self, progress: dict) -> None:
        files.write_text(self.folder / _PROGRESS, json.dumps(progress))

    def _remove_stale(self, keep: str | None) -> None:
        for old in self.folder.glob("shard-*.pt"):
            if old.name != keep:
                old.unlink()
