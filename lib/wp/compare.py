"""Does adding synthetic rows make the win-probability model better? Arms trained and tested on the same held-out
real matches, each repeated over seeds.

Arms:
- `real`: real training rows only;
- `augmented@R`: real training rows plus R x as many synthetic rows (R > 0);
- `synthetic`: as many synthetic rows as there are real training rows, nothing real (validation stays real);
- `reference`: no embeddings, scikit-learn's HistGradientBoostingClassifier on the seven numeric columns, so
  users see what the embeddings add.
All arms share one split; seeds change weights, shuffling, dropout and the synthetic draw, so the interval over
seeds shows training randomness on these test matches, not how much the test matches themselves vary.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

import keras
import numpy as np
import pandas as pd

from lib.data.augment import augment_rows, synthetic_flags
from lib.data.parts import FinishedParts, fingerprint, in_order
from lib.data.schema import WINNER
from lib.data.splits import STANDARD_SPLIT, Split, SplitSpec
from lib.data.validation import match_ids
from lib.data.vocabulary import Vocabulary
from lib.wp.arms import DEFAULT_RATIOS, DEFAULT_SEEDS, REAL, REFERENCE_MODEL, Arm, plan_arms
from lib.wp.metrics import METRICS, calibration_points, mean_interval, roc_points, score_predictions
from lib.wp.reference import reference_predictions
from lib.wp.train import WPData, prepare_data, row_counts
from lib.wp.verdict import ComparisonPredictions, verdicts
from models.progress import Cancelled, EpochLog, OnEpoch, ShouldStop, ignore, never
from models.wp.config import WPConfig
from models.wp.fit import fit_wp
from models.wp.model import WPModel


@dataclass
class ArmResult:
    """One arm over all seeds; list entries follow the report's seeds.

    Attributes:
        name: arm name (`real`, `reference`, `augmented@R`, `synthetic`).
        scores: per seed, {metric: value} on the test rows.
        predictions: per seed, the predicted win probabilities of the test rows, shape (n_test,).
        histories: per seed, one dict per epoch (epoch, loss, val_loss, seconds); empty for `reference`.
        rows: rows trained on (train_real, train_synthetic), validated and tested on (first seed).
        sampling: per seed, how synthetic rows were drawn; empty when the arm has none.
    """

    name: str
    scores: list[dict[str, float]] = field(default_factory=list)
    predictions: list[np.ndarray] = field(default_factory=list)
    histories: list[list[dict]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    sampling: list[str] = field(default_factory=list)

    def values(self, metric: str) -> list[float]:
        return [score[metric] for score in self.scores]

    def summary(self) -> dict[str, dict]:
        """{metric: {"mean": m, "ci": [lo, hi]}} over seeds."""
        return {metric: mean_interval(self.values(metric), METRICS[metric].bounds) for metric in METRICS}


@dataclass
class CompareReport:
    """Result of `compare_arms`: scores per arm and seed, test predictions, curves and training histories.

    Attributes:
        split: the split all arms shared.
        y_test: outcomes of the test rows, shape (n_test,), 0/1.
        arms: arm name -> result, in the order they ran.
        seeds: the training seeds, one per repetition.
        config: the WP settings (seed replaced per repetition).
        notes: caveats worth showing with the numbers.
        test_match_ids: the test match of each test row, shape (n_test,), for the bootstrap over test matches
            (lib.wp.verdict); None leaves the verdict out of the JSON.
    """

    split: Split
    y_test: np.ndarray
    arms: dict[str, ArmResult]
    seeds: list[int]
    config: WPConfig
    notes: list[str] = field(default_factory=list)
    test_match_ids: np.ndarray | None = None

    @cached_property
    def verdicts(self) -> tuple[dict, dict]:
        """Bootstrap intervals (seeds and test matches) of each arm's scores, and each arm's verdict against
        `real`; see lib.wp.verdict.verdicts. Computed once: scoring the resamples takes seconds to minutes."""
        data = ComparisonPredictions(self.y_test, self.test_match_ids,
                                     {name: arm.predictions for name, arm in self.arms.items()})
        full = {name: {metric: arm.values(metric) for metric in METRICS} for name, arm in self.arms.items()}
        return verdicts(data, full)

    def differences(self, arm: str) -> dict[str, dict]:
        """{metric: {"mean", "ci"}} of arm minus `real`, paired seed by seed (same seed, same test rows)."""
        base = self.arms[REAL]
        return {
            metric: mean_interval(np.subtract(self.arms[arm].values(metric), base.values(metric)).tolist(),
                                  _difference_range(METRICS[metric].bounds))
            for metric in METRICS
        }

    def table(self) -> pd.DataFrame:
        """One row per arm and metric: mean, ci_low, ci_high over seeds, and diff_mean, diff_low, diff_high of the
        paired difference to `real` (NaN for `real` itself)."""
        records = []
        for name, arm in self.arms.items():
            differences = self.differences(name) if name != REAL else {}
            for metric, summary in arm.summary().items():
                diff = differences.get(metric, {"mean": math.nan, "ci": [math.nan, math.nan]})
                records.append({"arm": name, "metric": metric, "mean": summary["mean"], "ci_low": summary["ci"][0],
                                    "ci_high": summary["ci"][1], "diff_mean": diff["mean"], "diff_low": diff["ci"][0],
                                    "diff_high": diff["ci"][1]})
        return pd.DataFrame.from_records(records)

    def to_json(self) -> dict:
        """The report as JSON-ready data (NaN written as null); `split`, `test_matches` and `arms` as specified,
        the rest extra detail."""
        first = f"first seed ({self.seeds[0]}) of each arm"
        data = {
            "split": self.split.kind,
            "test_matches": self.split.test_matches,
            "arms": {name: arm.summary() for name, arm in self.arms.items()},
            "split_label": self.split.label,
            "matches_inferred": self.split.matches_inferred,
            "seeds": self.seeds,
            "metrics": {name: metric.meaning for name, metric in METRICS.items()},
            "difference_vs_real": {name: self.differences(name) for name in self.arms if name != REAL},
            "per_seed": {name: {m: arm.values(m) for m in METRICS} for name, arm in self.arms.items()},
            "rows": {name: arm.rows for name, arm in self.arms.items()},
            "synthetic_sampling": {name: arm.sampling for name, arm in self.arms.items() if arm.sampling},
            "curves_from": first,
            "roc": {name: roc_points(self.y_test, arm.predictions[0]) for name, arm in self.arms.items()},
            "calibration": {name: calibration_points(self.y_test, arm.predictions[0])
                            for name, arm in self.arms.items()},
            "histories": {name: arm.histories for name, arm in self.arms.items()},
            "config": self.config.to_json(),
            "reference_model": REFERENCE_MODEL,
            "notes": self.notes,
        }
        if self.test_match_ids is not None:
            data["bootstrap_scores"], data["verdict"] = self.verdicts
            data["test_match_ids"] = [_plain(match) for match in dict.fromkeys(self.test_match_ids.tolist())]
        return _json_ready(data)


def _plain(match):
    """A match id as JSON writes it: text ids stay text, numbers become int."""
    return match if isinstance(match, str) else int(match)


def _json_ready(value):
    """NaN and infinities become None, so the report is valid JSON."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


UNKNOWN_PROVENANCE = "Test scores are honest only if the synthesizer was trained on the training matches alone."
"""The report's note on a synthetic set of unknown origin; callers that know where it came from pass their own."""


def compare_arms(
    real: pd.DataFrame,
    synthetic: pd.DataFrame | None = None,
    *,
    ratios=DEFAULT_RATIOS,
    seeds: int = DEFAULT_SEEDS,
    config: WPConfig | None = None,
    split: SplitSpec = STANDARD_SPLIT,
    vocabulary: Vocabulary | None = None,
    on_epoch: OnEpoch = ignore,
    should_stop: ShouldStop = never,
    on_model: Callable[[str, int, WPModel], None] | None = None,
    provenance: str | None = UNKNOWN_PROVENANCE,
    run_trainings: RunTrainings | None = None,
    kept: FinishedParts | None = None,
) -> CompareReport:
    """Train every arm `seeds` times on one split and score each on the same held-out real test rows.

    Args:
        real: real deliveries (t20.csv columns; matchId when known, else matches are inferred).
        synthetic: synthetic rows (ten t20.csv columns); None runs only `real` and `reference`. For an honest
            test its synthesizer must have seen only the training matches: train it on
            `lib.data.splits.training_matches(real, split)` rows.
        ratios: synthetic rows per real training row, one `augmented@R` arm each; 0 is the `real` arm.
        seeds: repetitions per arm, >= 1; seed k is config.seed + k.
        config: WP settings; the published preset when None.
        split: kind, shares and seed of the split; kind "match" is honest, "row" leaks (only to reproduce
            published numbers).
        vocabulary: the real data's players, to check synthetic player indices against.
        on_epoch: gets an EpochLog per epoch, `stage` like "augmented@0.5, seed 2/3", step/stages overall.
        should_stop: polled every epoch and between trainings; True raises models.progress.Cancelled.
        on_model: called as on_model(arm name, seed index from 0, model) after each neural model is trained,
            for a caller that keeps models (the app saves each arm's first-seed model).
        provenance: the report's note on where the synthetic rows came from, for a caller that knows;
            None for no note.
        run_trainings: runs the (arm, seed) trainings elsewhere (lib.jobs.cluster on Ray); None runs them here
            one after another. Either way each is `train_one`, so the same seeds give the same scores.
        kept: where each finished training is stored as it finishes; those an earlier run of the same comparison
            (same data, settings and seeds) stored are reused, not trained again. None keeps nothing. The caller
            removes them (`kept.remove()`) once it has what it needs of the report.

    Returns:
        The CompareReport.
    """
    config = config or WPConfig()
    if isinstance(seeds, bool) or not isinstance(seeds, (int, np.integer)) or seeds < 1:
        raise ValueError(f"seeds is the number of repetitions per arm: a whole number >= 1, got {seeds!r}.")
    arms = plan_arms(ratios, synthetic is not None)
    data = prepare_data(real, synthetic, split=split, vocabulary=vocabulary)
    seed_values = [config.seed + k for k in range(seeds)]
    trainings = [Training(arm, k, replace(config, seed=seed_values[k]), f"{arm.name}, seed {k + 1}/{seeds}", step,
                          len(arms) * seeds, keep_model=on_model is not None and arm.neural)
                 for step, (arm, k) in enumerate((arm, k) for arm in arms for k in range(seeds))]
    results = {arm.name: ArmResult(arm.name) for arm in arms}
    outcomes = _outcomes(trainings, data, run_trainings or run_here, on_epoch, should_stop, kept)
    for training, outcome in zip(trainings, in_order(outcomes), strict=True):
        _record(results[training.arm.name], data, outcome)
        if outcome.model is not None:
            on_model(training.arm.name, training.seed_index, outcome.model)
            # Each comparison builds many small networks; freeing Keras' global state keeps memory flat.
            outcome.model = None
            keras.backend.clear_session()
    return CompareReport(data.split, data.test[WINNER].to_numpy(), results, seed_values, config,
                         _notes(data, provenance), match_ids(data.real)[0][data.split.test])


@dataclass(frozen=True)
class Training:
    """One (arm, seed) training of a comparison and where it sits in the whole.

    Attributes:
        arm: the arm.
        seed_index: 0-based repetition; `config.seed` is the comparison's first seed plus it.
        config: WP settings with this repetition's seed.
        stage, step, stages: for its EpochLogs ("real, seed 2/3"; 0-based position; trainings in all).
        keep_model: return the trained model (a caller keeps it); False frees it right away.
    """

    arm: Arm
    seed_index: int
    config: WPConfig
    stage: str
    step: int
    stages: int
    keep_model: bool = False


@dataclass
class Outcome:
    """What one training produced.

    Attributes:
        predictions: win probabilities of the test rows, shape (n_test,), 0..1.
        history: one dict per epoch; empty for `reference`.
        rows: rows trained on, validated and tested on (`lib.wp.train.row_counts`).
        sampling: how its synthetic rows were drawn, or None when it has none.
        model: the trained model when `Training.keep_model`, else None.
    """

    predictions: np.ndarray
    history: list[dict]
    rows: dict[str, int]
    sampling: str | None = None
    model: WPModel | None = None


RunTrainings = Callable[[list[Training], WPData, OnEpoch, ShouldStop], Iterable[tuple[int, Outcome]]]
"""Runs a comparison's trainings (each with `train_one`); yields (index in the list, Outcome) as each finishes, in
any order."""


def run_here(trainings: list[Training], data: WPData, on_epoch: OnEpoch, should_stop: ShouldStop):
    """The trainings one after another in this process; yields (index, Outcome) as each finishes."""
    for index, training in enumerate(trainings):
        if should_stop():
            raise Cancelled(f"The comparison was cancelled before {training.stage}.")
        yield index, train_one(training, data, on_epoch, should_stop)


def _outcomes(trainings: list[Training], data: WPData, run: RunTrainings, on_epoch: OnEpoch,
              should_stop: ShouldStop, kept: FinishedParts | None):
    """(step, Outcome) of every training, in any order: those `kept` holds, then the others as `run` finishes
    them, each stored in `kept` as it arrives."""
    if kept is None:
        yield from run(trainings, data, on_epoch, should_stop)
        return
    stages = [training.stage for training in trainings]
    kept.start({"data": fingerprint(data.train, data.validation, data.test, data.synthetic),
                "config": trainings[0].config.to_json(), "trainings": stages}, stages)
    reused = {step: outcome for step in kept.finished()
              if (outcome := _load_outcome(kept, step, trainings[step].keep_model)) is not None}
    yield from reused.items()
    todo = [training for training in trainings if training.step not in reused]
    for index, outcome in run(todo, data, on_epoch, should_stop):
        _save_outcome(kept, todo[index].step, outcome)
        yield todo[index].step, outcome


def _save_outcome(kept: FinishedParts, step: int, outcome: Outcome) -> None:
    if outcome.model is not None:
        outcome.model.save(kept.part_dir(step))
    kept.save(step, pd.DataFrame({"prediction": outcome.predictions}),
              {"history": outcome.history, "rows": outcome.rows, "sampling": outcome.sampling})


def _load_outcome(kept: FinishedParts, step: int, with_model: bool) -> Outcome | None:
    """A stored training's Outcome; None when it is wanted with its model and was stored without."""
    if with_model and not kept.part_dir(step).is_dir():
        return None
    frame, meta = kept.load(step)
    model = WPModel.load(kept.part_dir(step)) if with_model else None
    return Outcome(frame["prediction"].to_numpy(), meta["history"], meta["rows"], meta["sampling"], model)


def train_one(training: Training, data: WPData, on_epoch: OnEpoch = ignore, should_stop: ShouldStop = never) -> Outcome:
    """Train and test one (arm, seed): a WP model, or the reference for the `reference` arm.

    Its randomness depends only on `training.config.seed`, so the outcome is the same in any process.

    Returns:
        The Outcome, with predictions on `data.test`.
    """
    if not training.arm.neural:
        return _run_reference(training, data, on_epoch)
    arm, config = training.arm, training.config
    rows, draw = augment_rows(data.train, data.synthetic, arm.ratio, config.seed, arm.keep_real)
    model = fit_wp(rows, data.validation, config, on_epoch=on_epoch, should_stop=should_stop,
                   stage=training.stage, step=training.step, stages=training.stages,
                   synthetic=synthetic_flags(rows, draw))
    outcome = Outcome(model.predict(data.test), model.history, row_counts(data, rows, arm.keep_real),
                      draw.note if draw else None, model if training.keep_model else None)
    if not training.keep_model:
        del model
        keras.backend.clear_session()
    return outcome


def _run_reference(training: Training, data: WPData, on_epoch: OnEpoch) -> Outcome:
    """Fit the no-embedding reference on the real training rows and predict the test rows."""
    started = time.perf_counter()
    predictions = reference_predictions(data.train, data.test, training.config.seed)
    on_epoch(EpochLog(1, 1, time.perf_counter() - started, {}, training.stage, training.step, training.stages))
    return Outcome(predictions, [], row_counts(data, data.train, keep_real=True))


def _record(result: ArmResult, data: WPData, outcome: Outcome) -> None:
    result.scores.append(score_predictions(data.test[WINNER].to_numpy(), outcome.predictions))
    result.predictions.append(outcome.predictions)
    result.histories.append(outcome.history)
    result.rows = result.rows or outcome.rows
    if outcome.sampling:
        result.sampling.append(outcome.sampling)


def _difference_range(bounds: tuple[float, float]) -> tuple[float, float]:
    """The values a difference of two scores in `bounds` can take."""
    return bounds[0] - bounds[1], bounds[1] - bounds[0]


def _notes(data: WPData, provenance: str | None) -> list[str]:
    notes = []
    if data.split.kind == "row":
        notes.append(f"{data.split.label}: rows of one match sit in both training and test, so scores are inflated.")
    if data.split.matches_inferred:
        notes.append("The data had no matchId; matches were inferred from ballNum restarting.")
    if data.synthetic is not None and provenance:
        notes.append(provenance)
    return notes
