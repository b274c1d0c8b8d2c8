"""`python -m lib.cli score`: every score of a synthetic t20.csv with its floor and ceiling, and an HTML report."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lib.cli.options import output_file, seed
from lib.data import files

VARIANTS = ("leakfree", "yorkr")


def register(groups: argparse._SubParsersAction) -> None:
    score = groups.add_parser(
        "score", help="score a synthetic t20.csv against the real data, between a floor and a ceiling reference")
    score.add_argument("--real", type=Path, required=True, help="real t20.csv or Parquet")
    score.add_argument("--synthetic", type=Path, required=True, help="synthetic t20.csv or Parquet")
    score.add_argument("--out", type=output_file, required=True,
                       help="report JSON with every per-column and per-pair score")
    score.add_argument("--html", type=output_file, help="also write one self-contained HTML report (opens offline)")
    score.add_argument("--features", choices=VARIANTS,
                       help="feature variant of the real data, for coherence (default: the one its rows obey)")
    score.add_argument("--training-unknown", action="store_true",
                       help="the synthesizer was not trained on the standard split's training matches (say so in "
                            "the report); by default it was, as `synth train` does without --all-matches")
    score.add_argument("--seed", type=seed, default=0, help="seeds the floor's permutations and every sample")
    score.add_argument("--no-privacy", action="store_true", help="skip copies and distance to closest record")
    score.set_defaults(run=score_command)


def score_command(args: argparse.Namespace) -> int:
    from lib.data.augment import check_synthetic
    from lib.data.schema import load_t20
    from lib.quality.report import memorisation_table, references_table, score_report

    real = load_t20(args.real)
    synthetic = check_synthetic(real, load_t20(args.synthetic, require_matches=False), args.synthetic.name)
    report = score_report(real, synthetic, with_privacy=not args.no_privacy, variant=args.features,
                          known_training=not args.training_unknown, seed=args.seed,
                          on_step=lambda name, done: print(f"[{done:4.0%}] {name}...", file=sys.stderr))
    report["provenance"] = {"real": str(args.real), "synthetic": str(args.synthetic), "seed": args.seed,
                            "rows": report["rows"]}
    files.write_text(args.out, json.dumps(report, indent=1))
    print(report["basis"])
    print(references_table(report).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"\noverall position {report['position']:.3f} (0 = independent columns, 1 = unseen real matches)\n")
    print(memorisation_table(report).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    _print_rest(report)
    if args.html:
        from lib.quality.html import report_html

        files.write_text(args.html, report_html(report, real, synthetic))
        print(f"HTML report written to {args.html}")
    print(f"report written to {args.out}")
    return 0


def _print_rest(report: dict) -> None:
    utility = report["utility"]
    print(f"\nutility ({utility['train_rows']:,} training rows each, {utility['test_rows']:,} test rows): "
          f"ROC AUC synthetic {utility['synthetic_auc']:.3f} vs real {utility['real_auc']:.3f}; "
          f"Brier synthetic {utility['synthetic_brier']:.3f} vs real {utility['real_brier']:.3f}")
    print(f"cricket validity {report['validity']['share']:.3f}; coherence ({report['variant']}) "
          f"{report['coherence']['share']:.3f}")
    if report["privacy"]:
        privacy = report["privacy"]
        print(f"exact copies of real rows {privacy['copy_share']:.2%}; DCR baseline protection "
              f"{privacy['dcr_baseline_score']:.3f}")
