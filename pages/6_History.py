"""History: every run of every kind, where its inputs came from, and runs side by side."""

import time

import streamlit as st

from lib.jobs import runner, store
from lib.jobs.history import KIND_LABELS, all_runs_frame, side_by_side
from pages.ui.common import workspace_notices

st.set_page_config(page_title="History · Crease Lab", page_icon="🏏", layout="wide")
workspace_notices()
st.title("History")
st.write("Every synthesizer, sampling and comparison run with its settings, state, duration and headline numbers; "
         "pick two or more to see them side by side.")



def run_label(run) -> str:
    return f"{run.title} · {time.strftime('%Y-%m-%d %H:%M', time.localtime(run.created))}"


def filters_ui(runs) -> tuple[list[str], list[str], str]:
    """Kinds, states and a text the title must contain, as chosen."""
    left, middle, right = st.columns(3)
    kinds = left.multiselect("Kind", sorted({run.kind for run in runs}), format_func=lambda k: KIND_LABELS.get(k, k),
                             key="history_kinds")
    states = middle.multiselect("State", [store.QUEUED, store.RUNNING, store.DONE, store.FAILED, store.CANCELLED],
                                key="history_states")
    text = right.text_input("Title contains", key="history_text")
    return kinds, states, text


runs = runner.list_runs()
if not runs:
    st.info("No runs yet: train a synthesizer on the Synthesize page or compare models on Augment & train.")
    st.stop()
kinds, states, text = filters_ui(runs)
shown = [run for run in runs if (not kinds or run.kind in kinds) and (not states or run.state in states)
         and text.lower() in run.title.lower()]
st.caption(f"{len(shown):,} of {len(runs):,} runs. Lineage reads dataset → synthesizer run → synthetic set → run.")
# A static table wraps its long texts (lineage, headline numbers) where a scrolling grid cut them off.
st.table(all_runs_frame(shown).set_index("title"))
picked = st.multiselect("Side by side", shown, format_func=run_label, max_selections=4, key="history_pick",
                        help="Two synthesizer runs' settings and scores, or two comparisons' verdicts.")
if len(picked) >= 2:
    for group, table in side_by_side(picked).items():
        st.markdown(f"**{group[:1].upper()}{group[1:]}**")
        st.dataframe(table, width="stretch")
