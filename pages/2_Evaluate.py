"""Evaluate: how close a synthetic set is to the real deliveries, each score between a floor and a ceiling."""

import json
import math

import streamlit as st

from lib.charts.data import REAL, SYNTHETIC, distribution_chart
from lib.charts.quality import (
    correlation_differences,
    correlation_heatmaps,
    difference_heatmap,
    player_shares_chart,
    references_chart,
    score_bars,
    synthesizer_loss_chart,
)
from lib.data import workspace
from lib.data.schema import MODEL_COLUMNS, NUMERIC_COLUMNS, PLAYER_COLUMNS
from lib.jobs import store
from lib.jobs.history import run_engine
from lib.quality.fidelity import REGULARS
from lib.quality.html import report_html
from lib.quality.matches import with_whole_matches
from lib.quality.report import (
    FLOOR_AHEAD,
    PLAIN_WORDS,
    check_made_from,
    memorisation_table,
    per_column,
    references_table,
    scores_csv,
)
from pages.ui.common import active_dataset, dataset_picker, frame_of, show_error, synthetic_picker, workspace_notices
from pages.ui.evaluate import evaluate, whole_matches_ui
from pages.ui.synth import LOSS_READING

st.set_page_config(page_title="Evaluate · Crease Lab", page_icon="🏏", layout="wide")
workspace_notices()
st.title("Evaluate")
st.write("How close a synthetic set is to the real deliveries. Every score is read between two references computed "
         "in the same run: the **floor**, the synthesizer's training rows with each column shuffled on its own "
         "(right columns, no relations), and the **ceiling**, real matches the synthesizer never saw.")


def position_colour(position: float) -> str:
    """Streamlit colour of a position: green from 3/4 of the way to the ceiling, orange from 1/4, red below."""
    return "gray" if math.isnan(position) else "green" if position >= 0.75 else "orange" if position >= 0.25 else "red"


def headline_ui(report: dict) -> None:
    st.subheader("Headline")
    table = references_table(report)
    for card, row in zip(st.columns(4), table.head(4).itertuples()):
        reach = "no position" if math.isnan(row.position) else f"position {row.position:.2f}"
        card.metric(row.score.split(" (")[0], f"{row.synthetic:.3f}",
                    f"floor {row.floor:.3f} · ceiling {row.ceiling:.3f} · {reach}", delta_color="off",
                    help=row.score)
    overall = report["position"]
    st.subheader(f"Overall position :{position_colour(overall)}[{overall:.2f}]")
    st.caption("0 = no better than the floor (independent columns), 1 = as close to the training matches as unseen "
               "real matches; below 0 or above 1 is possible. The colour comes from this position; the published "
               "run is only a labelled historical reference.")
    st.dataframe(table, hide_index=True, column_config={
        "floor": st.column_config.NumberColumn("floor: independent columns", format="%.3f"),
        "synthetic": st.column_config.NumberColumn("synthetic", format="%.3f"),
        "ceiling": st.column_config.NumberColumn("ceiling: unseen real matches", format="%.3f"),
        "position": st.column_config.NumberColumn("position (0 floor, 1 ceiling)", format="%.2f"),
        "published": st.column_config.NumberColumn("published run (historical)", format="%.3f")})
    if report["floor_ahead"]:
        st.caption(f"No position for {', '.join(report['floor_ahead'])}: {FLOOR_AHEAD}")
    st.altair_chart(references_chart(table), width="stretch")
    st.caption(report["basis"])


def coherence_ui(report: dict) -> None:
    left, middle, right = st.columns(3)
    coherence, detection, references = report["coherence"], report["detection"], report["references"]
    left.metric(f"Cricket coherence ({report['variant']})", f"{coherence['share']:.1%}",
                help="Share of rows whose columns describe a possible delivery.")
    left.markdown("A delivery obeys:\n" + "\n".join(f"- {text}" for text in report["identities"]))
    validity = report["validity"]
    before = validity["share_before_redraw"]
    middle.metric("Cricket validity (bounds), delivered", f"{validity['share']:.1%}",
                  help="Share of rows within bounds: wickets 0..10, balls >= 0, known players, outcome 0/1.")
    middle.caption("Of the raw generator output, before rows breaking a bound were redrawn: "
                   + ("unknown (not recorded with this set)" if before is None else f"{before:.1%}")
                   + ". Coherence of the raw output is not recorded; the coherence shown is of the delivered rows.")
    right.metric("Detection ROC AUC", f"{detection['auc']:.3f}",
                 help=f"{PLAIN_WORDS['detection']} {detection['model']}.")
    right.caption(f"Floor {references['independent']['detection']['auc']:.3f}, ceiling "
                  f"{references['unseen']['detection']['auc']:.3f}. {PLAIN_WORDS['detection']} {detection['model']}.")


def utility_ui(report: dict) -> None:
    utility = report["utility"]
    st.subheader("Utility: train on synthetic, test on real")
    st.dataframe([{"trained on": "synthetic rows only", "ROC AUC": utility["synthetic_auc"],
                   "Brier loss": utility["synthetic_brier"]},
                  {"trained on": "as many real training rows", "ROC AUC": utility["real_auc"],
                   "Brier loss": utility["real_brier"]}], hide_index=True)
    st.caption(f"{utility['model']}: {utility['train_rows']:,} training rows each, tested on the "
               f"{utility['test_rows']:,} rows of the held-out test matches. Higher AUC and lower Brier are better.")
    st.subheader("Training matches against unseen matches")
    st.dataframe(memorisation_table(report), hide_index=True)
    st.caption("The synthetic set scored against the matches its synthesizer learned from and against matches it "
               "never saw: a large gap means it copied its training matches rather than learning the game.")


def privacy_ui(report: dict, vocabulary) -> None:
    privacy = report["privacy"]
    if not privacy:
        return
    a, b = st.columns(2)
    a.metric("Exact copies of real rows", f"{privacy['copy_share']:.2%}",
             help="Share of sampled synthetic rows equal to a real delivery in all ten columns.")
    b.metric("DCR baseline protection", f"{privacy['dcr_baseline_score']:.3f}", help=PLAIN_WORDS["DCR"])
    st.caption(f"DCR: {PLAIN_WORDS['DCR']}")
    missing = {column: players for column, players in report["missing_regulars"].items() if players}
    if missing:
        st.warning(f"Regulars missing from the synthetic set (top {REGULARS} by real deliveries): " + "; ".join(
            f"{column}: {', '.join((vocabulary and vocabulary.player_name(column, p)) or str(p) for p in players)}"
            for column, players in missing.items()))


def detail_tabs(report: dict, real_rows, synthetic_rows, vocabulary) -> None:
    per_column_tab, distributions, pairs, describe, losses = st.tabs(
        ["Per column", "Distributions", "Pair trends", "describe()", "Training loss"])
    with per_column_tab:
        st.altair_chart(score_bars(per_column(report)))
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
            st.dataframe(rows.describe().T, width="stretch", height=(len(rows.columns) + 1) * 35 + 3)  # every row, no scrolling
    with losses:
        losses_ui(report)


def losses_ui(report: dict) -> None:
    made_by = report["provenance"]["synthesizer run"]
    epochs = store.epochs(made_by)
    if not epochs:
        st.info("No training record: this set was not made by a synthesizer trained in this workspace.")
        return
    engine = run_engine(store.get(made_by))
    st.altair_chart(synthesizer_loss_chart(epochs, engine.loss_names,
                                           f"Training loss of the run that made this set ({made_by})",
                                           engine.separate_stages))
    st.caption(LOSS_READING.get(engine.name, ""))


real = dataset_picker("Real dataset", kind="real", default=getattr(active_dataset(), "id", None), key="eval-real")
if real is None:
    st.info("Load a dataset on the Home page first.")
    st.stop()
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
headline_ui(report)
coherence_ui(report)
utility_ui(report)
privacy_ui(report, vocabulary)
st.caption(report["sampling"])
whole = whole_matches_ui(real, synthetic)
detail_tabs(report, real_rows, synthetic_rows, vocabulary)
st.download_button("Download the report (HTML, opens offline)",
                   lambda: report_html(report, real_rows, synthetic_rows, whole), "evaluation.html", "text/html")
st.download_button("Download the score report (JSON)", json.dumps(with_whole_matches(report, whole), indent=1),
                   "scores.json", "application/json")
st.download_button("Download every score (CSV)", scores_csv(report), "scores.csv", "text/csv")
