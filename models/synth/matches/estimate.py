"""What a matches-engine run will cost before it starts: memory, and seconds per epoch from a timing probe.

The probe runs the real epoch of the ball model (models.synth.matches.fit) on random deliveries of the run's shapes
(outcome classes, players with embeddings, batch size) at the run's thread count, in a fresh process set up as a
job's worker is (models.training_process), and its timing is reused for a few minutes; an epoch is that many steps
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
from models.synth.matches.fit import new_state, train_epoch
from models.synth.matches.state import STATE_WIDTH
from models.synth.torch_runtime import torch_thread_count, torch_threads
from models.training_process import run_probe

BASE_BYTES = 700 * 2**20
"""Resident memory of a training process before the data: Python, torch, pandas, pyarrow, scikit-learn."""
BYTES_PER_DELIVERY = 1_200
"""Per training delivery: its events, the training tables and tensors, and the pandas work of preparing them."""
PROBE_STEPS = 8
"""Steps of one timed probe epoch."""
MIN_TIMED_SECONDS = 1.0
"""Probe epochs are timed until this long has passed, and the median taken: a step takes milliseconds, so one
busy moment of the machine would otherwise set the figure."""


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


def estimate_cost(frame: pd.DataFrame, events: MatchEvents, config: MatchesConfig, probe: bool = True,
                  cache_dir=None):
    """Predict the cost of training the matches engine on `frame` (whose events are `events`); `cache_dir` keeps
    the probe's timing for a few minutes (None: probe every time).

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
        shapes = {"classes": len(data.outcomes.runs), "batters": data.batters.rows, "bowlers": data.bowlers.rows}
        payload = {**shapes, "config": config.to_json()}
        key = [shapes, config.batch_size, list(config.hidden), config.embedding_dim, torch_thread_count(config.threads)]
        seconds_per_step = float(run_probe("models.synth.matches.estimate:measure", payload, cache_dir, key))
        estimate.seconds_per_epoch = seconds_per_step * steps * (1 + data.validation.mean())
        estimate.total_seconds = estimate.seconds_per_epoch * config.epochs * (2 if config.reference else 1)
    return estimate


def measure(payload: dict) -> float:
    """Seconds per training step of the ball model, in the probe's process: the median of timed epochs of
    PROBE_STEPS steps on random deliveries of the payload's shapes, after one untimed epoch."""
    config = MatchesConfig.from_json(payload["config"])
    rng = np.random.default_rng(0)
    n = PROBE_STEPS * config.batch_size
    data = {"state": torch.from_numpy(rng.random((n, STATE_WIDTH), dtype=np.float32)),
            "batter": torch.from_numpy(rng.integers(payload["batters"], size=n)),
            "bowler": torch.from_numpy(rng.integers(payload["bowlers"], size=n)),
            "label": torch.from_numpy(rng.integers(payload["classes"], size=n))}
    times: list[float] = []
    with torch_threads(config.threads):
        state = new_state(payload["classes"], payload["batters"], payload["bowlers"], config, 0)
        train_epoch(state, data, config, lambda: False)
        while sum(times) < MIN_TIMED_SECONDS:
            started = time.perf_counter()
            train_epoch(state, data, config, lambda: False)
            times.append(time.perf_counter() - started)
    return float(np.median(times)) / PROBE_STEPS
