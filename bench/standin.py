"""A stand-in league in the t20.csv schema, for benchmarks until lib.simulate lands on main.

Not cricket-accurate: it has the published scale's shape (240 deliveries per match, thousands of batters and
bowlers with skewed appearance counts) and every column in a plausible range, which is what memory and speed
depend on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.schema import (BALL_NUM, BALLS_REMAINING, BATTER, BOWLER, MATCH_ID, MOMENTUM, PERF_INDEX, RUN_RATE, RUNS,
                        WICKETS, WINNER, validate)

BALLS = 120
_RUN_VALUES = np.array([0, 1, 2, 3, 4, 6])
_RUN_PROBS = np.array([0.36, 0.36, 0.08, 0.01, 0.13, 0.06])
_WICKET_PROB = 0.05


def standin_league(matches: int, batters: int, bowlers: int, seed: int = 0) -> pd.DataFrame:
    """`matches` matches of two full-length innings (shortened by all-outs and successful chases).

    Args:
        matches: number of matches, >= 2.
        batters, bowlers: size of each player pool; indices 1..size, drawn with skewed (Zipf-like) weights.
        seed: makes the league repeatable.

    Returns:
        A validated frame: matchId then the ten t20.csv columns with the README's meanings, about 230 rows
        per match.
    """
    rng = np.random.default_rng(seed)
    innings = 2 * matches
    ball = np.broadcast_to(np.arange(1, BALLS + 1), (innings, BALLS))
    runs = rng.choice(_RUN_VALUES, size=(innings, BALLS), p=_RUN_PROBS)
    out = rng.random((innings, BALLS)) < _WICKET_PROB
    wickets, total = np.cumsum(out, axis=1), np.cumsum(runs, axis=1)
    bowled = wickets - out < 10  # a ball is bowled while fewer than ten wickets are down
    first_total = np.where(bowled[0::2], total[0::2], 0).max(axis=1)
    target = np.repeat(first_total + 1, 2)[:, None]
    chase = (np.arange(innings) % 2 == 1)[:, None]
    bowled &= ~chase | (total - runs < target)  # a chase stops once the target is reached
    chased = np.where(bowled[1::2], total[1::2], 0).max(axis=1) >= first_total + 1
    won = np.stack([~chased, chased], axis=1).reshape(-1)[:, None] & np.ones((1, BALLS), dtype=bool)
    first_length = np.repeat(bowled[0::2].sum(axis=1), 2)[:, None]
    remaining = BALLS - ball
    score = np.where(chase, target - total, total)
    rate = np.where(chase, score / np.maximum(remaining, 1), total / ball)
    in_hand = 10 - wickets
    rows = np.arange(innings)[:, None]
    at_crease = np.minimum(wickets - out + (rng.random((innings, BALLS)) < 0.5), 10)  # either of the two batters
    columns = {
        MATCH_ID: np.broadcast_to(np.repeat(np.arange(matches), 2)[:, None], (innings, BALLS)),
        BATTER: _lineups(rng, innings, batters, 11)[rows, at_crease],
        BOWLER: _lineups(rng, innings, bowlers, 5)[rows, (np.arange(BALLS) // 6) % 5],
        BALL_NUM: ball + np.where(chase, first_length, 0),
        BALLS_REMAINING: remaining,
        RUNS: score,
        RUN_RATE: rate,
        WICKETS: wickets,
        MOMENTUM: in_hand / np.maximum(remaining, 1),
        PERF_INDEX: rate * in_hand,
        WINNER: won.astype(np.int64),
    }
    keep = bowled.reshape(-1)
    return validate(pd.DataFrame({k: np.asarray(v).reshape(-1)[keep] for k, v in columns.items()}), "stand-in league")


def _lineups(rng: np.random.Generator, innings: int, pool: int, size: int) -> np.ndarray:
    """(innings, size) distinct player indices per innings, in 1..pool, favouring low indices."""
    weights = 1.0 / np.arange(1, pool + 1) ** 0.7
    keys = rng.random((innings, pool)) ** (1.0 / weights)  # weighted sampling without replacement
    return np.argsort(-keys, axis=1)[:, :size] + 1
