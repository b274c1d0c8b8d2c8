"""What a comparison will cost before it starts: its trainings (arms x seeds) and their seconds, from a probe that
trains the real model, as Synthesize's estimate does for a synthesizer.

The probe (`measure`) runs in a fresh process set up as a job's worker is (models.training_process), trains the
win-probability model (models.wp.fit.fit_wp, every phase) for two epochs on a sample of the real training rows
against the real validation rows, and times a pass over the validation rows. An epoch of a phase then takes its
validation passes plus `per_row x rows`, and a training pays its first epochs' extra once per phase (building and
tracing the model). Summed over the arms' rows, every seed and the most epochs, that is the
most the comparison takes; early stopping usually ends it sooner. The reference model is left out: it fits in
seconds.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, replace

import pandas as pd

from lib.data.schema import MODEL_COLUMNS
from lib.data.units import duration
from lib.wp.arms import plan_arms
from lib.wp.train import WPData
from models.training_process import run_probe
from models.wp.config import STEPS_PER_EXECUTION, WPConfig, runs_eagerly

PROBE_BATCHES = 16
"""Batches of real training rows the probe trains on."""
PROBE_PATIENCE = 1000
"""The probe's patience: it must train both epochs of both phases, whatever its losses do."""


@dataclass
class CompareEstimate:
    """The predicted seconds of a comparison.

    Attributes:
        trainings: neural trainings in all (arms x seeds); the reference model runs besides.
        rows: training rows per neural arm (about, for an arm of whole synthetic matches).
        epochs, phases: the most epochs of each phase, and the phases of one training.
        real_training_seconds: one training of the real arm at most (every epoch of every phase).
        total_seconds: the most the trainings take: every epoch of every phase, no early stopping.
    """

    trainings: int
    rows: dict[str, int]
    epochs: int
    phases: int
    real_training_seconds: float
    total_seconds: float

    def to_json(self) -> dict:
        return asdict(self)

    def facts(self) -> str:
        """The estimate in sentences, for under its figures."""
        arms = len(self.rows)
        epochs = f"{self.epochs} epoch" + ("s" if self.epochs != 1 else "")
        phases = "each of 2 phases" if self.phases == 2 else "one phase"
        rows = " · ".join(f"{arm} {rows:,}" for arm, rows in self.rows.items())
        return (f"{self.trainings} training(s) ({arms} arm(s) x {self.trainings // arms} seed(s)) of at most {epochs} "
                f"in {phases}: {duration(self.total_seconds)} if none stops early, which most do. Training rows: "
                f"{rows}")


def estimate_comparison(data: WPData, ratios, seeds: int, config: WPConfig, cache_dir=None) -> CompareEstimate:
    """Predict the seconds of `compare_arms` on `data` (its split made) with these arms, seeds and settings.

    Args:
        data: the prepared real (and synthetic) rows, as compare_arms prepares them (lib.wp.train.prepare_data).
        ratios, seeds, config: as compare_arms takes them.
        cache_dir: keeps the probe's timings a few minutes (models.training_process); None probes every time.
    """
    probe = run_probe("lib.wp.estimate:measure", _payload(data, config), cache_dir, key=_key(data, config))
    phases = 2 if config.training == "state_first" else 1
    rows = _arm_rows(data, ratios, config)
    per_training = {arm: _training_seconds(probe, config, by_phase) for arm, by_phase in rows.items()}
    return CompareEstimate(trainings=len(rows) * seeds, rows={arm: max(by_phase) for arm, by_phase in rows.items()},
                           epochs=config.epochs, phases=phases, real_training_seconds=per_training["real"],
                           total_seconds=seeds * sum(per_training.values()))


def _arm_rows(data: WPData, ratios, config: WPConfig) -> dict[str, list[int]]:
    """Neural arm -> its training rows in each phase (the players phase sees real rows only with
    synthetic_phases "state")."""
    real = len(data.train)
    out = {}
    for arm in plan_arms(ratios, data.synthetic is not None):
        if not arm.neural:
            continue
        synthetic = round(arm.ratio * real)
        rows = synthetic + (real if arm.keep_real else 0)
        players = (real if arm.keep_real else 0) if config.synthetic_phases == "state" else rows
        out[arm.name] = [rows, players] if config.training == "state_first" else [rows]
    return out


def _training_seconds(probe: dict, config: WPConfig, rows_by_phase: list[int]) -> float:
    """Seconds of one training at most: each phase that has rows pays its first epoch's extra once, then every
    epoch."""
    return sum(probe["first_extra"][phase] + config.epochs * _epoch_seconds(probe, config, phase, rows)
               for phase, rows in enumerate(rows_by_phase) if rows)


def _epoch_seconds(probe: dict, config: WPConfig, phase: int, rows: int) -> float:
    """Seconds of one epoch of `phase` on `rows` training rows: its passes over the validation rows, then the rows."""
    return _validation_passes(config, rows)[phase] * probe["validation"] + probe["per_row"][phase] * rows


def _payload(data: WPData, config: WPConfig) -> dict:
    sample = data.train.sample(min(PROBE_BATCHES * config.batch_size, len(data.train)), random_state=0)
    return {"train": sample[MODEL_COLUMNS].to_dict("list"),
            "validation": data.validation[MODEL_COLUMNS].to_dict("list"), "config": config.to_json(),
            "eager": runs_eagerly(len(data.train), config)}


_UNTIMED = ("epochs", "patience", "seed", "synthetic_weight", "synthetic_phases")
"""Settings the probe's timings do not depend on: it times epochs of real rows, whatever their number, seed, or
the weight and phases synthetic rows would have (`_arm_rows` counts those)."""


def _key(data: WPData, config: WPConfig) -> list:
    """What the timings depend on: the settings but _UNTIMED; the players; the rows."""
    settings = {key: value for key, value in config.to_json().items() if key not in _UNTIMED}
    players = [int(data.train[column].max()) for column in MODEL_COLUMNS[:2]]
    return [settings, players, len(data.validation), min(len(data.train), PROBE_BATCHES * config.batch_size),
            runs_eagerly(len(data.train), config)]


def measure(payload: dict) -> dict:
    """In the probe's process: train the model two epochs per phase on the sample, then time one pass over the
    validation rows; per phase, the seconds of a training row in an epoch and the first epoch's extra.

    Returns:
        {"validation": s of one pass over the validation rows, "per_row": [s per phase], "first_extra": [s per
        phase]}.
    """
    from models.wp.fit import fit_wp  # TensorFlow, in the probe's process only: the page that asks loads none

    train, validation = pd.DataFrame(payload["train"]), pd.DataFrame(payload["validation"])
    config = replace(WPConfig.from_json(payload["config"]), epochs=2, patience=PROBE_PATIENCE)
    model = fit_wp(train, validation, config, eager=payload["eager"])  # as the training it times runs
    started = time.perf_counter()
    model.predict(validation)
    validation_pass = time.perf_counter() - started
    phases = _phase_seconds(model.history)
    passes = _validation_passes(config, len(train))
    return {"validation": validation_pass,
            "per_row": [max(second - passes[p] * validation_pass, 0.0) / len(train)
                        for p, (_, second) in enumerate(phases)],
            "first_extra": [max(first - second, 0.0) for first, second in phases]}


def _validation_passes(config: WPConfig, rows: int) -> list[int]:
    """Passes over the validation rows in an epoch of each phase on `rows` training rows: Keras' own at the end of
    each, and the players phase's checks besides (models.wp.fit: up to `player_checks` an epoch, at most one per
    call into TensorFlow, which runs STEPS_PER_EXECUTION steps)."""
    if config.training != "state_first":
        return [1]
    calls = math.ceil(math.ceil(rows / config.batch_size) / STEPS_PER_EXECUTION)
    return [1, 1 + min(config.player_checks, calls)]


def _phase_seconds(history: list[dict]) -> list[tuple[float, float]]:
    """Per phase, in order, (first epoch's seconds, second epoch's seconds)."""
    phases: dict[str, list[float]] = {}
    for epoch in history:
        phases.setdefault(epoch["phase"], []).append(epoch["seconds"])
    return [(seconds[0], seconds[-1]) for seconds in phases.values()]

