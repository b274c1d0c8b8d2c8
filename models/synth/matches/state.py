"""The match state before a delivery, as the ball model sees it: computed from recorded deliveries to train, and
from the simulator's running counts to play, through the one function `state_matrix`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.synth.matches.config import BALLS_PER_OVER, OVERS

INNINGS_BALLS = OVERS * BALLS_PER_OVER
POWERPLAY_BALLS, DEATH_BALLS = 6 * BALLS_PER_OVER, 15 * BALLS_PER_OVER
"""Legal balls bowled when the middle overs start (after over 6) and the death overs start (after over 15)."""
PHASES = ("powerplay", "middle", "death")
_RUNS_SCALE, _BALLS_SCALE = 200.0, 24.0
STATE_WIDTH = 16
CHASE_COLUMN, PHASE_COLUMNS = 0, [12, 13, 14]
"""Where state_matrix puts the chase flag and the one-hot phase (the ball model's calibration groups read them)."""


@dataclass
class State:
    """The state of N deliveries before each is bowled, (N,) arrays.

    Attributes:
        innings: 1 or 2.
        legal: legal balls already bowled in the innings, 0..119.
        wickets: wickets already down, 0..9.
        runs: runs already made in the innings.
        target: runs the chase needs in all (first-innings total + 1); 0 in the first innings.
        faced: legal balls the striker has already faced.
        position: the striker's batting position, 1..11.
        bowler_balls: legal balls the bowler has already bowled in the innings.
    """

    innings: np.ndarray
    legal: np.ndarray
    wickets: np.ndarray
    runs: np.ndarray
    target: np.ndarray
    faced: np.ndarray
    position: np.ndarray
    bowler_balls: np.ndarray


def phase_of(legal: np.ndarray) -> np.ndarray:
    """(N,) index into PHASES of a delivery bowled after `legal` legal balls."""
    return (legal >= POWERPLAY_BALLS).astype(np.int64) + (legal >= DEATH_BALLS)


def state_matrix(state: State) -> np.ndarray:
    """The ball model's (N, STATE_WIDTH) float32 inputs, each scaled to about 0..1."""
    chase = state.innings == 2
    balls_left = np.maximum(INNINGS_BALLS - state.legal, 1)
    needed = np.where(chase, state.target - state.runs, 0)
    phase = phase_of(state.legal)
    columns = [
        chase,
        state.legal / INNINGS_BALLS,
        (state.legal % BALLS_PER_OVER) / BALLS_PER_OVER,
        state.wickets / 10,
        state.runs / _RUNS_SCALE,
        state.runs / np.maximum(state.legal, 1) / 2,
        needed / _RUNS_SCALE,
        np.clip(needed / balls_left, 0, 6) / 3,
        state.target / _RUNS_SCALE,
        np.log1p(state.faced) / 4,
        state.position / 11,
        state.bowler_balls / _BALLS_SCALE,
        phase == 0,
        phase == 1,
        phase == 2,
        (10 - state.wickets) / balls_left * 6,
    ]
    return np.stack(columns, axis=1).astype(np.float32)




def training_state(deliveries: pd.DataFrame, matches: pd.DataFrame) -> State:
    """The state before each recorded delivery.

    Args:
        deliveries: lib.data.events deliveries, ordered by match, innings, delivery.
        matches: lib.data.events matches (target written in the file, 0 when none).

    Returns:
        The State of every delivery; the striker's position is the order in which batters first appeared
        in the innings (as striker, or as non-striker where that is known).
    """
    key = _innings_key(deliveries)
    total = deliveries["total"].to_numpy(np.int64)
    legal = deliveries["legal"].to_numpy(bool).astype(np.int64)
    wicket = (deliveries["wicket"].to_numpy(np.int64) > 0).astype(np.int64)
    innings = deliveries["innings"].to_numpy(np.int64)
    batter = deliveries["batter"].to_numpy(np.int64)
    bowler = deliveries["bowler"].to_numpy(np.int64)
    runs = _before(total, key)
    return State(
        innings=innings,
        legal=_before(legal, key),
        wickets=_before(wicket, key),
        runs=runs,
        target=np.where(innings == 2, _targets(deliveries, matches, runs + total, key), 0),
        faced=_before(legal, _pair_key(key, batter)),
        position=_positions(deliveries, key),
        bowler_balls=_before(legal, _pair_key(key, bowler)),
    )


def _innings_key(deliveries: pd.DataFrame) -> np.ndarray:
    _, match = np.unique(deliveries["matchId"].to_numpy(), return_inverse=True)
    return match.ravel().astype(np.int64) * 2 + deliveries["innings"].to_numpy(np.int64) - 1


def _pair_key(key: np.ndarray, player: np.ndarray) -> np.ndarray:
    return key * (int(player.max(initial=0)) + 2) + player + 1


def _before(values: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Sum of `values` over earlier rows of the same `key` (rows are in time order)."""
    order = np.argsort(key, kind="stable")
    sorted_values, sorted_key = values[order], key[order]
    total = np.cumsum(sorted_values)
    starts = np.ones(len(key), dtype=bool)
    starts[1:] = sorted_key[1:] != sorted_key[:-1]
    group = np.cumsum(starts) - 1
    offset = (total - sorted_values)[starts][group]
    out = np.empty_like(values)
    out[order] = total - sorted_values - offset
    return out


def _targets(deliveries: pd.DataFrame, matches: pd.DataFrame, runs_after: np.ndarray, key: np.ndarray) -> np.ndarray:
    """(N,) target of each delivery's match: the file's target, else the first innings' total + 1."""
    ids = deliveries["matchId"].to_numpy()
    first_total = pd.Series(runs_after[key % 2 == 0]).groupby(ids[key % 2 == 0]).max()
    target = first_total + 1
    written = matches.set_index("matchId")["target"]
    written = written[written > 0]
    target.loc[written.index.intersection(target.index)] = written
    return target.reindex(ids).fillna(0).to_numpy(np.int64)


def _positions(deliveries: pd.DataFrame, key: np.ndarray) -> np.ndarray:
    """(N,) batting position of each delivery's striker: order of first appearance in the innings."""
    striker = deliveries["batter"].to_numpy(np.int64)
    non_striker = deliveries["nonStriker"].to_numpy(np.int64)
    n = len(striker)
    # Appearances in time order: each delivery's striker, then its non-striker (when known).
    rows = np.concatenate([np.arange(n), np.arange(n)])
    slot = np.concatenate([np.zeros(n, np.int64), np.ones(n, np.int64)])
    players = np.concatenate([striker, non_striker])
    known = players >= 0
    rows, slot, players = rows[known], slot[known], players[known]
    keys = key[rows]
    order = np.lexsort((slot, rows))
    rows, keys, players = rows[order], keys[order], players[order]
    pair = pd.MultiIndex.from_arrays([keys, players])
    first = ~pair.duplicated()
    rank = pd.Series(first.astype(np.int64)).groupby(keys).cumsum().to_numpy()
    position = pd.Series(rank[first], index=pair[first])
    lookup = pd.MultiIndex.from_arrays([key, striker])
    return position.reindex(lookup).fillna(1).to_numpy(np.int64).clip(1, 11)
