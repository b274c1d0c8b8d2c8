"""Choices that outlive a page switch and a reload: the active dataset and every page's widget values.

Streamlit forgets a widget's value when the user leaves its page, and a reload starts a new session, so the
values are kept in the workspace (settings.json, written atomically) and put back into session state before the
widgets are drawn. Only plain JSON values are kept (numbers, text, lists); a stored value that a widget no longer
accepts is dropped rather than shown as an error.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from lib.data import files, workspace

SETTINGS_FILE = "settings.json"


def _path() -> Path:
    return workspace.root() / SETTINGS_FILE


def load() -> dict:
    """Everything stored: {page: {widget key: value}}; empty when nothing is stored or the file is unreadable."""
    try:
        data = json.loads(_path().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict) -> None:
    files.write_text(_path(), json.dumps(data, indent=1, sort_keys=True))


def stored(page: str, key: str, default=None):
    """One stored value of `page`, or `default`."""
    return load().get(page, {}).get(key, default)


def store_value(page: str, key: str, value) -> None:
    """Keep one value of `page` (written only when it changed)."""
    data = load()
    if data.get(page, {}).get(key) != value:
        data.setdefault(page, {})[key] = value
        _write(data)


def restore(page: str, keys: list[str], valid: dict | None = None) -> None:
    """Put the stored values of these widget keys into session state, for keys the session does not hold yet.

    Args:
        page: the page's name in settings.json.
        keys: widget keys to restore.
        valid: key -> the options its widget offers (a list), or a check of a value (a callable, e.g.
            `number_between`); a stored value that is not allowed is skipped, so that the widget shows its default
            instead of an error.
    """
    kept = load().get(page, {})
    for key in keys:
        if key in st.session_state or key not in kept:
            continue
        value = kept[key]
        options = (valid or {}).get(key)
        if options is not None and not _allowed(value, options):
            continue
        st.session_state[key] = value


def _allowed(value, options) -> bool:
    if callable(options):
        return options(value)
    values = value if isinstance(value, list) else [value]
    return all(item in options for item in values)


def number_between(low: float, high: float):
    """A `restore` check for a number input from `low` to `high`: a value of the bounds' type (whole numbers for
    int bounds) inside them."""
    kind = int if isinstance(low, int) and isinstance(high, int) else float

    def allowed(value) -> bool:
        return type(value) is kind and low <= value <= high

    return allowed


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
