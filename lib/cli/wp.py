"""`wp` commands: compare real-only and augmented win-probability models, and train one model.

    python -m lib.cli wp compare --data t20.csv --synthetic synth.csv --ratios 0,0.5,1 --seeds 3 --out report.json
    python -m lib.cli wp train --data t20.csv --synthetic synth.csv --ratio 1 --out models/wp-aug
    python -m lib.cli wp augment --data t20.csv --synthetic synth.csv --ratio 1 --out augmented.csv
    python -m lib.cli wp match --model models/wp-aug --match 1082591.json --out curve.csv
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from lib.cli import UsageError


def register(groups) -> None:
    parser = groups.add_parser("wp", help="win-probability model: compare training arms, train and save one model")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _register_compare(commands)
    _register_train(commands)
    _register_augment(commands)
    _register_match(commands)


def _register_compare(commands) -> None:
    compare = commands.add_parser(
        "compare",
        help="train real, reference, augmented@R and synthetic arms over seeds; test all on held-out real matches",
    )
    _add_common(compare)
    compare.add_argument(
        "--ratios", help="comma-separated synthetic rows per real training row, e.g. 0,0.5,1 "
        "(default 0.25,0.5,1,2 with --synthetic; 0 is the real arm)"
    )
    compare.add_argument("--seeds", type=int, default=3, help="repetitions per arm (default 3)")
    compare.add_argument(
        "--split", choices=["match", "row"], default="match",
        help="match: hold out whole matches (honest, default); row: leaks, only to compare with published numbers",
    )
    compare.add_argument("--out", required=True, type=Path, help="report JSON to write")
    compare.set_defaults(run=run_compare)


def _register_train(commands) -> None:
    train = commands.add_parser("train", help="train one WP model on the training matches and save it to a folder")
    _add_common(train)
    train.add_argument("--ratio", type=float, help="synthetic rows per real training row (needs --synthetic)")
    train.add_argument("--out", required=True, type=Path, help="model folder to write (replaced if it exists)")
    train.set_defaults(run=run_train)


def _register_augment(commands) -> None:
    augment = commands.add_parser(
        "augment", help="write the augmented training set: real training matches plus synthetic rows, as a CSV"
    )
    augment.add_argument("--data", required=True, type=Path, help="real deliveries: t20.csv or Parquet")
    augment.add_argument("--synthetic", required=True, type=Path, help="synthetic rows: t20.csv or Parquet")
    augment.add_argument("--ratio", required=True, type=float, help="synthetic rows per real training row")
    augment.add_argument("--seed", type=int, default=0, help="seeds the draw of synthetic rows (default 0)")
    augment.add_argument("--out", required=True, type=Path, help="CSV to write (the ten t20.csv columns)")
    augment.set_defaults(run=run_augment)


def _register_match(commands) -> None:
    match = commands.add_parser("match", help="ball-by-ball win probability of one Cricsheet match from a saved model")
    match.add_argument("--model", required=True, type=Path, help="model folder written by `wp train`")
    match.add_argument("--match", required=True, type=Path, help="one Cricsheet match file (.json)")
    match.add_argument("--out", required=True, type=Path, help="CSV: delivery, innings, batting side, probability")
    match.set_defaults(run=run_match)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path, help="real deliveries: t20.csv or Parquet")
    parser.add_argument("--synthetic", type=Path, help="synthetic rows: t20.csv or Parquet")
    parser.add_argument("--epochs", type=int, help="most epochs per model (default: the preset's)")
    parser.add_argument("--seed", type=int, default=0, help="first training seed (default 0)")


def parse_ratios(text: str | None, with_synthetic: bool) -> tuple[float, ...]:
    """The --ratios option as numbers; the default sweep when not given."""
    from lib.augment import check_ratio
    from lib.wpcompare import DEFAULT_RATIOS

    if text is None:
        return DEFAULT_RATIOS
    if not with_synthetic:
        raise UsageError("--ratios needs --synthetic: augmented arms draw their extra rows from a synthetic set.")
    try:
        return tuple(check_ratio(float(part)) for part in text.split(","))
    except ValueError:
        raise UsageError(f"--ratios must be comma-separated numbers >= 0 such as 0,0.5,1; got {text!r}.") from None


def _config(args):
    from models.wp import WPConfig

    return WPConfig(seed=args.seed) if args.epochs is None else WPConfig(epochs=args.epochs, seed=args.seed)


def _load(args):
    from lib.schema import load_t20

    real = load_t20(args.data)
    synthetic = None if args.synthetic is None else load_t20(args.synthetic, require_matches=False)
    return real, synthetic


def _print_epoch(log) -> None:
    losses = " ".join(f"{name} {value:.4f}" for name, value in log.losses.items())
    where = f"{log.stage}: " if log.stage else ""
    print(f"{where}epoch {log.epoch}/{log.epochs} {losses} ({log.seconds:.1f} s)", file=sys.stderr, flush=True)


def run_compare(args) -> int:
    from lib.wpcompare import compare_arms

    ratios = parse_ratios(args.ratios, args.synthetic is not None)
    config = _config(args)
    real, synthetic = _load(args)
    report = compare_arms(real, synthetic, ratios=ratios, seeds=args.seeds, config=config, split=args.split,
                          on_epoch=_print_epoch)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report.to_json(), indent=1))
    print(format_report(report))
    print(f"report written to {args.out}")
    return 0


def format_report(report) -> str:
    """The comparison as text: each arm's mean [95% interval] per metric, then its paired difference to `real`."""
    table = report.table()
    lines = [f"{report.split.label}: {report.split.test_matches:,} test matches, {len(report.seeds)} seed(s)"]
    lines += _format_block(table, "mean", "ci_low", "ci_high")
    lines += ["", "difference to real, paired by seed (> 0 is better for accuracy and auc, < 0 for brier and log_loss)"]
    lines += _format_block(table[table["arm"] != "real"], "diff_mean", "diff_low", "diff_high", signed=True)
    lines += ["", *(f"note: {note}" for note in report.notes)]
    return "\n".join(lines)


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
    from lib.wptrain import train_and_save

    if args.synthetic is not None and args.ratio is None:
        raise UsageError("--synthetic needs --ratio: how many synthetic rows per real training row (e.g. 1).")
    if args.ratio and args.synthetic is None:
        raise UsageError("--ratio needs --synthetic: the extra rows are drawn from a synthetic set.")
    config = _config(args)
    real, synthetic = _load(args)
    model = train_and_save(real, args.out, synthetic, args.ratio or 0.0, config, on_epoch=_print_epoch)
    scores = model.extra["test_scores"]
    print(f"{model.extra['split']}, {model.extra['test_matches']:,} test matches: "
          + ", ".join(f"{name} {value:.4f}" for name, value in scores.items()))
    print(f"model written to {args.out}")
    return 0


def run_augment(args) -> int:
    from lib.wptrain import build_augmented_set

    real, synthetic = _load(args)
    augmented = build_augmented_set(real, synthetic, args.ratio, seed=args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    augmented.frame.to_csv(args.out, index=False)
    print(f"{augmented.real_rows:,} real training rows + {augmented.synthetic_rows:,} synthetic rows "
          f"({augmented.note}); validation and test matches left out")
    print(f"written to {args.out}")
    return 0


def run_match(args) -> int:
    from lib import matchview
    from models.wp import WPModel

    model = WPModel.load(args.model)
    features = model.features or "leakfree"
    rows = matchview.rows_from_file(args.match, args.match.name, features, model.vocabulary)
    curve = matchview.win_curve(matchview.for_model(rows, model.vocabulary), model)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    matchview.curve_csv(curve).to_csv(args.out, index=False)
    print(f"{curve.team1} v {curve.team2}, won by {curve.winner}: {len(curve.deliveries)} deliveries "
          f"({features} features); {curve.unknown_deliveries} with a player the model does not know")
    print(f"written to {args.out}")
    return 0
