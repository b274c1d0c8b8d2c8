"""Whole-match realism: do synthetic matches score, lose wickets and end as real matches do?

Every figure is computed the same way for any set of rows with `matchId` and `innings` (real training matches,
synthetic matches, unseen real matches): the rows are turned back into delivery events (lib.data.events), so a
figure never depends on where the rows came from.

Figures (per innings unless said): first- and second-innings totals, wickets, deliveries, the share of chases won,
and per phase (overs 1-6, 7-15, 16-20) the share of deliveries that are dots, 4s, 6s and wickets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sdmetrics.single_column import KSComplement

from lib.data.events import events_from_rows
from lib.data.schema import INNINGS, MATCH_ID

PHASES = {"powerplay": (0, 6), "middle": (6, 15), "death": (15, 20)}
"""Phase -> [first over, last over + 1), 0-based overs."""
SHARES = ("dot", "4", "6", "wicket")


@dataclass
class MatchFigures:
    """The whole-match figures of one set of matches.

    Attributes:
        first_totals, second_totals: (M,) runs made in each innings.
        wickets, deliveries: (2M,) per innings.
        chases_won: share of matches the side batting second won, 0..1.
        phase_shares: (phase, event) -> share of the phase's deliveries, 0..1.
        runs_by_over: (innings, over) -> mean runs in that over among innings that reached it.
    """

    first_totals: np.ndarray
    second_totals: np.ndarray
    wickets: np.ndarray
    deliveries: np.ndarray
    chases_won: float
    phase_shares: dict
    runs_by_over: pd.Series


def match_figures(rows: pd.DataFrame, features: str | None = None) -> MatchFigures:
    """The whole-match figures of rows with matchId and innings (validated t20 rows).

    Args:
        rows: one row per delivery, in order within each innings.
        features: the rows' feature variant; None lets lib.data.events find it.
    """
    events = events_from_rows(rows, features)
    deliveries = events.deliveries
    per_innings = deliveries.groupby([MATCH_ID, INNINGS], sort=False).agg(
        runs=("total", "sum"), wickets=("wicket", "sum"), deliveries=("total", "size"))
    first = per_innings.xs(1, level=INNINGS)["runs"]
    second = per_innings.xs(2, level=INNINGS)["runs"]
    won = 1.0 - events.matches["firstWon"].to_numpy(float).mean()
    total, wicket = deliveries["total"].to_numpy(), deliveries["wicket"].to_numpy()
    legal, over = deliveries["legal"].to_numpy(bool), deliveries["over"].to_numpy()
    event = {"dot": legal & (total == 0) & (wicket == 0), "4": total == 4, "6": total == 6, "wicket": wicket > 0}
    shares = {}
    for phase, (start, stop) in PHASES.items():
        inside = (over >= start) & (over < stop)
        for name in SHARES:
            shares[(phase, name)] = float(event[name][inside].mean()) if inside.any() else float("nan")
    runs_by_over = deliveries.groupby([MATCH_ID, INNINGS, "over"], sort=False)["total"].sum()
    runs_by_over = runs_by_over.groupby(level=[INNINGS, "over"]).mean()
    return MatchFigures(first.to_numpy(), second.to_numpy(), per_innings["wickets"].to_numpy(),
                        per_innings["deliveries"].to_numpy(), float(won), shares, runs_by_over)


GOALS = {
    "first-innings total, mean": ("runs", 3.0),
    "first-innings total, SD": ("relative", 0.10),
    "first-innings total, KS complement": ("at least", 0.90),
    "wickets per innings": ("runs", 0.25),
    "deliveries per innings": ("runs", 2.0),
    "share of chases won": ("runs", 0.04),
}
"""Figure -> (how the goal reads, tolerance): "runs" within an absolute tolerance of the training value, "relative"
within a share of it, "at least" a score of at least this much."""
PHASE_TOLERANCE = 0.01


def realism_table(training: MatchFigures, candidates: dict[str, MatchFigures]) -> pd.DataFrame:
    """One row per figure: the training matches' value, each candidate's value, and whether each meets its goal.

    Args:
        training: figures of the real matches the synthesizer learned from.
        candidates: name -> figures, e.g. {"synthetic": ..., "unseen real matches": ...}.

    Returns:
        Columns "figure", "goal", "training", then per candidate its value and "<name> meets goal".
    """
    rows = []
    for figure, (kind, tolerance) in {**GOALS, **_phase_goals()}.items():
        row = {"figure": figure, "goal": _goal_text(kind, tolerance), "training": _value(training, training, figure)}
        for name, figures in candidates.items():
            value = _value(training, figures, figure)
            row[name] = value
            row[f"{name} meets goal"] = _meets(kind, tolerance, value, row["training"])
        rows.append(row)
    return pd.DataFrame(rows)


def _phase_goals() -> dict:
    return {f"{name} share, {phase}": ("runs", PHASE_TOLERANCE) for phase in PHASES for name in SHARES}


def _value(training: MatchFigures, figures: MatchFigures, figure: str) -> float:
    if figure == "first-innings total, mean":
        return float(figures.first_totals.mean())
    if figure == "first-innings total, SD":
        return float(figures.first_totals.std())
    if figure == "first-innings total, KS complement":
        return float(KSComplement.compute(real_data=pd.Series(training.first_totals),
                                          synthetic_data=pd.Series(figures.first_totals)))
    if figure == "wickets per innings":
        return float(figures.wickets.mean())
    if figure == "deliveries per innings":
        return float(figures.deliveries.mean())
    if figure == "share of chases won":
        return figures.chases_won
    name, phase = figure.split(" share, ")
    return figures.phase_shares[(phase, name)]


def _goal_text(kind: str, tolerance: float) -> str:
    if kind == "relative":
        return f"within {tolerance:.0%}"
    if kind == "at least":
        return f">= {tolerance}"
    return f"within {tolerance:g}" if tolerance >= 0.02 else f"within {tolerance * 100:g} pp"


def _meets(kind: str, tolerance: float, value: float, reference: float) -> bool:
    if kind == "relative":
        return abs(value - reference) <= tolerance * abs(reference)
    if kind == "at least":
        return value >= tolerance
    return abs(value - reference) <= tolerance
