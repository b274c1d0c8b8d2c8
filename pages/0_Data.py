"""Crease Lab's Home page: choose the T20 ball-by-ball data that every other page works on."""

import streamlit as st

from lib.charts.data import column_histograms
from lib.data import sources, workspace
from lib.data.schema import MATCH_ID, MODEL_COLUMNS, t20_columns
from lib.data.tables import to_t20_csv
from pages.ui import settings
from pages.ui.common import (
    active_dataset,
    dataset_picker,
    frame_of,
    load_frame,
    plain,
    set_active,
    show_error,
    workspace_notices,
)
from pages.ui.flow import flow_ui

st.set_page_config(page_title="Crease Lab", page_icon="🏏", layout="wide")
st.title("Crease Lab")
workspace_notices()
st.write(
    "Does synthetic data make your win-probability model better? Load T20 deliveries, train a synthesizer (CTGAN, "
    "or the matches simulator that plays whole matches), score its fidelity, then retrain the win-probability "
    "model on real + synthetic rows and compare both on held-out **real** matches."
)

SAMPLE, TABLE, CRICSHEET, STORED = (
    "Embedded sample (simulated league)", "Upload t20.csv or Parquet", "Upload Cricsheet JSON", "Workspace dataset",
)
SOURCES = [SAMPLE, TABLE, CRICSHEET, STORED]
VARIANTS = {"leakfree": "leak-free (recommended)", "yorkr": "yorkr (as the published t20.csv)"}
# Widgets whose values are kept in the workspace (pages.ui.settings), with what each accepts.
SOURCE_SETTINGS = {"home_source": settings.OneOf(tuple(SOURCES)), "home_features": settings.OneOf(tuple(VARIANTS))}


def source_ui() -> dict:
    """The dataset chooser; returns the user's choice as plain values."""
    settings.restore("home", SOURCE_SETTINGS)
    choice = st.radio("Data source", SOURCES, horizontal=True, key="home_source")
    picked = {"source": choice, "file": None, "features": sources.DEFAULT_FEATURES, "stored": None}
    if choice == TABLE:
        picked["file"] = st.file_uploader("t20.csv or Parquet, one row per delivery", type=["csv", "parquet"])
    elif choice == CRICSHEET:
        from lib.data.cricsheet.importer import VARIANT_HELP

        picked["features"] = st.radio("Feature variant", list(VARIANTS), format_func=VARIANTS.get, horizontal=True,
                                      key="home_features")
        st.caption(VARIANT_HELP[picked["features"]])
        picked["file"] = st.file_uploader("Cricsheet JSON zip (e.g. ipl_json.zip) or one match .json",
                                          type=["zip", "json"])
    elif choice == STORED:
        picked["stored"] = dataset_picker("Stored dataset", kind="real", default=st.session_state.get("active_dataset"))
        if picked["stored"] is None:
            st.info("No datasets in the workspace yet.")
    settings.remember("home", list(SOURCE_SETTINGS))
    return picked


def load_choice(picked: dict):
    """Turn the choice into a stored dataset, importing an upload only once per file and variant."""
    if picked["source"] == SAMPLE:
        with st.spinner("Simulating the sample league (first run only, about 15 s)…"):
            return sources.sample_dataset()
    if picked["source"] == STORED:
        return picked["stored"]
    upload = picked["file"]
    if upload is None:
        return None
    seen = st.session_state.setdefault("imported", {})
    key = f"{upload.file_id}:{picked['features'] if picked['source'] == CRICSHEET else 'table'}"
    if key not in seen:
        with st.spinner(f"Reading and checking {plain(upload.name)}…"):
            if picked["source"] == TABLE:
                seen[key] = sources.import_t20(upload, upload.name).id
            else:
                info, _ = sources.import_cricsheet_source(upload, upload.name, picked["features"])
                seen[key] = info.id
    return workspace.dataset_info(seen[key])


@st.cache_data(max_entries=4, show_spinner=False)
def overview(dataset_id: str, created: str):
    """describe() and the per-column histograms of a stored dataset, computed once per dataset."""
    frame = load_frame(dataset_id, created)
    return frame[MODEL_COLUMNS].describe().T, column_histograms(frame, MODEL_COLUMNS)


def dataset_ui(info: workspace.DatasetInfo) -> None:
    frame = frame_of(info)
    st.subheader(plain(info.name))
    st.caption(f"Source: {plain(info.source)}" + (f" · features: {info.features}" if info.features else ""))
    # the counts were taken when the dataset was stored (lib.data.workspace.save_dataset)
    for column, (label, value) in zip(st.columns(5), [
        ("Deliveries", f"{info.rows:,}"), ("Matches", f"{info.matches:,}"), ("Batters", f"{info.batters:,}"),
        ("Bowlers", f"{info.bowlers:,}"), ("Rows won by batting side", f"{info.won_share:.1%}"),
    ]):
        column.metric(label, value)
    if MATCH_ID not in frame:
        st.info("This file has no matchId column: matches were inferred from ballNum restarting at 1.")
    for line in info.extra.get("import_report", []):
        st.caption(line)
    if info.id == sources.sample_id() and info.matches != sources.SAMPLE_MATCHES:
        st.caption(f"{sources.SAMPLE_MATCHES:,} matches were simulated; {sources.SAMPLE_MATCHES - info.matches:,} "
                   "abandoned without a result are left out, as the Cricsheet import leaves out no-result matches.")
    st.download_button("Download as t20.csv", data=lambda: to_t20_csv(frame),
                       file_name=f"{workspace.slug(info.name)}.csv", mime="text/csv")
    with st.expander("Rows (first 200)"):
        st.dataframe(t20_columns(frame).head(200), hide_index=True)
    described, histograms = overview(info.id, info.created)
    st.dataframe(described, width="stretch")
    st.altair_chart(histograms)


flow_ui()
picked = source_ui()
try:
    chosen = load_choice(picked)
except (ValueError, workspace.NotFound) as error:
    show_error(error)
    chosen = None
if chosen is not None:
    set_active(chosen)
active = active_dataset()
if active is None:
    st.info("Choose a data source above to begin.")
else:
    if chosen is None or chosen.id != active.id:
        st.caption("Still working on the dataset chosen before:")
    dataset_ui(active)
    st.page_link("pages/1_Synthesize.py", label="Train a synthesizer on this data →")
