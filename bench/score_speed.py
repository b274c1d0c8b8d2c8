"""Speed of the Evaluate page's scores at the published scale, against the plain sdmetrics calls on all rows.

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/score_speed.py [--matches 5000] [--synthetic-rows 360000] [--repeat 3]

Real rows: a simulated league of `--matches` matches (5,000 ~ 1.2M deliveries). Synthetic rows: `--synthetic-rows`
deliveries drawn from another league (another seed), standing in for a synthetic set of the published size.
Prints one table: each score group as `lib.quality.fidelity.fidelity` computes it and as the plain sdmetrics metric on
every row, then the privacy scores (sampled, as the page says). Goal: the four groups in under 5 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sdmetrics.column_pairs import CorrelationSimilarity
from sdmetrics.single_column import CategoryCoverage, KSComplement, TVComplement

from lib.data.schema import DISCRETE_COLUMNS, MODEL_COLUMNS, NUMERIC_COLUMNS, PLAYER_COLUMNS
from lib.data.simulate.league import build_sample
from lib.quality.fidelity import NUMERIC_PAIRS, fidelity
from lib.quality.privacy import privacy
from models.peak_rss import PeakRss

GOAL_SECONDS = 5.0


def plain_groups(real, synthetic) -> dict:
    """Each group as the plain sdmetrics calls on every row: name -> callable."""
    return {
        "KS complement, 7 columns": lambda: [KSComplement.compute(real[c], synthetic[c]) for c in NUMERIC_COLUMNS],
        "TV complement, 3 columns": lambda: [TVComplement.compute(real[c], synthetic[c]) for c in DISCRETE_COLUMNS],
        "correlation similarity, 21 pairs": lambda: [
            CorrelationSimilarity.compute(real[[a, b]], synthetic[[a, b]], coefficient="Pearson")
            for a, b in NUMERIC_PAIRS],
        "category coverage, 2 columns": lambda: [
            CategoryCoverage.compute(real[c], synthetic[c]) for c in PLAYER_COLUMNS],
    }


def timed(call, repeat: int) -> tuple[float, int]:
    """Best seconds of `repeat` calls, and the peak RSS (bytes) seen during them."""
    best = float("inf")
    with PeakRss() as peak:
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
    return best, peak.peak_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=5000)
    parser.add_argument("--synthetic-rows", type=int, default=360_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per row; the best is reported")
    args = parser.parse_args()

    real = build_sample(matches=args.matches, seed=7).deliveries[MODEL_COLUMNS]
    other = build_sample(matches=max(args.matches // 3, 10), seed=8).deliveries[MODEL_COLUMNS]
    synthetic = other.sample(min(args.synthetic_rows, len(other)), random_state=0).reset_index(drop=True)
    print(f"real: {len(real):,} rows; synthetic stand-in: {len(synthetic):,} rows; best of {args.repeat}\n")

    print(f"{'what':<48}{'seconds':>9}{'rows/s':>13}{'peak RSS GiB':>14}")
    plain_total = 0.0
    for name, call in plain_groups(real, synthetic).items():
        seconds, peak = timed(call, args.repeat)
        plain_total += seconds
        print(f"{'plain sdmetrics: ' + name:<48}{seconds:>9.2f}{(len(real) + len(synthetic)) / seconds:>13,.0f}"
              f"{peak / 2**30:>14.2f}")
    ours, peak = timed(lambda: fidelity(real, synthetic), args.repeat)
    print(f"{'plain sdmetrics: the four groups':<48}{plain_total:>9.2f}")
    print(f"{'lib.quality.fidelity.fidelity: the four groups':<48}{ours:>9.2f}"
          f"{(len(real) + len(synthetic)) / ours:>13,.0f}{peak / 2**30:>14.2f}")
    sampled, peak = timed(lambda: privacy(real, synthetic), 1)
    print(f"{'lib.quality.privacy.privacy (1,000 sampled rows)':<48}{sampled:>9.2f}{'':>13}{peak / 2**30:>14.2f}")
    verdict = "meets" if ours <= GOAL_SECONDS else "misses"
    print(f"\nratio ours / plain: {ours / plain_total:.2f}; goal: four groups <= {GOAL_SECONDS:.0f} s: {verdict} "
          f"({ours:.2f} s)")


if __name__ == "__main__":
    main()
