"""The CTGAN engine: a trained CTGAN synthesizer, training one, sampling valid t20.csv rows, saving and loading
without pickle.

On disk, a model folder holds ``synthesizer.json`` (engine, settings, column transforms, category values, GMM
modes, observed bounds, player vocabulary and rare-player frequencies, loss history, timings) and one
``generator-<shard>.pt`` state dict per shard, read with ``torch.load(..., weights_only=True)``. Folders written
before engines existed lack the ``engine`` key; their format names CTGAN (models.synth.engines.engine_of).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from ctgan.synthesizers.ctgan import Generator

from lib.data import files
from lib.data.rules import CricketRules
from lib.data.schema import MODEL_COLUMNS
from models.progress import OnEpoch, ShouldStop
from models.synth.base import ROWS, RunParts, SampleReport, Synthesizer, checked_model
from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.estimate import CtganCostEstimate, estimate_cost
from models.synth.ctgan.sampling import draw_rows
from models.synth.ctgan.table_layout import TableLayout
from models.synth.ctgan.train import LOSS_NAMES, ShardModel, train_shards
from models.synth.engines import MODEL_FILE
from models.synth.redraw import Draw, observed_bounds, sample_valid

FORMAT = "crease-lab-ctgan"
VERSION = 1
"""The file format; adding the "engine" key kept it readable by version 1 readers, so the version stayed."""


class CtganSynthesizer(Synthesizer):
    """A trained synthesizer of one or more shards; samples are pooled over shards.

    Args:
        config: the settings it was trained with.
        shards: the trained shards.
        bounds: column -> (lowest, highest) value observed in the training data, for the numeric columns.
        rules: the cricket rules with the training data's players.
        stats: measured facts about the run: seconds per epoch, peak RSS bytes, predictions, timings.
    """

    name = "ctgan"
    title = "CTGAN"
    summary = "Learns rows one by one with a conditional GAN (as published); works on any t20.csv."
    config_class = SynthConfig
    loss_names = LOSS_NAMES
    writes = ROWS

    def __init__(self, config: SynthConfig, shards: list[ShardModel], bounds: dict, rules: CricketRules, stats: dict):
        self.config, self.shards, self.bounds, self.rules, self.stats = config, shards, bounds, rules, stats

    @classmethod
    def train(cls, frame: pd.DataFrame, config: SynthConfig | None = None, *, events=None,
              on_epoch: OnEpoch | None = None, should_stop: ShouldStop | None = None, checkpoint_dir=None,
              resume: bool = False, cache_dir=None, run_parts: RunParts | None = None) -> CtganSynthesizer:
        """`train_synthesizer`; CTGAN learns rows one by one, so it has no use for `events`."""
        return train_synthesizer(frame, config, on_epoch=on_epoch, should_stop=should_stop,
                                 checkpoint_dir=checkpoint_dir, resume=resume, cache_dir=cache_dir,
                                 run_parts=run_parts)

    @classmethod
    def estimate(cls, frame: pd.DataFrame, config: SynthConfig | None = None, *, events=None, probe: bool = True,
                 cache_dir=None) -> CtganCostEstimate:
        """`models.synth.ctgan.estimate.estimate_cost` of `config` (None: the defaults)."""
        return estimate_cost(frame, config or SynthConfig(), probe=probe, cache_dir=cache_dir)

    @property
    def history(self) -> list[dict]:
        return [record for shard in self.shards for record in shard.history]

    def sample_with_report(self, n: int, seed: int | None = None) -> tuple[pd.DataFrame, SampleReport]:
        """Generate `n` rows within the cricket rules' bounds and the observed bounds (models.synth.redraw; the
        identities between columns are not enforced).

        Each shard contributes an equal share. Integer columns are rounded; a row that breaks a rule is
        redrawn; numeric values are then clipped to the bounds observed in the training data.

        Args:
            n: rows wanted, >= 0.
            seed: makes the rows repeatable; None draws fresh ones.

        Returns:
            (frame, report): the rows in t20.csv column order and dtypes, and what sampling did.

        Raises:
            models.synth.base.SamplingError: too few generated rows obey the rules.
        """
        rng = np.random.default_rng(seed)
        return sample_valid([self._draw(shard, rng) for shard in self.shards], n, rng, self.rules, self.bounds)

    def _draw(self, shard: ShardModel, rng: np.random.Generator) -> Draw:
        batch = self.config.batch_size

        def draw(missing: int) -> dict[str, np.ndarray]:
            # The generator always computes whole batches, so all of them are decoded.
            return draw_rows(shard.generator, shard.layout, self.config, -(-missing // batch) * batch, rng)

        return draw

    def save(self, folder: str | Path) -> Path:
        """Write the model into `folder`, replacing it whole: built beside it and moved into place in one rename,
        so a crash mid-save leaves the old folder (or none), never half a model. Returns the folder."""
        folder = Path(folder)
        with files.staged_dir(folder) as staging:
            self._write(staging)
        return folder

    def _write(self, folder: Path) -> None:
        for i, shard in enumerate(self.shards):
            torch.save(shard.generator.state_dict(), folder / f"generator-{i}.pt")
        meta = {
            "engine": self.name,
            "format": FORMAT,
            "version": VERSION,
            "config": self.config.to_json(),
            "columns": MODEL_COLUMNS,
            "bounds": {column: list(pair) for column, pair in self.bounds.items()},
            "players": self.rules.to_json(),
            "shards": [{"layout": s.layout.to_json(), "history": s.history, "rows": s.rows} for s in self.shards],
            "stats": self.stats,
        }
        (folder / MODEL_FILE).write_text(json.dumps(meta, indent=1))

    @classmethod
    def load(cls, folder: str | Path, device: str = "cpu") -> CtganSynthesizer:
        """Read a model written by `save` (or by a version before engines); needs neither the training data nor
        pickle."""
        folder = Path(folder)
        path = folder / MODEL_FILE
        if not path.is_file():
            raise FileNotFoundError(f"{folder} holds no synthesizer (no {MODEL_FILE}). Train one first.")
        meta = json.loads(path.read_text())
        if meta.get("format") != FORMAT or meta.get("version") != VERSION or meta.get("engine", cls.name) != cls.name:
            raise ValueError(f"{path} is not a Crease Lab CTGAN synthesizer of version {VERSION}.")
        return checked_model(path, lambda: cls._from_meta(folder, meta, device))

    @classmethod
    def _from_meta(cls, folder: Path, meta: dict, device: str) -> CtganSynthesizer:
        config = SynthConfig.from_json(meta["config"])  # a tampered batch size or learning rate is refused here
        if not isinstance(meta["shards"], list) or len(meta["shards"]) != config.shards:
            raise ValueError(f"it lists {len(meta['shards']) if isinstance(meta['shards'], list) else 'no'} shard(s) "
                             f"where its settings say {config.shards}")
        shards = []
        for i, shard in enumerate(meta["shards"]):
            layout = TableLayout.from_json(shard["layout"])
            generator = Generator(config.embedding_dim + layout.cond_dim, config.generator_dim, layout.width)
            state = torch.load(folder / f"generator-{i}.pt", map_location=device, weights_only=True)
            generator.load_state_dict(state)
            shards.append(ShardModel(layout, generator.to(device), shard["history"], shard["rows"]))
        bounds = {column: tuple(pair) for column, pair in meta["bounds"].items()}
        return cls(config, shards, bounds, CricketRules.from_json(meta["players"]), meta["stats"])


def train_synthesizer(frame: pd.DataFrame, config: SynthConfig | None = None, **options) -> CtganSynthesizer:
    """Train a CTGAN synthesizer on t20 rows: a plain function, so that the command line and the app's background
    jobs call the same thing (through `CtganSynthesizer.train`).

    Args:
        frame: validated t20 rows (lib.data.tables.load_t20); extra columns are ignored.
        config: settings; defaults to SynthConfig().
        options: on_epoch, should_stop, checkpoint_dir, resume, cache_dir and run_parts of
            models.synth.ctgan.train.train_shards.

    Returns:
        The trained synthesizer; its `stats` hold measured seconds per epoch and peak RSS next to the
        predicted peak.

    Raises:
        ValueError: bad settings or data, or a run predicted not to fit in memory (NotEnoughMemory, with
            suggestions), before any training.
        models.progress.Cancelled: `should_stop` said so.
    """
    config = config or SynthConfig()
    shards, stats = train_shards(frame, config, **options)
    return CtganSynthesizer(config, shards, observed_bounds(frame), CricketRules.from_frame(frame), stats)
