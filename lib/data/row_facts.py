"""Delivery facts recovered from t20 rows: each delivery's runs, wicket and legality, from consecutive rows.

The rows of an innings hold running figures (lib.data.cricsheet.features): with i the row's 1-based position in
its innings, runs so far R = perfIndex * i / (11 - numWickets) in both feature variants, so a delivery's total is
R_i - R_(i-1) and its wickets numWickets_i - numWickets_(i-1). Whether it was legal shows only in leakfree rows,
whose ballsRemaining drops by one on a legal ball and stays on a wide or a no-ball; yorkr's ballsRemaining counts
down every delivery, so a wide cannot be told from a legal ball. A match whose rows could not have come from a
real match (not exactly two innings, rows missing or out of order, runs or wickets going down) is marked with why.
lib.data.events turns these arrays into MatchEvents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.data.schema import (
    BALL_NUM,
    BALLS_REMAINING,
    FEATURE_VARIANTS,
    INNINGS,
    MATCH_ID,
    MODEL_COLUMNS,
    PERF_INDEX,
    PLAYERS_PER_SIDE,
    RUNS,
    T20_BALLS,
    WICKETS,
    WINNER,
)
from lib.data.validation import match_ids

BALLS_PER_OVER = 6
"""Rows do not say how many balls an over has; a T20's six are taken to count overs."""

PROBLEMS = {
    "innings": "not exactly two innings",
    "order": f"{BALL_NUM} does not count each delivery once, in order",
    "down": "runs or wickets go down from one delivery to the next",
    "winner": f"{WINNER} changes within an innings or is the same for both",
    "countdown": f"{BALLS_REMAINING} does not count down as {{variant}} rows do",
}
"""Why a match cannot be rebuilt, checked in this order; the first that applies is the match's reason."""


@dataclass(frozen=True)
class RowFacts:
    """What t20 rows tell of N deliveries of M matches, rows ordered by match, innings, delivery.

    Attributes:
        order: (N,) positions of the frame's rows in that order.
        match: (N,) 0-based match, 0..M-1, matches in order of first appearance.
        innings: (N,) int 1, 2 (3 and more only in a match marked "not exactly two innings").
        total: (N,) runs of the delivery, extras included.
        wicket: (N,) 0/1, 1 when at least one wicket fell (`two_wickets` counts the deliveries where two did).
        legal: (N,) bool; always True for yorkr rows.
        over: (N,) 0-based over: legal balls before this delivery // 6.
        ids: (M,) the match ids (matchId values, or 0.. when inferred).
        first_balls, chase_balls: (M,) legal balls allowed per innings: ballsRemaining of the first row plus that
            row's ball in leakfree (a shortened innings shows), 120 in yorkr.
        target: (M,) the target the chase rows count down from (runs = target - R), 0 when they disagree.
        first_won: (M,) bool, isWinner of the first innings.
        problem: (M,) "" for a match that can be rebuilt, else why not (one of PROBLEMS' texts).
        variant: the feature variant the rows were read as.
        two_wickets: deliveries on which numWickets went up by two or more.
    """

    order: np.ndarray
    match: np.ndarray
    innings: np.ndarray
    total: np.ndarray
    wicket: np.ndarray
    legal: np.ndarray
    over: np.ndarray
    ids: np.ndarray
    first_balls: np.ndarray
    chase_balls: np.ndarray
    target: np.ndarray
    first_won: np.ndarray
    problem: np.ndarray
    variant: str
    two_wickets: int


def recover(frame: pd.DataFrame, features: str | None) -> tuple[RowFacts, list[str]]:
    """Delivery facts of every match in `frame`.

    Args:
        frame: validated t20 rows (lib.data.validation.validate), N rows; `matchId` and `innings` are used when
            present, else inferred (see `innings_of`).
        features: "leakfree" or "yorkr"; None picks the variant whose ballsRemaining the rows follow.

    Returns:
        (facts, inferred): inferred lists the columns that were missing and inferred ([] when none).
    """
    ids, match_inferred = match_ids(frame)
    codes, uniques = pd.factorize(ids, sort=False)
    innings = innings_of(frame, codes)
    order = np.lexsort((innings, codes))
    m, inn = codes[order].astype(np.int64), innings[order]
    col = {c: frame[c].to_numpy()[order] for c in (BALL_NUM, BALLS_REMAINING, RUNS, WICKETS, PERF_INDEX, WINNER)}
    starts = np.ones(len(m), dtype=bool)
    starts[1:] = (m[1:] != m[:-1]) | (inn[1:] != inn[:-1])
    first = np.flatnonzero(starts)
    group = np.cumsum(starts) - 1
    index = np.arange(len(m)) - first[group] + 1
    wickets = col[WICKETS].astype(np.int64)
    made = np.rint(col[PERF_INDEX] * index / (PLAYERS_PER_SIDE - wickets)).astype(np.int64)
    total, fell = _steps(made, starts), _steps(wickets, starts)
    variant = features or _guess_variant(col[BALLS_REMAINING], starts, first)
    legal, balls = _legal(col[BALLS_REMAINING], starts, variant)
    played = np.cumsum(legal) - legal
    over = (played - played[first][group]) // BALLS_PER_OVER
    matches = len(uniques)
    opening, chase_first = first[inn[first] == 1], first[inn[first] == 2]
    facts = RowFacts(
        order=order, match=m, innings=inn, total=total, wicket=np.minimum(fell, 1), legal=legal, over=over,
        ids=np.asarray(uniques), first_balls=_per_match(balls, opening, m, matches, T20_BALLS),
        chase_balls=_per_match(balls, chase_first, m, matches, T20_BALLS),
        target=_target(col[RUNS] + made, inn == 2, chase_first, m, matches),
        first_won=_per_match(col[WINNER], opening, m, matches, 0) == 1,
        problem=_problems(m, inn, starts, index, col, total, fell, variant, matches), variant=variant,
        two_wickets=int((fell > 1).sum()),
    )
    inferred = ([MATCH_ID] if match_inferred else []) + ([INNINGS] if INNINGS not in frame else [])
    return facts, inferred


def innings_of(frame: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    """(N,) innings of each row: the `innings` column, or counted within each match (`codes`) where a new innings
    begins: isWinner flips (a t20.csv's first-innings rows carry the first side's result, the chase the other's),
    numWickets goes down or ballsRemaining goes up."""
    if INNINGS in frame:
        return frame[INNINGS].to_numpy().astype(np.int64)
    order = np.argsort(codes, kind="stable")
    m = codes[order]
    winner, wickets, remaining = (frame[c].to_numpy()[order] for c in (WINNER, WICKETS, BALLS_REMAINING))
    new_match = np.ones(len(m), dtype=bool)
    new_match[1:] = m[1:] != m[:-1]
    turn = np.zeros(len(m), dtype=bool)
    turn[1:] = (winner[1:] != winner[:-1]) | (wickets[1:] < wickets[:-1]) | (remaining[1:] > remaining[:-1])
    turn &= ~new_match
    turns = np.cumsum(turn)
    innings = np.empty(len(m), dtype=np.int64)
    innings[order] = turns - turns[np.flatnonzero(new_match)][np.cumsum(new_match) - 1] + 1
    return innings


def _steps(running: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per-delivery change of a running count that starts from 0 at each innings' first row."""
    before = np.empty_like(running)
    before[0] = 0
    before[1:] = running[:-1]
    before[starts] = 0
    return running - before


def _guess_variant(remaining: np.ndarray, starts: np.ndarray, first: np.ndarray) -> str:
    """yorkr when most innings count down one a row to 1 on their last row, else leakfree."""
    step = _steps(remaining, starts)
    last = np.append(first[1:], len(remaining)) - 1
    group = np.cumsum(starts) - 1
    off = np.bincount(group, weights=(step != -1) & ~starts, minlength=len(first)) > 0
    yorkr = ~off & (remaining[last] == 1)
    return "yorkr" if yorkr.mean() > 0.5 else FEATURE_VARIANTS[0]


def _legal(remaining: np.ndarray, starts: np.ndarray, variant: str) -> tuple[np.ndarray, np.ndarray]:
    """(legal (N,), balls (N,)): whether each delivery used a ball, and on each innings' first row the balls the
    innings was allowed (ballsRemaining plus that row's ball in leakfree; 120 in yorkr, which does not say)."""
    if variant == "yorkr":
        return np.ones(len(remaining), dtype=bool), np.full(len(remaining), T20_BALLS, dtype=np.int64)
    legal = _steps(remaining, starts) == -1
    # An innings' first row used a ball unless ballsRemaining is still the full T20 count; a shortened innings (a
    # D/L chase) starts lower, so a wide bowled first there is taken for a legal ball.
    legal[starts] = remaining[starts] < T20_BALLS
    return legal, remaining + legal


def _per_match(values: np.ndarray, rows: np.ndarray, m: np.ndarray, matches: int, missing: int) -> np.ndarray:
    out = np.full(matches, missing, dtype=np.int64)
    out[m[rows]] = values[rows]
    return out


def _target(counted_from: np.ndarray, chase: np.ndarray, chase_first: np.ndarray, m: np.ndarray,
            matches: int) -> np.ndarray:
    """(M,) the chase rows' runs + R when it is the same on every chase row, else 0."""
    target = _per_match(counted_from, chase_first, m, matches, 0)
    differs = np.bincount(m[chase], weights=counted_from[chase] != target[m[chase]], minlength=matches) > 0
    return np.where(differs, 0, np.maximum(target, 0))


def _problems(m, inn, starts, index, col, total, fell, variant: str, matches: int) -> np.ndarray:
    """(M,) why each match cannot be rebuilt, "" when it can (see PROBLEMS); arguments are (N,) ordered rows."""
    firsts = np.flatnonzero(starts)
    ends = np.append(firsts[1:], len(m)) - 1
    first_size = _per_match(index, ends[inn[ends] == 1], m, matches, 0)
    winner, remaining = col[WINNER], col[BALLS_REMAINING]
    first_winner = _per_match(winner, firsts[inn[firsts] == 1], m, matches, -1)
    step = _steps(remaining, starts)
    countdown = ((step != -1) if variant == "yorkr" else (step != 0) & (step != -1)) & ~starts
    if variant == "yorkr":
        countdown[ends] |= remaining[ends] != 1  # the count-down includes the innings' last delivery
    rows = {
        "order": col[BALL_NUM] != np.where(inn == 1, index, first_size[m] + index),
        "down": (total < 0) | (fell < 0),
        "winner": (winner != winner[firsts][np.cumsum(starts) - 1]) | ((inn == 2) & (winner == first_winner[m])),
        "countdown": countdown,
    }
    highest = np.zeros(matches, dtype=np.int64)
    np.maximum.at(highest, m, inn)
    bad = {"innings": (np.bincount(m[starts], minlength=matches) != 2) | (highest != 2)}
    bad |= {key: np.bincount(m, weights=flags, minlength=matches) > 0 for key, flags in rows.items()}
    problem = np.full(matches, "", dtype=object)
    for key in reversed(PROBLEMS):
        problem[bad[key]] = PROBLEMS[key].format(variant=variant)
    return problem


def check_columns(frame: pd.DataFrame, name: str) -> None:
    """Refuse a frame that is not validated t20 rows, saying how to get one."""
    missing = [c for c in MODEL_COLUMNS if c not in frame]
    if missing:
        raise ValueError(
            f"{name} has no column(s) {', '.join(missing)}; match events are rebuilt from t20 rows with the ten "
            "t20.csv columns. Read the file with lib.data.tables.load_t20 first."
        )
