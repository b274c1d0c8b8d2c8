"""`wp` commands: compare real-only and augmented win-probability models, and train one model.

    python -m lib.cli wp compare --data t20.csv --synthetic synth.csv --ratios 0,0.5,1 --seeds 3 --out report.json
    python -m lib.cli wp train --data t20.csv --synthetic synth.csv --ratio 1 --out models/wp-aug
    python -m lib.cli wp augment --data t20.csv --synthetic synth.csv --ratio 1 --out augmented.csv
    python -m lib.cli wp match --model models/wp-aug --match 1082591.json --out curve.csv
    python -m lib.cli wp match --model models/wp-aug --synthetic matches.csv --match-id 1000000003 --out curve.csv
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from lib.cli import UsageError, check_rows_fit, load_model
from lib.cli.options import (
    MAX_BATCH,
    MAX_EMBEDDING,
    MAX_EPOCHS,
    MAX_SEED,
    MAX_SEEDS,
    decimal,
    layers,
    output_file,
    seed,
    whole,
)
from lib.cli.synth import add_ray_options, connect, continued_after_loss
from lib.data import files

MAX_RATIOS = 20
"""Most different --ratios of one comparison: each is an arm of --seeds trainings (the page offers 4)."""
_ratio = decimal("--ratio", 0, example=1)
"""--ratio: synthetic rows per real training row, a finite number >= 0."""


def register(groups) -> None:
    parser = groups.add_parser("wp", help="win-probability model: compare training arms, train and save one model")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _register_compare(commands)
    _register_train(commands)
    _register_augment(commands)
    _register_match(commands)


def _register_compare(commands) -> None:
    from lib.wp.arms import DEFAULT_RATIOS, DEFAULT_SEEDS

    compare = commands.add_parser(
        "compare",
        help="train real, reference, augmented@R and synthetic arms over seeds; test all on held-out real matches",
    )
    _add_common(compare)
    compare.add_argument(
        "--ratios", help="comma-separated synthetic rows per real training row (matches per real training match for a "
        "set of whole matches), e.g. 0,0.5,1 "
        f"(default {','.join(f'{r:g}' for r in DEFAULT_RATIOS)} with --synthetic; 0 is the real arm)"
    )
    compare.add_argument("--seeds", type=whole("--seeds", 1, MAX_SEEDS, example=3), default=DEFAULT_SEEDS,
                         help=f"repetitions per arm, 1..{MAX_SEEDS} (default {DEFAULT_SEEDS})")
    compare.add_argument(
        "--split", choices=["match", "row"], default="match",
        help="match: hold out whole matches (honest, default); row: leaks, only to compare with published numbers",
    )
    compare.add_argument("--out", required=True, type=output_file, help="report JSON to write")
    add_ray_options(compare, "each (arm, seed) training")
    compare.set_defaults(run=run_compare)


def _register_train(commands) -> None:
    train = commands.add_parser("train", help="train one WP model on the training matches and save it to a folder")
    _add_common(train)
    train.add_argument("--ratio", type=_ratio, help="synthetic rows per real training row, or matches per match for "
                       "whole matches (needs --synthetic)")
    train.add_argument("--out", required=True, type=Path,
                       help="new model folder to write; an existing folder is refused unless it holds a WP model "
                            "and --force is given")
    train.add_argument("--force", action="store_true", help="replace the WP model already in --out")
    train.set_defaults(run=run_train)


def _register_augment(commands) -> None:
    augment = commands.add_parser(
        "augment", help="write the augmented training set: real training matches plus synthetic rows, as a CSV"
    )
    augment.add_argument("--data", required=True, type=Path, help="real deliveries: t20.csv or Parquet")
    augment.add_argument("--synthetic", required=True, type=Path, help="synthetic rows: t20.csv or Parquet")
    augment.add_argument("--ratio", required=True, type=_ratio,
                         help="synthetic rows per real training row, or matches per match for whole matches")
    augment.add_argument("--seed", type=seed, default=0, help="seeds the draw of synthetic rows (default 0)")
    augment.add_argument("--out", required=True, type=output_file, help="CSV to write (the ten t20.csv columns)")
    augment.set_defaults(run=run_augment)


def _register_match(commands) -> None:
    match = commands.add_parser("match", help="ball-by-ball win probability of one Cricsheet match, or of one match of "
                                "a synthetic set of whole matches, from a saved model")
    match.add_argument("--model", required=True, type=Path, help="model folder written by `wp train`")
    source = match.add_mutually_exclusive_group(required=True)
    source.add_argument("--match", type=Path, help="one Cricsheet match file (.json)")
    source.add_argument("--synthetic", type=Path,
                        help="a synthetic set of whole matches (matchId and innings columns, as the matches engine "
                             "writes), from a synthesizer trained on the model's real data: players are named from "
                             "the model's vocabulary; needs --match-id")
    match.add_argument("--match-id", help="the matchId of the synthetic match to draw (with --synthetic)")
    match.add_argument("--out", required=True, type=output_file,
                       help="CSV: delivery, innings, batting side, probability")
    match.set_defaults(run=run_match)


def _add_common(parser: argparse.ArgumentParser) -> None:
    from models.wp.config import SYNTHETIC_PHASES, TRAINING, WPConfig

    defaults = WPConfig()
    parser.add_argument("--data", required=True, type=Path, help="real deliveries: t20.csv or Parquet")
    parser.add_argument("--synthetic", type=Path, help="synthetic rows: t20.csv or Parquet")
    model = parser.add_argument_group("model settings (defaults: the published preset, as on the Augment & train page)")
    model.add_argument("--embedding-dim", type=whole("--embedding-dim", 1, MAX_EMBEDDING, example=16),
                       default=defaults.embedding_dim,
                       help=f"size of the batter and bowler embeddings (default {defaults.embedding_dim})")
    model.add_argument("--layers", type=layers, default=defaults.layers,
                       help=f"hidden Dense units, comma-separated (default {_layers_text(defaults.layers)})")
    model.add_argument("--dropout", type=decimal("--dropout", 0, 1, high_open=True, example=0.1),
                       default=defaults.dropout,
                       help=f"dropout after each hidden layer, 0..1 (default {defaults.dropout})")
    model.add_argument("--learning-rate", type=decimal("--learning-rate", 0, low_open=True, example=0.01),
                       default=defaults.learning_rate,
                       help=f"Adam learning rate (default {defaults.learning_rate})")
    model.add_argument("--batch-size", type=whole("--batch-size", 1, MAX_BATCH, example=1024),
                       default=defaults.batch_size,
                       help=f"training rows per step (default {defaults.batch_size})")
    model.add_argument("--epochs", type=whole("--epochs", 1, MAX_EPOCHS, example=10), default=defaults.epochs,
                       help=f"most epochs per model; early stopping may end sooner (default {defaults.epochs})")
    model.add_argument("--patience", type=whole("--patience", 0, MAX_EPOCHS, example=2), default=defaults.patience,
                       help=f"epochs without a better validation loss before stopping (default {defaults.patience})")
    model.add_argument("--training", choices=list(TRAINING), default=defaults.training,
                       help="; ".join(f"{name}: {what}" for name, what in TRAINING.items())
                       + f" (default {defaults.training})")
    model.add_argument("--synthetic-weight", type=decimal("--synthetic-weight", 0, 1, low_open=True, example=0.5),
                       default=defaults.synthetic_weight,
                       help="weight of a synthetic row in the training loss, a real row weighing 1; 0..1 "
                       f"(default {defaults.synthetic_weight:g})")
    model.add_argument("--synthetic-phases", choices=list(SYNTHETIC_PHASES), default=defaults.synthetic_phases,
                       help="where synthetic rows join the training: "
                       + "; ".join(f"{name}: {what}" for name, what in SYNTHETIC_PHASES.items())
                       + f" (default {defaults.synthetic_phases})")
    model.add_argument("--seed", type=seed, default=defaults.seed,
                       help=f"first training seed (default {defaults.seed})")


def _layers_text(layers: tuple[int, ...]) -> str:
    return ",".join(str(units) for units in layers)


def parse_ratios(text: str | None, with_synthetic: bool) -> tuple[float, ...]:
    """The --ratios option as numbers; the default sweep when not given."""
    from lib.data.augment import check_ratio
    from lib.wp.arms import DEFAULT_RATIOS

    if text is None:
        return DEFAULT_RATIOS
    if not with_synthetic:
        raise UsageError("--ratios needs --synthetic: augmented arms draw their extra rows from a synthetic set.")
    try:
        ratios = tuple(check_ratio(float(part)) for part in text.split(","))
    except ValueError:
        raise UsageError(f"--ratios must be comma-separated numbers >= 0 such as 0,0.5,1; got {text!r}.") from None
    if len(set(ratios)) > MAX_RATIOS:
        raise UsageError(f"--ratios names {len(set(ratios)):,} different ratios, each an arm trained --seeds times; "
                         f"give at most {MAX_RATIOS}, such as 0,0.5,1,2.")
    return ratios


def _config(args):
    """The WPConfig the model-settings options describe."""
    from models.wp.config import WPConfig

    return WPConfig(embedding_dim=args.embedding_dim, layers=args.layers, dropout=args.dropout,
                    learning_rate=args.learning_rate, batch_size=args.batch_size, epochs=args.epochs,
                    patience=args.patience, training=args.training, synthetic_weight=args.synthetic_weight,
                    synthetic_phases=args.synthetic_phases, seed=args.seed)


def _load(args):
    from lib.data.tables import load_t20

    real = load_t20(args.data)
    synthetic = None if args.synthetic is None else load_t20(args.synthetic, require_matches=False)
    return real, synthetic


def _print_epoch(log) -> None:
    losses = " ".join(f"{name} {value:.4f}" for name, value in log.losses.items())
    where = f"{log.stage}: " if log.stage else ""
    print(f"{where}epoch {log.epoch}/{log.epochs} {losses} ({log.seconds:.1f} s)", file=sys.stderr, flush=True)


def run_compare(args) -> int:
    if args.seed + args.seeds - 1 > MAX_SEED:
        last = args.seed + args.seeds - 1
        raise UsageError(f"--seed {args.seed:,} with --seeds {args.seeds} would use seeds up to {last:,}, beyond "
                         f"{MAX_SEED:,}; give --seed {MAX_SEED - args.seeds + 1:,} or lower.")
    from lib.data import workspace
    from lib.data.parts import FinishedParts
    from lib.data.splits import SplitSpec
    from lib.wp.compare import compare_arms

    ratios = parse_ratios(args.ratios, args.synthetic is not None)
    config = _config(args)
    ray = connect(args)
    real, synthetic = _load(args)
    check_rows_fit(max(ratios) * len(real), f"--ratios up to {max(ratios):g} x {len(real):,} real rows",
                   "Use smaller ratios.")
    kept = FinishedParts(workspace.kept_root(), "compare")
    with continued_after_loss(kept, "training"):
        report = compare_arms(real, synthetic, ratios=ratios, seeds=args.seeds, config=config,
                              split=SplitSpec(kind=args.split), on_epoch=_print_epoch,
                              run_trainings=ray and _training_runner(ray), kept=kept)
    files.write_text(args.out, json.dumps(report.to_json(), indent=1))
    kept.remove()
    if kept.reused:
        print(f"{kept.reused} of {len(kept.plan)} trainings were kept from an earlier run of this comparison")
    print(format_report(report))
    print(f"report written to {args.out}")
    return 0


def _check_ratio_fits(ratio: float, real) -> None:
    """Refuse a --ratio whose synthetic rows would not fit in memory, before any are drawn."""
    check_rows_fit(ratio * len(real), f"--ratio {ratio:g} x {len(real):,} real rows", "Use a smaller ratio.")


def _training_runner(ray):
    from lib.jobs.cluster import training_runner

    return training_runner(ray)


def format_report(report) -> str:
    """The comparison as text: each arm's mean [95% interval] per metric, then its paired difference to `real`."""
    from lib.wp.metrics import METRICS

    table = report.table()
    lines = [f"{report.split.label}: {report.split.test_matches:,} test matches, {len(report.seeds)} seed(s)"]
    lines += _format_block(table, "mean", "ci_low", "ci_high")
    better = ", ".join(f"{'> 0' if metric.higher_is_better else '< 0'} for {name}" for name, metric in METRICS.items())
    lines += ["", f"difference to real, paired by seed (better: {better})"]
    lines += _format_block(table[table["arm"] != "real"], "diff_mean", "diff_low", "diff_high", signed=True)
    if report.test_match_ids is not None:
        lines += ["", "verdict (95% intervals over seeds and resampled test matches, paired with real):"]
        lines += [f"  {verdict['sentence']}" for verdict in report.verdicts[1].values()]
    lines += ["", f"note: {TABLE_NOTE}", *(f"note: {note}" for note in report.notes)]
    return "\n".join(lines)


TABLE_NOTE = ("The table's intervals are 95% t-intervals over training seeds on one fixed set of test matches; the "
              "verdict's intervals also resample whole test matches (paired across arms), so they cover both.")
"""What the printed table's intervals cover (Compare's tables show the verdict's intervals for ROC AUC and Brier)."""


def _format_block(table, mean: str, low: str, high: str, signed: bool = False) -> list[str]:
    """One line per arm: each metric as `mean [low, high]`, columns taken from `table`."""
    metrics = list(dict.fromkeys(table["metric"]))
    width = max(len(name) for name in table["arm"])
    lines = ["  ".join([f"{'arm':<{width}}"] + [f"{m:<27}" for m in metrics])]
    for name, rows in table.groupby("arm", sort=False):
        cells = [_cell(r[mean], r[low], r[high], signed) for _, r in rows.iterrows()]
        lines.append("  ".join([f"{name:<{width}}"] + [f"{c:<27}" for c in cells]))
    return lines


def _cell(mean: float, low: float, high: float, signed: bool) -> str:
    number = "{:+.4f}" if signed else "{:.4f}"
    shown = [("nan" if math.isnan(v) else number.format(v)) for v in (mean, low, high)]
    return f"{shown[0]} [{shown[1]}, {shown[2]}]"


def run_train(args) -> int:
    from lib.wp.train import train_and_save

    if args.synthetic is not None and args.ratio is None:
        raise UsageError("--synthetic needs --ratio: how many synthetic rows per real training row (e.g. 1).")
    if args.ratio and args.synthetic is None:
        raise UsageError("--ratio needs --synthetic: the extra rows are drawn from a synthetic set.")
    files.check_output_dir(args.out, "wp.json", "WP model", force=args.force)
    config = _config(args)
    real, synthetic = _load(args)
    _check_ratio_fits(args.ratio or 0.0, real)
    model = train_and_save(real, args.out, synthetic, args.ratio or 0.0, config, on_epoch=_print_epoch)
    scores = model.extra["test_scores"]
    print(f"{model.extra['split']}, {model.extra['test_matches']:,} test matches: "
          + ", ".join(f"{name} {value:.4f}" for name, value in scores.items()))
    print(f"model written to {args.out}")
    return 0


def run_augment(args) -> int:
    from lib.wp.train import build_augmented_set

    real, synthetic = _load(args)
    _check_ratio_fits(args.ratio, real)
    augmented = build_augmented_set(real, synthetic, args.ratio, seed=args.seed)
    files.write_csv(args.out, augmented.frame)
    print(f"{augmented.real_rows:,} real training rows + {augmented.synthetic_rows:,} synthetic rows "
          f"({augmented.note}); validation and test matches left out")
    print(f"written to {args.out}")
    return 0


def run_match(args) -> int:
    from lib.wp import match_curve
    from models.wp.model import WPModel

    if (args.synthetic is None) != (args.match_id is None):
        raise UsageError("--synthetic and --match-id go together: the set, and which of its matches to draw.")
    model = load_model(WPModel.load, args.model, "WP model folder written by `wp train`")
    features = model.features or "leakfree"
    if args.synthetic is None:
        rows = match_curve.rows_from_file(args.match, args.match.name, features, model.vocabulary)
        title = None
    else:
        rows, title = _synthetic_match(args, features, model.vocabulary)
    match = match_curve.win_curve(match_curve.for_model(rows, model.vocabulary), model)
    files.write_csv(args.out, match_curve.curve_table(match))
    print(f"{title or f'{match.team1} v {match.team2}, won by {match.winner}'}: {len(match.deliveries)} deliveries "
          f"({features} features); {match.unknown_deliveries} with a player the model does not know")
    print(f"written to {args.out}")
    return 0


def _synthetic_match(args, features: str, vocabulary):
    """The rows of match --match-id of the --synthetic set, and its scorecard's innings totals and result."""
    from lib.data.schema import MATCH_ID
    from lib.data.tables import load_t20
    from lib.data.workspace import NotFound
    from lib.wp import match_curve
    from lib.wp.scorecard import scorecard

    frame = load_t20(args.synthetic, require_matches=False)
    if MATCH_ID not in frame:
        raise UsageError(f"{args.synthetic.name} has no {MATCH_ID} column: it is a set of single rows, not of whole "
                         "matches, so there is no match to draw. Sample one from the matches engine.")
    match_id = int(args.match_id) if args.match_id.isdigit() else args.match_id
    try:
        rows = match_curve.synthetic_match_rows(frame, match_id, vocabulary, features)
    except NotFound:
        raise UsageError(f"{args.synthetic.name} holds no match {args.match_id}; its matchIds run from "
                         f"{frame[MATCH_ID].min()} to {frame[MATCH_ID].max()}.") from None
    card = scorecard(rows, vocabulary, features)
    totals = ", ".join(innings.title for innings in card.innings)
    return rows, f"synthetic match {match_id}: {totals}; {card.result}"
