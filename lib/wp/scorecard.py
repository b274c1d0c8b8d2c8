"""The scorecard of a match told only by its t20 rows, as a synthetic match is: innings totals, batting and
bowling cards and the result.

Rows hold running figures, from which lib.data.events recovers each delivery's striker, bowler, total, wicket and
legality, and no more: runs off the bat are not split from byes and leg byes, a wide from a no-ball, nor a run out
from a bowler's wicket. The cards are built on what rows do tell, and `CARD_NOTES` says so on the page:

- a batter's runs are the runs of the legal deliveries they faced (byes and leg byes included); wides and
  no-balls, with anything scored off them, are the innings' extras, so batters' runs plus extras make the total;
- a bowler is charged every run of their deliveries and every wicket that fell on them;
- the batter out is the striker, unless the striker faces again in the innings; then it is the batter at the other
  end (lib.data.events.dismissed), listed as "a batter who faced no ball" when that batter had not faced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.data.cricsheet.importer import BATTING_TEAM
from lib.data.events import (
    BATTER_INDEX,
    BOWLER_INDEX,
    CHASE_BALLS,
    FIRST_WON,
    LEGAL,
    PLAYER_OUT,
    TARGET,
    TOTAL,
    UNKNOWN,
    WICKET,
    MatchEvents,
    NoMatches,
    events_for,
    events_from_rows,
)
from lib.data.row_facts import BALLS_PER_OVER
from lib.data.schema import BATTER, BOWLER, INNINGS, MATCH_ID, UNKNOWN_PLAYER
from lib.data.vocabulary import Vocabulary

SIDES = ("Side A", "Side B")
"""Names of the side batting first and the side chasing when the rows name no teams (a synthetic match)."""
ROLES = ("batting first", "chasing")
ALL_OUT = 10
"""Wickets that end an innings: eleven batters, two at the crease."""
BATTING_NOTE = (
    "Batters' runs are all runs of the legal deliveries they faced, byes and leg byes included: rows do not split "
    "a delivery's runs. Wides and no-balls, with anything scored off them, are the extras. 4s and 6s count "
    "deliveries worth 4 or 6."
)
BOWLING_NOTE = (
    "Bowlers are charged every run and every wicket of their deliveries (run outs included). Rows do not say who "
    "was out or how: the striker is taken to be out, unless they face again in the innings; then it was the "
    "batter at the other end (a run out)."
)
CARD_NOTES = (BATTING_NOTE, BOWLING_NOTE)
"""What the cards can and cannot tell, in words for the analyst."""
NO_BALL_FACED = "a batter who faced no ball"
"""How the batting card names a batter out at the non-striker's end before facing: rows name only strikers."""


@dataclass
class InningsCard:
    """One innings of a scorecard.

    Attributes:
        side: the batting side's name.
        role: "batting first" or "chasing".
        runs, wickets: the innings' total and wickets fallen.
        balls: legal balls bowled.
        extras: runs of wides and no-balls (anything scored off them included).
        batting: one row per batter in order of first appearance: batter, runs, balls, 4s, 6s, how out.
        bowling: one row per bowler in order of first over: bowler, overs, runs, wickets.
    """

    side: str
    role: str
    runs: int
    wickets: int
    balls: int
    extras: int
    batting: pd.DataFrame
    bowling: pd.DataFrame

    @property
    def total(self) -> str:
        """"160/9 (20.0 overs)", or "123 all out (19.2 overs)"."""
        return innings_total(self.runs, self.wickets, self.balls)

    @property
    def title(self) -> str:
        return f"{self.side} ({self.role}): {self.total}"


@dataclass
class Scorecard:
    """Both innings of one match and its result line ("Side B won by 6 wickets (with 4 balls left)")."""

    match_id: object
    innings: list[InningsCard]
    result: str


def scorecard(rows: pd.DataFrame, vocabulary: Vocabulary | None, features: str | None) -> Scorecard:
    """The scorecard of one match from its rows.

    Args:
        rows: the t20 rows of one match, with matchId and innings, in delivery order; battingTeam names the sides
            when present, else they are SIDES.
        vocabulary: names of the player indices (the real dataset's, for a synthetic set); None names players by
            index.
        features: the rows' feature variant ("leakfree" tells wides and no-balls apart from legal balls).

    Raises:
        ValueError: the rows hold other than one match, or a match that could not have been played
            (lib.data.events.NoMatches says why).
    """
    events = events_from_rows(rows, features, name="the match")
    if len(events.matches) != 1:
        raise ValueError(f"A scorecard is of one match; these rows hold {len(events.matches)}. Pick one matchId.")
    sides = side_names(rows)
    deliveries = events.deliveries
    cards = [_innings_card(deliveries[deliveries[INNINGS] == number], sides[number - 1], ROLES[number - 1],
                           vocabulary) for number in (1, 2)]
    result = innings_results(events).iloc[0]
    return Scorecard(events.matches[MATCH_ID].iloc[0], cards, result_line(result, sides))


def side_names(rows: pd.DataFrame) -> tuple[str, str]:
    """(batting first, chasing): the battingTeam of each innings, or SIDES when the rows name no teams."""
    if BATTING_TEAM not in rows:
        return SIDES
    first = rows[BATTING_TEAM].to_numpy()[rows[INNINGS].to_numpy() == 1]
    second = rows[BATTING_TEAM].to_numpy()[rows[INNINGS].to_numpy() == 2]
    return str(first[0]), str(second[0])


def _innings_card(deliveries: pd.DataFrame, side: str, role: str, vocabulary: Vocabulary | None) -> InningsCard:
    legal = deliveries[LEGAL].to_numpy()
    total = deliveries[TOTAL].to_numpy()
    counted = deliveries.assign(runs=np.where(legal, total, 0), balls=legal.astype(np.int64),
                                fours=legal & (total == 4), sixes=legal & (total == 6))
    batters = counted.groupby(BATTER_INDEX, sort=False)[["runs", "balls", "fours", "sixes"]].sum()
    outs = deliveries[deliveries[WICKET] == 1]
    out_bowler = dict(zip(outs[PLAYER_OUT], outs[BOWLER_INDEX]))
    how_out = [f"out ({player_name(vocabulary, BOWLER, out_bowler[b])} bowling)" if b in out_bowler else "not out"
               for b in batters.index]
    batting = pd.DataFrame({
        "batter": [player_name(vocabulary, BATTER, b) for b in batters.index], "runs": batters["runs"].to_numpy(),
        "balls": batters["balls"].to_numpy(), "4s": batters["fours"].to_numpy().astype(np.int64),
        "6s": batters["sixes"].to_numpy().astype(np.int64), "how out": how_out,
    })
    unseen = outs[outs[PLAYER_OUT] == UNKNOWN][BOWLER_INDEX].to_numpy()
    if len(unseen):  # out at the other end before facing: in no row, so named by what rows tell of them
        batting = pd.concat([batting, pd.DataFrame({
            "batter": NO_BALL_FACED, "runs": 0, "balls": 0, "4s": 0, "6s": 0,
            "how out": [f"out ({player_name(vocabulary, BOWLER, b)} bowling)" for b in unseen]})], ignore_index=True)
    bowlers = counted.groupby(BOWLER_INDEX, sort=False).agg(balls=("balls", "sum"), runs=(TOTAL, "sum"),
                                                             wickets=(WICKET, "sum"))
    bowling = pd.DataFrame({
        "bowler": [player_name(vocabulary, BOWLER, b) for b in bowlers.index],
        "overs": [overs(b) for b in bowlers["balls"]], "runs": bowlers["runs"].to_numpy(),
        "wickets": bowlers["wickets"].to_numpy(),
    })
    return InningsCard(side, role, int(total.sum()), int(deliveries[WICKET].sum()), int(legal.sum()),
                       int(total[~legal].sum()), batting, bowling)


def player_name(vocabulary: Vocabulary | None, column: str, index: int) -> str:
    """A player's name from the vocabulary; "batter #12" for an index it does not name, "unknown batter" for 0."""
    role = "batter" if column == BATTER else "bowler"
    if index == UNKNOWN_PLAYER:
        return f"unknown {role}"
    name = None if vocabulary is None else vocabulary.player_name(column, int(index))
    return name or f"{role} #{index}"


def overs(balls: int) -> str:
    """Legal balls as cricket writes overs: 14 -> "2.2"."""
    return f"{balls // BALLS_PER_OVER}.{balls % BALLS_PER_OVER}"


def innings_total(runs: int, wickets: int, balls: int) -> str:
    score = f"{runs} all out" if wickets >= ALL_OUT else f"{runs}/{wickets}"
    return f"{score} ({overs(balls)} overs)"


def innings_results(events: MatchEvents) -> pd.DataFrame:
    """One row per match of the events: matchId, first_runs, first_wickets, first_balls, chase_runs,
    chase_wickets, chase_balls (legal balls bowled), first_won and margin ("21 runs", "6 wickets (with 4 balls
    left)", "" when the scores were level and the match was decided otherwise)."""
    deliveries = events.deliveries
    per_innings = deliveries.assign(balls=deliveries[LEGAL].astype(np.int64)).groupby(
        [MATCH_ID, INNINGS], sort=False).agg(runs=(TOTAL, "sum"), wickets=(WICKET, "sum"), balls=("balls", "sum"))
    first, chase = (per_innings.xs(number, level=INNINGS) for number in (1, 2))
    matches = events.matches.set_index(MATCH_ID)
    table = pd.DataFrame({"first_runs": first["runs"], "first_wickets": first["wickets"],
                          "first_balls": first["balls"]})
    table = table.join(pd.DataFrame({"chase_runs": chase["runs"], "chase_wickets": chase["wickets"],
                                     "chase_balls": chase["balls"]}))
    table["first_won"] = matches[FIRST_WON].reindex(table.index).to_numpy()
    target = matches[TARGET].reindex(table.index).to_numpy()
    # A D/L target differs from the first innings' total + 1: a runs margin is measured against the target.
    par = np.where(target > 0, target - 1, table["first_runs"])
    runs_margin = par - table["chase_runs"]
    balls_left = matches[CHASE_BALLS].reindex(table.index).to_numpy() - table["chase_balls"]
    table["margin"] = [_margin(won, int(runs), int(wickets), int(balls)) for won, runs, wickets, balls
                       in zip(table["first_won"], runs_margin, table["chase_wickets"], balls_left)]
    return table.rename_axis(MATCH_ID).reset_index()


def _margin(first_won: bool, runs: int, chase_wickets: int, balls_left: int) -> str:
    """"21 runs" for the side batting first, "6 wickets (with 4 balls left)" for the chase, "" for level scores."""
    if runs == 0:
        return ""
    if first_won:
        return _plural(runs, "run")
    left = f" (with {_plural(balls_left, 'ball')} left)" if balls_left > 0 else ""
    return _plural(ALL_OUT - chase_wickets, "wicket") + left


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def result_line(result: pd.Series, sides: tuple[str, str]) -> str:
    """"Side B won by 6 wickets (with 4 balls left)" from a row of `innings_results`."""
    winner = sides[0] if result["first_won"] else sides[1]
    if not result["margin"]:
        return f"Scores level; {winner} won the tie-break"
    return f"{winner} won by {result['margin']}"


def match_results(frame: pd.DataFrame, features: str | None, stored: MatchEvents | None = None) -> pd.DataFrame:
    """`innings_results` of every match of a dataset whose events can be rebuilt (the stored events when they
    cover the rows); empty, with the same columns, when none can."""
    try:
        return innings_results(events_for(frame, stored, features))
    except NoMatches:
        return pd.DataFrame(columns=[MATCH_ID, "first_runs", "first_wickets", "first_balls", "chase_runs",
                                     "chase_wickets", "chase_balls", "first_won", "margin"])
