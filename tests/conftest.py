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


@pytest.fixture
def stored_league(workspace):
    """A 30-match simulated league saved in this test's workspace as a real dataset, as Home would store it."""
    from lib.data import workspace as store
    from lib.data.simulate.league import build_sample

    result = build_sample(matches=30, seed=11)
    return store.save_dataset(result.deliveries, name="mini league", kind="real", source="simulated league",
                              features="leakfree", vocabulary=result.vocabulary, events=result.events)


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory):
    """The embedded sample, built once per test session in a workspace of its own."""
    import os

    from lib.data import sources

    root = tmp_path_factory.mktemp("sample-workspace")
    previous = os.environ.get("CREASE_WORKSPACE")
    os.environ["CREASE_WORKSPACE"] = str(root)
    try:
        sources.sample_dataset()
    finally:
        if previous is None:
            os.environ.pop("CREASE_WORKSPACE")
        else:
            os.environ["CREASE_WORKSPACE"] = previous
    return root / "datasets"


@pytest.fixture
def with_sample(built_sample, workspace):
    """This test's workspace holding a copy of the embedded sample, as after a first start of the app."""
    import shutil

    shutil.copytree(built_sample, workspace / "datasets")
    return workspace
