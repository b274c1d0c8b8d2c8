"""Training a win-probability model: early stopping on real validation matches, in one of two procedures.

- "joint", as published: players and match state are learned together. Every row of a match carries that
  match's result, so within the first epoch the player embeddings learn which of its matches each player's
  side won; the validation loss is lowest after epoch 1 and the model loses to one without players.
- "state_first" (default): phase 1 trains the whole network with every player set to the unknown player, so
  it learns win probability from the match state alone; phase 2 starts every player at the unknown player's
  embedding and trains only the embeddings and the first dense layer, at a tenth of the learning rate, with
  the validation loss checked several times per epoch. Players can then shift the learned state function but
  not re-learn it match by match; phase 2 keeps phase 1's weights unless it lowers the validation loss.
"""

from __future__ import annotations

import time
from dataclasses import replace

import keras
import numpy as np
import pandas as pd

from lib.data.schema import BATTER, BOWLER, NUMERIC_COLUMNS, UNKNOWN_PLAYER, WINNER
from models.progress import Cancelled, EpochLog, OnEpoch, ShouldStop, ignore, never
from models.wp.config import STEPS_PER_EXECUTION, runs_eagerly
from models.wp.model import (
    PREDICT_BATCH,
    STATE_INPUT,
    WPConfig,
    WPModel,
    build_model,
    model_inputs,
)

PLAYER_LAYERS = ("batter_embedding", "bowler_embedding", "dense_1")
"""The layers phase 2 of "state_first" trains; every other layer keeps its phase-1 weights."""
PLAYER_RATE_FACTOR = 0.1
"""Phase 2's learning rate as a share of the configured one."""


def fit_wp(
    train: pd.DataFrame,
    validation: pd.DataFrame,
    config: WPConfig | None = None,
    *,
    on_epoch: OnEpoch = ignore,
    should_stop: ShouldStop = never,
    stage: str = "",
    step: int = 0,
    stages: int = 1,
    synthetic: np.ndarray | None = None,
    eager: bool | None = None,
) -> WPModel:
    """Train a WP model with early stopping on `validation`.

    Args:
        train: training rows (t20.csv columns; `isWinner` is the label).
        validation: rows for early stopping, from matches kept out of `train` (never test matches).
        config: settings; the published preset with state-first training when None.
        on_epoch: called with an EpochLog (losses "loss" and "val_loss") after every epoch of every phase.
        should_stop: polled after every epoch; when it returns True, training raises models.progress.Cancelled.
        stage, step, stages: copied into each EpochLog, for a job made of several trainings.
        synthetic: bool per row of `train`, True for a synthetic row, weighed and placed as
            `config.synthetic_weight` and `config.synthetic_phases` say; None when every row is real.
        eager: run eagerly or trace TensorFlow's graphs; None decides by the steps (`runs_eagerly`). A timing
            probe on a sample of the rows passes the choice of the training it times.

    Returns:
        The model with its best validation weights; `history` has one dict per epoch (epoch, phase, loss,
        val_loss, seconds).
    """
    config = config or WPConfig()
    if len(train) == 0 or len(validation) == 0:
        raise ValueError(f"Training needs rows to train on and to validate on; got {len(train)} and {len(validation)}.")
    keras.utils.set_random_seed(config.seed)
    batters, bowlers = _mask_unknown(train, config)
    seen_batters, seen_bowlers = np.unique(batters), np.unique(bowlers)
    x_train = {BATTER: batters[:, None], BOWLER: bowlers[:, None],
               STATE_INPUT: train[NUMERIC_COLUMNS].to_numpy(np.float32)}
    y_train = train[WINNER].to_numpy(np.float32)
    synthetic = np.zeros(len(train), bool) if synthetic is None else np.asarray(synthetic, bool)
    if synthetic.shape != (len(train),):
        raise ValueError(f"synthetic marks {synthetic.shape[0]:,} rows but train has {len(train):,}.")
    weights = np.where(synthetic, config.synthetic_weight, 1.0).astype(np.float32)
    valid = (model_inputs(validation, seen_batters, seen_bowlers), validation[WINNER].to_numpy(np.float32))
    network = build_model(config, int(seen_batters[-1]) + 1, int(seen_bowlers[-1]) + 1, x_train[STATE_INPUT])
    network.run_eagerly = runs_eagerly(len(train), config) if eager is None else eager
    phases = 2 if config.training == "state_first" else 1
    progress = _Progress(on_epoch, should_stop, EpochLog(0, config.epochs * phases, 0.0, stage=stage, step=step,
                                                           stages=stages))
    if config.training == "joint":
        _fit_epochs(network, x_train, y_train, weights, valid, config, progress, "joint")
    else:
        _fit_epochs(network, _without_players(x_train), y_train, weights, _without_players_pair(valid), config,
                    progress, "match state")
        players = ~synthetic if config.synthetic_phases == "state" else slice(None)  # a slice keeps views, no copy
        _learn_players(network, {k: v[players] for k, v in x_train.items()}, y_train[players], weights[players],
                       valid, config, progress)
    return WPModel(network, config, seen_batters, seen_bowlers, history=progress.history)


def _fit_epochs(network, x, y, weights, valid, config: WPConfig, progress: _Progress, phase: str) -> None:
    progress.phase = phase
    network.fit(
        x, y, sample_weight=_weights_or_none(weights), batch_size=config.batch_size, epochs=config.epochs,
        validation_data=valid, validation_batch_size=PREDICT_BATCH, shuffle=True, verbose=0,
        callbacks=[keras.callbacks.EarlyStopping(patience=config.patience, restore_best_weights=True), progress],
    )


def _weights_or_none(weights: np.ndarray):
    # Weights of all ones train as none do; leaving them out keeps real-only training exactly as it was.
    return None if np.all(weights == 1.0) else weights


def _without_players(x: dict) -> dict:
    return {**x, BATTER: np.zeros_like(x[BATTER]), BOWLER: np.zeros_like(x[BOWLER])}


def _without_players_pair(valid: tuple) -> tuple:
    return _without_players(valid[0]), valid[1]


def _learn_players(network: keras.Model, x, y, weights, valid, config: WPConfig, progress: _Progress) -> None:
    """Phase 2: every player starts as the unknown player; only PLAYER_LAYERS train, on the rows given (none
    leaves every player as the unknown player)."""
    for name in ("batter_embedding", "bowler_embedding"):
        layer = network.get_layer(name)
        unknown = layer.get_weights()[0][UNKNOWN_PLAYER]
        layer.set_weights([np.tile(unknown, (layer.input_dim, 1))])
    if len(y) == 0:  # every training row is synthetic and synthetic rows stay out of this phase
        return
    for layer in network.layers:
        layer.trainable = layer.name in PLAYER_LAYERS or not layer.weights
    network.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.learning_rate * PLAYER_RATE_FACTOR, amsgrad=True),
        loss="binary_crossentropy", steps_per_execution=STEPS_PER_EXECUTION, run_eagerly=network.run_eagerly,
    )
    steps = int(np.ceil(len(y) / config.batch_size))
    checker = _CheckedStopping(valid, max(1, steps // config.player_checks), config.patience * steps)
    progress.phase = "players"
    network.fit(x, y, sample_weight=_weights_or_none(weights), batch_size=config.batch_size, epochs=config.epochs,
                validation_data=valid, validation_batch_size=PREDICT_BATCH, shuffle=True, verbose=0,
                callbacks=[checker, progress])
    checker.restore()
    for layer in network.layers:
        layer.trainable = True


class _CheckedStopping(keras.callbacks.Callback):
    """Validation loss every `every` training steps (or as often as Keras reports batches, when that is rarer);
    stops once `patience` steps have passed since the best check and keeps the best weights, counting the weights
    it started from as a candidate. Patience counts steps, not checks, because on small data Keras reports a
    batch only once per epoch, and a patience in checks would then wait `player_checks` times too long."""

    def __init__(self, valid: tuple, every: int, patience: int):
        super().__init__()
        self.valid, self.every, self.patience = valid, every, patience
        self.best, self.best_weights, self.best_step, self.steps, self.last_check = np.inf, None, 0, 0, 0

    def on_train_begin(self, logs=None) -> None:
        self._check()

    def on_train_batch_end(self, batch: int, logs=None) -> None:
        # Keras reports a batch once per STEPS_PER_EXECUTION steps on large data, or once per epoch on small.
        self.steps += min(STEPS_PER_EXECUTION, self.params.get("steps") or STEPS_PER_EXECUTION)
        if self.steps - self.last_check >= self.every:
            self.last_check = self.steps
            self._check()

    def _check(self) -> None:
        # Not model.evaluate: inside fit it would reset the loss tracker that fit reports as the training loss.
        x, y = self.valid
        probabilities = self.model.predict(x, batch_size=PREDICT_BATCH, verbose=0)
        loss = float(keras.losses.binary_crossentropy(y[:, None], probabilities).numpy().mean())
        if loss < self.best:
            self.best, self.best_weights, self.best_step = loss, self.model.get_weights(), self.steps
        elif self.steps - self.best_step >= self.patience:
            self.model.stop_training = True

    def restore(self) -> None:
        self.model.set_weights(self.best_weights)


def _mask_unknown(train: pd.DataFrame, config: WPConfig) -> tuple[np.ndarray, np.ndarray]:
    """Batter and bowler indices (int32) with a seeded `unknown_share` of each replaced by the unknown player."""
    rng = np.random.default_rng(config.seed)
    masked = []
    for column in (BATTER, BOWLER):
        players = train[column].to_numpy().astype(np.int32)
        players[rng.random(len(players)) < config.unknown_share] = UNKNOWN_PLAYER
        masked.append(players)
    return masked[0], masked[1]


class _Progress(keras.callbacks.Callback):
    """Reports each epoch through models.progress, records the history and honours cancellation."""

    def __init__(self, on_epoch: OnEpoch, should_stop: ShouldStop, template: EpochLog):
        super().__init__()
        self.on_epoch, self.should_stop, self.template = on_epoch, should_stop, template
        self.history: list[dict] = []
        self.phase = ""
        self._started = 0.0

    def on_train_begin(self, logs=None) -> None:
        if self.should_stop():
            raise Cancelled("WP training was cancelled before it started.")

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        seconds = time.perf_counter() - self._started
        losses = {"loss": float(logs["loss"]), "val_loss": float(logs["val_loss"])}
        number = len(self.history) + 1
        self.history.append({"epoch": number, "phase": self.phase, **losses, "seconds": seconds})
        log = replace(self.template, epoch=number, seconds=seconds, losses=losses)
        self.on_epoch(log)
        if self.should_stop():
            raise Cancelled(f"WP training was cancelled after epoch {number}.")
