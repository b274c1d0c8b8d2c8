"""The matches engine against its goals, side by side with the default CTGAN on the same data in the same run.

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/matches_engine.py --data ../shared/data/ipl_json.zip      # a Cricsheet zip
    python bench/matches_engine.py --league 1000                             # the embedded simulated league
    python bench/matches_engine.py --league 1000 --skip-ctgan                # the matches engine alone

Both engines learn from the standard split's training matches with their default settings. Prints four tables:
speed (training on this machine, 10,000 matches generated with their rows), the Evaluate scores of each engine's
rows between the floor and the ceiling (lib.quality.report.score_report), whole-match realism against the training
matches (lib.quality.matches, with the unseen real matches as the ceiling), and the ball model's log loss on the
held-out training matches and on the test matches next to the state-only model and the class frequencies.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from lib.data.events import events_for
from lib.data.schema import MATCH_ID
from lib.data.splits import STANDARD_SPLIT, make_split
from lib.quality.matches import match_figures, realism_table
from lib.quality.report import score_report

GOALS = {"training seconds": 180.0, "seconds for 10,000 matches": 30.0, "detection gap to ceiling": 0.05,
         "position": 0.8, "ks_score": 0.966, "correlation_score": 0.976}


def load(args) -> tuple[pd.DataFrame, object, str]:
    """(real rows, their stored events or None, feature variant)."""
    if args.league:
        from lib.data.simulate.league import build_sample

        result = build_sample(matches=args.league, seed=7)
    else:
        from lib.data.cricsheet.importer import import_cricsheet

        result = import_cricsheet(args.data)
    return result.deliveries, getattr(result, "events", None), result.features


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data/ipl_json.zip", help="a Cricsheet zip")
    parser.add_argument("--league", type=int, help="simulate a league of this many matches instead")
    parser.add_argument("--skip-ctgan", action="store_true", help="leave the CTGAN baseline out")
    parser.add_argument("--score-rows", type=int, default=100_000, help="synthetic rows scored per engine")
    args = parser.parse_args()

    from models.synth.matches.config import MatchesConfig
    from models.synth.matches.synthesizer import MatchesSynthesizer

    real, events, features = load(args)
    split = make_split(real, STANDARD_SPLIT)
    training, unseen = (real.iloc[np.sort(rows)].reset_index(drop=True)
                        for rows in (split.train, np.concatenate([split.validation, split.test])))
    test = real.iloc[split.test].reset_index(drop=True)
    print(f"{len(training[MATCH_ID].unique()):,} training matches, {len(training):,} deliveries; "
          f"{len(unseen[MATCH_ID].unique()):,} unseen matches")
    model, train_seconds = timed(MatchesSynthesizer.train, training, MatchesConfig(), events=events)
    matches, play_seconds = timed(model.sample_matches, 10_000, 0)
    sets = {"matches": model.sample(args.score_rows, seed=1)}
    redrawn = [("matches", "rows redrawn", model.sample_with_report(args.score_rows, seed=1)[1].redrawn_share)]
    speed = [("matches", "training seconds", train_seconds), ("matches", "seconds for 10,000 matches", play_seconds),
             ("matches", "rows of 10,000 matches", len(matches))]
    if not args.skip_ctgan:
        from models.synth.ctgan.synthesizer import CtganSynthesizer

        ctgan, seconds = timed(CtganSynthesizer.train, training)
        speed.append(("ctgan", "training seconds", seconds))
        (sets["ctgan"], report), seconds = timed(ctgan.sample_with_report, args.score_rows, 1)
        speed.append(("ctgan", f"seconds for {args.score_rows:,} rows", seconds))
        redrawn.append(("ctgan", "rows redrawn", report.redrawn_share))
    print_table("Speed", pd.DataFrame(speed + redrawn, columns=["engine", "figure", "value"]))
    print_table("Evaluate (floor: independent columns, ceiling: unseen real matches)",
                evaluate_table(real, sets, features))
    figures = {"matches": match_figures(sets["matches"], features), "unseen real": match_figures(unseen, features)}
    print_table("Whole-match realism against the training matches",
                realism_table(match_figures(training, features), figures))
    print_table("Ball model log loss (nats per delivery)", log_loss_table(model, test, events))


def evaluate_table(real: pd.DataFrame, sets: dict[str, pd.DataFrame], features: str) -> pd.DataFrame:
    rows = []
    for name, rows_ in sets.items():
        report = score_report(real, rows_, with_privacy=False, variant=features)
        candidates = (report.floor, report.synthetic, report.ceiling)
        for key in ("detection_auc", "ks_score", "correlation_score"):
            rows.append((name, key, *(scores.scores[key] for scores in candidates)))
        rows.append((name, "position", 0.0, report.get_score(), 1.0))
        rows.append((name, "coherence share", *(scores.coherence.share for scores in candidates)))
        rows.append((name, "validity share", *(scores.validity for scores in candidates)))
    return pd.DataFrame(rows, columns=["engine", "score", "floor", "synthetic", "ceiling"])


def log_loss_table(model, test: pd.DataFrame, events) -> pd.DataFrame:
    from models.synth.matches.evaluate import test_log_loss

    held = model.stats["held_out"]["log_loss"]
    rows = [("held-out training matches", name, value) for name, value in held.items()]
    test_losses = test_log_loss(model, events_for(test, events, None))
    rows += [("test matches", name, value) for name, value in test_losses.items()]
    return pd.DataFrame(rows, columns=["matches", "model", "log loss"])


def print_table(title: str, table: pd.DataFrame) -> None:
    print(f"\n{title}")
    with pd.option_context("display.width", 160, "display.max_rows", 200, "display.float_format", "{:.4f}".format):
        print(table.to_string(index=False))


if __name__ == "__main__":
    main()
