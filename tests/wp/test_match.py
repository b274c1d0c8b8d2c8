"""The Match page's curves: one match's win probability from a trained model, checked on a paper match."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import brier_score_loss

from lib.charts.wp import overlapping_chart, side_by_side_chart
from lib.cli import main
from lib.data import workspace
from lib.data.simulate.league import build_sample
from lib.wp import match_curve
from lib.wp.train import train_and_save
from models.wp.config import WPConfig
from models.wp.model import WPModel
from tests.cricsheet_fixtures import paper_match
from tests.pages_helpers import page

PAPER_DELIVERIES = (14, 8)
"""Ants bat 14 deliveries (a wide and a no-ball among them), Bees chase in 8."""
PAPER_WICKETS = 3
"""Ants lose A Two (bowled) and A Four (retired out; A Three's retired hurt is no wicket), Bees lose B One."""


@pytest.fixture(scope="module")
def league():
    return build_sample(matches=40, seed=5)


@pytest.fixture(scope="module")
def model_folder(league, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wp") / "model"
    model = train_and_save(league.deliveries, folder, config=WPConfig(epochs=1), vocabulary=league.vocabulary,
                           features="leakfree")
    model.extra.update(arm="real", run_id="test-run")
    model.save(folder)
    return folder


@pytest.fixture
def model(model_folder):
    return WPModel.load(model_folder)


def paper_curve(model) -> match_curve.MatchCurve:
    rows = match_curve.rows_from_file(json.dumps(paper_match()).encode(), "paper.json", "leakfree", model.vocabulary)
    return match_curve.win_curve(match_curve.for_model(rows, model.vocabulary), model)


def test_paper_match_curve_has_one_point_per_delivery_and_both_sides_sum_to_100(model):
    curve = paper_curve(model)
    frame = curve.deliveries
    assert len(frame) == sum(PAPER_DELIVERIES) and curve.innings_break == PAPER_DELIVERIES[0] + 0.5
    assert ((frame["wp"] >= 0) & (frame["wp"] <= 1)).all()
    assert (curve.team1, curve.team2, curve.winner) == ("Ants", "Bees", "Bees")
    chase = frame["innings"] == 2
    assert np.allclose(frame.loc[chase, "team1_wp"], 100 * (1 - frame.loc[chase, "wp"]))
    assert frame["wicket"].sum() == PAPER_WICKETS
    assert curve.unknown_deliveries == sum(PAPER_DELIVERIES), "no player of the paper match is in the league"


def test_side_by_side_chart_draws_both_teams_at_every_delivery(model):
    curve = paper_curve(model)
    spec = side_by_side_chart({"m": curve}).to_dict()
    datasets = list(spec["datasets"].values())
    lines = next(rows for rows in datasets if len(rows) == 2 * sum(PAPER_DELIVERIES))
    by_delivery = pd.DataFrame(lines).groupby("delivery")["win"].sum()
    assert np.allclose(by_delivery, 100)
    assert sorted(len(rows) for rows in datasets).count(PAPER_WICKETS) == 1, "one point per wicket"
    # the team lines keep their own colours: the phase bands' fixed colour domain must not take them over
    for chart in (spec, overlapping_chart({"m": curve, "n": curve}).to_dict()):
        assert chart["resolve"]["scale"]["color"] == "independent"


def test_swings_and_brier_scores(model):
    curve = paper_curve(model)
    swings = match_curve.biggest_swings(curve, count=3)
    assert len(swings) == 3 and set(swings.columns) >= {"innings", "over", "batter", "bowler"}
    frame = curve.deliveries
    expected = brier_score_loss(frame["isWinner"], frame["wp"])
    assert match_curve.brier_scores({"m": curve})["m"] == pytest.approx(expected)


def test_cli_writes_the_curve(model_folder, tmp_path, capsys):
    match_file = tmp_path / "paper.json"
    match_file.write_text(json.dumps(paper_match()))
    out = tmp_path / "curve.csv"
    assert main(["wp", "match", "--model", str(model_folder), "--match", str(match_file), "--out", str(out)]) == 0
    curve = pd.read_csv(out)
    assert list(curve.columns) == ["delivery", "innings", "batting_side", "win_probability"]
    assert len(curve) == sum(PAPER_DELIVERIES) and curve["win_probability"].between(0, 1).all()
    assert curve["batting_side"].tolist() == ["Ants"] * 14 + ["Bees"] * 8
    assert "won by Bees" in capsys.readouterr().out


def test_match_page_draws_a_dataset_match_and_an_uploaded_one(league, model_folder):
    # Setup: the league as a dataset and the model in the workspace
    workspace.save_dataset(league.deliveries, name="league", kind="real", source="simulated league",
                           features="leakfree", vocabulary=league.vocabulary)
    shutil.copytree(model_folder, workspace.artifact_root("wp") / "test-run-real")
    # Run
    at = page("pages/5_Match.py").run()
    # Assert
    assert not at.exception, at.exception
    assert "won by" in at.subheader[0].value
    assert len(at.get("vega_lite_chart")) == 2
    # Run: upload the paper match instead
    at.radio[0].set_value("Upload one Cricsheet match (.json)").run()
    at.file_uploader[0].set_value(("paper.json", json.dumps(paper_match()).encode(), "application/json")).run()
    # Assert
    assert not at.exception
    assert at.subheader[0].value == "Ants v Bees — won by Bees"
    assert any("22 of 22 deliveries" in i.value for i in at.info)
