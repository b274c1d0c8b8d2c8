"""Bad synthesizer settings and data are refused before any work, with messages that say how to fix them."""

import re
from dataclasses import replace

import numpy as np
import pytest

from lib.data.schema import RUNS, WINNER
from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.synthesizer import train_synthesizer
from tests.synth_helpers import tiny, tiny_league


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"batch_size": 1001}, "batch size 1001 is not divisible by pac 10; use 1000 or 1010."),
        ({"batch_size": 25, "pac": 5}, "batch size 25 is odd"),
        ({"batch_size": 5}, "use 10"),
        ({"fraction": 0.0}, "fraction 0.0 is outside (0, 1]"),
        ({"fraction": 1.5}, "fraction 1.5 is outside (0, 1]"),
        ({"epochs": 0}, "epochs is 0; it must be a whole number of at least 1."),
        ({"shards": 0}, "shards is 0"),
        ({"generator_lr": 0.0}, "generator_lr is 0.0; a learning rate must be > 0"),
        ({"discriminator_lr": -1e-3}, "discriminator_lr is -0.001"),
        ({"player_encoding": "onehot"}, "player encoding 'onehot' is unknown; use one of categorical, top_k, numeric."),
        ({"device": "tpu"}, "device 'tpu' is unknown"),
    ],
)
def test_bad_settings_say_how_to_fix_them(changes, message):
    # Run / Assert: the settings are refused when made
    with pytest.raises(ValueError) as error:
        replace(SynthConfig(), **changes)
    assert message in str(error.value)


@pytest.mark.parametrize(("changes", "suggested"), [
    ({"batch_size": 1001}, [1000, 1010]),
    ({"batch_size": 25, "pac": 5}, [20, 30]),
    ({"batch_size": 5}, [10]),
])
def test_the_batch_sizes_a_message_suggests_are_accepted(changes, suggested):
    # Run
    with pytest.raises(ValueError) as error:
        replace(SynthConfig(), **changes)
    offered = [int(size) for size in re.search(r"use (\d+)(?: or (\d+))?\.$", str(error.value)).groups() if size]
    # Assert: the message offers the nearest sizes that work; each of them passes the check, as do the defaults
    assert offered == suggested
    for size in offered:
        accepted = replace(SynthConfig(), **{**changes, "batch_size": size})  # raises ValueError if refused
        assert accepted.batch_size == size


def test_training_refuses_bad_settings_before_preparing_anything(tmp_path):
    # Setup
    frame = tiny_league()

    # Run
    with pytest.raises(ValueError, match="batch size 55 is not divisible by pac 10; use 50 or 60"):
        train_synthesizer(frame, tiny(batch_size=55), cache_dir=tmp_path / "cache")

    # Assert: no transform was fitted
    assert not (tmp_path / "cache").exists()


def test_training_refuses_a_missing_discrete_column():
    # Setup
    frame = tiny_league().drop(columns=[WINNER])

    # Run / Assert
    with pytest.raises(ValueError, match=f"lacks column\\(s\\) {WINNER}"):
        train_synthesizer(frame, tiny())


def test_training_refuses_nulls_naming_the_column():
    # Setup
    frame = tiny_league()
    frame.loc[3, RUNS] = np.nan

    # Run / Assert
    with pytest.raises(ValueError, match=f"column {RUNS} has 1 empty value\\(s\\)"):
        train_synthesizer(frame, tiny())
