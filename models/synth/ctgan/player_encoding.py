"""How a player column (`batsmanIdx`, `bowlerIdx`) enters the synthesizer: see `models.synth.ctgan.config.ENCODINGS`."""

from __future__ import annotations

import numpy as np

from models.synth.ctgan.column_transform import RARE, DiscreteColumn, fit_discrete


def fit_player_column(name: str, values: np.ndarray, encoding: str, top_k: int) -> DiscreteColumn | None:
    """The discrete transform of a player column, or None when the ``numeric`` encoding makes it continuous.

    Args:
        name: the column name.
        values: player indices (n,) of the rows the model trains on.
        encoding: one of models.synth.ctgan.config.ENCODINGS.
        top_k: players kept as categories with ``top_k``.

    Returns:
        ``categorical``: one category per player. ``top_k``: the `top_k` most frequent players (ties to the lower
        index) in order of first appearance, then one RARE category whose players and frequencies are kept for
        decoding; no RARE category when every player fits. ``numeric``: None.
    """
    values = np.asarray(values, dtype=np.int64)
    if encoding == "numeric":
        return None
    if encoding == "categorical":
        return fit_discrete(name, values)
    players, counts = np.unique(values, return_counts=True)
    if len(players) <= top_k:
        return fit_discrete(name, values)
    by_count = np.lexsort((players, -counts))  # most frequent first, then lower index
    kept = players[by_count[:top_k]]
    rare, rare_counts = players[by_count[top_k:]], counts[by_count[top_k:]]
    order = np.argsort(rare)
    kept_column = fit_discrete(name, values[np.isin(values, kept)])
    return DiscreteColumn(
        name,
        np.append(kept_column.categories, RARE),
        np.append(kept_column.counts, rare_counts.sum()),
        rare[order],
        rare_counts[order] / rare_counts.sum(),
    )


def known_players(values: np.ndarray) -> np.ndarray:
    """Sorted distinct player indices (k,) int64 of `values`: where the ``numeric`` encoding snaps to."""
    return np.unique(np.asarray(values, dtype=np.int64))
