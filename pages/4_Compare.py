"""Compare: real-only against augmented win-probability models, scored on held-out real matches."""

import json

import streamlit as st

from lib.charts.wp import calibration_chart, history_chart, ratio_chart, roc_chart
from lib.jobs import runner, store
from lib.jobs.history import lineage
from lib.jobs.kinds import WP_COMPARE
from lib.wp.metrics import METRICS
from lib.wp.report import (
    INTERVALS_NOTE,
    REFERENCE_MEANING,
    augmented_ratios,
    difference_table,
    load_report,
    report_notes,
    score_table,
    verdict_lines,
)
from lib.wp.saved import model_zip
from lib.wp.verdict import VERDICT_RULE
from pages.ui.common import workspace_notices
from pages.ui.jobs import describe, running_run

st.set_page_config(page_title="Compare · Crease Lab", page_icon="🏏", layout="wide")
st.title("Compare")
workspace_notices()
st.write("Does adding synthetic rows make the win-probability model better? Each arm's mean over seeds, with a 95% "
         "interval, and its difference to the real-only arm.")
AUGMENT_PAGE = "pages/3_Augment_and_Train.py"


@st.cache_data(max_entries=8)
def cached_report(run_id: str) -> dict:
    return load_report(run_id)


@st.fragment(run_every=2.0)
def running_ui(run_id: str) -> None:
    """A comparison still training: its progress, polled, and where to follow it; the page reruns when it ends."""
    run = runner.get(run_id)
    if not run.active:
        st.rerun()
    st.info(f"A comparison is {run.state}: its verdict, table and curves appear here when it finishes.")
    st.progress(min(max(run.progress, 0.0), 1.0), text=describe(run, store.epochs(run.id)))
    st.page_link(AUGMENT_PAGE, label="Follow it on Augment & train (loss per epoch, Cancel) →")


def run_ui():
    running = running_run(WP_COMPARE)
    if running is not None:
        running_ui(running.id)
    runs = [run for run in runner.list_runs(WP_COMPARE) if run.state == store.DONE]
    if not runs:
        if running is None:
            st.info("No finished comparison yet: run one on the Augment & train page.")
            st.page_link(AUGMENT_PAGE, label="Augment & train →")
        st.stop()
    return st.selectbox("Comparison", runs, format_func=lambda run: run.title)


run = run_ui()
report = cached_report(run.id)
st.caption("From: " + " → ".join(lineage(run)))
st.markdown(f"**{report['split_label']}.** Every score is on the same {report['test_matches']:,} held-out **real** "
            "matches; no synthetic row is in any test or validation set.")
VERDICT_BOX = {"helps": st.success, "hurts": st.error, "mixed": st.warning}
st.subheader("Verdict")
lines = verdict_lines(report)
if not lines:
    st.info("This comparison was stored before verdicts existed; run it again to get one.")
for effect, sentence in lines:
    VERDICT_BOX.get(effect, st.info)(sentence)
st.caption(VERDICT_RULE)
st.markdown(REFERENCE_MEANING)
st.markdown("**Scores** (↑ higher is better, ↓ lower is better)")
st.dataframe(score_table(report))
st.markdown("**Difference to real-only** (the arm minus real-only, on the same test matches and seeds)")
st.dataframe(difference_table(report))
st.caption(INTERVALS_NOTE)
seeds = len(report.get("seeds", [])) or "its"
FIRST_SEED = f"Curves are from the {report['curves_from']}."
tabs = ["ROC", "Calibration", "Loss per epoch"] + (["Ratio sweep"] if len(augmented_ratios(report)) > 1 else [])
for tab, name in zip(st.tabs(tabs), tabs):
    with tab:
        if name == "ROC":
            st.altair_chart(roc_chart(report))
            st.caption(FIRST_SEED)
        elif name == "Calibration":
            st.altair_chart(calibration_chart(report))
            st.caption(FIRST_SEED)
        elif name == "Loss per epoch":
            st.altair_chart(history_chart(report))
            st.caption(FIRST_SEED + " Solid lines are the training loss, dashed the validation loss.")
        else:
            metric = st.radio("Metric", list(METRICS), format_func=lambda m: METRICS[m].label, horizontal=True)
            st.altair_chart(ratio_chart(report, metric))
            st.caption(f"Each point is an arm's mean over {seeds} seeds on all test rows, with the 95% interval of "
                       "the score table; real-only sits at 0 synthetic rows per real row.")
for note in report_notes(report):
    st.caption(f"Note: {note}")
st.download_button("Download the report (JSON)", json.dumps(report, indent=1), file_name=f"{run.id}.json",
                   mime="application/json")
for arm, model_id in report.get("models", {}).items():
    st.download_button(f"Download the {arm} model (.keras and .h5)", data=lambda m=model_id: model_zip(m),
                       file_name=f"{model_id}.zip", mime="application/zip", key=f"model-{model_id}")
