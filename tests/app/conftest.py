"""Fixtures of the browser tests (tests/app/test_browser*.py): the app on a free port and a Chromium page."""

import os
import subprocess
import sys

import pytest

from tests.browser_helpers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, MINUTE, ROOT, free_port, wait_until_serving


@pytest.fixture
def app(with_sample, request):
    """The app, started as the README starts it, on a free localhost port; stopped after the test.

    Its workspace holds the embedded sample already, as after the app's first start: the flows start where a user
    who has opened the app once does, and the sample's first simulation is test_home.py's to check (it costs
    every flow about 15 s of both cores). Its log lands next to the screenshots (streamlit-<test>.log), to read
    when the test fails.
    """
    workspace = with_sample
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / f"streamlit-{request.node.name}.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "Home.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "CREASE_WORKSPACE": str(workspace)},
        )
        try:
            url = wait_until_serving(f"http://127.0.0.1:{port}", seconds=60)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-test.txt")
    sync_playwright = sync_api.sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
        page.set_default_timeout(2 * MINUTE)
        yield page
        browser.close()
