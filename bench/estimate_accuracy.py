"""Predicted against measured seconds per epoch of the synthesizer, for the datasets users train on.

Run from the repository root, queued behind other heavy runs:

    flock /work/bench.lock .venv/bin/python bench/estimate_accuracy.py [--only sample,ipl,league] [--epochs 2]

Datasets: the embedded sample (the app's default), the IPL zip (/work/shared/data/ipl_json.zip, imported as Home
imports it; skipped when absent) and the published-scale simulated league (5,000 matches). Each is cut to the
standard split's training matches, as the Synthesize page does. The prediction is the page's estimate
(models.synth.ctgan.estimate.estimate_cost) with an empty probe cache, so the probe really runs (in a fresh
process set up as a job's worker is, as for the page); the measurement is `train_synthesizer`'s own mean seconds
per epoch, with the page's default settings and a few epochs, in this process set up the same way, right after the
probe. Goal: the error within 30%.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from models.training_process import training_env

os.environ.update(training_env())  # before torch loads: this process trains as a job's worker does

IPL_ZIP = Path("/work/shared/data/ipl_json.zip")
GOAL = 0.30


def _datasets(only: set[str]):
    """(name, frame) of each dataset asked for, in the order of the table."""
    from lib.data.simulate.league import build_sample
    from lib.data.sources import SAMPLE_MATCHES

    if "sample" in only:
        yield "embedded sample", build_sample(matches=SAMPLE_MATCHES).deliveries
    if "ipl" in only and IPL_ZIP.is_file():
        from lib.data.cricsheet.importer import import_cricsheet

        yield "IPL zip", import_cricsheet(IPL_ZIP, name=IPL_ZIP.name).deliveries
    if "league" in only:
        yield "league, 5,000 matches", build_sample(matches=5000, seed=0).deliveries


def measure(frame, config) -> dict:
    """The estimate and the training of one dataset's training matches."""
    from lib.data.splits import STANDARD_SPLIT, training_matches
    from lib.data.validation import validate
    from models.synth.ctgan.estimate import estimate_cost
    from models.synth.ctgan.synthesizer import train_synthesizer

    train = training_matches(validate(frame, "bench data", keep_extra=True), STANDARD_SPLIT)
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        estimate = estimate_cost(train, config, cache_dir=cache)
        estimate_seconds = time.perf_counter() - started
        model = train_synthesizer(train, config, cache_dir=cache)
    measured = model.stats["seconds_per_epoch"]
    return {"rows": len(train), "width": max(estimate.widths), "predicted": estimate.seconds_per_epoch,
            "measured": measured, "error": estimate.seconds_per_epoch / measured - 1, "estimate_s": estimate_seconds}


def main(argv: list[str] | None = None) -> int:
    from models.synth.ctgan.config import SynthConfig

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="sample,ipl,league", help="comma-separated: sample, ipl, league")
    parser.add_argument("--epochs", type=int, default=2, help="measured epochs per dataset (default 2)")
    args = parser.parse_args(argv)
    config = replace(SynthConfig(), epochs=args.epochs)
    print(f"settings: the Synthesize page's defaults, {args.epochs} epoch(s); load average {os.getloadavg()[0]:.1f}")
    print(f"{'dataset':<24}{'training rows':>14}{'width':>8}{'predicted s/epoch':>19}{'measured s/epoch':>18}"
          f"{'error':>9}{'estimate took':>15}")
    worst = 0.0
    for name, frame in _datasets(set(args.only.split(","))):
        row = measure(frame, config)
        worst = max(worst, abs(row["error"]))
        print(f"{name:<24}{row['rows']:>14,}{row['width']:>8,}{row['predicted']:>19.2f}{row['measured']:>18.2f}"
              f"{row['error']:>+9.0%}{row['estimate_s']:>14.1f}s", flush=True)
    print(f"worst error {worst:.0%} (goal: within {GOAL:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
