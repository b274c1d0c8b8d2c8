"""The registry of synthesizer engines: jobs, Ray, the command line and the pages look engines up here by name
instead of naming one.

Engines are imported on first use, so listing them costs nothing.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from models.synth.base import Synthesizer

ENGINES = {
    "ctgan": "models.synth.ctgan.synthesizer:CtganSynthesizer",
    "matches": "models.synth.matches.synthesizer:MatchesSynthesizer",
}
"""Engine name -> "module:class" of its Synthesizer."""
DEFAULT_ENGINE = "ctgan"
"""The engine a run without one names (every run stored before engines existed was CTGAN)."""
MODEL_FILE = "synthesizer.json"
"""The file in every model folder that names its engine."""
_LEGACY_FORMATS = {"crease-lab-ctgan": "ctgan"}
"""`format` of model files written before they named their engine."""


def engine_class(name: str | None) -> type[Synthesizer]:
    """The Synthesizer class of engine `name` (None: DEFAULT_ENGINE).

    Raises:
        ValueError: an unknown name, listing the engines.
    """
    name = name or DEFAULT_ENGINE
    if name not in ENGINES:
        raise ValueError(f"unknown synthesizer engine {name!r}; use one of {', '.join(ENGINES)}.")
    module, _, attribute = ENGINES[name].partition(":")
    return getattr(importlib.import_module(module), attribute)


def engine_of(folder: str | Path) -> str:
    """The engine name a model folder was written by.

    Raises:
        FileNotFoundError: the folder holds no synthesizer.json.
        ValueError: the file is not JSON or names no known engine.
    """
    path = Path(folder) / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{folder} holds no synthesizer ({MODEL_FILE} is missing). Train one first.")
    try:
        meta = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not a readable synthesizer file ({error}); train the synthesizer again.") from None
    name = (meta.get("engine") or _LEGACY_FORMATS.get(meta.get("format"))) if isinstance(meta, dict) else None
    if name not in ENGINES:
        raise ValueError(f"{path} names no known synthesizer engine ({name!r}); use one of {', '.join(ENGINES)}.")
    return name


def load_synthesizer(folder: str | Path, device: str = "cpu") -> Synthesizer:
    """The synthesizer saved in `folder`, by whichever engine wrote it."""
    return engine_class(engine_of(folder)).load(folder, device=device)
