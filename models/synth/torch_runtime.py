"""Where and with how many threads torch runs: CUDA when available, every CPU core otherwise."""

from __future__ import annotations

import os
from contextlib import contextmanager

import torch


def resolve_device(name: str) -> torch.device:
    """"auto" -> CUDA when available, else CPU; "cuda" only when available."""
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("device cuda was asked for, but torch sees no CUDA GPU here; use device auto or cpu.")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def torch_thread_count(threads: int | None) -> int:
    """CPU threads to use: `threads`, or every core of the machine."""
    return threads or os.cpu_count() or 1


@contextmanager
def torch_threads(threads: int | None):
    """Run the block with torch using `torch_thread_count(threads)` CPU threads, then restore the setting."""
    before = torch.get_num_threads()
    torch.set_num_threads(torch_thread_count(threads))
    try:
        yield
    finally:
        torch.set_num_threads(before)
