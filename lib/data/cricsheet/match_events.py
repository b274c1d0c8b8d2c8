"""The match events of a Cricsheet import (lib.data.events.MatchEvents), built from the parsed MatchColumns.

Names become indices through the import's vocabulary: the batter, the non-striker and the batter out through its
batters, the bowler through its bowlers. A non-striker or batter out who never faced a ball is not among the
batters, so gets index 0, the unknown player, like any player a given vocabulary does not know.
"""

from __future__ import annotations

import operator
from itertools import chain

import numpy as np
import pandas as pd

from lib.data.cricsheet.match import EXTRAS, MatchColumns
from lib.data.events import (
    BATTER_INDEX,
    BATTER_RUNS,
    BATTING_FIRST,
    BATTING_SECOND,
    BOWLER_INDEX,
    CHASE_BALLS,
    DATE,
    DELIVERY_COLUMNS,
    EXTRAS_COLUMNS,
    FIRST_BALLS,
    FIRST_WON,
    LEGAL,
    MATCH_COLUMNS,
    NAME,
    NON_STRIKER,
    OVER,
    PLAYER_OUT,
    POSITION,
    SOURCES,
    TARGET,
    TEAM,
    TOTAL,
    UNKNOWN,
    WICKET,
    MatchEvents,
)
from lib.data.schema import BATTER, BOWLER, INNINGS, MATCH_ID, UNKNOWN_PLAYER
from lib.data.vocabulary import Vocabulary


def import_events(columns: MatchColumns, rows: pd.DataFrame, ids: np.ndarray, vocabulary: Vocabulary) -> MatchEvents:
    """The events of every match in `columns`.

    Args:
        columns: the parsed matches, M matches and N deliveries.
        rows: the import's N rows built from `columns` (matchId, innings, over, batsmanIdx, bowlerIdx are read).
        ids: (M,) the matches' ids, as in rows' matchId.
        vocabulary: the import's vocabulary.

    Returns:
        MatchEvents of source "cricsheet"; notes count what some files did not say.
    """
    non_striker = _batter_indices(columns.non_striker, vocabulary)
    player_out = _batter_indices(columns.player_out, vocabulary)
    wickets = np.asarray(columns.wickets, dtype=np.int64)
    deliveries = {
        MATCH_ID: rows[MATCH_ID].to_numpy(), INNINGS: rows[INNINGS].to_numpy(), OVER: rows[OVER].to_numpy(),
        BATTER_INDEX: rows[BATTER].to_numpy(), NON_STRIKER: non_striker, BOWLER_INDEX: rows[BOWLER].to_numpy(),
        BATTER_RUNS: np.asarray(columns.batter_runs, dtype=np.int64), **_extras(columns),
        TOTAL: columns.total, WICKET: (wickets > 0).astype(np.int64),
        PLAYER_OUT: player_out, LEGAL: np.asarray(columns.legal, dtype=bool),
    }
    deliveries = pd.DataFrame({column: _int64(deliveries[column]) for column in DELIVERY_COLUMNS})
    teams = np.asarray(columns.teams, dtype=object)
    matches = {
        MATCH_ID: ids, DATE: np.asarray(columns.date, dtype=object), BATTING_FIRST: teams[0::2],
        BATTING_SECOND: teams[1::2], TARGET: columns.target, FIRST_BALLS: columns.first_balls,
        CHASE_BALLS: columns.chase_balls, FIRST_WON: np.asarray(columns.first_won, dtype=bool),
    }
    matches = pd.DataFrame({column: _int64(matches[column]) for column in MATCH_COLUMNS})
    notes = _notes(columns, non_striker, player_out, wickets)
    return MatchEvents(deliveries, _lineups(columns, ids, vocabulary), matches, SOURCES[0], notes)


def _extras(columns: MatchColumns) -> dict[str, np.ndarray]:
    """Runs of each kind of extra, (N,) each, 0 on the deliveries the sparse `columns.extras` does not name."""
    runs = np.zeros((len(columns.total), len(EXTRAS)), dtype=np.int64)
    if columns.extras:
        positions, kinds = zip(*columns.extras)
        runs[list(positions)] = kinds
    return dict(zip(EXTRAS_COLUMNS, runs.T))  # the columns are named and ordered as Cricsheet's keys


def _int64(values) -> np.ndarray:
    """Lists of whole numbers as int64 arrays; arrays as they are."""
    return np.asarray(values, dtype=np.int64) if isinstance(values, list) else values


def _batter_indices(names: list[str], vocabulary: Vocabulary) -> np.ndarray:
    """(N,) batter index of each name; -1 for "" (no name in the file, or no batter out)."""
    indices = vocabulary.batter_indices(names)
    indices[np.fromiter(map(operator.not_, names), bool, len(names))] = UNKNOWN
    return indices


def _lineups(columns: MatchColumns, ids: np.ndarray, vocabulary: Vocabulary) -> pd.DataFrame:
    """Per innings the batting side: those who batted in order of first appearance as striker or non-striker,
    then the rest of the XI in the order info.players lists them."""
    innings, names = [], []
    start = 0
    for number, size in enumerate(columns.innings_sizes):
        stop = start + size
        order = dict.fromkeys(chain.from_iterable(zip(columns.batter[start:stop], columns.non_striker[start:stop])))
        order.pop("", None)
        order.update(dict.fromkeys(columns.players[number]))  # names already there keep their place
        innings.append(len(order))
        names += order
        start = stop
    sizes = np.asarray(innings, dtype=np.int64)
    which = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.cumsum(sizes) - sizes
    return pd.DataFrame({
        MATCH_ID: ids[which // 2], INNINGS: which % 2 + 1, TEAM: np.asarray(columns.teams, dtype=object)[which],
        POSITION: np.arange(len(which), dtype=np.int64) - starts[which] + 1, NAME: np.asarray(names, dtype=object),
        BATTER_INDEX: vocabulary.batter_indices(names), BOWLER_INDEX: vocabulary.bowler_indices(names),
    })


def _notes(columns: MatchColumns, non_striker: np.ndarray, player_out: np.ndarray, wickets: np.ndarray) -> list[str]:
    """What some files did not say, counted; [] when every file said everything."""
    counts = {
        "deliveries name no non-striker: nonStriker is -1 there": int((non_striker == UNKNOWN).sum()),
        "deliveries have no runs.batter: batterRuns is -1 there": columns.batter_runs.count(UNKNOWN),
        "non-strikers or batters out are not batters of the vocabulary (they never faced a ball here): index 0": int(
            (non_striker == UNKNOWN_PLAYER).sum() + (player_out == UNKNOWN_PLAYER).sum()),
        "deliveries on which two batters were out count one wicket (playerOut is the first)": int((wickets > 1).sum()),
        "innings' files list no players: their lineups hold only those who batted": sum(
            1 for names in columns.players if not names),
    }
    return [f"{count:,} {text}" for text, count in counts.items() if count]
