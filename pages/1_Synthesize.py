"""Synthesize: train a synthesizer on the real training matches, watch it learn, download its rows."""

import streamlit as st

from lib.data.splits import STANDARD_SPLIT
from lib.jobs import runner, store
from lib.jobs.history import run_engine
from lib.jobs.kinds import SYNTH
from models.synth.engines import ENGINES
from pages.ui import settings
from pages.ui.common import real_dataset_or_stop, show_error, unique_set_name, unique_title, workspace_notices
from pages.ui.engines import ENGINE_KEY, FORMS, engine_ui
from pages.ui.jobs import latest_run, running_run, running_ui, watch
from pages.ui.synth import cached_estimate, estimate_ui, past_runs_ui, result_ui

st.set_page_config(page_title="Synthesize · Crease Lab", page_icon="🏏", layout="wide")
st.title("Synthesize")
workspace_notices()
st.write(
    "Train a synthesizer on the real deliveries and generate synthetic ones. It learns from the training matches "
    f"only ({STANDARD_SPLIT.training_share:.0%} of matches), so the matches held out for validating and testing the "
    "win-probability model never reach it."
)

real = real_dataset_or_stop(key="synth-real")
settings.restore("synthesize", {ENGINE_KEY: settings.OneOf(tuple(ENGINES))})
engine = engine_ui()
form = FORMS[engine.name]
settings.restore("synthesize", form.specs)
try:
    choice = form.ui(real)  # settings that cannot train are refused here, when the config is made
    estimate = cached_estimate(real.id, real.created, engine.name, choice.config.to_json())
except ValueError as error:  # settings or data the engine refuses (no whole matches for the matches engine)
    show_error(error)
    choice = estimate = None
settings.remember("synthesize", [ENGINE_KEY, *form.specs])
fits = estimate is not None and estimate_ui(estimate, form.suggestion_keys)
running = running_run(SYNTH)
if running:
    running_ui(running)
if st.button("Train", type="primary", disabled=not fits):
    params = {"engine": engine.name, "real_id": real.id, "config": choice.config.to_json(), **choice.sample,
              "name": unique_set_name(choice.name), "sample_seed": choice.config.seed}
    title = unique_title(f"{engine.title} on {real.name}: {choice.label}")
    st.session_state["synth_run"] = runner.submit(SYNTH, params, title, estimate=estimate.to_json()).id
run_id = latest_run("synth_run", SYNTH)
if run_id:
    made_by = run_engine(runner.get(run_id))
    run = watch(run_id, made_by.loss_names, f"{made_by.title} loss per epoch", made_by.separate_stages)
    if run.state == store.DONE:
        result_ui(run)
past_runs_ui(real)
