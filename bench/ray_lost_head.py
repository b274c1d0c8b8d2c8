"""How long a run takes to end when its Ray head dies mid-run.

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/ray_lost_head.py [--repeats 2] [--tasks 6]

Each repeat starts a Ray head on 127.0.0.1 (2 CPUs), connects, runs `--tasks` tasks of a few seconds through
lib.jobs.cluster.run_tasks, kills every process of the head (SIGKILL to its process group, as when its machine
dies) once the first task is in, and prints one table row: seconds from the kill until run_tasks raised
ClusterLost, and how much of it went to leaving the cluster (ray.shutdown, which waits on the dead head).
Without the watch in run_tasks, Ray would end the whole process about a minute after the kill.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ray_scale import start_head  # beside this script, the first folder on sys.path


def _task(shared, item, report):
    time.sleep(shared * (item + 1))
    return item


def _one_loss(tasks: int) -> tuple[float, float, str]:
    """(seconds from the kill to ClusterLost, seconds of them spent leaving the cluster, the message)."""
    from lib.jobs import cluster

    temp = tempfile.mkdtemp(prefix="ray-bench-")
    process, address, _ = start_head(2, temp)
    leaving = []
    leave = cluster.disconnect

    def timed_leave() -> None:
        started = time.monotonic()
        leave()
        leaving.append(time.monotonic() - started)

    cluster.disconnect = timed_leave
    try:
        ray = cluster.connect(address)
        killed = None
        try:
            for _ in cluster.run_tasks(ray, _task, 2.0, list(range(tasks)), label="task"):
                if killed is None:
                    os.killpg(process.pid, signal.SIGKILL)
                    killed = time.monotonic()
        except cluster.ClusterLost as lost:
            return time.monotonic() - killed, leaving[0], str(lost)
        raise RuntimeError("every task finished before the head was lost; give more --tasks")
    finally:
        cluster.disconnect = leave
        process.wait(timeout=120)
        shutil.rmtree(temp, ignore_errors=True)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=6, help="tasks of 2, 4, 6, ... seconds (default 6)")
    args = parser.parse_args()
    rows = [_one_loss(args.tasks) for _ in range(args.repeats)]
    print(f"\n{'repeat':>6}{'kill -> ClusterLost, s':>24}{'of which leaving, s':>22}")
    for number, (ended, leaving, _) in enumerate(rows, 1):
        print(f"{number:>6}{ended:>24.1f}{leaving:>22.1f}")
    print(f"\nmessage: {rows[-1][2]}")


if __name__ == "__main__":
    main()
