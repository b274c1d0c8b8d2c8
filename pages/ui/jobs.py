"""The live view of a background job: state, progress with ETA, loss chart and Cancel, polled from the run store.

While a run is active its panel is a fragment that reruns every second on its own; when the run ends the
whole page reruns once so that it can show the results.
"""

from __future__ import annotations

import streamlit as st

from lib import jobs, runstore
from lib.charts import loss_chart
from lib.runstore import Run

POLL_SECONDS = 1.0


def latest_run(state_key: str, kind: str) -> str | None:
    """The run this session launched (its id under `state_key`), else the newest run of `kind`, else None."""
    runs = jobs.list_runs(kind)
    return st.session_state.get(state_key) or (runs[0].id if runs else None)


def _eta(run: Run) -> str:
    if run.state != runstore.RUNNING or not run.progress or run.seconds is None:
        return ""
    left = run.seconds * (1 - run.progress) / run.progress
    return f" · about {_duration(left)} left"


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def describe(run: Run) -> str:
    """One line: state, stage and elapsed time."""
    elapsed = f" · {_duration(run.seconds)}" if run.seconds is not None else ""
    stage = f" · {run.stage}" if run.stage and run.active else ""
    return f"**{run.title}** — {run.state}{stage}{elapsed}{_eta(run)}"


def render(run: Run, losses: tuple[str, ...], loss_title: str) -> None:
    """The panel's content for a run in any state."""
    st.markdown(describe(run))
    if run.state == runstore.QUEUED:
        st.info(run.message or "Queued: starting shortly.")
    elif run.state == runstore.RUNNING:
        st.progress(min(max(run.progress, 0.0), 1.0), text=run.message or run.stage or "running")
    elif run.state == runstore.FAILED:
        st.error(f"Failed: {run.error}")
        with st.expander("Job log (last lines)"):
            st.code(jobs.log_tail(run.id) or "(empty)")
    elif run.state == runstore.CANCELLED:
        st.warning(f"Cancelled: {run.error or 'by the user'}")
    epochs = runstore.epochs(run.id)
    if epochs:
        st.altair_chart(loss_chart(epochs, losses, loss_title))
    if run.active and st.button("Cancel", key=f"cancel-{run.id}"):
        jobs.cancel(run.id)
        st.toast("Cancel requested: the job stops at its next step.")


@st.fragment(run_every=POLL_SECONDS)
def _live(run_id: str, losses: tuple[str, ...], loss_title: str) -> None:
    run = jobs.get(run_id)
    render(run, losses, loss_title)
    if not run.active:
        st.rerun()


def watch(run_id: str, losses: tuple[str, ...], loss_title: str = "Training loss") -> Run:
    """Show a run; poll it while it is active. Returns the run as it is now."""
    run = jobs.get(run_id)
    if run.active:
        _live(run_id, losses, loss_title)
    else:
        render(run, losses, loss_title)
    return run
