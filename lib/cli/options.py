"""Option types of the command line: numbers with their range, output paths, hidden-layer lists.

Each is an argparse `type`, so a bad value is refused while the arguments are parsed, before any data is read or
any work starts, in one line that names the option, the value, the range and an example:

    error: argument --seed: -1 is outside 0..4,294,967,295; give a whole number in that range, such as --seed 7
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

MAX_SEED = 2**32 - 1
"""Highest seed: numpy's legacy seeding (which Keras calls) takes no more, and every seed must work everywhere."""
MAX_EPOCHS = 10_000
"""Most epochs of one training: the pages offer 300 (synthesizer) and 100 (WP); more is a typo, not a plan."""
MAX_SEEDS = 100
"""Most trainings per arm of `wp compare`: each seed is a whole training of every arm (the page offers 5)."""
MAX_BATCH = 1_000_000
"""Largest batch of one training step: a whole league is about a million rows."""
MAX_EMBEDDING = 1024
"""Largest player embedding: 100,000 players x 1,024 floats is 400 MB per table (the page offers 128)."""
MAX_RAY_CPUS = 1024
"""Most CPUs one Ray task may request."""


class BadArgument(Exception):
    """An argument the parser refused; `lib.cli.main` prints it in one line and exits with status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors become BadArgument (argparse's own print usage and exit), so that they end
    in one line on stderr and exit status 2, as every other user error."""

    def error(self, message: str):
        raise BadArgument(f"{message} (`{self.prog} --help` lists every option)")


def whole(option: str, low: int, high: int | None = None, example: int | None = None):
    """An argparse type: a whole number in low..high (no upper end when `high` is None)."""
    allowed = f"{low:,}..{high:,}" if high is not None else f"at least {low:,}"
    such_as = f"such as {option} {low if example is None else example}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give one in {allowed}, "
                                             f"{such_as}") from None
        if high is None and value < low:
            raise argparse.ArgumentTypeError(f"{value:,} is below {low:,}; give a whole number of at least {low:,}, "
                                             f"{such_as}")
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value:,} is outside {allowed}; give a whole number in that range, "
                                             f"{such_as}")
        return value

    return parse


def decimal(option: str, low: float, high: float = math.inf, *, low_open: bool = False, high_open: bool = False,
            example: float):
    """An argparse type: a finite number between low and high, each end included unless `*_open`."""
    ends = [f"{'above' if low_open else 'at least'} {low:g}"]
    if math.isfinite(high):
        ends.append(f"{'below' if high_open else 'at most'} {high:g}")
    allowed = " and ".join(ends)
    such_as = f"such as {option} {example:g}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number; give one {allowed}, {such_as}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text} is not a finite number; give one {allowed}, {such_as}")
        if not ((low < value if low_open else low <= value) and (value < high if high_open else value <= high)):
            raise argparse.ArgumentTypeError(f"{value:g} is outside the range ({allowed}); give a number in it, "
                                             f"{such_as}")
        return value

    return parse


def seed(text: str) -> int:
    """An argparse type: a seed, 0..MAX_SEED."""
    return whole("--seed", 0, MAX_SEED, example=7)(text)


def output_file(text: str) -> Path:
    """An argparse type: a file to write, refused now if it is a folder, if one of its folders is a file, or if it
    cannot be created (missing folders are created when it is written)."""
    from lib.data import files

    try:
        return files.check_output_file(Path(text))
    except files.OutputRefused as refused:
        raise argparse.ArgumentTypeError(str(refused)) from None


def layers(text: str) -> tuple[int, ...]:
    """An argparse type: hidden Dense layers, "64,32,16,8" (models.wp.config.parse_layers)."""
    from models.wp.config import parse_layers

    try:
        return parse_layers(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error} Such as --layers 64,32,16,8.") from None
