"""Settings of the matches engine (a learned ball-by-ball simulator), checked before any work starts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lib.data.schema import T20_BALLS
from models.json_config import JsonConfig

OVERS = T20_BALLS // 6
"""Overs per innings the simulator plays (a T20: 20 overs of 6 balls)."""
BALLS_PER_OVER = 6
MAX_OVERS_PER_BOWLER = OVERS // 5
"""The Laws of T20: no bowler bowls more than a fifth of the overs."""
VALIDATION_STREAM, TRAIN_STREAM, SAMPLE_STREAM = 11, 12, 13
"""Seed streams of a run (np.random.default_rng([seed, stream, ...])): which training matches validate, the
training of each network, and the matches played."""


def _help(text: str) -> dict:
    return {"help": text}


@dataclass(frozen=True)
class MatchesConfig(JsonConfig):
    """Everything that decides a matches-engine run. Defaults train the embedded sample in well under a minute.

    Attributes:
        epochs: most passes over the training deliveries; early stopping usually ends sooner.
        patience: epochs without a better validation loss before training stops (the best epoch's weights are
            kept).
        batch_size: deliveries per step.
        learning_rate: Adam's learning rate.
        hidden: hidden layer sizes of the ball model.
        embedding_dim: size of each batter and bowler embedding; 0 learns no players (a state-only model).
        min_player_balls: a player with fewer training deliveries shares the "rare" embedding with the unknown
            player 0.
        shrinkage: L2 penalty on the player embeddings, pulling each player towards the average player.
        unknown_share: share of training deliveries whose batter and bowler are shown as the unknown player, so
            that its embedding learns the average player (as in the win-probability model).
        validation_share: share of the training matches held out for early stopping and the held-out report.
        reference: also train the state-only model (no players) for the held-out report.
        seed: makes validation matches, training and sampling repeatable.
        checkpoint_every: epochs between checkpoints when a checkpoint folder is given.
        threads: torch CPU threads; None uses every core. The ball model is small, so one thread is fastest: on a
            busy 2-core machine two threads made an epoch 15 times slower (bench/matches_engine.py).
    """

    epochs: int = field(default=30, metadata=_help("most passes over the training deliveries; early stopping "
                                                       "usually ends sooner"))
    patience: int = field(default=3, metadata={"help": "epochs without a better validation loss before stopping",
                                               "range": (1, 100)})
    batch_size: int = field(default=1024, metadata=_help("deliveries per training step"))
    learning_rate: float = field(default=2e-3, metadata=_help("Adam learning rate, > 0"))
    hidden: tuple[int, ...] = field(default=(128, 64), metadata=_help("the ball model's hidden layer sizes, "
                                                                      "comma-separated"))
    embedding_dim: int = field(default=8, metadata=_help("size of each player embedding; 0 learns no players"))
    min_player_balls: int = field(default=60, metadata={"help": "players with fewer training deliveries share one "
                                                                "'rare player' embedding", "range": (1, 100_000)})
    shrinkage: float = field(default=1e-4, metadata={"help": "L2 penalty pulling each player towards the average",
                                                     "range": (0, None), "low_open": False})
    unknown_share: float = 0.05
    validation_share: float = 0.15
    reference: bool = True
    seed: int = field(default=0, metadata=_help("makes training and sampling repeatable"))
    checkpoint_every: int = 1
    threads: int | None = field(default=1, metadata=_help("torch CPU threads (one is fastest for this small model)"))

    def __post_init__(self) -> None:
        """Refuse settings that cannot train: a config that exists can train.

        Raises:
            ValueError: the first setting out of range, naming it, the value found and a value that works.
        """
        _refuse_bad_settings(self)


def _refuse_bad_settings(config: MatchesConfig) -> None:
    for name in ("epochs", "patience", "batch_size", "min_player_balls", "checkpoint_every"):
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} is {value!r}; it must be a whole number of at least 1.")
    for name in ("embedding_dim", "seed"):
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} is {value!r}; it must be a whole number of at least 0.")
    if not 0 < config.learning_rate < math.inf:
        raise ValueError(f"learning_rate is {config.learning_rate}; it must be > 0 and finite, e.g. 2e-3.")
    if not 0 <= config.shrinkage < math.inf:
        raise ValueError(f"shrinkage is {config.shrinkage}; it must be >= 0, e.g. 1e-4.")
    if not 0 <= config.unknown_share < 1:
        raise ValueError(f"unknown_share is {config.unknown_share}; it must be in [0, 1), e.g. 0.05.")
    if not 0 < config.validation_share < 1:
        raise ValueError(f"validation_share is {config.validation_share}; it must be in (0, 1), e.g. 0.15.")
    if not config.hidden or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in config.hidden):
        raise ValueError(f"hidden is {config.hidden!r}; give one or more layer sizes of at least 1, e.g. 128,64.")
    if config.threads is not None and (not isinstance(config.threads, int) or config.threads < 1):
        raise ValueError(f"threads is {config.threads!r}; use a whole number >= 1, or None for every core.")
