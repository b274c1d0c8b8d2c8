"""One measurement of bench/synth_bench.py, in its own process; prints one JSON line.

Argument: a JSON job {"kind", "data", "config", "steps", "workspace"}. Kinds: "estimate" (the trainer's cost
estimate), "stock" / "ours" (peak RSS and step times, capped at `steps` steps after one warm-up; `steps` 0 runs
the configured epochs in full), "quality-stock" / "quality-ours" (train fully, sample, score).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

from lib.data.schema import DISCRETE_COLUMNS, MODEL_COLUMNS
from models.synth.ctgan.config import SynthConfig

QUALITY_ROWS = 10_000


class _Stop(Exception):
    """Raised inside stock ctgan's training loop to cap it at a few steps."""


def main() -> None:
    job = json.loads(sys.argv[1])
    os.environ["CREASE_WORKSPACE"] = job["workspace"]
    frame = pd.read_parquet(job["data"])[MODEL_COLUMNS]
    config = SynthConfig.from_json(job["config"])
    kinds = {"estimate": _estimate, "stock": _stock, "ours": _ours, "quality-stock": _quality_stock,
             "quality-ours": _quality_ours}
    result = kinds[job["kind"]](frame, config, job["steps"])
    print(json.dumps(result))


def _estimate(frame: pd.DataFrame, config: SynthConfig, steps: int) -> dict:
    from models.synth.ctgan.estimate import estimate_cost

    estimate = estimate_cost(frame, config)
    return {"width": max(estimate.widths), "peak_bytes": estimate.peak_bytes,
            "seconds_per_epoch": estimate.seconds_per_epoch, "total_seconds": estimate.total_seconds}


def _stock(frame: pd.DataFrame, config: SynthConfig, steps: int) -> dict:
    import ctgan.data_sampler
    import torch
    from ctgan import CTGAN

    torch.set_num_threads(config.threads)
    calls: list[float] = []
    original = ctgan.data_sampler.DataSampler.sample_condvec

    def timed(self, batch):
        calls.append(time.perf_counter())
        if len(calls) == 2 * (steps + 2) - 1:  # the discriminator call opening the step after the last measured
            raise _Stop
        return original(self, batch)

    ctgan.data_sampler.DataSampler.sample_condvec = timed
    model = CTGAN(epochs=config.epochs, batch_size=config.batch_size, generator_lr=config.generator_lr,
                  discriminator_lr=config.discriminator_lr, pac=config.pac, enable_gpu=False)
    model.set_random_state(config.seed)
    started = time.perf_counter()
    try:
        model.fit(frame, discrete_columns=DISCRETE_COLUMNS)
    except _Stop:
        pass
    step_starts = calls[0::2]  # one discriminator step, then one generator step, per training step
    return _timings(frame, config, started, step_starts)


def _ours(frame: pd.DataFrame, config: SynthConfig, steps: int) -> dict:
    from models.progress import Cancelled
    from models.synth.ctgan.synthesizer import train_synthesizer

    polls: list[float] = []
    epochs: list[float] = []

    def should_stop() -> bool:
        polls.append(time.perf_counter())
        return steps > 0 and len(polls) == steps + 2

    started = time.perf_counter()
    try:
        train_synthesizer(frame, config, should_stop=should_stop, on_epoch=lambda log: epochs.append(log.seconds))
    except Cancelled:
        pass
    if steps == 0:
        result = _timings(frame, config, started, polls[:2])
        per_epoch = float(np.mean(epochs))
        result.update(seconds_per_epoch=per_epoch, seconds_per_step=per_epoch / _steps_per_epoch(frame, config))
        return result
    return _timings(frame, config, started, polls)


def _timings(frame: pd.DataFrame, config: SynthConfig, started: float, step_starts: list[float]) -> dict:
    """Peak RSS and step times from the start times of successive steps (the first is a warm-up)."""
    durations = np.diff(step_starts)[1:] if len(step_starts) > 2 else np.diff(step_starts)
    per_step = float(np.mean(durations))
    steps = _steps_per_epoch(frame, config)
    return {
        "rows": len(frame),
        "rows_per_epoch": steps * config.batch_size,
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "seconds_per_step": per_step,
        "seconds_per_epoch": per_step * steps,
        "setup_seconds": step_starts[0] - started,
        "load": os.getloadavg()[0],  # above ~2 on 2 cores, something else competed for the CPU
    }


def _steps_per_epoch(frame: pd.DataFrame, config: SynthConfig) -> int:
    return max(round(config.fraction * len(frame)) // config.batch_size, 1)


def _quality_stock(frame: pd.DataFrame, config: SynthConfig, steps: int) -> dict:
    import torch
    from ctgan import CTGAN

    torch.set_num_threads(config.threads)
    model = CTGAN(epochs=config.epochs, batch_size=config.batch_size, generator_lr=config.generator_lr,
                  discriminator_lr=config.discriminator_lr, pac=config.pac, enable_gpu=False)
    model.set_random_state(config.seed)
    started = time.perf_counter()
    model.fit(frame, discrete_columns=DISCRETE_COLUMNS)
    seconds = time.perf_counter() - started
    return _scores(frame, model.sample(QUALITY_ROWS), seconds)


def _quality_ours(frame: pd.DataFrame, config: SynthConfig, steps: int) -> dict:
    from lib.data.schema import INTEGER_COLUMNS
    from models.synth.ctgan.sampling import draw_rows
    from models.synth.ctgan.synthesizer import train_synthesizer

    started = time.perf_counter()
    model = train_synthesizer(frame, config)
    seconds = time.perf_counter() - started
    result = _scores(frame, model.sample(QUALITY_ROWS, seed=config.seed), seconds)
    # Decoded as stock's sample() decodes: integer columns cast (truncated toward zero, as ctgan's
    # inverse_transform does with astype), no rule redraws, no clipping to bounds.
    shard = model.shards[0]
    rng = np.random.default_rng(config.seed)
    raw = pd.DataFrame(draw_rows(shard.generator, shard.layout, config, QUALITY_ROWS, rng))
    raw[INTEGER_COLUMNS] = raw[INTEGER_COLUMNS].astype(np.int64)
    result["raw"] = _scores(frame, raw, seconds)
    return result


def _scores(real: pd.DataFrame, synthetic: pd.DataFrame, seconds: float) -> dict:
    from lib.quality.fidelity import fidelity

    averages = fidelity(real, synthetic[MODEL_COLUMNS]).averages
    return {"ks": averages["ks_score"], "tv": averages["tv_score"], "coverage": averages["coverage_score"],
            "seconds": seconds}


if __name__ == "__main__":
    main()
