"""Match: ball-by-ball win probability of one match, from the models trained in this workspace."""

import streamlit as st

from lib.charts.wp import overlapping_chart, side_by_side_chart
from lib.data import workspace
from lib.wp import match_curve
from lib.wp.match_curve import DEATH_OVERS, POWERPLAY_OVERS
from lib.wp.saved import stored_models
from models.wp.model import WPModel
from pages.ui.common import show_error, workspace_notices
from pages.ui.match import (
    comparisons_ui,
    dataset_match_ui,
    file_match_ui,
    label_models,
    scorecard_ui,
    short_names,
    synthetic_match_ui,
)

st.set_page_config(page_title="Match · Crease Lab", page_icon="🏏", layout="wide")
st.title("Match")
workspace_notices()
st.write("How a win-probability model you trained reads one match, real or synthetic, delivery by delivery; pick "
         "two models to see them side by side.")
FROM_DATASET, FROM_SYNTHETIC, FROM_FILE = ("A real match from a dataset", "A synthetic match",
                                           "Upload one Cricsheet match (.json)")


@st.cache_resource(max_entries=4, show_spinner="Loading the model…")
def load_model(model_id: str) -> WPModel:
    return WPModel.load(workspace.artifact_dir("wp", model_id))


def models_ui() -> list[dict]:
    models = stored_models()
    if not models:
        st.info("No win-probability model yet: train one on the Augment & train page.")
        st.page_link("pages/3_Augment_and_Train.py", label="Augment & train →")
        st.stop()
    label_models(models)
    chosen = st.multiselect("Model (one, or two to compare)", models, default=models[:1], max_selections=2,
                            format_func=lambda m: m["label"])
    if not chosen:
        st.stop()
    comparisons_ui(chosen)
    short_names(chosen)
    if len({m["features"] for m in chosen}) > 1:
        st.warning("These models were trained on different feature variants; the match is computed with the first's.")
    return chosen


def curves_ui(curves: dict, card) -> None:
    first = next(iter(curves.values()))
    st.subheader(f"{first.team1} v {first.team2} — won by {first.winner}" if card is None
                 else f"Synthetic match {card.match_id}: {card.result}")
    side, overlap = st.tabs(["Side by side", "Overlapping innings"])
    side.altair_chart(side_by_side_chart(curves))
    overlap.altair_chart(overlapping_chart(curves))
    st.caption("Black points are wickets (hover for who was out). Shaded: powerplay (overs "
               f"{POWERPLAY_OVERS[0] + 1}-{POWERPLAY_OVERS[1]}), death overs ({DEATH_OVERS[0] + 1}-{DEATH_OVERS[1]}).")
    if card is not None:
        scorecard_ui(card)
    for name, curve in curves.items():
        if curve.unknown_deliveries:
            st.info(f"{name}: {curve.unknown_deliveries} of {len(curve.deliveries)} deliveries had a batter or bowler "
                    "this model never saw in training; they used the unknown-player embedding.")
    for name, curve in curves.items():  # one under the other: side by side, the change column is cut off
        st.markdown(f"**Biggest swings · {name}**")
        st.dataframe(match_curve.biggest_swings(curve), hide_index=True)
    if len(curves) == 2:
        scores = match_curve.brier_scores(curves)
        for column, (name, score) in zip(st.columns(2), scores.items()):
            column.metric(f"Brier score on this match · {name}", f"{score:.4f}", help="Lower is better.")


chosen = models_ui()
models = {m["name"]: load_model(m["id"]) for m in chosen}
first_model = next(iter(models.values()))
source = st.radio("Match source", [FROM_DATASET, FROM_SYNTHETIC, FROM_FILE], horizontal=True)
card = None
try:
    if source == FROM_SYNTHETIC:
        rows, card = synthetic_match_ui(first_model.features, chosen)
    elif source == FROM_DATASET:
        rows = dataset_match_ui(first_model.features, chosen)
    else:
        rows = file_match_ui(first_model.features, first_model.vocabulary, chosen)
    curves = {label: match_curve.win_curve(match_curve.for_model(rows, model.vocabulary), model)
              for label, model in models.items()}
except (ValueError, workspace.NotFound) as error:
    show_error(error)
    st.stop()
curves_ui(curves, card)
