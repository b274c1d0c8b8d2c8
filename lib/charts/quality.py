"""Altair charts of synthetic-data quality: scores per column and correlation heatmaps."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lib.charts.data import REAL, SYNTHETIC


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
