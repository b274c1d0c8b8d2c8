"""Turning a data source into a stored dataset: the embedded sample, a t20.csv/Parquet file, a Cricsheet zip.

One pipeline, two front doors: the Home page and `python -m lib.cli data ...` both call these. Every source is
read and validated in full before anything is written, so a rejected file leaves the workspace untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from lib.data import workspace
from lib.data.tables import load_t20
from lib.data.validation import validate
from lib.data.workspace import DatasetInfo

SAMPLE_MATCHES = 1000
SAMPLE_SEED = 7
DEFAULT_FEATURES = "leakfree"


def sample_id(matches: int = SAMPLE_MATCHES, seed: int = SAMPLE_SEED, features: str = DEFAULT_FEATURES) -> str:
    return f"sample-{matches}m-seed{seed}-{features}"


def sample_dataset(
    matches: int = SAMPLE_MATCHES, seed: int = SAMPLE_SEED, features: str = DEFAULT_FEATURES
) -> DatasetInfo:
    """The simulated league sample, built on first use and cached in the workspace.

    Args:
        matches: number of simulated matches (the default gives about 240,000 deliveries).
        seed: the simulation seed; the same seed always gives the same league.
        features: feature variant used by the importer ("leakfree" or "yorkr").
    """
    dataset_id = sample_id(matches, seed, features)
    try:
        return workspace.dataset_info(dataset_id)
    except workspace.NotFound:
        pass
    from lib.data.simulate.league import build_sample

    result = build_sample(matches=matches, seed=seed, features=features)
    frame = validate(result.deliveries, "the simulated sample", keep_extra=True, features=features)
    return workspace.save_dataset(
        frame,
        name=f"Simulated league ({matches:,} matches, seed {seed})",
        kind="real",
        source=f"simulated league, {matches} matches, seed {seed}",
        features=features,
        vocabulary=result.vocabulary,
        dataset_id=dataset_id,
        events=result.events,
    )


def import_t20(source: str | Path | bytes | BinaryIO, name: str) -> DatasetInfo:
    """Validate a t20.csv or Parquet file and store it as a real dataset.

    Raises:
        SchemaError: the file is not a valid t20.csv; nothing is stored.
    """
    frame = load_t20(source, name)
    return workspace.save_dataset(frame, name=Path(name).stem, kind="real", source=name)


def import_cricsheet_source(source, name: str, features: str = DEFAULT_FEATURES):
    """Import Cricsheet JSON (zip, folder, one match) and store the deliveries as a real dataset.

    Returns:
        (DatasetInfo, ImportReport): the stored dataset and what was skipped or malformed, for the user.

    Raises:
        CricsheetError / SchemaError: nothing usable in the source; nothing is stored.
    """
    from lib.data.cricsheet.importer import import_cricsheet

    result = import_cricsheet(source, features=features, name=name)
    frame = validate(result.deliveries, name, keep_extra=True, features=features)
    info = workspace.save_dataset(
        frame,
        name=f"{Path(name).stem} ({features})",
        kind="real",
        source=f"Cricsheet: {name}",
        features=features,
        vocabulary=result.vocabulary,
        extra={"import_report": result.report.lines()},
        events=result.events,
    )
    return info, result.report


def import_synthetic(source: str | Path | bytes | BinaryIO, name: str, real_id: str) -> DatasetInfo:
    """Validate an uploaded synthetic set against the real dataset it is meant to augment and store it.

    Raises:
        SchemaError / ValueError: other columns, text, NaN, or player indices the real data does not know;
            nothing is stored.
    """
    from lib.data.augment import check_synthetic

    real = workspace.load_dataset(real_id)
    rows = check_synthetic(real, load_t20(source, name, require_matches=False), name,
                           vocabulary=workspace.load_vocabulary(real_id))
    return workspace.save_dataset(rows, name=Path(name).stem, kind="synthetic", source=f"uploaded file {name}",
                                  features=workspace.dataset_info(real_id).features,
                                  extra={"uploaded": True, "real_id": real_id})
