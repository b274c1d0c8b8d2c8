"""Match: ball-by-ball win probability of one match, from the models trained in this workspace."""

import streamlit as st

from lib.charts.wp import overlapping_chart, side_by_side_chart
from lib.data import workspace
from lib.data.cricsheet.importer import BATTING_TEAM
from lib.data.schema import MATCH_ID
from lib.jobs.history import run_title
from lib.wp import match_curve
from lib.wp.match_curve import DEATH_OVERS, POWERPLAY_OVERS
from lib.wp.report import held_out, held_out_mask, load_report
from lib.wp.saved import stored_models
from models.wp.model import WPModel
from pages.ui.common import active_dataset, frame_of, show_error, workspace_notices
from pages.ui.match import match_table, scorecard_ui, synthetic_match_ui

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


@st.cache_data(max_entries=8)
def comparison_report(run_id: str, dataset_id: str) -> dict | None:
    """The report of the comparison that trained a model, when it was trained on `dataset_id`."""
    try:
        report = load_report(run_id)
    except (OSError, ValueError, workspace.NotFound):
        return None
    return report if report.get("real_id") == dataset_id else None


def models_ui() -> list[dict]:
    models = stored_models()
    if not models:
        st.info("No win-probability model yet: train one on the Augment & train page.")
        st.page_link("pages/3_Augment_and_Train.py", label="Augment & train →")
        st.stop()
    for model in models:
        model["label"] = f"{model['arm']} · {run_title(model['run']) or 'trained alone'}"
    chosen = st.multiselect("Model (one, or two to compare)", models, default=models[:1], max_selections=2,
                            format_func=lambda m: m["label"])
    if not chosen:
        st.stop()
    if len({m["features"] for m in chosen}) > 1:
        st.warning("These models were trained on different feature variants; the match is computed with the first's.")
    return chosen


def dataset_match_ui(features: str | None, chosen: list[dict]):
    """A match from a stored dataset with player names and the models' feature variant."""
    usable = [info for info in workspace.list_datasets("real")
              if info.features == features and BATTING_TEAM in workspace.dataset_columns(info.id)]
    if not usable:
        st.info(f"No dataset with match details and the {features or 'unknown'} feature variant: import a "
                "Cricsheet zip or use the embedded sample, or upload one match file.")
        st.stop()
    active = getattr(active_dataset(), "id", None)
    ids = [info.id for info in usable]
    info = st.selectbox("Dataset", usable, index=ids.index(active) if active in ids else 0,
                        format_func=lambda i: i.label)
    table = match_table(info.id, info.created, info.features)
    test = held_out_mask(comparison_report(chosen[0]["run"], info.id), table[MATCH_ID])
    only_test = st.toggle("Held-out test matches only", value=test is not None, disabled=test is None,
                          help="Matches the first model never trained on: its comparison held them out to test it.")
    if test is None:
        st.caption("Which matches were held out is known only for a model trained by a comparison on this dataset.")
    elif only_test:
        table = table[test]
    match_id = st.selectbox("Match", table[MATCH_ID], format_func=dict(zip(table[MATCH_ID], table["label"])).get)
    for model in chosen:
        report = comparison_report(model["run"], info.id)
        seen = None if report is None else held_out(report, match_id)
        if seen is not None:
            st.caption(f"{model['label']}: " + ("a **held-out test match** of this model: it never trained on it."
                                                if seen else "**not a test match**: this model may have trained on it."))
    return match_curve.match_rows(frame_of(info), match_id)


def file_match_ui(model: WPModel):
    upload = st.file_uploader("One Cricsheet match file", type=["json"])
    if upload is None:
        st.stop()
    return match_curve.rows_from_file(upload, upload.name, model.features or "leakfree", model.vocabulary)


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
    for column, (name, curve) in zip(st.columns(len(curves)), curves.items()):
        column.markdown(f"**Biggest swings · {name}**")
        column.dataframe(match_curve.biggest_swings(curve), hide_index=True)
    if len(curves) == 2:
        scores = match_curve.brier_scores(curves)
        for column, (name, score) in zip(st.columns(2), scores.items()):
            column.metric(f"Brier score on this match · {name}", f"{score:.4f}", help="Lower is better.")


chosen = models_ui()
models = {m["label"]: load_model(m["id"]) for m in chosen}
first_model = next(iter(models.values()))
source = st.radio("Match source", [FROM_DATASET, FROM_SYNTHETIC, FROM_FILE], horizontal=True)
card = None
try:
    if source == FROM_SYNTHETIC:
        rows, card = synthetic_match_ui(first_model.features, chosen)
    else:
        rows = dataset_match_ui(first_model.features, chosen) if source == FROM_DATASET else file_match_ui(first_model)
    curves = {label: match_curve.win_curve(match_curve.for_model(rows, model.vocabulary), model)
              for label, model in models.items()}
except (ValueError, workspace.NotFound) as error:
    show_error(error)
    st.stop()
curves_ui(curves, card)
