"""Cricket validity of synthetic deliveries: the share of rows obeying the rules of lib.data.rules.

A project metric that no library has, declared like an sdmetrics metric: range [0, 1], higher is better.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sdmetrics.goal import Goal

from lib.data.rules import CricketRules


class CricketValidity:
    """Share of synthetic rows that obey every cricket rule, given the real data's players.

    Rules: 0 <= numWickets <= 10, ballsRemaining >= 0, ballNum >= 1, isWinner in {0, 1}, and batsmanIdx /
    bowlerIdx among the batters / bowlers of the real data.
    """

    name = "Cricket validity"
    goal = Goal.MAXIMIZE
    min_value = 0.0
    max_value = 1.0

    @classmethod
    def row_mask(cls, real_data: pd.DataFrame, synthetic_data: pd.DataFrame) -> np.ndarray:
        """Boolean (n synthetic rows,) array: True where the row obeys every rule."""
        return CricketRules.from_frame(real_data).mask(synthetic_data)

    @classmethod
    def compute(cls, real_data: pd.DataFrame, synthetic_data: pd.DataFrame) -> float:
        """Share of valid synthetic rows, 0..1 (1 = all valid); NaN with a warning when there are no rows."""
        if len(synthetic_data) == 0:
            warnings.warn("Cricket validity of an empty synthetic table is undefined; returning NaN.", stacklevel=2)
            return float("nan")
        return float(cls.row_mask(real_data, synthetic_data).mean())
