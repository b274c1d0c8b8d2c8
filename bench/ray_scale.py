"""Sequential against a local Ray cluster: synthesizer shards and a win-probability comparison, side by side.

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/ray_scale.py [--matches 40] [--shards 4] [--epochs 5] [--seeds 2] [--cpus 2]

Starts a Ray head on 127.0.0.1 with `--cpus` CPUs (stopped at the end) and prints one table:
1. the fixed cost of Ray: starting the head, connecting, and a one-shard synthesizer run on Ray against the same
   run here (the difference is worker start-up: a fresh process importing torch, plus shipping the data);
2. `--shards` shards of a synthesizer: trained here one after another (each with every core as torch threads)
   against one Ray task per shard (one CPU and one thread each);
3. a 2-arm x `--seeds`-seed comparison (real and reference arms): here one after another against one Ray task per
   (arm, seed). The Ray runs come after a warm-up, so they show the steady state a long job sees.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def start_head(cpus: int, temp: str) -> tuple[subprocess.Popen, str, float]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "ray"), "start", "--head", "--block", "--node-ip-address", "127.0.0.1",
         "--port", str(port), "--num-cpus", str(cpus), "--num-gpus", "0", "--include-dashboard=false",
         "--temp-dir", temp],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    while process.poll() is None:
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    return process, f"127.0.0.1:{port}", time.perf_counter() - started


def _timed(function) -> tuple[object, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _synth_config(args, shards: int):
    from models.synth.ctgan.config import SynthConfig

    return SynthConfig(fraction=1.0, epochs=args.epochs, shards=shards, batch_size=200, player_encoding="top_k",
                       top_k=50, embedding_dim=64, generator_dim=(128, 128), discriminator_dim=(128, 128))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--matches", type=int, default=40, help="simulated matches to train on (default 40)")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=5, help="synthesizer epochs per shard (default 5)")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray head (default 2)")
    args = parser.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

    from lib.data.simulate.league import build_sample
    from lib.data.validation import validate
    from lib.jobs import cluster
    from lib.wp.compare import compare_arms
    from models.synth.ctgan.synthesizer import train_synthesizer
    from models.wp.config import WPConfig

    frame = validate(build_sample(matches=args.matches, seed=1).deliveries, "the simulated league", keep_extra=True)
    wp_config = WPConfig(epochs=3)
    print(f"{os.cpu_count()} cores here; {len(frame):,} deliveries of {args.matches} simulated matches; "
          f"synthesizer {args.epochs} epoch(s) per shard; WP {wp_config.epochs} epoch(s) per training")

    one_here = _timed(lambda: train_synthesizer(frame, _synth_config(args, 1)))[1]
    shards_here = _timed(lambda: train_synthesizer(frame, _synth_config(args, args.shards)))[1]
    compare_here = _timed(lambda: compare_arms(frame, seeds=args.seeds, config=wp_config))[1]

    temp = tempfile.mkdtemp(prefix="ray-bench-")
    process, address, head_seconds = start_head(args.cpus, temp)
    try:
        ray, connect_seconds = _timed(lambda: cluster.connect(address))
        shards = cluster.part_runner(ray)
        one_ray = _timed(lambda: train_synthesizer(frame, _synth_config(args, 1), run_parts=shards))[1]
        # Warm-up: a worker per CPU with torch and TensorFlow imported, as every job after the first finds them.
        train_synthesizer(frame, replace(_synth_config(args, args.cpus), epochs=1), run_parts=shards)
        compare_arms(frame, seeds=1, config=replace(wp_config, epochs=1), run_trainings=cluster.training_runner(ray))
        shards_ray = _timed(lambda: train_synthesizer(frame, _synth_config(args, args.shards), run_parts=shards))[1]
        compare_ray = _timed(lambda: compare_arms(frame, seeds=args.seeds, config=wp_config,
                                                  run_trainings=cluster.training_runner(ray)))[1]
    finally:
        cluster.disconnect()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=120)
        shutil.rmtree(temp, ignore_errors=True)

    rows = [
        ("start the Ray head (ray start --head)", None, head_seconds),
        ("connect (ray.init, ship lib/ and models/)", None, connect_seconds),
        ("1 shard: here vs as one Ray task (cold)", one_here, one_ray),
        (f"{args.shards} shards", shards_here, shards_ray),
        (f"compare 2 arms x {args.seeds} seeds", compare_here, compare_ray),
    ]
    print(f"\n{'':44}{'here, s':>10}{'Ray, s':>10}{'here / Ray':>12}")
    for name, here, on_ray in rows:
        ratio = f"{here / on_ray:.2f}x" if here else ""
        print(f"{name:44}{(f'{here:.1f}' if here else '-'):>10}{on_ray:>10.1f}{ratio:>12}")


if __name__ == "__main__":
    main()
