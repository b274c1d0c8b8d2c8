"""Training the ball model: matches held out for early stopping, Adam steps, the best epoch kept, checkpoints.

Randomness: which matches validate, the batch order and which deliveries are shown as the unknown player come
from numpy generators seeded by (seed, stream); torch's own generator (weight initialisation) is seeded inside
``torch.random.fork_rng``, so the caller's random state is left alone and the same seed gives the same model.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from models.progress import Cancelled, EpochLog, OnEpoch, ShouldStop
from models.synth.matches.ball_model import RARE, BallNetwork, log_loss
from models.synth.matches.config import TRAIN_STREAM, MatchesConfig

LOSS_NAMES = ("train", "validation")
MIN_IMPROVEMENT = 2e-4
"""Nats per delivery a validation loss must improve on the best one to count: smaller steps are within the noise
of a few hundred held-out matches, and chasing them only lengthens training."""
"""The losses each epoch reports: mean log loss per delivery (nats) on the training and validation deliveries."""


@dataclass
class FitState:
    """Where a training run is, enough to continue it exactly.

    Attributes:
        network, optimizer: the model being trained and its Adam state.
        epoch: epochs finished.
        best: validation loss of the best epoch so far, and that epoch's weights.
        waited: epochs since the best one (each halved the learning rate).
        history: per finished epoch, "train" and "validation" log loss and "seconds".
        rng: numpy generator of batch order and unknown-player masks.
        done: early stopping has ended the run.
    """

    network: BallNetwork
    optimizer: torch.optim.Adam
    rng: np.random.Generator
    epoch: int = 0
    best_loss: float = float("inf")
    best_weights: dict = field(default_factory=dict)
    waited: int = 0
    history: list[dict] = field(default_factory=list)
    done: bool = False

    def tensors(self) -> dict:
        return {"network": self.network.state_dict(), "optimizer": self.optimizer.state_dict(),
                "best_weights": self.best_weights, "torch_rng": torch.get_rng_state()}

    def meta(self) -> dict:
        return {"epoch": self.epoch, "best_loss": self.best_loss, "waited": self.waited, "history": self.history,
                "done": self.done, "numpy_rng": self.rng.bit_generator.state}

    def restore(self, tensors: dict, meta: dict) -> None:
        self.network.load_state_dict(tensors["network"])
        self.optimizer.load_state_dict(tensors["optimizer"])
        self.best_weights = tensors["best_weights"]
        torch.set_rng_state(tensors["torch_rng"])
        self.epoch, self.best_loss, self.waited = int(meta["epoch"]), float(meta["best_loss"]), int(meta["waited"])
        self.history, self.done = list(meta["history"]), bool(meta["done"])
        self.rng.bit_generator.state = meta["numpy_rng"]


def new_state(classes: int, batters: int, bowlers: int, config: MatchesConfig, stage: int) -> FitState:
    """A fresh network and optimiser, seeded by (config.seed, stage)."""
    torch.manual_seed(int(np.random.SeedSequence([config.seed, TRAIN_STREAM, stage]).generate_state(1)[0]))
    network = BallNetwork(classes, batters, bowlers, config)
    optimizer = torch.optim.Adam(network.parameters(), lr=config.learning_rate)
    return FitState(network, optimizer, np.random.default_rng([config.seed, TRAIN_STREAM, stage]))


def train_network(state: FitState, train: dict, validation: dict, config: MatchesConfig, *, stage: str = "",
                  step: int = 0, stages: int = 1, on_epoch: OnEpoch, should_stop: ShouldStop,
                  checkpoint=None) -> BallNetwork:
    """Train until `config.epochs` or early stopping, and return the network with the best epoch's weights.

    Args:
        state: a fresh or restored FitState.
        train, validation: tensors "state" (N, STATE_WIDTH), "batter", "bowler" (N,) embedding rows, "label" (N,).
        config: epochs, patience, batch size, shrinkage, unknown share.
        stage, step, stages: how the epochs are labelled in EpochLog.
        on_epoch, should_stop: the progress protocol (models.progress).
        checkpoint: called as checkpoint(state) after every `config.checkpoint_every` epochs, or None.

    Raises:
        Cancelled: `should_stop()` returned True.
    """
    while not state.done and state.epoch < config.epochs:
        started = time.perf_counter()
        train_loss = train_epoch(state, train, config, should_stop)
        validation_loss = log_loss(state.network, validation)
        state.epoch += 1
        if validation_loss < state.best_loss - MIN_IMPROVEMENT:
            state.best_loss, state.waited = validation_loss, 0
            state.best_weights = copy.deepcopy(state.network.state_dict())
        else:
            # A worse epoch halves the step size before the next one, so training settles instead of wandering.
            state.waited += 1
            state.done = state.waited >= config.patience
            for group in state.optimizer.param_groups:
                group["lr"] *= 0.5
        seconds = time.perf_counter() - started
        state.history.append({"train": train_loss, "validation": validation_loss, "seconds": seconds})
        if checkpoint is not None and (state.epoch % config.checkpoint_every == 0 or state.done):
            checkpoint(state)
        on_epoch(EpochLog(epoch=state.epoch, epochs=config.epochs, seconds=seconds,
                          losses={"train": train_loss, "validation": validation_loss}, stage=stage, step=step,
                          stages=stages))
    state.network.load_state_dict(state.best_weights or state.network.state_dict())
    return state.network


def train_epoch(state: FitState, data: dict, config: MatchesConfig, should_stop: ShouldStop) -> float:
    """One pass over `data` (tensors as `train_network` takes them) in shuffled batches; returns the mean training
    log loss per delivery. The cost estimate's probe times this same function."""
    network, optimizer = state.network, state.optimizer
    network.train()
    n = len(data["label"])
    order = torch.from_numpy(state.rng.permutation(n))
    unknown = torch.from_numpy(state.rng.random(n) < config.unknown_share)
    total = 0.0
    for start in range(0, n, config.batch_size):
        if should_stop():
            raise Cancelled(f"matches engine training cancelled during epoch {state.epoch + 1}")
        rows = order[start:start + config.batch_size]
        hide = unknown[rows]
        batter = torch.where(hide, RARE, data["batter"][rows])
        bowler = torch.where(hide, RARE, data["bowler"][rows])
        logits = network(data["state"][rows], batter, bowler)
        loss = torch.nn.functional.cross_entropy(logits, data["label"][rows])
        (loss + config.shrinkage * network.penalty(batter, bowler)).backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        total += float(loss.detach()) * len(rows)
    return total / max(n, 1)
