"""`python -m lib.cli score`: fidelity, validity and privacy of a synthetic t20.csv against the real one."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lib.data import files


def register(groups: argparse._SubParsersAction) -> None:
    score = groups.add_parser("score", help="score a synthetic t20.csv against the real data (sdmetrics)")
    score.add_argument("--real", type=Path, required=True, help="real t20.csv or Parquet")
    score.add_argument("--synthetic", type=Path, required=True, help="synthetic t20.csv or Parquet")
    score.add_argument("--out", type=Path, required=True, help="report JSON with every per-column and per-pair score")
    score.add_argument("--no-privacy", action="store_true", help="skip copies and distance to closest record")
    score.set_defaults(run=score_command)


def score_command(args: argparse.Namespace) -> int:
    from lib.data.augment import check_synthetic
    from lib.data.schema import load_t20
    from lib.quality.report import headline, score_report

    real = load_t20(args.real)
    synthetic = check_synthetic(real, load_t20(args.synthetic, require_matches=False), args.synthetic.name)
    report = score_report(real, synthetic, with_privacy=not args.no_privacy)
    files.write_text(args.out, json.dumps(report, indent=1))
    print(headline(report).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"cricket validity {report['validity_score']:.3f}")
    if report["privacy"]:
        privacy = report["privacy"]
        print(f"exact copies of real rows {privacy['copy_share']:.2%}; DCR baseline protection "
              f"{privacy['dcr_baseline_score']:.3f}")
    print(f"report written to {args.out}")
    return 0
