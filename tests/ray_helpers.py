"""A real Ray head on 127.0.0.1 for the tests that run work on a cluster, and the waiting they need."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Head:
    """A running `ray start --head`: its address, and its process, whose group holds every process of the head."""

    address: str
    process: subprocess.Popen

    def kill(self) -> None:
        """Kill every process of the head at once, as when its machine dies."""
        os.killpg(self.process.pid, signal.SIGKILL)


@contextmanager
def ray_head(cpus: int = 2) -> Iterator[Head]:
    """A Ray head with `cpus` CPUs and no GPU, stopped (or found killed) and its temp folder removed after."""
    port = free_port()
    temp = tempfile.mkdtemp(prefix="ray-test-")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "ray"), "start", "--head", "--block", "--node-ip-address", "127.0.0.1",
         "--port", str(port), "--num-cpus", str(cpus), "--num-gpus", "0", "--include-dashboard=false",
         "--object-store-memory", str(200 * 2**20), "--temp-dir", temp],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    wait_until(lambda: listening(port) or process.poll() is not None, 120)
    try:
        yield Head(f"127.0.0.1:{port}", process)
    finally:
        # Killed, not stopped: `ray start --block` takes about 33 s to stop its processes on SIGTERM, while the
        # whole group dies at once on SIGKILL (as in Head.kill) and nothing of the head outlives its temp folder.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # killed by the test
        process.wait(timeout=120)
        shutil.rmtree(temp, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as client:
        return client.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
