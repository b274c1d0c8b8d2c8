"""`python -m lib.cli synth train` and `synth sample`, end to end on a tiny league."""

import argparse
import json
from pathlib import Path

import pandas as pd
import pytest

from lib.cli import main
from lib.data.schema import MODEL_COLUMNS, t20_columns
from lib.data.splits import training_matches
from models.synth.engines import ENGINES
from tests.synth_helpers import tiny_league


def test_train_then_sample_from_the_command_line(tmp_path, workspace, monkeypatch, capsys):
    # Setup: the caches in a folder of their own ($CREASE_CACHE), outside the workspace
    data = tmp_path / "t20.csv"
    t20_columns(tiny_league()).to_csv(data, index=False)
    monkeypatch.setenv("CREASE_CACHE", str(tmp_path / "caches"))

    # Run
    trained = main(["synth", "train", "--data", str(data), "--fraction", "0.5", "--epochs", "2",
                    "--player-encoding", "top_k", "--top-k", "10", "--batch-size", "100", "--generator-lr", "2e-4",
                    "--out", str(tmp_path / "m")])
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
    assert {folder.name for folder in (tmp_path / "caches").iterdir()} == {"probes", "synth-prepare"}
    assert not (workspace / "cache").exists(), "the probe and the preparation went where $CREASE_CACHE points"


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


FAKE = "tests.fake_engine:FakeSynthesizer"
"""A second engine (tests/fake_engine.py): --rounds of its own, --epochs and --seed shared with CTGAN."""
LEGACY_MODEL = Path(__file__).parents[1] / "fixtures" / "ctgan-v1" / "model"


def _help(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines at the terminal's width


def test_train_help_lists_the_ctgan_options_with_their_defaults(capsys):
    # Run
    text = _help(capsys, "synth", "train")

    # Assert: options generated from SynthConfig's fields with help metadata, each with its default
    assert "ctgan options: CTGAN: Learns rows one by one with a conditional GAN" in text
    assert "--engine {ctgan" in text and "(default ctgan)" in text
    assert "--player-encoding {categorical,top_k,numeric} how players enter the model (default top_k)" in text
    assert "--epochs EPOCHS ctgan: passes over each shard's rows (default 10); matches: most passes" in text
    assert "--generator-dim N,N the generator's hidden layer sizes, comma-separated (default 256,256)" in text
    assert "--threads THREADS ctgan: torch CPU threads; every core when not given; matches:" in text
    assert "matches options: Matches simulator: Learns the game ball by ball" in text
    assert "--min-player-balls MIN_PLAYER_BALLS players with fewer training deliveries" in text
    assert "--gmm-rows" not in text, "a field without help metadata is no option"


def test_an_option_two_engines_share_stands_once_with_both_defaults(capsys, monkeypatch):
    # Setup
    monkeypatch.setitem(ENGINES, "fake", FAKE)

    # Run
    text = _help(capsys, "synth", "train")

    # Assert: a shared option says what it does in each engine, with each engine's default
    assert ("options of several engines: --epochs EPOCHS ctgan: passes over each shard's rows (default 10); "
            "matches: most passes over the training deliveries; early stopping usually ends sooner (default 30); "
            "fake: epochs of the fake training (default 3)") in text
    assert "fake options: Fake: Repeats the first training row; for tests. --rounds ROUNDS" in text
    assert text.count("--epochs EPOCHS ") == 1


def test_an_option_of_another_engine_is_refused_naming_its_engine(tmp_path, capsys, monkeypatch):
    # Setup
    monkeypatch.setitem(ENGINES, "fake", FAKE)
    data = tmp_path / "t20.csv"
    t20_columns(tiny_league()).to_csv(data, index=False)

    # Run
    code = main(["synth", "train", "--data", str(data), "--rounds", "3", "--out", str(tmp_path / "m")])

    # Assert
    assert code == 2
    assert ("error: --rounds is an option of the fake engine, not of ctgan; drop it, or train with --engine fake."
            in capsys.readouterr().err)
    assert not (tmp_path / "m").exists()


def test_a_second_engine_trains_from_its_own_and_the_shared_options(tmp_path, capsys, monkeypatch):
    # Setup
    monkeypatch.setitem(ENGINES, "fake", FAKE)
    data = tmp_path / "t20.csv"
    t20_columns(tiny_league()).to_csv(data, index=False)

    # Run
    trained = main(["synth", "train", "--data", str(data), "--engine", "fake", "--epochs", "2", "--rounds", "4",
                    "--out", str(tmp_path / "m")])
    output = capsys.readouterr().out
    sampled = main(["synth", "sample", "--model", str(tmp_path / "m"), "--rows", "5", "--out", str(tmp_path / "s.csv")])

    # Assert: the config holds the options given and the engine's own defaults; every loss is printed
    assert trained == 0 and sampled == 0
    meta = json.loads((tmp_path / "m" / "synthesizer.json").read_text())
    assert meta["engine"] == "fake" and meta["config"] == {"epochs": 2, "seed": 0, "rounds": 4, "hidden": 7}
    assert "epoch 2/2: a loss 0.5000, b loss 2.0000, c loss 3.0000" in output
    assert len(pd.read_csv(tmp_path / "s.csv")) == 5


def test_an_engine_whose_module_is_missing_is_not_offered(tmp_path, capsys, monkeypatch):
    # Setup: an engine registered but not installed in this checkout
    monkeypatch.setitem(ENGINES, "ghost", "models.synth.ghost.synthesizer:GhostSynthesizer")

    # Run
    text = _help(capsys, "synth", "train")
    code = main(["synth", "train", "--data", "t20.csv", "--engine", "ghost", "--out", str(tmp_path / "m")])

    # Assert: refused in one line, as every bad argument is
    assert "ghost" not in text
    assert code == 2 and "invalid choice: 'ghost'" in capsys.readouterr().err


def test_whole_matches_from_a_row_engine_are_refused(tmp_path, capsys):
    # Run: the CTGAN folder of tests/fixtures
    code = main(["synth", "sample", "--model", str(LEGACY_MODEL), "--matches", "2", "--out", str(tmp_path / "s.csv")])

    # Assert
    assert code == 2
    assert "only the matches engine writes whole matches" in capsys.readouterr().err
    assert not (tmp_path / "s.csv").exists()


def test_rows_and_matches_are_one_or_the_other(tmp_path, capsys):
    code = main(["synth", "sample", "--model", str(LEGACY_MODEL), "--rows", "5", "--matches", "2", "--out",
                 str(tmp_path / "s.csv")])
    assert code == 2 and "not allowed with argument" in capsys.readouterr().err


def _commands(parser: argparse.ArgumentParser, words: tuple = ()):
    """(words, parser) of every command of the command line, e.g. (("synth", "train"), its parser)."""
    groups = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    if not groups:
        yield words, parser
    for group in groups:
        for word, child in group.choices.items():
            yield from _commands(child, (*words, word))


def test_every_option_that_takes_a_value_says_its_default():
    # Setup: every command's parser, with its options added as on first use
    from lib.cli import build_parser

    commands = list(_commands(build_parser()))
    for _, parser in commands:
        parser.format_help()

    # Run: options taking a value that have a default (or are a seed, whose absence also does something), and
    # whose help does not say it
    silent = [f"{' '.join(words)} {action.option_strings[0]}" for words, parser in commands
              for action in parser._actions
              if action.option_strings and action.nargs != 0 and "default" not in (action.help or "")
              and (action.default not in (None, argparse.SUPPRESS) or action.dest.endswith("seed"))]

    # Assert
    assert len(commands) > 8 and silent == [], f"--help gives no default for {silent}"
