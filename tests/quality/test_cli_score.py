"""`python -m lib.cli score`: the same four averages the Evaluate page shows, and every score in the JSON."""

import json

import pandas as pd
import pytest

from lib.cli import main
from lib.data.schema import MODEL_COLUMNS
from lib.data.simulate.league import build_sample
from lib.quality.report import ScoreReport


@pytest.fixture(scope="module")
def league_csv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("score")
    frame = build_sample(matches=20, seed=2).deliveries
    real = folder / "real.csv"
    frame[["matchId", "innings", *MODEL_COLUMNS]].to_csv(real, index=False)
    synthetic = folder / "synthetic.csv"
    frame[MODEL_COLUMNS].sample(1000, random_state=1).to_csv(synthetic, index=False)
    return real, synthetic


def test_score_prints_the_four_averages_and_writes_every_score(league_csv, tmp_path, capsys):
    real, synthetic = league_csv
    out, html = tmp_path / "report.json", tmp_path / "report.html"
    assert main(["score", "--real", str(real), "--synthetic", str(synthetic), "--out", str(out),
                 "--html", str(html)]) == 0
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert "{'real'" not in html.read_text(), "the rows scored in words, not a dict"
    data = json.loads(out.read_text())
    report = ScoreReport.from_json(data)
    averages = report.synthetic.fidelity.averages
    assert set(averages) == {"ks_score", "tv_score", "correlation_score", "coverage_score", "contingency_score"}
    assert all(0 <= v <= 1 for v in averages.values())
    fidelity = report.synthetic.fidelity
    assert len(fidelity.ks) == 7 and len(fidelity.tv) == 3 and len(fidelity.correlation) == 21
    assert report.synthetic.validity == 1.0, "rows drawn from the real data obey every rule"
    assert report.privacy.copy_share == 1.0, "every row is a copy of a real row"
    printed = capsys.readouterr().out
    assert "Column pair trends (correlation similarity)" in printed and "exact copies of real rows 100.00%" in printed
    # the references, each shaped like the synthetic set's own scores, and one name per number in the file
    assert "floor" in printed and "ceiling" in printed and "overall position" in printed
    for reference in ("floor", "ceiling"):
        assert set(data[reference]["fidelity"]["averages"]) == set(averages)
    assert report.synthetic.coherence.share == pytest.approx(1.0), "rows drawn from the real data are coherent"
    assert 0 <= report.synthetic.detection.auc <= 1 and report.validity_before_redraw is None
    assert 0 <= report.utility.synthetic_auc <= 1 and data["position"] == pytest.approx(report.get_score())
    assert "validity_score" not in json.dumps(data) and data["provenance"]["rows scored"].endswith("synthetic rows")
    assert "whole_matches" not in data and "whole matches" not in printed, "single rows make no whole matches"


def test_score_of_whole_matches_adds_their_figures_to_the_json_and_the_table(league_csv, tmp_path, capsys):
    # Setup: five whole real matches, matchId and innings kept, as the matches engine writes its sets
    real, _ = league_csv
    frame = pd.read_csv(real)
    synthetic = tmp_path / "matches.csv"
    five = frame[frame["matchId"].isin(frame["matchId"].unique()[:5])]
    five.to_csv(synthetic, index=False)
    out, html = tmp_path / "report.json", tmp_path / "report.html"
    # Run
    assert main(["score", "--real", str(real), "--synthetic", str(synthetic), "--out", str(out),
                 "--html", str(html), "--no-privacy"]) == 0
    # Assert: the figures of the five matches, computed by hand from their rows
    whole = json.loads(out.read_text())["whole_matches"]
    assert set(whole["sets"]) == {"training", "synthetic", "unseen"} and whole["sets"]["synthetic"]["matches"] == 5
    last = five.groupby(["matchId", "innings"])["runs"].last().unstack()
    assert whole["sets"]["synthetic"]["figures"]["first-innings total, mean (runs)"] == pytest.approx(last[1].mean())
    assert set(whole["scores"]["synthetic"]) == {"first_totals", "second_totals", "innings_length",
                                                 "innings_run_rate", "six_ball_runs"}
    printed = capsys.readouterr().out
    assert "whole matches: similarity to the training matches" in printed and "share of chases won" in printed
    assert "<h2>Whole matches: similarity" in html.read_text() and "InterRowMSAS" in html.read_text()


def test_score_refuses_unknown_players(league_csv, tmp_path, capsys):
    real, synthetic = league_csv
    bad = tmp_path / "bad.csv"
    text = synthetic.read_text().splitlines()
    fields = text[1].split(",")
    fields[0] = "99999"
    bad.write_text("\n".join([text[0], ",".join(fields), *text[2:]]))
    assert main(["score", "--real", str(real), "--synthetic", str(bad), "--out", str(tmp_path / "r.json")]) == 2
    assert "player indices above" in capsys.readouterr().err


def test_a_score_that_could_not_be_computed_prints_as_the_page_shows_it(capsys):
    # Setup: a stored report whose synthetic set had one class (no ROC AUC) and whose coherence could not be taken
    from pathlib import Path

    from lib.cli.score import NO_VALUE, _print_rest
    from lib.quality.report import ScoreReport

    data = json.loads((Path(__file__).parents[1] / "fixtures" / "score-report-v1.json").read_text())
    data["utility"]["synthetic_auc"] = None
    data["coherence"]["share"] = None
    report = ScoreReport.from_json(data)

    # Run
    _print_rest(report)
    text = capsys.readouterr().out

    # Assert
    assert f"ROC AUC synthetic {NO_VALUE} vs real 0.629" in text and f"coherence ({report.variant}) {NO_VALUE}" in text
    assert "nan" not in text.lower()
