"""What the browser tests share: the app started as the README starts it, Chromium driven by Playwright, and
helpers that read and drive the pages as a user does. Each flow is a module of its own (tests/app/test_browser*.py),
so that pytest-xdist runs the flows on different workers."""

from __future__ import annotations

import io
import os
import socket
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CREASE_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
               "--disable-background-networking", "--disable-component-update"]
MINUTE = 60_000

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason=f"no chromium at {CHROMIUM}: install Debian's package (sudo apt-get install chromium) to run the "
           "browser test, or point CREASE_CHROMIUM at a Chromium binary",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, seconds: float) -> str:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return url
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the app did not start within {seconds:.0f} s; see its log in {ARTIFACTS}")


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
