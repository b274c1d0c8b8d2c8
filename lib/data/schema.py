"""The t20.csv schema: column names, the ranges their values may take, and the error a table that breaks them
raises. Reading files is lib.data.tables; checking a frame against this schema is lib.data.validation.

One row per delivery. Column names stay exactly as users of the published t20.csv know them;
every other module refers to them through the constants below. This module imports nothing else of the project,
so every module can import it without a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

BATTER = "batsmanIdx"
BOWLER = "bowlerIdx"
BALL_NUM = "ballNum"
BALLS_REMAINING = "ballsRemaining"
RUNS = "runs"
RUN_RATE = "runRate"
WICKETS = "numWickets"
MOMENTUM = "runsMomentum"
PERF_INDEX = "perfIndex"
WINNER = "isWinner"

MATCH_ID = "matchId"
INNINGS = "innings"

MODEL_COLUMNS = [BATTER, BOWLER, BALL_NUM, BALLS_REMAINING, RUNS, RUN_RATE, WICKETS, MOMENTUM, PERF_INDEX, WINNER]
"""The ten t20.csv columns, in file order."""
PLAYER_COLUMNS = [BATTER, BOWLER]
NUMERIC_COLUMNS = [BALL_NUM, BALLS_REMAINING, RUNS, RUN_RATE, WICKETS, MOMENTUM, PERF_INDEX]
"""The seven match-state inputs of the win-probability model."""
DISCRETE_COLUMNS = [BATTER, BOWLER, WINNER]
INTEGER_COLUMNS = [BATTER, BOWLER, BALL_NUM, BALLS_REMAINING, RUNS, WICKETS, WINNER]
META_COLUMNS = [MATCH_ID, INNINGS]
"""Optional columns kept when present: which match and which innings a delivery belongs to."""

UNKNOWN_PLAYER = 0
"""Player index reserved for a player the vocabulary does not know."""
MAX_PLAYER_INDEX = 100_000
"""Highest player index accepted: models size an embedding row per index up to the highest one seen, so one stray
huge index would cost gigabytes; every T20 player Cricsheet knows fits many times over."""

FEATURE_VARIANTS = ("leakfree", "yorkr")
"""Ways to compute the match-state columns (lib.data.cricsheet.features); the first is the default."""

T20_BALLS = 120
"""Legal balls an innings may last: 20 overs of 6 (or, with balls_per_over, 100 balls of The Hundred)."""
MAX_INNINGS_DELIVERIES = 180
"""Deliveries in one innings counting wides and no-balls: the legal balls plus a wide margin for extras."""
MAX_INNINGS_RUNS = 500
"""Runs of one innings, and so of a target; the highest T20 total is well below."""
MIN_RUNS_NEEDED = -100
"""Lowest `runs` of a chase: runs still needed go negative once the target is passed, further under a D/L
target revised below runs already made."""
MAX_DELIVERY_RUNS = 40
"""Runs off one delivery, penalty runs and overthrows included, with room to spare; bounds the scoring rate."""
PLAYERS_PER_SIDE = 11
"""Players in a side; wickets in hand are PLAYERS_PER_SIDE - numWickets (runsMomentum, perfIndex)."""

_COMMON_RANGES = {
    BATTER: (UNKNOWN_PLAYER, MAX_PLAYER_INDEX),
    BOWLER: (UNKNOWN_PLAYER, MAX_PLAYER_INDEX),
    BALL_NUM: (1, 2 * MAX_INNINGS_DELIVERIES),
    RUNS: (MIN_RUNS_NEEDED, MAX_INNINGS_RUNS),
    RUN_RATE: (MIN_RUNS_NEEDED, MAX_INNINGS_RUNS),
    WICKETS: (0, PLAYERS_PER_SIDE - 1),
    MOMENTUM: (0, PLAYERS_PER_SIDE),
    PERF_INDEX: (0, PLAYERS_PER_SIDE * MAX_DELIVERY_RUNS),
    WINNER: (0, 1),
}
RANGES = {
    "leakfree": {**_COMMON_RANGES, BALLS_REMAINING: (0, T20_BALLS)},
    "yorkr": {**_COMMON_RANGES, BALLS_REMAINING: (1, MAX_INNINGS_DELIVERIES)},
}
"""Feature variant -> column -> (lowest, highest) value allowed, both included. Why: ballNum counts both innings'
deliveries; ballsRemaining counts legal balls left (leakfree) or deliveries the innings went on to last (yorkr);
runs and runRate of a chase are runs still needed (and per ball left), negative once the target is passed;
runsMomentum is wickets in hand per ball left; perfIndex is runs per delivery times wickets in hand."""
RANGES[None] = {
    column: (min(RANGES[v][column][0] for v in FEATURE_VARIANTS), max(RANGES[v][column][1] for v in FEATURE_VARIANTS))
    for column in MODEL_COLUMNS
}
"""A table of unknown variant (a user's own t20.csv) gets the union of the variants' ranges."""
FIRST_INNINGS_RANGES = {RUNS: (0, MAX_INNINGS_RUNS), RUN_RATE: (0, MAX_DELIVERY_RUNS)}
"""Tighter ranges where the `innings` column says a row is of the first innings: runs made so far and runs per
delivery cannot be negative."""


class SchemaError(ValueError):
    """A table that is not a valid t20.csv; the message says what, where and how to fix it."""


def t20_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the t20.csv columns of a frame: `matchId` and `innings` when present, then the ten model columns."""
    return frame[[c for c in META_COLUMNS if c in frame] + MODEL_COLUMNS]
