"""Which Synthesize defaults earn their place: candidate CTGAN settings ranked by the overall position of their
synthetic set between the floor (independent columns) and the ceiling (unseen real matches).

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/synth_defaults.py --data ipl.csv [--league 5000] [--candidates 0.5:10:top_k:1000,...]
        [--rows 50000] [--budget 600]

Each candidate ("fraction:epochs:encoding:batch") trains on the standard split's training matches of each dataset
(`--data` t20.csv files and/or a simulated league of `--league` matches), samples `--rows` rows and is scored with
lib.quality.report.score_report (no privacy). Prints one table per dataset: the candidate, its training seconds
(candidates over `--budget` seconds are marked and cannot be the default), the overall position and the scores it
is made of. The first candidate is the current default, the baseline in the same run.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.data.simulate.league import build_sample
from lib.data.splits import training_matches
from lib.data.tables import load_t20
from lib.quality.report import score_report
from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.synthesizer import train_synthesizer

FULL_GRID = [SynthConfig()] + [
    replace(SynthConfig(), fraction=f, epochs=e, player_encoding=enc, batch_size=b)
    for f, e, enc, b in itertools.product((0.25, 0.5, 1.0), (5, 10, 30), ("top_k", "numeric"), (500, 1000))
    if (f, e, enc, b) != (0.5, 10, "top_k", 1000)
]
"""The current default first, then every combination of fraction, epochs, encoding and batch size."""
SHOWN = ("correlation_score", "contingency_score", "detection_auc", "coherence_share")


def parse_candidates(text: str) -> list[SynthConfig]:
    """ "0.5:10:top_k:1000,1:5:numeric:500" -> SynthConfigs (the other settings at their defaults)."""
    configs = []
    for item in text.split(","):
        fraction, epochs, encoding, batch = item.split(":")
        configs.append(replace(SynthConfig(), fraction=float(fraction), epochs=int(epochs),
                               player_encoding=encoding, batch_size=int(batch)))
    return configs


def run_candidate(real, config: SynthConfig, rows: int) -> dict:
    """Train, sample and score one candidate; returns seconds, overall position and the shown scores."""
    started = time.perf_counter()
    synthesizer = train_synthesizer(training_matches(real), config)
    seconds = time.perf_counter() - started
    report = score_report(real, synthesizer.sample(rows, seed=0), with_privacy=False)
    return {"seconds": seconds, "position": report.get_score(),
            **{key: report.synthetic.scores[key] for key in SHOWN}}


def print_table(name: str, results: list[tuple[SynthConfig, dict]], budget: float) -> None:
    print(f"\n{name}")
    header = f"{'fraction':>8} {'epochs':>6} {'encoding':>11} {'batch':>6} {'train s':>8} {'position':>9}"
    print(header + "".join(f"{key:>18}" for key in SHOWN))
    for config, result in results:
        over = " (over budget)" if result["seconds"] > budget else ""
        print(f"{config.fraction:>8g} {config.epochs:>6} {config.player_encoding:>11} {config.batch_size:>6} "
              f"{result['seconds']:>8.0f} {result['position']:>9.3f}"
              + "".join(f"{result[key]:>18.3f}" for key in SHOWN) + over)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append", default=[], help="real t20.csv (repeatable)")
    parser.add_argument("--league", type=int, help="also a simulated league of this many matches")
    parser.add_argument("--candidates", type=parse_candidates, help="fraction:epochs:encoding:batch,... "
                        "(default: the full grid, current default first)")
    parser.add_argument("--rows", type=int, default=50_000, help="synthetic rows sampled per candidate")
    parser.add_argument("--budget", type=float, default=600.0, help="training seconds a default may take")
    args = parser.parse_args()
    datasets = [(str(path), load_t20(path)) for path in args.data]
    if args.league:
        datasets.append((f"simulated league, {args.league} matches", build_sample(matches=args.league).deliveries))
    for name, real in datasets:
        results = []
        for config in args.candidates or FULL_GRID:
            results.append((config, run_candidate(real, config, args.rows)))
            print_table(name, results[-1:], args.budget)  # one line as each finishes, the table at the end
        print_table(f"{name}: all candidates", results, args.budget)


if __name__ == "__main__":
    main()
