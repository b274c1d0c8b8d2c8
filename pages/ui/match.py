"""Match page pieces: picking a synthetic match of a whole-match set, and its simulated scorecard."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.data import workspace
from lib.data.schema import MATCH_ID
from lib.data.vocabulary import Vocabulary
from lib.wp import match_curve
from lib.wp.saved import drew_from
from lib.wp.scorecard import BATTING_NOTE, BOWLING_NOTE, Scorecard, match_results, scorecard
from pages.ui.common import frame_of, load_frame


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
        st.caption(f"{model['label']}: " + (
            "**may have trained on this match**: its training rows were drawn in part from this synthetic set."
            if drew_from(model, info.id) else "never trained on this synthetic set."))
    vocabulary = real_vocabulary(info.extra.get("real_dataset"))
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
