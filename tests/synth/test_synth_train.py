"""Training: repeatable with a seed, reports every epoch, can be cancelled, resumes exactly, pools shards."""

import json

import numpy as np
import pandas as pd
import pytest
import torch

from models.progress import Cancelled
from models.synth.ctgan.estimate import estimate_cost
from models.synth.ctgan.synthesizer import CtganSynthesizer, train_synthesizer
from tests.synth_helpers import tiny


def _losses(model: CtganSynthesizer) -> list[list[tuple[float, float]]]:
    return [[(e["generator"], e["discriminator"]) for e in shard.history] for shard in model.shards]


def test_a_seed_repeats_losses_and_samples(league):
    # Setup
    config = tiny(seed=3)

    # Run
    first, second = train_synthesizer(league, config), train_synthesizer(league, config)

    # Assert
    assert _losses(first) == _losses(second)
    pd.testing.assert_frame_equal(first.sample(300, seed=1), second.sample(300, seed=1))
    assert not first.sample(300, seed=1).equals(first.sample(300, seed=2))


def test_training_leaves_the_global_random_state_alone(league):
    # Setup
    np.random.seed(5)
    torch.manual_seed(5)
    expected = (np.random.rand(), torch.rand(1).item())
    np.random.seed(5)
    torch.manual_seed(5)

    # Run
    train_synthesizer(league, tiny(epochs=1))

    # Assert
    assert (np.random.rand(), torch.rand(1).item()) == expected


def test_the_callback_hears_every_epoch_of_every_shard(league):
    # Setup
    logs = []

    # Run
    train_synthesizer(league, tiny(epochs=2, shards=2, fraction=0.5), on_epoch=logs.append)

    # Assert
    assert [(log.stage, log.epoch, log.epochs, log.step, log.stages) for log in logs] == [
        ("shard 1/2", 1, 2, 0, 2), ("shard 1/2", 2, 2, 0, 2), ("shard 2/2", 1, 2, 1, 2), ("shard 2/2", 2, 2, 1, 2),
    ]
    assert all(set(log.losses) == {"generator", "discriminator"} and log.seconds > 0 for log in logs)
    assert logs[-1].fraction_done == 1.0


def test_should_stop_cancels_between_steps(league):
    # Setup: stop at the third step of the first epoch
    polls = []

    def should_stop():
        polls.append(1)
        return len(polls) == 3

    # Run / Assert
    with pytest.raises(Cancelled):
        train_synthesizer(league, tiny(), should_stop=should_stop)
    assert len(polls) == 3


def test_resume_continues_exactly_like_an_uninterrupted_run(league, tmp_path):
    # Setup: two shards of two epochs; the interrupted run stops in the second epoch of the second shard
    config = tiny(shards=2, fraction=0.6, epochs=2, checkpoint_every=1)
    steps = max(round(0.6 * len(league)) // config.batch_size, 1)
    polls = []

    def stop_late():
        polls.append(1)
        return len(polls) == 3 * steps + 2

    uninterrupted = train_synthesizer(league, config)
    with pytest.raises(Cancelled):
        train_synthesizer(league, config, should_stop=stop_late, checkpoint_dir=tmp_path / "run")

    # Run
    resumed = train_synthesizer(league, config, checkpoint_dir=tmp_path / "run", resume=True)

    # Assert
    assert _losses(resumed) == _losses(uninterrupted)
    for a, b in zip(resumed.shards, uninterrupted.shards):
        for (name, x), (_, y) in zip(a.generator.state_dict().items(), b.generator.state_dict().items()):
            assert torch.equal(x, y), name
    pd.testing.assert_frame_equal(resumed.sample(200, seed=0), uninterrupted.sample(200, seed=0))


def test_resume_refuses_other_settings(league, tmp_path):
    # Setup
    train_synthesizer(league, tiny(epochs=1), checkpoint_dir=tmp_path / "run")

    # Run / Assert
    with pytest.raises(ValueError, match="other settings \\(seed: 0 -> 1\\)"):
        train_synthesizer(league, tiny(epochs=1, seed=1), checkpoint_dir=tmp_path / "run", resume=True)


def test_the_estimate_width_is_the_trained_width(league):
    # Setup
    for encoding in ("categorical", "top_k", "numeric"):
        config = tiny(player_encoding=encoding, shards=2, fraction=0.5, epochs=1)

        # Run
        estimate = estimate_cost(league, config, probe=False)
        model = train_synthesizer(league, config)

        # Assert
        assert estimate.widths == [shard.layout.width for shard in model.shards], encoding
        assert estimate.cond_dims == [shard.layout.cond_dim for shard in model.shards], encoding


def test_shards_train_on_their_own_rows_and_pool_their_samples(league):
    # Setup
    config = tiny(shards=3, fraction=0.4, epochs=1)

    # Run
    model = train_synthesizer(league, config)
    sample = model.sample(301, seed=0)

    # Assert: three models, each on 40% of the rows; 101 + 100 + 100 rows pooled
    assert len(model.shards) == 3
    assert [shard.rows for shard in model.shards] == [round(0.4 * len(league))] * 3
    assert len(sample) == 301
    assert model.stats["peak_rss_bytes"] > 0 and model.stats["seconds_per_epoch"] > 0


def test_save_and_load_sample_without_the_training_data_or_pickle(league, tmp_path):
    # Setup
    model = train_synthesizer(league, tiny(player_encoding="top_k", shards=2, fraction=0.5, epochs=1))
    expected = model.sample(250, seed=4)
    model.save(tmp_path / "model")
    del model

    # Run
    loaded = CtganSynthesizer.load(tmp_path / "model")

    # Assert: JSON metadata plus tensor-only state dicts, and the same rows
    files = sorted(p.name for p in (tmp_path / "model").iterdir())
    assert files == ["generator-0.pt", "generator-1.pt", "synthesizer.json"]
    meta = json.loads((tmp_path / "model" / "synthesizer.json").read_text())
    assert {"config", "bounds", "players", "shards", "stats"} <= set(meta)
    state = torch.load(tmp_path / "model" / "generator-0.pt", weights_only=True)
    assert all(isinstance(v, torch.Tensor) for v in state.values())
    pd.testing.assert_frame_equal(loaded.sample(250, seed=4), expected)
