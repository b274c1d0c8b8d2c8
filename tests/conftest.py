"""Fixtures shared by several test modules (opt-in, none autouse)."""

import pytest

from tests.synth_helpers import tiny_league


@pytest.fixture
def isolated_workspace(tmp_path, monkeypatch):
    """A fresh workspace folder (datasets, models, caches) for one test."""
    monkeypatch.setenv("CREASE_WORKSPACE", str(tmp_path / "workspace"))
    return tmp_path / "workspace"


@pytest.fixture(scope="module")
def league():
    """A tiny league of three matches (see tests.synth_helpers.tiny_league)."""
    return tiny_league()
