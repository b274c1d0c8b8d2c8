"""Training one win-probability model on an honest split: real training matches (plus synthetic rows), early
stopping on real validation matches, scored on held-out real test matches, saved to a folder."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lib.data.augment import augment_rows, check_ratio, check_synthetic, synthetic_flags
from lib.data.schema import WINNER
from lib.data.splits import STANDARD_SPLIT, Split, SplitSpec, make_split
from lib.data.validation import validate
from lib.data.vocabulary import Vocabulary
from lib.wp.metrics import score_predictions
from models.progress import OnEpoch, ShouldStop, ignore, never
from models.wp.config import WPConfig

if TYPE_CHECKING:
    from models.wp.model import WPModel


@dataclass(frozen=True)
class WPData:
    """Validated inputs of a WP training: the real rows, the checked synthetic rows and the split of the real rows.

    Attributes:
        real: validated real deliveries.
        synthetic: synthetic rows (ten t20.csv columns) or None.
        split: which real rows train, validate and test.
    """

    real: pd.DataFrame
    synthetic: pd.DataFrame | None
    split: Split

    @cached_property
    def train(self) -> pd.DataFrame:
        return self.real.iloc[self.split.train]

    @cached_property
    def validation(self) -> pd.DataFrame:
        return self.real.iloc[self.split.validation]

    @cached_property
    def test(self) -> pd.DataFrame:
        return self.real.iloc[self.split.test]


def prepare_data(
    real: pd.DataFrame,
    synthetic: pd.DataFrame | None = None,
    *,
    split: SplitSpec = STANDARD_SPLIT,
    vocabulary: Vocabulary | None = None,
) -> WPData:
    """Validate the real and synthetic rows and split the real ones as `split` says.

    Raises:
        ValueError: with what is wrong and how to fix it, before any training starts.
    """
    real = validate(real, "the real data", keep_extra=True)
    checked = None if synthetic is None else check_synthetic(real, synthetic, vocabulary=vocabulary)
    data = WPData(real, checked, make_split(real, split))
    if data.train[WINNER].nunique() < 2:
        raise ValueError(
            f"The training matches of this split all have {WINNER} = {int(data.train[WINNER].iat[0])}, so a model "
            "cannot learn to tell winners from losers. Load more matches or try another split seed."
        )
    return data


def row_counts(data: WPData, training: pd.DataFrame, keep_real: bool) -> dict[str, int]:
    """How many real and synthetic rows a model trained, validated and was tested on."""
    real = len(data.split.train) if keep_real else 0
    return {
        "train_real": real,
        "train_synthetic": len(training) - real,
        "validation": len(data.split.validation),
        "test": len(data.split.test),
    }


@dataclass(frozen=True)
class AugmentedSet:
    """A training set of real and synthetic rows, as one `augmented@ratio` model trains on it.

    Attributes:
        frame: the ten t20.csv columns; the first `real_rows` rows are real, the rest synthetic.
        real_rows, synthetic_rows: row counts.
        ratio: synthetic rows per real training row.
        note: how the synthetic rows were drawn.
        split: the split whose training matches the real rows are; its validation and test matches are excluded.
    """

    frame: pd.DataFrame
    real_rows: int
    synthetic_rows: int
    ratio: float
    note: str
    split: Split


def build_augmented_set(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    ratio: float,
    *,
    seed: int = 0,
    split: SplitSpec = STANDARD_SPLIT,
    vocabulary: Vocabulary | None = None,
) -> AugmentedSet:
    """The augmented training set for download: real training matches plus `ratio` x as many synthetic rows.

    Validation and test matches are left out, exactly as `wp compare` and `wp train` leave them out, so a model
    trained elsewhere on this file can still be tested on those matches.
    """
    data = prepare_data(real, synthetic, split=split, vocabulary=vocabulary)
    rows, draw = augment_rows(data.train, data.synthetic, ratio, seed)
    note = draw.note if draw else "no synthetic rows (ratio 0)"
    return AugmentedSet(rows, len(data.train), len(rows) - len(data.train), float(ratio), note, data.split)


def train_and_save(
    real: pd.DataFrame,
    out_dir: str | Path,
    synthetic: pd.DataFrame | None = None,
    ratio: float = 0.0,
    config: WPConfig | None = None,
    *,
    split: SplitSpec = STANDARD_SPLIT,
    vocabulary: Vocabulary | None = None,
    features: str | None = None,
    on_epoch: OnEpoch = ignore,
    should_stop: ShouldStop = never,
) -> WPModel:
    """Train one WP model on the real training matches plus `ratio` x as many synthetic rows, test it on the
    held-out real matches and save it (with its test scores) to `out_dir`.

    Args:
        real: real deliveries (t20.csv columns, matchId when known).
        out_dir: model folder to write; replaced whole if it exists.
        synthetic: synthetic rows, needed when `ratio` > 0.
        ratio: synthetic rows per real training row, >= 0.
        config: model settings; the published preset when None. Its seed also seeds the synthetic draw.
        split: how real rows are split (lib.data.splits.SplitSpec).
        vocabulary, features: stored with the model.
        on_epoch, should_stop: the models.progress protocol.

    Returns:
        The trained model; `extra["test_scores"]` holds accuracy, auc, brier and log_loss on the test matches.
    """
    from models.wp.fit import fit_wp  # TensorFlow only where a model trains: the pages that prepare data load none

    config = config or WPConfig()
    if check_ratio(ratio) > 0 and synthetic is None:
        raise ValueError(f"A ratio of {ratio} needs a synthetic set to draw from; give one or use ratio 0.")
    data = prepare_data(real, synthetic, split=split, vocabulary=vocabulary)
    rows, draw = augment_rows(data.train, data.synthetic, ratio, config.seed)
    model = fit_wp(rows, data.validation, config, on_epoch=on_epoch, should_stop=should_stop, stage="train",
                   synthetic=synthetic_flags(rows, draw))
    test = data.test
    model.features, model.vocabulary = features, vocabulary
    model.extra.update(
        split=data.split.label,
        test_matches=data.split.test_matches,
        matches_inferred=data.split.matches_inferred,
        rows=row_counts(data, rows, keep_real=True),
        synthetic_sampling=draw.note if draw else None,
        test_scores=score_predictions(test[WINNER].to_numpy(), model.predict(test)),
    )
    model.save(out_dir)
    return model
