"""The comparison's time estimate: the arms' rows, phases and epochs summed by hand from the probe's timings, and
the probe itself training the real model in a process of its own."""

import pytest

from lib.data.schema import MODEL_COLUMNS
from lib.wp import estimate as estimate_module
from lib.wp.estimate import estimate_comparison
from lib.wp.train import prepare_data
from models.wp.config import WPConfig
from tests.synth_helpers import tiny_league

PROBE = {"validation": 0.5, "per_row": [0.001, 0.002], "first_extra": [3.0, 2.0]}
"""What the probe might measure: half a second a validation pass, a ms (2 ms) a row in the state (players) phase."""


def test_the_total_sums_every_arm_seed_phase_and_epoch_from_the_probe(monkeypatch):
    # Setup: real training rows R, a synthetic set, arms real, augmented@1 and synthetic; 2 seeds, 3 epochs
    monkeypatch.setattr(estimate_module, "run_probe", lambda *args, **kwargs: PROBE)
    league = tiny_league(matches=12)
    data = prepare_data(league, league.sample(500, random_state=0)[MODEL_COLUMNS])
    config = WPConfig(epochs=3, batch_size=1024)
    rows = len(data.train)

    # Run
    estimate = estimate_comparison(data, [1.0], seeds=2, config=config)

    # Assert: under 64 steps an epoch, the players phase checks once besides Keras' own pass, so 1 and 2 passes.
    # One training on n rows: 3 + 3 x (0.5 + 0.001 n) + 2 + 3 x (2 x 0.5 + 0.002 n) = 9.5 + 0.009 n
    one = lambda n: 9.5 + 0.009 * n
    assert estimate.trainings == 6 and estimate.rows == {"real": rows, "augmented@1": 2 * rows, "synthetic": rows}
    assert estimate.real_training_seconds == pytest.approx(one(rows))
    assert estimate.total_seconds == pytest.approx(2 * (one(rows) + one(2 * rows) + one(rows)))


def test_the_probe_trains_the_model_in_a_process_of_its_own(tmp_path):
    # Setup: the real model on a few matches, one seed, real and reference arms
    data = prepare_data(tiny_league(matches=12))

    # Run
    estimate = estimate_comparison(data, [], seeds=1, config=WPConfig(epochs=2), cache_dir=tmp_path)

    # Assert: one neural training, timed: each phase's first epoch costs something, and so does a whole training
    assert estimate.trainings == 1 and estimate.phases == 2
    assert estimate.total_seconds == pytest.approx(estimate.real_training_seconds) and estimate.total_seconds > 0


def test_the_probe_trains_as_eagerly_as_the_training_it_times(monkeypatch):
    # Setup: the probe trains 16 batches, few enough steps to run eagerly on its own; the training it times may not
    payloads = []
    monkeypatch.setattr(estimate_module, "run_probe", lambda measure, payload, *args, **kwargs:
                        payloads.append(payload) or PROBE)
    data = prepare_data(tiny_league(matches=12))
    rows = len(data.train)
    small, large = WPConfig(epochs=1, batch_size=rows), WPConfig(epochs=10, batch_size=64)

    # Run
    for config in (small, large):
        estimate_comparison(data, [], seeds=1, config=config)

    # Assert: 2 steps in all run eagerly, 2 x 10 x rows/64 (well over 64 steps) are traced, and so is their probe
    assert [payload["eager"] for payload in payloads] == [True, False]


def test_the_probe_is_kept_across_settings_its_timings_do_not_depend_on(monkeypatch, tmp_path):
    # Setup: a probe that counts its runs; settings that differ from the first only in what synthetic rows weigh
    # and join, or in epochs and seed (none changes the time of an epoch of real rows), then in the batch size
    from models import training_process

    runs = []
    monkeypatch.setattr(training_process, "_in_training_process", lambda target, payload: runs.append(1) or PROBE)
    data = prepare_data(tiny_league(matches=12))
    same = [WPConfig(epochs=3), WPConfig(epochs=3, synthetic_weight=0.5), WPConfig(epochs=3, synthetic_phases="state"),
            WPConfig(epochs=3, seed=4)]

    # Run
    for config in same:
        estimate_comparison(data, [], seeds=1, config=config, cache_dir=tmp_path)
    kept = len(runs)
    estimate_comparison(data, [], seeds=1, config=WPConfig(epochs=3, batch_size=64), cache_dir=tmp_path)

    # Assert
    assert kept == 1 and len(runs) == 2
