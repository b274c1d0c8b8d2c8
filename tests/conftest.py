"""Shared fixtures: every test gets its own empty workspace, so nothing leaks between tests or into ./workspace.

The suite runs on one pytest-xdist worker per CPU (pyproject.toml's addopts), a module at a time, so a module's
tests share its fixtures, its Ray head and its timings: each worker's numeric libraries get one thread, set
before any test imports them (job processes and the Ray head inherit it).
"""

import os

import pytest

if os.environ.get("PYTEST_XDIST_WORKER"):
    # One thread per worker: with as many workers as cores, more would only oversubscribe the cores.
    for _threads in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                     "TF_NUM_INTEROP_THREADS"):
        os.environ.setdefault(_threads, "1")


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory):
    """One cache folder ($CREASE_CACHE) for the whole session, shared by every worker. What it holds (timing
    probes, prepared synthesizer data) depends on the machine, the data and the settings, never on a test's
    workspace, and re-probing in every test's fresh workspace cost the suite minutes: a page's WP probe alone trains
    for about 17 s. The tests of the caches themselves pass folders of their own."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-cache"
    folder.mkdir(exist_ok=True)
    previous = os.environ.get("CREASE_CACHE")
    os.environ["CREASE_CACHE"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("CREASE_CACHE", None)
    else:
        os.environ["CREASE_CACHE"] = previous


@pytest.fixture(scope="session", autouse=True)
def no_keras_cleanup_after_page_runs():
    """Streamlit clears Keras' session after every run of a page script once Keras is loaded (its script runner's
    `_clean_problem_modules`): a full garbage collection, 0.35 s in a worker that holds TensorFlow and torch, after
    each of the suite's page runs (measured on test_bad_inputs.py and test_settings.py: 134 CPU s with it, 95
    without). The pages keep nothing in Keras' global state (they load saved models and predict), so the AppTests
    skip it; the app itself still does it."""
    from streamlit.runtime.scriptrunner import script_runner

    kept = script_runner._clean_problem_modules
    script_runner._clean_problem_modules = lambda: None
    yield
    script_runner._clean_problem_modules = kept


@pytest.fixture(autouse=True)
def workspace(tmp_path, monkeypatch):
    """An empty workspace folder for this test, via CREASE_WORKSPACE."""
    root = tmp_path / "workspace"
    monkeypatch.setenv("CREASE_WORKSPACE", str(root))
    return root


@pytest.fixture(scope="module")
def league():
    """The simulated league's first three matches (see tests.synth_helpers.tiny_league)."""
    from tests.synth_helpers import tiny_league

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


class _QuietJob:
    """What a job body gets from the runner, without a run store: no notes, no epochs, never cancelled."""

    run_id = "match-compare"

    def note(self, message, progress=None):
        pass

    def on_epoch(self, log):
        pass

    def should_stop(self):
        return False


@pytest.fixture(scope="session")
def built_match_workspace(tmp_path_factory):
    """A workspace, built once per session, holding what the Match page shows: a 30-match simulated league, a
    WP comparison on it (real and reference arms, one seed, one epoch; its report lists the test matches) and a
    synthetic set of 10 whole matches from the matches engine trained tiny on the league.

    Returns:
        (root folder, real dataset id, synthetic set id)
    """
    import os

    from lib.data import workspace as store
    from lib.data.simulate.league import build_sample
    from lib.jobs.bodies import compare_wp
    from models.synth.matches.config import MatchesConfig
    from models.synth.matches.synthesizer import MatchesSynthesizer
    from models.wp.config import WPConfig

    root = tmp_path_factory.mktemp("match-workspace")
    previous = os.environ.get("CREASE_WORKSPACE")
    os.environ["CREASE_WORKSPACE"] = str(root)
    try:
        league = build_sample(matches=30, seed=3)
        real = store.save_dataset(league.deliveries, name="mini league", kind="real", source="simulated league",
                                  features="leakfree", vocabulary=league.vocabulary, events=league.events)
        compare_wp({"real_id": real.id, "synthetic_id": None, "ratios": [0.0], "seeds": 1, "split": "match",
                    "config": WPConfig(epochs=1).to_json()}, _QuietJob())
        engine = MatchesSynthesizer.train(league.deliveries, MatchesConfig(epochs=1, hidden=(16,), embedding_dim=2,
                                                                           threads=1), events=league.events)
        synthetic = store.save_dataset(engine.sample_matches(10, seed=0), name="simulated matches", kind="synthetic",
                                       source="synthesizer match-synth", features="leakfree",
                                       extra={"synthesizer_id": "match-synth", "engine": "matches",
                                              "real_id": real.id})
    finally:
        if previous is None:
            os.environ.pop("CREASE_WORKSPACE")
        else:
            os.environ["CREASE_WORKSPACE"] = previous
    return root, real.id, synthetic.id


@pytest.fixture
def match_workspace(built_match_workspace, workspace):
    """This test's workspace holding a copy of `built_match_workspace`; returns (real id, synthetic id)."""
    import shutil

    root, real_id, synthetic_id = built_match_workspace
    shutil.copytree(root, workspace, dirs_exist_ok=True)
    return real_id, synthetic_id
