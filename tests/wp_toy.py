"""Toy deliveries for the win-probability tests: small, seeded, and with a winner decided by the players alone.

Each match has two innings of `balls` deliveries. Each side fields `squad` batters and `squad` bowlers from small
pools; a side's strength is the sum of its players' hidden skills and the stronger side wins. The numeric columns
are noise (ballNum aside, which counts up through both innings as in t20.csv), so a model without players cannot
beat chance while one with player embeddings can.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.data.schema import (
    BALL_NUM,
    BALLS_REMAINING,
    BATTER,
    BOWLER,
    INNINGS,
    MATCH_ID,
    MODEL_COLUMNS,
    MOMENTUM,
    PERF_INDEX,
    RUN_RATE,
    RUNS,
    WICKETS,
    WINNER,
)

BATTERS, BOWLERS, SQUAD = 24, 18, 1


def toy_deliveries(
    matches: int = 200, balls: int = 12, seed: int = 0, match_ids: bool = True, squad: int = SQUAD
) -> pd.DataFrame:
    """`matches` x 2 innings x `balls` rows in the t20.csv schema (with matchId and innings when `match_ids`).

    The players' skills are the same for every seed; the seed draws squads, deliveries and noise.
    """
    skills = np.random.default_rng(0)
    batter_skill = skills.normal(size=BATTERS + 1)
    bowler_skill = skills.normal(size=BOWLERS + 1)
    rng = np.random.default_rng(seed)
    parts = []
    for match in range(matches):
        sides = [(rng.choice(np.arange(1, BATTERS + 1), squad, replace=False),
                  rng.choice(np.arange(1, BOWLERS + 1), squad, replace=False)) for _ in range(2)]
        strength = [batter_skill[bat].sum() + bowler_skill[bowl].sum() for bat, bowl in sides]
        first_wins = int(strength[0] > strength[1])
        for innings, (batting, bowling) in enumerate([(0, 1), (1, 0)], start=1):
            parts.append(pd.DataFrame({
                MATCH_ID: 1000 + match,
                INNINGS: innings,
                BATTER: rng.choice(sides[batting][0], balls),
                BOWLER: rng.choice(sides[bowling][1], balls),
                BALL_NUM: np.arange(1, balls + 1) + (innings - 1) * balls,
                WINNER: first_wins if innings == 1 else 1 - first_wins,
            }))
    frame = pd.concat(parts, ignore_index=True)
    for column in (BALLS_REMAINING, RUNS, WICKETS):
        frame[column] = rng.integers(0, 10, len(frame))
    for column in (RUN_RATE, MOMENTUM, PERF_INDEX):
        frame[column] = rng.random(len(frame)) * 10
    meta = [MATCH_ID, INNINGS] if match_ids else []
    return frame[meta + MODEL_COLUMNS]


def toy_synthetic(real: pd.DataFrame, rows: int = 1000, seed: int = 1) -> pd.DataFrame:
    """Synthetic-looking rows: `rows` rows of `real` drawn with replacement, ten t20.csv columns, no match ids,
    so every player index is one the real data has."""
    picked = np.random.default_rng(seed).integers(0, len(real), rows)
    return real[MODEL_COLUMNS].iloc[picked].reset_index(drop=True)
