"""Command line: every step the pages offer, headless. Run as ``python -m lib.cli``.

Each command group lives in its own module with a ``register(subparsers)`` function. Group modules import
heavy libraries (torch, tensorflow) inside their command functions, so ``data check`` starts in a second.

Errors a user can act on (bad input, a full disk, a read-only folder, too little memory, a damaged model file)
end in one line on stderr and exit code 2; anything else is a bug, reported in one line too, with its traceback
behind ``--debug``.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import pickle
import sys
import zipfile

from lib.cli.options import Parser
from lib.data.workspace import NotFound

GROUPS = ["data", "synth", "score", "wp", "runs"]
"""Modules of lib.cli that add subcommands, in the order `--help` lists them."""

USER_ERROR, BUG = 2, 1
"""Exit codes: an error the message explains, and an unexpected one."""


class UsageError(ValueError):
    """A command-line argument that is out of range or inconsistent; printed without a traceback."""


ROW_BYTES = 10 * 8 * 4
"""Memory one t20.csv row takes while a command holds it: ten 8-byte columns, in about four copies at the peak
(generated, pooled, shuffled or drawn, converted for writing or training)."""


def check_rows_fit(rows: float, what: str, how_to_fix: str, row_bytes: float = ROW_BYTES) -> None:
    """Refuse, before any work, a number of rows whose copies would not fit in the memory available now.

    Args:
        rows: rows the command would hold at once.
        what: the rows in words, for the message ("--rows 1e9 synthetic rows").
        how_to_fix: the option to lower, in words.
        row_bytes: memory one row takes at the command's peak, all copies together.

    Raises:
        UsageError: saying the memory needed and available.
    """
    import psutil

    from lib.data.units import gib

    needed, available = rows * row_bytes, psutil.virtual_memory().available
    if needed > available:
        raise UsageError(f"{what} would need about {gib(needed)} of memory, and {gib(available)} is available. "
                         f"{how_to_fix}")


def load_model(loader, folder, what: str):
    """`loader(folder)`, with a damaged or foreign model folder reported in one line instead of the loader's
    traceback (a truncated weights file, a config from another version, a file that is not a model)."""
    try:
        return loader(folder)
    except (FileNotFoundError, MemoryError):
        raise
    except Exception as error:  # noqa: BLE001 - each library raises its own kinds; the user needs the folder
        raise UsageError(f"{folder} could not be loaded as a {what} ({type(error).__name__}: {error}). Pick a "
                         "folder that command wrote, or write it again.") from None


class OnUseParser(Parser):
    """A command's parser that adds its options when first used (to parse or to show its help), so that building
    the whole command line imports nothing heavy: `synth train` lists every engine's options, which imports the
    engines and torch, while `data check` still starts in a second.

    Args:
        add_options: called with the parser once, before its first use; None when it has all its options.
    """

    def __init__(self, *args, add_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_options = add_options

    def parse_known_args(self, args=None, namespace=None):
        self._ready()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self._ready()
        return super().format_help()

    def _ready(self) -> None:
        add, self._add_options = self._add_options, None
        if add is not None:
            add(self)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m lib.cli",
        description="Crease Lab: T20 data, synthetic deliveries, fidelity scores and win-probability models.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback of any error")
    groups = parser.add_subparsers(dest="group", required=True, metavar="GROUP")
    for name in GROUPS:
        importlib.import_module(f"lib.cli.{name}").register(groups)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse `argv`, run the command, and turn errors into one line on stderr and an exit code."""
    from lib.cli.options import BadArgument

    try:
        args = build_parser().parse_args(argv)
    except BadArgument as error:
        print(f"error: {error}", file=sys.stderr)
        return USER_ERROR
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # every error ends in one line; --debug shows the traceback
        if args.debug:
            raise
        message = explain(error)
        if message is None:
            print(f"error: unexpected {type(error).__name__}: {error}. This is a bug; run again with --debug "
                  "for the traceback and report it.", file=sys.stderr)
            return BUG
        print(f"error: {message}", file=sys.stderr)
        return USER_ERROR
    finally:
        _print_store_notice()  # after the command, which may be the one that found the store damaged


def explain(error: BaseException) -> str | None:
    """One line saying what happened, where and how to fix it, for an error a user can act on; None for a bug."""
    if isinstance(error, (ValueError, NotFound)):
        return str(error)
    if isinstance(error, MemoryError):
        return ("ran out of memory. Use fewer rows or smaller settings (the estimate printed first says what "
                "fits), or close other programs.")
    if isinstance(error, (pickle.UnpicklingError, zipfile.BadZipFile, EOFError)):
        return f"a model or data file is damaged or not what it claims to be ({error}). Write it again."
    if isinstance(error, OSError):
        return explain_os_error(error)
    return None


def explain_os_error(error: OSError) -> str:
    """A file-system error in words: what failed, on which path, and what to do."""
    where = f" {error.filename}" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return f"disk full while writing{where}. Free some space or write to another disk; nothing was replaced."
    if error.errno == errno.EROFS:
        return f"read-only file system:{where} cannot be written. Choose a writable folder."
    if isinstance(error, IsADirectoryError):
        return f"{error.filename} is a folder; give a file name inside it, such as {error.filename}/out.csv."
    if isinstance(error, NotADirectoryError):
        return (f"{error.filename} is a file, not a folder, so nothing can be written inside it; give a path whose "
                "folders are folders.")
    if isinstance(error, PermissionError):
        return f"permission denied:{where}. Choose a folder you can write to, or fix its permissions."
    if isinstance(error, FileNotFoundError):
        return f"no such file or folder:{where}. Check the path." if where else str(error)
    return f"{error.strerror or error}{':' if where else ''}{where}."


def _print_store_notice() -> None:
    """Say on every command that the run store was found damaged, until the user clears the notice."""
    from lib.jobs import store

    try:
        notice = store.damage_notice()
    except (OSError, ValueError):
        return  # the workspace itself is unusable; the command says so when it needs it
    if notice:
        print(f"note: {notice}", file=sys.stderr)
