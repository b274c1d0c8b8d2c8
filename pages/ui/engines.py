"""The Synthesize page's engine choice, and each engine's settings as widgets that return plain values.

Each engine has a `SettingsForm`: its widget keys (kept in the workspace by pages.ui.settings, with the check a
stored value must pass), the widgets that hold the settings a cost estimate may suggest, and a `*_ui` function that
draws its widgets and returns an `EngineChoice`. Widget keys start with the engine's name (`matches_epochs`) except
CTGAN's, which kept the `synth_` keys they had before there were engines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from lib.data.workspace import DatasetInfo
from models.synth.base import Synthesizer
from models.synth.ctgan.config import ENCODINGS, FRACTION_STEP, MAX_SHARDS, SynthConfig
from models.synth.engines import ENGINES, engine_class
from models.synth.matches.config import MatchesConfig
from pages.ui.settings import number_between

ENGINE_KEY = "synth_engine"
"""The widget (and settings.json key) of the engine choice."""


@dataclass(frozen=True)
class EngineChoice:
    """What one engine's settings widgets return.

    Attributes:
        config: the engine's settings (its `config_class`).
        sample: the size of the first synthetic set as job params: {"rows": n}, or {"matches": n} for an engine
            that writes whole matches.
        name: the synthetic set's name.
        label: the settings in a few words, for the run's title.
    """

    config: object
    sample: dict
    name: str
    label: str


@dataclass(frozen=True)
class SettingsForm:
    """One engine's settings widgets.

    Attributes:
        ui: draws the widgets for a real dataset; returns an EngineChoice.
        keys: widget keys kept in the workspace.
        valid: widget key -> the options or check (pages.ui.settings.restore) a stored value must pass.
        suggestion_keys: config field -> the widget that holds it, for the estimate's settings that fit.
    """

    ui: Callable[[DatasetInfo], EngineChoice]
    keys: list[str]
    valid: dict = field(default_factory=dict)
    suggestion_keys: dict[str, str] = field(default_factory=dict)


def engine_ui() -> type[Synthesizer]:
    """The engine choice at the top of the page: each engine by title, with its line on what it does and needs."""
    names = list(ENGINES)
    name = st.radio("Engine", names, format_func=lambda n: engine_class(n).title, horizontal=True, key=ENGINE_KEY,
                    captions=[engine_class(n).summary for n in names])
    return engine_class(name)


CTGAN = SynthConfig()
CTGAN_BOUNDS = {"synth_top_k": (1, 5000), "synth_shards": (1, MAX_SHARDS), "synth_batch": (10, 20_000),
                "synth_rows": (100, 5_000_000), "synth_generator_lr": (1e-6, 1.0),
                "synth_discriminator_lr": (1e-6, 1.0), "synth_seed": (0, 2**31 - 1), "synth_epochs": (1, 300),
                "synth_fraction": (FRACTION_STEP, 1.0)}
ENCODING_HELP = {
    "categorical": "every player a category (as published; exact but wide)",
    "top_k": "the K most frequent players as categories, the rest pooled",
    "numeric": "player index as a number (fastest, no player identity)",
}


def ctgan_ui(real: DatasetInfo) -> EngineChoice:
    """The two sliders up front, the rest under Advanced."""
    left, right = st.columns(2)
    fraction = left.slider("Sampling fraction", *CTGAN_BOUNDS["synth_fraction"], CTGAN.fraction, FRACTION_STEP,
                           key="synth_fraction", help="Share of the training rows each model learns from.")
    epochs = right.slider("Epochs", *CTGAN_BOUNDS["synth_epochs"], CTGAN.epochs, key="synth_epochs")
    with st.expander("Advanced"):
        a, b, c = st.columns(3)
        encoding = a.radio("Player encoding", ENCODINGS, index=ENCODINGS.index(CTGAN.player_encoding),
                           format_func=lambda e: f"{e}: {ENCODING_HELP[e]}", key="synth_encoding")
        top_k = a.number_input("K (top_k)", *CTGAN_BOUNDS["synth_top_k"], CTGAN.top_k, key="synth_top_k",
                               disabled=encoding != "top_k")
        shards = b.number_input("Shards", *CTGAN_BOUNDS["synth_shards"], CTGAN.shards, key="synth_shards",
                                help="Models, each on its own random fraction of the rows; samples are pooled.")
        batch = b.number_input("Batch size", *CTGAN_BOUNDS["synth_batch"], CTGAN.batch_size, step=10,
                               key="synth_batch")
        rows = b.number_input("Rows to generate", *CTGAN_BOUNDS["synth_rows"], 30_000, step=1000, key="synth_rows")
        generator_lr = c.number_input("Generator learning rate", *CTGAN_BOUNDS["synth_generator_lr"],
                                      CTGAN.generator_lr, format="%.5f", key="synth_generator_lr")
        discriminator_lr = c.number_input("Discriminator learning rate", *CTGAN_BOUNDS["synth_discriminator_lr"],
                                          CTGAN.discriminator_lr, format="%.5f", key="synth_discriminator_lr")
        seed = c.number_input("Seed", *CTGAN_BOUNDS["synth_seed"], CTGAN.seed, key="synth_seed")
    config = SynthConfig(fraction=fraction, epochs=epochs, shards=int(shards), player_encoding=encoding,
                         top_k=int(top_k), batch_size=int(batch), generator_lr=generator_lr,
                         discriminator_lr=discriminator_lr, seed=int(seed))
    name = st.text_input("Name of the synthetic set", "synthetic deliveries", key="synth_name")
    return EngineChoice(config, {"rows": int(rows)}, name,
                        f"fraction {config.fraction:g}, {config.epochs} epochs, {config.player_encoding}")


MATCHES = MatchesConfig()
MATCHES_BOUNDS = {"matches_epochs": (1, 500), "matches_count": (10, 20_000), "matches_patience": (1, 50),
                  "matches_learning_rate": (1e-5, 1.0), "matches_embedding_dim": (0, 64),
                  "matches_min_player_balls": (1, 10_000), "matches_seed": (0, 2**31 - 1)}
DEFAULT_MATCHES = 1000
"""Synthetic matches of a first set: about four times the training matches of the embedded sample."""


def matches_ui(real: DatasetInfo) -> EngineChoice:
    """Epochs and the number of synthetic matches up front (with the rows they give), the rest under Advanced."""
    left, right = st.columns(2)
    epochs = left.number_input("Most epochs", *MATCHES_BOUNDS["matches_epochs"], MATCHES.epochs, key="matches_epochs",
                               help=_help("epochs"))
    count = right.number_input("Synthetic matches", *MATCHES_BOUNDS["matches_count"], DEFAULT_MATCHES, step=100,
                               key="matches_count", help="Whole matches to play into the first synthetic set.")
    if real.rows_per_match:
        right.caption(f"About {round(count * real.rows_per_match, -2):,.0f} rows, at the {real.rows_per_match:.0f} "
                      f"deliveries per match of {real.name}.")
    with st.expander("Advanced"):
        a, b, c = st.columns(3)
        patience = a.number_input("Patience (epochs)", *MATCHES_BOUNDS["matches_patience"], MATCHES.patience,
                                  key="matches_patience", help=_help("patience"))
        learning_rate = a.number_input("Learning rate", *MATCHES_BOUNDS["matches_learning_rate"],
                                       MATCHES.learning_rate, format="%.4f", key="matches_learning_rate",
                                       help=_help("learning_rate"))
        embedding = b.number_input("Player embedding size", *MATCHES_BOUNDS["matches_embedding_dim"],
                                   MATCHES.embedding_dim, key="matches_embedding_dim",
                                   help=_help("embedding_dim"))
        min_balls = b.number_input("Min balls per player", *MATCHES_BOUNDS["matches_min_player_balls"],
                                   MATCHES.min_player_balls, key="matches_min_player_balls",
                                   help=_help("min_player_balls"))
        seed = c.number_input("Seed", *MATCHES_BOUNDS["matches_seed"], MATCHES.seed, key="matches_seed",
                              help=_help("seed"))
    config = MatchesConfig(epochs=int(epochs), patience=int(patience), learning_rate=float(learning_rate),
                           embedding_dim=int(embedding), min_player_balls=int(min_balls), seed=int(seed))
    name = st.text_input("Name of the synthetic set", "synthetic matches", key="matches_name")
    return EngineChoice(config, {"matches": int(count)}, name,
                        f"{config.epochs} epochs at most, player embeddings of {config.embedding_dim}")


def _help(name: str) -> str:
    """The help MatchesConfig declares for one of its fields (the command line's too), as a sentence."""
    text = MatchesConfig.__dataclass_fields__[name].metadata["help"]
    return f"{text[:1].upper()}{text[1:]}."


def _bounds(bounds: dict) -> dict:
    return {key: number_between(low, high) for key, (low, high) in bounds.items()}


FORMS = {
    "ctgan": SettingsForm(
        ctgan_ui, ["synth_fraction", "synth_epochs", "synth_encoding", "synth_top_k", "synth_shards", "synth_batch",
                   "synth_rows", "synth_generator_lr", "synth_discriminator_lr", "synth_seed", "synth_name"],
        valid={"synth_encoding": list(ENCODINGS), **_bounds(CTGAN_BOUNDS)},
        suggestion_keys={"fraction": "synth_fraction", "epochs": "synth_epochs", "shards": "synth_shards",
                         "player_encoding": "synth_encoding", "top_k": "synth_top_k"}),
    "matches": SettingsForm(
        matches_ui, [*MATCHES_BOUNDS, "matches_name"], valid=_bounds(MATCHES_BOUNDS)),
}
"""Engine name -> its settings widgets; every engine of models.synth.engines.ENGINES has one."""
