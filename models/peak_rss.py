"""Peak resident memory of this process while a block of code runs."""

from __future__ import annotations

import sys
import threading
from typing import Self

import psutil

try:
    import resource
except ImportError:  # Windows has no getrusage; polling alone measures the peak there
    resource = None

_MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024
"""ru_maxrss is in bytes on macOS and in KiB on Linux."""


class PeakRss:
    """Context manager measuring the highest RSS, in bytes, reached inside the block.

    The kernel's high-water mark (ru_maxrss) is exact but covers the process's whole life; when the block does
    not raise it, the peak comes from a background thread polling the RSS every `interval` seconds.
    """

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._process = psutil.Process()

    def __enter__(self) -> Self:
        self._before = process_peak_bytes()
        self.peak_bytes = self._process.memory_info().rss
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        after = process_peak_bytes()
        if after > self._before:
            self.peak_bytes = max(self.peak_bytes, after)

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_bytes = max(self.peak_bytes, self._process.memory_info().rss)


def process_peak_bytes() -> int:
    """This process's peak resident memory over its whole life, in bytes (0 where the OS does not say)."""
    if resource is None:
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _MAXRSS_UNIT
