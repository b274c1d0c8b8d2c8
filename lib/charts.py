"""Altair chart builders for the data lab. Pages only display what these return.

Rows are binned here with numpy before they reach altair, so a chart of 1.2M deliveries carries a few hundred
points, never the rows themselves. Real and synthetic use the same two colours everywhere.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.schema import (
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
SOURCE_SCALE = alt.Scale(domain=[REAL, SYNTHETIC], range=["#2b6cb0", "#dd6b20"])
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


def binned(values: dict[str, pd.Series], column: str, bins: int = 30) -> pd.DataFrame:
    """Histogram of one column for each source on shared bin edges, as shares of that source's rows.

    Args:
        values: source name ("real", "synthetic") -> the column's values.
        column: the column name, which decides the binning (integers get unit-wide bins when few).
        bins: the most bins to use.

    Returns:
        Frame with `start`, `end` (bin edges, in the column's units), `share` (0..1) and `source`.
    """
    pooled = np.concatenate([np.asarray(v, dtype=float) for v in values.values()])
    low, high = float(np.min(pooled)), float(np.max(pooled))
    integer = bool(np.all(pooled == np.round(pooled)))
    if integer and high - low + 1 <= bins:
        edges = np.arange(low - 0.5, high + 1.5)
    else:
        edges = np.linspace(low, high if high > low else low + 1, bins + 1)
    parts = []
    for source, series in values.items():
        counts, _ = np.histogram(np.asarray(series, dtype=float), bins=edges)
        share = counts / max(counts.sum(), 1)
        parts.append(pd.DataFrame({"start": edges[:-1], "end": edges[1:], "share": share, "source": source}))
    return pd.concat(parts, ignore_index=True)


def player_load(frame: pd.DataFrame, column: str) -> pd.Series:
    """Deliveries per player for a player column: a readable histogram where raw indices are not."""
    return frame[column].value_counts()


def distribution_chart(values: dict[str, pd.Series], column: str, bins: int = 30, height: int = 160) -> alt.Chart:
    """Bars of one column's distribution, one colour per source, overlaid on shared bins."""
    data = binned(values, column, bins)
    return (
        alt.Chart(data, height=height, title=column)
        .mark_bar(opacity=0.6, binSpacing=0)
        .encode(
            x=alt.X("start:Q", title=UNITS.get(column, column), bin="binned"),
            x2="end:Q",
            y=alt.Y("share:Q", title="share of rows", stack=None, axis=alt.Axis(format="%")),
            color=alt.Color("source:N", scale=SOURCE_SCALE, title=None),
            tooltip=[alt.Tooltip("start:Q", format=".3g"), alt.Tooltip("end:Q", format=".3g"),
                     alt.Tooltip("share:Q", format=".2%"), "source:N"],
        )
    )


def column_histograms(frame: pd.DataFrame, columns: list[str], per_row: int = 3) -> alt.VConcatChart:
    """A grid of per-column histograms of one real dataset (players as deliveries per player)."""
    charts = []
    for column in columns:
        series = player_load(frame, column) if column in PLAYER_COLUMNS else frame[column]
        charts.append(distribution_chart({REAL: series}, column).properties(width=220))
    rows = [alt.hconcat(*charts[i : i + per_row]) for i in range(0, len(charts), per_row)]
    return alt.vconcat(*rows)


def loss_chart(epochs: list[dict], losses: tuple[str, ...], title: str = "Training loss") -> alt.Chart:
    """Loss per epoch, one line per named loss; epochs of a multi-part job (shards) run on one axis.

    Args:
        epochs: run-store epoch records (step, stage, epoch, and one key per loss).
        losses: which loss keys to draw, e.g. ("generator", "discriminator").
    """
    frame = pd.DataFrame(epochs)
    if frame.empty:
        frame = pd.DataFrame(columns=["step", "stage", "epoch", *losses])
    frame = frame.assign(overall=np.arange(1, len(frame) + 1))
    long = frame.melt(id_vars=["overall", "stage", "epoch"], value_vars=[c for c in losses if c in frame],
                      var_name="loss", value_name="value").dropna(subset=["value"])
    multi_part = frame["stage"].nunique() > 1 if "stage" in frame else False
    return (
        alt.Chart(long, title=title, height=260)
        .mark_line(point=True)
        .encode(
            x=alt.X("overall:Q", title="epoch (all parts, in order)" if multi_part else "epoch",
                    axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("value:Q", title="loss"),
            color=alt.Color("loss:N", title=None),
            tooltip=["stage:N", "epoch:Q", "loss:N", alt.Tooltip("value:Q", format=".4f")],
        )
    )


def score_bars(per_column: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of every single-column score (0..1, higher is better), one bar per column and metric.

    A player column carries two scores (TV complement and coverage); each gets its own labelled bar, since bars
    sharing a row would stack into a sum that means nothing.
    """
    bars = per_column.assign(bar=per_column["column"] + " · " + per_column["metric"])
    return (
        alt.Chart(bars, title="Score per column", height=alt.Step(22))
        .mark_bar()
        .encode(
            y=alt.Y("bar:N", sort=None, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
            x=alt.X("score:Q", scale=alt.Scale(domain=[0, 1]), title="score (1 = identical)"),
            color=alt.Color("metric:N", title="metric"),
            tooltip=["column:N", "metric:N", alt.Tooltip("score:Q", format=".3f")],
        )
    )


def correlation_heatmaps(real: pd.DataFrame, synthetic: pd.DataFrame, columns: list[str]) -> alt.HConcatChart:
    """Pearson correlation matrices of real and synthetic side by side, on one colour scale from -1 to 1."""
    charts = []
    for source, frame in ((REAL, real), (SYNTHETIC, synthetic)):
        matrix = frame[columns].corr().reset_index(names="a").melt(id_vars="a", var_name="b", value_name="r")
        base = alt.Chart(matrix, title=f"{source} correlations", width=260, height=260).encode(
            x=alt.X("a:N", sort=columns, title=None), y=alt.Y("b:N", sort=columns, title=None))
        heat = base.mark_rect().encode(
            color=alt.Color("r:Q", scale=alt.Scale(scheme="redblue", domain=[-1, 1], reverse=True),
                            title="Pearson r"),
            tooltip=["a:N", "b:N", alt.Tooltip("r:Q", format=".3f")])
        text = base.mark_text(fontSize=9).encode(text=alt.Text("r:Q", format=".2f"))
        charts.append(heat + text)
    return alt.hconcat(*charts)
