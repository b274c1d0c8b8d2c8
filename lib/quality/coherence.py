"""Cricket coherence: the share of rows whose ten columns describe a delivery that could have happened.

Validity (lib.quality.validity) checks each column's bounds on its own; coherence checks the identities that tie
the columns together, as lib.data.cricsheet.features computes them. A row carries no innings column, so a row is
coherent when it satisfies the first-innings identities or the chase identity, and the identities every row obeys.
A project metric that no library has, declared like an sdmetrics metric: range [0, 1], higher is better.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sdmetrics.goal import Goal

from lib.data.cricsheet.features import FEATURE_VARIANTS, check_variant
from lib.data.schema import BALL_NUM, BALLS_REMAINING, MOMENTUM, PERF_INDEX, PLAYERS_PER_SIDE, RUN_RATE, RUNS, WICKETS

RELATIVE_TOLERANCE = 1e-3
"""Two sides of an identity agree when they differ by less than this share (or ABSOLUTE_TOLERANCE): a CSV that
rounds the rates to a few decimals still scores 1.000, while a generator that learned the columns one by one
misses by far more."""
ABSOLUTE_TOLERANCE = 1e-3

IDENTITIES = {
    "leakfree": [
        ("runsMomentum = (11 − numWickets) / ballsRemaining, with ballsRemaining counted as 1 once no legal "
        "ball is left"),
        ("either the first innings: runRate = runs / ballNum and perfIndex = runRate × (11 − numWickets); "
        "or the chase: runRate = runs (still required) / ballsRemaining (again at least 1)"),
    ],
    "yorkr": [
        "ballsRemaining ≥ 1: it counts down the deliveries the innings went on to last, this one included",
        "runsMomentum = (11 − numWickets) / ballsRemaining",
        ("either the first innings: runRate = runs / ballNum and perfIndex = runRate × (11 − numWickets); "
        "or the chase: runRate = runs (still required) / ballsRemaining"),
    ],
}
"""Per feature variant, the identities a delivery obeys, in the words the Evaluate page shows."""


@dataclass
class CoherenceResult:
    """Coherence of one set of rows.

    Attributes:
        share: share of rows obeying every identity, 0..1 (NaN for no rows).
        per_identity: identity name -> share of rows obeying it, 0..1.
        variant: the feature variant whose identities were checked.
    """

    share: float
    per_identity: dict[str, float]
    variant: str

    def to_json(self) -> dict:
        return {"share": self.share, "per_identity": self.per_identity, "variant": self.variant,
                "identities": IDENTITIES[self.variant]}

    @classmethod
    def from_json(cls, data: dict) -> CoherenceResult:
        return cls(data["share"], data["per_identity"], data["variant"])


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.isclose(a, b, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE)


def identity_checks(rows: pd.DataFrame, variant: str) -> dict[str, np.ndarray]:
    """Per identity, a boolean (n rows,) array: True where the row obeys it.

    Args:
        rows: t20.csv rows (the seven numeric columns are read).
        variant: "leakfree" or "yorkr".

    Returns:
        {"momentum", "innings" (first-innings or chase identity), and for yorkr "balls remaining"}: arrays.
    """
    check_variant(variant)
    remaining = rows[BALLS_REMAINING].to_numpy(dtype=np.float64)
    in_hand = PLAYERS_PER_SIDE - rows[WICKETS].to_numpy(dtype=np.float64)
    runs, rate = rows[RUNS].to_numpy(dtype=np.float64), rows[RUN_RATE].to_numpy(dtype=np.float64)
    ball = rows[BALL_NUM].to_numpy(dtype=np.float64)
    # leakfree divides by at least one ball once the overs run out; yorkr's count-down never reaches 0.
    divisor = np.maximum(remaining, 1) if variant == "leakfree" else np.where(remaining == 0, np.nan, remaining)
    with np.errstate(divide="ignore", invalid="ignore"):
        first = _close(rate, runs / ball) & _close(rows[PERF_INDEX].to_numpy(dtype=np.float64), rate * in_hand)
        chase = _close(rate, runs / divisor)
        checks = {"momentum": _close(rows[MOMENTUM].to_numpy(dtype=np.float64), in_hand / divisor),
                  "innings": first | chase}
    if variant == "yorkr":
        checks = {"balls remaining": remaining >= 1, **checks}
    return checks


class CricketCoherence:
    """Share of rows whose columns obey every identity of the dataset's feature variant (see IDENTITIES)."""

    name = "Cricket coherence"
    goal = Goal.MAXIMIZE
    min_value = 0.0
    max_value = 1.0

    @classmethod
    def compute_breakdown(cls, rows: pd.DataFrame, variant: str) -> CoherenceResult:
        """Coherence of `rows` under `variant`; NaN shares with a warning when there are no rows."""
        if len(rows) == 0:
            warnings.warn("Cricket coherence of an empty table is undefined; returning NaN.", stacklevel=2)
            return CoherenceResult(float("nan"), {}, variant)
        checks = identity_checks(rows, variant)
        every = np.logical_and.reduce(list(checks.values()))
        return CoherenceResult(float(every.mean()), {k: float(v.mean()) for k, v in checks.items()}, variant)

    @classmethod
    def compute(cls, rows: pd.DataFrame, variant: str) -> float:
        """Share of coherent rows, 0..1 (1 = every row describes a possible delivery)."""
        return cls.compute_breakdown(rows, variant).share


def guess_variant(real: pd.DataFrame) -> str:
    """The feature variant whose identities the real rows obey best, for a dataset whose variant was not
    recorded (an uploaded t20.csv). yorkr's identities are leakfree's plus one, so a tie goes to yorkr."""
    shares = {variant: CricketCoherence.compute(real, variant) for variant in FEATURE_VARIANTS}
    return max(FEATURE_VARIANTS, key=lambda variant: (shares[variant], variant == "yorkr"))
