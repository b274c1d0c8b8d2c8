"""Each synthesizer engine's settings as command-line options, generated from its config dataclass.

The convention: a config field that people may set carries help metadata,
``dataclasses.field(default=..., metadata={"help": "...", "choices": (...)})`` ("choices" is optional). It becomes
the option ``--`` + the field name with "_" as "-", typed by the field's annotation (int, float, str; a bool is
``--name`` / ``--no-name``; a tuple of ints is comma-separated), and its help ends with the engine's default.
Fields without help metadata keep their defaults. Options of one engine stand in an argument group of their own
("ctgan options"); an option two engines share by name (--epochs, --seed) stands once, in "options of several
engines", and applies to whichever engine is chosen.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import types
import typing
from dataclasses import dataclass

from lib.cli import UsageError
from lib.cli.options import MAX_BATCH, MAX_EMBEDDING, MAX_EPOCHS, MAX_RAY_CPUS, MAX_SEED, decimal, whole
from models.synth.engines import DEFAULT_ENGINE, ENGINES, engine_class

DEST = "engine_option."
"""Prefix of the parsed options' names, apart from the command's own (--data, --out...)."""


@dataclass(frozen=True)
class ConfigOption:
    """One settable field of an engine's config, as an option.

    Attributes:
        field: the config field's name.
        help: what it does (the field's help metadata).
        default: the engine's default value.
        argument: add_argument keywords that parse it (type, choices, action, metavar).
    """

    field: str
    help: str
    default: object
    argument: dict

    @property
    def flag(self) -> str:
        return flag_of(self.field)


def flag_of(field: str) -> str:
    """The option of a config field: "--" + its name with "_" as "-"."""
    return "--" + field.replace("_", "-")


def engine_options(name: str) -> list[ConfigOption] | None:
    """The options of engine `name`: its config fields with help metadata, in field order.

    Returns:
        The options; None when the engine's module is not installed in this checkout (it is then not offered).
    """
    try:
        config_class = engine_class(name).config_class
    except ModuleNotFoundError:
        return None
    hints, defaults = typing.get_type_hints(config_class), config_class()
    return [ConfigOption(f.name, f.metadata["help"], getattr(defaults, f.name), _argument(f, hints[f.name]))
            for f in dataclasses.fields(config_class) if "help" in f.metadata]


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """--engine, with the engines whose modules are installed as choices, and every engine's options, grouped."""
    available = {name: options for name in ENGINES if (options := engine_options(name)) is not None}
    parser.add_argument("--engine", choices=list(available), default=DEFAULT_ENGINE,
                        help=f"the synthesizer to train (default {DEFAULT_ENGINE}); its options are below")
    owners: dict[str, list[tuple[str, ConfigOption]]] = {}
    for name, options in available.items():
        for option in options:
            owners.setdefault(option.field, []).append((name, option))
    shared = [field for field, pairs in owners.items() if len(pairs) > 1]
    if shared:
        group = parser.add_argument_group("options of several engines")
        for field in shared:
            _add_shared(group, owners[field])
    for name, options in available.items():
        engine = engine_class(name)
        group = parser.add_argument_group(f"{name} options", f"{engine.title}: {engine.summary}")
        for option in options:
            if option.field not in shared:
                _add(group, option, _text(option.default))


def engine_config(args: argparse.Namespace):
    """The chosen engine's config from the options given on the command line, its defaults for the rest.

    Raises:
        lib.cli.UsageError: an option of another engine was given, naming the engine it belongs to.
    """
    given = {key.removeprefix(DEST): value for key, value in vars(args).items() if key.startswith(DEST)}
    own = {option.field for option in engine_options(args.engine)}
    for field in given.keys() - own:
        others = [name for name in ENGINES if field in {o.field for o in engine_options(name) or []}]
        raise UsageError(f"{flag_of(field)} is an option of the {' and '.join(others)} engine, not of "
                         f"{args.engine}; drop it, or train with --engine {others[0]}.")
    return engine_class(args.engine).config_class(**given)


def _add(group, option: ConfigOption, default: str) -> None:
    # SUPPRESS leaves an option not given out of the namespace, so the config takes the chosen engine's default
    # and an option of another engine is told apart from one left alone.
    shown = f" (default {default})" if option.default is not None else ""
    group.add_argument(option.flag, dest=DEST + option.field, default=argparse.SUPPRESS,
                       help=option.help + shown, **option.argument)


def _add_shared(group, owners: list[tuple[str, ConfigOption]]) -> None:
    """One option that several engines share by name; its help says what it does in each engine whose help differs,
    with each engine's default."""
    first = owners[0][1]
    if len({option.help for _, option in owners}) == 1:
        defaults = ", ".join(f"{_text(option.default)} with {name}" for name, option in owners)
        _add(group, first, defaults)
        return
    text = "; ".join(f"{name}: {option.help}" + (f" (default {_text(option.default)})" if option.default is not None
                                                  else "") for name, option in owners)
    group.add_argument(first.flag, dest=DEST + first.field, default=argparse.SUPPRESS, help=text, **first.argument)


def _argument(field: dataclasses.Field, hint) -> dict:
    """add_argument keywords that parse a value of `field`, whose type is `hint`."""
    if "choices" in field.metadata:
        return {"type": hint, "choices": field.metadata["choices"]}
    if hint is bool:
        return {"action": argparse.BooleanOptionalAction}
    if typing.get_origin(hint) is tuple:
        return {"type": _CommaSeparated(typing.get_args(hint)[0]), "metavar": "N,N"}
    if typing.get_origin(hint) in (typing.Union, types.UnionType):  # X | None: None only as the default
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    return {"type": _ranged(field, hint), "metavar": field.name.upper()}


_RANGES = {"seed": (0, MAX_SEED), "epochs": (1, MAX_EPOCHS), "batch_size": (2, MAX_BATCH),
           "embedding_dim": (0, MAX_EMBEDDING), "threads": (1, MAX_RAY_CPUS)}
"""Ranges of the options several engines share by name (lib.cli.options says why each limit)."""


def _ranged(field: dataclasses.Field, hint):
    """An argparse type that refuses, while parsing, a number outside the field's range: its "range" metadata
    ((low, high), high None for no end), else the shared range of its name, else at least 0 (at least 1 for a
    whole number); a float's low end is open unless the metadata says "low_open": False. The refusal's example is
    the metadata's "example", else the default."""
    flag = flag_of(field.name)
    low, high = field.metadata.get("range") or _RANGES.get(field.name) or (0 if hint is float else 1, None)
    example = field.metadata.get("example", field.default)
    if hint is int:
        return whole(flag, low, high, example=example if isinstance(example, int) else low)
    if hint is float:
        return decimal(flag, low, math.inf if high is None else high, low_open=field.metadata.get("low_open", True),
                       example=example if isinstance(example, float) else 1.0)
    return hint


class _CommaSeparated:
    """Parses "256,256" into (256, 256); argparse names it in its message for a bad value."""

    def __init__(self, item: type):
        self.item, self.__name__ = item, f"comma-separated {item.__name__}"

    def __call__(self, text: str) -> tuple:
        return tuple(self.item(part) for part in text.split(","))


def _text(value) -> str:
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    return str(value)
