"""Writing files and folders so that a reader never sees half of one.

Every writer in the project goes through here: a file is written under a temporary name beside its target and
renamed into place (one `os.replace`, atomic on POSIX and Windows within one file system), and a folder is
built under a hidden staging name and moved into place whole. On any failure the old file or folder stays as it
was and the partial one is removed; what a killed writer could not remove, the next writer of that folder does
(`remove_leftovers`). CSVs are written safe to open in a spreadsheet (`csv_safe`).
"""

from __future__ import annotations

import csv
import errno
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".staging-"
"""Folders being written start with this; listings skip names starting with a dot."""
LEFTOVER_SECONDS = 60
"""Age after which a temporary file or folder of ours is taken for the leftover of a writer that was killed
mid-write (`kill -9`, power loss); a writer still at work touches its file far more often than this."""
_LEFTOVER = re.compile(r"\.(tmp-[0-9a-f]{32}-.+|staging-[a-z0-9_]{8}|old-.+-[0-9a-f]{6}|write-test-[a-z0-9_]{8})")
"""Our temporary names: atomic_path's files, staging_dir's folders, publish_dir's replaced folders and
check_writable's probes. Nothing else is ever removed."""


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside `target` to write to; renamed onto `target` when the block ends without error.

    The temporary name keeps `target`'s suffix, since some writers (torch, numpy, pandas) choose a format by it.
    """
    target = Path(target)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(target))
    blocker = file_in_the_way(target)
    if blocker is not None:
        raise NotADirectoryError(errno.ENOTDIR, "is a file, not a folder", str(blocker))
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent)
    tmp = target.with_name(f".tmp-{uuid.uuid4().hex}-{target.name}")
    try:
        yield tmp
        os.replace(tmp, target)
    except Exception as error:
        # Name the file the user asked for, not the temporary one: "disk full while writing report.json".
        full = _disk_full_instead(error, target)
        if full is not error:
            raise full from error
        if isinstance(error, OSError) and error.errno is not None and error.filename not in (None, str(target)):
            raise type(error)(error.errno, error.strerror, str(target)) from error
        raise
    finally:
        tmp.unlink(missing_ok=True)


FULL_DISK_BYTES = 1024 * 1024
"""Free space under which a failed write is taken for a full disk, whatever the writer raised."""


def _disk_full_instead(error: BaseException, target: Path) -> BaseException:
    """An OSError(ENOSPC) naming `target` when the write failed on a full disk, else `error` itself.

    Writers report a full disk in their own ways (torch: a RuntimeError from its zip writer; pandas: an OSError
    without the path); the free space left, read before the partial file is removed, says it the same way.
    """
    if isinstance(error, OSError) and error.errno not in (None, errno.ENOSPC):
        return error
    try:
        free = shutil.disk_usage(target.parent if target.parent.exists() else Path.cwd()).free
    except OSError:
        return error
    if free >= FULL_DISK_BYTES and not (isinstance(error, OSError) and error.errno == errno.ENOSPC):
        return error
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write `data` to `target` atomically; returns the target."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 `text` to `target` atomically; returns the target."""
    return write_bytes(target, text.encode("utf-8"))


def write_csv(target: str | Path, frame) -> Path:
    """Write a pandas DataFrame as CSV (no index) to `target` atomically, text cells made safe to open in a
    spreadsheet (`csv_safe`); returns the target."""
    with atomic_path(target) as tmp:
        _to_csv(frame, tmp)
    return Path(target)


def csv_bytes(frame) -> bytes:
    """A pandas DataFrame as CSV bytes (no index), text cells made safe as in `write_csv`, for downloads."""
    return _to_csv(frame).encode()


def _to_csv(frame, target: Path | None = None):
    """`csv_safe(frame)` as CSV, to `target` or returned as text."""
    safe = csv_safe(frame)
    # Python's csv writer quotes a field holding "\n" but not one holding a lone "\r", which readers take for a
    # line break; such a table is written with every text field quoted (numbers stay bare).
    carriage = any(mask is not None and mask.any() for mask in (_cells_with(safe[c], "\r") for c in safe.columns))
    return safe.to_csv(target, index=False, quoting=csv.QUOTE_NONNUMERIC if carriage else csv.QUOTE_MINIMAL)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's guidance on CSV injection)."""


def csv_safe(frame):
    """`frame` with every text cell and column name that starts with one of FORMULA_STARTS prefixed by a single
    quote, so that a team named =HYPERLINK(...) shows as text in a spreadsheet instead of running. Numeric columns
    are left alone: runs still needed of -3 stay the number -3. Returns `frame` itself when nothing needs it."""
    masks = {column: _formula_cells(frame[column]) for column in frame.columns}
    masks = {column: mask for column, mask in masks.items() if mask is not None and mask.any()}
    names = {c: f"'{c}" for c in frame.columns if isinstance(c, str) and c.startswith(FORMULA_STARTS)}
    if not masks and not names:
        return frame
    safe = frame.copy()
    for column, mask in masks.items():
        values = safe[column].astype(object).to_numpy(copy=True)
        values[mask] = ["'" + value for value in values[mask]]
        safe[column] = values
    return safe.rename(columns=names)


def formula_columns(frame) -> list:
    """The columns of `frame` holding text that a spreadsheet would read as a formula (see `csv_safe`)."""
    return [column for column in frame.columns if (mask := _formula_cells(frame[column])) is not None and mask.any()]


def _formula_cells(values):
    """(rows,) bool: text cells starting with one of FORMULA_STARTS; None for a column that holds no text."""
    return _text_test(values, lambda text: text.str.startswith(FORMULA_STARTS, na=False))


def _cells_with(values, part: str):
    """(rows,) bool: text cells holding `part` anywhere; None for a column that holds no text."""
    return _text_test(values, lambda text: text.str.contains(part, regex=False, na=False))


def _text_test(values, test):
    import pandas as pd

    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return None
    try:
        return test(values).to_numpy(dtype=bool)
    except AttributeError:  # an object column without any text
        return None


def staging_dir(parent: str | Path) -> Path:
    """A new hidden folder inside `parent` (created), on the same file system, to fill before `publish_dir`."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(parent)
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))


def remove_leftovers(folder: str | Path, older_than: float = LEFTOVER_SECONDS) -> list[Path]:
    """Remove what writers killed mid-write left in `folder`: files and folders with our temporary names only, and
    only those untouched for `older_than` seconds, so a concurrent writer's temporary file is never taken from
    under it. Every writer calls this on its folder before it starts. Returns what was removed."""
    try:
        entries = [entry for entry in os.scandir(folder) if _LEFTOVER.fullmatch(entry.name)]
    except OSError:
        return []
    removed, now = [], time.time()
    for entry in entries:
        try:
            if now - _last_change(entry) < older_than:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:  # gone meanwhile (another writer cleaned it), or not ours to remove
            continue
        removed.append(Path(entry.path))
    return removed


def _last_change(entry: os.DirEntry) -> float:
    """When a file, or anything in a folder, was last written (a folder's own time misses a file growing inside)."""
    latest = entry.stat(follow_symlinks=False).st_mtime
    if entry.is_dir(follow_symlinks=False):
        for folder, _, names in os.walk(entry.path):
            for name in [".", *names]:
                latest = max(latest, os.lstat(os.path.join(folder, name)).st_mtime)
    return latest


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
        publish_dir(staging, destination)
    except Exception as error:
        full = _disk_full_instead(error, destination)
        shutil.rmtree(staging, ignore_errors=True)  # a full disk or a kill mid-write leaves no .staging-* behind
        if full is error:
            raise
        raise full from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


class OutputRefused(ValueError):
    """An output path that would overwrite something this project did not write, or that cannot be written."""


def check_output_dir(destination: str | Path, marker: str, what: str, *, force: bool = False) -> Path:
    """Refuse an output folder whose replacement could destroy something, before any work starts.

    Publishing a model folder replaces `destination` whole, so it may only be a new path, an empty folder, or
    a folder this project wrote (recognised by its `marker` file) when `force` is set.

    Args:
        destination: the folder a command is asked to write (`--out`).
        marker: the file every folder of this kind holds ("synthesizer.json", "wp.json").
        what: the kind in words, for messages ("synthesizer", "WP model").
        force: replace an earlier folder of the same kind.

    Returns:
        The resolved destination.

    Raises:
        OutputRefused: saying what is there and how to choose another path.
    """
    destination = Path(destination).expanduser().resolve()
    _refuse_ancestor(destination)
    if destination.exists() and not destination.is_dir():
        raise OutputRefused(f"--out {destination} is a file; give a new folder name for the {what}.")
    blocker = file_in_the_way(destination)
    if blocker is not None:
        raise OutputRefused(f"--out {destination}: {blocker} is a file, not a folder; give a new folder name for the "
                            f"{what} whose parents are folders, such as {blocker.parent / destination.name}.")
    if destination.is_dir() and any(destination.iterdir()):
        if not (destination / marker).is_file():
            raise OutputRefused(
                f"--out {destination} already exists and is not a {what} folder (it has no {marker}); it was left "
                "untouched. Give a new folder name."
            )
        if not force:
            raise OutputRefused(
                f"--out {destination} holds a {what} from an earlier run; pass --force to replace it, or give a "
                "new folder name."
            )
    check_writable(destination.parent)
    return destination


def check_output_file(target: str | Path) -> Path:
    """Refuse, before any work, a file path that cannot be written: a folder, a path one of whose folders is a file,
    or a folder where nothing can be created. Folders that do not exist yet are fine: writing creates them.

    Returns:
        `target` as a Path.

    Raises:
        OutputRefused: saying what is in the way and what to give instead.
    """
    target = Path(target).expanduser()
    if target.is_dir():
        raise OutputRefused(f"{target} is a folder; give a file name inside it, such as {target / 'out.csv'}.")
    blocker = file_in_the_way(target)
    if blocker is not None:
        raise OutputRefused(f"{blocker} is a file, not a folder, so {target} cannot be written; give a path whose "
                            f"folders are folders, such as {target.name} here or {blocker.parent / target.name}.")
    check_writable(_nearest_existing(target.parent))
    return target


def file_in_the_way(target: Path) -> Path | None:
    """The nearest of `target`'s folders that exists as something other than a folder, or None."""
    existing = _nearest_existing(target.parent)
    return None if existing.is_dir() else existing


def _nearest_existing(folder: Path) -> Path:
    """`folder`, or the nearest folder above it that exists (at worst the current folder or the root)."""
    folder = folder.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _refuse_ancestor(destination: Path) -> None:
    """The current folder or one above it is never an output folder: replacing it would take the data with it."""
    here = Path.cwd().resolve()
    if destination == here or destination in here.parents or destination == Path(destination.anchor):
        raise OutputRefused(
            f"--out {destination} is the current folder or one above it; replacing it would delete everything in "
            "it. Give a new folder name, such as models/my-model."
        )


def check_writable(folder: str | Path) -> Path:
    """Make sure a file can be created in `folder` (created if missing) before hours of work go into it.

    Raises:
        OutputRefused: naming the folder and the reason (read-only file system, no permission, not a folder).
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as error:
        raise OutputRefused(
            f"cannot write to {folder}: {error.strerror or error}. Choose a folder you can write to."
        ) from None
    return folder
