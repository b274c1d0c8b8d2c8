"""The matches engine's flow in a real browser: Home takes an uploaded t20.csv of 100 whole matches -> Synthesize
trains the engine on it and plays 20 matches -> Evaluate shows the whole-match section -> Augment & train compares
with whole synthetic matches -> Compare -> Match opens a synthetic match with its scorecard (see
tests/browser_helpers.py). The upload keeps the flow's trainings small: on the 1,000-match sample, as the main flow
(test_browser.py) runs, its comparison alone took three minutes of a loaded CI machine.
"""

from __future__ import annotations

from lib.data.simulate.league import build_sample
from lib.data.tables import to_t20_csv
from tests.browser_helpers import (
    MINUTE,
    compare_one_ratio,
    needs_chromium,
    number,
    open_page,
    shot,
    visible_text,
)

pytestmark = needs_chromium


def test_matches_engine_flow_in_a_real_browser(app, browser_page):
    page = browser_page
    page.goto(app)
    page.get_by_text("Deliveries", exact=True).wait_for(timeout=3 * MINUTE)

    # Home: a t20.csv of 100 simulated matches, with their matchId and innings columns
    deliveries = build_sample(matches=100, seed=5).deliveries
    page.get_by_text("Upload t20.csv or Parquet").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "league.csv", "mimeType": "text/csv", "buffer": to_t20_csv(deliveries)}])
    page.get_by_role("heading", name="league", exact=True).wait_for(timeout=2 * MINUTE)
    # The heading comes first, and while the page reruns the sample's cards may still show, beside the upload's or
    # alone: wait until one Matches card is left and it shows the upload's count (a list asks for exactly that).
    from playwright.sync_api import expect

    matches = page.locator('[data-testid="stMetric"]').filter(has_text="Matches")
    expect(matches.locator('[data-testid="stMetricValue"]')).to_have_text([f"{deliveries['matchId'].nunique():,}"],
                                                                          timeout=MINUTE)

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
