"""The outcomes of a delivery the ball model chooses between, as far as the training data tells them apart.

From a Cricsheet import every delivery has its kind: runs off the bat, a wide, a no-ball, byes or leg byes, with
its runs and whether a wicket fell, so the classes are dot, 1, 2, 3, 4, 5, 6, wicket, wides of 1, 2 or 5, no-balls
with the runs hit off them, byes and leg byes. Rows of a t20.csv only tell the runs, the wicket and (in the
leakfree variant) whether the ball was legal, so their classes are "legal ball of r runs" and "wide or no-ball of r
runs". Each distinct (kind, runs, wicket) seen at least a few times is a class; a rarer one counts as the class of
the same kind and wicket with the nearest runs, so every class is learnable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

KINDS = ("bat", "wide", "noball", "bye", "legbye", "legal", "extra")
"""Kinds of delivery: the first five from a Cricsheet import; "legal" and "extra" (a wide or no-ball) when only the
rows are known."""
_KIND = {name: code for code, name in enumerate(KINDS)}
_NOT_LEGAL = (_KIND["wide"], _KIND["noball"], _KIND["extra"])
MAX_RUNS = 7
"""Runs of one delivery above this count as this many (a class of its own would never be learned)."""
MIN_CLASS_SHARE = 2e-5
"""A (kind, runs, wicket) rarer than this share of the deliveries (and than MIN_CLASS_COUNT) joins its nearest
class."""
MIN_CLASS_COUNT = 5


@dataclass(frozen=True)
class Outcomes:
    """The classes of the ball model, K of them.

    Attributes:
        kind: (K,) int, index into KINDS.
        runs: (K,) int, runs the delivery adds to the total (extras included).
        wicket: (K,) int, 1 when a wicket falls.
        non_striker_out: share of wickets in which the non-striker is the one dismissed (run outs), 0..1.
    """

    kind: np.ndarray
    runs: np.ndarray
    wicket: np.ndarray
    non_striker_out: float

    @property
    def legal(self) -> np.ndarray:
        """(K,) bool: the delivery counts as one of the over's six balls."""
        return ~np.isin(self.kind, _NOT_LEGAL)

    @property
    def ran(self) -> np.ndarray:
        """(K,) int: runs the batters ran or hit (a wide's or no-ball's own run excluded); odd ones swap ends."""
        return self.runs - (~self.legal).astype(np.int64)

    def labels(self) -> list[str]:
        """A short name per class, e.g. "4", "W", "wide 1", "noball 1+4", "legbye 1"."""
        names = []
        for kind, runs, wicket in zip(self.kind, self.runs, self.wicket):
            name = KINDS[kind]
            if name in ("bat", "legal"):
                text = "W" if wicket and runs == 0 else (f"W+{runs}" if wicket else str(runs))
                text = text if name == "bat" else f"legal {text}"
            else:
                text = f"{name} {runs}" + (" W" if wicket else "")
            names.append(text)
        return names

    def to_json(self) -> dict:
        return {"kind": [KINDS[k] for k in self.kind], "runs": self.runs.tolist(), "wicket": self.wicket.tolist(),
                "non_striker_out": self.non_striker_out}

    @classmethod
    def from_json(cls, data: dict) -> Outcomes:
        return cls(np.array([_KIND[k] for k in data["kind"]], dtype=np.int64), np.array(data["runs"], np.int64),
                   np.array(data["wicket"], np.int64), float(data["non_striker_out"]))


def delivery_kinds(deliveries: pd.DataFrame) -> np.ndarray:
    """(N,) int index into KINDS of each delivery of an events table (lib.data.events)."""
    legal = deliveries["legal"].to_numpy(bool)
    known = deliveries["wides"].to_numpy() >= 0
    kind = np.where(legal, _KIND["legal"], _KIND["extra"])
    kind = np.where(known, _KIND["bat"], kind)
    for name, column in (("legbye", "legbyes"), ("bye", "byes"), ("noball", "noballs"), ("wide", "wides")):
        kind = np.where(known & (deliveries[column].to_numpy() > 0), _KIND[name], kind)
    return kind


def fit_outcomes(deliveries: pd.DataFrame) -> tuple[Outcomes, np.ndarray]:
    """The classes of a table of training deliveries, and each delivery's class.

    Args:
        deliveries: the deliveries table of lib.data.events.MatchEvents.

    Returns:
        (outcomes, labels): labels is (N,) int, each delivery's class index.
    """
    codes, inverse, counts = np.unique(_codes(deliveries), return_inverse=True, return_counts=True)
    unique = _decode(codes)
    kept = counts >= max(MIN_CLASS_COUNT, MIN_CLASS_SHARE * len(deliveries))
    kept_ids = np.flatnonzero(kept)
    target = np.array([i if kept[i] else _nearest(unique, kept_ids, i) for i in range(len(unique))])
    renumber = np.full(len(unique), -1)
    renumber[kept_ids] = np.arange(len(kept_ids))
    labels = renumber[target[inverse.ravel()]]
    classes = unique[kept_ids]
    outcomes = Outcomes(classes[:, 0], classes[:, 1], classes[:, 2], _non_striker_out(deliveries))
    return outcomes, labels


def label_deliveries(deliveries: pd.DataFrame, outcomes: Outcomes) -> np.ndarray:
    """(N,) class of each delivery under fitted `outcomes` (a (kind, runs, wicket) not among them takes the nearest
    class of its kind and wicket, as in `fit_outcomes`)."""
    classes = np.stack([outcomes.kind, outcomes.runs, outcomes.wicket], axis=1)
    codes, inverse = np.unique(_codes(deliveries), return_inverse=True)
    unique = _decode(codes)
    table = np.vstack([classes, unique])
    ids = np.arange(len(classes))
    mapped = np.array([_nearest(table, ids, len(classes) + i) for i in range(len(unique))])
    return mapped[inverse.ravel()]


def _codes(deliveries: pd.DataFrame) -> np.ndarray:
    """(N,) one integer per delivery's (kind, runs, wicket), so that finding the distinct ones is one integer sort."""
    runs = np.minimum(deliveries["total"].to_numpy(np.int64), MAX_RUNS)
    wicket = (deliveries["wicket"].to_numpy(np.int64) > 0).astype(np.int64)
    return (delivery_kinds(deliveries) * (MAX_RUNS + 1) + runs) * 2 + wicket


def _decode(codes: np.ndarray) -> np.ndarray:
    """(n, 3) kind, runs, wicket of `_codes` values."""
    return np.stack([codes // 2 // (MAX_RUNS + 1), codes // 2 % (MAX_RUNS + 1), codes % 2], axis=1)


def _nearest(keys: np.ndarray, candidates: np.ndarray, index: int) -> int:
    """The candidate key closest to keys[index]: same kind and wicket, then same legality, nearest runs."""
    kind, runs, wicket = keys[index]
    same_legal = np.isin(keys[candidates, 0], _NOT_LEGAL) == (kind in _NOT_LEGAL)
    cost = (np.abs(keys[candidates, 1] - runs) + 100 * (keys[candidates, 0] != kind)
            + 1000 * (keys[candidates, 2] != wicket) + 10_000 * ~same_legal)
    return int(candidates[int(np.argmin(cost))])


def _non_striker_out(deliveries: pd.DataFrame) -> float:
    """Share of wickets with a known non-striker in which the non-striker was the one out."""
    out = deliveries["playerOut"].to_numpy()
    non_striker = deliveries["nonStriker"].to_numpy()
    known = (deliveries["wicket"].to_numpy() > 0) & (out >= 0) & (non_striker >= 0)
    return float((out[known] == non_striker[known]).mean()) if known.any() else 0.0
