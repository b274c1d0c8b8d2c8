"""Train / validation / test splits of real deliveries for the win-probability model.

Rows of one match share their label and their players, so a split by row lets a model memorise matches and
report accuracy it will never have on a new match. The honest split holds out whole matches; the row split exists
only, labelled as leaking, to reproduce published numbers. Synthetic rows are never split: they only ever join a
training set (lib.data.augment), so test and validation hold real matches only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from lib.data.validation import match_ids

SPLIT_KINDS = {
    "match": "match split (whole matches held out)",
    "row": "row split (leaks, for comparison with published numbers)",
}
"""Split kind -> the label users see wherever its scores are shown."""


@dataclass(frozen=True)
class SplitSpec:
    """How real deliveries are split into train, validation and test.

    Attributes:
        kind: "match" holds out whole matches; "row" draws rows and leaks (labelled so).
        test_share: share of matches ("match") or rows ("row") held out for testing, in (0, 1).
        validation_share: share of the remaining matches (or rows) used for early stopping, in (0, 1).
        seed: seeds the draw; the same frame and seed give the same split.
    """

    kind: str = "match"
    test_share: float = 0.2
    validation_share: float = 0.1
    seed: int = 0

    def __post_init__(self) -> None:
        if self.kind not in SPLIT_KINDS:
            raise ValueError(f"split must be one of {', '.join(SPLIT_KINDS)}, got {self.kind!r}.")
        for name in ("test_share", "validation_share"):
            share = getattr(self, name)
            if not 0 < share < 1:
                raise ValueError(f"{name} must be between 0 and 1 (exclusive), got {share}.")

    @property
    def training_share(self) -> float:
        """Share of matches (or rows) that train: neither test nor validation."""
        return (1 - self.test_share) * (1 - self.validation_share)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> SplitSpec:
        return cls(**data)


STANDARD_SPLIT = SplitSpec()
"""The split the app and the command line use everywhere: the synthesizer learns from its training matches only,
and the win-probability comparison tests on its held-out matches, so no synthetic row carries a test match."""


@dataclass(frozen=True)
class Split:
    """Which real rows train, validate (early stopping) and test a model.

    Attributes:
        kind: "match" or "row" (see SPLIT_KINDS).
        train, validation, test: 0-based row positions in the real frame, sorted, disjoint, covering every row.
        test_matches: matches with rows in `test` (in a row split, those matches also have rows in `train`).
        matches_inferred: True when the frame had no matchId and matches were inferred from ballNum restarting.
    """

    kind: str
    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray
    test_matches: int
    matches_inferred: bool

    @property
    def label(self) -> str:
        return SPLIT_KINDS[self.kind]


def make_split(frame: pd.DataFrame, spec: SplitSpec = STANDARD_SPLIT) -> Split:
    """Split real deliveries into train, validation and test rows.

    Args:
        frame: validated real deliveries; `matchId` when present, else matches are inferred
            (lib.data.validation.match_ids).
        spec: kind, shares and seed of the split.

    Returns:
        The Split.
    """
    ids, inferred = match_ids(frame)
    _, match_of_row = np.unique(ids, return_inverse=True)
    by_match = spec.kind == "match"
    units = match_of_row if by_match else np.arange(len(frame))
    roles = _draw_roles(int(units.max()) + 1, spec, "matches" if by_match else "rows")
    train, validation, test = (np.flatnonzero(roles[units] == role) for role in (_TRAIN, _VALIDATION, _TEST))
    return Split(spec.kind, train, validation, test, len(np.unique(match_of_row[test])), inferred)


def training_matches(frame: pd.DataFrame, spec: SplitSpec = STANDARD_SPLIT) -> pd.DataFrame:
    """The rows of the split's training matches, all a synthesizer may learn from (matches inferred from ballNum
    when there is no matchId)."""
    return frame.iloc[make_split(frame, spec).train].reset_index(drop=True)


_TRAIN, _VALIDATION, _TEST = 0, 1, 2


def _draw_roles(count: int, spec: SplitSpec, what: str) -> np.ndarray:
    """The role (_TRAIN, _VALIDATION, _TEST) of each of `count` units (matches or rows), drawn at random."""
    n_test = max(1, round(spec.test_share * count))
    n_validation = max(1, round(spec.validation_share * (count - n_test)))
    if count - n_test - n_validation < 1:
        raise ValueError(
            f"The real data has {count} {what}; a split needs at least 3 (one each to train, validate and test). "
            "Load more matches."
        )
    roles = np.full(count, _TRAIN)
    order = np.random.default_rng(spec.seed).permutation(count)
    roles[order[:n_test]] = _TEST
    roles[order[n_test : n_test + n_validation]] = _VALIDATION
    return roles
