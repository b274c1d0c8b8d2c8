"""What a matches-engine run will cost before it starts: memory, and seconds per epoch from a timing probe.

The probe prepares the same training tables the run will (models.synth.matches.training.prepare) and times a few
real training steps of the ball model, in this process at the run's thread count; an epoch is that many steps
plus one pass over the validation deliveries. Peak memory is the process before training (Python, torch, pandas)
plus a per-delivery cost of the events, the training tables and their tensors; bench/matches_engine.py prints
predicted next to measured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import torch

from lib.data.events import MatchEvents
from models.synth.cost import CostEstimate, available_bytes
from models.synth.matches.config import MatchesConfig
from models.synth.matches.fit import new_state
from models.synth.torch_runtime import torch_threads

BASE_BYTES = 700 * 2**20
"""Resident memory of a training process before the data: Python, torch, pandas, pyarrow, scikit-learn."""
BYTES_PER_DELIVERY = 1_200
"""Per training delivery: its events, the training tables and tensors, and the pandas work of preparing them."""
PROBE_STEPS = 5


@dataclass(kw_only=True)
class MatchesEstimate(CostEstimate):
    """The predicted cost of a matches-engine run (models.synth.cost.CostEstimate plus what this engine knows).

    Attributes:
        matches, deliveries: whole training matches and their deliveries.
        classes: outcome classes of the ball model.
        parameters: weights of the ball model.
        steps_per_epoch: training steps in one epoch.
        total_seconds: the most the networks can take (every epoch, both networks); early stopping usually ends
            sooner.
    """

    matches: int
    deliveries: int
    classes: int
    parameters: int
    steps_per_epoch: int
    no_suggestion: ClassVar[str] = "fewer training matches, or closing other programs"

    def facts(self) -> list[str]:
        return [(f"{self.matches:,} training matches, {self.deliveries:,} deliveries, {self.classes} outcome "
                 f"classes, a ball model of {self.parameters:,} weights, {self.steps_per_epoch:,} steps per epoch")]

    def total_words(self) -> str:
        return "at most (early stopping usually ends sooner)"


def estimate_cost(frame: pd.DataFrame, events: MatchEvents, config: MatchesConfig, probe: bool = True):
    """Predict the cost of training the matches engine on `frame` (whose events are `events`).

    Returns:
        MatchesEstimate.
    """
    from models.synth.matches.training import prepare

    data = prepare(frame, events, config)
    train = np.flatnonzero(~data.validation)
    state = new_state(len(data.outcomes.runs), data.batters.rows, data.bowlers.rows, config, 0)
    steps = -(-len(train) // config.batch_size)
    estimate = MatchesEstimate(
        matches=data.matches, deliveries=len(data.labels), classes=len(data.outcomes.runs),
        parameters=sum(p.numel() for p in state.network.parameters()), steps_per_epoch=steps,
        peak_bytes=BASE_BYTES + BYTES_PER_DELIVERY * len(data.labels), available_bytes=available_bytes(),
    )
    if probe:
        with torch_threads(config.threads):
            estimate.seconds_per_epoch = _seconds_per_step(state, data, train, config) * steps * (
                1 + data.validation.mean())
        estimate.total_seconds = estimate.seconds_per_epoch * config.epochs * (2 if config.reference else 1)
    return estimate


def _seconds_per_step(state, data, train: np.ndarray, config: MatchesConfig) -> float:
    """Median seconds of a training step, after one untimed warm-up step."""
    rows = np.random.default_rng(0).choice(train, size=min(config.batch_size, len(train)), replace=False)
    batch = data.tensors(rows)
    times = []
    for step in range(PROBE_STEPS + 1):
        started = time.perf_counter()
        logits = state.network(batch["state"], batch["batter"], batch["bowler"])
        torch.nn.functional.cross_entropy(logits, batch["label"]).backward()
        state.optimizer.step()
        state.optimizer.zero_grad(set_to_none=True)
        if step:
            times.append(time.perf_counter() - started)
    return float(np.median(times))
