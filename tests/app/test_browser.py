"""The main flow in a real browser: Debian's chromium driven by Playwright against the app on a free port.

Home loads the sample -> Synthesize trains a small synthesizer (1 epoch), shows its loss chart, and measures an epoch
within 3x of the estimate it showed -> the CSV downloads -> Evaluate shows the four scores -> Augment & train runs a
tiny comparison -> Compare shows the ROC chart. A second flow drives the matches engine: Synthesize trains it on the
sample and plays 20 matches -> Evaluate shows the whole-match section -> Augment & train compares with whole
synthetic matches -> Compare -> Match opens a synthetic match with its scorecard. A screenshot of each page lands
in test-artifacts/browser/.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CREASE_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
               "--disable-background-networking", "--disable-component-update"]
MINUTE = 60_000

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason=f"no chromium at {CHROMIUM}: install Debian's package (sudo apt-get install chromium) to run the "
           "browser test, or point CREASE_CHROMIUM at a Chromium binary",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app(workspace, request):
    """The app, started as the README starts it, on a free localhost port; stopped after the test.

    Its log lands next to the screenshots (streamlit-<test>.log), to read when the test fails.
    """
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


def wait_until_serving(url: str, seconds: float) -> str:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return url
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the app did not start within {seconds:.0f} s; see its log in {ARTIFACTS}")


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


def shot(page, name: str, anchor=None) -> None:
    """Save the visible page; Streamlit scrolls inside its own container, so bring `anchor` into view first."""
    if anchor is not None:
        anchor.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def open_page(page, link: str, heading: str | None = None) -> None:
    """Follow the sidebar link and wait for the page's title (the link text unless the page titles itself otherwise)."""
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=link).click()
    page.get_by_role("heading", name=heading or link, exact=True).wait_for()


def metric_seconds(page, label: str) -> float:
    """The seconds a metric card shows, written as lib.data.units.duration writes them ("2.9 s", "3 min 05 s")."""
    card = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]').get_by_text(label, exact=True))
    words = card.locator('[data-testid="stMetricValue"]').inner_text().split()
    units = {"h": 3600, "min": 60, "s": 1}
    return sum(float(number) * units[unit] for number, unit in zip(words[::2], words[1::2]))


def visible_text(page, text: str):
    """The first visible element holding `text`. A table's cells hold its text too, in cells the browser never
    shows (Streamlit draws the table on a canvas); when one of those comes first on the page, `.first` alone waits
    for it until the timeout, so the test passed or failed on which part of the page had rendered first."""
    return page.get_by_text(text, exact=False).filter(visible=True).first


def slider_to_minimum(page, label: str) -> None:
    page.get_by_role("slider", name=label).press("Home")


def number(page, label: str, value: int) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(str(value))
    field.press("Enter")


def compare_one_ratio(page):
    """On Augment & train: ratio 1 only, one seed, one epoch per phase; Train and compare; wait for the end.
    Returns the "Finished" notice."""
    ratios = page.locator('[data-testid="stMultiSelect"]').first
    for ratio in ("0.5", "2.0", "4.0"):
        ratios.get_by_role("button", name=f"Remove {ratio}", exact=True).click()
    slider_to_minimum(page, "Seeds per arm")
    page.get_by_text("Model settings").click()
    number(page, "Most epochs", 1)
    page.get_by_role("button", name="Train and compare").click()
    finished = page.get_by_text("Finished: open the Compare page")
    finished.wait_for(timeout=8 * MINUTE)
    return finished


def test_main_flow_in_a_real_browser(app, browser_page):
    page = browser_page
    # Home: the embedded sample loads by itself
    page.goto(app)
    page.get_by_text("Deliveries", exact=True).wait_for(timeout=3 * MINUTE)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    shot(page, "1-home")

    # Synthesize: a small synthesizer, one epoch on 10% of the training rows (17 steps of 1,000 rows: enough that an
    # epoch is mostly steps, as the estimate counts it)
    open_page(page, "Synthesize")
    page.get_by_text("Transformed width").wait_for(timeout=3 * MINUTE)
    slider_to_minimum(page, "Sampling fraction")
    for _ in range(9):
        page.get_by_role("slider", name="Sampling fraction").press("ArrowRight")
    slider_to_minimum(page, "Epochs")
    page.get_by_text("Advanced").click()
    number(page, "Rows to generate", 500)
    page.get_by_text("17 steps per epoch", exact=False).wait_for(timeout=3 * MINUTE)
    predicted = metric_seconds(page, "Per epoch")
    page.get_by_role("button", name="Train").click()
    page.get_by_text("Synthetic set", exact=True).wait_for(timeout=5 * MINUTE)
    loss_chart = page.locator('[data-testid="stVegaLiteChart"]').first
    loss_chart.wait_for()
    shot(page, "2-synthesize", loss_chart)
    # The estimate shown held: the probe times the step the job's worker runs, in a process set up as the worker
    # is. Within 3x either way, wide enough for a loaded CI machine; the page's probe, timed in the app's own
    # process, was 6 to 10 times off and failed this.
    measured = metric_seconds(page, "Per epoch (measured)")
    assert predicted / 3 <= measured <= 3 * predicted, f"measured {measured:.2f} s per epoch, predicted {predicted:.2f}"
    with page.expect_download() as download:
        page.get_by_role("button", name="Download synthetic t20.csv").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0][:2] == ["batsmanIdx", "bowlerIdx"] and len(rows) == 501

    # Evaluate: the four scores
    open_page(page, "Evaluate")
    scores = page.get_by_text("Scores between the floor and the ceiling", exact=True)
    scores.wait_for(timeout=3 * MINUTE)
    for group in ("Column shapes, numeric", "Column shapes, discrete", "Column pair trends", "Player coverage"):
        card = page.locator('[data-testid="stMetric"]').filter(has_text=group)
        assert 0 <= float(card.locator('[data-testid="stMetricValue"]').inner_text()) <= 1
    shot(page, "3-evaluate", scores)

    # Augment & train: one ratio, one seed, one epoch per phase
    open_page(page, "Augment & train")
    finished = compare_one_ratio(page)
    shot(page, "4-augment", finished)

    # Compare: the ROC chart
    open_page(page, "Compare")
    visible_text(page, "held-out").wait_for()
    roc_chart = page.locator('[data-testid="stVegaLiteChart"]').first
    roc_chart.wait_for()
    assert page.get_by_role("tab", name="ROC").is_visible()
    shot(page, "5-compare", roc_chart)


def ipl_like_zip() -> bytes:
    """Two copies of the hand-checked paper match under different ids: a tiny Cricsheet zip like the IPL one."""
    import json
    import zipfile

    from tests.cricsheet_fixtures import paper_match

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for match_id in (1001, 1002):
            archive.writestr(f"{match_id}.json", json.dumps(paper_match()))
    return buffer.getvalue()


def test_choices_hold_across_pages_and_reloads(app, browser_page):
    page = browser_page
    page.goto(app)
    page.get_by_text("Deliveries", exact=True).wait_for(timeout=3 * MINUTE)

    # Synthesize: start a run of 3 epochs on 1% of the rows, then reload the page while it runs
    open_page(page, "Synthesize")
    page.get_by_text("Transformed width").wait_for(timeout=3 * MINUTE)
    slider_to_minimum(page, "Sampling fraction")
    epochs = page.get_by_role("slider", name="Epochs")
    epochs.press("Home")
    epochs.press("ArrowRight")
    epochs.press("ArrowRight")
    page.get_by_text("Total", exact=True).wait_for()
    page.get_by_role("button", name="Train").click()
    visible_text(page, "CTGAN on").wait_for()
    page.reload()
    page.get_by_text("Transformed width").wait_for(timeout=3 * MINUTE)
    kept = page.locator('[data-testid="stSlider"]').filter(has_text="Epochs").locator(
        '[data-testid="stSliderThumbValue"]')
    assert kept.inner_text() == "3", "the run's settings, kept across the reload"
    shot(page, "6-synthesize-reloaded")

    # Home: choose the IPL-like zip; every page keeps it, and so does Home when the user comes back
    open_page(page, "Home", "Crease Lab")
    page.get_by_text("Upload Cricsheet JSON").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "ipl_like.zip", "mimeType": "application/zip", "buffer": ipl_like_zip()}])
    page.get_by_role("heading", name="ipl_like (leakfree)").wait_for(timeout=2 * MINUTE)
    for link, heading in (("Synthesize", None), ("Evaluate", None), ("Augment & train", None),
                          ("Compare", None), ("Match", None), ("History", None)):
        open_page(page, link, heading)
    open_page(page, "Home", "Crease Lab")
    page.get_by_role("heading", name="ipl_like (leakfree)").wait_for()
    page.reload()
    page.get_by_role("heading", name="ipl_like (leakfree)").wait_for(timeout=2 * MINUTE)
    shot(page, "7-home-choice-kept")


def test_matches_engine_flow_in_a_real_browser(app, browser_page):
    page = browser_page
    page.goto(app)
    page.get_by_text("Deliveries", exact=True).wait_for(timeout=3 * MINUTE)

    # Synthesize: the matches engine, 2 epochs at most, 20 whole matches
    open_page(page, "Synthesize")
    page.get_by_text("Matches simulator", exact=True).click()
    page.get_by_text("Synthetic matches", exact=True).wait_for(timeout=3 * MINUTE)
    number(page, "Most epochs", 2)
    number(page, "Synthetic matches", 20)
    page.get_by_text("Total", exact=True).wait_for(timeout=3 * MINUTE)
    page.get_by_role("button", name="Train").click()
    page.get_by_text("Synthetic set", exact=True).wait_for(timeout=5 * MINUTE)
    loss_chart = page.locator('[data-testid="stVegaLiteChart"]').first
    loss_chart.wait_for()
    shot(page, "8-synthesize-matches", loss_chart)

    # Evaluate: the whole-match section beside the row scores
    open_page(page, "Evaluate")
    page.get_by_text("Scores between the floor and the ceiling", exact=True).wait_for(timeout=3 * MINUTE)
    whole = page.get_by_role("heading", name="Whole matches")
    whole.wait_for(timeout=3 * MINUTE)
    visible_text(page, "first-innings total").wait_for()
    shot(page, "9-evaluate-whole-matches", whole)

    # Augment & train: whole matches per real training match, one ratio, one seed, one epoch per phase
    open_page(page, "Augment & train")
    visible_text(page, "Synthetic matches per real training match").wait_for(timeout=3 * MINUTE)
    finished = compare_one_ratio(page)
    shot(page, "10-augment-matches", finished)

    # Compare: the verdict table and the ROC chart
    open_page(page, "Compare")
    visible_text(page, "held-out").wait_for()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()

    # Match: a synthetic match, its win-probability curve and its simulated scorecard
    open_page(page, "Match")
    page.get_by_text("A synthetic match", exact=True).click()
    scorecard = page.get_by_role("heading", name="Simulated scorecard")
    scorecard.wait_for(timeout=3 * MINUTE)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    assert page.get_by_role("heading", name="Synthetic match", exact=False).first.is_visible()
    shot(page, "11-match-synthetic", scorecard)
