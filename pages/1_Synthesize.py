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
# Widgets whose values are kept in the workspace, so leaving the page or reloading keeps them, with what each
# accepts; the widgets take their ranges from here, so a hand-edited settings.json cannot put a value outside them.
SETTINGS = {
    "synth_fraction": settings.Number(FRACTION_STEP, 1.0),
    "synth_epochs": settings.Number(1, 300, whole=True),
    "synth_encoding": settings.OneOf(tuple(ENCODINGS)),
    "synth_top_k": settings.Number(1, 5000, whole=True),
    "synth_shards": settings.Number(1, MAX_SHARDS, whole=True),
    "synth_batch": settings.Number(10, 20_000, whole=True),
    "synth_rows": settings.Number(100, 5_000_000, whole=True),
    "synth_generator_lr": settings.Number(1e-6, 1.0),
    "synth_discriminator_lr": settings.Number(1e-6, 1.0),
    "synth_seed": settings.Number(0, 2**31 - 1, whole=True),
    "synth_name": settings.Text(),
}
ENCODING_HELP = {
    "categorical": "every player a category (as published; exact but wide)",
    "top_k": "the K most frequent players as categories, the rest pooled",
    "numeric": "player index as a number (fastest, no player identity)",
}


def settings_ui() -> tuple[SynthConfig, int, str]:
    """The two sliders up front, the rest under Advanced; returns (config, rows to generate, set name)."""
    left, right = st.columns(2)
    fraction = left.slider("Sampling fraction", value=DEFAULTS.fraction, step=FRACTION_STEP, key="synth_fraction",
                           **SETTINGS["synth_fraction"].limits,
                           help="Share of the training rows each model learns from.")
    epochs = right.slider("Epochs", value=DEFAULTS.epochs, key="synth_epochs", **SETTINGS["synth_epochs"].limits)
    with st.expander("Advanced"):
        a, b, c = st.columns(3)
        encoding = a.radio("Player encoding", ENCODINGS, index=ENCODINGS.index(DEFAULTS.player_encoding),
                           format_func=lambda e: f"{e}: {ENCODING_HELP[e]}", key="synth_encoding")
        top_k = a.number_input("K (top_k)", value=DEFAULTS.top_k, key="synth_top_k", disabled=encoding != "top_k",
                               **SETTINGS["synth_top_k"].limits)
        shards = b.number_input("Shards", value=DEFAULTS.shards, key="synth_shards", **SETTINGS["synth_shards"].limits,
                                help="Models, each on its own random fraction of the rows; samples are pooled.")
        batch = b.number_input("Batch size", value=DEFAULTS.batch_size, step=10, key="synth_batch",
                               **SETTINGS["synth_batch"].limits)
        rows = b.number_input("Rows to generate", value=30_000, step=1000, key="synth_rows",
                              **SETTINGS["synth_rows"].limits)
        generator_lr = c.number_input("Generator learning rate", value=DEFAULTS.generator_lr, format="%.5f",
                                      key="synth_generator_lr", **SETTINGS["synth_generator_lr"].limits)
        discriminator_lr = c.number_input("Discriminator learning rate", value=DEFAULTS.discriminator_lr,
                                          format="%.5f", key="synth_discriminator_lr",
                                          **SETTINGS["synth_discriminator_lr"].limits)
        seed = c.number_input("Seed", value=DEFAULTS.seed, key="synth_seed", **SETTINGS["synth_seed"].limits)
    config = SynthConfig(fraction=fraction, epochs=epochs, shards=int(shards), player_encoding=encoding,
                         top_k=int(top_k), batch_size=int(batch), generator_lr=generator_lr,
                         discriminator_lr=discriminator_lr, seed=int(seed))
    return config, int(rows), st.text_input("Name of the synthetic set", "synthetic deliveries", key="synth_name")


real = dataset_picker("Real dataset", kind="real", default=getattr(active_dataset(), "id", None), key="synth-real")
if real is None:
    st.info("Load a dataset on the Home page first.")
    st.stop()
settings.restore("synthesize", SETTINGS)
config, rows, name = settings_ui()
settings.remember("synthesize", list(SETTINGS))
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
