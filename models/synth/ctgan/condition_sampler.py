"""CTGAN's conditional vectors and the real rows that match them (ctgan's DataSampler), without a per-row loop.

A condition picks one discrete column uniformly, then one of its categories with probability proportional to
log(1 + count) (or to the count); the real rows for a condition are drawn uniformly among the rows of that
category. Rows are found through one stable argsort per column and the category offsets into it.
"""

from __future__ import annotations

import numpy as np

from models.synth.ctgan.table_layout import TableLayout


class ConditionSampler:
    """Draws conditions from a layout's category counts, and matching rows from the training codes.

    Args:
        layout: the table layout; its discrete columns carry the training count of every category.
        log_frequency: weigh categories by log(1 + count) as ctgan does by default; by count otherwise.
        codes: (n, discrete columns) int category codes of the training rows; needed by `sample_rows` only.
    """

    def __init__(self, layout: TableLayout, log_frequency: bool, codes: np.ndarray | None = None):
        self._cond_offsets = layout.cond_offsets
        self._counts = [column.counts for column in layout.discrete]
        self._cdfs, self._starts, self._orders = [], [], []
        for j, counts in enumerate(self._counts):
            weights = np.log(counts + 1.0) if log_frequency else counts.astype(np.float64)
            self._cdfs.append(np.cumsum(weights / weights.sum()))
            self._starts.append(np.concatenate(([0], np.cumsum(counts)[:-1])))
            if codes is not None:
                self._orders.append(np.argsort(codes[:, j], kind="stable"))

    @property
    def columns(self) -> int:
        return len(self._cdfs)

    def sample_conditions(self, batch: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Draw `batch` conditions.

        Returns:
            (column, category, cond_index), each (batch,) int64: the discrete column chosen, the category code
            within it, and the position of the one-hot 1 in the condition vector.
        """
        column = rng.integers(self.columns, size=batch)
        category = np.zeros(batch, dtype=np.int64)
        for j, cdf in enumerate(self._cdfs):
            chosen = column == j
            draws = rng.random(int(chosen.sum()))
            category[chosen] = np.minimum(np.searchsorted(cdf, draws, side="right"), len(cdf) - 1)
        return column, category, self._cond_offsets[column] + category

    def sample_rows(self, column: np.ndarray, category: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Row ids (batch,) int64, each drawn uniformly among the training rows where `column` has `category`."""
        if not self._orders:
            raise ValueError("this sampler was built without training codes, so it cannot draw rows.")
        rows = np.zeros(len(column), dtype=np.int64)
        for j in range(self.columns):
            chosen = column == j
            wanted = category[chosen]
            pick = (rng.random(len(wanted)) * self._counts[j][wanted]).astype(np.int64)
            rows[chosen] = self._orders[j][self._starts[j][wanted] + pick]
        return rows
