"""The ball model on matches it never saw: log loss next to the state-only model and the class frequencies."""

from __future__ import annotations

import numpy as np
import torch

from lib.data.events import MatchEvents
from models.synth.matches.ball_model import log_loss
from models.synth.matches.outcomes import label_deliveries
from models.synth.matches.state import state_matrix, training_state


def test_log_loss(model, events: MatchEvents) -> dict[str, float]:
    """Mean log loss (nats per delivery) on `events` of the ball model, the state-only reference (when the model
    has one) and the training class frequencies.

    Args:
        model: a trained models.synth.matches.synthesizer.MatchesSynthesizer.
        events: whole matches the model never trained on (e.g. the standard split's test matches).
    """
    players = model.players
    deliveries = events.deliveries
    labels = label_deliveries(deliveries, players.outcomes)
    data = {"state": torch.from_numpy(state_matrix(training_state(deliveries, events.matches))),
            "batter": torch.from_numpy(players.batters(deliveries["batter"].to_numpy())),
            "bowler": torch.from_numpy(players.bowlers(deliveries["bowler"].to_numpy())),
            "label": torch.from_numpy(labels)}
    losses = {"ball model": log_loss(players.network, data)}
    if model.reference is not None:
        losses["state-only reference"] = log_loss(model.reference, data)
    frequencies = np.asarray(model.stats["held_out"]["frequencies"])
    losses["class frequencies"] = float(-np.log(np.maximum(frequencies[labels], 1e-12)).mean())
    return losses
