"""The scorecard of a match told by its rows, checked on hand-made matches worked out on paper, and on synthetic
matches of the matches engine."""

import json

import pandas as pd
import pytest

from lib.cli import main
from lib.data import workspace
from lib.data.cricsheet.importer import import_cricsheet
from lib.data.schema import MATCH_ID, MODEL_COLUMNS
from lib.wp import match_curve
from lib.wp.report import held_out_mask
from lib.wp.saved import drew_from
from lib.wp.scorecard import NO_BALL_FACED, SIDES, match_results, scorecard
from tests.cricsheet_fixtures import ball, match, paper_match


def imported(cricsheet: dict):
    return import_cricsheet(json.dumps(cricsheet).encode(), features="leakfree", name="paper.json")


def first_innings_win() -> dict:
    """Ants 14/1 in one over (4, 6, 1, bowled, 2, 1), Bees 8/1 (1, 0, 4, caught, 2, 1 leg bye): Ants by 6 runs."""
    ants = [[ball("A One", "B Bowl", 4), ball("A One", "B Bowl", 6), ball("A One", "B Bowl", 1),
             ball("A Two", "B Bowl", 0, out="A Two"), ball("A Three", "B Bowl", 2), ball("A Three", "B Bowl", 1)]]
    bees = [[ball("B One", "A Bowl", 1), ball("B Two", "A Bowl", 0), ball("B Two", "A Bowl", 4),
             ball("B Two", "A Bowl", 0, out="B Two", kind="caught"), ball("B Three", "A Bowl", 2),
             ball("B Three", "A Bowl", 1, extras={"legbyes": 1})]]
    return match(ants, bees, {"winner": "Ants", "by": {"runs": 6}}, overs=1, target={"overs": 1, "runs": 15})


def test_paper_match_scorecard():
    # Setup: the paper match (tests.cricsheet_fixtures.paper_match) as rows
    result = imported(paper_match())
    # Run
    card = scorecard(result.deliveries, result.vocabulary, "leakfree")
    # Assert: Ants 19/2 in 12 legal balls. Batters' runs are the totals of the legal balls they faced: A One 1+0+0,
    # A Two 4+0 (his wide is an extra), A Three 0+1+0 (the no-ball's 3 are extras; retired hurt is not out),
    # A Four 6+2+0 (retired out), A Five 1; extras 1 wide + 3 off the no-ball; 15 + 4 = 19.
    ants, bees = card.innings
    assert ants.title == "Ants (batting first): 19/2 (2.0 overs)" and ants.extras == 4
    assert ants.batting.to_dict("list") == {
        "batter": ["A One", "A Two", "A Three", "A Four", "A Five"], "runs": [1, 4, 1, 8, 1], "balls": [3, 2, 3, 3, 1],
        "4s": [0, 1, 0, 0, 0], "6s": [0, 0, 0, 1, 0],
        "how out": ["not out", "out (B Bowl bowling)", "not out", "out (B Spin bowling)", "not out"]}
    # B Bowl: 6 legal balls of 8, 1+1+4+0+3+0+1+0 = 10; B Spin: 0+6+2+0+1+0 = 9
    assert ants.bowling.to_dict("list") == {"bowler": ["B Bowl", "B Spin"], "overs": ["1.0", "1.0"], "runs": [10, 9],
                                            "wickets": [1, 1]}
    # Bees 20/1 in 8 balls: B One 4+0 out; B Two 1 (a leg bye: rows cannot tell) + 0 + 6; B Three 6+2+1
    assert bees.title == "Bees (chasing): 20/1 (1.2 overs)" and bees.extras == 0
    assert bees.batting[["batter", "runs", "balls"]].values.tolist() == [["B One", 4, 2], ["B Two", 7, 3],
                                                                        ["B Three", 9, 3]]
    assert bees.bowling[["bowler", "overs", "runs", "wickets"]].values.tolist() == [["A Bowl", "1.0", 14, 1],
                                                                                   ["A Spin", "0.2", 6, 0]]
    assert card.result == "Bees won by 9 wickets (with 4 balls left)"


def test_a_first_innings_win_is_by_runs_and_the_picker_label_says_so():
    # Setup
    result = imported(first_innings_win())
    # Run
    card = scorecard(result.deliveries, result.vocabulary, "leakfree")
    table = match_curve.match_table(result.deliveries, match_results(result.deliveries, "leakfree"))
    # Assert: Bees needed 15 and made 8: 14 - 8 = 6 runs
    assert [innings.total for innings in card.innings] == ["14/1 (1.0 overs)", "8/1 (1.0 overs)"]
    assert card.result == "Ants won by 6 runs"
    assert table["label"][0] == "2024-04-01 · Ants v Bees · Ants 14/1, Bees 8/1 · Ants won by 6 runs · match paper"


def test_run_outs_at_the_other_end_go_on_the_card_of_the_batter_out():
    # Setup: Bees chase 15 in one over: B One takes 1; B Two 0, 4; B One run out at the other end with B Two on
    # strike (0); B Three comes in at the other end and is run out before facing (0); B Two 1 leg bye: 6/2, Ants by 8
    bees = [[ball("B One", "A Bowl", 1), ball("B Two", "A Bowl", 0), ball("B Two", "A Bowl", 4),
             ball("B Two", "A Bowl", 0, out="B One", kind="run out", non_striker="B One"),
             ball("B Two", "A Bowl", 0, out="B Three", kind="run out", non_striker="B Three"),
             ball("B Two", "A Bowl", 1, extras={"legbyes": 1})]]
    ants = first_innings_win()["innings"][0]["overs"]
    chase = match([over["deliveries"] for over in ants], bees, {"winner": "Ants", "by": {"runs": 8}}, overs=1,
                  target={"overs": 1, "runs": 15})
    result = imported(chase)
    # Run
    card = scorecard(result.deliveries, result.vocabulary, "leakfree")
    # Assert: B Two faced again after both wickets, so neither was his; B Three is in no row
    bees_card = card.innings[1]
    assert bees_card.total == "6/2 (1.0 overs)"
    assert bees_card.batting.values.tolist() == [
        ["B One", 1, 1, 0, 0, "out (A Bowl bowling)"], ["B Two", 5, 5, 1, 0, "not out"],
        [NO_BALL_FACED, 0, 0, 0, 0, "out (A Bowl bowling)"]]
    assert bees_card.bowling["wickets"].sum() == 2 and card.result == "Ants won by 8 runs"


def test_synthetic_match_is_named_and_its_cards_add_up(match_workspace):
    # Setup: a synthetic set of whole matches, and the real league's players
    real_id, synthetic_id = match_workspace
    frame = workspace.load_dataset(synthetic_id)
    vocabulary = workspace.load_vocabulary(real_id)
    first_id = frame[MATCH_ID].iloc[0]
    # Run
    rows = match_curve.synthetic_match_rows(frame, first_id, vocabulary, "leakfree")
    card = scorecard(rows, vocabulary, "leakfree")
    # Assert: sides and names as a real match has them; batters + extras and bowlers make each total
    assert set(rows["battingTeam"]) == set(SIDES) and set(rows["batter"]) <= set(vocabulary.batters)
    assert rows["wicket"].sum() == sum(innings.wickets for innings in card.innings)
    for innings in card.innings:
        assert innings.batting["runs"].sum() + innings.extras == innings.runs == innings.bowling["runs"].sum()
        assert innings.bowling["wickets"].sum() == innings.wickets == (innings.batting["how out"] != "not out").sum()
    assert card.result.startswith(("Side A won by", "Side B won by")) and card.match_id == first_id
    table = match_curve.match_table(frame, match_results(frame, "leakfree"))
    assert table["label"][0].startswith(f"match {first_id} · Side A {card.innings[0].runs}/")


def test_synthetic_sets_offer_whole_matches_only(match_workspace):
    # Setup: a set of single rows beside the whole-match set
    real_id, synthetic_id = match_workspace
    rows = workspace.load_dataset(real_id)[MODEL_COLUMNS].head(300)
    workspace.save_dataset(rows, name="rows only", kind="synthetic", source="test", features="leakfree")
    # Run
    usable, notes = match_curve.synthetic_sets("leakfree")
    # Assert
    assert [info.id for info in usable] == [synthetic_id]
    assert notes == [("1 synthetic set of single rows (CTGAN) not offered: their rows are independent deliveries, "
                      "not whole matches, so there is no match to draw.")]


def test_held_out_mask_reads_the_reports_test_matches():
    assert held_out_mask({"test_match_ids": [3, 7]}, pd.Series([1, 3, 7])).tolist() == [False, True, True]
    assert held_out_mask({}, [1]) is None and held_out_mask(None, [1]) is None


def test_cli_draws_a_synthetic_match(match_workspace, tmp_path, capsys):
    # Setup: the synthetic set as a CSV and the comparison's real-only model
    _, synthetic_id = match_workspace
    frame = workspace.load_dataset(synthetic_id)
    source = tmp_path / "matches.csv"
    frame.to_csv(source, index=False)
    model = workspace.artifact_dir("wp", "match-compare-real")
    match_id = int(frame[MATCH_ID].iloc[-1])
    out = tmp_path / "curve.csv"
    # Run
    code = main(["wp", "match", "--model", str(model), "--synthetic", str(source), "--match-id", str(match_id),
                 "--out", str(out)])
    # Assert
    assert code == 0
    curve = pd.read_csv(out)
    assert len(curve) == (frame[MATCH_ID] == match_id).sum()
    assert set(curve["batting_side"]) == set(SIDES)
    printed = capsys.readouterr().out
    assert f"synthetic match {match_id}: Side A (batting first): " in printed and " won by " in printed
    # Run: a match id the set does not hold
    assert main(["wp", "match", "--model", str(model), "--synthetic", str(source), "--match-id", "7",
                 "--out", str(out)]) != 0
    assert "holds no match 7" in capsys.readouterr().err


@pytest.mark.parametrize("options", [["--match", "m.json", "--match-id", "7"], ["--synthetic", "x.csv"]])
def test_cli_wants_the_synthetic_set_and_its_match_id_together(tmp_path, options, capsys):
    code = main(["wp", "match", "--model", str(tmp_path), "--out", str(tmp_path / "c.csv"), *options])
    assert code != 0 and "--synthetic and --match-id go together" in capsys.readouterr().err


def test_only_arms_that_drew_from_a_synthetic_set_may_have_trained_on_its_matches():
    arms = {arm: {"arm": arm, "synthetic": "set-1"} for arm in ("real", "reference", "augmented@1", "synthetic")}
    assert [arm for arm, model in arms.items() if drew_from(model, "set-1")] == ["augmented@1", "synthetic"]
    assert not drew_from(arms["synthetic"], "set-2")
