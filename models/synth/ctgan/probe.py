"""A short timing probe: the real networks and training steps at a layout's exact width, on random rows.

Seconds per step depend on the widths, the batch, the network sizes, the threads, the machine and its load now,
not on the values of the rows. The probe runs in a fresh process set up as a job's worker is
(models.training_process: timed in the app's server process, steps took 4 to 7 times longer than in the worker on
a busy machine), and its result is reused for a few minutes under a key made of exactly those.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from models.synth.ctgan.column_transform import DiscreteColumn
from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.table_layout import CompactRows, TableLayout
from models.synth.ctgan.trainer import ShardTrainer
from models.synth.torch_runtime import resolve_device, torch_thread_count, torch_threads
from models.training_process import run_probe

PROBE_VERSION = 3
"""Bump when the training step or the way it is timed changes, so that older timings are not reused."""
WARMUP_STEPS = 2
"""Untimed steps first: the first steps pay for allocations and kernel selection that an epoch pays only once."""
MIN_TIMED_SECONDS = 1.0
"""Steps are timed until at least this long has passed (and at least `steps`), so that one slow step on a busy
machine does not set the figure: the median step is taken."""
MAX_TIMED_STEPS = 20


def seconds_per_step(layout: TableLayout, config: SynthConfig, cache_dir=None, steps: int = 3) -> float:
    """Measured seconds of one training step (discriminator steps + one generator step) at `layout`'s widths, in a
    training process (models.training_process.run_probe).

    Args:
        layout: the layout to time; only its column kinds and widths matter.
        config: batch size, pac, network sizes, discriminator steps, threads and device are used.
        cache_dir: the cache folder (timings are kept a few minutes); None measures every time.
        steps: the fewest timed steps, after WARMUP_STEPS untimed ones; more are timed, up to MAX_TIMED_STEPS,
            until MIN_TIMED_SECONDS have passed.

    Returns:
        Median wall-clock seconds per step.
    """
    payload = {"layout": layout.to_json(), "config": config.to_json(), "steps": steps}
    return float(run_probe("models.synth.ctgan.probe:measure", payload, cache_dir, key=_key(layout, config)))


def measure(payload: dict) -> float:
    """`seconds_per_step`'s measurement, in the probe's process, from its JSON payload."""
    config = SynthConfig.from_json(payload["config"])
    return _measure(TableLayout.from_json(payload["layout"]), config, resolve_device(config.device), payload["steps"])


def _measure(layout: TableLayout, config: SynthConfig, device: torch.device, steps: int) -> float:
    rng = np.random.default_rng(0)
    probe_layout, rows = _random_rows(layout, 2 * config.batch_size, rng)
    with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []), torch_threads(config.threads):
        torch.manual_seed(0)
        trainer = ShardTrainer(probe_layout, rows, config, device, rng)
        for _ in range(WARMUP_STEPS):
            _step(trainer)
        _sync(device)
        times: list[float] = []
        while len(times) < steps or (sum(times) < MIN_TIMED_SECONDS and len(times) < MAX_TIMED_STEPS):
            started = time.perf_counter()
            _step(trainer)
            _sync(device)
            times.append(time.perf_counter() - started)
        return float(np.median(times))


def _step(trainer: ShardTrainer) -> None:
    for _ in range(trainer.config.discriminator_steps):
        trainer.discriminator_step()
    trainer.generator_step()


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _random_rows(layout: TableLayout, n: int, rng: np.random.Generator) -> tuple[TableLayout, CompactRows]:
    """Random compact rows of `layout`'s widths, and a copy of the layout whose counts match them."""
    columns, codes = [], []
    for column in layout.columns:
        if isinstance(column, DiscreteColumn):
            code = rng.integers(column.width, size=n)
            codes.append(code)
            columns.append(DiscreteColumn(column.name, column.categories, np.bincount(code, minlength=column.width)))
        else:
            columns.append(column)
    modes = np.stack([rng.integers(c.width - 1, size=n) for c in layout.continuous], axis=1).astype(np.int16)
    normalized = rng.uniform(-1, 1, size=modes.shape).astype(np.float32)
    return TableLayout(columns), CompactRows(np.stack(codes, axis=1).astype(np.int32), normalized, modes)


def _key(layout: TableLayout, config: SynthConfig) -> list:
    shape = [[type(c).__name__, c.width] for c in layout.columns]
    settings = [config.batch_size, config.pac, config.embedding_dim, list(config.generator_dim),
                list(config.discriminator_dim), config.discriminator_steps, config.device,
                torch_thread_count(config.threads)]
    return [PROBE_VERSION, shape, settings]
