"""Who was out, as t20 rows tell it (lib.data.events.dismissed), against the striker-only rule it replaced.

Usage (from the repository root):

    python bench/dismissals.py [path/to/cricsheet.zip]   (default ../shared/data/ipl_json.zip)

Rows name only the striker; an import knows who was out. For the simulated league and, when the zip is there, real
matches, the table counts the wickets whose batter out each rule names rightly, and those the new rule leaves
unknown (out at the other end before facing a ball: in no row). Goal: the new rule is right more often than the
striker-only rule, on both.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.data.cricsheet.importer import import_cricsheet
from lib.data.events import BATTER_INDEX, PLAYER_OUT, UNKNOWN, WICKET, events_from_rows
from lib.data.simulate.league import build_sample
from lib.data.validation import validate


def _row(name: str, result) -> str:
    truth = result.events.deliveries
    rows = validate(result.deliveries, name, keep_extra=True, features=result.features)
    told = events_from_rows(rows, result.features).deliveries
    wicket = (told[WICKET] == 1).to_numpy()
    true_out = truth[PLAYER_OUT].to_numpy()[wicket]
    striker = told[BATTER_INDEX].to_numpy()[wicket]
    inferred = told[PLAYER_OUT].to_numpy()[wicket]
    n = int(wicket.sum())
    share = lambda right: f"{int(right.sum()):>7,} ({right.mean():.1%})"
    return (f"{name:<28} {told['matchId'].nunique():>7,} {n:>8,} {share(striker == true_out):>18} "
            f"{share(inferred == true_out):>17} {int((inferred == UNKNOWN).sum()):>8,}")


def main() -> int:
    archive = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "ipl_json.zip"
    print(f"{'data':<28} {'matches':>7} {'wickets':>8} {'striker rule right':>18} {'rows rule right':>17} "
          f"{'unknown':>8}")
    print(_row("simulated league, seed 7", build_sample(matches=1000, seed=7)))
    if archive.is_file():
        print(_row(archive.name, import_cricsheet(archive, features="leakfree", name=archive.name)))
    else:
        print(f"{archive} not found: real matches left out")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
