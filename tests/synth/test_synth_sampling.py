"""Sampled rows are in the t20.csv schema, obey the cricket rules and stay inside the observed bounds."""

import numpy as np
import pytest

from lib.data.schema import BALL_NUM, INTEGER_COLUMNS, MODEL_COLUMNS, NUMERIC_COLUMNS, PLAYER_COLUMNS
from lib.data.validation import validate
from lib.quality.validity import CricketValidity
from models.synth.base import SamplingError
from models.synth.ctgan.synthesizer import train_synthesizer
from tests.synth_helpers import tiny


@pytest.mark.parametrize("encoding", ["categorical", "top_k", "numeric"])
def test_every_encoding_samples_valid_rows_in_the_schema(league, encoding):
    # Setup
    model = train_synthesizer(league, tiny(player_encoding=encoding, epochs=1))

    # Run
    sample, report = model.sample_with_report(700, seed=0)

    # Assert
    assert list(sample.columns) == MODEL_COLUMNS and len(sample) == 700
    assert all(sample[c].dtype == np.int64 for c in INTEGER_COLUMNS)
    validate(sample, "sample", require_matches=False)
    assert CricketValidity.compute(league, sample) == 1.0
    for column in NUMERIC_COLUMNS:
        assert league[column].min() <= sample[column].min() and sample[column].max() <= league[column].max(), column
    for column in PLAYER_COLUMNS:
        assert set(sample[column]) <= set(league[column]), column
    assert report.rows == 700 and report.generated >= 700
    assert report.redrawn_share == pytest.approx(1 - 700 / report.generated)


def test_rows_breaking_a_rule_are_redrawn_and_counted(league):
    # Setup: a model whose rules know only a few batters, so that most generated rows break one
    model = train_synthesizer(league, tiny(epochs=1))
    allowed = np.sort(league[PLAYER_COLUMNS[0]].value_counts().index[:10].to_numpy())
    model.rules.batters = allowed

    # Run
    sample, report = model.sample_with_report(200, seed=0)

    # Assert: every redrawn row broke at least one rule; a row may break several
    assert set(sample[PLAYER_COLUMNS[0]]) <= set(allowed)
    redrawn = report.generated - report.rows
    unknown_batters = report.broken[f"{PLAYER_COLUMNS[0]} is a known batter"]
    assert 0 < unknown_batters <= redrawn <= sum(report.broken.values())
    assert report.redrawn_share == pytest.approx(redrawn / report.generated)


def test_a_model_that_never_obeys_the_rules_says_so(league):
    # Setup: no batter is known
    model = train_synthesizer(league, tiny(epochs=1))
    model.rules.batters = np.array([-5])

    # Run / Assert
    with pytest.raises(SamplingError, match="undertrained"):
        model.sample(50, seed=0)


def test_sampling_zero_rows_gives_an_empty_frame_in_the_schema(league):
    # Setup
    model = train_synthesizer(league, tiny(epochs=1))

    # Run
    sample = model.sample(0, seed=0)

    # Assert
    assert list(sample.columns) == MODEL_COLUMNS and len(sample) == 0
    assert sample[BALL_NUM].dtype == np.int64


def test_a_bad_row_count_is_refused(league):
    model = train_synthesizer(league, tiny(epochs=1))
    with pytest.raises(ValueError, match="whole number >= 0"):
        model.sample(-1)


def test_sampling_generates_batch_by_batch_never_all_rows_at_once(league, monkeypatch):
    # Setup: record the size of every generator batch
    from models.synth.ctgan import sampling

    model = train_synthesizer(league, tiny(epochs=1))
    sizes = []
    original = sampling.generate

    def recording(generator, noise, *args, **kwargs):
        sizes.append(len(noise))
        return original(generator, noise, *args, **kwargs)

    monkeypatch.setattr(sampling, "generate", recording)

    # Run
    model.sample(1000, seed=0)

    # Assert: batches of the training batch size, never one of all rows
    assert set(sizes) == {model.config.batch_size} and len(sizes) >= 1000 // model.config.batch_size
