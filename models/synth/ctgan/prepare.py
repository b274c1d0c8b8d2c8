"""The "prepare" step shared by the cost estimate and the trainer: row selection and transform fitting.

Preparing once and caching the result on disk means the estimate's width is the trained model's width, and
training right after an estimate does not fit the Bayesian GMMs again.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from lib.data import files
from lib.data.schema import MODEL_COLUMNS, PLAYER_COLUMNS, WINNER
from models.synth.ctgan.column_transform import (
    ContinuousColumn,
    ContinuousEncoder,
    DiscreteColumn,
    column_from_json,
    fit_discrete,
)
from models.synth.ctgan.config import FIT_STREAM, GMM_STREAM, SELECT_STREAM, SynthConfig
from models.synth.ctgan.player_encoding import fit_player_column, known_players
from models.synth.ctgan.table_layout import CompactRows, TableLayout

CACHE_ENTRIES = 6
"""Prepared datasets kept in the cache folder; older ones are removed."""
_ENCODERS: dict[str, list[ContinuousEncoder]] = {}
"""Fitted GMM encoders of recent (data, settings), in memory: they do not depend on the fraction or the shards,
so an estimate for a new slider position reuses them and takes a second instead of the fits' many."""
_ENCODERS_KEPT = 4
"""Most (data, settings) whose encoders `_ENCODERS` keeps; the oldest is dropped first."""


@dataclass
class Prepared:
    """Rows chosen for each shard and the fitted transforms, with the continuous columns already encoded.

    Attributes:
        fingerprint: hash of the frame's ten t20.csv columns.
        key: the settings that produced this (SynthConfig.prepare_key()).
        shard_rows: per shard, sorted int64 positions of its rows in the frame.
        rows: sorted int64 union of `shard_rows`; the rows `normalized` and `modes` describe.
        continuous: continuous transforms in t20.csv order, shared by every shard.
        normalized: (len(rows), continuous columns) float32 normalised values.
        modes: (len(rows), continuous columns) int16 mode indices.
        discrete: per shard, its discrete transforms in t20.csv order (players and outcome seen in its rows).
        seconds: wall-clock seconds the preparation took.
    """

    fingerprint: str
    key: dict
    shard_rows: list[np.ndarray]
    rows: np.ndarray
    continuous: list[ContinuousColumn]
    normalized: np.ndarray
    modes: np.ndarray
    discrete: list[list[DiscreteColumn]]
    seconds: float

    def layout(self, shard: int) -> TableLayout:
        """The transformed-row layout of one shard."""
        by_name = {c.name: c for c in [*self.continuous, *self.discrete[shard]]}
        return TableLayout([by_name[name] for name in MODEL_COLUMNS])

    def compact(self, shard: int, frame: pd.DataFrame) -> CompactRows:
        """The shard's training rows, compact: (rows, ...) codes, normalised values and modes."""
        rows = self.shard_rows[shard]
        position = np.searchsorted(self.rows, rows)
        codes = [column.encode(frame[column.name].to_numpy()[rows]) for column in self.discrete[shard]]
        return CompactRows(np.stack(codes, axis=1), self.normalized[position], self.modes[position])


def fingerprint(frame: pd.DataFrame) -> str:
    """A hash of the ten t20.csv columns of `frame` (names, order and values)."""
    digest = hashlib.blake2b(digest_size=16)
    for column in MODEL_COLUMNS:
        digest.update(column.encode())
        digest.update(np.ascontiguousarray(frame[column].to_numpy(dtype=np.float64)).tobytes())
    return digest.hexdigest()


def prepare(frame: pd.DataFrame, config: SynthConfig, cache_dir: Path | None = None) -> Prepared:
    """Select each shard's rows and fit the transforms, or load the result of an earlier identical call.

    Row selection: each shard draws round(fraction x rows) rows without replacement, independently (shards
    may overlap). Continuous columns: each Bayesian GMM is fit on a seeded subsample of at most
    `config.gmm_rows` of all rows (fitting on a million rows takes minutes and moves the modes little; the
    subsample does not depend on the fraction, so neither do the fits), then every selected row is encoded.
    Discrete columns: fit per shard on that shard's rows.

    Args:
        frame: validated t20 rows.
        config: the settings; only those in `config.prepare_key()` matter here.
        cache_dir: the cache folder (prepared results go in its "synth-prepare" folder); None keeps nothing
            on disk.

    Returns:
        The preparation, identical for identical data and settings.
    """
    cache = cache_folder(cache_dir, "synth-prepare")
    key, print_ = config.prepare_key(), fingerprint(frame)
    streams = [SELECT_STREAM, FIT_STREAM, GMM_STREAM]  # the draws depend on them as much as on the settings
    stem = hashlib.blake2b(json.dumps([print_, key, streams], sort_keys=True).encode(), digest_size=12).hexdigest()
    if cache is not None and (cache / f"{stem}.json").exists():
        try:
            return load_prepared(cache, stem)
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache entry is rebuilt below
    started = time.perf_counter()
    shard_rows = select_rows(len(frame), config)
    rows = np.unique(np.concatenate(shard_rows))
    rng = np.random.default_rng([config.seed, FIT_STREAM])
    continuous, normalized, modes = _fit_continuous(frame, rows, config, rng, print_)
    discrete = [fit_discrete_columns(frame, chosen, config) for chosen in shard_rows]
    prepared = Prepared(print_, key, shard_rows, rows, continuous, normalized, modes, discrete, 0.0)
    prepared.seconds = time.perf_counter() - started
    if cache is not None:
        save_prepared(prepared, cache, stem)
        _evict(cache)
    return prepared


def cache_folder(cache_dir: str | Path | None, name: str) -> Path | None:
    """Folder `name` inside the cache folder `cache_dir`; None (nothing cached on disk) when it is None."""
    return None if cache_dir is None else Path(cache_dir) / name


def select_rows(rows: int, config: SynthConfig) -> list[np.ndarray]:
    """Per shard, sorted int64 positions of round(fraction x rows) rows (at least 1), drawn without replacement
    and independently of the other shards, from the seed's row-selection stream."""
    rng = np.random.default_rng([config.seed, SELECT_STREAM])
    size = max(1, round(config.fraction * rows))
    if size >= rows:
        return [np.arange(rows, dtype=np.int64) for _ in range(config.shards)]
    return [np.sort(rng.choice(rows, size=size, replace=False)) for _ in range(config.shards)]


def continuous_names(config: SynthConfig) -> list[str]:
    """Columns the model treats as continuous, in t20.csv order."""
    numeric_players = config.player_encoding == "numeric"
    return [c for c in MODEL_COLUMNS if c != WINNER and (c not in PLAYER_COLUMNS or numeric_players)]


def _fit_continuous(frame: pd.DataFrame, rows: np.ndarray, config: SynthConfig, rng: np.random.Generator,
                    frame_print: str):
    names = continuous_names(config)
    normalized = np.empty((len(rows), len(names)), dtype=np.float32)
    modes = np.empty((len(rows), len(names)), dtype=np.int16)
    columns = []
    # One BLAS/OpenMP thread: these are many tiny matrix products, and on a machine whose cores are busy
    # (a training job, the app) multi-threaded ones stall at every barrier; measured 10x slower on 2 cores.
    with threadpool_limits(limits=1):
        for i, encoder in enumerate(_encoders(frame, frame_print, config, names)):
            values = frame[encoder.name].to_numpy(dtype=np.float64)
            normalized[:, i], modes[:, i] = encoder.encode(values[rows], rng)
            columns.append(encoder.column(known_players(values[rows]) if encoder.name in PLAYER_COLUMNS else None))
    return columns, normalized, modes


def _encoders(frame: pd.DataFrame, frame_print: str, config: SynthConfig, names: list[str]) -> list[ContinuousEncoder]:
    """The continuous columns' GMMs, fit on a seeded subsample of at most `config.gmm_rows` of all rows."""
    key = json.dumps([frame_print, config.seed, config.gmm_rows, config.max_clusters,
                      config.weight_threshold, names])
    if key not in _ENCODERS:
        rng = np.random.default_rng([config.seed, GMM_STREAM])
        pool = np.arange(len(frame))
        sample = pool if len(pool) <= config.gmm_rows else np.sort(rng.choice(pool, config.gmm_rows, replace=False))
        _ENCODERS[key] = [ContinuousEncoder(name, frame[name].to_numpy(np.float64)[sample], config.max_clusters,
                                            config.weight_threshold) for name in names]
        while len(_ENCODERS) > _ENCODERS_KEPT:
            _ENCODERS.pop(next(iter(_ENCODERS)))
    return _ENCODERS[key]


def fit_discrete_columns(frame: pd.DataFrame, rows: np.ndarray, config: SynthConfig) -> list[DiscreteColumn]:
    """The discrete transforms of one shard's `rows`, in t20.csv order: players (unless numeric), outcome."""
    columns = []
    for name in PLAYER_COLUMNS:
        column = fit_player_column(name, frame[name].to_numpy()[rows], config.player_encoding, config.top_k)
        if column is not None:
            columns.append(column)
    columns.append(fit_discrete(WINNER, frame[WINNER].to_numpy()[rows]))
    return [c for name in MODEL_COLUMNS for c in columns if c.name == name]


def save_prepared(prepared: Prepared, folder: Path, stem: str) -> None:
    """Write `prepared` as `<stem>.npz` (arrays, no pickle) and `<stem>.json`; the JSON last marks it complete."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {"rows": prepared.rows, "normalized": prepared.normalized, "modes": prepared.modes}
    arrays.update({f"shard_{i}": rows for i, rows in enumerate(prepared.shard_rows)})
    meta = {
        "fingerprint": prepared.fingerprint,
        "key": prepared.key,
        "shards": len(prepared.shard_rows),
        "continuous": [c.to_json() for c in prepared.continuous],
        "discrete": [[c.to_json() for c in shard] for shard in prepared.discrete],
        "seconds": prepared.seconds,
    }
    with files.atomic_path(folder / f"{stem}.npz") as tmp, open(tmp, "wb") as handle:
        np.savez(handle, **arrays)
    files.write_text(folder / f"{stem}.json", json.dumps(meta))


def load_prepared(folder: Path, stem: str) -> Prepared:
    """Read what `save_prepared` wrote."""
    meta = json.loads((Path(folder) / f"{stem}.json").read_text())
    with np.load(Path(folder) / f"{stem}.npz", allow_pickle=False) as arrays:
        shard_rows = [arrays[f"shard_{i}"] for i in range(meta["shards"])]
        return Prepared(
            meta["fingerprint"],
            meta["key"],
            shard_rows,
            arrays["rows"],
            [column_from_json(c) for c in meta["continuous"]],
            arrays["normalized"],
            arrays["modes"],
            [[column_from_json(c) for c in shard] for shard in meta["discrete"]],
            meta["seconds"],
        )


def _evict(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[CACHE_ENTRIES:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".npz").unlink(missing_ok=True)
