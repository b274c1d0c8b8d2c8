"""Sampling many rows in seeded chunks, so that chunks can be drawn anywhere (here or as Ray tasks) and the rows
are the same for the same seed, whatever the engine: a chunk is one call of the model's `sample_with_report`.

Chunk 0 is drawn with the seed itself, so a sample of one chunk has exactly the rows `sample_with_report` gives;
chunk i > 0 gets a seed derived from (seed, i).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict

import numpy as np
import pandas as pd

from lib.data.parts import FinishedParts, in_order
from lib.data.schema import MATCH_ID
from models.synth.base import SampleReport, Synthesizer
from models.synth.torch_runtime import torch_threads

CHUNK_ROWS = 100_000
"""Rows per seeded chunk of a sample by default: large enough that a chunk's fixed cost (a Ray task, a partial
batch) is small beside it."""
CHUNK_STREAM = 5
"""The seed stream of the chunks after the first: chunk i draws with np.random.SeedSequence([seed, CHUNK_STREAM,
i]). Engines' own streams (models.synth.ctgan.config) use other numbers."""

RunChunks = Callable[[Synthesizer, list[tuple[int, int | None]], list[int]],
                     Iterable[tuple[int, tuple[pd.DataFrame, SampleReport]]]]
"""Draws the (rows, seed) chunks of a plan whose indices it is given with `model.sample_with_report` elsewhere;
yields (index, part) as each is drawn, in any order."""


def chunk_plan(rows: int, seed: int | None, chunk_rows: int = CHUNK_ROWS) -> list[tuple[int, int | None]]:
    """The chunks of a sample of `rows` rows.

    Args:
        rows: rows wanted, >= 0.
        seed: the sample's seed; None draws a fresh one (kept None when there is a single chunk).
        chunk_rows: most rows per chunk, >= 1.

    Returns:
        One (rows, seed) pair per chunk; the rows add up to `rows`.
    """
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer)) or chunk_rows < 1:
        raise ValueError(f"rows per chunk must be a whole number >= 1, not {chunk_rows!r}.")
    sizes = [min(chunk_rows, rows - start) for start in range(0, rows, chunk_rows)] or [0]
    if len(sizes) > 1 and seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    return [(size, seed if i == 0 else _chunk_seed(seed, i)) for i, size in enumerate(sizes)]


def sample_in_chunks(model: Synthesizer, rows: int, seed: int | None = None, chunk_rows: int = CHUNK_ROWS,
                     run_chunks: RunChunks | None = None,
                     kept: FinishedParts | None = None) -> tuple[pd.DataFrame, SampleReport]:
    """`rows` rows drawn chunk by chunk, and what sampling did over all chunks.

    Args:
        model: the trained synthesizer.
        rows, seed, chunk_rows: as in `chunk_plan`.
        run_chunks: draws the chunks elsewhere (lib.jobs.cluster on Ray); None draws them here in turn.
        kept: where each drawn chunk is stored as it arrives; the chunks an earlier run of the same sample (same
            model, as `kept.about` names it, rows, seed and chunk size) stored are reused, not drawn again, and
            so is its seed when `seed` is None. None keeps nothing. The caller removes them (`kept.remove()`)
            once the rows are written.

    Returns:
        (frame, report) as the model's `sample_with_report`, chunk after chunk.
    """
    plan = chunk_plan(rows, seed, chunk_rows)
    if kept is not None:
        plan = [tuple(chunk) for chunk in kept.start({"rows": rows, "seed": seed, "chunk_rows": chunk_rows}, plan)]
    reused = {index: _load_chunk(kept, index) for index in (kept.finished() if kept else [])}
    todo = [index for index in range(len(plan)) if index not in reused]
    drawn = (run_chunks or _draw_here)(model, plan, todo)
    return merge(list(in_order([*reused.items(), *_keeping(drawn, kept)])))


def _keeping(drawn: Iterable[tuple[int, tuple]], kept: FinishedParts | None):
    """The (index, part) pairs of `drawn`, each stored in `kept` as it arrives."""
    for index, (frame, report) in drawn:
        if kept is not None:
            kept.save(index, frame, asdict(report))
        yield index, (frame, report)


def _load_chunk(kept: FinishedParts, index: int) -> tuple[pd.DataFrame, SampleReport]:
    frame, report = kept.load(index)
    return frame, SampleReport(**report)


def merge(parts: list[tuple[pd.DataFrame, SampleReport]]) -> tuple[pd.DataFrame, SampleReport]:
    """One frame and one report from the chunks' (frame, report) pairs, in order. Whole matches (a matchId
    column) are numbered on across chunks, as each chunk numbers its own from the same start."""
    frames = [part for part, _ in parts]
    if frames and MATCH_ID in frames[0]:
        frames = _number_on(frames)
    frame = pd.concat(frames, ignore_index=True)
    report = SampleReport(rows=sum(r.rows for _, r in parts), generated=sum(r.generated for _, r in parts),
                          redrawn_share=0.0, matches=sum(r.matches for _, r in parts))
    for _, part in parts:
        for rule, count in part.broken.items():
            report.broken[rule] = report.broken.get(rule, 0) + count
    report.redrawn_share = 1 - report.rows / report.generated if report.generated else 0.0
    return frame, report


def _number_on(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Each chunk's matchIds shifted to follow the previous chunk's last one."""
    numbered, following = [], None
    for frame in frames:
        if len(frame) and following is not None:
            frame = frame.assign(**{MATCH_ID: frame[MATCH_ID] - frame[MATCH_ID].min() + following})
        if len(frame):
            following = int(frame[MATCH_ID].max()) + 1
        numbered.append(frame)
    return numbered


def _draw_here(model: Synthesizer, plan: list[tuple[int, int | None]], todo: list[int]):
    # At the run's thread count, as a chunk on Ray: CPU float sums repeat bit for bit only at one thread count.
    with torch_threads(model.threads):
        for index in todo:
            yield index, model.sample_with_report(*plan[index])


def _chunk_seed(seed: int, chunk: int) -> int:
    return int(np.random.SeedSequence([seed, CHUNK_STREAM, chunk]).generate_state(1)[0])
