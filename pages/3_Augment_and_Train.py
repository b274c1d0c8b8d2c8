"""Augment & train: real training matches plus synthetic rows (or whole synthetic matches), retrained
win-probability models, every arm tested on the same held-out real matches."""

import streamlit as st

from lib.data.splits import SPLIT_KINDS, STANDARD_SPLIT
from lib.jobs import runner, store
from lib.jobs.bodies import provenance_note
from lib.jobs.kinds import WP_COMPARE
from lib.wp.arms import DEFAULT_RATIOS, DEFAULT_SEEDS, RATIO_CHOICES
from models.training_process import ProbeFailed
from models.wp.config import SYNTHETIC_PHASES, TRAINING, WPConfig, parse_layers
from pages.ui import settings
from pages.ui.augment import cached_estimate, download_ui, estimate_ui, ratio_label, repeats_ui, whole_matches
from pages.ui.common import real_dataset_or_stop, show_error, synthetic_picker, unique_title, workspace_notices
from pages.ui.jobs import latest_run, running_run, running_ui, watch

st.set_page_config(page_title="Augment & train · Crease Lab", page_icon="🏏", layout="wide")
st.title("Augment & train")
workspace_notices()
st.write(
    "Train the win-probability model on real training matches alone and with synthetic rows added, repeat each "
    f"over seeds, and test every arm on the same {STANDARD_SPLIT.test_share:.0%} of **real** matches held out."
)
NO_SYNTHETIC = "None (real and reference arms only)"
PRESET = WPConfig()
# Widgets whose values are kept in the workspace, so leaving the page or reloading keeps them, with what each
# accepts; the widgets take their ranges from here, so a hand-edited settings.json cannot put a value outside them.
SETTINGS = {
    "wp_ratios": settings.OneOf(RATIO_CHOICES, many=True),
    "wp_seeds": settings.Number(1, 5, whole=True),
    "wp_split": settings.OneOf(tuple(SPLIT_KINDS)),
    "wp_layers": settings.Text(check=parse_layers),
    "wp_embedding_dim": settings.Number(1, 128, whole=True),
    "wp_dropout": settings.Number(0.0, 0.9),
    "wp_learning_rate": settings.Number(1e-5, 1.0),
    "wp_epochs": settings.Number(1, 100, whole=True),
    "wp_patience": settings.Number(0, 20, whole=True),
    "wp_training": settings.OneOf(tuple(TRAINING)),
    "wp_synthetic_weight": settings.Number(0.05, 1.0),
    "wp_synthetic_phases": settings.OneOf(tuple(SYNTHETIC_PHASES)),
}


def settings_ui(by_match: bool) -> dict:
    """Arms, seeds, split and model settings as plain values; `by_match`: the synthetic set holds whole matches."""
    left, middle, right = st.columns(3)
    ratios = left.multiselect(ratio_label(by_match), RATIO_CHOICES, default=DEFAULT_RATIOS, key="wp_ratios",
                              help="One augmented arm per ratio; pick several for a sweep.")
    seeds = middle.slider("Seeds per arm", value=DEFAULT_SEEDS, key="wp_seeds", **SETTINGS["wp_seeds"].limits,
                          help="Each arm is trained this many times; means get 95% intervals.")
    split = right.radio("Split", list(SPLIT_KINDS), format_func=SPLIT_KINDS.get, key="wp_split")
    with st.expander("Model settings (default: the published preset)"):
        a, b, c = st.columns(3)
        layers = b.text_input("Dense layers", ",".join(str(units) for units in PRESET.layers), key="wp_layers")
        config = WPConfig(
            embedding_dim=a.number_input("Embedding size", value=PRESET.embedding_dim, key="wp_embedding_dim",
                                         **SETTINGS["wp_embedding_dim"].limits),
            layers=_layers(layers),
            dropout=c.number_input("Dropout", value=PRESET.dropout, step=0.05, key="wp_dropout",
                                   **SETTINGS["wp_dropout"].limits),
            learning_rate=a.number_input("Learning rate", value=PRESET.learning_rate, format="%.4f",
                                         key="wp_learning_rate", **SETTINGS["wp_learning_rate"].limits),
            epochs=b.number_input("Most epochs", value=PRESET.epochs, key="wp_epochs", **SETTINGS["wp_epochs"].limits),
            patience=c.number_input("Patience (epochs)", value=PRESET.patience, key="wp_patience",
                                    **SETTINGS["wp_patience"].limits,
                                    help="Epochs without a better validation loss before training stops."),
            training=a.selectbox("Training", list(TRAINING), index=list(TRAINING).index(PRESET.training),
                                 format_func=lambda k: f"{k}: {TRAINING[k]}", key="wp_training"),
            synthetic_weight=b.number_input("Synthetic row weight", value=PRESET.synthetic_weight, step=0.05,
                                            key="wp_synthetic_weight", **SETTINGS["wp_synthetic_weight"].limits,
                                            help="A synthetic row's weight in the training loss; a real row weighs 1."),
            synthetic_phases=c.selectbox("Synthetic rows join", list(SYNTHETIC_PHASES), key="wp_synthetic_phases",
                                         format_func=SYNTHETIC_PHASES.get,
                                         help="'state' needs the state-first training."),
        )
    return {"ratios": ratios, "seeds": seeds, "split": split, "config": config.to_json()}


def _layers(text: str) -> tuple[int, ...]:
    try:
        return parse_layers(text)
    except ValueError as error:
        raise ValueError(f"{error} Such as 64,32,16,8.") from None


real = real_dataset_or_stop(key="wp-real")
try:
    synthetic = synthetic_picker(real, "Synthetic rows", key="wp-synthetic", extra=(NO_SYNTHETIC,))
    synthetic_id = synthetic.id if synthetic else None
    settings.restore("augment", SETTINGS)
    chosen = settings_ui(synthetic is not None and whole_matches(synthetic))
    settings.remember("augment", list(SETTINGS))
except ValueError as error:
    show_error(error)
    st.stop()
note = provenance_note(real.id, synthetic_id)
if note:
    st.caption(note)
if synthetic_id:
    repeats_ui(real, synthetic, chosen["ratios"])
    download_ui(real, synthetic)
params = {"real_id": real.id, "synthetic_id": synthetic_id, **chosen,
          "ratios": chosen["ratios"] if synthetic_id else []}
try:
    estimate = cached_estimate(params, real.created, synthetic.created if synthetic_id else None)
    estimate_ui(estimate)
except (ValueError, ProbeFailed) as error:  # settings the model refuses, or a probe that could not train
    show_error(error)
    estimate = None
running = running_run(WP_COMPARE)
if running:
    running_ui(running)
if st.button("Train and compare", type="primary"):
    title = unique_title(f"WP comparison on {real.name}" + (f" with {synthetic.name}" if synthetic_id else ""))
    st.session_state["wp_run"] = runner.submit(WP_COMPARE, params, title,
                                               estimate=estimate and estimate.to_json()).id
run_id = latest_run("wp_run", WP_COMPARE)
if run_id:
    run = watch(run_id, ("loss", "val_loss"), "Win-probability loss per epoch (training and validation)")
    if run.state == store.DONE:
        st.success("Finished: open the Compare page for the table and curves.")
        st.page_link("pages/4_Compare.py", label="Compare the arms →")
