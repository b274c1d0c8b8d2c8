"""Evaluate: how close a synthetic set is to the real deliveries, each score between a floor and a ceiling."""

import streamlit as st

from lib.charts.data import REAL, SYNTHETIC, distribution_chart
from lib.charts.quality import (
    correlation_differences,
    correlation_heatmaps,
    difference_heatmap,
    player_shares_chart,
    score_bars,
    synthesizer_loss_chart,
)
from lib.data import workspace
from lib.data.schema import MODEL_COLUMNS, NUMERIC_COLUMNS, PLAYER_COLUMNS
from lib.jobs import store
from lib.jobs.history import run_engine
from lib.quality.report import PLAIN_WORDS, ScoreReport, check_made_from
from pages.ui.common import frame_of, real_dataset_or_stop, show_error, synthetic_picker, workspace_notices
from pages.ui.evaluate import (
    checks_ui,
    downloads_ui,
    evaluate,
    privacy_ui,
    scores_ui,
    utility_ui,
    whole_matches_ui,
)
from pages.ui.synth import LOSS_READING

st.set_page_config(page_title="Evaluate · Crease Lab", page_icon="🏏", layout="wide")
workspace_notices()
st.title("Evaluate")
st.write("How close a synthetic set is to the real deliveries. Every score is read between two references computed "
         "in the same run: the **floor**, the synthesizer's training rows with each column shuffled on its own "
         "(right columns, no relations), and the **ceiling**, real matches the synthesizer never saw.")


def detail_tabs(report: ScoreReport, real_rows, synthetic_rows, vocabulary, made_by: str | None) -> None:
    per_column_tab, distributions, pairs, describe, losses = st.tabs(
        ["Per column", "Distributions", "Pair trends", "describe()", "Training loss"])
    with per_column_tab:
        st.altair_chart(score_bars(report.per_column()))
        for metric in ("KSComplement", "TVComplement", "ContingencySimilarity"):
            st.caption(f"**{metric}**: {PLAIN_WORDS[metric]}")
    with distributions:
        column = st.selectbox("Column", MODEL_COLUMNS)
        if column in PLAYER_COLUMNS:
            st.altair_chart(player_shares_chart(real_rows[column], synthetic_rows[column], column, vocabulary),
                            width="stretch")
        else:
            st.altair_chart(distribution_chart({REAL: real_rows[column], SYNTHETIC: synthetic_rows[column]},
                                               column, height=300), width="stretch")
    with pairs:
        st.caption(f"**CorrelationSimilarity**: {PLAIN_WORDS['CorrelationSimilarity']} The average hides lost "
                   "relations, so here is every pair, the largest loss first.")
        st.altair_chart(difference_heatmap(real_rows, synthetic_rows, NUMERIC_COLUMNS))
        st.dataframe(correlation_differences(real_rows, synthetic_rows, NUMERIC_COLUMNS), hide_index=True)
        st.altair_chart(correlation_heatmaps(real_rows, synthetic_rows, NUMERIC_COLUMNS))
    with describe:
        for label, rows in ((REAL, real_rows), (SYNTHETIC, synthetic_rows)):
            st.markdown(f"**{label.capitalize()} rows** ({len(rows):,})")
            # tall enough for every row, so the table never scrolls
            st.dataframe(rows.describe().T, width="stretch", height=(len(rows.columns) + 1) * 35 + 3)
    with losses:
        losses_ui(made_by)


def losses_ui(made_by: str | None) -> None:
    epochs = store.epochs(made_by) if made_by else []
    if not epochs:
        st.info("No training record: this set was not made by a synthesizer trained in this workspace.")
        return
    engine = run_engine(store.get(made_by))
    st.altair_chart(synthesizer_loss_chart(epochs, engine.loss_names,
                                           f"Training loss of the run that made this set ({made_by})",
                                           engine.separate_stages))
    st.caption(LOSS_READING.get(engine.name, ""))


real = real_dataset_or_stop(key="eval-real")
try:
    synthetic = synthetic_picker(real, "Synthetic set", key="eval-synthetic")
    if synthetic is not None:
        check_made_from(real.id, synthetic.extra)
except ValueError as error:
    show_error(error)
    st.stop()
if synthetic is None:
    st.stop()
report = evaluate(real, synthetic)
real_rows, synthetic_rows = frame_of(real)[MODEL_COLUMNS], frame_of(synthetic)[MODEL_COLUMNS]
vocabulary = workspace.load_vocabulary(real.id)
scores_ui(report)
checks_ui(report)
utility_ui(report)
privacy_ui(report, vocabulary)
st.caption(report.sampling)
whole = whole_matches_ui(real, synthetic)
detail_tabs(report, real_rows, synthetic_rows, vocabulary, synthetic.extra.get("synthesizer_id"))
downloads_ui(report, real_rows, synthetic_rows, whole)
