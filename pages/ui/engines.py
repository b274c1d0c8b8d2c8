"""The Synthesize page's engine choice, and each engine's settings as widgets that return plain values.

Each engine has a `SettingsForm`: its widgets kept in the workspace, each with what it accepts
(pages.ui.settings: the widgets take their ranges from the same declaration, so a hand-edited settings.json cannot
put a value outside them), the widgets that hold the settings a cost estimate may suggest, and a `*_ui` function that
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
from pages.ui import settings

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
        ui: draws the widgets for a real dataset; returns an EngineChoice, or raises ValueError (saying how to
            fix it) for settings the engine cannot train with.
        specs: widget key -> what the widget accepts (pages.ui.settings.OneOf, Number, Text); kept in the workspace.
        suggestion_keys: config field -> the widget that holds it, for the estimate's settings that fit.
    """

    ui: Callable[[DatasetInfo], EngineChoice]
    specs: dict
    suggestion_keys: dict[str, str] = field(default_factory=dict)


def engine_ui() -> type[Synthesizer]:
    """The engine choice at the top of the page: each engine by title, with its line on what it does and needs."""
    names = list(ENGINES)
    name = st.radio("Engine", names, format_func=lambda n: engine_class(n).title, horizontal=True, key=ENGINE_KEY,
                    captions=[engine_class(n).summary for n in names])
    return engine_class(name)


CTGAN = SynthConfig()
CTGAN_SETTINGS = {
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


def ctgan_ui(real: DatasetInfo) -> EngineChoice:
    """The two sliders up front, the rest under Advanced."""
    left, right = st.columns(2)
    fraction = left.slider("Sampling fraction", value=CTGAN.fraction, step=FRACTION_STEP, key="synth_fraction",
                           help="Share of the training rows each model learns from.",
                           **CTGAN_SETTINGS["synth_fraction"].limits)
    epochs = right.slider("Epochs", value=CTGAN.epochs, **CTGAN_SETTINGS["synth_epochs"].limits, key="synth_epochs")
    with st.expander("Advanced"):
        a, b, c = st.columns(3)
        encoding = a.radio("Player encoding", ENCODINGS, index=ENCODINGS.index(CTGAN.player_encoding),
                           format_func=lambda e: f"{e}: {ENCODING_HELP[e]}", key="synth_encoding")
        top_k = _number(a, "K (top_k)", CTGAN_SETTINGS, "synth_top_k", CTGAN.top_k, disabled=encoding != "top_k")
        shards = _number(b, "Shards", CTGAN_SETTINGS, "synth_shards", CTGAN.shards,
                         help="Models, each on its own random fraction of the rows; samples are pooled.")
        batch = _number(b, "Batch size", CTGAN_SETTINGS, "synth_batch", CTGAN.batch_size, step=10)
        rows = _number(b, "Rows to generate", CTGAN_SETTINGS, "synth_rows", 30_000, step=1000)
        generator_lr = _number(c, "Generator learning rate", CTGAN_SETTINGS, "synth_generator_lr",
                               CTGAN.generator_lr, format="%.5f")
        discriminator_lr = _number(c, "Discriminator learning rate", CTGAN_SETTINGS, "synth_discriminator_lr",
                                   CTGAN.discriminator_lr, format="%.5f")
        seed = _number(c, "Seed", CTGAN_SETTINGS, "synth_seed", CTGAN.seed)
    name = st.text_input("Name of the synthetic set", "synthetic deliveries", key="synth_name")
    config = SynthConfig(fraction=fraction, epochs=epochs, shards=int(shards), player_encoding=encoding,
                         top_k=int(top_k), batch_size=int(batch), generator_lr=generator_lr,
                         discriminator_lr=discriminator_lr, seed=int(seed))
    return EngineChoice(config, {"rows": int(rows)}, name,
                        f"fraction {config.fraction:g}, {config.epochs} epoch{'s' if config.epochs != 1 else ''}, "
                        f"{config.player_encoding}")


MATCHES = MatchesConfig()
MATCHES_SETTINGS = {
    "matches_epochs": settings.Number(1, 500, whole=True),
    "matches_count": settings.Number(10, 20_000, whole=True),
    "matches_patience": settings.Number(1, 50, whole=True),
    "matches_learning_rate": settings.Number(1e-5, 1.0),
    "matches_embedding_dim": settings.Number(0, 64, whole=True),
    "matches_min_player_balls": settings.Number(1, 10_000, whole=True),
    "matches_seed": settings.Number(0, 2**31 - 1, whole=True),
    "matches_name": settings.Text(),
}
DEFAULT_MATCHES = 1000
"""Synthetic matches of a first set: about four times the training matches of the embedded sample."""


def matches_ui(real: DatasetInfo) -> EngineChoice:
    """Epochs and the number of synthetic matches up front (with the rows they give), the rest under Advanced."""
    left, right = st.columns(2)
    epochs = _matches(left, "Most epochs", "matches_epochs", "epochs")
    count = _number(right, "Synthetic matches", MATCHES_SETTINGS, "matches_count", DEFAULT_MATCHES, step=100,
                    help="Whole matches to play into the first synthetic set.")
    if real.rows_per_match:
        right.caption(f"About {round(count * real.rows_per_match, -2):,.0f} rows, at the {real.rows_per_match:.0f} "
                      f"deliveries per match of {real.name}.")
    with st.expander("Advanced"):
        a, b, c = st.columns(3)
        patience = _matches(a, "Patience (epochs)", "matches_patience", "patience")
        learning_rate = _matches(a, "Learning rate", "matches_learning_rate", "learning_rate", format="%.4f")
        embedding = _matches(b, "Player embedding size", "matches_embedding_dim", "embedding_dim")
        min_balls = _matches(b, "Min balls per player", "matches_min_player_balls", "min_player_balls")
        seed = _matches(c, "Seed", "matches_seed", "seed")
    name = st.text_input("Name of the synthetic set", "synthetic matches", key="matches_name")
    config = MatchesConfig(epochs=int(epochs), patience=int(patience), learning_rate=float(learning_rate),
                           embedding_dim=int(embedding), min_player_balls=int(min_balls), seed=int(seed))
    return EngineChoice(config, {"matches": int(count)}, name,
                        f"{config.epochs} epochs at most, player embeddings of {config.embedding_dim}")


def _number(box, label: str, specs: dict, key: str, value, **options):
    """A number input whose range is the one its kept value is checked against (`specs[key]`)."""
    return box.number_input(label, value=value, key=key, **specs[key].limits, **options)


def _matches(box, label: str, key: str, field: str, **options):
    """A number input of one MatchesConfig field: its default, its kept range and the help the config declares."""
    return _number(box, label, MATCHES_SETTINGS, key, getattr(MATCHES, field), help=_help(field), **options)


def _help(name: str) -> str:
    """The help MatchesConfig declares for one of its fields (the command line's too), as a sentence."""
    text = MatchesConfig.__dataclass_fields__[name].metadata["help"]
    return f"{text[:1].upper()}{text[1:]}."


FORMS = {
    "ctgan": SettingsForm(
        ctgan_ui, CTGAN_SETTINGS,
        suggestion_keys={"fraction": "synth_fraction", "epochs": "synth_epochs", "shards": "synth_shards",
                         "player_encoding": "synth_encoding", "top_k": "synth_top_k"}),
    "matches": SettingsForm(
        matches_ui, MATCHES_SETTINGS),
}
"""Engine name -> its settings widgets; every engine of models.synth.engines.ENGINES has one."""
