"""What a CTGAN run will cost before it starts: width, parameters, peak memory, seconds (the engine-free cost
types are in models.synth.cost).

Width and parameters are exact: they come from the same prepare step the trainer uses. Seconds come from a
timing probe of the real networks at that width (models.synth.ctgan.probe). Peak memory is a model of what the
trainer holds: the data, the compact rows, both networks with their Adam moments and one network's gradients, the
finished shards' generators, and a few batch-sized dense tensors; its constants were measured on this project's
benchmarks by least squares over five runs (categorical and top_k, 20,000 to 1.15M rows; residuals within
30 MiB), and bench/synth_bench.py prints predicted next to measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
import pandas as pd
import torch
from ctgan.synthesizers.ctgan import Discriminator, Generator

from models.synth.cost import (
    MEMORY_HEADROOM,
    CostEstimate,
    NotEnoughMemory,
    Suggestion,
    available_bytes,
    fits,
    memory_message,
)
from models.synth.ctgan.config import FRACTION_STEP, MAX_SHARDS, SynthConfig, check_frame
from models.synth.ctgan.prepare import Prepared, fit_discrete_columns, prepare, select_rows
from models.synth.ctgan.probe import seconds_per_step

BASE_BYTES = 600 * 2**20
"""Resident memory of a training process before data and networks: Python, torch, ctgan, rdt, scikit-learn,
pandas, and the allocator's own overhead."""
DENSE_BATCH_COPIES = 10
"""Batch-sized dense tensors (batch x (width + condition) floats) alive at the peak of a training step: real
and fake rows, their interpolation and the gradient-penalty graph."""
BYTES_PER_FRAME_ROW = 130
"""Besides the frame itself: per row of the data, what hashing and validation leave allocated."""
BYTES_PER_TRAINING_ROW = 160
"""Per selected row: the prepared encodings, the compact rows and the per-category row index."""
TOP_K_OPTIONS = (1000, 500, 250, 100)
FRACTION_STEPS = 8
"""Halvings of the fraction tried when looking for settings that fit."""


@dataclass(kw_only=True)
class CtganCostEstimate(CostEstimate):
    """The predicted cost of a CTGAN run (models.synth.cost.CostEstimate says the rest).

    Attributes:
        widths: transformed width of each shard (equal to the trained models' widths).
        cond_dims: condition-vector length of each shard.
        generator_parameters, discriminator_parameters: of the widest shard.
        rows_per_shard: training rows of each shard.
        steps_per_epoch: steps in one epoch of a shard.
        shards, epochs: of the run; total_seconds covers every epoch of every shard.
        seconds_per_step: from the timing probe; None without a probe.
    """

    widths: list[int]
    cond_dims: list[int]
    generator_parameters: int
    discriminator_parameters: int
    rows_per_shard: int
    steps_per_epoch: int
    shards: int
    epochs: int
    seconds_per_step: float | None = None
    no_suggestion: ClassVar[str] = "the numeric player encoding, or a much smaller fraction"

    def facts(self) -> list[str]:
        widths = sorted(set(self.widths))
        width = f"{widths[0]:,}" if len(widths) == 1 else f"{widths[0]:,} to {widths[-1]:,}"
        return [
            (f"transformed width {width}, generator {self.generator_parameters / 1e6:.2f}M and "
             f"discriminator {self.discriminator_parameters / 1e6:.2f}M parameters"),
            f"{self.shards} shard(s) of {self.rows_per_shard:,} rows, {self.steps_per_epoch:,} steps per epoch",
        ]

    def total_words(self) -> str:
        return f"for {self.epochs} epoch(s) x {self.shards} shard(s)"


def estimate_cost(frame: pd.DataFrame, config: SynthConfig, probe: bool = True, cache_dir=None) -> CtganCostEstimate:
    """Predict the cost of `train_synthesizer(frame, config)`; prepares (and caches) its rows and transforms.

    Args:
        frame: validated t20 rows.
        config: the settings to estimate.
        probe: time the real networks (cached per width and machine) for the seconds; the probe builds the
            networks in this process for a few seconds, so it only runs when the run fits in memory.
        cache_dir: the cache folder of prepared data and timing probes; None keeps nothing on disk.

    Raises:
        ValueError: settings or data that training would refuse, with the same messages.
    """
    check_frame(frame, config)
    prepared = prepare(frame, config, cache_dir)
    layouts = [prepared.layout(i) for i in range(config.shards)]
    widest = max(layouts, key=lambda layout: layout.width)
    generator, discriminator = parameter_counts(widest.width, widest.cond_dim, config)
    rows = len(prepared.shard_rows[0])
    peak, available, suggestions = _memory(frame, prepared, config)
    estimate = CtganCostEstimate(
        widths=[layout.width for layout in layouts],
        cond_dims=[layout.cond_dim for layout in layouts],
        generator_parameters=generator,
        discriminator_parameters=discriminator,
        rows_per_shard=rows,
        steps_per_epoch=max(rows // config.batch_size, 1),
        shards=config.shards,
        epochs=config.epochs,
        peak_bytes=peak,
        available_bytes=available,
        suggestions=suggestions,
    )
    if estimate.fits and probe:
        estimate.seconds_per_step = seconds_per_step(widest, config, cache_dir)
        estimate.seconds_per_epoch = estimate.seconds_per_step * estimate.steps_per_epoch
        estimate.total_seconds = estimate.seconds_per_epoch * config.epochs * config.shards
    return estimate


def check_memory(frame: pd.DataFrame, prepared: Prepared, config: SynthConfig) -> int:
    """The predicted peak bytes of training; raises NotEnoughMemory (a ValueError) when it does not fit."""
    peak, available, suggestions = _memory(frame, prepared, config)
    if not fits(peak, available):
        message = memory_message(peak, available, suggestions, CtganCostEstimate.no_suggestion)
        raise NotEnoughMemory(message, suggestions)
    return peak


def _memory(frame: pd.DataFrame, prepared: Prepared, config: SynthConfig) -> tuple[int, int, list[Suggestion]]:
    """Predicted peak bytes, bytes available now, and settings that fit when the run does not."""
    peak = predict_peak_bytes(frame, prepared, config)
    available = available_bytes()
    return peak, available, [] if fits(peak, available) else suggest_settings(frame, prepared, config, available)


def parameter_counts(width: int, cond_dim: int, config: SynthConfig) -> tuple[int, int]:
    """Parameters of ctgan's (generator, discriminator) at this width, counted without allocating them."""
    with torch.device("meta"):
        generator = Generator(config.embedding_dim + cond_dim, config.generator_dim, width)
        discriminator = Discriminator(width + cond_dim, config.discriminator_dim, pac=config.pac)
    return _count(generator), _count(discriminator)


def predict_peak_bytes(frame: pd.DataFrame, prepared: Prepared, config: SynthConfig) -> int:
    """Predicted peak resident bytes of training `config` on `prepared` rows of `frame`."""
    widest = max((prepared.layout(i) for i in range(config.shards)), key=lambda layout: layout.width)
    return _peak_bytes(widest.width, widest.cond_dim, len(prepared.rows), frame, config)


def _peak_bytes(width: int, cond_dim: int, rows: int, frame: pd.DataFrame, config: SynthConfig) -> int:
    """Peak bytes at this width with `rows` selected rows (the union over shards) of `frame`."""
    generator, discriminator = parameter_counts(width, cond_dim, config)
    floats = 3 * (generator + discriminator) + max(generator, discriminator)  # weights, Adam moments, gradients
    floats += (config.shards - 1) * generator  # finished shards stay in memory for sampling
    floats += DENSE_BATCH_COPIES * config.batch_size * (width + cond_dim)
    data = frame.memory_usage(deep=True).sum() + BYTES_PER_FRAME_ROW * len(frame) + BYTES_PER_TRAINING_ROW * rows
    return int(BASE_BYTES + 4 * floats + data)


def suggest_settings(frame: pd.DataFrame, prepared: Prepared, config: SynthConfig, available: int) -> list[Suggestion]:
    """Settings near `config` predicted to fit in `available` bytes: the largest top_k that fits, the largest
    halved fraction that fits, and that fraction over enough shards to cover as many rows as `config`."""
    budget = MEMORY_HEADROOM * available
    continuous = sum(c.width for c in prepared.continuous)

    def fitting(changes: dict) -> int | None:
        peak = _candidate_peak(frame, replace(config, **changes), continuous)
        return peak if peak <= budget else None

    out = []
    for k in TOP_K_OPTIONS if config.player_encoding != "numeric" else ():
        changes = {"player_encoding": "top_k", "top_k": k}
        if not (config.player_encoding == "top_k" and k >= config.top_k) and (peak := fitting(changes)):
            out.append(Suggestion(f"top_k with the {k} most frequent players", changes, peak))
            break
    for halvings in range(1, FRACTION_STEPS + 1):
        # on the page's grid, so that one click sets the slider to exactly this value
        fraction = round(math.floor(config.fraction / 2**halvings / FRACTION_STEP) * FRACTION_STEP, 6)
        if fraction < FRACTION_STEP:
            break
        if peak := fitting({"fraction": fraction}):
            out.append(Suggestion(f"fraction {fraction:.3g}", {"fraction": fraction}, peak))
            shards = {"fraction": fraction, "shards": math.ceil(config.shards * config.fraction / fraction)}
            if shards["shards"] <= MAX_SHARDS and (peak := fitting(shards)):
                out.append(Suggestion(f"{shards['shards']} shards of fraction {fraction:.3g}", shards, peak))
            break
    return out


def _candidate_peak(frame: pd.DataFrame, config: SynthConfig, continuous_width: int) -> int:
    """Peak bytes of other settings, without fitting transforms: the discrete widths of their first shard are
    exact (other shards differ by a few players); the continuous widths are the current ones (a refit moves
    them by a mode or two)."""
    rows = select_rows(len(frame), config)
    cond_dim = sum(c.width for c in fit_discrete_columns(frame, rows[0], config))
    union = len(np.unique(np.concatenate(rows)))
    return _peak_bytes(cond_dim + continuous_width, cond_dim, union, frame, config)


def _count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())

