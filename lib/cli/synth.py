"""`python -m lib.cli synth ...`: train a synthesizer of any engine (models.synth.engines) on a t20.csv, and sample
rows from one. Each engine's settings are options generated from its config (lib.cli.engine_options)."""

from __future__ import annotations

import argparse
import os
from contextlib import contextmanager
from pathlib import Path

from lib.cli import OnUseParser, UsageError, check_rows_fit, load_model
from lib.cli.options import MAX_RAY_CPUS, output_file, seed, whole
from lib.data import files
from lib.data.schema import MAX_INNINGS_DELIVERIES
from lib.data.units import gib
from models.synth.engines import MODEL_FILE
from models.training_process import training_env

MODEL_FOLDER = "synthesizer folder written by `synth train`"
MIN_CHUNK_ROWS = 100
"""Fewest rows per sample chunk: each chunk is a generator pass of its own, so a million rows in chunks of one
would take practically forever."""


def register(groups: argparse._SubParsersAction) -> None:
    synth = groups.add_parser("synth", help="train a synthesizer and sample synthetic deliveries")
    commands = synth.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=OnUseParser)
    train = commands.add_parser("train", add_options=_train_options,
                                help="t20.csv -> synthesizer folder (prints the estimate, then losses)")
    train.set_defaults(run=train_command)
    sample = commands.add_parser("sample", add_options=_sample_options, help="synthesizer folder -> synthetic t20.csv")
    sample.set_defaults(run=sample_command)


def _train_options(train: argparse.ArgumentParser) -> None:
    from lib.cli.engine_options import add_engine_options  # lists the engines, which imports them (torch)

    train.add_argument("--data", type=Path, required=True,
                       help="t20.csv or Parquet file to learn from, or a Cricsheet zip, folder or .json match "
                            "(imported with its delivery events, which the matches engine learns from)")
    train.add_argument("--checkpoint-dir", type=Path, help="checkpoint here every few epochs")
    train.add_argument("--resume", action="store_true", help="continue the run checkpointed in --checkpoint-dir")
    train.add_argument("--all-matches", action="store_true",
                       help="learn from every match; by default only the training matches of the standard split "
                            "(as in the app), so `wp compare` on the same data tests on matches it never saw")
    train.add_argument("--out", type=Path, required=True,
                       help="new folder to write the synthesizer to; an existing folder is refused unless it holds "
                            "a synthesizer and --force is given")
    train.add_argument("--force", action="store_true", help="replace the synthesizer already in --out")
    add_ray_options(train, "each independent part (CTGAN's shards)")
    add_engine_options(train)


def _sample_options(sample: argparse.ArgumentParser) -> None:
    from models.synth.chunks import CHUNK_ROWS  # imports torch

    sample.add_argument("--model", type=Path, required=True, help="folder written by `synth train`")
    size = sample.add_mutually_exclusive_group(required=True)
    size.add_argument("--rows", type=whole("--rows", 1, example=50_000), help="rows to write")
    size.add_argument("--matches", type=whole("--matches", 1, example=2_000),
                      help="whole matches to write (engines that write matches)")
    sample.add_argument("--seed", type=seed, help="makes the rows repeatable (default: none, a new draw each time)")
    sample.add_argument("--out", type=output_file, required=True, help="CSV to write")
    sample.add_argument("--chunk-rows", type=whole("--chunk-rows", MIN_CHUNK_ROWS, example=CHUNK_ROWS),
                        default=CHUNK_ROWS,
                        help=f"rows per seeded chunk; the same seed and chunk size give the same rows here and on "
                             f"Ray (default {CHUNK_ROWS:,})")
    add_ray_options(sample, "each chunk")


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
    # Before torch loads its OpenMP runtime, so that this process trains as a job's worker does.
    os.environ.update(training_env())
    from lib.cli.engine_options import engine_config
    from lib.data import workspace
    from models.synth.engines import engine_class

    if args.resume and args.checkpoint_dir is None:
        raise ValueError("--resume continues a checkpointed run; give its folder with --checkpoint-dir.")
    files.check_output_dir(args.out, MODEL_FILE, "synthesizer", force=args.force)
    engine, config = engine_class(args.engine), engine_config(args)
    frame, events = training_data(args.data)
    frame = learning_rows(frame, args.all_matches)
    estimate = engine.estimate(frame, config, events=events, cache_dir=workspace.cache_root())
    for line in estimate.lines():
        print(line)
    estimate.check_fits()
    ray = connect(args)
    try:
        model = engine.train(frame, config, events=events, on_epoch=_print_epoch, checkpoint_dir=args.checkpoint_dir,
                             resume=args.resume, cache_dir=workspace.cache_root(),
                             run_parts=ray and _cluster().part_runner(ray))
    except _cluster().ClusterLost as lost:
        raise lost.continued(_train_kept(args)) from None
    model.save(args.out.resolve())
    stats = model.stats
    print(f"measured: {_or_dash(stats.get('seconds_per_epoch'))} per epoch (predicted "
          f"{_or_dash(estimate.seconds_per_epoch)}), peak memory {gib(stats['peak_rss_bytes'])} "
          f"(predicted {gib(estimate.peak_bytes)})")
    print(f"synthesizer saved to {args.out}")
    return 0


def _train_kept(args: argparse.Namespace) -> str:
    """What a training stopped by a lost cluster kept, and how to continue."""
    if args.checkpoint_dir is None:
        return "Nothing was kept: run it again with --checkpoint-dir DIR to keep each shard as it finishes."
    return (f"The finished shards are checkpointed in {args.checkpoint_dir}: run the same command again with "
            "--resume (and --ray once the cluster is back, or without it to train here) to continue from them.")


@contextmanager
def continued_after_loss(kept, label: str):
    """A block in which a lost Ray cluster (lib.jobs.cluster.ClusterLost) ends the command saying what `kept`
    (lib.data.parts.FinishedParts) holds of its `label`s and how to continue; without --ray nothing is lost so."""
    try:
        yield
    except _cluster().ClusterLost as lost:
        raise lost.continued(f"{kept.describe(label)} Run the same command again (with --ray once the cluster is "
                             f"back, or without it to run here): no kept {label} is run again.") from None


def training_data(path: Path):
    """(rows, delivery events or None) of --data: a t20.csv or Parquet file, or a Cricsheet zip, folder or JSON
    match imported with its events (non-strikers, extras by kind, lineups), which the matches engine learns from."""
    from lib.data.tables import load_t20

    if path.is_dir() or path.suffix.lower() in (".zip", ".json"):
        from lib.data.cricsheet.importer import import_cricsheet

        result = import_cricsheet(path)
        print("\n".join(result.report.lines()))
        return result.deliveries, result.events
    return load_t20(path), None


def learning_rows(frame, all_matches: bool):
    """The rows a synthesizer learns from, with a line saying which."""
    from lib.data.splits import STANDARD_SPLIT, training_matches
    from lib.data.validation import match_ids

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
          f"standard split ({STANDARD_SPLIT.training_share:.0%}); the validation and test matches of `wp compare` "
          "are held out")
    return train


def sample_command(args: argparse.Namespace) -> int:
    from lib.data import workspace
    from lib.data.parts import FinishedParts, folder_fingerprint
    from lib.data.schema import t20_columns
    from models.synth.chunks import sample_in_chunks
    from models.synth.engines import load_synthesizer

    wanted, option = (args.rows, "--rows") if args.rows is not None else (args.matches, "--matches")
    rows = wanted if args.rows is not None else wanted * 2 * MAX_INNINGS_DELIVERIES  # the most rows they can have
    check_rows_fit(rows, f"{option} {wanted:,}", "Sample fewer, in several runs if need be.")
    model = load_model(load_synthesizer, args.model, MODEL_FOLDER)
    if args.matches is not None:
        if not hasattr(model, "sample_matches"):
            raise UsageError(f"only the matches engine writes whole matches; {args.model} holds a {model.title} "
                             "synthesizer, so use --rows.")
        frame = model.sample_matches(args.matches, args.seed)
        files.write_csv(args.out, t20_columns(frame))
        print(f"wrote {args.matches:,} matches, {len(frame):,} rows, to {args.out}")
        return 0
    ray = connect(args)
    kept = FinishedParts(workspace.kept_root(), "sample", {"model": folder_fingerprint(args.model)})
    with continued_after_loss(kept, "chunk"):
        frame, report = sample_in_chunks(model, args.rows, args.seed, args.chunk_rows, kept=kept,
                                         run_chunks=ray and _cluster().chunk_runner(ray, on_epoch=_print_chunk))
    files.write_csv(args.out, t20_columns(frame))
    kept.remove()
    if kept.reused:
        print(f"{kept.reused} of {len(kept.plan)} chunks were kept from an earlier run of this sample")
    print(f"wrote {len(frame):,} rows to {args.out}")
    print(f"redrawn: {report.redrawn_share:.2%} of {report.generated:,} generated rows broke a cricket rule")
    for rule, count in report.broken.items():
        if count:
            print(f"  {rule}: {count:,}")
    return 0


def _print_epoch(log) -> None:
    stage = f"{log.stage} " if log.stage else ""
    losses = ", ".join(f"{name} loss {value:.4f}" for name, value in log.losses.items())
    print(f"{stage}epoch {log.epoch}/{log.epochs}: {losses} ({log.seconds:.1f} s)", flush=True)


def _print_chunk(log) -> None:
    print(f"{log.stage} sampled ({log.seconds:.1f} s)", flush=True)


def _cluster():
    from lib.jobs import cluster

    return cluster


def _or_dash(seconds: float | None) -> str:
    """Seconds as "1.2 s", or "-" when not known."""
    return "-" if seconds is None else f"{seconds:.1f} s"

