"""Choices that outlive a page switch and a reload: the active dataset and every page's widget values.

Streamlit forgets a widget's value when the user leaves its page, and a reload starts a new session, so the
values are kept in the workspace (settings.json, written atomically) and put back into session state before the
widgets are drawn. Only plain JSON values are kept (numbers, text, lists). The file may have been edited by hand,
so what is read is checked against what each widget accepts (`OneOf`, `Number`, `Text`, `DATASET`): a file that is
not a JSON object, a page's entry that is not an object, and any value a widget would not accept (another type,
outside its range, an unknown option or dataset) are dropped, and the widget shows its default instead of an error.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from lib.data import files, workspace

SETTINGS_FILE = "settings.json"
_DROP = object()
"""What a spec's `accept` returns for a value its widget would not take."""


@dataclass(frozen=True)
class OneOf:
    """A radio, selectbox or (`many`) multiselect: one of `options`, or a list of distinct ones."""

    options: tuple
    many: bool = False

    def accept(self, value):
        chosen = value if self.many and isinstance(value, list) else [value]
        if self.many != isinstance(value, list) or len(set(map(repr, chosen))) < len(chosen):
            return _DROP
        return value if all(_is_option(item, self.options) for item in chosen) else _DROP


def _is_option(value, options) -> bool:
    """`value` is one of `options`, of the same kind (True is not the option 1, nor 1 the option "1")."""
    return any(type(value) is type(option) and value == option for option in options) or (
        type(value) is int and any(type(option) is float and value == option for option in options))


@dataclass(frozen=True)
class Number:
    """A slider or number_input from `low` to `high`; `whole` for one of whole numbers."""

    low: float
    high: float
    whole: bool = False

    @property
    def limits(self) -> dict:
        """The widget's min_value and max_value, so that the widget and the check share one range."""
        return {"min_value": self.low, "max_value": self.high}

    def accept(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return _DROP
        if self.whole and value != int(value) or not self.low <= value <= self.high:
            return _DROP
        return int(value) if self.whole else float(value)


@dataclass(frozen=True)
class Text:
    """A text_input of at most `longest` characters; `check` raises ValueError for text the page would refuse."""

    longest: int = 200
    check: object = None

    def accept(self, value):
        if not isinstance(value, str) or len(value) > self.longest:
            return _DROP
        if self.check is not None:
            try:
                self.check(value)
            except ValueError:
                return _DROP
        return value


class _Dataset:
    """The id of a dataset that is in the workspace now."""

    def accept(self, value):
        try:
            workspace.dataset_info(value)
        except (workspace.NotFound, ValueError, TypeError):
            return _DROP
        return value


DATASET = _Dataset()


def _path() -> Path:
    return workspace.root() / SETTINGS_FILE


def load() -> dict:
    """Everything stored: {page: {widget key: value}}; empty when nothing is stored or the file is unreadable or
    not a JSON object; a page's entry that is not an object is left out."""
    try:
        data = json.loads(_path().read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {page: values for page, values in data.items() if isinstance(values, dict)}


def _write(data: dict) -> None:
    try:
        files.write_text(_path(), json.dumps(data, indent=1, sort_keys=True))
    except OSError as error:  # a settings.json that is a folder, or a workspace gone read-only meanwhile
        st.warning(f"Your choices cannot be kept in {_path()} ({error.strerror or error}); rename or remove what is "
                   "there. The page works as usual.")


def stored(page: str, key: str, spec, default=None):
    """One stored value of `page` that `spec` accepts, or `default`."""
    values = load().get(page, {})
    if key not in values:
        return default
    value = spec.accept(values[key])
    return default if value is _DROP else value


def store_value(page: str, key: str, value) -> None:
    """Keep one value of `page` (written only when it changed)."""
    data = load()
    if data.get(page, {}).get(key) != value:
        data.setdefault(page, {})[key] = value
        _write(data)


def restore(page: str, specs: dict) -> None:
    """Put the stored values of these widget keys into session state, for keys the session does not hold yet.

    Args:
        page: the page's name in settings.json.
        specs: widget key -> what its widget accepts (OneOf, Number, Text); a stored value it would not take is
            skipped, and the widget shows its default.
    """
    kept = load().get(page, {})
    for key, spec in specs.items():
        if key in st.session_state or key not in kept:
            continue
        value = spec.accept(kept[key])
        if value is not _DROP:
            st.session_state[key] = value


def remember(page: str, keys: list[str]) -> None:
    """Store the current session values of these widget keys (those that are plain JSON values)."""
    data = load()
    current = {key: st.session_state[key] for key in keys if key in st.session_state and _plain(st.session_state[key])}
    if {**data.get(page, {}), **current} != data.get(page, {}):
        data[page] = {**data.get(page, {}), **current}
        _write(data)


def _plain(value) -> bool:
    try:
        json.dumps(value)
    except TypeError:
        return False
    return True
