"""The arm comparison: shared real test matches, scores equal to scikit-learn's, intervals, bad input."""

import json
import math
import warnings

import numpy as np
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import accuracy_score, brier_score_loss, log_loss, roc_auc_score

import lib.wp.compare
from lib.data.parts import FinishedParts
from lib.data.schema import INNINGS, MATCH_ID, PERF_INDEX, WINNER
from lib.data.simulate.league import build_sample
from lib.data.splits import SplitSpec
from lib.wp.arms import plan_arms
from lib.wp.compare import compare_arms
from lib.wp.metrics import mean_interval, score_predictions
from lib.wp.train import train_and_save
from models.progress import Cancelled
from models.wp.config import WPConfig
from models.wp.model import WPModel
from tests.wp_toy import toy_deliveries, toy_synthetic

ONE_EPOCH = WPConfig(epochs=1, batch_size=256)


@pytest.fixture(scope="module")
def comparison():
    """A two-seed comparison of all four kinds of arm; synthetic rows carry perfIndex 439.5, in its range but above
    any real row's."""
    real = toy_deliveries(matches=60)
    synthetic = toy_synthetic(real, rows=3000)
    synthetic[PERF_INDEX] = 439.5
    seen, logs = [], []
    fit = lib.wp.compare.fit_wp

    def recording_fit(train, validation, config, **progress):
        seen.append((train, validation))
        return fit(train, validation, config, **progress)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lib.wp.compare, "fit_wp", recording_fit)
        report = compare_arms(real, synthetic, ratios=(0, 0.5, 0.5), seeds=2, config=ONE_EPOCH, on_epoch=logs.append)
    return real, report, seen, logs


def test_arms_are_planned_without_duplicates():
    # Run
    names = [arm.name for arm in plan_arms([1, 0, 0.25, 1.0], with_synthetic=True)]

    # Assert: ratio 0 is the real arm, 1 and 1.0 are one arm.
    assert names == ["real", "reference", "augmented@0.25", "augmented@1", "synthetic"]
    assert [arm.name for arm in plan_arms([1], with_synthetic=False)] == ["real", "reference"]


def test_every_arm_is_tested_on_the_same_real_test_matches(comparison):
    # Setup
    real, report, _seen, _ = comparison
    test = real.iloc[report.split.test]

    # Assert: the outcomes scored are those of the held-out real matches, for every arm.
    assert np.array_equal(report.y_test, test[WINNER].to_numpy())
    assert list(report.arms) == ["real", "reference", "augmented@0.5", "synthetic"]
    assert all(len(p) == len(test) for arm in report.arms.values() for p in arm.predictions)
    assert report.split.test_matches == len(set(test[MATCH_ID]))


def test_synthetic_rows_only_ever_train(comparison):
    # Setup
    real, report, seen, _ = comparison
    validation = real.iloc[report.split.validation]

    # Assert: validation is always the real validation matches; synthetic rows appear only in training sets.
    assert len(seen) == 6
    for train, used_validation in seen:
        assert used_validation[PERF_INDEX].lt(439.5).all() and used_validation.equals(validation)
    real_train, augmented, synthetic_only = seen[0][0], seen[2][0], seen[4][0]
    assert real_train[PERF_INDEX].lt(439.5).all()
    assert augmented[PERF_INDEX].eq(439.5).sum() == round(0.5 * len(real_train))
    assert synthetic_only[PERF_INDEX].eq(439.5).all() and len(synthetic_only) == len(real_train)
    assert report.arms["augmented@0.5"].rows == {
        "train_real": len(real_train), "train_synthetic": round(0.5 * len(real_train)),
        "validation": len(validation), "test": len(report.split.test),
    }


def test_scores_are_scikit_learn_on_the_stored_predictions(comparison):
    # Setup
    _, report, _, _ = comparison
    data = report.to_json()

    # Assert
    for name, arm in report.arms.items():
        for k, predictions in enumerate(arm.predictions):
            expected = {
                "accuracy": accuracy_score(report.y_test, predictions >= 0.5),
                "auc": roc_auc_score(report.y_test, predictions),
                "brier": brier_score_loss(report.y_test, predictions),
                "log_loss": log_loss(report.y_test, predictions),
            }
            for metric, value in expected.items():
                assert data["per_seed"][name][metric][k] == pytest.approx(value, rel=1e-12)
        assert data["arms"][name]["auc"]["mean"] == pytest.approx(np.mean(data["per_seed"][name]["auc"]))


def test_report_json_has_the_promised_shape(comparison):
    # Setup
    _, report, _, _ = comparison

    # Run
    data = json.loads(json.dumps(report.to_json(), allow_nan=False))

    # Assert
    assert data["split"] == "match" and data["test_matches"] == report.split.test_matches
    for name in ["real", "reference", "augmented@0.5", "synthetic"]:
        assert set(data["arms"][name]) == {"accuracy", "auc", "brier", "log_loss"}
        for summary in data["arms"][name].values():
            assert set(summary) == {"mean", "ci"} and len(summary["ci"]) == 2
    assert set(data["difference_vs_real"]) == {"reference", "augmented@0.5", "synthetic"}
    # The verdict: one object per arm but real; two seeds are too few for one.
    assert set(data["verdict"]) == {"reference", "augmented@0.5", "synthetic"}
    verdict = data["verdict"]["augmented@0.5"]
    assert verdict["seeds"] == 2 and verdict["effect"] == "no verdict" and set(verdict["auc"]) == {"mean", "ci"}
    assert "run at least 3 seeds (needs 1 more)" in verdict["sentence"]
    assert set(data["bootstrap_scores"]) == set(data["arms"])
    assert len(data["histories"]["real"]) == 2 and data["histories"]["reference"] == [[], []]
    assert data["roc"]["real"]["fpr"][0] == 0 and data["roc"]["real"]["tpr"][-1] == 1
    calibration = data["calibration"]["real"]
    assert len(calibration["prob_true"]) == len(calibration["prob_pred"]) >= 1
    drawn = report.arms["augmented@0.5"].rows["train_synthetic"]
    assert data["synthetic_sampling"]["augmented@0.5"][0].startswith(f"{drawn:,} of 3,000")


def test_progress_names_each_stage_and_counts_overall(comparison):
    # Setup
    _, _, _, logs = comparison

    # Assert: 4 arms x 2 seeds = 8 stages; a neural arm logs one epoch per training phase, the reference one.
    stages = list(dict.fromkeys((log.stage, log.step) for log in logs))
    assert stages[:3] == [("real, seed 1/2", 0), ("real, seed 2/2", 1), ("reference, seed 1/2", 2)]
    assert [log.epoch for log in logs if log.stage == "real, seed 1/2"] == [1, 2]
    assert logs[-1].stage == "synthetic, seed 2/2" and logs[-1].step == 7 and logs[-1].stages == 8
    assert logs[-1].fraction_done == 1.0


def test_interval_is_the_t_interval_over_seeds():
    # Setup: values 1, 2, 4: mean 7/3, standard error sqrt(7/3) / sqrt(3) = 0.881917, t(0.975, 2) = 4.302653.

    # Run
    summary = mean_interval([1.0, 2.0, 4.0])

    # Assert
    half = 4.302653 * 0.881917
    assert summary["mean"] == pytest.approx(7 / 3)
    assert summary["ci"] == pytest.approx([7 / 3 - half, 7 / 3 + half], rel=1e-5)
    assert mean_interval([0.5, 0.5])["ci"] == [0.5, 0.5]
    assert all(math.isnan(v) for v in mean_interval([0.7])["ci"])
    low, high = mean_interval([0.55, 0.99], bounds=(0.0, 1.0))["ci"]
    assert low < 0.55 and high == 1.0, "two seeds far apart: the t-interval is cut at the metric's range"


def test_one_class_in_test_gives_nan_auc_with_a_warning_not_a_crash():
    # Setup: single-innings matches, so every match (and the one test match) has one outcome only.
    frame = toy_deliveries(matches=6)
    frame = frame[frame[INNINGS] == 1].reset_index(drop=True)

    # Run
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = compare_arms(frame, seeds=1, config=ONE_EPOCH, split=SplitSpec(test_share=0.1, seed=1))

    # Assert
    assert len(set(report.y_test)) == 1
    data = report.to_json()
    assert data["arms"]["real"]["auc"]["mean"] is None
    assert data["arms"]["real"]["brier"]["mean"] is not None
    assert any("Only one class" in str(w.message) for w in caught)
    with pytest.warns(UndefinedMetricWarning, match="Only one class"):
        assert math.isnan(score_predictions(np.ones(3), np.array([0.2, 0.6, 0.9]))["auc"])


@pytest.mark.parametrize(
    "options, message",
    [
        ({"seeds": 0}, "seeds is the number of repetitions per arm: a whole number >= 1, got 0"),
        ({"ratios": (0.5, -1)}, "number >= 0 \\(0 = real rows only\\); got -1"),
        ({"split": "innings"}, "split must be one of match, row"),
    ],
)
def test_bad_comparison_settings_are_refused_before_training(options, message):
    # Setup
    real = toy_deliveries(matches=10)

    # Run / Assert: a split kind is checked when its SplitSpec is made, before any training
    with pytest.raises(ValueError, match=message):
        if "split" in options:
            options = {**options, "split": SplitSpec(kind=options["split"])}
        compare_arms(real, toy_synthetic(real, rows=100), config=ONE_EPOCH, **options)


def test_cancelling_stops_the_comparison():
    # Setup
    real = toy_deliveries(matches=10)

    # Run / Assert
    with pytest.raises(Cancelled):
        compare_arms(real, seeds=1, config=ONE_EPOCH, should_stop=lambda: True)


def test_simulated_league_import_trains_saves_and_reloads_with_its_players(tmp_path):
    # Setup: 40 simulated matches as the importer returns them, with names, teams and dates beside the columns.
    sample = build_sample(40, seed=3)

    # Run
    model = train_and_save(sample.deliveries, tmp_path / "wp", config=ONE_EPOCH, vocabulary=sample.vocabulary,
                           features=sample.features)
    reloaded = WPModel.load(tmp_path / "wp")

    # Assert: 40 matches -> 8 test matches; the players and feature variant travel with the model.
    assert model.extra["test_matches"] == 8 and not model.extra["matches_inferred"]
    assert reloaded.features == "leakfree" and reloaded.vocabulary.batters == sample.vocabulary.batters
    assert 0 <= reloaded.extra["test_scores"]["brier"] <= 1


def test_trainings_kept_before_a_stop_are_not_trained_again(workspace, monkeypatch):
    # Setup: a comparison of real and reference that stops after the real training, as a lost cluster stops it;
    # trainings counted by stage
    real = toy_deliveries(matches=10)
    trained = []
    train_one = lib.wp.compare.train_one
    monkeypatch.setattr(lib.wp.compare, "train_one", lambda training, *args: trained.append(training.stage) or
                        train_one(training, *args))

    def stopped_after_one(trainings, data, on_epoch, should_stop):
        yield from list(lib.wp.compare.run_here(trainings[:1], data, on_epoch, should_stop))
        raise ConnectionError("the cluster went away")

    models = []

    def keep(arm, seed_index, model):
        models.append((arm, seed_index, model.predict(real.head(5))))

    with pytest.raises(ConnectionError):
        compare_arms(real, seeds=1, config=ONE_EPOCH, on_model=keep, run_trainings=stopped_after_one,
                     kept=FinishedParts(workspace / "kept", "compare"))
    trained.clear()
    # Run: the same comparison again
    kept = FinishedParts(workspace / "kept", "compare")
    again = compare_arms(real, seeds=1, config=ONE_EPOCH, on_model=keep, kept=kept)
    # Assert: only the reference trained again; the report is that of a comparison never stopped, and the kept
    # model came back to the caller as it was trained
    assert kept.reused == 1 and trained == ["reference, seed 1/1"]
    whole = compare_arms(real, seeds=1, config=ONE_EPOCH)
    assert _timeless(again.to_json()) == _timeless(whole.to_json())
    assert [(arm, seed) for arm, seed, _ in models] == [("real", 0), ("real", 0)]
    assert np.array_equal(models[0][2], models[1][2])


def _timeless(report: dict) -> dict:
    """A report's JSON without the seconds each epoch took, which no two runs share."""
    histories = {arm: [[{k: v for k, v in epoch.items() if k != "seconds"} for epoch in seed] for seed in seeds]
                 for arm, seeds in report["histories"].items()}
    return {**report, "histories": histories}
