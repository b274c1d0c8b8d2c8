"""`python -m lib.cli runs ...`: the background runs of the workspace's run store, and its health.

    python -m lib.cli runs list      every run: id, kind, name, state, started, duration
    python -m lib.cli runs check     SQLite's integrity check of the store; exit 2 naming the file when damaged
"""

from __future__ import annotations

import argparse
import sys
import time

from lib.data.units import duration

DAMAGED = 2
"""Exit code of `runs check` for a damaged store, as for every error a user can act on."""


def register(groups: argparse._SubParsersAction) -> None:
    runs = groups.add_parser("runs", help="list the background runs and check the run store")
    commands = runs.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help="every run: id, kind, name, state, started, duration")
    listing.add_argument("--kind", help="only runs of this kind (synth, synth_sample, wp_compare)")
    listing.set_defaults(run=list_command)
    check = commands.add_parser("check", help="integrity check of the run store; exit 2 naming it when damaged")
    check.set_defaults(run=check_command)


def list_command(args: argparse.Namespace) -> int:
    from lib.jobs import runner

    runs = runner.list_runs(args.kind)
    if not runs:
        print("no runs yet")
        return 0
    rows = [("id", "kind", "name", "state", "started", "duration")]
    for run in runs:
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.started or run.created))
        rows.append((run.id, run.kind, run.title, run.state, started,
                     "-" if run.seconds is None else duration(run.seconds)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def check_command(args: argparse.Namespace) -> int:
    from lib.jobs import store

    reason = store.check()
    if reason:
        print(f"error: the run store {store.path()} is damaged: {reason}. The app or `runs list` moves it aside "
              "and rebuilds the finished runs from the artifacts on disk the next time it opens it.", file=sys.stderr)
        return DAMAGED
    state = "holds no runs yet" if not store.path().exists() else "passed SQLite's integrity check"
    print(f"the run store {store.path()} {state}")
    return 0
