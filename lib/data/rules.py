"""The cricket rules every real t20.csv row obeys, given the players of the real data.

The synthesizer redraws rows that break them; lib.quality.validity reports the share of rows that obey them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.data.schema import BALL_NUM, BALLS_REMAINING, BATTER, BOWLER, WICKETS, WINNER

MAX_WICKETS = 10


@dataclass
class CricketRules:
    """The rules, given the players the real data knows.

    Attributes:
        batters: sorted int64 batter indices of the real data.
        bowlers: sorted int64 bowler indices of the real data.
    """

    batters: np.ndarray
    bowlers: np.ndarray

    @classmethod
    def from_frame(cls, real: pd.DataFrame) -> CricketRules:
        """Rules whose player vocabulary is the players appearing in `real`."""
        return cls(np.unique(real[BATTER].to_numpy(np.int64)), np.unique(real[BOWLER].to_numpy(np.int64)))

    def checks(self, synthetic: pd.DataFrame) -> dict[str, np.ndarray]:
        """Per rule, a boolean (n,) array: True where the row obeys it."""
        wickets = synthetic[WICKETS].to_numpy()
        return {
            f"0 <= {WICKETS} <= {MAX_WICKETS}": (wickets >= 0) & (wickets <= MAX_WICKETS),
            f"{BALLS_REMAINING} >= 0": synthetic[BALLS_REMAINING].to_numpy() >= 0,
            f"{BALL_NUM} >= 1": synthetic[BALL_NUM].to_numpy() >= 1,
            f"{WINNER} is 0 or 1": np.isin(synthetic[WINNER].to_numpy(), (0, 1)),
            f"{BATTER} is a known batter": np.isin(synthetic[BATTER].to_numpy(), self.batters),
            f"{BOWLER} is a known bowler": np.isin(synthetic[BOWLER].to_numpy(), self.bowlers),
        }

    def mask(self, synthetic: pd.DataFrame) -> np.ndarray:
        """Boolean (n,) array: True where the row obeys every rule."""
        valid = np.ones(len(synthetic), dtype=bool)
        for obeyed in self.checks(synthetic).values():
            valid &= obeyed
        return valid

    def to_json(self) -> dict:
        return {"batters": self.batters.tolist(), "bowlers": self.bowlers.tolist()}

    @classmethod
    def from_json(cls, data: dict) -> CricketRules:
        return cls(np.asarray(data["batters"], dtype=np.int64), np.asarray(data["bowlers"], dtype=np.int64))
