"""How close the simulated league comes to real T20 cricket, and how long the default sample takes.

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/sim_realism.py [path/to/ipl_json.zip] [--matches 1000] [--seed 7] [--scale 5000]

Both the real zip and the simulated matches go through the same importer with the default leakfree
variant. Prints one row per figure with its goal and pass/FAIL; --scale also simulates a large league
and counts distinct batters and bowlers against the size of the published t20.csv.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from sdmetrics.single_column import KSComplement

from lib.data.schema import INNINGS, MATCH_ID, NUMERIC_COLUMNS, RUNS, WICKETS, WINNER

DEFAULT_ZIP = "../shared/data/ipl_json.zip"
GOALS = {
    "mean first-innings total": (150, 175),
    "wickets per innings": (5.5, 7.0),
    "deliveries per innings": (112, 122),
    "share of chases won": (0.45, 0.58),
}
KS_GOAL = 0.80
SAMPLE_SECONDS_GOAL = 20.0
SCALE_GOALS = {"distinct batters": 4700, "distinct bowlers": 3500}
SCALE_TOLERANCE = 0.10


def innings_figures(frame: pd.DataFrame) -> dict[str, float]:
    """The four match-level realism figures of an imported frame."""
    last = frame.groupby([MATCH_ID, INNINGS], sort=False).tail(1)
    sizes = frame.groupby([MATCH_ID, INNINGS], sort=False).size()
    return {
        "mean first-innings total": float(last.loc[last[INNINGS] == 1, RUNS].mean()),
        "wickets per innings": float(last[WICKETS].mean()),
        "deliveries per innings": float(sizes.mean()),
        "share of chases won": float(last.loc[last[INNINGS] == 2, WINNER].mean()),
    }


def realism_rows(real: pd.DataFrame, simulated: pd.DataFrame) -> list[tuple[str, float, float, str, bool]]:
    """(figure, simulated, real, goal text, passed) for the match figures and each column's KSComplement."""
    rows = []
    sim_figures, real_figures = innings_figures(simulated), innings_figures(real)
    for name, (low, high) in GOALS.items():
        value = sim_figures[name]
        rows.append((name, value, real_figures[name], f"{low}-{high}", low <= value <= high))
    for column in NUMERIC_COLUMNS:
        score = KSComplement.compute(real_data=real[column], synthetic_data=simulated[column])
        rows.append((f"KSComplement {column}", score, 1.0, f">= {KS_GOAL}", score >= KS_GOAL))
    return rows


def scale_rows(matches: int, seed: int) -> list[tuple[str, float, float, str, bool]]:
    """Distinct batters and bowlers who faced or bowled a ball in a league of `matches` matches."""
    from lib.data.simulate.league import simulate_matches

    batters, bowlers = set(), set()
    for _, match in simulate_matches(matches, seed):
        for innings in match["innings"]:
            for over in innings["overs"]:
                for ball in over["deliveries"]:
                    batters.add(ball["batter"])
                    bowlers.add(ball["bowler"])
    rows = []
    for name, count in (("distinct batters", len(batters)), ("distinct bowlers", len(bowlers))):
        goal = SCALE_GOALS[name]
        passed = abs(count - goal) <= SCALE_TOLERANCE * goal
        rows.append((f"{name} ({matches:,} matches)", count, float("nan"), f"~{goal:,} +-10%", passed))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zip", nargs="?", default=DEFAULT_ZIP)
    parser.add_argument("--matches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=0, help="also simulate this many matches and count players")
    args = parser.parse_args(argv)
    if not Path(args.zip).is_file():
        parser.error(f"{args.zip} not found; pass the path of a Cricsheet zip such as ipl_json.zip")

    from lib.data.cricsheet.importer import import_cricsheet
    from lib.data.simulate.league import build_sample

    real = import_cricsheet(args.zip).deliveries
    start = time.perf_counter()
    sample = build_sample(args.matches, args.seed)
    seconds = time.perf_counter() - start
    rows = realism_rows(real, sample.deliveries)
    rows.append((f"simulate + import {args.matches:,} matches, s", seconds, float("nan"),
                 f"< {SAMPLE_SECONDS_GOAL:.0f}", seconds < SAMPLE_SECONDS_GOAL))
    if args.scale:
        rows += scale_rows(args.scale, args.seed)
    print(f"Simulated league (seed {args.seed}, {sample.report.matches_kept:,} matches kept, "
          f"{len(sample.deliveries):,} rows) vs {args.zip} ({len(real):,} rows), leakfree features")
    print(f"{'figure':<44} {'simulated':>10} {'real':>10} {'goal':>14} {'result':>7}")
    for name, value, reference, goal, passed in rows:
        print(f"{name:<44} {value:>10,.3f} {reference:>10,.3f} {goal:>14} {'pass' if passed else 'FAIL':>7}")
    return 0 if all(row[-1] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
