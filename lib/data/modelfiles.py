"""Recognising saved models among uploads, so that they are refused by name and never loaded.

A model file can carry code (pickles run it when loaded; Keras archives can hold Lambda layers), so the app
loads models only from the workspace, where it wrote them itself. Users who upload one anyway, in place of a
t20.csv or a Cricsheet zip, get told what it is instead of a confusing parse error.
"""

from __future__ import annotations

import io
import zipfile

REFUSAL = ("Crease Lab never loads models from uploads (a model file can run code when loaded); train one in "
           "the app instead (Synthesize, or Augment & train).")
_HDF5 = b"\x89HDF\r\n\x1a\n"
_KERAS_MEMBERS = {"config.json", "metadata.json", "model.weights.h5"}
_MODEL_SUFFIXES = (".keras", ".h5", ".hdf5", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".safetensors")
_APP_MODEL_FILES = {"wp.json", "synthesizer.json"}
"""What the app's own model folders hold; a zip of one (as Compare offers for download) is a model too."""


def describe_model_file(data: bytes) -> str | None:
    """What kind of saved model `data` is ("a Keras .h5 model (HDF5)", ...), or None when it is not one."""
    if data.startswith(_HDF5):
        return "an HDF5 file, such as a Keras .h5 model"
    if data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return "a Python pickle, such as a pickled synthesizer"
    if data.startswith(b"PK"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        return describe_model_archive(names)
    return None


def describe_model_archive(names: list[str]) -> str | None:
    """What kind of saved model a zip with these member names is, or None."""
    base = {name.rsplit("/", 1)[-1] for name in names}
    if _KERAS_MEMBERS <= base:
        return "a Keras .keras model archive"
    if "data.pkl" in base:
        return "a PyTorch model (.pt/.pth) archive"
    if base & _APP_MODEL_FILES or any(name.lower().endswith(_MODEL_SUFFIXES) for name in base):
        return "a zip of saved model files"
    return None
