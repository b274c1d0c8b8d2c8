"""The two references every score of a synthetic set is read against, and where the set sits between them.

- floor, "independent columns": the synthesizer's real training rows with each column permuted on its own (seeded),
  as many rows as the synthetic set. It keeps every column's distribution and destroys every relation between
  columns: a synthesizer that learned nothing but the columns one by one scores like this.
- ceiling, "unseen real matches": deliveries of the real matches the synthesizer never saw (the standard split's
  validation and test matches), scored against the training matches exactly as the synthetic set is. A
  synthesizer that learned the game as well as new real matches show it scores like this.

The position of a score is (synthetic - floor) / (ceiling - floor): 0 = no better than independent columns,
1 = as close as unseen real matches. It may leave [0, 1]: below 0 is worse than shuffled columns, above 1 closer
to the training rows than new real matches are (on fidelity scores, a hint of memorisation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.data.schema import MODEL_COLUMNS
from lib.data.splits import STANDARD_SPLIT, SplitSpec, make_split
from lib.data.validation import match_ids

INDEPENDENT, UNSEEN = "independent", "unseen"


@dataclass(frozen=True)
class RealParts:
    """The real rows a synthetic set is scored with, all in the ten t20.csv columns.

    Attributes:
        training: rows of the matches the synthesizer learned from; every score compares against these.
        unseen: rows of the matches it never saw (validation + test): the ceiling reference.
        test: rows of the test matches only, on which the utility models are tested.
        basis: in words, which real rows the scores compare against.
        training_matches, unseen_matches: (len(training),) and (len(unseen),) int codes of each row's match, so
            that detection never learns a match's trajectory on some of its rows and is tested on the rest.
    """

    training: pd.DataFrame
    unseen: pd.DataFrame
    test: pd.DataFrame
    basis: str
    training_matches: np.ndarray
    unseen_matches: np.ndarray


def real_parts(real: pd.DataFrame, spec: SplitSpec = STANDARD_SPLIT, known: bool = True) -> RealParts:
    """Split the real deliveries into the synthesizer's training matches and the matches it never saw.

    Args:
        real: validated real deliveries (matchId when present, else matches are inferred).
        spec: the split the synthesizer was trained under; the app and the CLI train under STANDARD_SPLIT.
        known: False for a synthetic set whose training matches are not recorded (an upload): the basis then
            says the split is assumed.

    Returns:
        The RealParts.
    """
    split = make_split(real, spec)
    pick = lambda rows: real.iloc[rows][MODEL_COLUMNS].reset_index(drop=True)
    unseen_rows = np.sort(np.concatenate([split.validation, split.test]))
    training, test, unseen = pick(split.train), pick(split.test), pick(unseen_rows)
    _, match_codes = np.unique(match_ids(real)[0], return_inverse=True)
    matches = f"{len(training):,} rows of the standard split's training matches ({spec.training_share:.0%})"
    basis = (f"Scored against the synthesizer's training matches: {matches}." if known else
             f"Its training matches are not recorded, so it is scored against {matches}, as the app and the CLI "
             "train; if it was made from every match, the ceiling and the unseen-match scores flatter it.")
    return RealParts(training, unseen, test, basis, match_codes[split.train], match_codes[unseen_rows])


def independent_columns(training: pd.DataFrame, rows: int, seed: int = 0) -> pd.DataFrame:
    """The floor reference: `rows` rows whose columns are drawn from `training`, each column permuted on its own.

    Args:
        training: real training rows (t20.csv columns).
        rows: rows wanted; beyond len(training) the rows are drawn with replacement.
        seed: seeds the permutations.

    Returns:
        (rows, len(training.columns)) frame with training's columns and dtypes.
    """
    rng = np.random.default_rng(seed)
    replace = rows > len(training)
    return pd.DataFrame({
        column: training[column].to_numpy()[rng.choice(len(training), rows, replace=replace)]
        for column in training.columns
    })


def position(synthetic: float, floor: float, ceiling: float) -> float:
    """Where `synthetic` sits between the floor (0) and the ceiling (1); NaN when they coincide or one is NaN.

    Works for higher-better and lower-better scores alike: the direction comes from the references.
    """
    if not np.isfinite([synthetic, floor, ceiling]).all() or abs(ceiling - floor) < 1e-9:
        return float("nan")
    return float((synthetic - floor) / (ceiling - floor))


def overall_position(positions: dict[str, float]) -> float:
    """The median of the finite per-score positions; NaN when none is finite.

    The median, not the mean: a score whose floor and ceiling lie close together turns a small shortfall into a
    position of -5 (measured on the IPL zip's contingency score), which would outvote every other score.
    """
    values = [v for v in positions.values() if np.isfinite(v)]
    return float(np.median(values)) if values else float("nan")
