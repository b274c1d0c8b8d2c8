"""Who bats and who bowls in a synthetic match, following the Laws.

A side is taken whole from one innings of a real training match: its batting order (those who batted, in the order
they came in, then the rest of its XI) and its bowlers, over by over, from the innings it bowled in that match. A
synthetic match pairs two sides from two different training matches (and different teams, where names are known),
so match-ups appear that never happened; a coin decides who bats first.

Batting: the order is played as written; a batter the training data never saw batting (or a slot past those who
batted in a t20.csv) is filled by a tail-ender drawn from the training batters who batted at 8 or lower.
Bowling: the side's real overs are bowled as they were, as long as they keep the Laws (no bowler twice in a row,
none more than a fifth of the overs); the overs after them go to the side's bowlers with overs left, in proportion
to the overs each bowled, never to the bowler of the over before; a side short of bowlers calls on another of its
XI, then on a training bowler drawn by how much he bowled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.data.schema import PLAYERS_PER_SIDE
from models.synth.matches.config import MAX_OVERS_PER_BOWLER, OVERS

XI = PLAYERS_PER_SIDE
TAIL_POSITION = 8
"""Batting positions from here on are the tail: their batters fill slots the training data cannot."""
_OPTIONS = 11
_SPARE = -2
"""Marks an option slot to be filled by a spare training bowler."""


@dataclass
class Sides:
    """The sides of the training matches, S of them.

    Attributes:
        order: (S, 11) batter indices in batting order; -1 where a tail-ender is drawn.
        overs: (S, OVERS) bowler of each over the side bowled in its real match; -1 after its last over.
        options: (S, 11) the side's bowlers (most overs first, then the rest of its XI who bowl); -1 pads.
        weights: (S, 11) overs each option bowled in the real match (0 for the rest of the XI).
        match: (S,) int code of the real match (two sides of one match never meet again).
        team: (S,) team names ("" unknown).
        tail: batter indices that may fill a slot; spare, spare_weights: bowlers (and their deliveries) called on
            when a side runs out of bowlers.
    """

    order: np.ndarray
    overs: np.ndarray
    options: np.ndarray
    weights: np.ndarray
    match: np.ndarray
    team: np.ndarray
    tail: np.ndarray
    spare: np.ndarray
    spare_weights: np.ndarray

    def to_json(self) -> dict:
        return {name: getattr(self, name).tolist() for name in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, data: dict) -> Sides:
        kinds = {"team": object, "weights": np.float64, "spare_weights": np.float64}
        return cls(**{name: np.asarray(values, dtype=kinds.get(name, np.int64)) for name, values in data.items()})


def fit_sides(deliveries: pd.DataFrame, lineups: pd.DataFrame, batters: np.ndarray, bowlers: np.ndarray) -> Sides:
    """The sides of every innings of the training matches.

    Args:
        deliveries, lineups: lib.data.events tables of the training matches.
        batters, bowlers: the training data's batter and bowler indices (all a synthetic row may name).
    """
    innings = deliveries[["matchId", "innings"]].drop_duplicates().to_numpy()
    _, match_code = np.unique(innings[:, 0], return_inverse=True)
    first_balls = deliveries.groupby(["matchId", "innings", "over"], sort=False)["bowler"].first()
    by_innings = {key: group.to_numpy() for key, group in first_balls.groupby(level=[0, 1], sort=False)}
    known_lineups = {key: group for key, group in lineups.groupby(["matchId", "innings"], sort=False)}
    order = np.full((len(innings), XI), -1, dtype=np.int64)
    overs = np.full((len(innings), OVERS), -1, dtype=np.int64)
    options = np.full((len(innings), _OPTIONS), -1, dtype=np.int64)
    weights = np.zeros((len(innings), _OPTIONS))
    teams = []
    batters, bowlers = set(np.asarray(batters).tolist()), set(np.asarray(bowlers).tolist())
    for row, (match, number) in enumerate(innings):
        lineup = known_lineups.get((match, number))
        names = _batting_order(lineup, batters)
        order[row, : len(names)] = names
        bowled = _valid_overs(by_innings.get((match, 3 - number), np.zeros(0, np.int64)))
        overs[row, : len(bowled)] = bowled
        used, counts = np.unique(bowled, return_counts=True)
        ranked = list(used[np.argsort(-counts, kind="stable")])
        rest = [] if lineup is None else [b for b in lineup["bowler"].to_numpy() if b > 0 and b not in ranked]
        choice = [int(b) for b in ranked + rest if b in bowlers][:_OPTIONS]
        options[row, : len(choice)] = choice
        overs_of = dict(zip(used.tolist(), counts.tolist()))
        weights[row, : len(choice)] = [overs_of.get(int(b), 0) for b in choice]
        teams.append("" if lineup is None or "team" not in lineup else str(lineup["team"].iloc[0]))
    tail = _tail(lineups, np.fromiter(batters, np.int64))
    spare, spare_weights = np.unique(deliveries["bowler"].to_numpy(np.int64), return_counts=True)
    return Sides(order, overs, options, weights, match_code.ravel(), np.asarray(teams, dtype=object), tail, spare,
                 spare_weights.astype(np.float64))


def _batting_order(lineup: pd.DataFrame | None, batters: set[int]) -> list[int]:
    if lineup is None:
        return []
    ranked = lineup["batter"].to_numpy(np.int64)[np.argsort(lineup["position"].to_numpy(), kind="stable")][:XI]
    return [int(b) if b > 0 and int(b) in batters else -1 for b in ranked]


def _valid_overs(bowled: np.ndarray) -> np.ndarray:
    """The real overs up to the first one that breaks a Law (a bowler twice in a row, or over his quota)."""
    counts: dict[int, int] = {}
    for over, bowler in enumerate(bowled[:OVERS]):
        counts[bowler] = counts.get(bowler, 0) + 1
        if (over and bowled[over - 1] == bowler) or counts[bowler] > MAX_OVERS_PER_BOWLER:
            return bowled[:over]
    return bowled[:OVERS]


def _tail(lineups: pd.DataFrame, batters: np.ndarray) -> np.ndarray:
    late = lineups.loc[lineups["position"] >= TAIL_POSITION, "batter"].to_numpy(np.int64)
    late = np.unique(late[np.isin(late, batters) & (late > 0)])
    return late if len(late) else np.asarray(batters, dtype=np.int64)


def pair_sides(sides: Sides, matches: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(first, second) side index of each of `matches` synthetic matches: two sides of different real matches and,
    where names are known, of different teams; `first` bats first."""
    count = len(sides.match)
    first, second = rng.integers(count, size=matches), rng.integers(count, size=matches)
    for _ in range(100):
        clash = (sides.match[first] == sides.match[second]) | (
            (sides.team[first] == sides.team[second]) & (sides.team[first] != ""))
        if not clash.any():
            break
        second[clash] = rng.integers(count, size=int(clash.sum()))
    return first, second


def batting_orders(sides: Sides, chosen: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(len(chosen), 11) batting orders of the chosen sides with every empty slot filled by a distinct tail-ender."""
    orders = sides.order[chosen].copy()
    empty = orders < 0
    orders[empty] = sides.tail[rng.integers(len(sides.tail), size=int(empty.sum()))]
    ranked = np.sort(orders, axis=1)
    for row in np.flatnonzero((ranked[:, 1:] == ranked[:, :-1]).any(axis=1)):  # a tail-ender drawn twice: redraw
        free = np.setdiff1d(sides.tail, orders[row][~empty[row]])
        slots = np.flatnonzero(empty[row])
        orders[row, slots] = rng.choice(free if len(free) else sides.tail, size=len(slots),
                                        replace=len(free) < len(slots))
    return orders


def bowling_plans(sides: Sides, chosen: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(len(chosen), OVERS) bowler of each over when the chosen sides bowl a whole innings, by the Laws."""
    plans = np.empty((len(chosen), OVERS), dtype=np.int64)
    for row, side in enumerate(chosen):
        plans[row] = _plan(sides, side, rng)
    return plans


def _plan(sides: Sides, side: int, rng: np.random.Generator) -> np.ndarray:
    real = sides.overs[side]
    plan = list(real[real >= 0])
    options = [int(b) for b in sides.options[side] if b >= 0]
    weights = {b: w + 0.5 for b, w in zip(options, sides.weights[side])}
    left = {b: MAX_OVERS_PER_BOWLER - plan.count(b) for b in options}
    while len(plan) < OVERS:
        previous = plan[-1] if plan else -1
        choices = [b for b in options if left[b] > 0 and b != previous]
        if not choices:
            spare = _spare(sides, set(options), rng)
            options.append(spare)
            weights[spare], left[spare] = 0.5, MAX_OVERS_PER_BOWLER
            continue
        p = np.array([weights[b] for b in choices])
        bowler = choices[int(rng.choice(len(choices), p=p / p.sum()))]
        left[bowler] -= 1
        plan.append(bowler)
    return np.asarray(plan, dtype=np.int64)


def _spare(sides: Sides, taken: set[int], rng: np.random.Generator) -> int:
    free = ~np.isin(sides.spare, list(taken))
    candidates, weights = sides.spare[free], sides.spare_weights[free]
    return int(rng.choice(candidates, p=weights / weights.sum()))
