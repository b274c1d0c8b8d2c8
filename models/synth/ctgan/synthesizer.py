"""A trained CTGAN synthesizer: sampling valid t20.csv rows, saving and loading without pickle.

On disk, a model folder holds ``synthesizer.json`` (settings, column transforms, category values, GMM modes,
observed bounds, player vocabulary and rare-player frequencies, loss history, timings) and one
``generator-<shard>.pt`` state dict per shard, read with ``torch.load(..., weights_only=True)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from ctgan.synthesizers.ctgan import Generator

from lib.data import files
from lib.data.rules import CricketRules
from lib.data.schema import INTEGER_COLUMNS, MODEL_COLUMNS, NUMERIC_COLUMNS
from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.sampling import draw_rows
from models.synth.ctgan.table_layout import TableLayout

FORMAT = "crease-lab-ctgan"
VERSION = 1
MAX_DRAWS_PER_ROW = 20
"""Give up when this many rows per requested row were generated and still too few obey the rules."""


class SamplingError(ValueError):
    """The model produces too few rows that obey the cricket rules; training longer usually helps."""


@dataclass
class ShardModel:
    """One trained generator and what it needs to sample.

    Attributes:
        layout: transformed-row layout of its training rows.
        generator: the trained ctgan Generator.
        history: per epoch, mean "generator" and "discriminator" losses and "seconds".
        rows: number of training rows.
    """

    layout: TableLayout
    generator: Generator
    history: list[dict]
    rows: int


@dataclass
class SampleReport:
    """What sampling did.

    Attributes:
        rows: rows returned.
        generated: rows generated, including those redrawn.
        redrawn_share: share of generated rows that broke a cricket rule and were redrawn, 0..1.
        broken: per rule, generated rows that broke it.
    """

    rows: int
    generated: int
    redrawn_share: float
    broken: dict[str, int] = field(default_factory=dict)


class CtganSynthesizer:
    """A trained synthesizer of one or more shards; samples are pooled over shards.

    Args:
        config: the settings it was trained with.
        shards: the trained shards.
        bounds: column -> (lowest, highest) value observed in the training data, for the numeric columns.
        rules: the cricket rules with the training data's players.
        stats: measured facts about the run: seconds per epoch, peak RSS bytes, predictions, timings.
    """

    def __init__(self, config: SynthConfig, shards: list[ShardModel], bounds: dict, rules: CricketRules, stats: dict):
        self.config, self.shards, self.bounds, self.rules, self.stats = config, shards, bounds, rules, stats

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        """`n` synthetic rows in the ten t20.csv columns; see `sample_with_report`."""
        return self.sample_with_report(n, seed)[0]

    def sample_with_report(self, n: int, seed: int | None = None) -> tuple[pd.DataFrame, SampleReport]:
        """Generate `n` rows that obey the cricket rules, inside the observed bounds.

        Each shard contributes an equal share. Integer columns are rounded; a row that breaks a rule is
        redrawn; numeric values are then clipped to the bounds observed in the training data.

        Args:
            n: rows wanted, >= 0.
            seed: makes the rows repeatable; None draws fresh ones.

        Returns:
            (frame, report): the rows in t20.csv column order and dtypes, and what sampling did.

        Raises:
            SamplingError: too few generated rows obey the rules.
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"rows to sample must be a whole number >= 0, not {n!r}.")
        rng = np.random.default_rng(seed)
        quotas = np.full(len(self.shards), n // len(self.shards))
        quotas[: n % len(self.shards)] += 1
        report = SampleReport(rows=int(n), generated=0, redrawn_share=0.0)
        parts = [self._valid_rows(shard, int(quota), rng, report) for shard, quota in zip(self.shards, quotas)]
        frame = pd.concat(parts, ignore_index=True) if parts else _empty()
        frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
        report.redrawn_share = 1 - n / report.generated if report.generated else 0.0
        return self._clip(frame), report

    def _valid_rows(self, shard: ShardModel, rows: int, rng: np.random.Generator, report: SampleReport):
        kept, missing, generated = [], rows, 0
        batch = self.config.batch_size
        while missing > 0:
            if generated >= MAX_DRAWS_PER_ROW * max(rows, 1):
                raise SamplingError(
                    f"only {rows - missing} of {generated} generated rows obey the cricket rules; "
                    "the model is undertrained. Train for more epochs or on a larger fraction."
                )
            # The generator always computes whole batches, so decode all of them; rows past the last one
            # needed are neither kept nor counted.
            frame = _rounded(draw_rows(shard.generator, shard.layout, self.config, -(-missing // batch) * batch, rng))
            checks = self.rules.checks(frame)
            valid = np.logical_and.reduce(list(checks.values()))
            examined = min(len(frame), int(np.searchsorted(np.cumsum(valid), missing)) + 1)
            for rule, obeyed in checks.items():
                report.broken[rule] = report.broken.get(rule, 0) + int((~obeyed[:examined]).sum())
            kept.append(frame[:examined][valid[:examined]])
            generated += examined
            missing -= int(valid[:examined].sum())
        report.generated += generated
        return pd.concat(kept, ignore_index=True) if kept else _empty()

    def _clip(self, frame: pd.DataFrame) -> pd.DataFrame:
        for column, (low, high) in self.bounds.items():
            frame[column] = frame[column].clip(low, high)
        return frame

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
            "format": FORMAT,
            "version": VERSION,
            "config": self.config.to_json(),
            "columns": MODEL_COLUMNS,
            "bounds": {column: list(pair) for column, pair in self.bounds.items()},
            "players": self.rules.to_json(),
            "shards": [{"layout": s.layout.to_json(), "history": s.history, "rows": s.rows} for s in self.shards],
            "stats": self.stats,
        }
        (folder / "synthesizer.json").write_text(json.dumps(meta, indent=1))

    @classmethod
    def load(cls, folder: str | Path, device: str = "cpu") -> CtganSynthesizer:
        """Read a model written by `save`; needs neither the training data nor pickle."""
        folder = Path(folder)
        path = folder / "synthesizer.json"
        if not path.is_file():
            raise FileNotFoundError(f"{folder} holds no synthesizer (no synthesizer.json). Train one first.")
        meta = json.loads(path.read_text())
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise ValueError(f"{path} is not a Crease Lab CTGAN synthesizer of version {VERSION}.")
        config = SynthConfig.from_json(meta["config"])
        shards = []
        for i, shard in enumerate(meta["shards"]):
            layout = TableLayout.from_json(shard["layout"])
            generator = Generator(config.embedding_dim + layout.cond_dim, config.generator_dim, layout.width)
            state = torch.load(folder / f"generator-{i}.pt", map_location=device, weights_only=True)
            generator.load_state_dict(state)
            shards.append(ShardModel(layout, generator.to(device), shard["history"], shard["rows"]))
        bounds = {column: tuple(pair) for column, pair in meta["bounds"].items()}
        return cls(config, shards, bounds, CricketRules.from_json(meta["players"]), meta["stats"])


def observed_bounds(frame: pd.DataFrame) -> dict[str, tuple]:
    """Numeric column -> (lowest, highest) value in `frame`, as plain Python numbers."""
    return {column: (frame[column].min().item(), frame[column].max().item()) for column in NUMERIC_COLUMNS}


def _rounded(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    frame = pd.DataFrame({name: columns[name] for name in MODEL_COLUMNS})
    for column in INTEGER_COLUMNS:
        frame[column] = np.rint(frame[column].to_numpy(np.float64)).astype(np.int64)
    return frame


def _empty() -> pd.DataFrame:
    return _rounded({name: np.zeros(0) for name in MODEL_COLUMNS})
