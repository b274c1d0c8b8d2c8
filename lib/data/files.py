"""Writing files and folders so that a reader never sees half of one.

Every writer in the project goes through here: a file is written under a temporary name beside its target and
renamed into place (one `os.replace`, atomic on POSIX and Windows within one file system), and a folder is
built under a hidden staging name and moved into place whole. On any failure the old file or folder stays as it
was and the partial one is removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".staging-"
"""Folders being written start with this; listings skip names starting with a dot."""


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside `target` to write to; renamed onto `target` when the block ends without error.

    The temporary name keeps `target`'s suffix, since some writers (torch, numpy, pandas) choose a format by it.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".tmp-{uuid.uuid4().hex}-{target.name}")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write `data` to `target` atomically; returns the target."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 `text` to `target` atomically; returns the target."""
    return write_bytes(target, text.encode("utf-8"))


def write_csv(target: str | Path, frame) -> Path:
    """Write a pandas DataFrame as CSV (no index) to `target` atomically; returns the target."""
    with atomic_path(target) as tmp:
        frame.to_csv(tmp, index=False)
    return Path(target)


def staging_dir(parent: str | Path) -> Path:
    """A new hidden folder inside `parent` (created), on the same file system, to fill before `publish_dir`."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))


def publish_dir(staging: Path, destination: Path) -> Path:
    """Move a fully written folder onto `destination` in one rename, replacing an older one of the same name."""
    if destination.exists():
        trash = destination.with_name(f".old-{destination.name}-{uuid.uuid4().hex[:6]}")
        os.replace(destination, trash)
        os.replace(staging, destination)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(staging, destination)
    return destination


@contextmanager
def staged_dir(destination: str | Path) -> Iterator[Path]:
    """A staging folder beside `destination` to fill; published onto it when the block ends without error and
    removed otherwise."""
    destination = Path(destination)
    staging = staging_dir(destination.parent)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    publish_dir(staging, destination)
