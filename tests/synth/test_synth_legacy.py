"""Model folders written before engines existed still load, as CTGAN, and give the same rows."""

import json
from pathlib import Path

import pandas as pd

from models.synth.ctgan.synthesizer import CtganSynthesizer, train_synthesizer
from models.synth.engines import engine_of, load_synthesizer
from models.synth.torch_runtime import torch_threads
from tests.synth_helpers import tiny

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ctgan-v1"
"""A CTGAN folder written before engines existed, with the rows it gave (README.md there says how)."""


def test_a_ctgan_folder_written_before_engines_gives_its_recorded_rows():
    # Setup
    recorded = pd.read_csv(FIXTURE / "sample-50-seed-3.csv", float_precision="round_trip")
    assert "engine" not in json.loads((FIXTURE / "model" / "synthesizer.json").read_text())

    # Run
    model = load_synthesizer(FIXTURE / "model")
    with torch_threads(1):  # as when the rows were recorded: CPU sums repeat bit for bit at one thread count
        rows = model.sample(50, seed=3)

    # Assert
    assert isinstance(model, CtganSynthesizer)
    pd.testing.assert_frame_equal(rows, recorded, check_exact=True)


def test_a_model_file_rewritten_as_the_old_code_wrote_it_loads_as_ctgan_with_the_same_rows(league, tmp_path):
    # Setup: a tiny model saved now, its file rewritten without the engine key, as before engines
    model = train_synthesizer(league, tiny(epochs=1))
    model.save(tmp_path / "model")
    path = tmp_path / "model" / "synthesizer.json"
    meta = json.loads(path.read_text())
    assert meta["engine"] == "ctgan"
    old = {key: value for key, value in meta.items() if key != "engine"}
    path.write_text(json.dumps({**old, "format": "crease-lab-ctgan", "version": 1}, indent=1))

    # Run
    loaded = load_synthesizer(tmp_path / "model")

    # Assert
    assert engine_of(tmp_path / "model") == "ctgan" and isinstance(loaded, CtganSynthesizer)
    pd.testing.assert_frame_equal(loaded.sample(120, seed=7), model.sample(120, seed=7), check_exact=True)
