"""Altair charts of the data itself: distributions and histograms. Pages only display what these return.

Rows are binned here with numpy before they reach altair, so a chart of 1.2M deliveries carries a few hundred
points, never the rows themselves. Real and synthetic use the same two colours everywhere.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.data.schema import (
    BALL_NUM,
    BALLS_REMAINING,
    BATTER,
    BOWLER,
    MOMENTUM,
    PERF_INDEX,
    PLAYER_COLUMNS,
    RUN_RATE,
    RUNS,
    WICKETS,
    WINNER,
)

REAL = "real"
SYNTHETIC = "synthetic"
REAL_COLOUR, SYNTHETIC_COLOUR = "#2b6cb0", "#dd6b20"
SOURCE_SCALE = alt.Scale(domain=[REAL, SYNTHETIC], range=[REAL_COLOUR, SYNTHETIC_COLOUR])
"""Real in blue, synthetic in orange, on every chart."""

UNITS = {
    BALL_NUM: "delivery number in the match",
    BALLS_REMAINING: "balls remaining",
    RUNS: "runs (scored, or still needed in a chase)",
    RUN_RATE: "runs per ball",
    WICKETS: "wickets down",
    MOMENTUM: "wickets in hand per ball remaining",
    PERF_INDEX: "run rate x wickets in hand",
    WINNER: "batting side won (1) or lost (0)",
    BATTER: "deliveries faced per batter",
    BOWLER: "deliveries bowled per bowler",
}
"""Axis titles with units for every t20.csv column."""


OUTLIER_SHARE = 0.005
"""Share of rows at each end that may fall outside the bins' range and are counted in the end bins instead, so
that a few extreme values (a run rate of 132 after one ball) do not squeeze every other row into one bar."""


def bin_edges(pooled: np.ndarray, column: str, bins: int = 30) -> np.ndarray:
    """Shared bin edges for one column: unit-wide bins for integers with few values, else `bins` equal bins
    between the 0.5th and 99.5th percentiles (the whole range when that leaves no width)."""
    low, high = float(np.min(pooled)), float(np.max(pooled))
    if bool(np.all(pooled == np.round(pooled))) and high - low + 1 <= bins:
        return np.arange(low - 0.5, high + 1.5)
    inner_low, inner_high = np.quantile(pooled, [OUTLIER_SHARE, 1 - OUTLIER_SHARE])
    if inner_high > inner_low:
        low, high = float(inner_low), float(inner_high)
    return np.linspace(low, high if high > low else low + 1, bins + 1)


def binned(values: dict[str, pd.Series], column: str, bins: int = 30) -> pd.DataFrame:
    """Histogram of one column for each source on shared bin edges, as shares of that source's rows.

    Args:
        values: source name ("real", "synthetic") -> the column's values.
        column: the column name, which decides the binning (integers get unit-wide bins when few).
        bins: the most bins to use.

    Returns:
        Frame with `start`, `end` (bin edges, in the column's units), `share` (0..1) and `source`; values beyond
        the edges (outliers, see OUTLIER_SHARE) are counted in the first or last bin.
    """
    pooled = np.concatenate([np.asarray(v, dtype=float) for v in values.values()])
    edges = bin_edges(pooled, column, bins)
    parts = []
    for source, series in values.items():
        clipped = np.clip(np.asarray(series, dtype=float), edges[0], edges[-1])
        counts, _ = np.histogram(clipped, bins=edges)
        share = counts / max(counts.sum(), 1)
        parts.append(pd.DataFrame({"start": edges[:-1], "end": edges[1:], "share": share, "source": source}))
    return pd.concat(parts, ignore_index=True)


def player_load(frame: pd.DataFrame, column: str) -> pd.Series:
    """Deliveries per player for a player column: a readable histogram where raw indices are not."""
    return frame[column].value_counts()


def distribution_chart(values: dict[str, pd.Series], column: str, bins: int = 30, height: int = 160) -> alt.Chart:
    """Bars of one column's distribution, one colour per source, overlaid on shared bins; the legend only when
    there is more than one source; the 0/1 outcome as two labelled bars."""
    if column == WINNER:
        return _outcome_chart(values, height)
    data = binned(values, column, bins)
    legend = alt.Legend() if len(values) > 1 else None
    return (
        alt.Chart(data, height=height, title=column)
        .mark_bar(opacity=0.6, binSpacing=0)
        .encode(
            x=alt.X("start:Q", title=UNITS.get(column, column), bin="binned"),
            x2="end:Q",
            y=alt.Y("share:Q", title="share of rows", stack=None, axis=alt.Axis(format="%")),
            color=alt.Color("source:N", scale=SOURCE_SCALE, title=None, legend=legend),
            tooltip=[alt.Tooltip("start:Q", format=".3g"), alt.Tooltip("end:Q", format=".3g"),
                     alt.Tooltip("share:Q", format=".2%"), "source:N"],
        )
    )


OUTCOMES = {0: "lost (0)", 1: "won (1)"}


def _outcome_chart(values: dict[str, pd.Series], height: int) -> alt.Chart:
    """Share of rows whose batting side lost and won, side by side per source."""
    rows = [{"outcome": OUTCOMES[key], "source": source, "share": float(np.mean(np.asarray(series) == key))}
            for source, series in values.items() for key in OUTCOMES]
    legend = alt.Legend() if len(values) > 1 else None
    return alt.Chart(pd.DataFrame(rows), height=height, title=WINNER).mark_bar(opacity=0.8).encode(
        x=alt.X("outcome:N", title=UNITS[WINNER], sort=list(OUTCOMES.values()), axis=alt.Axis(labelAngle=0)),
        xOffset="source:N",
        y=alt.Y("share:Q", title="share of rows", axis=alt.Axis(format="%")),
        color=alt.Color("source:N", scale=SOURCE_SCALE, title=None, legend=legend),
        tooltip=["outcome:N", "source:N", alt.Tooltip("share:Q", format=".1%")],
    )


def column_histograms(frame: pd.DataFrame, columns: list[str], per_row: int = 3) -> alt.VConcatChart:
    """A grid of per-column histograms of one real dataset (players as deliveries per player)."""
    charts = []
    for column in columns:
        series = player_load(frame, column) if column in PLAYER_COLUMNS else frame[column]
        charts.append(distribution_chart({REAL: series}, column).properties(width=220))
    rows = [alt.hconcat(*charts[i : i + per_row]) for i in range(0, len(charts), per_row)]
    return alt.vconcat(*rows)
