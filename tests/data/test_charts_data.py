"""Data charts that read right: outliers do not collapse the bins, the outcome is two bars, one source no legend."""

import numpy as np
import pandas as pd
import pytest

from lib.charts.data import REAL, SYNTHETIC, binned, distribution_chart
from lib.data.schema import RUN_RATE, WINNER


def test_outliers_go_to_the_end_bins_instead_of_squeezing_the_rest():
    # Setup: 1,000 run rates between 0 and 2 runs per ball, and the two extremes seen in a real import.
    rates = pd.Series(np.concatenate([np.linspace(0, 2, 1000), [-33.0, 132.0]]))
    # Run
    bins = binned({REAL: rates}, RUN_RATE, bins=20)
    # Assert: the bins span about 0..2 (not -33..132), so no bar holds most rows; all rows are still counted.
    assert bins["start"].min() > -0.1 and bins["end"].max() < 2.1
    assert bins["share"].max() < 0.1 and bins["share"].sum() == pytest.approx(1.0)


def test_the_outcome_is_two_labelled_bars_per_source():
    # Setup: 3 of 4 real rows won, 1 of 4 synthetic rows won
    values = {REAL: pd.Series([1, 1, 1, 0]), SYNTHETIC: pd.Series([0, 0, 0, 1])}
    # Run
    spec = distribution_chart(values, WINNER).to_dict()
    # Assert
    shares = {(row["outcome"], row["source"]): row["share"] for row in spec["datasets"][spec["data"]["name"]]}
    assert shares == {("lost (0)", REAL): 0.25, ("won (1)", REAL): 0.75, ("lost (0)", SYNTHETIC): 0.75,
                      ("won (1)", SYNTHETIC): 0.25}


def test_a_single_source_has_no_real_synthetic_legend():
    spec = distribution_chart({REAL: pd.Series([1.0, 2.0, 3.5])}, RUN_RATE).to_dict()
    assert spec["encoding"]["color"]["legend"] is None
    both = distribution_chart({REAL: pd.Series([1.0, 2.0]), SYNTHETIC: pd.Series([1.5])}, RUN_RATE).to_dict()
    assert both["encoding"]["color"].get("legend", {}) is not None
