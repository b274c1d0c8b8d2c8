"""`python -m lib.cli data ...`: import Cricsheet JSON, simulate the sample league, check a t20.csv."""

from __future__ import annotations

import argparse
from pathlib import Path

from lib.cli import check_rows_fit
from lib.cli.options import output_file, seed, whole
from lib.data import files
from lib.data.cricsheet.features import FEATURE_VARIANTS as VARIANTS
from lib.data.schema import t20_columns
from lib.data.tables import load_t20
from lib.data.validation import summarize, validate

MAX_SAMPLE_MATCHES = 20_000
"""Most matches `data sample` simulates: four times the published 5,000-match league, about a minute here, and a
t20.csv that `data check` can read back (lib.data.tables.MAX_TABLE_ROWS)."""
DELIVERIES_PER_MATCH = 240
"""Deliveries of a simulated match, both innings, about."""
SIMULATED_ROW_BYTES = 800
"""Memory per simulated delivery at the command's peak (names, events and rows together), measured on 2,000
matches."""


def register(groups: argparse._SubParsersAction) -> None:
    data = groups.add_parser("data", help="load, import, simulate and check T20 ball-by-ball data")
    commands = data.add_subparsers(dest="command", required=True, metavar="COMMAND")

    imp = commands.add_parser("import", help="Cricsheet JSON (zip, folder or one file) -> t20.csv")
    imp.add_argument("source", type=Path, help="a Cricsheet zip such as ipl_json.zip, a folder of .json, or one .json")
    imp.add_argument("--features", choices=VARIANTS, default="leakfree", help="feature variant (default leakfree)")
    imp.add_argument("--out", type=output_file, required=True,
                     help="CSV to write: matchId, innings and the ten columns")
    imp.set_defaults(run=import_command)

    sample = commands.add_parser("sample", help="simulate a T20 league -> t20.csv")
    sample.add_argument("--matches", type=whole("--matches", 2, MAX_SAMPLE_MATCHES, example=1000), default=1000,
                        help=f"matches to simulate, 2..{MAX_SAMPLE_MATCHES:,} (default 1000)")
    sample.add_argument("--seed", type=seed, default=7, help="the simulation's seed; the same seed, the same league "
                                                             "(default 7, the app's embedded sample)")
    sample.add_argument("--features", choices=VARIANTS, default="leakfree", help="feature variant (default leakfree)")
    sample.add_argument("--out", type=output_file, required=True, help="CSV to write: matchId, innings and the ten "
                                                                       "columns")
    sample.set_defaults(run=sample_command)

    check = commands.add_parser("check", help="validate a t20.csv or Parquet file and print its summary")
    check.add_argument("file", type=Path)
    check.set_defaults(run=check_command)


def import_command(args: argparse.Namespace) -> int:
    from lib.data.cricsheet.importer import import_cricsheet

    result = import_cricsheet(args.source, features=args.features, name=args.source.name)
    for line in result.report.lines():
        print(line)
    return _write(validate(result.deliveries, args.source.name, keep_extra=True, features=args.features), args.out)


def sample_command(args: argparse.Namespace) -> int:
    check_rows_fit(args.matches * DELIVERIES_PER_MATCH, f"--matches {args.matches:,} simulated matches",
                   "Simulate fewer matches.", row_bytes=SIMULATED_ROW_BYTES)
    from lib.data.simulate.league import build_sample

    result = build_sample(matches=args.matches, seed=args.seed, features=args.features)
    deliveries = validate(result.deliveries, "the simulated league", keep_extra=True, features=args.features)
    return _write(deliveries, args.out)


def check_command(args: argparse.Namespace) -> int:
    frame = load_t20(args.file)
    summary = summarize(frame)
    print(f"{args.file.name}: valid t20 data (every column present and in its range)")
    _print_summary(summary)
    print(_coherence_line(frame))
    for column in files.formula_columns(frame):
        print(f"note: some {column} values start with {', '.join(map(repr, files.FORMULA_STARTS))}, which a "
              "spreadsheet runs as a formula; every CSV Crease Lab writes puts a ' before them, so they show as text")
    return 0


def _coherence_line(frame) -> str:
    """The share of rows that are deliveries which could have happened (lib.quality.coherence), in the feature
    variant whose identities they obey best: bounds alone pass rows whose columns contradict each other."""
    from lib.quality.coherence import CricketCoherence, guess_variant

    variant = guess_variant(frame)
    share = CricketCoherence.compute(frame, variant)
    line = f"  cricket coherence {share:.1%} of rows obey the identities between the columns ({variant})"
    if share < 0.99:
        line += ("; real deliveries obey them all, so the rest were not generated as deliveries (a row synthesizer "
                 "learns each column's spread, not how they tie together)")
    return line


def _write(frame, out: Path) -> int:
    files.write_csv(out, t20_columns(frame))
    print(f"wrote {out}")
    _print_summary(summarize(frame))
    return 0


def _print_summary(summary) -> None:
    inferred = " (inferred from ballNum restarting; no matchId column)" if summary.matches_inferred else ""
    print(f"  rows      {summary.rows:,}")
    print(f"  matches   {summary.matches:,}{inferred}")
    print(f"  batters   {summary.batters:,}")
    print(f"  bowlers   {summary.bowlers:,}")
    print(f"  won share {summary.won_share:.3f}")
