"""Speed of a whole evaluation (Evaluate page, `score` command): 100,000 synthetic rows against a 1.2M-row real set,
whole-match section included.

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/evaluate_speed.py [--matches 5000 | --data ipl_json.zip] [--synthetic-rows 100000] [--privacy]

Real rows: a simulated league of `--matches` matches (5,000 ~ 1.2M deliveries), or the Cricsheet zip or folder of
`--data`. Synthetic rows: whole matches of another simulated league (another seed), with matchId and innings, until
there are `--synthetic-rows` deliveries, standing in for a set of the matches engine. Prints one table: the seconds
of each step of lib.quality.report.score_report, of the whole-match section (lib.quality.matches), their total
against the 30 s goal, and, as the baseline in the same run, the one-set scoring of before the references (fidelity
and validity of the synthetic set against every real row).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.data.cricsheet.importer import import_cricsheet
from lib.data.schema import MATCH_ID, MODEL_COLUMNS, t20_columns
from lib.data.simulate.league import build_sample
from lib.data.validation import validate
from lib.quality.fidelity import fidelity
from lib.quality.matches import whole_match_report
from lib.quality.report import score_report
from lib.quality.validity import CricketValidity

GOAL_SECONDS = 30.0
DELIVERIES_PER_MATCH = 230
"""About the deliveries of a simulated match, to size the synthetic league."""


def real_rows(args: argparse.Namespace):
    """(validated real deliveries, feature variant) of --data, else of a simulated league of --matches."""
    if args.data:
        result = import_cricsheet(args.data)
        return validate(result.deliveries, args.data.name, keep_extra=True, features=result.features), result.features
    return build_sample(matches=args.matches, seed=7).deliveries, "leakfree"


def whole_matches(rows: int, seed: int = 8):
    """Whole matches of a simulated league, matchId and innings kept, until there are at least `rows` deliveries."""
    league = t20_columns(build_sample(matches=rows // DELIVERIES_PER_MATCH + 10, seed=seed).deliveries)
    sizes = league.groupby(MATCH_ID, sort=False).size()
    kept = sizes.index[: int((sizes.cumsum() < rows).sum()) + 1]
    return league[league[MATCH_ID].isin(kept)].reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matches", type=int, default=5000, help="matches of the simulated real league")
    parser.add_argument("--data", type=Path, help="a Cricsheet zip or folder as the real rows, instead of a league")
    parser.add_argument("--synthetic-rows", type=int, default=100_000)
    parser.add_argument("--privacy", action="store_true", help="include copies and distance to closest record")
    args = parser.parse_args()
    started = time.perf_counter()
    real, features = real_rows(args)
    synthetic = whole_matches(args.synthetic_rows)
    print(f"data: {len(real):,} real rows{f' of {args.data}' if args.data else ''}, {len(synthetic):,} synthetic rows "
          f"in {synthetic[MATCH_ID].nunique():,} whole matches (built in {time.perf_counter() - started:.0f} s)\n")

    steps: list[tuple[str, float]] = []
    clock = [time.perf_counter()]

    def on_step(name: str, _done: float) -> None:
        now = time.perf_counter()
        if steps:
            steps[-1] = (steps[-1][0], now - clock[0])
        steps.append((name, float("nan")))
        clock[0] = now

    total_started = time.perf_counter()
    score_report(real, synthetic, with_privacy=args.privacy, variant=features, on_step=on_step)
    steps[-1] = (steps[-1][0], time.perf_counter() - clock[0])
    whole_started = time.perf_counter()
    whole = whole_match_report(real, synthetic, features)
    steps.append(("whole matches: figures and sequence scores of three sets", time.perf_counter() - whole_started))
    total = time.perf_counter() - total_started

    baseline_started = time.perf_counter()
    fidelity(real[MODEL_COLUMNS], synthetic[MODEL_COLUMNS])
    CricketValidity.compute(real, synthetic[MODEL_COLUMNS])
    baseline = time.perf_counter() - baseline_started

    print(f"{'step of score_report':<58}{'seconds':>9}")
    for name, seconds in steps:
        if name.startswith("privacy") and not args.privacy:
            name += " (skipped: --privacy)"
        print(f"{name:<58}{seconds:>9.1f}")
    print(f"{'total: every score, floor, ceiling and whole matches':<58}{total:>9.1f}   goal < {GOAL_SECONDS:.0f} s: "
          f"{'met' if total < GOAL_SECONDS else 'NOT met'}")
    print(f"{'baseline: one set, no references (fidelity + validity)':<58}{baseline:>9.1f}")
    print(f"\nwhole-match similarity {whole.get_score():.3f} (ceiling {whole.ceiling_score():.3f}); "
          + " ".join(whole.notes))


if __name__ == "__main__":
    main()
