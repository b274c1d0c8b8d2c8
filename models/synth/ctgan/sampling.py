"""Drawing rows from one trained generator, in batches, decoded straight back to t20.csv values.

As ctgan.CTGAN.sample: conditions drawn from the training category weights, the generator run in training-mode
batch normalisation on full batches, tanh for normalised values, and for every one-hot block the category a
gumbel-softmax sample would put first (which is a draw from the softmax of the logits). Only one batch of the
transformed width exists at a time.
"""

from __future__ import annotations

import numpy as np
import torch
from ctgan.synthesizers.ctgan import Generator

from models.synth.ctgan.column_transform import ContinuousColumn
from models.synth.ctgan.condition_sampler import ConditionSampler
from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.networks import generate
from models.synth.ctgan.table_layout import TableLayout


def draw_rows(
    generator: Generator, layout: TableLayout, config: SynthConfig, rows: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Generate and decode `rows` rows.

    Args:
        generator: a trained ctgan Generator for `layout`.
        layout: its transformed-row layout.
        config: the settings it was trained with (batch size, noise size, condition weighting).
        rows: how many rows, >= 0.
        rng: source of all randomness (noise, conditions, category draws, rare players).

    Returns:
        Column name -> (rows,) values as float64 or int64, in the model's units, not yet rounded or checked.
    """
    device = next(generator.parameters()).device
    sampler = ConditionSampler(layout, config.log_frequency)
    parts: list[dict[str, np.ndarray]] = []
    for start in range(0, rows, config.batch_size):
        _, _, cond = sampler.sample_conditions(config.batch_size, rng)
        noise = rng.standard_normal((config.batch_size, config.embedding_dim), dtype=np.float32)
        with torch.no_grad():
            raw = generate(
                generator, torch.from_numpy(noise).to(device), torch.as_tensor(cond, device=device),
                batch_stats_only=True,
            )
        parts.append(decode(raw[: rows - start].cpu().numpy(), layout, rng))
    if not parts:
        return {column.name: np.zeros(0) for column in layout.columns}
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def decode(raw: np.ndarray, layout: TableLayout, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Column values of raw generator outputs (n, width): column name -> (n,) values."""
    out = {}
    for column, start in zip(layout.columns, layout.starts):
        if isinstance(column, ContinuousColumn):
            modes = _sample_category(raw[:, start + 1 : start + column.width], rng)
            out[column.name] = column.decode(np.tanh(raw[:, start]), modes)
        else:
            out[column.name] = column.decode(_sample_category(raw[:, start : start + column.width], rng), rng)
    return out


def _sample_category(logits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(n,) int64 categories drawn from softmax(logits) of (n, k) logits, by the gumbel-max trick."""
    return np.argmax(logits + rng.gumbel(size=logits.shape), axis=1)
