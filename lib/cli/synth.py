"""`python -m lib.cli synth ...`: train a CTGAN synthesizer on a t20.csv, and sample rows from one."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from lib.cli import check_rows_fit, load_model
from lib.cli.options import MAX_BATCH, MAX_EPOCHS, MAX_RAY_CPUS, decimal, output_file, seed, whole
from lib.data import files
from lib.data.schema import MAX_PLAYER_INDEX
from lib.data.units import duration, gib
from models.synth.config import CHUNK_ROWS, ENCODINGS, MAX_SHARDS, SynthConfig

DEFAULTS = SynthConfig()
MIN_CHUNK_ROWS = 100
"""Fewest rows per sample chunk: each chunk is a generator pass of its own, so a million rows in chunks of one
would take practically forever."""


def register(groups: argparse._SubParsersAction) -> None:
    synth = groups.add_parser("synth", help="train a CTGAN synthesizer and sample synthetic deliveries")
    commands = synth.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="t20.csv -> synthesizer folder (prints the estimate, then losses)")
    train.add_argument("--data", type=Path, required=True, help="t20.csv or Parquet file to learn from")
    train.add_argument("--fraction", type=decimal("--fraction", 0, 1, low_open=True, example=0.05),
                       default=DEFAULTS.fraction,
                       help=f"share of rows each shard trains on, (0, 1] (default {DEFAULTS.fraction})")
    train.add_argument("--epochs", type=whole("--epochs", 1, MAX_EPOCHS, example=20), default=DEFAULTS.epochs,
                       help=f"passes over each shard's rows (default {DEFAULTS.epochs})")
    train.add_argument("--player-encoding", choices=ENCODINGS, default=DEFAULTS.player_encoding,
                       help=f"how players enter the model (default {DEFAULTS.player_encoding})")
    train.add_argument("--top-k", type=whole("--top-k", 1, MAX_PLAYER_INDEX, example=200), default=DEFAULTS.top_k,
                       help=f"players kept as categories with top_k (default {DEFAULTS.top_k})")
    train.add_argument("--shards", type=whole("--shards", 1, MAX_SHARDS, example=12), default=DEFAULTS.shards,
                       help=f"models, each on its own random fraction, samples pooled (default {DEFAULTS.shards})")
    train.add_argument("--batch-size", type=whole("--batch-size", 2, MAX_BATCH, example=500),
                       default=DEFAULTS.batch_size,
                       help=f"even and divisible by pac ({DEFAULTS.pac}) (default {DEFAULTS.batch_size})")
    train.add_argument("--generator-lr", type=decimal("--generator-lr", 0, low_open=True, example=2e-4),
                       default=DEFAULTS.generator_lr, help="Adam learning rate, > 0")
    train.add_argument("--discriminator-lr", type=decimal("--discriminator-lr", 0, low_open=True, example=2e-4),
                       default=DEFAULTS.discriminator_lr,
                       help="Adam learning rate, > 0")
    train.add_argument("--seed", type=seed, default=DEFAULTS.seed)
    train.add_argument("--checkpoint-dir", type=Path, help="checkpoint here every few epochs")
    train.add_argument("--resume", action="store_true", help="continue the run checkpointed in --checkpoint-dir")
    train.add_argument("--all-matches", action="store_true",
                       help="learn from every match; by default only the training matches of the standard split "
                            "(as in the app), so `wp compare` on the same data tests on matches it never saw")
    train.add_argument("--out", type=Path, required=True,
                       help="new folder to write the synthesizer to; an existing folder is refused unless it holds "
                            "a synthesizer and --force is given")
    train.add_argument("--force", action="store_true", help="replace the synthesizer already in --out")
    add_ray_options(train, "each shard")
    train.set_defaults(run=train_command)

    sample = commands.add_parser("sample", help="synthesizer folder -> synthetic t20.csv")
    sample.add_argument("--model", type=Path, required=True, help="folder written by `synth train`")
    sample.add_argument("--rows", type=whole("--rows", 1, example=50_000), required=True)
    sample.add_argument("--seed", type=seed, help="makes the rows repeatable")
    sample.add_argument("--out", type=output_file, required=True, help="CSV to write")
    sample.add_argument("--chunk-rows", type=whole("--chunk-rows", MIN_CHUNK_ROWS, example=CHUNK_ROWS),
                        default=CHUNK_ROWS,
                        help=f"rows per seeded chunk; the same seed and chunk size give the same rows here and on "
                             f"Ray (default {CHUNK_ROWS:,})")
    add_ray_options(sample, "each chunk")
    sample.set_defaults(run=sample_command)


def add_ray_options(parser: argparse.ArgumentParser, task: str) -> None:
    """--ray and --ray-cpus: run `task` as a Ray task on a cluster (README, "Running on a cluster")."""
    parser.add_argument("--ray", metavar="ADDRESS",
                        help=f"run {task} as a task on the Ray cluster at ADDRESS (host:port of its head, or auto "
                             "for the one started on this machine); without it everything runs here")
    parser.add_argument("--ray-cpus", type=whole("--ray-cpus", 1, MAX_RAY_CPUS, example=4), default=1, metavar="N",
                        help="CPUs each Ray task requests (default 1)")


def connect(args: argparse.Namespace):
    """The Ray cluster --ray names, connected; None without --ray (Ray is then never imported)."""
    if args.ray is None:
        return None
    from lib.jobs import cluster

    print(f"connecting to the Ray cluster at {args.ray}", flush=True)
    return cluster.connect(args.ray, args.ray_cpus)


def train_command(args: argparse.Namespace) -> int:
    # Before torch loads its OpenMP runtime: threads that sleep at barriers instead of spinning. Spinning threads
    # stall for whole time slices when another process holds a core; on a busy 2-core machine that made
    # training steps up to 17x slower, while sleeping costs at most a few percent when the machine is idle.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from lib.data import workspace
    from lib.data.schema import load_t20
    from models.synth.config import check_config
    from models.synth.estimate import estimate_cost
    from models.synth.train import train_synthesizer

    if args.resume and args.checkpoint_dir is None:
        raise ValueError("--resume continues a checkpointed run; give its folder with --checkpoint-dir.")
    files.check_output_dir(args.out, "synthesizer.json", "synthesizer", force=args.force)
    config = SynthConfig(
        fraction=args.fraction, epochs=args.epochs, shards=args.shards, player_encoding=args.player_encoding,
        top_k=args.top_k, batch_size=args.batch_size, generator_lr=args.generator_lr,
        discriminator_lr=args.discriminator_lr, seed=args.seed,
    )
    check_config(config)
    frame = learning_rows(load_t20(args.data), args.all_matches)
    estimate = estimate_cost(frame, config, cache_dir=workspace.cache_root())
    for line in estimate_lines(estimate, config):
        print(line)
    estimate.check_fits()
    ray = connect(args)
    model = train_synthesizer(frame, config, on_epoch=_print_epoch, checkpoint_dir=args.checkpoint_dir,
                              resume=args.resume, cache_dir=workspace.cache_root(),
                              run_shards=ray and _cluster().shard_runner(ray))
    model.save(args.out.resolve())
    stats = model.stats
    print(f"measured: {stats['seconds_per_epoch']:.1f} s per epoch (predicted "
          f"{_or_dash(estimate.seconds_per_epoch)}), peak memory {gib(stats['peak_rss_bytes'])} "
          f"(predicted {gib(stats['predicted_peak_bytes'])})")
    print(f"synthesizer saved to {args.out}")
    return 0


def learning_rows(frame, all_matches: bool):
    """The rows a synthesizer learns from, with a line saying which."""
    from lib.data.schema import match_ids
    from lib.data.splits import STANDARD_SPLIT, training_matches

    matches = len(set(match_ids(frame)[0]))
    if all_matches:
        print(f"learning from all {matches:,} matches: `wp compare` on this data would test on matches the "
              "synthesizer saw, so use its rows with other data only")
        return frame
    try:
        train = training_matches(frame, STANDARD_SPLIT)
    except ValueError as error:
        raise ValueError(f"{error} Or pass --all-matches to learn from every match.") from None
    print(f"learning from {len(set(match_ids(train)[0])):,} of {matches:,} matches, the training matches of the "
          f"standard split ({STANDARD_SPLIT.training_share:.0%}); the validation and test matches of `wp compare` are held out")
    return train


def sample_command(args: argparse.Namespace) -> int:
    from lib.data.schema import t20_columns
    from models.synth.chunks import sample_in_chunks
    from models.synth.synthesizer import CtganSynthesizer

    check_rows_fit(args.rows, f"--rows {args.rows:,}", "Sample fewer rows, in several runs if need be.")
    model = load_model(CtganSynthesizer.load, args.model, "synthesizer folder written by `synth train`")
    ray = connect(args)
    frame, report = sample_in_chunks(model, args.rows, args.seed, args.chunk_rows,
                                     run_chunks=ray and _cluster().chunk_runner(ray, on_epoch=_print_chunk))
    files.write_csv(args.out, t20_columns(frame))
    print(f"wrote {len(frame):,} rows to {args.out}")
    print(f"redrawn: {report.redrawn_share:.2%} of {report.generated:,} generated rows broke a cricket rule")
    for rule, count in report.broken.items():
        if count:
            print(f"  {rule}: {count:,}")
    return 0


def estimate_lines(estimate, config) -> list[str]:
    """The cost estimate in a few lines of text."""
    widths = sorted(set(estimate.widths))
    width = f"{widths[0]:,}" if len(widths) == 1 else f"{widths[0]:,} to {widths[-1]:,}"
    lines = [
        (f"estimate: transformed width {width}, generator {estimate.generator_parameters / 1e6:.2f}M and "
        f"discriminator {estimate.discriminator_parameters / 1e6:.2f}M parameters"),
        f"  {config.shards} shard(s) of {estimate.rows_per_shard:,} rows, {estimate.steps_per_epoch:,} steps per epoch",
        f"  peak memory about {gib(estimate.peak_bytes)} of {gib(estimate.available_bytes)} available",
    ]
    if estimate.seconds_per_epoch is not None:
        lines.append(f"  about {estimate.seconds_per_epoch:.1f} s per epoch, {duration(estimate.total_seconds)} "
                     f"for {config.epochs} epoch(s) x {config.shards} shard(s)")
    for suggestion in estimate.suggestions:
        lines.append(f"  fits instead: {suggestion.label} (about {gib(suggestion.peak_bytes)})")
    return lines


def _print_epoch(log) -> None:
    stage = f"{log.stage} " if log.stage else ""
    print(f"{stage}epoch {log.epoch}/{log.epochs}: generator loss {log.losses['generator']:.4f}, "
          f"discriminator loss {log.losses['discriminator']:.4f} ({log.seconds:.1f} s)", flush=True)



def _print_chunk(log) -> None:
    print(f"{log.stage} sampled ({log.seconds:.1f} s)", flush=True)


def _cluster():
    from lib.jobs import cluster

    return cluster


def _or_dash(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.1f} s"

