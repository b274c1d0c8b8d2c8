"""Training a synthesizer: validation, the shared prepare step, a memory check, then one model per shard.

A plain function, so that the command line and the app's background jobs call the same thing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import torch
from ctgan.synthesizers.ctgan import Generator

from lib.data.rules import CricketRules
from models.peak_rss import PeakRss
from models.progress import EpochLog, OnEpoch, ShouldStop, ignore, never
from models.synth.ctgan.checkpoint import CheckpointStore
from models.synth.ctgan.config import TRAIN_STREAM, SynthConfig, check_config, check_frame
from models.synth.ctgan.estimate import check_memory
from models.synth.ctgan.prepare import Prepared, fingerprint, prepare
from models.synth.ctgan.synthesizer import CtganSynthesizer, ShardModel, observed_bounds
from models.synth.ctgan.trainer import ShardTrainer
from models.synth.torch_runtime import resolve_device, torch_thread_count, torch_threads

RunShards = Callable[..., Iterable[tuple[int, ShardModel]]]
"""Trains shards elsewhere (lib.jobs.cluster on Ray): called as run(frame, prepared, config, pending shard
indices, current, on_epoch, should_stop) and yields (shard index, ShardModel) as each finishes, in any order."""


def train_synthesizer(
    frame: pd.DataFrame,
    config: SynthConfig | None = None,
    on_epoch: OnEpoch | None = None,
    should_stop: ShouldStop | None = None,
    checkpoint_dir=None,
    resume: bool = False,
    cache_dir=None,
    run_shards: RunShards | None = None,
) -> CtganSynthesizer:
    """Train a CTGAN synthesizer on t20 rows.

    Args:
        frame: validated t20 rows (lib.data.schema.load_t20); extra columns are ignored.
        config: settings; defaults to SynthConfig().
        on_epoch: called after every epoch of every shard with losses {"generator", "discriminator"}.
        should_stop: polled between steps; when it returns True training raises models.progress.Cancelled.
        checkpoint_dir: folder for checkpoints every `config.checkpoint_every` epochs; None for none.
        resume: continue the run checkpointed in `checkpoint_dir` (same data and settings) exactly where its
            last checkpoint was; starts fresh when the folder holds no run.
        cache_dir: cache folder of the prepare step; None keeps nothing on disk.
        run_shards: trains the pending shards elsewhere (each with `train_shard`, so the same seeds give the
            same generators); None trains them here one after another. Its finished shards are checkpointed
            as soon as every shard before them has finished too.

    Returns:
        The trained synthesizer; its `stats` hold measured seconds per epoch and peak RSS next to the
        predicted peak.

    Raises:
        ValueError: bad settings or data, or a run predicted not to fit in memory (NotEnoughMemory, with
            suggestions), before any training.
        models.progress.Cancelled: `should_stop` said so.
    """
    config = config or SynthConfig()
    if resume and checkpoint_dir is None:
        raise ValueError("resume continues a checkpointed run; give the run's checkpoint folder.")
    check_config(config)
    check_frame(frame, config)
    device = resolve_device(config.device)
    store = CheckpointStore(checkpoint_dir) if checkpoint_dir is not None else None
    resumed = store.resume(config, fingerprint(frame), device) if store is not None and resume else None
    prepared = resumed.prepared if resumed else prepare(frame, config, cache_dir)
    predicted_peak = check_memory(frame, prepared, config)
    if store is not None and resumed is None:
        store.start(prepared, config)
    started = time.perf_counter()
    with PeakRss() as peak, torch_threads(config.threads):
        shards = [_finished_shard(prepared, i, config, device, state, history)
                  for i, (state, history) in enumerate(resumed.finished if resumed else [])]
        current = resumed.current if resumed else None  # belongs to the first unfinished shard only
        pending = list(range(len(shards), config.shards))
        if run_shards is None:
            for shard in pending:
                shards.append(train_shard(frame, prepared, shard, config, device, current, store,
                                          on_epoch or ignore, should_stop or never))
                current = None
        else:
            shards += _gather(run_shards(frame, prepared, config, pending, current, on_epoch or ignore,
                                         should_stop or never), len(shards), store)
    epochs = [record["seconds"] for shard in shards for record in shard.history]
    stats = {
        "seconds_per_epoch": float(np.mean(epochs)),
        "train_seconds": time.perf_counter() - started,
        "prepare_seconds": prepared.seconds,
        "peak_rss_bytes": int(peak.peak_bytes),
        "predicted_peak_bytes": int(predicted_peak),
        "device": device.type,
        "threads": torch_thread_count(config.threads),
    }
    return CtganSynthesizer(config, shards, observed_bounds(frame), CricketRules.from_frame(frame), stats)


def _gather(finished: Iterable[tuple[int, ShardModel]], first: int, store: CheckpointStore | None) -> list[ShardModel]:
    """Shards `first`... in index order, from (index, model) pairs arriving in any order; each is checkpointed
    once all shards before it are, since a checkpoint folder resumes from its first unfinished shard."""
    waiting: dict[int, ShardModel] = {}
    ordered: list[ShardModel] = []
    for index, model in finished:
        waiting[index] = model
        while first + len(ordered) in waiting:
            ready = waiting.pop(first + len(ordered))
            if store is not None:
                store.save_finished(first + len(ordered), ready.generator.state_dict(), ready.history)
            ordered.append(ready)
    return ordered


def train_shard(frame, prepared: Prepared, shard: int, config: SynthConfig, device, current=None, store=None,
                on_epoch: OnEpoch = ignore, should_stop: ShouldStop = never) -> ShardModel:
    """Train one shard from the prepared data; its seed depends only on `config.seed` and `shard`, so the shard
    is the same wherever it is trained.

    Args:
        frame: the validated t20 rows `prepared` was made from.
        prepared: the shared prepare step's result (`models.synth.ctgan.prepare.prepare`).
        shard: 0-based shard index, < config.shards.
        config: the run's settings.
        device: torch device to train on.
        current: checkpointed (tensors, state) of this shard to continue from, or None to start fresh.
        store: checkpoint store to save epochs and the finished generator into, or None.
        on_epoch, should_stop: the progress protocol (models.progress).

    Returns:
        The trained ShardModel.
    """
    layout, rows = prepared.layout(shard), prepared.compact(shard, frame)
    with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
        torch.manual_seed(int(np.random.SeedSequence([config.seed, TRAIN_STREAM, shard]).generate_state(1)[0]))
        rng = np.random.default_rng([config.seed, TRAIN_STREAM, shard])
        trainer = ShardTrainer(layout, rows, config, device, rng)
        if current is not None:
            trainer.restore(*current)
        while trainer.epoch < config.epochs:
            record = trainer.train_epoch(should_stop)
            if store is not None and trainer.epoch % config.checkpoint_every == 0 and trainer.epoch < config.epochs:
                store.save_epoch(shard, trainer.tensors(), trainer.meta())
            on_epoch(EpochLog(
                epoch=trainer.epoch, epochs=config.epochs, seconds=record["seconds"],
                losses={"generator": record["generator"], "discriminator": record["discriminator"]},
                stage=f"shard {shard + 1}/{config.shards}" if config.shards > 1 else "",
                step=shard, stages=config.shards,
            ))
    if store is not None:
        store.save_finished(shard, trainer.generator.state_dict(), trainer.history)
    return ShardModel(layout, trainer.generator, trainer.history, len(rows))


def _finished_shard(prepared: Prepared, shard: int, config: SynthConfig, device, state: dict, history) -> ShardModel:
    layout = prepared.layout(shard)
    generator = Generator(config.embedding_dim + layout.cond_dim, config.generator_dim, layout.width)
    generator.load_state_dict(state)
    return ShardModel(layout, generator.to(device), history, len(prepared.shard_rows[shard]))
