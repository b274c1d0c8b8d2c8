"""Per-column transforms of CTGAN, kept compact: a discrete column is an integer code, a continuous column a
normalised value plus the index of its Gaussian mode.

These are ctgan's DataTransformer transforms (one-hot in order of first appearance for discrete columns, rdt's
ClusterBasedNormalizer for continuous ones); the one-hot blocks are only built per batch by the trainer.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rdt.transformers import ClusterBasedNormalizer

RARE = -1
"""Category value that stands for every player outside the top k (``top_k`` player encoding)."""
_NO_VALUES = np.zeros(0, dtype=np.int64)


@dataclass
class DiscreteColumn:
    """A discrete column: one category per distinct value, in order of first appearance (ctgan's one-hot order).

    Attributes:
        name: t20.csv column name.
        categories: int64 values, one per category; RARE for the pooled rare-player category.
        counts: int64 training rows of each category; conditions are drawn from these.
        rare_values: int64 players pooled in the RARE category (empty when there is none).
        rare_weights: real frequencies of `rare_values`, summing to 1 (empty when there is none).
    """

    name: str
    categories: np.ndarray
    counts: np.ndarray
    rare_values: np.ndarray = field(default_factory=lambda: _NO_VALUES)
    rare_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def width(self) -> int:
        return len(self.categories)

    def encode(self, values: np.ndarray) -> np.ndarray:
        """Category codes of `values` (n,) as int32 (n,); values not among the categories get the RARE code."""
        order = np.argsort(self.categories, kind="stable")
        ranked = self.categories[order]
        position = np.clip(np.searchsorted(ranked, values), 0, len(ranked) - 1)
        found = ranked[position] == values
        codes = order[position]
        if not found.all():
            rare = np.flatnonzero(self.categories == RARE)
            if rare.size == 0:
                raise ValueError(f"column {self.name} has values {np.unique(values[~found])[:5]} it was not fit on.")
            codes = np.where(found, codes, rare[0])
        return codes.astype(np.int32)

    def decode(self, codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Values (n,) int64 of category `codes` (n,); a RARE code draws a player from the rare frequencies."""
        values = self.categories[codes]
        rare = values == RARE
        if rare.any():
            values = values.copy()
            values[rare] = rng.choice(self.rare_values, size=int(rare.sum()), p=self.rare_weights)
        return values

    def to_json(self) -> dict:
        return {
            "kind": "discrete",
            "name": self.name,
            "categories": self.categories.tolist(),
            "counts": self.counts.tolist(),
            "rare_values": self.rare_values.tolist(),
            "rare_weights": self.rare_weights.tolist(),
        }

    @classmethod
    def from_json(cls, data: dict) -> DiscreteColumn:
        return cls(
            data["name"],
            np.asarray(data["categories"], dtype=np.int64),
            np.asarray(data["counts"], dtype=np.int64),
            np.asarray(data["rare_values"], dtype=np.int64),
            np.asarray(data["rare_weights"], dtype=np.float64),
        )


def fit_discrete(name: str, values: np.ndarray) -> DiscreteColumn:
    """One category per distinct value of `values` (n,), in order of first appearance."""
    codes, categories = pd.factorize(np.asarray(values, dtype=np.int64))
    return DiscreteColumn(name, np.asarray(categories, dtype=np.int64), np.bincount(codes, minlength=len(categories)))


@dataclass
class ContinuousColumn:
    """A continuous column after ctgan's mode-specific normalisation (rdt ClusterBasedNormalizer).

    Attributes:
        name: t20.csv column name.
        means, stds: the valid Gaussian modes, (modes,) each, in the column's units.
        snap_to: sorted int64 values a decoded value is snapped to (player indices of the ``numeric`` encoding),
            or None to keep decoded values as they are.
    """

    name: str
    means: np.ndarray
    stds: np.ndarray
    snap_to: np.ndarray | None = None

    @property
    def width(self) -> int:
        """The normalised value plus one column per mode."""
        return 1 + len(self.means)

    def decode(self, normalized: np.ndarray, modes: np.ndarray) -> np.ndarray:
        """Values (n,) float64 from normalised values (n,) in [-1, 1] and mode indices (n,)."""
        scale = ClusterBasedNormalizer.STD_MULTIPLIER * self.stds[modes]
        values = np.clip(normalized, -1, 1) * scale + self.means[modes]
        if self.snap_to is not None:
            values = _nearest(self.snap_to, values)
        return values

    def to_json(self) -> dict:
        return {
            "kind": "continuous",
            "name": self.name,
            "means": self.means.tolist(),
            "stds": self.stds.tolist(),
            "snap_to": None if self.snap_to is None else self.snap_to.tolist(),
        }

    @classmethod
    def from_json(cls, data: dict) -> ContinuousColumn:
        snap = data.get("snap_to")
        return cls(
            data["name"],
            np.asarray(data["means"], dtype=np.float64),
            np.asarray(data["stds"], dtype=np.float64),
            None if snap is None else np.asarray(snap, dtype=np.int64),
        )


def column_from_json(data: dict) -> DiscreteColumn | ContinuousColumn:
    return DiscreteColumn.from_json(data) if data["kind"] == "discrete" else ContinuousColumn.from_json(data)


def _nearest(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each of `values`, the closest entry of `sorted_values` (ties go to the smaller)."""
    if len(sorted_values) == 1:
        return np.full(len(values), sorted_values[0])
    right = np.clip(np.searchsorted(sorted_values, values), 1, len(sorted_values) - 1)
    left = right - 1
    pick_right = sorted_values[right] - values < values - sorted_values[left]
    return np.where(pick_right, sorted_values[right], sorted_values[left])


class ContinuousEncoder:
    """A fitted ClusterBasedNormalizer that encodes many rows quickly and repeatably.

    rdt's own transform draws each row's mode in a Python loop from numpy's global random state; this encoder
    draws the same distribution (mode probabilities + 1e-6, renormalised) vectorised, from a given generator.
    """

    def __init__(self, name: str, sample: np.ndarray, max_clusters: int, weight_threshold: float):
        """Fit the Bayesian GMM of column `name` on `sample` (m,), as ctgan's DataTransformer does."""
        self._normalizer = ClusterBasedNormalizer(
            missing_value_generation="from_column",
            max_clusters=min(len(sample), max_clusters),
            weight_threshold=weight_threshold,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._normalizer.fit(pd.DataFrame({name: np.asarray(sample, dtype=np.float64)}), name)
        gmm = self._normalizer._bgm_transformer  # rdt documents this fitted sklearn BayesianGaussianMixture
        self._gmm = gmm
        self._valid = np.asarray(self._normalizer.valid_component_indicator, dtype=bool)
        self.name = name
        self.means = gmm.means_.reshape(-1)[self._valid]
        self.stds = np.sqrt(gmm.covariances_).reshape(-1)[self._valid]

    def column(self, snap_to: np.ndarray | None = None) -> ContinuousColumn:
        return ContinuousColumn(self.name, self.means.copy(), self.stds.copy(), snap_to)

    def encode(self, values: np.ndarray, rng: np.random.Generator, chunk: int = 200_000):
        """Normalised values (n,) float32 in [-0.99, 0.99] and mode indices (n,) int16 of `values` (n,)."""
        normalized = np.empty(len(values), dtype=np.float32)
        modes = np.empty(len(values), dtype=np.int16)
        for start in range(0, len(values), chunk):
            part = np.asarray(values[start : start + chunk], dtype=np.float64)
            probs = self._gmm.predict_proba(part[:, None])[:, self._valid] + 1e-6
            cumulative = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
            draw = rng.random(len(part))[:, None]
            mode = np.minimum((cumulative < draw).sum(axis=1), len(self.means) - 1)
            scale = ClusterBasedNormalizer.STD_MULTIPLIER * self.stds[mode]
            normalized[start : start + chunk] = np.clip((part - self.means[mode]) / scale, -0.99, 0.99)
            modes[start : start + chunk] = mode
        return normalized, modes
