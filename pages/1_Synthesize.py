"""Synthesize: train a synthesizer on the real training matches, watch it learn, download its rows."""

import streamlit as st

from lib.data.splits import STANDARD_SPLIT
from lib.jobs import runner, store
from lib.jobs.history import run_engine
from lib.jobs.kinds import SYNTH
from models.synth.ctgan.config import ENCODINGS, FRACTION_STEP, MAX_SHARDS, SynthConfig
from models.synth.engines import engine_class
from pages.ui import settings
from pages.ui.common import active_dataset, dataset_picker, show_error, unique_set_name, unique_title, workspace_notices
from pages.ui.jobs import latest_run, running_run, running_ui, watch
from pages.ui.synth import cached_estimate, estimate_ui, past_runs_ui, result_ui

ENGINE = engine_class("ctgan")
# The engine whose settings the widgets below set; choosing another engine on this page comes later.

st.set_page_config(page_title="Synthesize · Crease Lab", page_icon="🏏", layout="wide")
st.title("Synthesize")
workspace_notices()
st.write(
    f"Train a {ENGINE.title} synthesizer on the real deliveries and generate synthetic ones. It learns from the "
    f"training matches only ({STANDARD_SPLIT.training_share:.0%} of matches), so the matches held out for validating and "
    "testing the win-probability model never reach it."
)
DEFAULTS = SynthConfig()
SETTING_KEYS = ["synth_fraction", "synth_epochs", "synth_encoding", "synth_top_k", "synth_shards", "synth_batch",
# Widgets whose values are kept in the workspace, so leaving the page or reloading keeps them.
                "synth_rows", "synth_generator_lr", "synth_discriminator_lr", "synth_seed", "synth_name"]
ENCODING_HELP = {
    "categorical": "every player a category (as published; exact but wide)",
    "top_k": "the K most frequent players as categories, the rest pooled",
    "numeric": "player index as a number (fastest, no player identity)",
}


def settings_ui() -> tuple[SynthConfig, int, str]:
    """The two sliders up front, the rest under Advanced; returns (config, rows to generate, set name)."""
    left, right = st.columns(2)
    fraction = left.slider("Sampling fraction", FRACTION_STEP, 1.0, DEFAULTS.fraction, FRACTION_STEP,
                           key="synth_fraction",
                           help="Share of the training rows each model learns from.")
    epochs = right.slider("Epochs", 1, 300, DEFAULTS.epochs, key="synth_epochs")
    with st.expander("Advanced"):
        a, b, c = st.columns(3)
        encoding = a.radio("Player encoding", ENCODINGS, index=ENCODINGS.index(DEFAULTS.player_encoding),
                           format_func=lambda e: f"{e}: {ENCODING_HELP[e]}", key="synth_encoding")
        top_k = a.number_input("K (top_k)", 1, 5000, DEFAULTS.top_k, key="synth_top_k",
                               disabled=encoding != "top_k")
        shards = b.number_input("Shards", 1, MAX_SHARDS, DEFAULTS.shards, key="synth_shards",
                                help="Models, each on its own random fraction of the rows; samples are pooled.")
        batch = b.number_input("Batch size", 10, 20_000, DEFAULTS.batch_size, step=10, key="synth_batch")
        rows = b.number_input("Rows to generate", 100, 5_000_000, 30_000, step=1000, key="synth_rows")
        generator_lr = c.number_input("Generator learning rate", 1e-6, 1.0, DEFAULTS.generator_lr, format="%.5f",
                                      key="synth_generator_lr")
        discriminator_lr = c.number_input("Discriminator learning rate", 1e-6, 1.0, DEFAULTS.discriminator_lr,
                                          format="%.5f", key="synth_discriminator_lr")
        seed = c.number_input("Seed", 0, 2**31 - 1, DEFAULTS.seed, key="synth_seed")
    config = SynthConfig(fraction=fraction, epochs=epochs, shards=int(shards), player_encoding=encoding,
                         top_k=int(top_k), batch_size=int(batch), generator_lr=generator_lr,
                         discriminator_lr=discriminator_lr, seed=int(seed))
    return config, int(rows), st.text_input("Name of the synthetic set", "synthetic deliveries", key="synth_name")


real = dataset_picker("Real dataset", kind="real", default=getattr(active_dataset(), "id", None), key="synth-real")
if real is None:
    st.info("Load a dataset on the Home page first.")
    st.stop()
settings.restore("synthesize", SETTING_KEYS, valid={"synth_encoding": list(ENCODINGS)})
config, rows, name = settings_ui()
settings.remember("synthesize", SETTING_KEYS)
try:
    estimate = cached_estimate(real.id, real.created, ENGINE.name, config.to_json())
except ValueError as error:
    show_error(error)
    st.stop()
fits = estimate_ui(estimate)
running = running_run(SYNTH)
if running:
    running_ui(running)
if st.button("Train", type="primary", disabled=not fits):
    params = {"engine": ENGINE.name, "real_id": real.id, "config": config.to_json(), "rows": rows,
              "name": unique_set_name(name), "sample_seed": config.seed}
    title = unique_title(f"{ENGINE.title} on {real.name}: fraction {config.fraction:g}, "
                         f"{config.epochs} epochs, {config.player_encoding}")
    st.session_state["synth_run"] = runner.submit(SYNTH, params, title, estimate=estimate.to_json()).id
run_id = latest_run("synth_run", SYNTH)
if run_id:
    engine = run_engine(runner.get(run_id))
    run = watch(run_id, engine.loss_names, f"{engine.title} loss per epoch")
    if run.state == store.DONE:
        result_ui(run)
past_runs_ui(real)
