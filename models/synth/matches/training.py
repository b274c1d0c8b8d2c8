"""From whole training matches to a trained ball model: the training tables, the networks (the ball model, then
the state-only reference), checkpoints, and the held-out report.

The training matches are split once more: `validation_share` of them (seeded) never train the networks; they
stop training early and give the held-out report (log loss next to the state-only model and the class
frequencies, and calibration per phase). After training, each network's per-phase outcome biases are fitted on the
other training matches (models.synth.matches.ball_model.calibrate), so that the outcome shares of each phase are
those of the training matches.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from lib.data import files
from lib.data.cricsheet.features import FEATURE_VARIANTS, state_columns
from lib.data.events import MatchEvents, delivery_facts
from lib.data.schema import BALLS_REMAINING, BATTER, BOWLER
from models.progress import OnEpoch, ShouldStop
from models.synth.matches.ball_model import BallNetwork, PlayerIndex, calibrate, log_loss
from models.synth.matches.config import VALIDATION_STREAM, MatchesConfig
from models.synth.matches.fit import FitState, new_state, train_network
from models.synth.matches.outcomes import KINDS, Outcomes, fit_outcomes
from models.synth.matches.play import Players
from models.synth.matches.sides import Sides, fit_sides
from models.synth.matches.state import PHASES, phase_of, state_matrix, training_state

MAIN_STAGE, REFERENCE_STAGE = "ball model", "state-only reference"
_PROGRESS = "progress.json"
_MAY_DIFFER = ("checkpoint_every", "threads")
"""Settings a resumed run may change without changing what it computes."""


class NotEnoughMatches(ValueError):
    """Too few whole matches to train on and hold some out."""


@dataclass
class TrainingData:
    """Everything the networks and the simulator learn from (N training deliveries).

    Attributes:
        events: the training matches' events.
        features: the feature variant of the training rows, which synthetic rows are written in.
        outcomes, labels: the outcome classes and (N,) each delivery's class.
        states: (N, STATE_WIDTH) float32 ball-model inputs; phases: (N,) index into PHASES.
        batters, bowlers: the player indices with embeddings; batter_rows, bowler_rows: (N,) embedding rows.
        validation: (N,) True for deliveries of the held-out training matches.
        sides: the sides of the training matches.
        matches: training matches; rows_per_match: mean deliveries per match.
        fingerprint: identifies the data (a checkpoint resumes only on the same data).
    """

    events: MatchEvents
    features: str
    outcomes: Outcomes
    labels: np.ndarray
    states: np.ndarray
    phases: np.ndarray
    batters: PlayerIndex
    bowlers: PlayerIndex
    batter_rows: np.ndarray
    bowler_rows: np.ndarray
    validation: np.ndarray
    sides: Sides
    matches: int
    rows_per_match: float
    fingerprint: str

    def tensors(self, rows: np.ndarray) -> dict[str, torch.Tensor]:
        return {"state": torch.from_numpy(self.states[rows]), "batter": torch.from_numpy(self.batter_rows[rows]),
                "bowler": torch.from_numpy(self.bowler_rows[rows]), "label": torch.from_numpy(self.labels[rows])}


@dataclass
class FitResult:
    """The trained ball model, the state-only reference (None when not trained), losses and the held-out report."""

    players: Players
    reference: BallNetwork | None
    histories: dict[str, list[dict]]
    report: dict


def prepare(frame: pd.DataFrame, events: MatchEvents, config: MatchesConfig) -> TrainingData:
    """The training tables of `events` (the matches of `frame`)."""
    deliveries = events.deliveries
    ids = deliveries["matchId"].to_numpy()
    unique = pd.unique(ids)
    if len(unique) < 3:
        raise NotEnoughMatches(f"the matches engine needs at least 3 whole training matches (to hold some out for "
                               f"early stopping); found {len(unique)}. Load more matches.")
    outcomes, labels = fit_outcomes(deliveries)
    state = training_state(deliveries, events.matches)
    batters = PlayerIndex.fit(deliveries["batter"].to_numpy(np.int64), config.min_player_balls)
    bowlers = PlayerIndex.fit(deliveries["bowler"].to_numpy(np.int64), config.min_player_balls)
    held_out = np.random.default_rng([config.seed, VALIDATION_STREAM]).permutation(len(unique))
    held_out = unique[held_out[: max(1, round(config.validation_share * len(unique)))]]
    sides = fit_sides(deliveries, events.lineups, np.unique(frame[BATTER].to_numpy(np.int64)),
                      np.unique(frame[BOWLER].to_numpy(np.int64)))
    digest = hashlib.sha256()
    for column in ("matchId", "batter", "bowler", "total", "wicket", "legal"):
        digest.update(np.ascontiguousarray(deliveries[column].to_numpy().astype(str)).tobytes())
    return TrainingData(
        events=events, features=feature_variant(frame, events), outcomes=outcomes, labels=labels,
        states=state_matrix(state), phases=phase_of(state.legal), batters=batters, bowlers=bowlers,
        batter_rows=batters(deliveries["batter"].to_numpy()), bowler_rows=bowlers(deliveries["bowler"].to_numpy()),
        validation=np.isin(ids, held_out), sides=sides, matches=len(unique), rows_per_match=len(ids) / len(unique),
        fingerprint=digest.hexdigest(),
    )


def feature_variant(frame: pd.DataFrame, events: MatchEvents) -> str:
    """The feature variant whose columns, computed from `events`, match the frame's own ballsRemaining values."""
    facts, match_facts, _ = delivery_facts(events)
    seen = np.sort(frame[BALLS_REMAINING].to_numpy())
    best, agreement = FEATURE_VARIANTS[0], -1.0
    for variant in FEATURE_VARIANTS:
        computed = np.sort(state_columns(facts, match_facts, variant)[BALLS_REMAINING])
        share = float((computed == seen).mean()) if len(computed) == len(seen) else 0.0
        if share > agreement:
            best, agreement = variant, share
    return best


def fit(data: TrainingData, config: MatchesConfig, on_epoch: OnEpoch, should_stop: ShouldStop,
        checkpoint_dir=None, resume: bool = False) -> FitResult:
    """Train the ball model (and the state-only reference when `config.reference`), keeping each best epoch.

    Raises:
        ValueError: `resume` with a checkpoint of other data or settings.
        models.progress.Cancelled: `should_stop` said so.
    """
    train, validation = data.tensors(~data.validation), data.tensors(data.validation)
    store = _Checkpoints(Path(checkpoint_dir), data.fingerprint, config) if checkpoint_dir is not None else None
    saved = store.load(resume) if store is not None else {}
    stages = [(MAIN_STAGE, config)]
    if config.reference:
        stages.append((REFERENCE_STAGE, replace(config, embedding_dim=0)))
    networks, histories = {}, {}
    for index, (stage, settings) in enumerate(stages):
        state = new_state(len(data.outcomes.runs), data.batters.rows, data.bowlers.rows, settings, index)
        if stage in saved:
            state.restore(*saved[stage])
        label = stage if len(stages) > 1 else ""
        networks[stage] = train_network(state, train, validation, settings, stage=label, step=index,
                                        stages=len(stages), on_epoch=on_epoch, should_stop=should_stop,
                                        checkpoint=store and (lambda s, name=stage: store.save(name, s)))
        histories[stage] = state.history
    players = Players(networks[MAIN_STAGE].eval(), data.batters, data.bowlers, data.outcomes)
    for network in networks.values():
        calibrate(network, train)
    reference = networks[REFERENCE_STAGE].eval() if REFERENCE_STAGE in networks else None
    return FitResult(players, reference, histories, held_out_report(data, networks, validation))


def held_out_report(data: TrainingData, networks: dict[str, BallNetwork], validation: dict) -> dict:
    """Log loss (nats per delivery) on the held-out training matches of each network and of the class frequencies,
    and calibration: predicted against observed share of dots, boundaries and wickets per phase."""
    labels = data.labels
    frequencies = np.bincount(labels[~data.validation], minlength=len(data.outcomes.runs)) / (~data.validation).sum()
    held = labels[data.validation]
    report = {
        "matches": len(pd.unique(data.events.deliveries["matchId"].to_numpy()[data.validation])),
        "deliveries": int(data.validation.sum()),
        "log_loss": {stage: log_loss(network, validation) for stage, network in networks.items()},
        "classes": data.outcomes.labels(),
    }
    report["log_loss"]["class frequencies"] = float(-np.log(np.maximum(frequencies[held], 1e-12)).mean())
    report["frequencies"] = frequencies.tolist()
    p = networks[MAIN_STAGE].probabilities(validation["state"].numpy(), validation["batter"].numpy(),
                                           validation["bowler"].numpy())
    report["calibration"] = calibration(data.outcomes, p, held, data.phases[data.validation])
    return report


def calibration(outcomes: Outcomes, p: np.ndarray, labels: np.ndarray, phases: np.ndarray) -> list[dict]:
    """Per phase and event (dot, boundary, wicket): mean predicted probability and observed share, 0..1."""
    bat = np.isin(outcomes.kind, [KINDS.index("bat"), KINDS.index("legal")])
    events = {"dot": bat & (outcomes.runs == 0) & (outcomes.wicket == 0),
              "boundary": bat & np.isin(outcomes.runs, (4, 6)) & (outcomes.wicket == 0),
              "wicket": outcomes.wicket == 1}
    rows = []
    for phase, name in enumerate(PHASES):
        inside = phases == phase
        for event, classes in events.items():
            if inside.any():
                rows.append({"phase": name, "event": event, "predicted": float(p[inside][:, classes].sum(1).mean()),
                             "observed": float(np.isin(labels[inside], np.flatnonzero(classes)).mean())})
    return rows


class _Checkpoints:
    """progress.json (data fingerprint, settings, each stage's JSON state) and stage-<name>.pt (its tensors)."""

    def __init__(self, folder: Path, fingerprint: str, config: MatchesConfig):
        self.folder, self.fingerprint, self.config = folder, fingerprint, config

    def load(self, resume: bool) -> dict[str, tuple[dict, dict]]:
        """Stage -> (tensors, meta) of a run to continue; {} (and a fresh folder) when not resuming."""
        path = self.folder / _PROGRESS
        if not resume or not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.glob("stage-*.pt"):
                old.unlink()
            files.write_text(path, json.dumps({"fingerprint": self.fingerprint, "config": self.config.to_json(),
                                               "stages": {}}))
            return {}
        progress = json.loads(path.read_text())
        self._check_same_run(progress)
        return {stage: (torch.load(self.folder / _file(stage), weights_only=True), meta)
                for stage, meta in progress["stages"].items()}

    def save(self, stage: str, state: FitState) -> None:
        with files.atomic_path(self.folder / _file(stage)) as tmp:
            torch.save(state.tensors(), tmp)
        progress = json.loads((self.folder / _PROGRESS).read_text())
        progress["stages"][stage] = state.meta()
        files.write_text(self.folder / _PROGRESS, json.dumps(progress))

    def _check_same_run(self, progress: dict) -> None:
        if progress.get("fingerprint") != self.fingerprint:
            raise ValueError(f"the checkpoint in {self.folder} was made on other data; resume with the same data, "
                             "or start a fresh run.")
        saved, wanted = progress.get("config", {}), self.config.to_json()
        changed = [k for k in wanted if k not in _MAY_DIFFER and saved.get(k) != wanted[k]]
        if changed:
            details = ", ".join(f"{k}: {saved.get(k)!r} -> {wanted[k]!r}" for k in changed)
            raise ValueError(f"the checkpoint in {self.folder} was made with other settings ({details}); resume with "
                             "the same settings, or start a fresh run.")


def _file(stage: str) -> str:
    return "stage-" + stage.replace(" ", "-") + ".pt"
