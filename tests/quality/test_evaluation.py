"""The evaluation of a synthetic set between its two references, on the simulated league: the floor
(independent columns), the ceiling (unseen real matches), detection, coherence and the HTML report."""

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib.data import schema
from lib.data.simulate.league import build_sample
from lib.quality.coherence import CricketCoherence, guess_variant
from lib.quality.detection import detection_auc
from lib.quality.references import independent_columns, position, real_parts
from lib.quality.report import ScoreReport, score_report

ROWS = 1500
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def league():
    return build_sample(matches=40, seed=4).deliveries


def unseen_sample(league: pd.DataFrame, parts) -> pd.DataFrame:
    """ROWS deliveries of the unseen matches, with their matchId so that detection holds them out by match."""
    unseen = league[league[schema.MATCH_ID].isin(np.unique(league[schema.MATCH_ID])[np.unique(parts.unseen_matches)])]
    return unseen.sample(ROWS, random_state=0)


@pytest.fixture(scope="module")
def evaluations(league):
    """Three candidate sets scored the same way: shuffled columns, unseen real matches, a tiny trained CTGAN."""
    from models.synth.ctgan.synthesizer import train_synthesizer
    from tests.synth_helpers import tiny

    parts = real_parts(league)
    synthesizer = train_synthesizer(parts.training, tiny(epochs=4, batch_size=100))
    candidates = {
        "shuffled": independent_columns(parts.training, ROWS, seed=9),
        "unseen": unseen_sample(league, parts),
        "ctgan": synthesizer.sample(ROWS, seed=0),
    }
    return {name: score_report(league, rows, with_privacy=False) for name, rows in candidates.items()}


@pytest.mark.parametrize("variant", ["leakfree", "yorkr"])
def test_real_rows_of_both_variants_are_fully_coherent(variant):
    rows = build_sample(matches=20, seed=1, features=variant).deliveries
    assert CricketCoherence.compute(rows, variant) == pytest.approx(1.0)
    assert guess_variant(rows) == variant


def delivery(**changes) -> pd.DataFrame:
    """A first-innings delivery checked by hand: 9 runs off 6 balls, 1 wicket down, 114
    legal balls left: runRate 9/6 = 1.5, perfIndex 1.5 x 10 = 15, runsMomentum 10/114."""
    row = {schema.BATTER: 1, schema.BOWLER: 1, schema.BALL_NUM: 6, schema.BALLS_REMAINING: 114, schema.RUNS: 9,
           schema.RUN_RATE: 1.5, schema.WICKETS: 1, schema.MOMENTUM: 10 / 114, schema.PERF_INDEX: 15.0,
           schema.WINNER: 1}
    return pd.DataFrame([{**row, **changes}])


def test_a_row_that_breaks_an_identity_is_not_coherent():
    # A chase delivery: 30 still required off 20 balls with 3 down: runRate 30/20 = 1.5, runsMomentum 8/20 = 0.4
    chase = delivery(**{schema.BALL_NUM: 140, schema.BALLS_REMAINING: 20, schema.RUNS: 30, schema.WICKETS: 3,
                        schema.MOMENTUM: 0.4, schema.PERF_INDEX: 40.0})
    assert CricketCoherence.compute(delivery(), "leakfree") == 1.0
    assert CricketCoherence.compute(chase, "leakfree") == 1.0
    assert CricketCoherence.compute(delivery(**{schema.RUN_RATE: 2.0}), "leakfree") == 0.0
    assert CricketCoherence.compute(delivery(**{schema.MOMENTUM: 0.5}), "yorkr") == 0.0
    # yorkr's count-down includes the delivery itself, so 0 balls remaining is impossible there, not in leakfree
    last = delivery(**{schema.BALLS_REMAINING: 0, schema.MOMENTUM: 10.0})
    assert CricketCoherence.compute(last, "leakfree") == 1.0 and CricketCoherence.compute(last, "yorkr") == 0.0


def test_independent_columns_keep_each_column_and_break_the_rows(league):
    training = real_parts(league).training
    floor = independent_columns(training, 500, seed=3)
    assert len(floor) == 500 and list(floor.columns) == list(training.columns)
    assert set(floor[schema.BATTER]) <= set(training[schema.BATTER])
    assert CricketCoherence.compute(floor, "leakfree") < 0.05


def test_position_reads_between_floor_and_ceiling():
    assert position(0.9, floor=0.8, ceiling=1.0) == pytest.approx(0.5)
    assert position(0.75, floor=0.99, ceiling=0.51) == pytest.approx(0.5), "lower-is-better scores too (AUC)"
    assert position(1.1, floor=0.8, ceiling=1.0) == pytest.approx(1.5), "it may leave [0, 1]"
    assert np.isnan(position(0.5, floor=0.7, ceiling=0.7))


def test_detection_cannot_tell_real_matches_from_real_matches():
    # Matches differ from one another, so with few of them the AUC wanders; 150 matches keep it within 0.1.
    parts = real_parts(build_sample(matches=150, seed=4).deliveries)
    result = detection_auc(parts.training, parts.unseen, parts.training_matches, parts.unseen_matches)
    assert result.auc == pytest.approx(0.5, abs=0.1)


def test_shuffled_at_the_floor_unseen_at_the_ceiling_tiny_ctgan_below(evaluations):
    shuffled, unseen, ctgan = (evaluations[name].get_score() for name in ("shuffled", "unseen", "ctgan"))
    assert shuffled == pytest.approx(0.0, abs=0.15)
    assert unseen == pytest.approx(1.0, abs=0.15)
    # A CTGAN that trains in seconds learns no relation between the columns, so it sits at the floor, well below
    # the ceiling (measured: 30 epochs of a wider tiny net lift its pair trends to position 0.46, in 7 minutes).
    assert ctgan < unseen - 0.5
    assert evaluations["ctgan"].positions["coherence_share"] == pytest.approx(0.0, abs=0.05)


def test_the_report_has_both_references_shaped_like_the_synthetic_scores(evaluations):
    report = evaluations["ctgan"]
    for reference in (report.floor, report.ceiling):
        assert set(reference.scores) == set(report.synthetic.scores)
    table = report.get_details()
    assert list(table.columns) == ["score", "floor", "synthetic", "ceiling", "position", "published"]
    assert table["synthetic"].iloc[-1] == report.get_score(), "the last row is the overall position"
    assert 0 <= report.utility.synthetic_auc <= 1 and 0 <= report.utility.real_auc <= 1
    assert report.validity_before_redraw is None, "unknown for rows handed in without a record"


def test_the_report_round_trips_its_json(evaluations):
    # Setup
    report = replace(evaluations["ctgan"], provenance={"real dataset": "simulated league, 40 matches"})
    # Run: through text, as the score command writes it and the workspace keeps it
    again = ScoreReport.from_json(json.loads(json.dumps(report.to_json())))
    # Assert: every field back, the derived values the same
    assert json.dumps(again.to_json()) == json.dumps(report.to_json())
    assert again.get_score() == report.get_score() and again.without_position() == report.without_position()
    assert again.synthetic.validity == report.synthetic.validity


def test_a_score_file_of_the_first_layout_is_still_read():
    # Setup: a score command's JSON from before the typed report (20 matches, 400 of their rows as the set)
    data = json.loads((FIXTURES / "score-report-v1.json").read_text())
    # Run
    report = ScoreReport.from_json(data)
    # Assert: the same numbers under their one name each, the position recomputed to the stored one
    assert report.get_score() == pytest.approx(data["position"])
    assert report.synthetic.validity == data["validity_score"] == data["validity"]["share"]
    assert report.floor.detection.auc == data["references"]["independent"]["detection"]["auc"]
    assert report.without_position() == data["floor_ahead"]
    assert report.provenance["rows"] == "real 3,334 · synthetic 400", "the rows dict in words"


def test_the_html_report_is_one_file_that_loads_nothing(evaluations, league):
    from lib.quality.html import report_html

    report = replace(evaluations["ctgan"], provenance={"dataset": "simulated league, 40 matches"})
    page = report_html(report, league, league.sample(200, random_state=0))
    assert page.startswith("<!DOCTYPE html>") and "vegaEmbed(" in page
    # Assert: every script inlined, no stylesheet linked (the inlined vega code itself holds template strings
    # such as '<img src=', so only tags that load something when the page opens are looked for)
    assert not re.search(r"<script[^>]*\ssrc=|<link[^>]*\shref=", page), "no external script or stylesheet"
    assert "simulated league, 40 matches" in page and "Overall position" in page
