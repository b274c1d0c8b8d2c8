"""A large sample drawn in seeded chunks: one chunk is exactly the plain sample, and the chunks add up."""

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
