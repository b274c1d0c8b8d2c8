"""Eager against traced training of the win-probability model, the measure behind models.wp.config.EAGER_STEPS.

Usage (from the repository root): python bench/wp_eager.py

Each row trains one model in a fresh process (so each pays the same one-off TensorFlow start-up), on the first
matches of the simulated league, traced (graphs, Keras' default), eagerly, and as fit_wp chooses by EAGER_STEPS;
the table prints CPU seconds of the training alone. Goal: the chosen mode is within 20% of the faster one
(runs on a shared 2-core machine vary by about 10%).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = [(8, 1), (8, 5), (16, 2), (30, 2), (150, 2)]
"""(matches, most epochs): a test's few hundred rows, up to the size of a quick look at a real dataset."""
CHILD = """
import sys, time
sys.path.insert(0, {root!r})
import models.wp.config as settings
import models.wp.fit as fit
from lib.data.simulate.league import build_sample
from models.wp.config import WPConfig
mode = {mode!r}
if mode != "chosen":
    settings.EAGER_STEPS = 10**9 if mode == "eager" else -1
league = build_sample(matches={matches}, seed=3).deliveries
cut = int(len(league) * 0.8)
started = time.process_time()
model = fit.fit_wp(league.iloc[:cut], league.iloc[cut:], WPConfig(epochs={epochs}, batch_size=256))
print(time.process_time() - started, model.network.run_eagerly, cut)
"""


def _run(mode: str, matches: int, epochs: int) -> tuple[float, bool, int]:
    code = CHILD.format(root=str(ROOT), mode=mode, matches=matches, epochs=epochs)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[-3]), out[-2] == "True", int(out[-1])


def main() -> int:
    print(f"{'rows':>7} {'epochs':>6} {'traced s':>9} {'eager s':>8} {'chosen':>7} {'chosen s':>9}  within goal")
    for matches, epochs in CASES:
        traced, _, rows = _run("traced", matches, epochs)
        eager, _, _ = _run("eager", matches, epochs)
        chosen, was_eager, _ = _run("chosen", matches, epochs)
        ok = chosen <= 1.2 * min(traced, eager)
        print(f"{rows:>7,} {epochs:>6} {traced:>9.1f} {eager:>8.1f} {'eager' if was_eager else 'traced':>7} "
              f"{chosen:>9.1f}  {'yes' if ok else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
