"""Altair chart builders for the win-probability side: arm comparison curves and one match's win probability.

Comparison charts read the JSON report of `lib.wp.compare` (so a report reloaded from disk draws the same);
match charts read `lib.wp.match_curve.MatchCurve`. ROC and calibration charts carry their reference diagonal.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from lib.data.schema import INNINGS
from lib.wp.match_curve import MatchCurve, overs_bands
from lib.wp.metrics import METRICS
from lib.wp.report import arm_summaries

DIAGONAL = pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]})
PHASE_SCALE = alt.Scale(domain=["powerplay", "death overs"], range=["#c6dbef", "#fdd0a2"])
# Okabe & Ito's colour-blind-safe palette: each arm keeps its colour in every chart and report, real-only is black
# so that it reads as the baseline, the reference grey as it is not a neural model.
ARM_COLOURS = {"real": "#000000", "reference": "#999999", "synthetic": "#D55E00", "augmented@0.25": "#E69F00",
               "augmented@0.5": "#56B4E9", "augmented@1": "#009E73", "augmented@2": "#0072B2"}
_OTHER_ARM_COLOURS = ["#CC79A7", "#F0E442", "#882255", "#44AA99"]


def arm_scale(arms) -> alt.Scale:
    """The colour scale of these arms: fixed colours for the usual arms, further ratios in order after them."""
    arms = list(dict.fromkeys(arms))
    others = iter(_OTHER_ARM_COLOURS * len(arms))
    return alt.Scale(domain=arms, range=[ARM_COLOURS.get(arm) or next(others) for arm in arms])


def _arm_colour(arms) -> alt.Color:
    return alt.Color("arm:N", title="arm", scale=arm_scale(arms), sort=list(dict.fromkeys(arms)))


def _real_on_top(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of `real` last, so its line is drawn over the others rather than hidden under them."""
    return frame.assign(_top=frame["arm"].eq("real")).sort_values("_top", kind="stable").drop(columns="_top")


def _diagonal(label: str) -> alt.Chart:
    return alt.Chart(DIAGONAL).mark_line(strokeDash=[4, 4], color="gray").encode(
        x="x:Q", y="y:Q", tooltip=alt.value(label))


def roc_chart(report: dict) -> alt.LayerChart:
    """ROC curves of every arm overlaid, with the chance diagonal."""
    curves = {arm: (points["fpr"], points["tpr"]) for arm, points in report["roc"].items()}
    return _curves_on_diagonal(curves, "ROC on held-out real matches", ("fpr", "false positive rate"),
                               ("tpr", "true positive rate"), "chance", points=False)


def calibration_chart(report: dict) -> alt.LayerChart:
    """Share of wins against mean predicted probability per bin, per arm, with the perfect-calibration diagonal."""
    curves = {arm: (points["prob_pred"], points["prob_true"]) for arm, points in report["calibration"].items()}
    return _curves_on_diagonal(curves, "Calibration on held-out real matches",
                               ("predicted", "mean predicted win probability"), ("observed", "share of rows won"),
                               "perfectly calibrated", points=True)


def _curves_on_diagonal(curves: dict[str, tuple[list, list]], title: str, x: tuple[str, str], y: tuple[str, str],
                        diagonal: str, points: bool) -> alt.LayerChart:
    """One line per arm on the unit square (x, y: field name and axis title), the real arm drawn on top and thicker,
    over the dashed diagonal named `diagonal`. Points with a missing x (an arm with one class) are left out."""
    (x_name, x_title), (y_name, y_title) = x, y
    rows = [{"arm": arm, x_name: a, y_name: b} for arm, (xs, ys) in curves.items() for a, b in zip(xs, ys)
            if a is not None]
    frame = _real_on_top(pd.DataFrame(rows, columns=["arm", x_name, y_name]))
    lines = alt.Chart(frame, title=title).mark_line(point=points).encode(
        x=alt.X(f"{x_name}:Q", title=x_title, scale=alt.Scale(domain=[0, 1])),
        y=alt.Y(f"{y_name}:Q", title=y_title, scale=alt.Scale(domain=[0, 1])),
        color=_arm_colour(curves),
        strokeWidth=alt.condition(alt.datum.arm == "real", alt.value(3), alt.value(1.5)),
        tooltip=["arm:N", alt.Tooltip(f"{x_name}:Q", format=".3f"), alt.Tooltip(f"{y_name}:Q", format=".3f")],
    )
    return (_diagonal(diagonal) + lines).properties(height=360)


SET_DASHES = alt.Scale(domain=["training", "validation"], range=[[1, 0], [6, 4]])
"""Training loss solid, validation loss dashed."""
SET_SHAPES = alt.Scale(domain=["training", "validation"], range=["circle", "triangle-up"])
"""Their epoch marks differ too, for short lines whose dashes barely show."""
DASH_LEGEND = alt.Legend(orient="bottom", symbolType="stroke", symbolStrokeColor="black", symbolStrokeWidth=2,
                         symbolSize=300, symbolFillColor="transparent")
"""A legend that draws each dash; a line with points would otherwise show two identical dots."""


def history_chart(report: dict) -> alt.FacetChart:
    """Training and validation loss per epoch of each neural arm (first seed), one panel per arm and one line per
    training phase, so neither arms nor phases are joined into a line that would read as overfitting."""
    rows = [
        {"arm": arm, "epoch": epoch["epoch"], "phase": epoch.get("phase") or "training", "set": name,
         "loss": epoch[key]}
        for arm, seeds in report["histories"].items() if seeds and seeds[0]
        for epoch in seeds[0]
        for key, name in (("loss", "training"), ("val_loss", "validation")) if epoch.get(key) is not None
    ]
    frame = pd.DataFrame(rows, columns=["arm", "epoch", "phase", "set", "loss"])
    frame["line"] = frame["phase"] + ", " + frame["set"]
    trained = list(dict.fromkeys(frame["arm"]))  # the reference has no epochs: no panel, no legend entry
    return alt.Chart(frame, height=200, width=200).mark_line(point=True).encode(
        x=alt.X("epoch:Q", title="epoch (phases in order)", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("loss:Q", title="binary cross-entropy", scale=alt.Scale(zero=False)),
        color=alt.Color("arm:N", title="arm", scale=arm_scale(trained), sort=trained,
                        legend=alt.Legend(orient="bottom", labelLimit=0)),
        strokeDash=alt.StrokeDash("set:N", title="loss on", scale=SET_DASHES, legend=DASH_LEGEND),
        shape=alt.Shape("set:N", title="loss on", scale=SET_SHAPES, legend=None),
        detail="line:N",
        tooltip=["arm:N", "phase:N", "set:N", "epoch:Q", alt.Tooltip("loss:Q", format=".4f")],
    ).facet(facet=alt.Facet("arm:N", title=None, sort=trained), columns=3).properties(
        title="Loss per epoch (first seed); a new phase starts a new line")


def ratio_chart(report: dict, metric: str = "accuracy") -> alt.LayerChart:
    """Mean and 95% interval of one metric against the synthetic-to-real ratio (real-only at ratio 0), the
    intervals the score table shows (lib.wp.report.arm_summaries)."""
    rows = []
    for arm, summary in arm_summaries(report).items():
        if arm == "real" or arm.startswith("augmented@"):
            ratio = 0.0 if arm == "real" else float(arm.split("@")[1])
            value = summary[metric]
            low, high = value["ci"]
            rows.append({"ratio": ratio, "mean": value["mean"], "low": low, "high": high, "arm": arm})
    frame = pd.DataFrame(rows).sort_values("ratio")
    label = METRICS[metric].label
    base = alt.Chart(frame, title=f"{label} against synthetic rows per real row", height=300).encode(
        x=alt.X("ratio:Q", title="synthetic rows per real training row"))
    line = base.mark_line(point=True).encode(
        y=alt.Y("mean:Q", title=f"{label} {METRICS[metric].arrow} (mean over seeds)", scale=alt.Scale(zero=False)),
        tooltip=["arm:N", alt.Tooltip("mean:Q", format=".4f"), alt.Tooltip("low:Q", format=".4f"),
                 alt.Tooltip("high:Q", format=".4f")])
    bars = base.mark_errorbar().encode(y=alt.Y("low:Q", title=""), y2="high:Q")
    return line + bars


def _bands(curve: MatchCurve, within_innings: bool) -> alt.Chart:
    return alt.Chart(overs_bands(curve, within_innings)).mark_rect(opacity=0.35).encode(
        x="start:Q", x2="end:Q", color=alt.Color("phase:N", scale=PHASE_SCALE, title="phase"))


def _phase_shaded(layers: alt.LayerChart) -> alt.LayerChart:
    """Layers share one colour scale unless told otherwise, and the phase bands' fixed domain would then leave
    every team's line without a colour (drawn invisible)."""
    return layers.resolve_scale(color="independent")


def _model_legend(curves: dict) -> alt.Legend | None:
    """Below the chart, one model per line, so that long model names are not cut at the chart's right edge."""
    return None if len(curves) == 1 else alt.Legend(orient="bottom", direction="vertical", labelLimit=0)


def side_by_side_chart(curves: dict[str, MatchCurve]) -> alt.LayerChart:
    """Win probability (0-100) of both teams at every delivery across the match, one line per team (and per
    model when several), a rule at the innings break, wickets as points, powerplay and death overs shaded."""
    first = next(iter(curves.values()))
    rows = []
    for model, curve in curves.items():
        frame = curve.deliveries
        for team, values in ((curve.team1, frame["team1_wp"]), (curve.team2, 100 - frame["team1_wp"])):
            rows.append(frame.assign(team=team, win=values.to_numpy(), model=model))
    data = pd.concat(rows, ignore_index=True)
    x = alt.X("delivery:Q", title="delivery number in the match (both innings)")
    lines = alt.Chart(data).mark_line().encode(
        x=x, y=alt.Y("win:Q", title="win probability (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("team:N", title="team", legend=alt.Legend(labelLimit=0)),
        strokeDash=alt.StrokeDash("model:N", title="model", legend=_model_legend(curves)),
        tooltip=["model:N", "team:N", "delivery:Q", alt.Tooltip("win:Q", format=".1f"), "batter:N", "bowler:N"])
    wickets = alt.Chart(data[(data["wicket"] == 1) & (data["team"] == first.team1)]).mark_point(
        filled=True, size=70, color="black").encode(
        x=x, y="win:Q", tooltip=["model:N", alt.Tooltip("playerOut:N", title="out"), "bowler:N", "delivery:Q"])
    rule = alt.Chart(pd.DataFrame({"x": [first.innings_break]})).mark_rule(color="gray").encode(
        x="x:Q", tooltip=alt.value("innings break"))
    return _phase_shaded(_bands(first, within_innings=False) + lines + wickets + rule).properties(
        height=380, title=f"{first.team1} v {first.team2}: side by side")


def overlapping_chart(curves: dict[str, MatchCurve]) -> alt.LayerChart:
    """Each batting side's win probability (0-100) against the delivery number within its innings."""
    first = next(iter(curves.values()))
    data = pd.concat([c.deliveries.assign(model=m, win=100 * c.deliveries["wp"]) for m, c in curves.items()],
                     ignore_index=True)
    x = alt.X("innings_delivery:Q", title="delivery number within the innings")
    lines = alt.Chart(data).mark_line().encode(
        x=x, y=alt.Y("win:Q", title="batting side's win probability (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("battingTeam:N", title="batting side", legend=alt.Legend(labelLimit=0)),
        strokeDash=alt.StrokeDash("model:N", title="model", legend=_model_legend(curves)),
        detail=f"{INNINGS}:N",
        tooltip=["model:N", "battingTeam:N", "innings_delivery:Q", alt.Tooltip("win:Q", format=".1f"), "batter:N",
                 "bowler:N"])
    wickets = alt.Chart(data[data["wicket"] == 1]).mark_point(filled=True, size=70, color="black").encode(
        x=x, y="win:Q", tooltip=["model:N", alt.Tooltip("playerOut:N", title="out"), "bowler:N", "battingTeam:N"])
    return _phase_shaded(_bands(first, within_innings=True) + lines + wickets).properties(
        height=380, title=f"{first.team1} v {first.team2}: overlapping innings")
