"""Synthesize page pieces: the cost estimate, a finished run's synthetic set, and the list of past runs."""

from __future__ import annotations

import streamlit as st

from lib.data import workspace
from lib.data.schema import to_t20_csv
from lib.data.units import duration, gib
from lib.jobs import bodies, runner, store
from lib.jobs.history import engine_name, synth_runs_frame
from lib.jobs.kinds import SYNTH, SYNTH_SAMPLE
from models.synth.engines import engine_class
from pages.ui.common import frame_of, unique_set_name, unique_title

WIDGET_KEYS = {"fraction": "synth_fraction", "epochs": "synth_epochs", "shards": "synth_shards",
               "player_encoding": "synth_encoding", "top_k": "synth_top_k"}
"""Settings a suggestion may change -> the Synthesize page widget that holds them."""


@st.cache_data(max_entries=2, show_spinner="Selecting the training matches…")
def _training_frame(real_id: str, created: str):
    return bodies.training_matches(real_id)


@st.cache_data(max_entries=32, ttl=30, show_spinner="Estimating width, memory and time…")
def cached_estimate(real_id: str, created: str, engine: str, config: dict):
    """The cost estimate of training engine `engine` with `config` (its JSON) on a dataset's training matches.
    Kept for half a minute only, as it compares against the memory available now; recomputing is quick (prepare
    step and probe cached)."""
    engine_type = engine_class(engine)
    return engine_type.estimate(_training_frame(real_id, created), engine_type.config_class.from_json(config),
                                cache_dir=workspace.cache_root())


def _apply(changes: dict) -> None:
    for name, value in changes.items():
        st.session_state[WIDGET_KEYS[name]] = value



def estimate_ui(estimate) -> bool:
    """Show the estimate; offer settings that fit when it does not. Returns whether the run fits."""
    width = max(estimate.widths)
    cells = [("Transformed width", f"{width:,}"), ("Parameters", (f"{estimate.generator_parameters / 1e6:.1f}M + "
             f"{estimate.discriminator_parameters / 1e6:.1f}M")), ("Peak memory", gib(estimate.peak_bytes, 2)),
             ("Per epoch", duration(estimate.seconds_per_epoch)), ("Total", duration(estimate.total_seconds))]
    for column, (label, value) in zip(st.columns(len(cells)), cells):
        column.metric(label, value)
    st.caption(f"{estimate.shards} model(s) of {estimate.rows_per_shard:,} training rows, {estimate.steps_per_epoch:,} "
               f"steps per epoch; {gib(estimate.available_bytes)} of memory available now.")
    if estimate.fits:
        return True
    st.error(f"Refused: this run needs about {gib(estimate.peak_bytes)} but "
             f"{gib(estimate.available_bytes)} is available. Pick settings that fit:")
    for column, suggestion in zip(st.columns(max(len(estimate.suggestions), 1)), estimate.suggestions):
        column.button(f"Use {suggestion.label} (~{gib(suggestion.peak_bytes)})", on_click=_apply,
                      args=(suggestion.changes,), key=f"suggest-{suggestion.label}")
    return False


def result_ui(run) -> None:
    """The synthetic set a finished run made: preview, counts, download, rename."""
    info = workspace.dataset_info(run.result["dataset"])
    frame = frame_of(info)
    st.subheader("Synthetic set")
    a, b, c = st.columns(3)
    a.metric("Rows", f"{info.rows:,}")
    b.metric("Redrawn for cricket rules", f"{run.result['redrawn_share']:.2%}")
    stats = run.result.get("stats", {})
    c.metric("Seconds per epoch (measured)", f"{stats.get('seconds_per_epoch', 0):.1f}",
             delta=None if not run.estimate or run.estimate.get("seconds_per_epoch") is None else
             f"{stats.get('seconds_per_epoch', 0) - run.estimate['seconds_per_epoch']:+.1f} vs predicted",
             delta_color="off")
    st.dataframe(frame.head(20), hide_index=True)
    st.download_button("Download synthetic t20.csv", data=lambda: to_t20_csv(frame), mime="text/csv",
                       file_name=f"{workspace.slug(info.name)}.csv")
    name = st.text_input("Name", info.name, key=f"rename-{info.id}")
    if name != info.name and st.button("Rename", key=f"rename-button-{info.id}"):
        workspace.rename_dataset(info.id, name)
        st.rerun()
    st.page_link("pages/2_Evaluate.py", label="Evaluate this synthetic set →")


def past_runs_ui(real) -> None:
    """Every synthesizer run with its settings and predicted-vs-actual cost; reopen, sample again, resume one
    that did not finish, or delete."""
    runs = runner.list_runs(SYNTH)
    if not runs:
        return
    st.subheader("Past runs")
    st.dataframe(synth_runs_frame(runs), hide_index=True, width="stretch")
    finished = [run for run in runs if not run.active]
    if not finished:
        return
    run = st.selectbox("Run", finished, format_func=lambda r: f"{r.title} ({r.state})", key="past-run")
    open_col, sample_col, delete_col = st.columns(3)
    if open_col.button("Reopen"):
        st.session_state["synth_run"] = run.id
        st.rerun()
    if run.state == store.DONE:
        rows = sample_col.number_input("Rows", 100, 5_000_000, 30_000, step=1000, key="resample-rows")
        if sample_col.button("Sample again"):
            params = {"model_id": run.result["model"], "real_id": run.params["real_id"], "rows": int(rows),
                      "name": unique_set_name(run.params["name"]), "sample_seed": None, "engine": engine_name(run)}
            title = unique_title(f"Sample {rows:,} rows from {run.title}")
            st.session_state["synth_run"] = runner.submit(SYNTH_SAMPLE, params, title).id
            st.rerun()
    if bodies.can_resume(run) and sample_col.button("Resume from checkpoint",
                                                   help="Continue this run from its last checkpoint."):
        st.session_state["synth_run"] = runner.submit(SYNTH, bodies.resume_params(run),
                                                     f"{run.title.removesuffix(' (resumed)')} (resumed)").id
        st.rerun()
    if delete_col.button("Delete", help="Removes the run and its synthesizer; synthetic sets it made stay."):
        bodies.delete_synth_run(run.id)
        st.session_state.pop("synth_run", None)
        st.rerun()
