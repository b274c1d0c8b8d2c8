"""A large sample drawn in seeded chunks: one chunk is exactly the plain sample, and the chunks add up."""

import pandas as pd
import pytest

from lib.data.parts import FinishedParts
from models.synth.chunks import chunk_plan, sample_in_chunks
from models.synth.ctgan.synthesizer import train_synthesizer
from models.synth.torch_runtime import torch_threads
from tests.synth_helpers import tiny


def test_the_plan_splits_the_rows_and_keeps_the_seed_for_the_first_chunk():
    # Run
    plan = chunk_plan(250, seed=7, chunk_rows=100)
    # Assert: 100 + 100 + 50 rows; chunk 0 uses the seed itself, the others seeds of their own
    assert [rows for rows, _ in plan] == [100, 100, 50]
    assert plan[0][1] == 7 and len({seed for _, seed in plan}) == 3
    assert chunk_plan(250, seed=7, chunk_rows=100) == plan


def test_one_chunk_is_the_plain_sample_and_chunks_add_up(league):
    # Setup
    model = train_synthesizer(league, tiny(epochs=1))
    # Run
    whole, whole_report = sample_in_chunks(model, 120, seed=4)
    chunked, report = sample_in_chunks(model, 120, seed=4, chunk_rows=50)
    with torch_threads(model.config.threads):  # chunks run at the model's thread count
        plain, plain_report = model.sample_with_report(120, seed=4)
        first = model.sample(50, seed=4)
    # Assert
    assert whole.equals(plain) and whole_report == plain_report
    assert len(chunked) == 120 and chunked.iloc[:50].equals(first)
    assert report.rows == 120 and report.redrawn_share == 1 - 120 / report.generated


def test_chunks_kept_before_a_stop_are_not_drawn_again(league, workspace, monkeypatch):
    # Setup: a sample of 5 chunks whose drawing stops after chunks 0 and 3 (Ray returns them in any order), as a
    # lost cluster stops it
    model = train_synthesizer(league, tiny(epochs=1))
    whole, whole_report = sample_in_chunks(model, 450, seed=5, chunk_rows=100)

    def stopped_after_two(model, plan, todo):
        with torch_threads(model.threads):  # as every chunk is drawn
            for index in (0, 3):
                yield index, model.sample_with_report(*plan[index])
        raise ConnectionError("the cluster went away")

    drawn = []
    sample = type(model).sample_with_report
    monkeypatch.setattr(type(model), "sample_with_report", lambda self, rows, seed: drawn.append(seed) or sample(
        self, rows, seed))
    # Run: the stopped sample, then the same sample again
    with pytest.raises(ConnectionError):
        sample_in_chunks(model, 450, seed=5, chunk_rows=100, run_chunks=stopped_after_two,
                         kept=FinishedParts(workspace / "kept", "sample", {"model": "m"}))
    drawn.clear()
    kept = FinishedParts(workspace / "kept", "sample", {"model": "m"})
    again, report = sample_in_chunks(model, 450, seed=5, chunk_rows=100, kept=kept)
    # Assert: only chunks 1, 2 and 4 were drawn again, and the rows are those of an uninterrupted sample
    plan = chunk_plan(450, seed=5, chunk_rows=100)
    assert kept.reused == 2 and drawn == [plan[1][1], plan[2][1], plan[4][1]]
    assert again.equals(whole) and report == whole_report


def test_a_sample_without_a_seed_draws_the_kept_seed_again(league, workspace):
    # Setup: a two-chunk sample without a seed, stopped after its first chunk
    model = train_synthesizer(league, tiny(epochs=1))

    def stopped_after_one(model, plan, todo):
        with torch_threads(model.threads):
            yield 0, model.sample_with_report(*plan[0])
        raise ConnectionError("the cluster went away")

    first = FinishedParts(workspace / "kept", "sample", {"model": "m"})
    with pytest.raises(ConnectionError):
        sample_in_chunks(model, 200, chunk_rows=100, run_chunks=stopped_after_one, kept=first)
    # Run: the same sample again, still without a seed
    again = FinishedParts(workspace / "kept", "sample", {"model": "m"})
    rows, _ = sample_in_chunks(model, 200, chunk_rows=100, kept=again)
    # Assert: its second chunk is the one the stored plan's seed draws, after the kept first chunk
    (_, seed_0), (_, seed_1) = first.plan
    assert again.plan == first.plan and again.reused == 1
    with torch_threads(model.config.threads):
        assert rows.equals(pd.concat([model.sample(100, seed=seed_0), model.sample(100, seed=seed_1)],
                                     ignore_index=True))
