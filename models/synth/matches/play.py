"""Playing many synthetic matches at once: one batched ball-model prediction per delivery step for every innings
still live, then the t20.csv rows from the project's own feature code.

An innings ends when the side is all out (10 wickets, or no batter left), when its 120 legal balls are bowled, or,
in the chase, the moment the target is reached. Strike changes on an odd number of runs run and at the end of each
over; a new batter takes the place (and the end) of the one dismissed. A tie (the chase ends one run short of the
target) is decided by a coin toss standing in for the super over, which is not simulated (Cricsheet keeps a tied
match with its super-over winner, and the importer labels it that way).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.data.cricsheet.features import DeliveryFacts, MatchFacts, state_columns
from lib.data.schema import BATTER, BOWLER, INNINGS, MATCH_ID, MAX_INNINGS_DELIVERIES, MODEL_COLUMNS
from models.synth.matches.ball_model import BallNetwork, PlayerIndex
from models.synth.matches.config import BALLS_PER_OVER
from models.synth.matches.outcomes import Outcomes
from models.synth.matches.sides import XI, Sides, batting_orders, bowling_plans, pair_sides
from models.synth.matches.state import INNINGS_BALLS, State, state_matrix

EXTRAS_STOP = MAX_INNINGS_DELIVERIES - 10
"""After this many deliveries an innings has only legal balls left to draw, so no innings outgrows the schema's
range of deliveries."""


@dataclass
class Players:
    """The ball model and what it needs to read players."""

    network: BallNetwork
    batters: PlayerIndex
    bowlers: PlayerIndex
    outcomes: Outcomes


@dataclass
class Innings:
    """The deliveries of a set of innings, concatenated in the order they were bowled (all (D,) arrays)."""

    game: np.ndarray
    step: np.ndarray
    batter: np.ndarray
    bowler: np.ndarray
    total: np.ndarray
    wicket: np.ndarray
    legal: np.ndarray
    runs: np.ndarray  # (games,) innings totals


def play_matches(players: Players, sides: Sides, matches: int, rng: np.random.Generator, features: str,
                 first_id: int) -> pd.DataFrame:
    """Play `matches` matches and return their rows.

    Args:
        players: the trained ball model.
        sides: the training matches' sides.
        matches: how many matches, >= 1.
        rng: draws the pairings, orders, plans and every delivery.
        features: the feature variant of the rows ("leakfree" or "yorkr").
        first_id: matchId of the first match; the others follow on.

    Returns:
        matchId, innings and the ten t20.csv columns, ordered by match, innings, delivery.
    """
    first, second = pair_sides(sides, matches, rng)
    one = _play(players, batting_orders(sides, first, rng), bowling_plans(sides, second, rng), None, rng)
    two = _play(players, batting_orders(sides, second, rng), bowling_plans(sides, first, rng), one.runs + 1, rng)
    first_won = (one.runs > two.runs) | ((one.runs == two.runs) & (rng.random(matches) < 0.5))
    return _rows(one, two, first_won, features, first_id)


def _play(players: Players, orders: np.ndarray, plans: np.ndarray, target: np.ndarray | None,
          rng: np.random.Generator) -> Innings:
    """Play one innings per row of `orders` (batting orders) against `plans` (bowler per over), all at once."""
    n = len(orders)
    outcomes, network = players.outcomes, players.network
    legal_class, ran_class = outcomes.legal, outcomes.ran
    runs, wickets, legal, deliveries = (np.zeros(n, np.int64) for _ in range(4))
    striker, non_striker, next_in = np.zeros(n, np.int64), np.ones(n, np.int64), np.full(n, 2)
    faced = np.zeros((n, XI), np.int64)
    prior = _prior_overs(plans)
    live = np.ones(n, dtype=bool)
    chase = target is not None
    record = []
    for step in range(INNINGS_BALLS + MAX_INNINGS_DELIVERIES):
        rows = np.flatnonzero(live)
        if len(rows) == 0:
            break
        over = legal[rows] // BALLS_PER_OVER
        batter = orders[rows, striker[rows]]
        bowler = plans[rows, over]
        state = State(innings=np.full(len(rows), 2 if chase else 1), legal=legal[rows], wickets=wickets[rows],
                      runs=runs[rows], target=target[rows] if chase else np.zeros(len(rows), np.int64),
                      faced=faced[rows, striker[rows]], position=striker[rows] + 1,
                      bowler_balls=prior[rows, over] * BALLS_PER_OVER + legal[rows] % BALLS_PER_OVER)
        p = network.probabilities(state_matrix(state), players.batters(batter), players.bowlers(bowler))
        p[deliveries[rows] >= EXTRAS_STOP] *= legal_class
        drawn = _draw(p, rng)
        record.append((rows, np.full(len(rows), step), batter, bowler, drawn))
        runs[rows] += outcomes.runs[drawn]
        is_legal = legal_class[drawn]
        legal[rows] += is_legal
        deliveries[rows] += 1
        faced[rows, striker[rows]] += is_legal
        _dismiss(rows[outcomes.wicket[drawn] == 1], striker, non_striker, next_in, wickets, outcomes, rng)
        swap = rows[(ran_class[drawn] % 2 == 1) ^ (is_legal & (legal[rows] % BALLS_PER_OVER == 0))]
        striker[swap], non_striker[swap] = non_striker[swap], striker[swap]
        live[rows] = (legal[rows] < INNINGS_BALLS) & (wickets[rows] < 10) & (next_in[rows] <= XI)
        if chase:
            live[rows] &= runs[rows] < target[rows]
    game, steps, batter, bowler, drawn = (np.concatenate(part) for part in zip(*record))
    return Innings(game, steps, batter, bowler, outcomes.runs[drawn], outcomes.wicket[drawn],
                   legal_class[drawn], runs)


def _prior_overs(plans: np.ndarray) -> np.ndarray:
    """(n, OVERS): how many earlier overs of the innings each over's bowler has bowled."""
    same = plans[:, :, None] == plans[:, None, :]
    return np.tril(same, k=-1).sum(axis=2)


def _draw(p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One class per row of `p` (rows need not sum to 1), by inverse CDF of one uniform draw each."""
    cumulative = np.cumsum(p, axis=1)
    u = rng.random(len(p)) * cumulative[:, -1]
    return np.minimum((cumulative < u[:, None]).sum(axis=1), p.shape[1] - 1)


def _dismiss(rows, striker, non_striker, next_in, wickets, outcomes: Outcomes, rng: np.random.Generator) -> None:
    """A wicket in each of `rows`: the striker (or, in a share of wickets, the non-striker) is replaced by the next
    batter; when none is left the innings ends (next_in passes the XI)."""
    if len(rows) == 0:
        return
    wickets[rows] += 1
    non = rng.random(len(rows)) < outcomes.non_striker_out
    new = next_in[rows]
    striker[rows[~non]] = new[~non]
    non_striker[rows[non]] = new[non]
    next_in[rows] += 1
    # Past the XI the slot is never read: the innings is over, but keep the index inside the order.
    np.minimum(striker, XI - 1, out=striker)
    np.minimum(non_striker, XI - 1, out=non_striker)


def _rows(one: Innings, two: Innings, first_won: np.ndarray, features: str, first_id: int) -> pd.DataFrame:
    """The rows of both innings of every match, through lib.data.cricsheet.features."""
    game = np.concatenate([one.game, two.game])
    innings = np.concatenate([np.ones(len(one.game), np.int64), np.full(len(two.game), 2)])
    order = np.lexsort((np.concatenate([one.step, two.step]), innings, game))
    pick = lambda name: np.concatenate([getattr(one, name), getattr(two, name)])[order]
    games = len(first_won)
    facts = DeliveryFacts(match=game[order], innings=innings[order], total=pick("total"), wickets=pick("wicket"),
                          legal=pick("legal").astype(bool))
    balls = np.full(games, INNINGS_BALLS, np.int64)
    state = state_columns(facts, MatchFacts(balls, balls, np.zeros(games, np.int64), first_won), features)
    frame = {MATCH_ID: first_id + game[order], INNINGS: innings[order], BATTER: pick("batter"),
             BOWLER: pick("bowler"), **state}
    return pd.DataFrame({column: frame[column] for column in [MATCH_ID, INNINGS, *MODEL_COLUMNS]})
