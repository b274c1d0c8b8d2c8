"""Evaluate: how close a synthetic set is to the real deliveries, scored with sdmetrics."""

import json

import streamlit as st

from lib.charts.data import REAL, SYNTHETIC, distribution_chart
from lib.charts.quality import correlation_heatmaps, score_bars
from lib.charts.training import loss_chart
from lib.data.schema import MODEL_COLUMNS, NUMERIC_COLUMNS
from lib.jobs import store
from lib.quality.fidelity import REGULARS
from lib.quality.report import headline, per_column, score_report, scores_csv
from pages.ui.common import (
    active_dataset,
    dataset_picker,
    frame_of,
    load_frame,
    show_error,
    synthetic_picker,
    workspace_notices,
)

st.set_page_config(page_title="Evaluate · Crease Lab", page_icon="🏏", layout="wide")
st.title("Evaluate")
workspace_notices()
st.write("Fidelity of a synthetic set to the real data — column shapes, column pair trends and player coverage "
         "from sdmetrics — next to the published reference run, with cricket validity and privacy.")


@st.cache_data(max_entries=8, show_spinner="Scoring with sdmetrics…")
def cached_report(real_id: str, real_created: str, synthetic_id: str, synthetic_created: str) -> dict:
    return score_report(load_frame(real_id, real_created), load_frame(synthetic_id, synthetic_created))


def scores_ui(report: dict) -> None:
    st.subheader("Headline")
    table = headline(report)
    for card, row in zip(st.columns(len(table)), table.itertuples()):
        card.metric(row.group.split(" (")[0], f"{row.score:.3f}",
                    f"{row.difference:+.3f} vs published {row.published:.3f}", help=row.group)
    st.dataframe(table, hide_index=True, column_config={
        "score": st.column_config.ProgressColumn("score", min_value=0, max_value=1, format="%.3f"),
        "published": st.column_config.NumberColumn("published reference", format="%.3f"),
        "difference": st.column_config.NumberColumn("difference", format="%+.3f")})
    a, b, c = st.columns(3)
    a.metric("Cricket validity", f"{report['validity_score']:.1%}", help="Share of rows obeying the cricket rules.")
    if report["privacy"]:
        b.metric("Exact copies of real rows", f"{report['privacy']['copy_share']:.2%}")
        c.metric("DCR baseline protection", f"{report['privacy']['dcr_baseline_score']:.3f}",
                 help="1 = synthetic rows are as far from real rows as random rows are (sdmetrics).")
    st.caption(report["sampling"])
    missing = {column: players for column, players in report["missing_regulars"].items() if players}
    if missing:
        st.warning(f"Regulars missing from the synthetic set (top {REGULARS} by real deliveries): " + "; ".join(
            f"{column}: {', '.join(map(str, players))}" for column, players in missing.items()))


real = dataset_picker("Real dataset", kind="real", default=getattr(active_dataset(), "id", None), key="eval-real")
if real is None:
    st.info("Load a dataset on the Home page first.")
    st.stop()
try:
    synthetic = synthetic_picker(real, "Synthetic set", key="eval-synthetic")
except ValueError as error:
    show_error(error)
    st.stop()
if synthetic is None:
    st.stop()
report = cached_report(real.id, real.created, synthetic.id, synthetic.created)
real_rows, synthetic_rows = frame_of(real)[MODEL_COLUMNS], frame_of(synthetic)[MODEL_COLUMNS]
scores_ui(report)
per_column_tab, distributions, correlations, describe = st.tabs(
    ["Per column", "Distributions", "Correlations", "describe()"])
with per_column_tab:
    st.altair_chart(score_bars(per_column(report)))
with distributions:
    column = st.selectbox("Column", MODEL_COLUMNS)
    st.altair_chart(distribution_chart({REAL: real_rows[column], SYNTHETIC: synthetic_rows[column]}, column,
                                       height=300), width="stretch")
with correlations:
    st.altair_chart(correlation_heatmaps(real_rows, synthetic_rows, NUMERIC_COLUMNS))
with describe:
    left, right = st.columns(2)
    left.dataframe(real_rows.describe().T)
    right.dataframe(synthetic_rows.describe().T)
made_by = synthetic.extra.get("synthesizer")
epochs = store.epochs(made_by) if made_by else []
if epochs:
    st.altair_chart(loss_chart(epochs, ("generator", "discriminator"),
                               f"Training loss of the run that made this set ({made_by})"))
st.download_button("Download the score report (JSON)", json.dumps(report, indent=1), "scores.json", "application/json")
st.download_button("Download every score (CSV)", scores_csv(report), "scores.csv", "text/csv")
