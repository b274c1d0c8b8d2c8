"""Training CTGAN's shards: validation, the shared prepare step, a memory check, then one model per shard.

`models.synth.ctgan.synthesizer.train_synthesizer` turns the shards into a synthesizer; the command line and the
app's background jobs call it through the engine interface.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from ctgan.synthesizers.ctgan import Generator

from lib.data.parts import in_order
from models.peak_rss import PeakRss
from models.progress import EpochLog, OnEpoch, ShouldStop, ignore, never
from models.synth.base import RunParts
from models.synth.ctgan.checkpoint import CheckpointStore
from models.synth.ctgan.config import TRAIN_STREAM, SynthConfig, check_frame
from models.synth.ctgan.estimate import check_memory
from models.synth.ctgan.prepare import Prepared, fingerprint, prepare
from models.synth.ctgan.table_layout import TableLayout
from models.synth.ctgan.trainer import ShardTrainer
from models.synth.torch_runtime import resolve_device, torch_thread_count, torch_threads

LOSS_NAMES = ("generator", "discriminator")
"""The losses every epoch of a shard reports, as EpochLog.losses keys and in each history record."""


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


def train_shards(
    frame: pd.DataFrame,
    config: SynthConfig,
    on_epoch: OnEpoch | None = None,
    should_stop: ShouldStop | None = None,
    checkpoint_dir=None,
    resume: bool = False,
    cache_dir=None,
    run_parts: RunParts | None = None,
) -> tuple[list[ShardModel], dict]:
    """Train every shard of a CTGAN run on t20 rows.

    Args:
        frame: validated t20 rows (lib.data.tables.load_t20); extra columns are ignored.
        config: the settings.
        on_epoch: called after every epoch of every shard with losses {"generator", "discriminator"}.
        should_stop: polled between steps; when it returns True training raises models.progress.Cancelled.
        checkpoint_dir: folder for checkpoints every `config.checkpoint_every` epochs; None for none.
        resume: continue the run checkpointed in `checkpoint_dir` (same data and settings) exactly where its
            last checkpoint was; starts fresh when the folder holds no run.
        cache_dir: cache folder of the prepare step; None keeps nothing on disk.
        run_parts: trains the pending shards elsewhere, one part each (with `train_shard`, so the same seeds give
            the same generators); None trains them here one after another. Its finished shards are checkpointed
            as soon as every shard before them has finished too.

    Returns:
        (shards in index order, stats): the stats hold measured seconds per epoch and peak RSS next to the
        predicted peak.

    Raises:
        ValueError: bad settings or data, or a run predicted not to fit in memory (NotEnoughMemory, with
            suggestions), before any training.
        models.progress.Cancelled: `should_stop` said so.
    """
    if resume and checkpoint_dir is None:
        raise ValueError("resume continues a checkpointed run; give the run's checkpoint folder.")
    check_frame(frame, config)
    device = resolve_device(config.device)
    store = CheckpointStore(checkpoint_dir) if checkpoint_dir is not None else None
    resumed = store.resume(config, fingerprint(frame), device) if store is not None and resume else None
    prepared = resumed.prepared if resumed else prepare(frame, config, cache_dir)
    predicted_peak = check_memory(frame, prepared, config)
    if store is not None and resumed is None:
        store.start(prepared, config)
    on_epoch, should_stop = on_epoch or ignore, should_stop or never
    started = time.perf_counter()
    with PeakRss() as peak, torch_threads(config.threads):
        shards = [_finished_shard(prepared, i, config, device, state, history)
                  for i, (state, history) in enumerate(resumed.finished if resumed else [])]
        current = resumed.current if resumed else None  # belongs to the first unfinished shard only
        pending = list(range(len(shards), config.shards))
        if run_parts is None:
            for shard in pending:
                shards.append(train_shard(frame, prepared, shard, config, device, current, store, on_epoch,
                                          should_stop))
                current = None
        else:
            shards += _gather(_elsewhere(run_parts, frame, prepared, config, pending, current, on_epoch, should_stop),
                              len(shards), store)
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
    return shards, stats


def _elsewhere(run_parts: RunParts, frame, prepared: Prepared, config: SynthConfig, pending: list[int], current,
               on_epoch: OnEpoch, should_stop: ShouldStop) -> Iterable[tuple[int, ShardModel]]:
    """(shard index, ShardModel) of each pending shard, trained as a part of `run_parts`, in any order; a GPU per
    part when the device is cuda, or auto where the parts run has GPUs."""
    gpu = config.device == "cuda" or (config.device == "auto" and run_parts.gpus > 0)
    threads = config.threads or run_parts.cpus_per_task  # the run's own thread count when it sets one
    items = [(shard, current if i == 0 else None) for i, shard in enumerate(pending)]
    finished = run_parts(train_shard_task, (frame, prepared, config, threads), items, gpu=gpu, label="shard",
                         on_epoch=on_epoch, should_stop=should_stop)
    return ((pending[index], model) for index, model in finished)


def train_shard_task(shared, item, report) -> ShardModel:
    """One shard as a part of `run_parts` (a Ray task); returns its ShardModel with the generator on the CPU.

    Args:
        shared: (frame, prepared, config, torch threads), the same for every shard.
        item: (shard index, its checkpointed state or None).
        report: the part's on_epoch.
    """
    frame, prepared, config, threads = shared
    shard, current = item
    with torch_threads(threads):
        model = train_shard(frame, prepared, shard, config, resolve_device(config.device), current, None, report)
    model.generator.cpu()
    return model


def _gather(finished: Iterable[tuple[int, ShardModel]], first: int, store: CheckpointStore | None) -> list[ShardModel]:
    """Shards `first`... in index order, from (index, model) pairs arriving in any order; each is checkpointed
    once all shards before it are, since a checkpoint folder resumes from its first unfinished shard."""
    ordered: list[ShardModel] = []
    for shard, ready in enumerate(in_order((index - first, model) for index, model in finished), start=first):
        if store is not None:
            store.save_finished(shard, ready.generator.state_dict(), ready.history)
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
                losses={name: record[name] for name in LOSS_NAMES},
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
