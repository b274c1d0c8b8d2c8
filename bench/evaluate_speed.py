"""Speed of a whole evaluation (Evaluate page, `score` command): 100,000 synthetic rows against a 1.2M-row real set.

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/evaluate_speed.py [--matches 5000] [--synthetic-rows 100000] [--privacy]

Real rows: a simulated league of `--matches` matches (5,000 ~ 1.2M deliveries). Synthetic rows: `--synthetic-rows`
deliveries of another league (another seed), standing in for a synthetic set. Prints one table: the seconds of each
step of lib.quality.report.score_report, its total against the 30 s goal, and, as the baseline in the same run,
the one-set scoring of before the references (fidelity and validity of the synthetic set against every real row).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.data.schema import MODEL_COLUMNS
from lib.data.simulate.league import build_sample
from lib.quality.fidelity import fidelity
from lib.quality.report import score_report
from lib.quality.validity import CricketValidity

GOAL_SECONDS = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matches", type=int, default=5000)
    parser.add_argument("--synthetic-rows", type=int, default=100_000)
    parser.add_argument("--privacy", action="store_true", help="include copies and distance to closest record")
    args = parser.parse_args()
    started = time.perf_counter()
    real = build_sample(matches=args.matches, seed=7).deliveries
    other = build_sample(matches=args.synthetic_rows // 200, seed=8).deliveries[MODEL_COLUMNS]
    synthetic = other.sample(min(args.synthetic_rows, len(other)), random_state=0).reset_index(drop=True)
    print(f"data: {len(real):,} real rows, {len(synthetic):,} synthetic rows "
          f"(built in {time.perf_counter() - started:.0f} s)\n")

    steps: list[tuple[str, float]] = []
    clock = [time.perf_counter()]

    def on_step(name: str, _done: float) -> None:
        now = time.perf_counter()
        if steps:
            steps[-1] = (steps[-1][0], now - clock[0])
        steps.append((name, float("nan")))
        clock[0] = now

    total_started = time.perf_counter()
    score_report(real, synthetic, with_privacy=args.privacy, on_step=on_step)
    total = time.perf_counter() - total_started
    steps[-1] = (steps[-1][0], time.perf_counter() - clock[0])

    baseline_started = time.perf_counter()
    fidelity(real[MODEL_COLUMNS], synthetic)
    CricketValidity.compute(real, synthetic)
    baseline = time.perf_counter() - baseline_started

    print(f"{'step of score_report':<58}{'seconds':>9}")
    for name, seconds in steps:
        if name.startswith("privacy") and not args.privacy:
            name += " (skipped: --privacy)"
        print(f"{name:<58}{seconds:>9.1f}")
    print(f"{'total: every score, floor and ceiling':<58}{total:>9.1f}   goal < {GOAL_SECONDS:.0f} s: "
          f"{'met' if total < GOAL_SECONDS else 'NOT met'}")
    print(f"{'baseline: one set, no references (fidelity + validity)':<58}{baseline:>9.1f}")


if __name__ == "__main__":
    main()
