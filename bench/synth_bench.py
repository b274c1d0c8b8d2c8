"""Benchmarks of the CTGAN trainer against stock ctgan.CTGAN 0.12.1, printed as tables.

Run from the repository root, queued behind other heavy runs:

    flock /work/bench.lock .venv/bin/python bench/synth_bench.py [--only rss60k,rss1m,speed,topk,quality]

Data: the simulated league, lib.data.simulate.league.build_sample(matches=5000, seed=0): about 1.18M deliveries by 4,476
batters and 3,403 bowlers, the published scale. Every measurement runs in its own
subprocess, which reports its own peak RSS (the kernel's high-water mark) and step times. Stock runs are
capped to a few steps (a full stock epoch at these widths takes many minutes); seconds per epoch are then
extrapolated from the measured steps, and the tables say so. Predicted figures come from the trainer's own
cost estimate, computed in yet another subprocess so that its probe does not touch the measured peaks. Every
subprocess runs with OMP_WAIT_POLICY=PASSIVE, as `synth train` does (see lib/cli/synth.py), so that another
process on the shared machine does not stall torch's thread barriers; the tables print the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.data.schema import MODEL_COLUMNS
from models.synth.ctgan.config import SynthConfig

SEED = 0
PUBLISHED = SynthConfig(batch_size=1000, generator_lr=1e-3, discriminator_lr=1e-3, pac=10, seed=SEED,
                        player_encoding="categorical", threads=2)
"""The published recipe's settings (batch 1000, learning rates 1e-3, pac 10), players as categories."""
GIB = 2**30
QUALITY_SEEDS = (0, 1, 2, 3, 4)
QUALITY_MATCHES = 40
LEAGUE_MATCHES = 5000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="rss60k,rss1m,speed,topk,quality")
    parser.add_argument("--steps", type=int, default=4, help="measured steps per capped run (after one warm-up)")
    parser.add_argument("--topk-epochs", type=int, default=1, help="epochs of the 1.2M-row top_k run measured")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "crease-synth-bench")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    league = _league(args.workdir)
    sections = {"rss60k": _rss60k, "rss1m": _rss1m, "speed": _speed, "topk": _topk, "quality": _quality}
    for name in args.only.split(","):
        sections[name](league, args)
    return 0


# --- sections -----------------------------------------------------------------------------------------------


def _rss60k(league: Path, args) -> None:
    _stock_and_ours(league, 60_000, "Peak RSS, 60,000 rows, categorical players (width {width:,}); "
                    "goal <= 3 GiB (stock about 12 GB)", args)


def _rss1m(league: Path, args) -> None:
    config = replace(PUBLISHED, fraction=1.0, epochs=1)
    predicted = _child("estimate", league, config, args)
    ours = _child("ours", league, config, args)
    _table(f"Peak RSS, all {ours['rows']:,} rows, categorical players (width {predicted['width']:,}); goal <= 4 GiB. "
           "Stock not run: one dense float64 copy of its transformed data alone would need "
           f"{ours['rows'] * predicted['width'] * 8 / GIB:.0f} GiB", [("this trainer", ours, predicted)], args.steps)


def _speed(league: Path, args) -> None:
    stock, ours = _stock_and_ours(league, 20_000, "Seconds per epoch, 20,000 rows, categorical players "
                                  "(width {width:,}); goal >= 1.5x faster than stock", args)
    print(f"speed-up: {stock['seconds_per_epoch'] / ours['seconds_per_epoch']:.1f}x\n")


def _stock_and_ours(league: Path, rows: int, title: str, args) -> tuple[dict, dict]:
    """Stock and this trainer on the same `rows` rows, same settings and seed, each capped at a few steps."""
    data = _subset(league, rows, args.workdir)
    config = replace(PUBLISHED, fraction=1.0, epochs=1)
    predicted = _child("estimate", data, config, args)
    stock = _child("stock", data, config, args)
    ours = _child("ours", data, config, args)
    _table(title.format(width=predicted["width"]),
           [("stock ctgan.CTGAN", stock, None), ("this trainer", ours, predicted)], args.steps)
    return stock, ours


def _topk(league: Path, args) -> None:
    config = replace(PUBLISHED, fraction=1.0, epochs=20, player_encoding="top_k")
    predicted = _child("estimate", league, config, args)
    ours = _child("ours", league, replace(config, epochs=args.topk_epochs), args, steps=0)
    total = ours["seconds_per_epoch"] * config.epochs
    _table(f"top_k (K={config.top_k}) on all {ours['rows']:,} rows (width {predicted['width']:,}); goal: 20 epochs "
           f"within 60 minutes on 2 cores", [("this trainer", ours, predicted)], steps=None)
    print(f"20 epochs: {total / 60:.1f} min, extrapolated from {args.topk_epochs} measured full epoch(s); "
          f"predicted {predicted['total_seconds'] / 60:.1f} min\n")


def _quality(league: Path, args) -> None:
    """Equal settings at a scale where stock finishes: 40 simulated matches, 30 epochs of batch 500."""
    data = args.workdir / "quality.parquet"
    if not data.exists():
        _simulated(QUALITY_MATCHES).to_parquet(data)
    config = replace(PUBLISHED, fraction=1.0, epochs=30, batch_size=500)
    rows = {"stock": [], "ours": [], "ours, raw": []}
    for seed in QUALITY_SEEDS:
        rows["stock"].append(_child("quality-stock", data, replace(config, seed=seed), args))
        ours = _child("quality-ours", data, replace(config, seed=seed), args)
        rows["ours"].append(ours)
        rows["ours, raw"].append(ours["raw"])
    import pandas as pd

    real = pd.read_parquet(data)
    print(f"Quality at equal settings ({QUALITY_MATCHES} simulated matches: {len(real):,} rows, "
          f"{real[MODEL_COLUMNS[0]].nunique()} batters, {real[MODEL_COLUMNS[1]].nunique()} bowlers; "
          "categorical players, 30 epochs, batch 500, lr 1e-3, pac 10):\n"
          "lib.quality.fidelity.fidelity of 10,000 sampled rows vs the real rows. "
          "'ours' is sample() (rounding, rule redraws, clipping to bounds); 'ours, raw' decodes as stock's sample()\n"
          "does (integer columns truncated by a cast, no redraws, no clipping), so it compares what was learned.")
    print(f"{'trainer':<11}{'seed':>5}{'KS':>8}{'TV':>8}{'coverage':>10}{'minutes':>9}")
    for who, results in rows.items():
        for seed, result in zip(QUALITY_SEEDS, results):
            print(f"{who:<11}{seed:>5}{result['ks']:>8.3f}{result['tv']:>8.3f}{result['coverage']:>10.3f}"
                  f"{result['seconds'] / 60:>9.1f}")
    for key in ("ks", "tv", "coverage"):
        mean = {who: sum(r[key] for r in results) / len(results) for who, results in rows.items()}
        stock = mean["stock"]
        print(f"mean {key}: stock {stock:.3f}, ours {mean['ours']:.3f} ({mean['ours'] - stock:+.3f}), "
              f"ours raw {mean['ours, raw']:.3f} ({mean['ours, raw'] - stock:+.3f}); goal within 0.03")
    print()


# --- plumbing -----------------------------------------------------------------------------------------------


def _league(workdir: Path) -> Path:
    path = workdir / "league.parquet"
    if not path.exists():
        frame = _simulated(LEAGUE_MATCHES)
        frame.to_parquet(path)
        print(f"data: lib.data.simulate.league.build_sample(matches={LEAGUE_MATCHES}, seed={SEED}): "
              f"{len(frame):,} rows, {frame[MODEL_COLUMNS[0]].nunique():,} batters, "
              f"{frame[MODEL_COLUMNS[1]].nunique():,} bowlers\n")
    return path


def _simulated(matches: int):
    from lib.data.simulate.league import build_sample

    return build_sample(matches=matches, seed=SEED).deliveries[MODEL_COLUMNS].reset_index(drop=True)


def _subset(league: Path, rows: int, workdir: Path) -> Path:
    import pandas as pd

    path = workdir / f"league-{rows}.parquet"
    if not path.exists():
        pd.read_parquet(league).sample(rows, random_state=SEED).reset_index(drop=True).to_parquet(path)
    return path


def _child(kind: str, data: Path, config: SynthConfig, args, steps: int | None = None) -> dict:
    """Run one measurement in a fresh process; returns what it printed as JSON."""
    job = {"kind": kind, "data": str(data), "config": config.to_json(),
           "steps": args.steps if steps is None else steps, "workspace": str(args.workdir / "workspace")}
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_WAIT_POLICY": "PASSIVE"}  # as `synth train` runs
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("synth_bench_child.py")), json.dumps(job)],
                          capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _table(title: str, rows: list[tuple[str, dict, dict | None]], steps: int | None) -> None:
    capped = f"; each run capped at {steps} steps after 1 warm-up, seconds per epoch extrapolated" if steps else ""
    print(title + capped + "; load = 1-minute load average at the end (above ~2: another process competed)")
    print(f"{'trainer':<20}{'rows':>10}{'peak RSS':>11}{'pred. RSS':>11}{'s/step':>9}{'s/epoch':>10}"
          f"{'pred. s/ep':>11}{'rows/s':>9}{'setup s':>9}{'load':>6}")
    for name, measured, predicted in rows:
        pred_rss = f"{predicted['peak_bytes'] / GIB:.2f} GiB" if predicted else "-"
        pred_sec = f"{predicted['seconds_per_epoch']:.1f}" if predicted and predicted["seconds_per_epoch"] else "-"
        rate = measured["rows_per_epoch"] / measured["seconds_per_epoch"]
        print(f"{name:<20}{measured['rows']:>10,}{measured['peak_rss'] / GIB:>7.2f} GiB{pred_rss:>11}"
              f"{measured['seconds_per_step']:>9.2f}{measured['seconds_per_epoch']:>10.1f}{pred_sec:>11}"
              f"{rate:>9,.0f}{measured['setup_seconds']:>9.1f}{measured['load']:>6.1f}")
    print()


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"bench finished in {(time.perf_counter() - started) / 60:.1f} min")
    sys.exit(code)
