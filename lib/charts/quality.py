"""Altair charts of synthetic-data quality: scores per column, the references, correlation heatmaps and their
differences, player shares and the synthesizer's losses."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lib.charts.data import REAL, REAL_COLOUR, SOURCE_SCALE, SYNTHETIC, SYNTHETIC_COLOUR
from lib.charts.training import loss_chart
from lib.data.schema import BATTER
from lib.data.vocabulary import Vocabulary


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
    scale = alt.Scale(scheme="redblue", domain=[-1, 1], reverse=True)
    return alt.hconcat(*(_pair_heatmap(frame[columns].corr(), f"{source} correlations", 260, "Pearson r", scale, "")
                         for source, frame in ((REAL, real), (SYNTHETIC, synthetic))))


def _pair_heatmap(matrix: pd.DataFrame, title: str, size: int, legend: str, scale: alt.Scale, sign: str) -> alt.Chart:
    """A square matrix over the same columns as a heat map with each cell's value written in it; `sign` is "+"
    for values whose sign always shows."""
    columns = list(matrix.columns)
    long = matrix.reset_index(names="a").melt(id_vars="a", var_name="b", value_name="value")
    base = alt.Chart(long, title=title, width=size, height=size).encode(
        x=alt.X("a:N", sort=columns, title=None), y=alt.Y("b:N", sort=columns, title=None))
    heat = base.mark_rect().encode(color=alt.Color("value:Q", scale=scale, title=legend),
                                   tooltip=["a:N", "b:N", alt.Tooltip("value:Q", title=legend, format=f"{sign}.3f")])
    return heat + base.mark_text(fontSize=9).encode(text=alt.Text("value:Q", format=f"{sign}.2f"))


REFERENCE_COLOURS = alt.Scale(domain=["floor: independent columns", "synthetic", "ceiling: unseen real matches"],
                              range=["#a0aec0", SYNTHETIC_COLOUR, REAL_COLOUR])
"""Floor grey, synthetic in the synthetic colour, ceiling in the real colour (it is real data)."""


def references_chart(table: pd.DataFrame) -> alt.Chart:
    """Per score, the floor, the synthetic set and the ceiling as three points on one line.

    Args:
        table: lib.quality.report.references_table (score, floor, synthetic, ceiling, ...), overall row included.
    """
    long = table.rename(columns={"floor": "floor: independent columns",
                                 "ceiling": "ceiling: unseen real matches"}).melt(
        id_vars="score", value_vars=list(REFERENCE_COLOURS.domain), var_name="set", value_name="value")
    base = alt.Chart(long, title="Each score between its floor and its ceiling", height=alt.Step(26)).encode(
        y=alt.Y("score:N", sort=None, title=None, axis=alt.Axis(labelLimit=380)))
    rule = base.mark_rule(color="#cbd5e0").encode(x=alt.X("min(value):Q", title="score"), x2="max(value):Q")
    points = base.mark_point(filled=True, size=90).encode(
        x="value:Q", color=alt.Color("set:N", scale=REFERENCE_COLOURS, title=None,
                                     legend=alt.Legend(orient="bottom", labelLimit=0)),
        tooltip=["score:N", "set:N", alt.Tooltip("value:Q", format=".3f")])
    return rule + points


def correlation_differences(real: pd.DataFrame, synthetic: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Every pair of `columns` (each once) with its Pearson r in both sets and the real-minus-synthetic
    difference, sorted by the largest absolute difference first."""
    real_r, synthetic_r = real[columns].corr(), synthetic[columns].corr()
    rows = [{"pair": f"{a} / {b}", "real r": real_r.loc[a, b], "synthetic r": synthetic_r.loc[a, b],
             "difference": real_r.loc[a, b] - synthetic_r.loc[a, b]}
            for i, a in enumerate(columns) for b in columns[i + 1:]]
    frame = pd.DataFrame(rows)
    return frame.iloc[frame["difference"].abs().sort_values(ascending=False).index].reset_index(drop=True)


def difference_heatmap(real: pd.DataFrame, synthetic: pd.DataFrame, columns: list[str]) -> alt.Chart:
    """Real minus synthetic Pearson r for every pair of `columns`, -2..2: white where the synthetic set keeps the
    relation, dark where it loses it (a relation at -0.75 in real and 0 in synthetic shows as -0.75)."""
    scale = alt.Scale(scheme="purpleorange", domain=[-1, 1], clamp=True)
    return _pair_heatmap(real[columns].corr() - synthetic[columns].corr(), "Real minus synthetic correlation", 300,
                         "real r − synthetic r", scale, "+")


def player_shares_chart(real: pd.Series, synthetic: pd.Series, column: str, vocabulary: Vocabulary | None = None,
                        top: int = 20) -> alt.Chart:
    """Share of deliveries of the `top` real players of one player column, real and synthetic side by side.

    Args:
        real, synthetic: the player column of each set (indices).
        column: its name (batsmanIdx or bowlerIdx).
        vocabulary: the dataset's player names, or None to label players by index.
        top: how many of the players with the most real deliveries to show.
    """
    players = real.value_counts().index[:top]
    label = {p: (vocabulary and vocabulary.player_name(column, p)) or f"player {p}" for p in players}
    rows = [{"player": label[p], "source": source, "share": float((series == p).mean())}
            for source, series in ((REAL, real), (SYNTHETIC, synthetic)) for p in players]
    who = "batters" if column == BATTER else "bowlers"
    return alt.Chart(pd.DataFrame(rows), title=f"The {top} {who} with the most real deliveries ({column})",
                     height=alt.Step(12)).mark_bar().encode(
        y=alt.Y("player:N", sort=[label[p] for p in players], title=None),
        yOffset="source:N",
        x=alt.X("share:Q", title="share of all deliveries", axis=alt.Axis(format="%")),
        color=alt.Color("source:N", scale=SOURCE_SCALE, title=None),
        tooltip=["player:N", "source:N", alt.Tooltip("share:Q", format=".2%")])


LOSS_PALETTE = ("#d95f02", "#1b9e77", "#0072B2", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
"""Okabe and Ito's colour-blind-safe palette, its vermillion and bluish green in the shades the synthesizer's first
two losses always had (#d95f02, #1b9e77); neither is the real or the synthetic colour."""


def loss_colours(losses: tuple[str, ...]) -> alt.Scale:
    """One distinct colour per loss name, in order: CTGAN's ("generator", "discriminator") keep orange and green.

    Raises:
        ValueError: more losses than LOSS_PALETTE has colours.
    """
    if len(losses) > len(LOSS_PALETTE):
        raise ValueError(f"{len(losses)} losses is more than the {len(LOSS_PALETTE)} distinct colours of the loss "
                         "chart; an engine should report fewer losses per epoch.")
    return alt.Scale(domain=list(losses), range=list(LOSS_PALETTE[: len(losses)]))


def synthesizer_loss_chart(epochs: list[dict], losses: tuple[str, ...], title: str,
                           separate_stages: bool = False) -> alt.Chart:
    """A synthesizer's losses per epoch (lib.charts.training.loss_chart), each in its own colour.

    Args:
        epochs: run-store epoch records of a synthesizer run.
        losses: the loss names of its engine (models.synth.base.Synthesizer.loss_names).
        title: the chart's title.
        separate_stages: its engine's `separate_stages` (each stage a model of its own, from epoch 1).
    """
    return loss_chart(epochs, losses, title, separate_stages).encode(
        color=alt.Color("loss:N", scale=loss_colours(losses), title=None))
