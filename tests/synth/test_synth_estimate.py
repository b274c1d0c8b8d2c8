"""The cost estimate: exact widths and parameters, a cached timing probe, and refusal with settings that fit."""

from collections import namedtuple
from dataclasses import replace

import pytest

import models.synth.cost as cost_module
from models import training_process
from models.synth.ctgan.config import FRACTION_STEP, MAX_SHARDS
from models.synth.ctgan.estimate import NotEnoughMemory, estimate_cost, parameter_counts
from models.synth.ctgan.synthesizer import train_synthesizer
from tests.synth_helpers import tiny, tiny_league

Memory = namedtuple("Memory", "available")


def test_parameters_are_counted_like_ctgans_networks():
    # Setup: width 10 (condition 6), noise 4, one hidden layer of 3 in each network, pac 2
    config = tiny(embedding_dim=4, generator_dim=(3,), discriminator_dim=(3,), pac=2, batch_size=4)

    # Run
    generator, discriminator = parameter_counts(10, 6, config)

    # Assert: residual Linear(10, 3) + BatchNorm(3) + Linear(13, 10); Linear(2 * 16, 3) + Linear(3, 1)
    assert generator == (10 * 3 + 3) + 2 * 3 + (13 * 10 + 10)
    assert discriminator == (32 * 3 + 3) + (3 + 1)


def test_seconds_come_from_a_probe_cached_per_width_and_settings(monkeypatch, tmp_path):
    # Setup
    frame, config = tiny_league(), tiny(epochs=3, shards=2, fraction=0.5)
    first = estimate_cost(frame, config, cache_dir=tmp_path)
    monkeypatch.setattr(training_process, "_in_training_process", lambda *args: pytest.fail("the probe ran again"))

    # Run
    again = estimate_cost(frame, replace(config, epochs=5), cache_dir=tmp_path)

    # Assert
    assert again.seconds_per_step == first.seconds_per_step > 0
    assert again.steps_per_epoch == round(0.5 * len(frame)) // config.batch_size
    assert again.seconds_per_epoch == pytest.approx(again.seconds_per_step * again.steps_per_epoch)
    assert again.total_seconds == pytest.approx(again.seconds_per_epoch * 5 * 2)


def test_a_run_that_does_not_fit_is_refused_with_settings_that_fit(monkeypatch):
    # Setup: a league with hundreds of players; memory just short of the categorical run's predicted peak
    frame = tiny_league(matches=20)
    config = tiny(player_encoding="categorical", fraction=1.0)
    peak = estimate_cost(frame, config, probe=False).peak_bytes
    available = int(peak / cost_module.MEMORY_HEADROOM) - 1
    monkeypatch.setattr(cost_module.psutil, "virtual_memory", lambda: Memory(available))

    # Run
    estimate = estimate_cost(frame, config)
    with pytest.raises(NotEnoughMemory) as refused:
        train_synthesizer(frame, config, on_epoch=lambda log: pytest.fail("training started"))

    # Assert: top_k (fewer than the 123 batters and 105 bowlers) and a smaller fraction are offered, and each
    # fits when applied
    assert not estimate.fits and estimate.seconds_per_step is None
    changes = [s.changes for s in estimate.suggestions]
    assert changes[0] == {"player_encoding": "top_k", "top_k": 100}
    assert any("fraction" in change for change in changes)
    assert "Settings that fit: top_k with the 100 most frequent players" in str(refused.value)
    assert refused.value.suggestions == estimate.suggestions
    for change in changes:
        assert estimate_cost(frame, replace(config, **change), probe=False).fits, change
        # one click sets the page's widgets: fractions on the slider's grid, shards within the input's range
        if "fraction" in change:
            assert change["fraction"] >= FRACTION_STEP and round(change["fraction"] / FRACTION_STEP, 9).is_integer()
        assert change.get("shards", 1) <= MAX_SHARDS


def test_the_probe_runs_in_a_process_set_up_as_a_jobs_worker(monkeypatch, tmp_path):
    # Setup: what the probe's process sees, instead of a timing
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    monkeypatch.setattr(training_process, "PROBE_MAX_AGE_SECONDS", 0)

    # Run
    seconds = training_process.run_probe("tests.synth.test_synth_estimate:wait_policy_code", {}, tmp_path)

    # Assert: OMP_WAIT_POLICY=PASSIVE reached it, though this process does not have it (the app's server does not)
    assert seconds == 1.0


def wait_policy_code(payload: dict) -> float:
    """In the probe's process: 1.0 when OpenMP's threads will sleep at barriers, as in a job's worker."""
    import os

    return 1.0 if os.environ.get("OMP_WAIT_POLICY") == "PASSIVE" else 0.0


def test_probes_of_one_timing_asked_at_once_run_once(tmp_path):
    # Setup: three requests for the same timing at the same moment, as fast reruns of a page make them
    from concurrent.futures import ThreadPoolExecutor

    payload = {"log": str(tmp_path / "probes-run.txt")}
    # Run
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda _: training_process.run_probe(
            "tests.synth.test_synth_estimate:logged_timing", payload, tmp_path / "cache"), range(3)))
    # Assert: one probe measured; the others waited for it and got what it measured
    assert (tmp_path / "probes-run.txt").read_text() == "ran\n"
    assert results == [2.5, 2.5, 2.5]


def logged_timing(payload: dict) -> float:
    """In the probe's process: note the run, take a moment as a probe does, and return a timing."""
    import time

    with open(payload["log"], "a") as log:
        log.write("ran\n")
    time.sleep(1)
    return 2.5
