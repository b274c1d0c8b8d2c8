"""Model folders written by earlier versions still load and give the same rows."""

from pathlib import Path

import pandas as pd

from models.synth.ctgan.synthesizer import CtganSynthesizer
from models.synth.torch_runtime import torch_threads

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ctgan-v1"
"""A CTGAN folder written before engines existed, with the rows it gave (README.md there says how)."""


def test_a_ctgan_folder_written_before_engines_gives_its_recorded_rows():
    # Setup
    recorded = pd.read_csv(FIXTURE / "sample-50-seed-3.csv", float_precision="round_trip")

    # Run
    model = CtganSynthesizer.load(FIXTURE / "model")
    with torch_threads(1):
        rows = model.sample(50, seed=3)

    # Assert
    pd.testing.assert_frame_equal(rows, recorded, check_exact=True)
