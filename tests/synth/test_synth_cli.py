"""`python -m lib.cli synth train` and `synth sample`, end to end on a tiny league."""

import json

import pandas as pd

from lib.cli import main
from lib.data.schema import MODEL_COLUMNS, t20_columns
from lib.data.splits import training_matches
from tests.synth_helpers import tiny_league


def test_train_then_sample_from_the_command_line(tmp_path, capsys):
    # Setup
    data = tmp_path / "t20.csv"
    t20_columns(tiny_league()).to_csv(data, index=False)

    # Run
    trained = main(["synth", "train", "--data", str(data), "--fraction", "0.5", "--epochs", "2",
                    "--player-encoding", "top_k", "--top-k", "10", "--batch-size", "100", "--generator-lr", "2e-4", "--out", str(tmp_path / "m")])
    train_output = capsys.readouterr().out
    sampled = main(["synth", "sample", "--model", str(tmp_path / "m"), "--rows", "150", "--seed", "1",
                    "--out", str(tmp_path / "synthetic.csv")])
    sample_output = capsys.readouterr().out

    # Assert
    assert trained == 0 and sampled == 0
    first, second = train_output.splitlines()[:2]
    assert first.startswith("learning from 1 of 3 matches, the training matches of the standard split")
    assert second.startswith("estimate: transformed width ")
    assert "epoch 1/2: generator loss" in train_output and "epoch 2/2: generator loss" in train_output
    assert f"synthesizer saved to {tmp_path / 'm'}" in train_output
    assert "redrawn: " in sample_output
    settings = json.loads((tmp_path / "m" / "synthesizer.json").read_text())["config"]
    assert settings["generator_lr"] == 2e-4 and settings["discriminator_lr"] == 1e-3
    learned = json.loads((tmp_path / "m" / "synthesizer.json").read_text())["shards"][0]["rows"]
    assert learned == round(0.5 * len(training_matches(tiny_league()))), "half of the training matches' rows"
    synthetic = pd.read_csv(tmp_path / "synthetic.csv")
    assert list(synthetic.columns) == MODEL_COLUMNS and len(synthetic) == 150


def test_a_bad_batch_size_is_a_usage_error(tmp_path, capsys):
    # Setup
    data = tmp_path / "t20.csv"
    t20_columns(tiny_league()).to_csv(data, index=False)

    # Run
    code = main(["synth", "train", "--data", str(data), "--fraction", "1", "--epochs", "1", "--batch-size", "1001",
                 "--out", str(tmp_path / "m")])

    # Assert
    assert code == 2
    assert "error: batch size 1001 is not divisible by pac 10; use 1000 or 1010." in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_sampling_a_folder_without_a_model_says_so(tmp_path, capsys):
    code = main(["synth", "sample", "--model", str(tmp_path), "--rows", "5", "--out", str(tmp_path / "s.csv")])
    assert code == 2
    assert "holds no synthesizer" in capsys.readouterr().err
