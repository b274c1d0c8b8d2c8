"""Settings of the win-probability model, checked before any work starts; importing this module loads no Keras."""

from __future__ import annotations

import math
from dataclasses import dataclass

from models.json_config import JsonConfig

TRAINING = {
    "state_first": "match state first (players unknown), then the players with the deeper layers frozen",
    "joint": "players and match state at once, as published (players memorise matches)",
}
"""Training procedure -> what it does, as the UI describes it."""
SYNTHETIC_PHASES = {
    "all": "in every phase, like real rows",
    "state": "in the match-state phase only; the players are learned from real rows alone",
}
"""Where synthetic training rows join ("state" needs the state_first procedure) -> what it means, for the UI."""
MAX_UNITS = 4096
"""Most units of one hidden layer: the published network's widest has 64, and the model is small on purpose."""
STEPS_PER_EXECUTION = 64
"""Training steps per call into TensorFlow: this network is so small that per-call overhead dominates; on 2 cores
an epoch took about 1.5x less time than with one step per call (bench/wp_speed.py compares the two)."""
EAGER_STEPS = 64
"""A training of at most this many steps in all (epochs x batches per epoch, both phases) runs eagerly. Tracing
TensorFlow's graphs costs about 5 CPU seconds per training whatever its size, an eager step (with its share of the
validation checks) about 0.1 s more than a traced one: a quick look at a few hundred rows trains two times faster,
while a real training (hundreds of steps) keeps its graphs (bench/wp_eager.py measures both on 2 cores)."""


def parse_layers(text: str) -> tuple[int, ...]:
    """Hidden Dense layers written as on the page and the command line: "64,32,16,8" -> (64, 32, 16, 8).

    Raises:
        ValueError: saying what is wrong with `text`: empty (no hidden layer), an empty part ("64,,8"), a part that
            is not a whole number, or a unit count outside 1..MAX_UNITS.
    """
    parts = [part.strip() for part in str(text).split(",")]
    if parts == [""]:
        raise ValueError(f"Dense layers {text!r} name no hidden layer; give at least one unit count.")
    if "" in parts:
        raise ValueError(f"Dense layers {text!r} have an empty entry (position {parts.index('') + 1}); give "
                         "comma-separated unit counts without gaps.")
    try:
        units = tuple(int(part) for part in parts)
    except ValueError:
        raise ValueError(f"Dense layers {text!r} must be comma-separated whole numbers.") from None
    bad = [count for count in units if not 1 <= count <= MAX_UNITS]
    if bad:
        raise ValueError(f"Dense layers {text!r} have {bad[0]:,} units; each layer needs 1..{MAX_UNITS:,}.")
    return units


@dataclass
class WPConfig(JsonConfig):
    """Settings of one WP model; the defaults are the published preset.

    Attributes:
        embedding_dim: size of the batter and of the bowler embedding vectors.
        layers: units of the hidden Dense layers, first to last.
        dropout: dropout rate after each hidden layer, 0..1.
        learning_rate: Adam learning rate (amsgrad on, as published).
        batch_size: training rows per gradient step.
        epochs: most epochs to train; early stopping may end sooner.
        patience: epochs without a lower validation loss before training stops.
        unknown_share: share of training deliveries whose batter (and, drawn separately, bowler) is replaced by
            the unknown player 0, 0..1, so that index 0 is trained.
        training: "state_first" (default) or "joint" (as published); see TRAINING.
        player_checks: validation checks per epoch while the players are learned ("state_first" only).
        synthetic_weight: weight of a synthetic training row in the loss, a real row weighing 1; in (0, 1].
        synthetic_phases: where synthetic rows join: "all" or "state" (see SYNTHETIC_PHASES).
        seed: seeds weights, shuffling, dropout and the unknown-player mask.
    """

    embedding_dim: int = 16
    layers: tuple[int, ...] = (64, 32, 16, 8)
    dropout: float = 0.1
    learning_rate: float = 0.01
    batch_size: int = 1024
    epochs: int = 10
    patience: int = 2
    unknown_share: float = 0.05
    training: str = "state_first"
    player_checks: int = 8
    synthetic_weight: float = 1.0
    synthetic_phases: str = "all"
    seed: int = 0

    def __post_init__(self) -> None:
        self.layers = tuple(int(units) for units in self.layers)
        problems = [
            f"embedding_dim must be >= 1, got {self.embedding_dim}" if self.embedding_dim < 1 else "",
            f"layers must be one or more unit counts in 1..{MAX_UNITS:,}, got {list(self.layers)}"
            if not self.layers or any(not 1 <= u <= MAX_UNITS for u in self.layers) else "",
            f"dropout must be in [0, 1), got {self.dropout}" if not 0 <= self.dropout < 1 else "",
            f"learning_rate must be > 0 and finite, got {self.learning_rate}"
            if not 0 < self.learning_rate < math.inf else "",
            f"batch_size must be >= 1, got {self.batch_size}" if self.batch_size < 1 else "",
            f"epochs must be >= 1, got {self.epochs}" if self.epochs < 1 else "",
            f"patience must be >= 0, got {self.patience}" if self.patience < 0 else "",
            f"unknown_share must be in [0, 1), got {self.unknown_share}" if not 0 <= self.unknown_share < 1 else "",
            f"training must be one of {', '.join(TRAINING)}, got {self.training!r}" if self.training not in TRAINING
            else "",
            f"player_checks must be >= 1, got {self.player_checks}" if self.player_checks < 1 else "",
            f"synthetic_weight must be in (0, 1], got {self.synthetic_weight}"
            if not 0 < self.synthetic_weight <= 1 else "",
            f"synthetic_phases must be one of {', '.join(SYNTHETIC_PHASES)}, got {self.synthetic_phases!r}"
            if self.synthetic_phases not in SYNTHETIC_PHASES else "",
            "synthetic_phases 'state' needs training 'state_first' (joint training has no state phase)"
            if self.synthetic_phases == "state" and self.training != "state_first" else "",
        ]
        problems = [p for p in problems if p]
        if problems:
            raise ValueError("Invalid WP model settings: " + "; ".join(problems) + ".")


def runs_eagerly(rows: int, config: WPConfig) -> bool:
    """Whether a training on `rows` rows runs eagerly: at most EAGER_STEPS steps in all."""
    phases = 2 if config.training == "state_first" else 1
    return phases * config.epochs * math.ceil(rows / config.batch_size) <= EAGER_STEPS
