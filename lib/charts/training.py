"""Altair charts of training: loss per epoch of a job's trainings. Pages only display what these return."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

PARTS_AXIS = "epoch (one line per training, in the order they ran)"
"""The x axis of a multi-part job's losses."""


def loss_chart(epochs: list[dict], losses: tuple[str, ...], title: str = "Training loss",
               separate_stages: bool = False) -> alt.Chart:
    """Loss per epoch, one line per named loss and part: the parts of a multi-part job (CTGAN's shards, a
    comparison's trainings) run in turn on one axis, each its own line, never joined to the next; with
    `separate_stages`, each stage (a model of its own) starts at epoch 1 with its own dash.

    Args:
        epochs: run-store epoch records (step, stage, epoch, and one key per loss).
        losses: which loss keys to draw, e.g. ("generator", "discriminator").
        separate_stages: the stages are separate models (models.synth.base.Synthesizer.separate_stages).
    """
    frame = pd.DataFrame(epochs)
    if frame.empty:
        frame = pd.DataFrame(columns=["step", "stage", "epoch", *losses])
    frame = frame.assign(overall=np.arange(1, len(frame) + 1))
    long = frame.melt(id_vars=["overall", "stage", "epoch"], value_vars=[c for c in losses if c in frame],
                      var_name="loss", value_name="value").dropna(subset=["value"])
    multi_part = frame["stage"].nunique() > 1 if "stage" in frame else False
    if separate_stages:
        legend = alt.Legend(symbolType="stroke", symbolStrokeColor="black", symbolStrokeWidth=2, symbolSize=300,
                            symbolFillColor="transparent")  # else the dash of each stage is not drawn
        dash = alt.StrokeDash("stage:N", title=None, legend=legend)
        x, by_stage = "epoch:Q", {"strokeDash": dash} if multi_part else {}
    else:  # each part its own line: the last epoch of one training and the first of the next are unrelated
        x, by_stage = "overall:Q", {"detail": "stage:N"} if multi_part else {}
    return (
        alt.Chart(long, title=title, height=260)
        .mark_line(point=True)
        .encode(
            x=alt.X(x, title=PARTS_AXIS if multi_part and not separate_stages else "epoch",
                    axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("value:Q", title="loss", scale=alt.Scale(zero=False)),  # what matters is how the losses move
            color=alt.Color("loss:N", title=None),
            tooltip=["stage:N", "epoch:Q", "loss:N", alt.Tooltip("value:Q", format=".4f")],
            **by_stage,
        )
    )
