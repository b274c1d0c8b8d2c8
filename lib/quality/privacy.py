"""Privacy of a synthetic set: how many rows copy a real delivery, and how close rows sit to real ones.

Both measures come from sdmetrics (NewRowSynthesis, DCRBaselineProtection). Both compare every synthetic row
with every real row, which is far too slow for full-size sets, so they run on a seeded sample of synthetic rows
and say so in their result.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from sdmetrics.single_table import DCRBaselineProtection, NewRowSynthesis

from lib.data.schema import DISCRETE_COLUMNS, MODEL_COLUMNS

SAMPLE_ROWS = 1000
METADATA = {"columns": {c: {"sdtype": "categorical" if c in DISCRETE_COLUMNS else "numerical"} for c in MODEL_COLUMNS}}
"""sdmetrics metadata of the ten t20.csv columns: players and outcome categorical, match state numerical."""
MATCH_TOLERANCE = 1e-9
"""Relative tolerance under which two numbers count as equal: an exact copy, up to float rounding."""


@dataclass
class PrivacyReport:
    copy_share: float
    """Share of sampled synthetic rows equal to some real row in all ten columns, 0..1 (lower is more private)."""
    dcr_baseline_score: float
    """sdmetrics DCRBaselineProtection, 0..1, higher is better: synthetic rows are as far from real rows as
    random rows would be."""
    median_dcr_synthetic: float
    """Median distance (0..1, sdmetrics' per-column normalised distance) of a synthetic row to its closest real row."""
    median_dcr_random: float
    """The same for uniformly random rows: the baseline."""
    sampled_rows: int

    def to_json(self) -> dict:
        return asdict(self)


def privacy(real: pd.DataFrame, synthetic: pd.DataFrame, sample_rows: int = SAMPLE_ROWS, seed: int = 0) -> PrivacyReport:
    """Copies and distance to closest record of a seeded sample of synthetic rows.

    Args:
        real: validated real rows.
        synthetic: validated synthetic rows.
        sample_rows: synthetic (and, for DCR, real) rows to sample.
        seed: seeds the samples.
    """
    real, synthetic = real[MODEL_COLUMNS], synthetic[MODEL_COLUMNS]
    sample = synthetic.sample(min(sample_rows, len(synthetic)), random_state=seed).reset_index(drop=True)
    # A copy must share the categorical columns exactly, so only real rows of the same batter, bowler and
    # outcome can match; giving NewRowSynthesis just those rows leaves its answer unchanged and saves minutes.
    keys = sample[DISCRETE_COLUMNS].drop_duplicates()
    candidates = real.merge(keys, on=DISCRETE_COLUMNS, how="inner")
    if candidates.empty:
        copy_share = 0.0
    else:
        new = NewRowSynthesis.compute(candidates, sample, METADATA, numerical_match_tolerance=MATCH_TOLERANCE)
        copy_share = 1.0 - float(new)
    np.random.seed(seed)  # DCRBaselineProtection draws its random baseline and subsamples from numpy's global state
    dcr = DCRBaselineProtection.compute_breakdown(
        real, synthetic, METADATA, None, num_rows_subsample=min(sample_rows, len(synthetic), len(real)),
    )
    return PrivacyReport(
        copy_share=copy_share,
        dcr_baseline_score=float(dcr["score"]),
        median_dcr_synthetic=float(dcr["median_DCR_to_real_data"]["synthetic_data"]),
        median_dcr_random=float(dcr["median_DCR_to_real_data"]["random_data_baseline"]),
        sampled_rows=len(sample),
    )
