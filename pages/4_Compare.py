"""Compare: real-only against augmented win-probability models, scored on held-out real matches."""

import json

import streamlit as st

from lib.charts.wp import calibration_chart, history_chart, ratio_chart, roc_chart
from lib.jobs import runner, store
from lib.jobs.history import lineage
from lib.jobs.kinds import WP_COMPARE
from lib.wp.metrics import METRICS
from lib.wp.report import REFERENCE_MEANING, augmented_ratios, load_report, report_table, verdict_lines
from lib.wp.saved import model_zip
from pages.ui.common import workspace_notices

st.set_page_config(page_title="Compare · Crease Lab", page_icon="🏏", layout="wide")
st.title("Compare")
workspace_notices()
st.write("Does adding synthetic rows make the win-probability model better? Each arm's mean over seeds, with a 95% "
         "interval, and its difference to the real-only arm.")


@st.cache_data(max_entries=8)
def cached_report(run_id: str) -> dict:
    return load_report(run_id)


def run_ui():
    runs = [run for run in runner.list_runs(WP_COMPARE) if run.state == store.DONE]
    if not runs:
        st.info("No finished comparison yet: run one on the Augment & train page.")
        st.page_link("pages/3_Augment_and_Train.py", label="Augment & train →")
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
st.caption("Each verdict reads the 95% interval of the paired difference to real-only, over training seeds and "
           "over test sets resampled match by match: **helps** or **hurts** when the whole interval lies on one "
           "side of 0, **no detectable effect** when it holds 0.")
st.markdown(REFERENCE_MEANING)
st.dataframe(report_table(report), width="stretch")
tabs = ["ROC", "Calibration", "Loss per epoch"] + (["Ratio sweep"] if len(augmented_ratios(report)) > 1 else [])
for tab, name in zip(st.tabs(tabs), tabs):
    with tab:
        if name == "ROC":
            st.altair_chart(roc_chart(report))
        elif name == "Calibration":
            st.altair_chart(calibration_chart(report))
        elif name == "Loss per epoch":
            st.altair_chart(history_chart(report))
        else:
            metric = st.radio("Metric", list(METRICS), format_func=lambda m: METRICS[m].label, horizontal=True)
            st.altair_chart(ratio_chart(report, metric))
st.caption(f"Curves are from the {report['curves_from']}.")
for note in report["notes"]:
    st.caption(f"Note: {note}")
st.download_button("Download the report (JSON)", json.dumps(report, indent=1), file_name=f"{run.id}.json",
                   mime="application/json")
for arm, model_id in report.get("models", {}).items():
    st.download_button(f"Download the {arm} model (.keras and .h5)", data=lambda m=model_id: model_zip(m),
                       file_name=f"{model_id}.zip", mime="application/zip", key=f"model-{model_id}")
