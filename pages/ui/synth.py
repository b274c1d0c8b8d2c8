"""Synthesize page pieces: the cost estimate, a finished run's synthetic set, and the list of past runs."""

from __future__ import annotations

import streamlit as st

from lib.data import workspace
from lib.data.tables import to_t20_csv
from lib.data.units import duration, duration_change, gib
from lib.jobs import bodies, runner, store
from lib.jobs.history import engine_name, run_engine, synth_runs_frame
from lib.jobs.kinds import SYNTH, SYNTH_SAMPLE
from models.synth.base import MATCHES
from models.synth.engines import engine_class
from pages.ui.common import frame_of, load_frame, unique_set_name, unique_title
from pages.ui.engines import CTGAN_SETTINGS, DEFAULT_MATCHES, MATCHES_SETTINGS

LOSS_READING = {
    "ctgan": ("How to read it: the discriminator loss near 0 means it can no longer tell real rows from generated "
              "ones; the generator loss moving steadily is learning, large swings late in training mean the two "
              "networks have not settled. Neither loss says how good the rows are: the scores above do."),
    "matches": ("How to read it: each loss is the log loss per delivery of predicting what happens on a ball, on the "
                "training deliveries and on held-out training matches (validation); the solid lines are the ball "
                "model, the dashed ones the state-only reference that knows no players. Training stops once the "
                "validation loss stops falling. Neither loss says how good the matches are: the scores above do."),
}
"""Engine name -> how to read its loss chart, in words."""


@st.cache_data(max_entries=2, show_spinner="Selecting the training matches…")
def _training_frame(real_id: str, created: str):
    return bodies.training_matches(real_id)


@st.cache_data(max_entries=2, show_spinner="Reading the delivery events…")
def _events(real_id: str, created: str):
    return workspace.load_events(real_id)


@st.cache_data(max_entries=32, ttl=30, show_spinner="Estimating memory and time…")
def cached_estimate(real_id: str, created: str, engine: str, config: dict):
    """The cost estimate of training engine `engine` with `config` (its JSON) on a dataset's training matches, with
    the delivery events stored with the dataset, as the job trains. Kept for half a minute only, as it compares
    against the memory available now; recomputing is quick (prepare step and probe cached).

    Raises:
        ValueError: settings or data the engine refuses (lib.data.events.NoMatches: no whole match to learn from).
    """
    engine_type = engine_class(engine)
    return engine_type.estimate(_training_frame(real_id, created), engine_type.config_class.from_json(config),
                                events=_events(real_id, created), cache_dir=workspace.cache_root())


def _apply(changes: dict, widget_keys: dict[str, str]) -> None:
    for name, value in changes.items():
        st.session_state[widget_keys[name]] = value


def estimate_ui(estimate, widget_keys: dict[str, str]) -> bool:
    """Show an engine's estimate (models.synth.cost.CostEstimate); offer the settings that fit when it does not.

    Args:
        estimate: the engine's estimate.
        widget_keys: config field -> the widget holding it; a suggestion changing another field is not offered.

    Returns:
        Whether the run fits.
    """
    cells = [("Peak memory", gib(estimate.peak_bytes, 2)), ("Per epoch", duration(estimate.seconds_per_epoch)),
             ("Total", duration(estimate.total_seconds))]
    for column, (label, value) in zip(st.columns(len(cells)), cells):
        column.metric(label, value)
    facts = "; ".join(estimate.facts())
    st.caption(f"{facts[:1].upper()}{facts[1:]}. Total {duration(estimate.total_seconds)} {estimate.total_words()}; "
               f"{gib(estimate.available_bytes)} of memory available now.")
    if estimate.fits:
        return True
    st.error(f"Refused: this run needs about {gib(estimate.peak_bytes)} but "
             f"{gib(estimate.available_bytes)} is available. Pick settings that fit:")
    offered = [s for s in estimate.suggestions if set(s.changes) <= set(widget_keys)]
    for column, suggestion in zip(st.columns(max(len(offered), 1)), offered):
        column.button(f"Use {suggestion.label} (~{gib(suggestion.peak_bytes)})", on_click=_apply,
                      args=(suggestion.changes, widget_keys), key=f"suggest-{suggestion.label}")
    return False


@st.cache_data(max_entries=2, show_spinner="Writing the CSV…")
def _csv_of(dataset_id: str, created: str) -> bytes:
    """A stored set as t20.csv bytes, written once per set. Not a deferred download (a callable as `data`): this
    panel appears in the rerun that ends the live panel, and a poll of that panel still in flight can end
    Streamlit's registration of the callable, so that a click then downloads nothing."""
    return to_t20_csv(load_frame(dataset_id, created))


def result_ui(run) -> None:
    """The synthetic set a finished run made: preview, counts, download, rename."""
    info = workspace.dataset_info(run.result["dataset"])
    frame = frame_of(info)
    st.subheader("Synthetic set")
    a, b, c = st.columns(3)
    if run_engine(run).writes == MATCHES:  # whole matches are played by the rules: nothing is redrawn
        a.metric("Matches", f"{info.matches:,}")
        b.metric("Rows", f"{info.rows:,}")
    else:
        a.metric("Rows", f"{info.rows:,}")
        b.metric("Redrawn for cricket rules", f"{run.result['redrawn_share']:.2%}")
    stats = run.result.get("stats", {})
    measured, predicted = stats.get("seconds_per_epoch"), (run.estimate or {}).get("seconds_per_epoch")
    # no arrow and no colour: a run faster or slower than predicted is neither good nor bad news
    c.metric("Per epoch (measured)", duration(measured), delta_color="off", delta_arrow="off",
             delta=None if measured is None or predicted is None else
             f"{duration_change(measured - predicted)} vs predicted {duration(predicted)}")
    _held_out_ui(stats)
    st.dataframe(frame.head(20), hide_index=True)
    st.download_button("Download synthetic t20.csv", data=_csv_of(info.id, info.created), mime="text/csv",
                       file_name=f"{workspace.slug(info.name)}.csv")
    name = st.text_input("Name", info.name, key=f"rename-{info.id}")
    if name != info.name and st.button("Rename", key=f"rename-button-{info.id}"):
        workspace.rename_dataset(info.id, name)
        st.rerun()
    st.page_link("pages/2_Evaluate.py", label="Evaluate this synthetic set →")


def _held_out_ui(stats: dict) -> None:
    """The matches engine's held-out log loss per network, and what its training data could not tell."""
    held_out = stats.get("held_out")
    if held_out:
        losses = ", ".join(f"{name} {value:.3f}" for name, value in held_out["log_loss"].items())
        st.caption(f"Log loss per delivery on {held_out['matches']:,} held-out training matches (lower is better): "
                   f"{losses}. The ball model should beat the state-only reference if the players matter.")
    if stats.get("events_notes"):
        st.caption("Notes on the training matches it learned from: " + "; ".join(stats["events_notes"]) + ".")


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
        size = _sample_size_ui(run, sample_col)
        if sample_col.button("Sample again"):
            params = {"synthesizer_id": run.result["synthesizer_id"], "real_id": run.params["real_id"], **size,
                      "name": unique_set_name(run.params["name"]), "sample_seed": None, "engine": engine_name(run)}
            (unit, count), = size.items()
            title = unique_title(f"Sample {count:,} {unit} from {run.title}")
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


def _sample_size_ui(run, column) -> dict:
    """How much to sample from a finished run, as job params: {"rows": n}, or {"matches": n} (with the rows they
    give) for an engine that writes whole matches."""
    if run_engine(run).writes != MATCHES:
        rows = column.number_input("Rows", value=30_000, step=1000, key="resample-rows",
                                   **CTGAN_SETTINGS["synth_rows"].limits)
        return {"rows": int(rows)}
    matches = int(column.number_input("Matches", value=DEFAULT_MATCHES, step=100, key="resample-matches",
                                      **MATCHES_SETTINGS["matches_count"].limits))
    per_match = run.result.get("stats", {}).get("rows_per_match")
    if per_match:
        column.caption(f"About {round(matches * per_match, -2):,.0f} rows.")
    return {"matches": matches}
