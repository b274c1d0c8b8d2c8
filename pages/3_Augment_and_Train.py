"""Augment & train: real training matches plus synthetic rows, retrained win-probability models, every arm
tested on the same held-out real matches."""

import streamlit as st

from lib.data import files
from lib.data.augment import MAX_REPEATS, repeats
from lib.data.splits import SPLIT_KINDS, STANDARD_SPLIT
from lib.jobs import runner, store
from lib.jobs.bodies import augmented_training_set, provenance_note, training_matches
from lib.jobs.kinds import SYNTH_SAMPLE, WP_COMPARE
from lib.wp.arms import DEFAULT_RATIOS, DEFAULT_SEEDS
from models.wp.config import TRAINING, WPConfig, parse_layers
from pages.ui import settings
from pages.ui.common import (
    active_dataset,
    dataset_picker,
    show_error,
    synthetic_picker,
    unique_set_name,
    unique_title,
    workspace_notices,
)
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
    "wp_ratios": settings.OneOf(DEFAULT_RATIOS, many=True),
    "wp_seeds": settings.Number(1, 5, whole=True),
    "wp_split": settings.OneOf(tuple(SPLIT_KINDS)),
    "wp_layers": settings.Text(check=parse_layers),
    "wp_embedding_dim": settings.Number(1, 128, whole=True),
    "wp_dropout": settings.Number(0.0, 0.9),
    "wp_learning_rate": settings.Number(1e-5, 1.0),
    "wp_epochs": settings.Number(1, 100, whole=True),
    "wp_patience": settings.Number(0, 20, whole=True),
    "wp_training": settings.OneOf(tuple(TRAINING)),
}


def settings_ui() -> dict:
    """Arms, seeds, split and model settings as plain values."""
    left, middle, right = st.columns(3)
    ratios = left.multiselect("Synthetic rows per real training row", DEFAULT_RATIOS, default=DEFAULT_RATIOS,
                              key="wp_ratios", help="One augmented arm per ratio; pick several for a sweep.")
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
        )
    return {"ratios": ratios, "seeds": seeds, "split": split, "config": config.to_json()}


def _layers(text: str) -> tuple[int, ...]:
    try:
        return parse_layers(text)
    except ValueError as error:
        raise ValueError(f"{error} Such as 64,32,16,8.") from None


@st.cache_data(max_entries=4, show_spinner=False)
def training_rows(real_id: str, created: str) -> int:
    """Real training rows of the standard split: what a ratio multiplies."""
    return len(training_matches(real_id))


def repeats_ui(real, synthetic, ratios: list[float]) -> None:
    """How often each synthetic row would be used per arm; a warning and an offer to generate enough rows when a
    row would be used more than a few times."""
    train = training_rows(real.id, real.created)
    # the synthetic-only arm draws as many synthetic rows as there are real training rows: ratio 1
    plans = {f"augmented@{r:g}": repeats(train, synthetic.rows, r) for r in sorted(ratios)}
    plans["synthetic"] = repeats(train, synthetic.rows, 1.0)
    st.caption("Synthetic rows per arm: " + "; ".join(f"{arm}: {plan.sentence()}" for arm, plan in plans.items()))
    worst = max(plans.values(), key=lambda plan: plan.per_row)
    if not worst.too_many:
        return
    st.warning(f"Each synthetic row would be used about {worst.per_row:.0f} times (more than {MAX_REPEATS:g}): a "
               f"model trained on them learns those {synthetic.rows:,} rows, not the game. Generate "
               f"{worst.wanted:,} rows instead ({worst.missing:,} more than the set holds).")
    model_id = synthetic.extra.get("synthesizer")
    if model_id and st.button(f"Generate {worst.wanted:,} rows from the stored synthesizer"):
        params = {"model_id": model_id, "real_id": real.id, "rows": worst.wanted,
                  "name": unique_set_name(f"{synthetic.name} ({worst.wanted:,} rows)"), "sample_seed": None,
                  "engine": synthetic.extra.get("engine")}
        runner.submit(SYNTH_SAMPLE, params, unique_title(f"Sample {worst.wanted:,} rows for {synthetic.name}"))
        st.info("Generating: the new set appears under Workspace synthetic set when the job ends (see the "
                "Synthesize page for its progress).")


def download_ui(real, synthetic_id: str) -> None:
    """The augmented training set of one ratio, built only when the user asks for the file."""
    with st.expander("Download an augmented training set"):
        ratio = st.selectbox("Synthetic rows per real training row", DEFAULT_RATIOS, index=DEFAULT_RATIOS.index(1.0),
                             key="download-ratio")
        st.caption("Real training matches of the standard split plus synthetic rows; the validation and test matches "
                   "are left out, as every arm leaves them out.")
        st.download_button(
            "Download augmented t20.csv", file_name=f"augmented-{ratio:g}.csv", mime="text/csv",
            data=lambda: files.csv_bytes(augmented_training_set(real.id, synthetic_id, ratio).frame),
        )


real = dataset_picker("Real dataset", kind="real", default=getattr(active_dataset(), "id", None), key="wp-real")
if real is None:
    st.info("Load a dataset on the Home page first.")
    st.stop()
try:
    synthetic = synthetic_picker(real, "Synthetic rows", key="wp-synthetic", extra=(NO_SYNTHETIC,))
    synthetic_id = synthetic.id if synthetic else None
    settings.restore("augment", SETTINGS)
    chosen = settings_ui()
    settings.remember("augment", list(SETTINGS))
except ValueError as error:
    show_error(error)
    st.stop()
note = provenance_note(real.id, synthetic_id)
if note:
    st.caption(note)
if synthetic_id:
    repeats_ui(real, synthetic, chosen["ratios"])
    download_ui(real, synthetic_id)
running = running_run(WP_COMPARE)
if running:
    running_ui(running)
if st.button("Train and compare", type="primary"):
    params = {"real_id": real.id, "synthetic_id": synthetic_id, **chosen,
              "ratios": chosen["ratios"] if synthetic_id else []}
    title = unique_title(f"WP comparison on {real.name}" + (f" with {synthetic.name}" if synthetic_id else ""))
    st.session_state["wp_run"] = runner.submit(WP_COMPARE, params, title).id
run_id = latest_run("wp_run", WP_COMPARE)
if run_id:
    run = watch(run_id, ("loss", "val_loss"), "Win-probability loss per epoch (training and validation)")
    if run.state == store.DONE:
        st.success("Finished: open the Compare page for the table and curves.")
        st.page_link("pages/4_Compare.py", label="Compare the arms →")
