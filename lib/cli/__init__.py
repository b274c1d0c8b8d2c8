"""Command line: every step the pages offer, headless. Run as ``python -m lib.cli``.

Each command group lives in its own module with a ``register(subparsers)`` function. Group modules import
heavy libraries (torch, tensorflow) inside their command functions, so ``data check`` starts in a second.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from lib.data.workspace import NotFound

GROUPS = ["data", "synth", "score", "wp"]
"""Modules of lib.cli that add subcommands, in the order `--help` lists them."""


class UsageError(ValueError):
    """A command-line argument that is out of range or inconsistent; printed without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.cli",
        description="Crease Lab: T20 data, CTGAN synthesis, fidelity scores and win-probability models.",
    )
    groups = parser.add_subparsers(dest="group", required=True, metavar="GROUP")
    for name in GROUPS:
        importlib.import_module(f"lib.cli.{name}").register(groups)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse `argv`, run the command, and turn user errors into a message on stderr and exit code 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (ValueError, NotFound, FileNotFoundError, PermissionError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
