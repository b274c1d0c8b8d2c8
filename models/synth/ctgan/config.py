"""Settings of the CTGAN synthesizer and their validation, checked before any work starts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from lib.data.schema import MAX_PLAYER_INDEX, MODEL_COLUMNS
from models.json_config import JsonConfig

ENCODINGS = ("categorical", "top_k", "numeric")
"""How `batsmanIdx` / `bowlerIdx` enter the model.

- ``categorical``: every player is a category, as in the published recipe; exact, but the width grows with the
  number of players (two blocks of thousands of columns on a full league).
- ``top_k``: the `top_k` most frequent players of each column are categories; the others share one rare
  category, and a sampled rare row gets a player drawn from the real frequencies of the rare players.
- ``numeric``: the index is a continuous column; the narrowest model, without player identity; a sampled value
  is snapped to the nearest player index that exists in the data.
"""
DEVICES = ("auto", "cpu", "cuda")
"""Where a run trains: "auto" is CUDA when torch sees a GPU, else the CPU."""
FRACTION_STEP = 0.01
"""The finest sampling fraction offered (the Synthesize slider's step); suggested fractions are multiples of it."""
MAX_SHARDS = 50
"""The most shards offered or suggested."""
SELECT_STREAM, FIT_STREAM, TRAIN_STREAM, GMM_STREAM = 1, 2, 3, 4
"""Seed streams of a run: each step draws from np.random.default_rng([seed, stream, ...]). None is 0, because
numpy pads a seed with zeros: [seed, 0] would be the stream of a plain `seed` (sampling's), and [seed, s, 0]
(shard 0) that of [seed, s]. The chunks of a large sample draw from models.synth.chunks.CHUNK_STREAM, after these."""


@dataclass(frozen=True)
class SynthConfig(JsonConfig):
    """Everything that decides a CTGAN run. Defaults train the embedded sample comfortably on a laptop.

    Fields with "help" metadata are the settings people set: the command line offers each as an option
    (lib.cli.synth), with "choices" limiting its values.

    Attributes:
        fraction: share of the rows each shard trains on, in (0, 1].
        epochs: passes over each shard's rows, >= 1.
        shards: number of models, each trained on its own random `fraction` of the rows; samples are pooled.
        player_encoding: one of ENCODINGS.
        top_k: players kept as categories per player column with ``top_k``, >= 1.
        batch_size: rows per step; even and divisible by `pac`.
        generator_lr, discriminator_lr: Adam learning rates, > 0.
        generator_decay, discriminator_decay: Adam weight decay, >= 0.
        embedding_dim: size of the generator's noise input.
        generator_dim, discriminator_dim: hidden layer sizes, as in ctgan.CTGAN.
        pac: rows the discriminator judges together (PacGAN).
        discriminator_steps: discriminator updates per generator update.
        log_frequency: draw training conditions with log-frequency (ctgan's default) instead of frequency.
        seed: makes row selection, transforms, training and sampling repeatable.
        checkpoint_every: epochs between checkpoints when a checkpoint folder is given, >= 1.
        gmm_rows: at most this many rows (a seeded subsample) fit each continuous column's Bayesian GMM.
        max_clusters, weight_threshold: Bayesian GMM settings of ctgan's DataTransformer.
        threads: torch CPU threads; None uses every core of the machine.
        device: one of DEVICES: "auto" (CUDA when available, else CPU), "cpu" or "cuda".
    """

    fraction: float = field(default=0.5, metadata={"help": "share of the rows each shard trains on, (0, 1]",
                                                   "range": (0, 1)})
    epochs: int = field(default=10, metadata={"help": "passes over each shard's rows"})
    shards: int = field(default=1, metadata={
        "help": "models, each trained on its own random fraction of the rows; samples are pooled",
        "range": (1, MAX_SHARDS)})
    player_encoding: str = field(default="top_k", metadata={"help": "how players enter the model",
                                                             "choices": ENCODINGS})
    top_k: int = field(default=200, metadata={"help": "players kept as categories per column with top_k",
                                              "range": (1, MAX_PLAYER_INDEX)})
    batch_size: int = field(default=1000, metadata={"help": "rows per step; even and divisible by --pac"})
    generator_lr: float = field(default=1e-3, metadata={"help": "the generator's Adam learning rate, > 0",
                                                        "example": 2e-4})
    discriminator_lr: float = field(default=1e-3, metadata={"help": "the discriminator's Adam learning rate, > 0",
                                                            "example": 2e-4})
    generator_decay: float = 1e-6
    discriminator_decay: float = 1e-6
    embedding_dim: int = field(default=128, metadata={"help": "size of the generator's noise input"})
    generator_dim: tuple[int, ...] = field(default=(256, 256), metadata={
        "help": "the generator's hidden layer sizes, comma-separated"})
    discriminator_dim: tuple[int, ...] = field(default=(256, 256), metadata={
        "help": "the discriminator's hidden layer sizes, comma-separated"})
    pac: int = field(default=10, metadata={"help": "rows the discriminator judges together (PacGAN)"})
    discriminator_steps: int = field(default=1, metadata={"help": "discriminator updates per generator update"})
    log_frequency: bool = True
    seed: int = field(default=0, metadata={
        "help": "makes row selection, transforms, training and sampling repeatable"})
    checkpoint_every: int = field(default=5, metadata={"help": "epochs between checkpoints with --checkpoint-dir"})
    gmm_rows: int = 20_000
    max_clusters: int = 10
    weight_threshold: float = 0.005
    threads: int | None = field(default=None, metadata={"help": "torch CPU threads; every core when not given"})
    device: str = field(default="auto", metadata={"help": "where to train: auto (CUDA when available), cpu or cuda",
                                                  "choices": DEVICES})

    def prepare_key(self) -> dict:
        """The settings that decide row selection and transforms (the shared "prepare" step)."""
        names = ("fraction", "shards", "player_encoding", "top_k", "seed", "gmm_rows", "max_clusters",
                 "weight_threshold")
        data = {name: getattr(self, name) for name in names}
        if self.player_encoding != "top_k":
            data["top_k"] = None  # top_k is irrelevant then; the same preparation serves any value
        return data

    def __post_init__(self) -> None:
        """Refuse settings that cannot train, saying how to fix them: a config that exists can train.

        Raises:
            ValueError: naming the setting, the value found and a value that works.
        """
        _refuse_bad_settings(self)


def _refuse_bad_settings(config: SynthConfig) -> None:
    _check_batch(config)
    if not 0 < config.fraction <= 1:
        raise ValueError(
            f"fraction {config.fraction} is outside (0, 1]; it is the share of rows each shard trains on, "
            "e.g. 0.05 for 5% or 1 for all rows."
        )
    for name in ("epochs", "shards", "top_k", "embedding_dim", "discriminator_steps", "checkpoint_every",
                 "gmm_rows", "max_clusters"):
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} is {value!r}; it must be a whole number of at least 1.")
    for name in ("generator_lr", "discriminator_lr"):
        if not 0 < getattr(config, name) < math.inf:
            raise ValueError(f"{name} is {getattr(config, name)}; a learning rate must be > 0 and finite, "
                             "e.g. 1e-3 or 2e-4.")
    for name in ("generator_decay", "discriminator_decay"):
        if not 0 <= getattr(config, name) < math.inf:
            raise ValueError(f"{name} is {getattr(config, name)}; weight decay must be >= 0, e.g. 1e-6.")
    if config.player_encoding not in ENCODINGS:
        raise ValueError(
            f"player encoding {config.player_encoding!r} is unknown; use one of {', '.join(ENCODINGS)}."
        )
    if config.device not in DEVICES:
        raise ValueError(f"device {config.device!r} is unknown; use one of {', '.join(DEVICES)}.")
    if config.threads is not None and (not isinstance(config.threads, int) or config.threads < 1):
        raise ValueError(f"threads is {config.threads!r}; use a whole number >= 1, or None for every core.")
    if any(size < 1 for size in (*config.generator_dim, *config.discriminator_dim)):
        raise ValueError("generator_dim and discriminator_dim hold layer sizes; each must be >= 1.")


def _check_batch(config: SynthConfig) -> None:
    batch, pac = config.batch_size, config.pac
    if isinstance(pac, bool) or not isinstance(pac, int) or pac < 1:
        raise ValueError(f"pac is {pac!r}; it must be a whole number >= 1 (ctgan's default is 10).")
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 2:
        raise ValueError(f"batch size is {batch!r}; it must be a whole number >= 2, e.g. 500 or 1000.")
    step = math.lcm(2, pac)
    if batch % step == 0:
        return
    lower, upper = batch // step * step, (batch // step + 1) * step
    options = f"{lower} or {upper}" if lower else f"{upper}"
    reason = f"not divisible by pac {pac}" if batch % pac else "odd (real and fake halves must match)"
    raise ValueError(f"batch size {batch} is {reason}; use {options}.")


def check_frame(frame: pd.DataFrame, config: SynthConfig) -> None:
    """Refuse a training frame that lacks a column, has nulls, or is too small for one batch.

    Raises:
        ValueError: naming the column or the row count, and what to do.
    """
    missing = [c for c in MODEL_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"the training data lacks column(s) {', '.join(missing)}; a synthesizer trains on the ten t20.csv "
            f"columns {', '.join(MODEL_COLUMNS)}. Load the data with lib.data.tables.load_t20."
        )
    nulls = frame[MODEL_COLUMNS].isna().sum()
    if nulls.any():
        column = nulls.index[int(nulls.to_numpy().argmax())]
        raise ValueError(
            f"column {column} has {int(nulls[column])} empty value(s); CTGAN cannot train on nulls. "
            "Drop or fill those rows first."
        )
    rows = round(len(frame) * config.fraction)
    if rows < config.pac:
        raise ValueError(
            f"a fraction of {config.fraction} of {len(frame)} rows gives {rows} rows, fewer than one pac group "
            f"of {config.pac}; raise the fraction or load more data."
        )
