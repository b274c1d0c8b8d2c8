"""Shared fixtures: every test gets its own empty workspace, so nothing leaks between tests or into ./workspace."""

import pytest

from tests.synth_helpers import tiny_league


@pytest.fixture(autouse=True)
def workspace(tmp_path, monkeypatch):
    """An empty workspace folder for this test, via CREASE_WORKSPACE."""
    root = tmp_path / "workspace"
    monkeypatch.setenv("CREASE_WORKSPACE", str(root))
    return root


@pytest.fixture(scope="module")
def league():
    """The simulated league's first three matches (see tests.synth_helpers.tiny_league)."""
    return tiny_league()
