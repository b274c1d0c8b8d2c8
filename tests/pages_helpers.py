"""Driving pages in AppTest: where the scripts are, clicking and filling in settings, and waiting for a
background job."""

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib.jobs import runner

ROOT = Path(__file__).resolve().parent.parent


def page(name: str, timeout: int = 120) -> AppTest:
    """A page of the app (e.g. "pages/4_Compare.py" or "Home.py") ready to run, opened through the app's entry
    point as a browser would, so that links between pages resolve."""
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=timeout)
    return at if name == "Home.py" else at.switch_page(name)


def finish_job(at: AppTest, kind: str, timeout: float = 300) -> AppTest:
    """Rerun the page now and then until the newest job of `kind` has ended, as a user watching it would, and once
    more after. The run store is polled often and the page rerun every RERUN_SECONDS: each rerun runs the whole
    page script, and on two cores a rerun twice a second would take its time from the job it watches."""
    deadline = time.time() + timeout
    rerun_at = time.time() + RERUN_SECONDS
    while time.time() < deadline:
        runs = runner.list_runs(kind)
        if runs and not runs[0].active:
            return at.run()
        time.sleep(0.25)
        if time.time() >= rerun_at:
            at.run()
            rerun_at = time.time() + RERUN_SECONDS
    raise AssertionError(f"the {kind} job did not finish in {timeout} s: {runner.list_runs(kind)[:1]}")


RERUN_SECONDS = 3.0


def wait_for(run_id: str, condition, timeout: float = 120):
    """Poll the run store until `condition(run)` holds; returns that run."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        run = runner.get(run_id)
        if condition(run):
            return run
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s; last state {runner.get(run_id)}")


def tiny_settings(at, epochs: int = 1):
    """Fraction and epochs on the two sliders; a small batch and few rows under Advanced."""
    at.slider(key="synth_fraction").set_value(0.2)
    at.slider(key="synth_epochs").set_value(epochs)
    at.number_input(key="synth_batch").set_value(100)
    at.number_input(key="synth_rows").set_value(300)
    at.text_input(key="synth_name").set_value("tiny synthetic")
    return at.run()


def tiny_matches_settings(at, epochs: int = 1, matches: int = 10):
    """The matches engine chosen, with few epochs and few synthetic matches."""
    at.radio(key="synth_engine").set_value("matches").run()
    at.number_input(key="matches_epochs").set_value(epochs)
    at.number_input(key="matches_count").set_value(matches)
    at.text_input(key="matches_name").set_value("tiny matches")
    return at.run()


def click(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()
