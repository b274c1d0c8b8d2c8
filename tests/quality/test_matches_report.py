"""Whole-match figures and the whole-match report of an evaluation: two matches worked on paper, a set compared with
itself, the ceiling's figures, and what a set without whole matches gets."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lib.charts.matches import SET_SCALE, phase_chart, runs_by_over_chart, totals_chart, wickets_chart
from lib.data.cricsheet.importer import import_matches
from lib.data.schema import INNINGS, MATCH_ID, MODEL_COLUMNS
from lib.data.simulate.league import build_sample
from lib.data.splits import make_split
from lib.quality import matches
from lib.quality.matches import (
    FIGURES,
    SCORES,
    SET_LABELS,
    SYNTHETIC,
    TRAINING,
    UNSEEN,
    has_whole_matches,
    match_figures,
    whole_match_report,
)
from tests.cricsheet_fixtures import paper_match, partner_match


@pytest.fixture(scope="module")
def league() -> pd.DataFrame:
    return build_sample(matches=30, seed=5).deliveries


@pytest.fixture(scope="module")
def halves(league):
    """(training rows, unseen rows) of the league under the standard split, as the report splits it."""
    split = make_split(league)
    return league.iloc[split.train], league.iloc[np.sort(np.concatenate([split.validation, split.test]))]


def test_figures_of_two_matches_worked_on_paper():
    # Setup: Ants 19/2 (14 deliveries), Bees 20/1 (8) win the chase; Crows 27/2 (14), Doves 29/0 (6) win it too
    rows = import_matches([("1.json", paper_match()), ("5.json", partner_match())]).deliveries
    # Run
    figures = match_figures(rows, "leakfree")
    # Assert: retired hurt is no wicket; wides and no-balls are deliveries
    assert figures.first_totals.tolist() == [19, 27] and figures.second_totals.tolist() == [20, 29]
    assert figures.wickets.tolist() == [2, 1, 2, 0] and figures.deliveries.tolist() == [14, 8, 14, 6]
    assert figures.chases_won == 1.0
    # runs per over (first innings: Ants 10 then 9, Crows 11 then 16; chase: Bees 14 then 6, Doves 29)
    by_over = figures.runs_by_over.set_index([INNINGS, "over"])
    assert by_over["mean"].to_dict() == {(1, 0): 10.5, (1, 1): 12.5, (2, 0): 21.5, (2, 1): 6.0}
    assert by_over["reached"].to_dict() == {(1, 0): 2, (1, 1): 2, (2, 0): 2, (2, 1): 1}
    # every over is in the powerplay: 8 sixes (1 + 2 + 1 + 4) and 5 wickets in 42 deliveries
    assert figures.phase_shares[("powerplay", "6")] == pytest.approx(8 / 42)
    assert figures.phase_shares[("powerplay", "wicket")] == pytest.approx(5 / 42)
    assert np.isnan(figures.phase_shares[("death", "dot")]), "no delivery in the death overs"
    # the running score each innings' deliveries add up to: Ants end on 19
    ants = figures.sequences[figures.sequences["innings"] == 0]
    assert ants["score"].iloc[-1] == 19 and len(ants) == 14


def test_a_set_compared_with_itself_scores_one_and_has_the_same_figures(league, halves):
    # Setup: the training matches themselves as the "synthetic" set
    training, _ = halves
    # Run
    report = whole_match_report(league, training, "leakfree")
    # Assert
    assert report.scores[SYNTHETIC] == {key: 1.0 for key in SCORES}
    assert report.get_score() == 1.0
    table = report.table()
    assert table[SET_LABELS[SYNTHETIC]].tolist() == table[SET_LABELS[TRAINING]].tolist()
    assert list(table["figure"]) == list(FIGURES)
    assert report.notes == [], "every match rebuilt, no set large enough to sample"


def test_the_ceiling_is_the_unseen_matches_figured_the_same_way(league, halves):
    # Setup
    training, unseen = halves
    # Run
    report = whole_match_report(league, training, "leakfree")
    # Assert: the unseen matches' figures are theirs alone, scored 0..1 against the training matches
    expected = match_figures(unseen, "leakfree")
    assert report.figures[UNSEEN].first_totals.tolist() == expected.first_totals.tolist()
    assert report.figures[UNSEEN].matches == unseen[MATCH_ID].nunique()
    assert all(0 <= value <= 1 for value in report.scores[UNSEEN].values())
    assert report.ceiling_score() == pytest.approx(np.mean(list(report.scores[UNSEEN].values())))
    scores = report.get_details()
    assert scores["score"].iloc[-1] == "mean of the above" and len(scores) == len(SCORES) + 1


def test_a_match_that_is_not_whole_is_left_out_and_noted(league):
    # Setup: another league as the synthetic set, one match without its chase
    synthetic = build_sample(matches=6, seed=6).deliveries
    first = synthetic[MATCH_ID].iloc[0]
    broken = synthetic[~((synthetic[MATCH_ID] == first) & (synthetic[INNINGS] == 2))]
    # Run
    report = whole_match_report(league, broken, "leakfree")
    # Assert
    made = synthetic[MATCH_ID].nunique()
    assert report.figures[SYNTHETIC].matches == made - 1
    assert report.notes[0].startswith(f"1 of the {made} synthetic matches are left out")


def test_inter_row_msas_samples_matches_of_a_large_set_and_says_so(league, halves, monkeypatch):
    # Setup: a sample smaller than the sets
    monkeypatch.setattr(matches, "SEQUENCE_MATCHES", 5)
    training, _ = halves
    # Run
    report = whole_match_report(league, training, "leakfree")
    # Assert: the same seed draws the same matches of the same set
    assert report.scores[SYNTHETIC]["six_ball_runs"] == 1.0
    assert "InterRowMSAS reads a seeded sample of 5 matches" in report.notes[-1]


def test_a_set_of_single_rows_has_no_whole_matches(league):
    rows = league[MODEL_COLUMNS].head(500)
    assert not has_whole_matches(rows) and has_whole_matches(league)
    with pytest.raises(ValueError, match="need whole matches"):
        whole_match_report(league, rows, "leakfree")


def test_report_json_and_charts_hold_every_set(league):
    # Setup
    synthetic = build_sample(matches=8, seed=6).deliveries
    report = whole_match_report(league, synthetic, "leakfree")
    # Run
    data = json.loads(json.dumps(report.to_json()))
    charts = [totals_chart(report.totals()), runs_by_over_chart(report.runs_by_over()),
              wickets_chart(report.wickets()), phase_chart(report.phase_shares())]
    # Assert
    assert set(data["sets"]) == {TRAINING, SYNTHETIC, UNSEEN}
    assert data["sets"][SYNTHETIC]["matches"] == synthetic[MATCH_ID].nunique()
    assert len(data["sets"][TRAINING]["runs_by_over"]) == 40, "20 overs x 2 innings"
    assert set(data["scores"][SYNTHETIC]) == set(SCORES) and 0 <= data["score"] <= 1
    assert SET_SCALE.domain == list(SET_LABELS.values()) and len(set(SET_SCALE.range)) == 3
    for chart in charts:
        spec = chart.to_dict()
        assert spec["title"], "every chart says what it shows"
