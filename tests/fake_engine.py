"""A second synthesizer engine for the tests of what is engine-free (the command line's generated options, the
job bodies): a config with an option of its own and options it shares with CTGAN by name, three losses, and
samples that repeat the first training row. Registered by a test with
``monkeypatch.setitem(models.synth.engines.ENGINES, "fake", "tests.fake_engine:FakeSynthesizer")``."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from lib.data.schema import MODEL_COLUMNS
from models.progress import EpochLog
from models.synth.base import ROWS, SampleReport, Synthesizer
from models.synth.cost import CostEstimate, available_bytes
from models.synth.engines import MODEL_FILE


@dataclass(frozen=True)
class FakeConfig:
    epochs: int = field(default=3, metadata={"help": "epochs of the fake training"})
    seed: int = field(default=0, metadata={"help": "makes nothing repeatable"})
    rounds: int = field(default=2, metadata={"help": "rounds only the fake engine has"})
    hidden: int = 7

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> FakeConfig:
        return cls(**data)


class FakeSynthesizer(Synthesizer):
    name = "fake"
    title = "Fake"
    summary = "Repeats the first training row; for tests."
    config_class = FakeConfig
    loss_names = ("a", "b", "c")
    writes = ROWS

    def __init__(self, config: FakeConfig, row: dict, stats: dict):
        self.config, self.row, self.stats = config, row, stats

    @classmethod
    def train(cls, frame, config=None, *, events=None, on_epoch=None, should_stop=None, checkpoint_dir=None,
              resume=False, cache_dir=None, run_parts=None) -> FakeSynthesizer:
        config = config or FakeConfig()
        for epoch in range(1, config.epochs + 1):
            if on_epoch is not None:
                on_epoch(EpochLog(epoch, config.epochs, 0.01, {"a": 1.0 / epoch, "b": 2.0, "c": 3.0}))
        row = {column: frame[column].iloc[0].item() for column in MODEL_COLUMNS}
        return cls(config, row, {"seconds_per_epoch": 0.01, "peak_rss_bytes": 1})

    @classmethod
    def estimate(cls, frame, config=None, *, events=None, probe=True, cache_dir=None) -> CostEstimate:
        return CostEstimate(peak_bytes=1, available_bytes=available_bytes())

    def sample_with_report(self, n, seed=None) -> tuple[pd.DataFrame, SampleReport]:
        return pd.DataFrame([self.row] * n, columns=MODEL_COLUMNS), SampleReport(n, n, 0.0)

    def save(self, folder) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"engine": self.name, "config": self.config.to_json(), "row": self.row, "stats": self.stats}
        (folder / MODEL_FILE).write_text(json.dumps(meta))
        return folder

    @classmethod
    def load(cls, folder, device="cpu") -> FakeSynthesizer:
        meta = json.loads((Path(folder) / MODEL_FILE).read_text())
        return cls(FakeConfig.from_json(meta["config"]), meta["row"], meta["stats"])
