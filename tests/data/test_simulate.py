"""The simulated league: deterministic, follows the rules of T20, imports cleanly, and players matter."""

from __future__ import annotations

import numpy as np
import pytest

from lib.data.schema import BATTER, BOWLER, META_COLUMNS, MODEL_COLUMNS
from lib.data.simulate.league import League, LeagueConfig, build_sample, simulate_matches
from lib.data.validation import validate

_NOT_LEGAL = ("wides", "noballs")
_NOT_OUT = ("retired hurt", "retired not out")


def _regular(match: dict) -> list[dict]:
    return [innings for innings in match["innings"] if not innings.get("super_over")]


def _tally(innings: dict) -> tuple[list[int], int, int]:
    """(running total after each delivery, wickets, legal balls) of one innings."""
    running, total, wickets, legal = [], 0, 0, 0
    for over in innings["overs"]:
        for ball in over["deliveries"]:
            total += ball["runs"]["total"]
            running.append(total)
            wickets += sum(w["kind"] not in _NOT_OUT for w in ball.get("wickets", []))
            legal += not any(kind in ball.get("extras", {}) for kind in _NOT_LEGAL)
    return running, wickets, legal


def test_same_seed_gives_identical_matches_and_other_seeds_differ():
    # Setup / Run
    first = list(simulate_matches(8, seed=3))
    again = list(simulate_matches(8, seed=3))
    other = list(simulate_matches(8, seed=4))

    # Assert
    assert first == again
    assert [m for _, m in first] != [m for _, m in other]
    assert [name for name, _ in first] == [f"{i}.json" for i in range(1, 9)]


def test_matches_follow_the_rules_of_t20():
    # Setup
    matches = [match for _, match in simulate_matches(150, seed=11)]

    # Run / Assert
    decided = 0
    for match in matches:
        outcome, innings = match["info"]["outcome"], _regular(match)
        for one in innings:
            _, wickets, legal = _tally(one)
            assert wickets <= 10 and legal <= 120 and len(one["overs"]) <= 20
            assert all(len(o["deliveries"]) >= 1 for o in one["overs"])
        if outcome.get("result") == "no result":
            continue
        decided += 1
        first, _, _ = _tally(innings[0])
        chase, _, _ = _tally(innings[1])
        target = first[-1] + 1
        assert innings[1]["target"] == {"overs": 20, "runs": target}
        assert all(runs < target for runs in chase[:-1]), "the chase went on after reaching the target"
        if chase[-1] >= target:
            assert outcome["winner"] == innings[1]["team"]
        elif chase[-1] < target - 1:
            assert outcome["winner"] == innings[0]["team"]
        else:
            assert outcome["result"] == "tie" and outcome["eliminator"] in match["info"]["teams"]
    assert decided >= 140


def test_ties_go_to_super_overs_flagged_in_the_file():
    # Setup: one-over innings tie often
    config = LeagueConfig(overs=1)

    # Run
    ties = [m for _, m in simulate_matches(200, seed=5, config=config) if m["info"]["outcome"].get("result") == "tie"]

    # Assert
    assert len(ties) >= 5
    for match in ties:
        regular, extra = _regular(match), match["innings"][2:]
        assert len(regular) == 2 and len(extra) >= 2 and all(i["super_over"] for i in extra)
        last_pair = [_tally(i)[0][-1] for i in extra[-2:]]
        winner = extra[-2]["team"] if last_pair[0] > last_pair[1] else extra[-1]["team"]
        assert match["info"]["outcome"]["eliminator"] == winner
        assert all(_tally(i)[1] <= 2 and _tally(i)[2] <= 6 for i in extra)


def test_sample_imports_cleanly_with_wides_no_balls_and_all_outs():
    # Setup / Run
    result = build_sample(120, seed=2)

    # Assert
    report = result.report
    assert report.malformed == []
    assert report.matches_kept + sum(len(v) for v in report.skipped.values()) == 120
    assert set(report.skipped) <= {"no result"}
    frame = result.deliveries
    validate(frame[META_COLUMNS + MODEL_COLUMNS])
    assert frame["matchId"].dtype == np.int64
    assert (frame[[BATTER, BOWLER]] > 0).all().all()
    matches = [m for _, m in simulate_matches(120, seed=2)]
    extras = [b.get("extras", {}) for m in matches for i in m["innings"] for o in i["overs"] for b in o["deliveries"]]
    assert sum("wides" in e for e in extras) > 100 and sum("noballs" in e for e in extras) > 10
    assert max(_tally(i)[1] for m in matches for i in _regular(m)) == 10


def test_stronger_xi_wins_clearly_more_often_than_chance():
    # Setup: a team's strength is the mean batting of its best 7 batters plus mean bowling of its best 5 bowlers
    league = League(seed=13)

    def strength(names):
        players = [league.players[name] for name in names]
        batting = sorted((p.batting for p in players), reverse=True)[:7]
        bowling = sorted((p.bowling for p in players), reverse=True)[:5]
        return np.mean(batting) + np.mean(bowling)

    # Run
    hits = []
    for _ in range(300):
        _, match = league.play()
        outcome = match["info"]["outcome"]
        winner = outcome.get("winner") or outcome.get("eliminator")
        if winner:
            (team_a, xi_a), (_, xi_b) = match["info"]["players"].items()
            hits.append((strength(xi_a) > strength(xi_b)) == (winner == team_a))

    # Assert: chance is 0.5; with 300 matches its standard error is 0.03
    assert np.mean(hits) > 0.6


def test_player_pool_grows_with_matches():
    # Setup
    def batters(count):
        return {b["batter"] for _, m in simulate_matches(count, seed=9) for i in m["innings"] for o in i["overs"]
                for b in o["deliveries"]}

    # Run
    early, later = batters(100), batters(400)

    # Assert: squads alone hold 170 players; debuts keep adding batters
    assert len(later) > len(early) + 150


def test_yorkr_variant_and_bad_arguments():
    # Setup / Run
    result = build_sample(20, seed=1, features="yorkr")

    # Assert
    assert result.features == "yorkr" and result.report.matches_kept >= 18
    with pytest.raises(ValueError, match="at least 1 match"):
        list(simulate_matches(0))
    with pytest.raises(ValueError, match="must sum to 11"):
        LeagueConfig(xi=(5, 2, 3))
