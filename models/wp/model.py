"""The win-probability (WP) model: batter and bowler embeddings plus the seven match-state inputs.

The default `WPConfig` is the published architecture (embeddings of 16, Dense 64-32-16-8 with ReLU and dropout
0.1, sigmoid output, Adam 0.01 with amsgrad, binary cross-entropy, batch 1024). What this module adds to it makes
the model stable and honest:

- a `Normalization` layer adapted on the training rows sits inside the model, so raw t20.csv values go in and the
  saved model is self-contained (unscaled inputs made the published model collapse to a constant);
- early stopping on a validation set that the caller takes from training matches, best weights restored;
- training in two phases by default (`models.wp.fit`): the match state first, then the players. Trained all at
  once, as published, the embeddings memorise which matches each player's side won within the first epoch and
  the model loses to one without players on held-out matches (bench/wp_speed.py measures both);
- unknown players: index 0 is the unknown player. A share of training deliveries (`unknown_share`) has its
  batter or bowler index replaced by 0, so the index-0 embedding learns "a player we know nothing about" (the
  average of randomly chosen deliveries). At prediction, any index not seen in the training rows maps to 0, so a
  debutant never reaches an embedding that training never touched. The mask is drawn once per fit (seeded)
  rather than per epoch, so training runs on plain numpy arrays, the fastest feed on CPU.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np
import pandas as pd

from lib.data import files
from lib.data.schema import BATTER, BOWLER, NUMERIC_COLUMNS, UNKNOWN_PLAYER, WINNER
from lib.data.vocabulary import Vocabulary
from models.wp.config import STEPS_PER_EXECUTION, WPConfig

STATE_INPUT = "state"
"""Name of the model input that takes the seven numeric columns, in lib.data.schema.NUMERIC_COLUMNS order."""
KERAS_FILE = "model.keras"
H5_FILE = "model.h5"
META_FILE = "wp.json"
PLAYERS_FILE = "players.json"
FORMATS = {"keras": KERAS_FILE, "h5": H5_FILE}
PREDICT_BATCH = 8192
"""Rows per prediction batch; prediction has no gradient, so a batch far larger than training's is cheap."""


def create_model_inputs() -> dict[str, keras.KerasTensor]:
    """The three model inputs: batter index, bowler index (int32, shape (n, 1)) and the state (float32, (n, 7))."""
    return {
        BATTER: keras.Input(shape=(1,), name=BATTER, dtype="int32"),
        BOWLER: keras.Input(shape=(1,), name=BOWLER, dtype="int32"),
        STATE_INPUT: keras.Input(shape=(len(NUMERIC_COLUMNS),), name=STATE_INPUT, dtype="float32"),
    }


def encode_inputs(
    inputs: dict[str, keras.KerasTensor], config: WPConfig, batters: int, bowlers: int, state_rows: np.ndarray
) -> keras.KerasTensor:
    """Embed the players, normalise the state, and concatenate them.

    Args:
        inputs: as made by `create_model_inputs`.
        config: gives the embedding size.
        batters, bowlers: embedding rows (largest index + 1).
        state_rows: the training rows' numeric inputs, shape (n, 7), for the Normalization layer's mean and variance.

    Returns:
        A tensor of shape (n, 2 * embedding_dim + 7).
    """
    normalizer = keras.layers.Normalization(name="state_normalization")
    normalizer.adapt(state_rows)
    batter = keras.layers.Embedding(batters, config.embedding_dim, name="batter_embedding")(inputs[BATTER])
    bowler = keras.layers.Embedding(bowlers, config.embedding_dim, name="bowler_embedding")(inputs[BOWLER])
    return keras.layers.Concatenate(name="features")(
        [keras.layers.Flatten()(batter), keras.layers.Flatten()(bowler), normalizer(inputs[STATE_INPUT])]
    )


def build_model(config: WPConfig, batters: int, bowlers: int, state_rows: np.ndarray) -> keras.Model:
    """The compiled WP network; arguments as for `encode_inputs`. Output: win probability of the batting side."""
    inputs = create_model_inputs()
    hidden = encode_inputs(inputs, config, batters, bowlers, state_rows)
    for number, units in enumerate(config.layers, start=1):
        hidden = keras.layers.Dense(units, activation="relu", name=f"dense_{number}")(hidden)
        hidden = keras.layers.Dropout(config.dropout, name=f"dropout_{number}")(hidden)
    output = keras.layers.Dense(1, activation="sigmoid", name="win_probability")(hidden)
    model = keras.Model(inputs, output, name="wp")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.learning_rate, amsgrad=True),
        loss="binary_crossentropy",
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    return model


@dataclass
class WPModel:
    """A trained WP model with what it needs to predict: the players it has seen, its settings and history.

    Attributes:
        network: the Keras model; inputs as in `create_model_inputs`, output shape (n, 1).
        config: the settings it was trained with.
        seen_batters, seen_bowlers: sorted player indices present in the training rows; others predict as 0.
        history: one dict per epoch: epoch (1-based), loss, val_loss (binary cross-entropy), seconds.
        features: feature variant of the training data ("leakfree", "yorkr") when known.
        vocabulary: player names behind the indices, when known.
        extra: anything else worth keeping with the model (test scores, training rows).
    """

    network: keras.Model
    config: WPConfig
    seen_batters: np.ndarray
    seen_bowlers: np.ndarray
    history: list[dict] = field(default_factory=list)
    features: str | None = None
    vocabulary: Vocabulary | None = None
    extra: dict = field(default_factory=dict)

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Win probability of the batting side for each row of `frame`.

        Args:
            frame: rows with the batter, bowler and seven numeric columns, raw (unscaled) values.

        Returns:
            float64 array of shape (len(frame),), each in 0..1.
        """
        inputs = model_inputs(frame, self.seen_batters, self.seen_bowlers)
        return self.network.predict(inputs, batch_size=PREDICT_BATCH, verbose=0).reshape(-1).astype(np.float64)

    def save(self, folder: str | Path) -> Path:
        """Write `model.keras`, `model.h5`, `wp.json` (and `players.json`) into `folder`, replacing it whole."""
        folder = Path(folder)
        with files.staged_dir(folder) as staging:
            self.network.save(staging / KERAS_FILE)
            self.network.save(staging / H5_FILE)  # legacy format, on purpose: R's keras loads it (Keras warns)
            (staging / META_FILE).write_text(json.dumps(self._metadata(), indent=1))
            if self.vocabulary is not None:
                self.vocabulary.save(staging / PLAYERS_FILE)
        return folder

    def _metadata(self) -> dict:
        return {
            "model": "crease-lab win probability",
            "config": self.config.to_json(),
            "features": self.features,
            "inputs": {"batter": BATTER, "bowler": BOWLER, STATE_INPUT: list(NUMERIC_COLUMNS)},
            "output": f"probability that the batting side wins ({WINNER} = 1)",
            "unknown_player": UNKNOWN_PLAYER,
            "unseen_players": "map any batter or bowler index not listed in seen_* to the unknown player",
            "seen_batters": self.seen_batters.tolist(),
            "seen_bowlers": self.seen_bowlers.tolist(),
            "history": self.history,
            "extra": self.extra,
        }

    @classmethod
    def load(cls, folder: str | Path, model_format: str = "keras") -> WPModel:
        """Load a model folder written by `save`; `model_format` picks the network file: "keras" or "h5"."""
        folder = Path(folder)
        if model_format not in FORMATS:
            raise ValueError(f"model_format must be one of {sorted(FORMATS)}, got {model_format!r}.")
        if not (folder / META_FILE).is_file() or not (folder / FORMATS[model_format]).is_file():
            raise ValueError(
                f"{folder} is not a WP model folder: it needs {META_FILE} and {FORMATS[model_format]}. "
                "Pick a folder written by `wp train`."
            )
        meta = json.loads((folder / META_FILE).read_text())
        players = folder / PLAYERS_FILE
        return cls(
            network=keras.models.load_model(folder / FORMATS[model_format], compile=False),
            config=WPConfig.from_json(meta["config"]),
            seen_batters=np.asarray(meta["seen_batters"], dtype=np.int64),
            seen_bowlers=np.asarray(meta["seen_bowlers"], dtype=np.int64),
            history=meta["history"],
            features=meta["features"],
            vocabulary=Vocabulary.load(players) if players.is_file() else None,
            extra=meta["extra"],
        )


def model_inputs(frame: pd.DataFrame, seen_batters: np.ndarray, seen_bowlers: np.ndarray) -> dict[str, np.ndarray]:
    """The network's input arrays for `frame`, with players outside the seen sets mapped to the unknown player."""
    missing = [c for c in [BATTER, BOWLER, *NUMERIC_COLUMNS] if c not in frame]
    if missing:
        raise ValueError(
            f"The rows to predict lack column(s) {', '.join(missing)}; the WP model needs {BATTER}, {BOWLER} and "
            f"{', '.join(NUMERIC_COLUMNS)}."
        )
    return {
        BATTER: _seen_or_unknown(frame[BATTER].to_numpy(), seen_batters)[:, None],
        BOWLER: _seen_or_unknown(frame[BOWLER].to_numpy(), seen_bowlers)[:, None],
        STATE_INPUT: frame[NUMERIC_COLUMNS].to_numpy(dtype=np.float32),
    }


def _seen_or_unknown(players: np.ndarray, seen: np.ndarray) -> np.ndarray:
    return np.where(np.isin(players, seen), players, UNKNOWN_PLAYER).astype(np.int32)
