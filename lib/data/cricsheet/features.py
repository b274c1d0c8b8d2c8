"""The match-state columns of t20.csv, computed vectorised from delivery-level facts of many matches.

Two variants of the same ten columns:

- ``leakfree`` uses only what is known when the delivery is bowled: the balls left under the overs limit
  and the target the chasing side was set (a D/L target when the file has one).
- ``yorkr`` reproduces the published t20.csv, whose count-down of balls remaining is the number of
  deliveries the innings went on to last, so each row carries a hint of the result.

Definitions (i: the delivery's 1-based position in its innings; R, W: the innings' runs and wickets so
far, both including this delivery):

- ``ballNum``: i in the first innings, n1 + i in the second (n1: deliveries in the first innings);
- ``runs``: R in the first innings, runs still required (target - R) in the second;
- ``runRate``: R / i in the first innings, runs / ballsRemaining in the second;
- ``numWickets``: W; ``perfIndex``: (R / i) * (11 - W); ``runsMomentum``: (11 - W) / ballsRemaining;
- ``isWinner``: 1 when the batting side won the match.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.data.schema import (
    BALL_NUM,
    BALLS_REMAINING,
    FEATURE_VARIANTS,
    MOMENTUM,
    PERF_INDEX,
    PLAYERS_PER_SIDE,
    RUN_RATE,
    RUNS,
    WICKETS,
    WINNER,
)

VARIANT_HELP = {
    "leakfree": (
        "Only what is known at each delivery: balls left under the overs limit and the (D/L) target set; "
        "the yorkr count-down instead knows how long the innings will last, which leaks the result."
    ),
    "yorkr": (
        "Exactly the published t20.csv: balls remaining counts down the deliveries the innings actually "
        "lasted and the target is the first-innings total + 1."
    ),
}



@dataclass(frozen=True)
class DeliveryFacts:
    """What happened on each delivery, N deliveries of M matches.

    Rows are ordered by match, innings (1 then 2), delivery; every match has both innings.

    Attributes:
        match: (N,) int, the match's 0-based position, 0..M-1, non-decreasing.
        innings: (N,) int, 1 or 2.
        total: (N,) int, runs off the delivery including extras and penalty runs.
        wickets: (N,) int, wickets that count against the batting side (retired hurt/not out excluded).
        legal: (N,) bool, False for a wide or a no-ball (it does not use up a ball of the over).
    """

    match: np.ndarray
    innings: np.ndarray
    total: np.ndarray
    wickets: np.ndarray
    legal: np.ndarray


@dataclass(frozen=True)
class MatchFacts:
    """What is known about each of M matches before a ball is bowled, and who won.

    Attributes:
        first_balls: (M,) int, legal balls allowed in the first innings (overs limit x balls per over).
        chase_balls: (M,) int, legal balls allowed in the chase (reduced when a D/L target says so).
        target: (M,) int, the chase target written in the file; 0 when the file has none.
        first_won: (M,) bool, True when the side batting first won.
    """

    first_balls: np.ndarray
    chase_balls: np.ndarray
    target: np.ndarray
    first_won: np.ndarray


def check_variant(features: str) -> str:
    """Return `features` when it names a variant, else raise ValueError listing the variants."""
    if features not in FEATURE_VARIANTS:
        raise ValueError(
            f"Unknown feature variant {features!r}; choose one of {', '.join(FEATURE_VARIANTS)} "
            f"(default {FEATURE_VARIANTS[0]})."
        )
    return features


def state_columns(deliveries: DeliveryFacts, matches: MatchFacts, features: str = "leakfree") -> dict:
    """The eight match-state columns of t20.csv (all but the player indices).

    Args:
        deliveries: per-delivery facts, N rows.
        matches: per-match facts, M rows, indexed by `deliveries.match`.
        features: "leakfree" or "yorkr" (see the module docstring).

    Returns:
        {column name: (N,) array}: ballNum, ballsRemaining, runs, numWickets, isWinner as int64;
        runRate, runsMomentum, perfIndex as float64.
    """
    check_variant(features)
    pos = _innings_positions(deliveries)
    chase = deliveries.innings == 2
    match = deliveries.match
    first_total = _per_match(pos.runs_end, pos.is_last & ~chase, match, len(matches.target))
    first_n = _per_match(pos.number, pos.is_last & ~chase, match, len(matches.target))

    if features == "yorkr":
        remaining = pos.number - pos.index + 1
        target = first_total + 1
        divisor = remaining
    else:
        limit = np.where(chase, matches.chase_balls[match], matches.first_balls[match])
        remaining = np.maximum(limit - pos.legal, 0)
        target = np.where(matches.target > 0, matches.target, first_total + 1)
        divisor = np.maximum(remaining, 1)

    runs = np.where(chase, target[match] - pos.runs, pos.runs)
    scoring = pos.runs / pos.index
    in_hand = PLAYERS_PER_SIDE - pos.wickets
    return {
        BALL_NUM: np.where(chase, first_n[match] + pos.index, pos.index).astype(np.int64),
        BALLS_REMAINING: remaining.astype(np.int64),
        RUNS: runs.astype(np.int64),
        RUN_RATE: np.where(chase, runs / divisor, scoring).astype(np.float64),
        WICKETS: pos.wickets.astype(np.int64),
        MOMENTUM: (in_hand / divisor).astype(np.float64),
        PERF_INDEX: (scoring * in_hand).astype(np.float64),
        WINNER: (matches.first_won[match] == ~chase).astype(np.int64),
    }


@dataclass(frozen=True)
class _Positions:
    """Running counts within each innings, (N,) each."""

    index: np.ndarray  # 1-based position of the delivery in its innings
    number: np.ndarray  # deliveries in the whole innings, repeated on each row (n1 or n2)
    runs: np.ndarray  # R, runs so far including this delivery
    wickets: np.ndarray  # W, wickets so far including this delivery
    legal: np.ndarray  # legal deliveries so far including this one
    runs_end: np.ndarray  # the innings total, repeated on each row
    is_last: np.ndarray  # True on the innings' last delivery


def _innings_positions(deliveries: DeliveryFacts) -> _Positions:
    key = deliveries.match.astype(np.int64) * 2 + deliveries.innings.astype(np.int64)
    n = len(key)
    starts = np.ones(n, dtype=bool)
    starts[1:] = key[1:] != key[:-1]
    first = np.flatnonzero(starts)
    group = np.cumsum(starts) - 1
    sizes = np.diff(np.append(first, n))
    runs = _running(deliveries.total, first, group)
    last = np.append(first[1:], n) - 1
    is_last = np.zeros(n, dtype=bool)
    is_last[last] = True
    return _Positions(
        index=np.arange(n) - first[group] + 1,
        number=sizes[group],
        runs=runs,
        wickets=_running(deliveries.wickets, first, group),
        legal=_running(deliveries.legal.astype(np.int64), first, group),
        runs_end=runs[last][group],
        is_last=is_last,
    )


def _running(values: np.ndarray, first: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Cumulative sum of `values` restarting at each innings' first row."""
    total = np.cumsum(values, dtype=np.int64)
    before = total[first] - values[first]
    return total - before[group]


def _per_match(values: np.ndarray, rows: np.ndarray, match: np.ndarray, matches: int) -> np.ndarray:
    """(M,) array holding `values` at the selected rows (one per match), 0 for a match without one."""
    out = np.zeros(matches, dtype=np.int64)
    out[match[rows]] = values[rows]
    return out
