"""The live view of a background job: state, progress with ETA, loss chart and Cancel, polled from the run store.

While a run is active its panel is a fragment that reruns every second on its own; when the run ends the
whole page reruns once so that it can show the results.
"""

from __future__ import annotations

import streamlit as st

from lib.charts.training import loss_chart
from lib.data.units import duration
from lib.jobs import runner, store
from lib.jobs.history import settings_text
from lib.jobs.progress import doing, seconds_left
from lib.jobs.store import Run

POLL_SECONDS = 1.0


def latest_run(state_key: str, kind: str) -> str | None:
    """The run this session launched (its id under `state_key`), else the newest run of `kind`, else None."""
    runs = runner.list_runs(kind)
    return st.session_state.get(state_key) or (runs[0].id if runs else None)


def running_run(kind: str) -> Run | None:
    """The newest run of `kind` that is queued or running, if any."""
    return next((run for run in runner.list_runs(kind) if run.active), None)


def running_ui(run: Run) -> None:
    """What a running job was started with, and what pressing Train now would do instead."""
    # a caption, not a box: the job panel below keeps the boxes for the run's own state
    st.caption(f"**{run.title}** is {run.state} with: {settings_text(run)}. "
               "The settings above describe a new run: Train would queue it to start when this one ends.")


def describe(run: Run, epochs: list[dict]) -> str:
    """One line: title, state, elapsed time and, while epochs run, the time left at their pace."""
    elapsed = f" · {duration(run.seconds)}" if run.seconds is not None else ""
    left = seconds_left(run, epochs)
    eta = f" · about {duration(left)} left" if left is not None else ""
    return f"**{run.title}** — {run.state}{elapsed}{eta}"


def render(run: Run, losses: tuple[str, ...], loss_title: str, separate_stages: bool = False) -> None:
    """The panel's content for a run in any state; `separate_stages` as lib.charts.training.loss_chart."""
    epochs = store.epochs(run.id)
    st.markdown(describe(run, epochs))
    if run.state == store.QUEUED:
        st.info(run.message or "Queued: starting shortly.")
    elif run.state == store.RUNNING:
        st.progress(min(max(run.progress, 0.0), 1.0), text=doing(run, epochs))
    elif run.state == store.FAILED:
        st.error(f"Failed: {run.error}")
        with st.expander("Job log (last lines)"):
            st.code(runner.log_tail(run.id) or "(empty)")
    elif run.state == store.CANCELLED:
        st.warning(f"Cancelled: {run.error or 'by the user'}")
    if epochs:
        st.altair_chart(loss_chart(epochs, losses, loss_title, separate_stages))
    if run.active and st.button("Cancel", key=f"cancel-{run.id}"):
        runner.cancel(run.id)
        st.toast("Cancel requested: the job stops at its next step.")


@st.fragment(run_every=POLL_SECONDS)
def _live(run_id: str, losses: tuple[str, ...], loss_title: str, separate_stages: bool, shown_state: str) -> None:
    run = runner.get(run_id)
    render(run, losses, loss_title, separate_stages)
    if run.state != shown_state:  # started or ended: the rest of the page (its past runs, its results) says so too
        st.rerun()


def watch(run_id: str, losses: tuple[str, ...], loss_title: str = "Training loss",
          separate_stages: bool = False) -> Run:
    """Show a run; poll it while it is active. Returns the run as it is now.

    Args:
        run_id: the run.
        losses, loss_title: the loss names its epochs report, and the chart's title.
        separate_stages: its stages are models of their own (models.synth.base.Synthesizer.separate_stages).
    """
    run = runner.get(run_id)
    if run.active:
        _live(run_id, losses, loss_title, separate_stages, run.state)
    else:
        render(run, losses, loss_title, separate_stages)
    return run
