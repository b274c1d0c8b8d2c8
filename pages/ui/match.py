"""Match page pieces: the models' short names, picking a match (from a dataset, a synthetic set or a file) with
whether each model trained on it, and a synthetic match's simulated scorecard."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from lib.data import workspace
from lib.data.cricsheet.importer import BATTING_TEAM
from lib.data.schema import MATCH_ID
from lib.data.vocabulary import Vocabulary
from lib.jobs import store
from lib.jobs.history import run_title
from lib.wp import match_curve
from lib.wp.report import ROLE_WORDS, held_out_mask, load_report, match_role
from lib.wp.saved import drew_from
from lib.wp.scorecard import BATTING_NOTE, BOWLING_NOTE, Scorecard, match_results, scorecard
from pages.ui.common import active_dataset, frame_of, load_frame


def label_models(models: list[dict]) -> None:
    """Give each stored model a short "label" for the picker: its arm, with the time its comparison started when the
    workspace holds several comparisons ("real · run of 02 Dec 00:35"); `comparisons_ui` names the runs."""
    labels = _distinct(models, (lambda m: m["arm"], lambda m: f"{m['arm']} · run of {_started(m['run'])}",
                                lambda m: f"{m['arm']} · {run_title(m['run']) or m['run']}"))
    for model, label in zip(models, labels):
        model["label"] = label


def short_names(chosen: list[dict]) -> None:
    """Give each chosen model a "name" for headings, legends and notes: its arm, and when two share an arm, the
    time its comparison started ("real, run of 02 Dec 00:35")."""
    names = _distinct(chosen, (lambda m: m["arm"], lambda m: f"{m['arm']}, run of {_started(m['run'])}",
                               lambda m: f"{m['arm']}, {run_title(m['run']) or m['run']}"))
    for model, name in zip(chosen, names):
        model["name"] = name


def _distinct(models: list[dict], forms) -> list[str]:
    """The first of `forms` (shortest first) that names every model differently; numbered when none does."""
    for form in forms:
        names = [form(model) for model in models]
        if len(set(names)) == len(names):
            return names
    return [f"{name} ({number})" for number, name in enumerate(names, 1)]


def comparisons_ui(chosen: list[dict]) -> None:
    """Under the picker, which comparison trained the chosen models, once per comparison."""
    runs = {}
    for model in chosen:
        runs.setdefault(model["run"], []).append(model["arm"])
    st.caption(" ".join(f"{', '.join(arms)}: {run_title(run) or 'trained alone'}, started {_started(run)}."
                        for run, arms in runs.items()))


def _started(run_id: str) -> str:
    try:
        return time.strftime("%d %b %H:%M", time.localtime(store.get(run_id).created))
    except (workspace.NotFound, LookupError):
        return run_id


@st.cache_data(max_entries=8)
def comparison_report(run_id: str) -> dict | None:
    """The report of the comparison that trained a model; None when there is none (deleted, or trained alone)."""
    try:
        return load_report(run_id)
    except (OSError, ValueError, workspace.NotFound):
        return None


def role_of(run_id: str, match_id) -> str | None:
    """lib.wp.report.match_role of a match in the comparison that trained a model; None when unknown (no report,
    or its real dataset is gone)."""
    report = comparison_report(run_id)
    try:
        real = workspace.dataset_info(report["real_id"]) if report and report.get("real_id") else None
    except workspace.NotFound:
        return None
    return None if real is None else _role(run_id, real.id, real.created, match_id)


@st.cache_data(max_entries=64)
def _role(run_id: str, real_id: str, created: str, match_id) -> str:
    """match_role, once per match and version of the dataset (splitting a large one takes a moment)."""
    return match_role(comparison_report(run_id), load_frame(real_id, created), match_id)


def training_notes(chosen: list[dict], match_id, dataset_id: str | None, by_id: bool = False) -> None:
    """Under the match, per model, whether it trained on it. A match of another dataset than the model's is judged
    only when `by_id` (an uploaded Cricsheet file, whose id is the match's id everywhere)."""
    for model in chosen:
        role = role_of(model["run"], match_id) if by_id or model.get("real") == dataset_id else None
        if role is not None:
            words = ROLE_WORDS[role]
            st.caption(f"{model['name']}: {words}" + (f" Judged by its match id, {match_id} (the file's name)."
                                                      if by_id else ""))
        elif model.get("real") and model["real"] != dataset_id:
            st.caption(f"{model['name']}: trained on another dataset, so whether it saw this match is not known.")
        else:
            st.caption(f"{model['name']}: which matches it trained on is not recorded.")


def dataset_match_ui(features: str | None, chosen: list[dict]) -> pd.DataFrame:
    """A match from a stored dataset with player names and the models' feature variant: the first model's own
    dataset by default, and its held-out test matches only, when they are known."""
    usable = [info for info in workspace.list_datasets("real")
              if info.features == features and BATTING_TEAM in workspace.dataset_columns(info.id)]
    if not usable:
        st.info(f"No dataset with match details and the {features or 'unknown'} feature variant: import a "
                "Cricsheet zip or use the embedded sample, or upload one match file.")
        st.stop()
    ids = [info.id for info in usable]
    first = next((d for d in (chosen[0].get("real"), getattr(active_dataset(), "id", None)) if d in ids), ids[0])
    info = st.selectbox("Dataset", usable, index=ids.index(first), format_func=lambda i: i.label)
    table = match_table(info.id, info.created, info.features)
    report = comparison_report(chosen[0]["run"]) if chosen[0].get("real") == info.id else None
    test = held_out_mask(report, table[MATCH_ID])
    only_test = st.toggle("Held-out test matches only", value=test is not None, disabled=test is None,
                          help="Matches the first model never trained on: its comparison held them out to test it.")
    if test is None:
        st.caption("Which matches were held out is known only for a model trained by a comparison on this dataset.")
    elif only_test:
        table = table[test]
    match_id = st.selectbox("Match", table[MATCH_ID], format_func=dict(zip(table[MATCH_ID], table["label"])).get)
    training_notes(chosen, match_id, info.id)
    return match_curve.match_rows(frame_of(info), match_id)


def file_match_ui(features: str | None, vocabulary: Vocabulary | None, chosen: list[dict]) -> pd.DataFrame:
    """One uploaded Cricsheet match, imported with the first model's feature variant and players, and whether each
    model trained on it (by its id: the file's name)."""
    upload = st.file_uploader("One Cricsheet match file", type=["json"])
    if upload is None:
        st.stop()
    rows = match_curve.rows_from_file(upload, upload.name, features or "leakfree", vocabulary)
    training_notes(chosen, rows[MATCH_ID].iloc[0], None, by_id=True)
    return rows


@st.cache_data(max_entries=4, show_spinner="Reading the matches…")
def match_table(dataset_id: str, created: str, features: str | None) -> pd.DataFrame:
    """The matches of a stored dataset with their scores and results, for a picker."""
    frame = load_frame(dataset_id, created)
    return match_curve.match_table(frame, match_results(frame, features, workspace.load_events(dataset_id)))


@st.cache_data(max_entries=4)
def real_vocabulary(dataset_id: str | None) -> Vocabulary | None:
    """The players of the real dataset a synthetic set was made from; None when unknown or deleted."""
    try:
        return workspace.load_vocabulary(dataset_id) if dataset_id else None
    except (ValueError, workspace.NotFound):
        return None


def synthetic_match_ui(features: str | None, chosen: list[dict]) -> tuple[pd.DataFrame, Scorecard]:
    """A match from a synthetic set of whole matches: its rows, described as a real match's, and its scorecard."""
    usable, notes = match_curve.synthetic_sets(features)
    for note in notes:
        st.caption(note)
    if not usable:
        st.info("No synthetic set of whole matches in this model's feature variant yet: train the Matches "
                "simulator on the Synthesize page and sample a set from it.")
        st.page_link("pages/1_Synthesize.py", label="Synthesize →")
        st.stop()
    info = st.selectbox("Synthetic set", usable, format_func=lambda i: f"{i.label}, {i.matches:,} matches")
    table = match_table(info.id, info.created, info.features)
    match_id = st.selectbox("Synthetic match", table[MATCH_ID],
                            format_func=dict(zip(table[MATCH_ID], table["label"])).get)
    for model in chosen:
        st.caption(f"{model['name']}: " + (
            "**may have trained on this match**: its training rows were drawn in part from this synthetic set."
            if drew_from(model, info.id) else "never trained on this synthetic set."))
    vocabulary = real_vocabulary(info.extra.get("real_id"))
    rows = match_curve.synthetic_match_rows(frame_of(info), match_id, vocabulary, info.features)
    return rows, scorecard(rows, vocabulary, info.features)


def scorecard_ui(card: Scorecard) -> None:
    """Both innings side by side: the total, the batting card, extras and the bowling card."""
    st.subheader("Simulated scorecard")
    for column, innings in zip(st.columns(len(card.innings)), card.innings):
        column.markdown(f"**{innings.title}**")
        column.dataframe(innings.batting, hide_index=True)
        column.caption(f"Extras (wides and no-balls): {innings.extras}")
        column.dataframe(innings.bowling, hide_index=True)
    st.caption(f"{BATTING_NOTE} {BOWLING_NOTE}")
