"""In a real browser: choices made on one page hold across pages and reloads (see tests/browser_helpers.py)."""

from __future__ import annotations

from tests.browser_helpers import (
    MINUTE,
    ipl_like_zip,
    needs_chromium,
    open_page,
    shot,
    slider_to_minimum,
    visible_text,
)

pytestmark = needs_chromium


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
