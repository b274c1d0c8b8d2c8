"""Whole matches as delivery events: what the matches engine (models/synth/matches/) learns a simulator from.

A t20 row holds running figures; an event says what happened on one delivery: who faced, who bowled, the runs
of each kind, the wicket and who was out, whether it used a ball. With them come each side's batting order and
each match's teams, target and result. Three sources:

- "cricsheet": an import keeps everything the files say (lib.data.cricsheet.match_events);
- "rows": derived from t20 rows with matchId and innings (`events_from_rows`), which tell each delivery's
  total and wicket, and in leakfree rows which deliveries were legal;
- "inferred": the same from rows without those columns: matches start where ballNum restarts, innings where
  isWinner flips.

-1 marks a number the source cannot tell; `notes` say in words what that is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.data.cricsheet.features import DeliveryFacts, MatchFacts, check_variant
from lib.data.row_facts import RowFacts, check_columns, recover
from lib.data.schema import BATTER, BOWLER, INNINGS, MATCH_ID, T20_BALLS

SOURCES = ("cricsheet", "rows", "inferred")
UNKNOWN = -1
"""A number the source cannot tell (nonStriker, batterRuns, extras by kind, playerOut), or no player out."""

OVER = "over"
BATTER_INDEX = "batter"
NON_STRIKER = "nonStriker"
BOWLER_INDEX = "bowler"
BATTER_RUNS = "batterRuns"
WIDES = "wides"
NOBALLS = "noballs"
BYES = "byes"
LEGBYES = "legbyes"
PENALTY = "penalty"
TOTAL = "total"
WICKET = "wicket"
PLAYER_OUT = "playerOut"
LEGAL = "legal"
EXTRAS_COLUMNS = [WIDES, NOBALLS, BYES, LEGBYES, PENALTY]
DELIVERY_COLUMNS = [MATCH_ID, INNINGS, OVER, BATTER_INDEX, NON_STRIKER, BOWLER_INDEX, BATTER_RUNS, *EXTRAS_COLUMNS,
                    TOTAL, WICKET, PLAYER_OUT, LEGAL]
"""One row per delivery: matchId (int64 when numeric, else str), innings (1, 2), over (0-based over of the innings),
batter, nonStriker (batter indices, the batsmanIdx space), bowler (bowler index, the bowlerIdx space), batterRuns
(runs off the bat), the runs of each kind of extra, total (runs including extras, always known), wicket (0/1, a
wicket that counts against the batting side: not retired hurt / not out), playerOut (batter index of the batter
out), all int64 (-1 unknown or none); legal (bool, False for a wide or a no-ball)."""

TEAM = "team"
POSITION = "position"
NAME = "name"
LINEUP_COLUMNS = [MATCH_ID, INNINGS, TEAM, POSITION, NAME, BATTER_INDEX, BOWLER_INDEX]
"""One row per player of each side's XI for the innings it batted: team ("" unknown), position (1-based batting
position: order of first appearance as striker or non-striker, then the rest of the XI as listed), name ("" unknown),
batter and bowler indices (0 when the player is not in that vocabulary)."""

DATE = "date"
BATTING_FIRST = "battingFirst"
BATTING_SECOND = "battingSecond"
TARGET = "target"
FIRST_BALLS = "firstBalls"
CHASE_BALLS = "chaseBalls"
FIRST_WON = "firstWon"
MATCH_COLUMNS = [MATCH_ID, DATE, BATTING_FIRST, BATTING_SECOND, TARGET, FIRST_BALLS, CHASE_BALLS, FIRST_WON]
"""One row per match: date (ISO, "" unknown), the two teams ("" unknown), target (int64, the chase target, 0 when
none is known), firstBalls and chaseBalls (int64 legal balls allowed per innings), firstWon (bool)."""

NOTE_NON_STRIKER = "non-strikers are unknown"
NOTE_RUN_KINDS = "runs off the bat and extras by kind are unknown: rows tell only each delivery's total"
NOTE_PLAYER_OUT = ("rows do not say who was out: the striker, unless the striker faces again in the innings; then "
                   "the batter at the other end (unknown when that batter had faced no ball)")
NOTE_NAMES = ("player names, teams and dates are unknown: lineups hold the batters who batted, in order of first "
              "appearance")
NOTE_YORKR_LEGAL = "yorkr rows do not mark wides: every delivery counts as a legal ball"
NOTE_YORKR_BALLS = f"yorkr rows do not say how many balls an innings was allowed: {T20_BALLS} taken"
NO_MATCHES = "no whole match could be rebuilt from the rows"
"""Start of the NoMatches message, after the name of the rows."""
NO_MATCHES_HELP = ("The matches engine learns from whole matches: load a Cricsheet zip, or a t20.csv with matchId "
                   "and innings columns, one row per delivery in order.")


class NoMatches(ValueError):
    """Rows from which no whole match could be rebuilt: "<name>: NO_MATCHES (why). NO_MATCHES_HELP"."""


@dataclass
class MatchEvents:
    """Whole matches as events (see the module docstring and the *_COLUMNS lists).

    Attributes:
        deliveries: one row per delivery, DELIVERY_COLUMNS, ordered by match (first appearance), innings, delivery.
        lineups: LINEUP_COLUMNS, ordered by match, innings, position.
        matches: MATCH_COLUMNS, one row per match, in the deliveries' order.
        source: one of SOURCES.
        notes: what this source cannot tell, in words for the analyst.
    """

    deliveries: pd.DataFrame
    lineups: pd.DataFrame
    matches: pd.DataFrame
    source: str
    notes: list[str] = field(default_factory=list)

    def for_matches(self, ids) -> MatchEvents:
        """The events of these matchIds only, in the stored order.

        Raises:
            ValueError: an id the events do not hold.
        """
        wanted = pd.Index(pd.unique(np.asarray(ids)))
        missing = wanted.difference(pd.Index(self.matches[MATCH_ID]))
        if len(missing):
            raise ValueError(
                f"The match events hold no match {missing.tolist()[0]!r} ({len(missing):,} of the {len(wanted):,} "
                "matchIds asked for are missing). Ask for matchIds of events.matches, or use events_for, which "
                "rebuilds events from the rows when the stored ones do not cover them."
            )

        def pick(table: pd.DataFrame) -> pd.DataFrame:
            return table[table[MATCH_ID].isin(wanted)].reset_index(drop=True)

        return MatchEvents(pick(self.deliveries), pick(self.lineups), pick(self.matches), self.source,
                           list(self.notes))


def events_for(frame: pd.DataFrame, stored: MatchEvents | None, features: str | None, *,
               name: str = "the rows") -> MatchEvents:
    """The events of a dataset's rows: the stored ones when they cover every match, else rebuilt from the rows.

    Args:
        frame: validated t20 rows (a dataset, or a split of it).
        stored: the events saved with the dataset (lib.data.workspace.load_events), or None.
        features: the dataset's feature variant, None when unknown.
        name: the rows' name in messages.

    Returns:
        `stored` restricted to the frame's matchIds, or `events_from_rows(frame, features)`.

    Raises:
        NoMatches: the stored events do not cover the rows and no match could be rebuilt from them.
    """
    if stored is not None and MATCH_ID in frame:
        wanted = pd.unique(frame[MATCH_ID].to_numpy())
        if pd.Index(wanted).isin(stored.matches[MATCH_ID]).all():
            return stored.for_matches(wanted)
    return events_from_rows(frame, features, name=name)


def events_from_rows(frame: pd.DataFrame, features: str | None, *, name: str = "the rows") -> MatchEvents:
    """Events derived from t20 rows (see lib.data.row_facts for how, and what rows cannot tell).

    Args:
        frame: validated t20 rows (lib.data.validation.validate), one row per delivery in order; with matchId and
            innings, or without (matches inferred from ballNum restarting, innings from isWinner flipping).
        features: the rows' feature variant, "leakfree" or "yorkr"; None picks the one whose ballsRemaining the
            rows follow (yorkr's counts down every delivery to 1).
        name: the rows' name in messages.

    Returns:
        MatchEvents of source "rows" ("inferred" when a column was inferred), leaving out matches that do not
        make exactly two innings or whose facts are impossible, with notes that say so and what rows cannot tell.

    Raises:
        ValueError: a t20 column is missing or `features` is not a variant.
        NoMatches: not one match could be rebuilt.
    """
    check_columns(frame, name)
    if features is not None:
        check_variant(features)
    if len(frame) == 0:
        raise NoMatches(f"{name}: {NO_MATCHES} (there are no rows). {NO_MATCHES_HELP}")
    facts, inferred = recover(frame, features)
    keep = facts.problem == ""
    if not keep.any():
        why = _left_out(facts.problem)
        if INNINGS in inferred:
            why += (f"; without an {INNINGS} column a new innings starts wherever isWinner flips, numWickets goes "
                    "down or ballsRemaining goes up")
        raise NoMatches(f"{name}: {NO_MATCHES} ({why}). {NO_MATCHES_HELP}")
    rows = keep[facts.match]
    order = facts.order[rows]
    batter = frame[BATTER].to_numpy()[order].astype(np.int64)
    wicket = facts.wicket[rows]
    unknown = np.full(len(order), UNKNOWN, dtype=np.int64)
    deliveries = pd.DataFrame({
        MATCH_ID: facts.ids[facts.match[rows]], INNINGS: facts.innings[rows], OVER: facts.over[rows],
        BATTER_INDEX: batter, NON_STRIKER: unknown, BOWLER_INDEX: frame[BOWLER].to_numpy()[order].astype(np.int64),
        BATTER_RUNS: unknown, **{kind: unknown for kind in EXTRAS_COLUMNS}, TOTAL: facts.total[rows],
        WICKET: wicket, PLAYER_OUT: dismissed(batter, _innings_numbers(facts.match[rows], facts.innings[rows]), wicket),
        LEGAL: facts.legal[rows],
    })
    matches = pd.DataFrame({
        MATCH_ID: facts.ids[keep], DATE: "", BATTING_FIRST: "", BATTING_SECOND: "", TARGET: facts.target[keep],
        FIRST_BALLS: facts.first_balls[keep], CHASE_BALLS: facts.chase_balls[keep], FIRST_WON: facts.first_won[keep],
    })
    source = SOURCES[2] if inferred else SOURCES[1]
    return MatchEvents(deliveries, _batting_order(deliveries), matches, source,
                       _row_notes(facts, inferred, features, keep))


def dismissed(batter: np.ndarray, innings: np.ndarray, wicket: np.ndarray) -> np.ndarray:
    """Who was out on each delivery, as far as rows tell: the striker, unless the striker faces again in the
    innings (a non-striker run out, which the matches engine plays too); then the batter at the other end, the
    most recent one to face before that delivery who is not yet out, or UNKNOWN when that batter had faced no
    ball. A striker who never faces again is taken to be the one out, so no batter is out twice.

    Args:
        batter: (N,) striker of each delivery, in delivery order within each innings.
        innings: (N,) 0-based innings of each delivery, counting every innings of every match (its deliveries
            contiguous).
        wicket: (N,) 0/1.

    Returns:
        (N,) int64 batter index of the batter out; UNKNOWN where no wicket fell or the batter out is unknown.
    """
    out = np.where(wicket == 1, batter, UNKNOWN).astype(np.int64)
    position = pd.Series(np.arange(len(batter)))
    last = position.groupby([innings, batter]).transform("max").to_numpy()
    first = position.groupby(innings).transform("min").to_numpy()
    # Rare (a share of wickets), so a loop over them in order: each reads who the earlier wickets took.
    for t in np.flatnonzero((wicket == 1) & (last > position.to_numpy())):
        before = slice(first[t], t)
        gone = set(out[before][wicket[before] == 1].tolist())
        at_crease = [b for b in dict.fromkeys(batter[before][::-1].tolist()) if b != batter[t] and b not in gone]
        out[t] = at_crease[0] if at_crease else UNKNOWN
    return out


def _innings_numbers(match: np.ndarray, innings: np.ndarray) -> np.ndarray:
    """0-based number of each delivery's innings among all innings of the (ordered) deliveries."""
    starts = np.r_[True, (match[1:] != match[:-1]) | (innings[1:] != innings[:-1])] if len(match) else []
    return np.cumsum(starts) - 1


def _batting_order(deliveries: pd.DataFrame) -> pd.DataFrame:
    """Lineups from rows: the batters of each innings in order of first appearance (players without a vocabulary
    index, 0, count as one)."""
    batted = deliveries.drop_duplicates([MATCH_ID, INNINGS, BATTER_INDEX])
    return pd.DataFrame({
        MATCH_ID: batted[MATCH_ID].to_numpy(), INNINGS: batted[INNINGS].to_numpy(), TEAM: "",
        POSITION: batted.groupby([MATCH_ID, INNINGS], sort=False).cumcount().to_numpy() + 1, NAME: "",
        BATTER_INDEX: batted[BATTER_INDEX].to_numpy(), BOWLER_INDEX: np.zeros(len(batted), dtype=np.int64),
    })


def _row_notes(facts: RowFacts, inferred: list[str], features: str | None, keep: np.ndarray) -> list[str]:
    notes = []
    if MATCH_ID in inferred:
        notes.append(f"there is no {MATCH_ID} column: matches were inferred from ballNum restarting")
    if INNINGS in inferred:
        notes.append(f"there is no {INNINGS} column: innings were inferred from isWinner flipping")
    if features is None:
        notes.append(f"the feature variant was not recorded: the rows were read as {facts.variant}, whose "
                     "ballsRemaining they follow")
    notes += [NOTE_NON_STRIKER, NOTE_RUN_KINDS, NOTE_PLAYER_OUT, NOTE_NAMES]
    if facts.variant == "yorkr":
        notes += [NOTE_YORKR_LEGAL, NOTE_YORKR_BALLS]
    else:
        short = int((facts.first_balls[keep] < T20_BALLS).sum() + (facts.chase_balls[keep] < T20_BALLS).sum())
        if short:
            notes.append(f"{short:,} innings were allowed fewer than {T20_BALLS} balls (ballsRemaining starts lower): "
                         "a wide or no-ball bowled first in them would be taken for a legal ball")
    if facts.two_wickets:
        notes.append(f"{facts.two_wickets:,} deliveries where numWickets rose by two or more count as one wicket")
    if not keep.all():
        notes.append(f"{_left_out(facts.problem)}: their rows are not in the events")
    return notes


def _left_out(problem: np.ndarray) -> str:
    """"3 of 40 matches left out: 2 not exactly two innings, 1 runs or wickets go down"."""
    texts, counts = np.unique(problem[problem != ""].astype(str), return_counts=True)
    reasons = ", ".join(f"{count:,} {text}" for text, count in zip(texts, counts))
    return f"{int(counts.sum()):,} of {len(problem):,} matches left out: {reasons}"


def delivery_facts(events: MatchEvents) -> tuple[DeliveryFacts, MatchFacts, np.ndarray]:
    """The events as lib.data.cricsheet.features inputs: `state_columns(facts, match_facts, features)` gives the
    eight state columns of the t20 rows of these matches.

    Returns:
        (DeliveryFacts of the N deliveries, MatchFacts of the M matches, (M,) matchIds in that order).

    Raises:
        ValueError: deliveries of a match not in events.matches, or not grouped in the matches' order.
    """
    ids = events.matches[MATCH_ID].to_numpy()
    deliveries = events.deliveries
    match = pd.Index(ids).get_indexer(deliveries[MATCH_ID])
    if (match < 0).any() or (np.diff(match) < 0).any():
        raise ValueError(
            "The match events' deliveries are not grouped by the matches of events.matches, in that order; build "
            "them with events_from_rows or an import, and restrict them with for_matches."
        )
    facts = DeliveryFacts(
        match=match.astype(np.int64), innings=deliveries[INNINGS].to_numpy(), total=deliveries[TOTAL].to_numpy(),
        wickets=deliveries[WICKET].to_numpy(), legal=deliveries[LEGAL].to_numpy(),
    )
    matches = events.matches
    totals = MatchFacts(
        first_balls=matches[FIRST_BALLS].to_numpy(), chase_balls=matches[CHASE_BALLS].to_numpy(),
        target=matches[TARGET].to_numpy(), first_won=matches[FIRST_WON].to_numpy(),
    )
    return facts, totals, ids
