"""Where each column sits in CTGAN's transformed row and in its condition vector, and the compact rows.

The transformed row (the generator's output, the discriminator's input) is, column by column in t20.csv order:
a discrete column's one-hot block, or a continuous column's normalised value followed by its mode's one-hot
block, exactly as ctgan's DataTransformer lays it out. The condition vector is the discrete blocks alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from models.synth.ctgan.column_transform import ContinuousColumn, DiscreteColumn, column_from_json


@dataclass
class CompactRows:
    """Training rows without one-hot blocks.

    Attributes:
        codes: (n, discrete columns) int32 category codes.
        normalized: (n, continuous columns) float32 normalised values in [-1, 1].
        modes: (n, continuous columns) int16 mode indices.
    """

    codes: np.ndarray
    normalized: np.ndarray
    modes: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)

    def take(self, rows: np.ndarray) -> CompactRows:
        return CompactRows(self.codes[rows], self.normalized[rows], self.modes[rows])


class TableLayout:
    """Spans of the transformed row for a list of column transforms in t20.csv order.

    Attributes:
        columns: the transforms, one per t20.csv column.
        width: length of the transformed row.
        starts: (columns,) start of each column's block in the transformed row.
        cond_dim: length of the condition vector (sum of discrete widths).
        discrete, continuous: the transforms of each kind, in order.
        discrete_offsets: (discrete columns,) start of each discrete block in the transformed row.
        cond_offsets: (discrete columns,) start of each discrete block in the condition vector.
        continuous_offsets: (continuous columns,) position of each normalised value in the transformed row.
    """

    def __init__(self, columns: list[DiscreteColumn | ContinuousColumn]):
        self.columns = list(columns)
        starts = np.concatenate(([0], np.cumsum([c.width for c in self.columns])))
        self.width = int(starts[-1])
        self.starts = starts[:-1].astype(np.int64)
        is_discrete = [isinstance(c, DiscreteColumn) for c in self.columns]
        self.discrete = [c for c, d in zip(self.columns, is_discrete) if d]
        self.continuous = [c for c, d in zip(self.columns, is_discrete) if not d]
        self.discrete_offsets = starts[:-1][np.asarray(is_discrete, dtype=bool)].astype(np.int64)
        self.continuous_offsets = starts[:-1][~np.asarray(is_discrete, dtype=bool)].astype(np.int64)
        widths = np.asarray([c.width for c in self.discrete], dtype=np.int64)
        self.cond_offsets = np.concatenate(([0], np.cumsum(widths)[:-1])).astype(np.int64)
        self.cond_dim = int(widths.sum())

    def spans(self) -> list[tuple[int, int, str]]:
        """(start, end, activation) of every block: "tanh" for normalised values, "softmax" for one-hot blocks."""
        out, start = [], 0
        for column in self.columns:
            if isinstance(column, ContinuousColumn):
                out.append((start, start + 1, "tanh"))
                start += 1
            end = start + column.width - (1 if isinstance(column, ContinuousColumn) else 0)
            out.append((start, end, "softmax"))
            start = end
        return out

    def dense(self, rows: CompactRows, device: torch.device) -> torch.Tensor:
        """The transformed rows (n, width) float32, one-hot blocks built for these rows only."""
        n = len(rows)
        out = torch.zeros(n, self.width, device=device)
        codes = torch.as_tensor(rows.codes, dtype=torch.int64, device=device)
        out.scatter_(1, codes + torch.as_tensor(self.discrete_offsets, device=device), 1.0)
        if self.continuous:
            positions = torch.as_tensor(self.continuous_offsets, device=device)
            out[:, positions] = torch.as_tensor(rows.normalized, device=device)
            modes = torch.as_tensor(rows.modes, dtype=torch.int64, device=device)
            out.scatter_(1, modes + positions + 1, 1.0)
        return out

    def to_json(self) -> list[dict]:
        return [c.to_json() for c in self.columns]

    @classmethod
    def from_json(cls, data: list[dict]) -> TableLayout:
        return cls([column_from_json(c) for c in data])
