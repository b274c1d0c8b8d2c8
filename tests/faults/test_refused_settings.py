"""Settings that cannot work are refused before any work starts, with what to change: every number option names
the option, the value, its range and an example; an --out under a file names the file; a run store that is a
folder is moved aside."""

import math

import pytest

from lib.cli import main
from lib.data import files
from lib.data.schema import t20_columns
from lib.data.simulate.league import build_sample
from models.synth.ctgan.config import SynthConfig
from models.wp.config import WPConfig


@pytest.mark.parametrize("value", [math.inf, math.nan, -1e-3, 0.0])
@pytest.mark.parametrize("name", ["generator_lr", "discriminator_lr"])
def test_a_synthesizer_learning_rate_that_is_not_finite_and_positive_is_refused(name, value):
    with pytest.raises(ValueError, match=f"{name} is .*a learning rate must be > 0 and finite"):
        SynthConfig(**{name: value})


@pytest.mark.parametrize("value", [math.inf, math.nan, 0.0])
def test_a_wp_learning_rate_that_is_not_finite_and_positive_is_refused(value):
    with pytest.raises(ValueError, match="learning_rate must be > 0 and finite"):
        WPConfig(learning_rate=value)


def test_sampling_more_rows_than_memory_holds_is_refused_before_loading(tmp_path, capsys):
    # Run: the model folder does not even exist; the row count is refused first
    code = main(["synth", "sample", "--model", str(tmp_path / "none"), "--rows", str(10**12),
                 "--out", str(tmp_path / "out.csv")])
    # Assert
    assert code == 2 and "--rows 1,000,000,000,000 would need about" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_ratios_that_would_not_fit_in_memory_are_refused_before_training(tmp_path, capsys):
    # Setup: a small real set and a synthetic one
    frame = t20_columns(build_sample(matches=6, seed=2).deliveries)
    files.write_csv(tmp_path / "real.csv", frame)
    files.write_csv(tmp_path / "synthetic.csv", frame.drop(columns=["matchId", "innings"]))
    # Run
    code = main(["wp", "compare", "--data", str(tmp_path / "real.csv"), "--synthetic", str(tmp_path / "synthetic.csv"),
                 "--ratios", "0,1e12", "--out", str(tmp_path / "report.json")])
    # Assert
    assert code == 2 and "--ratios up to 1e+12" in capsys.readouterr().err
    assert not (tmp_path / "report.json").exists()


@pytest.mark.parametrize("arguments, message", [
    (["data", "sample", "--seed", "-1"],
     "argument --seed: -1 is outside 0..4,294,967,295; give a whole number in that range, such as --seed 7"),
    (["score", "--real", "r.csv", "--synthetic", "s.csv", "--seed", "seven"],
     "argument --seed: 'seven' is not a whole number; give one in 0..4,294,967,295, such as --seed 7"),
    (["synth", "train", "--data", "t20.csv", "--fraction", "1.5"],
     "argument --fraction: 1.5 is outside the range (above 0 and at most 1); give a number in it, such as --fraction"),
    (["wp", "train", "--data", "t20.csv", "--dropout", "1"],
     "argument --dropout: 1 is outside the range (at least 0 and below 1); give a number in it, such as --dropout 0.1"),
    (["wp", "augment", "--data", "t20.csv", "--synthetic", "s.csv", "--ratio", "-1"],
     "argument --ratio: -1 is outside the range (at least 0); give a number in it, such as --ratio 1"),
    (["synth", "train", "--data", "t20.csv", "--generator-lr", "nan"],
     "argument --generator-lr: nan is not a finite number; give one above 0, such as --generator-lr 0.0002"),
    (["synth", "sample", "--model", "m", "--rows", "0"],
     "argument --rows: 0 is below 1; give a whole number of at least 1, such as --rows 50000"),
    (["wp", "compare", "--data", "t20.csv", "--layers", ""],
     "argument --layers: Dense layers '' name no hidden layer; give at least one unit count. Such as --layers 64,32"),
    (["wp", "compare", "--data", "t20.csv", "--layers", "64,,8"],
     "argument --layers: Dense layers '64,,8' have an empty entry (position 2)"),
    (["wp", "train", "--data", "t20.csv", "--layers", "64,0"],
     "argument --layers: Dense layers '64,0' have 0 units; each layer needs 1..4,096"),
], ids=["data sample --seed -1", "score --seed text", "synth train --fraction", "wp train --dropout",
        "wp augment --ratio", "synth train --generator-lr nan", "synth sample --rows 0", "--layers ''",
        "--layers 64,,8", "--layers 64,0"])
def test_an_option_outside_its_range_names_the_option_the_value_the_range_and_an_example(arguments, message,
                                                                                         tmp_path, monkeypatch, capsys):
    # Setup: no data anywhere; the option is refused before any file is read
    monkeypatch.chdir(tmp_path)
    out = "model" if arguments[1] == "train" and arguments[0] in ("synth", "wp") else "out.csv"
    # Run
    code = main([*arguments, "--out", out])
    # Assert: one line, exit 2, nothing written
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("arguments", [
    ["data", "sample", "--matches", "2"],
    ["score", "--real", "r.csv", "--synthetic", "s.csv"],
    ["wp", "match", "--model", "m", "--match", "1.json"],
    ["synth", "train", "--data", "t20.csv"],
    ["wp", "train", "--data", "t20.csv"],
], ids=["data sample", "score", "wp match", "synth train (a folder)", "wp train (a folder)"])
def test_an_out_path_under_a_file_is_refused_before_any_work_and_missing_folders_are_made(arguments, tmp_path,
                                                                                          monkeypatch, capsys):
    # Setup: a file where --out needs a folder
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    # Run
    code = main([*arguments, "--out", "notes.txt/out"])
    # Assert: named as a file, not "File exists"; the file untouched
    err = capsys.readouterr().err
    assert code == 2 and "notes.txt is a file, not a folder" in err and "File exists" not in err
    assert (tmp_path / "notes.txt").read_text() == "mine"
    # And: a path whose folders do not exist yet is written, folders made
    assert main(["data", "sample", "--matches", "2", "--out", "new/folders/t20.csv"]) == 0
    assert (tmp_path / "new" / "folders" / "t20.csv").is_file()


def test_a_run_store_that_is_a_folder_is_moved_aside_and_named(capsys):
    from lib.data import workspace
    from lib.jobs import store

    # Setup: a folder, with a file of the user's in it, where the run store should be
    store.path().mkdir(parents=True)
    (store.path() / "kept.txt").write_text("mine")
    # Run
    checked = main(["runs", "check"])
    check_err = capsys.readouterr().err
    listed = main(["runs", "list"])
    list_err = capsys.readouterr().err
    # Assert: the check names the folder (no advice to give a file name inside it); listing moves it aside, whole,
    # and says where
    assert checked == 2 and "is damaged: it is a folder, not an SQLite database file" in check_err
    assert "give a file name inside it" not in check_err + list_err
    aside = next(workspace.root().glob("runs.damaged-*.sqlite"))
    assert listed == 0 and aside.name in list_err and (aside / "kept.txt").read_text() == "mine"
