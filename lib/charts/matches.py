"""Altair charts of whole matches: innings totals, wickets, runs in each over and the phases of an innings, for the
real training matches, the synthetic matches and the unseen real matches of lib.quality.matches.WholeMatchReport.

The training matches take the real colour and the synthetic matches the synthetic colour, as on every chart; the
unseen real matches (the ceiling) a third colour. Totals are binned here with numpy, so a chart carries a few
dozen points per set, never one per innings.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.data import REAL_COLOUR, SYNTHETIC_COLOUR
from lib.data.schema import INNINGS
from lib.quality.matches import BAND, PHASES, SET_LABELS

UNSEEN_COLOUR = "#805ad5"
"""The unseen real matches: purple, apart from the real blue and the synthetic orange."""
SET_SCALE = alt.Scale(domain=list(SET_LABELS.values()), range=[REAL_COLOUR, SYNTHETIC_COLOUR, UNSEEN_COLOUR])
INNINGS_LABELS = {1: "first innings", 2: "second innings (the chase)"}
EVENT_LABELS = {"dot": "dots", "4": "4s", "6": "6s", "wicket": "wickets"}
TOTAL_BIN = 10
"""Runs per bin of the totals chart."""
PANEL_WIDTH = 340
"""Width of one panel: two side by side, with their axes, fit the page's column on a 1280-pixel screen."""
PHASE_OVERS = ", ".join(f"{phase} overs {start + 1}-{stop}" for phase, (start, stop) in PHASES.items())


def _colour() -> alt.Color:
    # full-opacity symbols, whatever mark (a faint band) the legend is drawn from
    return alt.Color("set:N", scale=SET_SCALE, title=None,
                     legend=alt.Legend(orient="top", labelLimit=0, symbolOpacity=1, symbolType="circle"))


def totals_chart(totals: pd.DataFrame) -> alt.FacetChart:
    """The distribution of innings totals per set, first innings and chase side by side, one line per set.

    Args:
        totals: WholeMatchReport.totals(): "set", "innings" (1, 2), "runs".
    """
    low = np.floor(totals["runs"].min() / TOTAL_BIN) * TOTAL_BIN
    edges = np.arange(low, totals["runs"].max() + TOTAL_BIN + 1, TOTAL_BIN)
    parts = []
    for (name, innings), runs in totals.groupby(["set", INNINGS], sort=False)["runs"]:
        counts, _ = np.histogram(runs, bins=edges)
        parts.append(pd.DataFrame({"set": name, "innings": INNINGS_LABELS[innings], "runs": edges[:-1] + TOTAL_BIN / 2,
                                   "from": edges[:-1], "share": counts / max(counts.sum(), 1)}))
    return alt.Chart(pd.concat(parts, ignore_index=True), width=PANEL_WIDTH, height=220).mark_line(point=True).encode(
        x=alt.X("runs:Q", title=f"runs in the innings ({TOTAL_BIN}-run bins)"),
        y=alt.Y("share:Q", title="share of innings", axis=alt.Axis(format="%")),
        color=_colour(),
        tooltip=["set:N", alt.Tooltip("from:Q", title="runs from"), alt.Tooltip("share:Q", format=".1%")],
    ).facet(column=alt.Column("innings:N", sort=list(INNINGS_LABELS.values()), title=None),
            title="Innings totals")


def wickets_chart(wickets: pd.DataFrame) -> alt.Chart:
    """The share of innings that lost 0, 1, ... 10 wickets, the sets' bars side by side.

    Args:
        wickets: WholeMatchReport.wickets(): "set", "wickets".
    """
    shares = (wickets.groupby("set", sort=False)["wickets"].value_counts(normalize=True)
              .rename("share").reset_index())
    title = alt.Title("Wickets per innings", anchor="start")
    # "pad": the height is the plot's; Streamlit's theme would otherwise take the title and legend out of it
    return alt.Chart(shares, width=2 * PANEL_WIDTH, height=220, title=title,
                     autosize=alt.AutoSizeParams(type="pad")).mark_bar().encode(
        x=alt.X("wickets:O", title="wickets lost in the innings", scale=alt.Scale(domain=list(range(11))),
                axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("set:N", sort=SET_SCALE.domain),
        y=alt.Y("share:Q", title="share of innings", axis=alt.Axis(format="%")),
        color=_colour(),
        tooltip=["set:N", "wickets:O", alt.Tooltip("share:Q", format=".1%")],
    )


def runs_by_over_chart(runs: pd.DataFrame) -> alt.FacetChart:
    """Mean runs in each over as a line per set, the middle of its innings (BAND) between two dashed lines, first
    innings and chase side by side.

    Args:
        runs: WholeMatchReport.runs_by_over(): "set", "innings", "over" (1-based), "mean", "low", "high", "reached".
    """
    data = runs.assign(innings=runs[INNINGS].map(INNINGS_LABELS))
    base = alt.Chart(width=PANEL_WIDTH, height=240).encode(
        x=alt.X("over:Q", title="over", scale=alt.Scale(domain=[1, 20]), axis=alt.Axis(tickMinStep=1)),
        color=_colour())
    # a faint fill and dashed edges: the sets' bands mostly coincide, and solid fills would blend into one colour
    band = base.mark_area(opacity=0.06).encode(y="low:Q", y2="high:Q")
    edges = [base.mark_line(strokeDash=[3, 3], strokeWidth=1).encode(y=f"{edge}:Q") for edge in ("low", "high")]
    line = base.mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=15)).encode(
        y=alt.Y("mean:Q", title="runs in the over"),
        tooltip=["set:N", "over:Q", alt.Tooltip("mean:Q", format=".2f", title="mean runs"),
                 alt.Tooltip("low:Q", format=".1f", title=f"{BAND[0]:.0%} of innings made at most"),
                 alt.Tooltip("high:Q", format=".1f", title=f"{BAND[1]:.0%} of innings made at most"),
                 alt.Tooltip("reached:Q", format=",", title="innings that reached the over")])
    title = alt.Title("Runs in each over", subtitle=f"line: mean over the innings that reached the over; dashed: "
                      f"the middle of those innings, {BAND[0]:.0%} to {BAND[1]:.0%} percentile", offset=12)
    return alt.layer(band, *edges, line, data=data).facet(
        column=alt.Column("innings:N", sort=list(INNINGS_LABELS.values()), title=None), title=title)


def phase_chart(shares: pd.DataFrame) -> alt.FacetChart:
    """Per event (dots, 4s, 6s, wickets), its share of each phase's deliveries, the sets' bars side by side; each
    event on its own scale, since dots are ten times as common as 6s.

    Args:
        shares: WholeMatchReport.phase_shares(): "phase", "event", "set", "share".
    """
    data = shares.assign(event=shares["event"].map(EVENT_LABELS))
    return alt.Chart(data, width=PANEL_WIDTH - 40, height=180).mark_bar().encode(
        x=alt.X("phase:N", sort=list(PHASES), title=None, axis=alt.Axis(labelAngle=0, labelOverlap=False)),
        xOffset=alt.XOffset("set:N", sort=SET_SCALE.domain),
        y=alt.Y("share:Q", title="share of the phase's deliveries", axis=alt.Axis(format="%")),
        color=_colour(),
        tooltip=["event:N", "phase:N", "set:N", alt.Tooltip("share:Q", format=".1%")],
    ).facet(facet=alt.Facet("event:N", sort=list(EVENT_LABELS.values()), title=None), columns=2,
            title=alt.Title(f"Dots, 4s, 6s and wickets by phase ({PHASE_OVERS})",
                            subtitle="4s and 6s: deliveries worth 4 or 6 runs, extras included (rows tell only a "
                                     "delivery's total)")).resolve_scale(y="independent")
