"""The ball model: the probability of each outcome of a delivery given the match state, the batter and the bowler.

A small PyTorch network: the state inputs (models.synth.matches.state) feed two hidden layers; the batter and the
bowler shift the log-odds; a softmax gives the outcome classes (models.synth.matches.outcomes).

Players: each player with at least `min_player_balls` training deliveries has an embedding of his own; rarer
players share one "rare player" embedding with the unknown player 0, and a share of training deliveries is shown
as that player (as the win-probability model does), so it learns the average player. A player shifts the log-odds
of the outcomes; an L2 penalty on the shifts (`shrinkage`) pulls each player towards the average until his
deliveries say otherwise.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from models.synth.matches.config import MatchesConfig
from models.synth.matches.state import CHASE_COLUMN, PHASE_COLUMNS, STATE_WIDTH

RARE = 0
"""Embedding row of the unknown player and of every rare player."""


class PlayerIndex:
    """Maps a player column's indices (the training data's own index space) to embedding rows.

    Args:
        players: (P,) sorted int64 indices of the players with embeddings of their own; row i + 1 is players[i].
    """

    def __init__(self, players: np.ndarray):
        self.players = np.asarray(players, dtype=np.int64)
        self._lookup = np.zeros(int(self.players.max(initial=0)) + 1, dtype=np.int64)
        self._lookup[self.players] = np.arange(1, len(self.players) + 1)

    @classmethod
    def fit(cls, column: np.ndarray, min_balls: int) -> PlayerIndex:
        """The players of `column` (one entry per delivery) with at least `min_balls` deliveries, 0 excluded."""
        players, counts = np.unique(column, return_counts=True)
        return cls(players[(counts >= min_balls) & (players > 0)])

    @property
    def rows(self) -> int:
        return len(self.players) + 1

    def __call__(self, indices: np.ndarray) -> np.ndarray:
        """(N,) embedding rows of player indices; rare and unknown players get RARE."""
        indices = np.asarray(indices, dtype=np.int64)
        inside = (indices >= 0) & (indices < len(self._lookup))
        return np.where(inside, self._lookup[np.where(inside, indices, 0)], RARE)


class BallNetwork(nn.Module):
    """State and players -> logits of the outcome classes.

    The state goes through the hidden layers; each player adds his own shift to the log-odds of every outcome,
    through an embedding of `embedding_dim` and one projection per player column (a low-rank offset that starts
    at zero, so a player who has not shown otherwise plays like the average). Last, a bias per innings and phase
    (`calibration`, fitted after training by `calibrate`) makes the predicted share of every outcome in each phase
    equal the share in the training matches.

    Args:
        classes: number of outcome classes.
        batters, bowlers: embedding rows of each player column.
        config: hidden sizes and embedding size (0: a state-only network without players).
    """

    def __init__(self, classes: int, batters: int, bowlers: int, config: MatchesConfig):
        super().__init__()
        width = config.embedding_dim
        self.use_players = width > 0
        self.batter = nn.Embedding(batters, max(width, 1))
        self.bowler = nn.Embedding(bowlers, max(width, 1))
        nn.init.normal_(self.batter.weight, std=0.1)
        nn.init.normal_(self.bowler.weight, std=0.1)
        self.batter_shift = nn.Linear(max(width, 1), classes, bias=False)
        self.bowler_shift = nn.Linear(max(width, 1), classes, bias=False)
        nn.init.zeros_(self.batter_shift.weight)
        nn.init.zeros_(self.bowler_shift.weight)
        layers, size = [], STATE_WIDTH
        for hidden in config.hidden:
            layers += [nn.Linear(size, hidden), nn.ReLU()]
            size = hidden
        layers.append(nn.Linear(size, classes))
        self.layers = nn.Sequential(*layers)
        self.register_buffer("calibration", torch.zeros(CALIBRATION_GROUPS, classes))

    def forward(self, state: torch.Tensor, batter: torch.Tensor, bowler: torch.Tensor) -> torch.Tensor:
        """(N, classes) logits from (N, STATE_WIDTH) states and (N,) embedding rows."""
        logits = self.layers(state) + self.calibration[calibration_group(state)]
        if self.use_players:
            logits = logits + self.batter_shift(self.batter(batter)) + self.bowler_shift(self.bowler(bowler))
        return logits

    def penalty(self, batter: torch.Tensor, bowler: torch.Tensor) -> torch.Tensor:
        """Mean squared log-odds shift of the batch's players (0 without players)."""
        if not self.use_players:
            return torch.zeros(())
        return (self.batter_shift(self.batter(batter)).pow(2).sum(1).mean()
                + self.bowler_shift(self.bowler(bowler)).pow(2).sum(1).mean())

    @torch.no_grad()
    def probabilities(self, state: np.ndarray, batter: np.ndarray, bowler: np.ndarray) -> np.ndarray:
        """(N, classes) float64 outcome probabilities, each row summing to 1."""
        self.eval()
        logits = self(torch.from_numpy(state), torch.from_numpy(batter), torch.from_numpy(bowler))
        return torch.softmax(logits.double(), dim=1).numpy()


CALIBRATION_GROUPS = 6
"""Innings (2) x phase (3)."""


def calibration_group(state: torch.Tensor) -> torch.Tensor:
    """(N,) group of each state: 3 x (chase) + phase, read from the state inputs (models.synth.matches.state)."""
    phase = state[:, PHASE_COLUMNS].argmax(dim=1)
    return (state[:, CHASE_COLUMN] > 0.5).long() * 3 + phase


def calibrate(network: BallNetwork, data: dict[str, torch.Tensor], steps: int = 50) -> None:
    """Fit the per-group outcome biases on `data` with the rest of the network frozen. At the optimum of the log
    loss the predicted share of each outcome in each group equals its share in `data`."""
    network.eval()
    with torch.no_grad():
        base = network(data["state"], data["batter"], data["bowler"]) - network.calibration[
            calibration_group(data["state"])]
    groups = calibration_group(data["state"])
    bias = torch.zeros_like(network.calibration, requires_grad=True)
    optimizer = torch.optim.LBFGS([bias], max_iter=steps, line_search_fn="strong_wolfe")

    def loss() -> torch.Tensor:
        optimizer.zero_grad()
        value = nn.functional.cross_entropy(base + bias[groups], data["label"])
        value.backward()
        return value

    optimizer.step(loss)
    network.calibration.copy_(bias.detach())


def log_loss(network: BallNetwork, data: dict[str, torch.Tensor], batch: int = 65_536) -> float:
    """Mean log loss (nats per delivery) of `network` on `data` (state, batter, bowler, label tensors)."""
    network.eval()
    total = 0.0
    with torch.no_grad():
        for start in range(0, len(data["label"]), batch):
            part = slice(start, start + batch)
            logits = network(data["state"][part], data["batter"][part], data["bowler"][part])
            total += float(nn.functional.cross_entropy(logits, data["label"][part], reduction="sum"))
    return total / max(len(data["label"]), 1)
