"""`python -m lib.cli score`: every score of a synthetic t20.csv with its floor and ceiling, and an HTML report."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from lib.cli.options import output_file, seed
from lib.data import files
from lib.data.cricsheet.features import FEATURE_VARIANTS

NO_VALUE = "—"
"""A score that could not be computed (NaN: one class, a constant column), as the Evaluate page shows it."""


def register(groups: argparse._SubParsersAction) -> None:
    score = groups.add_parser(
        "score", help="score a synthetic t20.csv against the real data, between a floor and a ceiling reference")
    score.add_argument("--real", type=Path, required=True, help="real t20.csv or Parquet")
    score.add_argument("--synthetic", type=Path, required=True, help="synthetic t20.csv or Parquet")
    score.add_argument("--out", type=output_file, required=True,
                       help="report JSON with every per-column and per-pair score")
    score.add_argument("--html", type=output_file, help="also write one self-contained HTML report (opens offline)")
    score.add_argument("--features", choices=FEATURE_VARIANTS,
                       help="feature variant of the real data, for coherence (default: the one its rows obey)")
    score.add_argument("--training-unknown", action="store_true",
                       help="the synthesizer was not trained on the standard split's training matches (say so in "
                            "the report); by default it was, as `synth train` does without --all-matches")
    score.add_argument("--seed", type=seed, default=0,
                       help="seeds the floor's permutations and every sample (default 0)")
    score.add_argument("--no-privacy", action="store_true", help="skip copies and distance to closest record")
    score.set_defaults(run=score_command)


def score_command(args: argparse.Namespace) -> int:
    from lib.data.augment import check_synthetic
    from lib.data.tables import load_t20
    from lib.quality.matches import has_whole_matches, whole_match_report
    from lib.quality.report import rows_scored, score_report

    real = load_t20(args.real)
    synthetic = check_synthetic(real, load_t20(args.synthetic, require_matches=False), args.synthetic.name)
    report = score_report(real, synthetic, with_privacy=not args.no_privacy, variant=args.features,
                          known_training=not args.training_unknown, seed=args.seed,
                          on_step=lambda name, done: print(f"[{done:4.0%}] {name}...", file=sys.stderr))
    report.provenance = {"real": str(args.real), "synthetic": str(args.synthetic), "seed": str(args.seed),
                         "rows scored": rows_scored(report)}
    whole = None
    if has_whole_matches(synthetic):
        print("[100%] whole matches...", file=sys.stderr)
        whole = whole_match_report(real, synthetic, report.variant, seed=args.seed)
    files.write_text(args.out, json.dumps(report.to_json(whole), indent=1))
    print(report.basis)
    print(report.get_details().to_string(index=False, na_rep=NO_VALUE, float_format=lambda v: f"{v:.3f}"))
    print(f"\noverall position {_figure(report.get_score())} (0 = independent columns, 1 = unseen real matches)\n")
    print(report.memorisation().to_string(index=False, na_rep=NO_VALUE, float_format=lambda v: f"{v:.3f}"))
    _print_rest(report)
    if whole is not None:
        _print_whole_matches(whole)
    if args.html:
        from lib.quality.html import report_html

        files.write_text(args.html, report_html(report, real, synthetic, whole))
        print(f"HTML report written to {args.html}")
    print(f"report written to {args.out}")
    return 0


def _figure(value, spec: str = ".3f") -> str:
    """A score as the report prints it; a score that could not be computed (NaN, None) as NO_VALUE, as the
    pages show it."""
    return NO_VALUE if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, spec)


def _print_rest(report) -> None:
    utility = report.utility
    print(f"\nutility ({utility.train_rows:,} training rows each, {utility.test_rows:,} test rows): "
          f"ROC AUC synthetic {_figure(utility.synthetic_auc)} vs real {_figure(utility.real_auc)}; "
          f"Brier synthetic {_figure(utility.synthetic_brier)} vs real {_figure(utility.real_brier)}")
    print(f"cricket validity {_figure(report.synthetic.validity)}; coherence ({report.variant}) "
          f"{_figure(report.synthetic.coherence.share)}")
    if report.privacy is not None:
        print(f"exact copies of real rows {_figure(report.privacy.copy_share, '.2%')}; DCR baseline protection "
              f"{_figure(report.privacy.dcr_baseline_score)}")


PRINTED_FIGURES = ["matches", "first-innings total, mean (runs)", "second-innings total, mean (runs)",
                   "wickets per innings, mean", "deliveries per innings, mean", "share of chases won"]
"""The whole-match figures printed; the JSON holds every one."""


def _print_whole_matches(whole) -> None:
    from lib.quality.matches import SCORES

    print(f"\nwhole matches: similarity to the training matches {whole.get_score():.3f} (ceiling, unseen real "
          f"matches: {whole.ceiling_score():.3f}; mean of {len(SCORES)} sdmetrics scores)")
    print(whole.table(PRINTED_FIGURES).to_string(index=False, na_rep=NO_VALUE, float_format=lambda v: f"{v:.4g}"))
    for note in whole.notes:
        print(note)
