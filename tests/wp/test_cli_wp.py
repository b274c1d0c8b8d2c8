"""`python -m lib.cli wp compare|train` end to end on tiny files the tests write."""

import json

import numpy as np
import pytest

import lib.cli
from lib.cli import main
from lib.data.schema import MODEL_COLUMNS
from lib.data.tables import to_t20_csv
from models.wp.model import WPModel
from tests.wp_toy import toy_deliveries, toy_synthetic


@pytest.fixture(autouse=True)
def only_wp_commands(monkeypatch):
    """Build the parser from this group alone, so these tests do not depend on the other groups' modules."""
    assert "wp" in lib.cli.GROUPS
    monkeypatch.setattr(lib.cli, "GROUPS", ["wp"])


@pytest.fixture()
def files(tmp_path):
    real = toy_deliveries(matches=30)
    (tmp_path / "t20.csv").write_bytes(to_t20_csv(real))
    (tmp_path / "synthetic.csv").write_bytes(to_t20_csv(toy_synthetic(real, rows=400)))
    return tmp_path


def test_compare_writes_the_report_and_prints_the_table(files, capsys):
    # Setup
    out = files / "reports" / "report.json"

    # Run
    code = main(["wp", "compare", "--data", str(files / "t20.csv"), "--synthetic", str(files / "synthetic.csv"),
                 "--ratios", "0,1", "--seeds", "1", "--epochs", "1", "--out", str(out)])

    # Assert
    assert code == 0
    report = json.loads(out.read_text())
    assert report["split"] == "match" and report["test_matches"] == 6
    assert list(report["arms"]) == ["real", "reference", "augmented@1", "synthetic"]
    assert set(report["arms"]["augmented@1"]["brier"]) == {"mean", "ci"}
    printed = capsys.readouterr()
    assert "match split (whole matches held out): 6 test matches, 1 seed(s)" in printed.out
    assert "difference to real" in printed.out and "augmented@1" in printed.out
    assert "augmented@1: no verdict with 1 seed; run at least 3 seeds" in printed.out
    assert report["verdict"]["augmented@1"]["sentence"] in printed.out
    assert "augmented@1, seed 1/1: epoch 1/2 loss" in printed.err


def test_compare_on_a_plain_t20_csv_infers_matches(tmp_path):
    # Setup: the ten columns only, as the published t20.csv has them.
    plain = toy_deliveries(matches=20)[MODEL_COLUMNS]
    (tmp_path / "t20.csv").write_bytes(to_t20_csv(plain))
    out = tmp_path / "report.json"

    # Run
    code = main(["wp", "compare", "--data", str(tmp_path / "t20.csv"), "--seeds", "1", "--epochs", "1",
                 "--split", "row", "--out", str(out)])

    # Assert: the row split is labelled as leaking and the inference is reported.
    report = json.loads(out.read_text())
    assert code == 0 and report["split"] == "row" and report["matches_inferred"] is True
    assert "leaks" in report["split_label"] and list(report["arms"]) == ["real", "reference"]


def test_train_saves_a_model_that_reloads(files, capsys):
    # Setup
    out = files / "model"

    # Run
    code = main(["wp", "train", "--data", str(files / "t20.csv"), "--synthetic", str(files / "synthetic.csv"),
                 "--ratio", "0.5", "--epochs", "1", "--seed", "3", "--out", str(out)])

    # Assert: 30 matches -> 6 test, 2 validation, 22 training matches of 24 rows; 0.5 x 528 synthetic rows.
    assert code == 0
    model = WPModel.load(out, "h5")
    assert model.config.seed == 3 and model.config.epochs == 1
    assert model.extra["rows"] == {"train_real": 528, "train_synthetic": 264, "validation": 48, "test": 144}
    assert set(model.extra["test_scores"]) == {"accuracy", "auc", "brier", "log_loss"}
    probabilities = model.predict(toy_deliveries(matches=2))
    assert ((probabilities >= 0) & (probabilities <= 1)).all() and np.isfinite(probabilities).all()
    assert "test matches: accuracy" in capsys.readouterr().out


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["compare", "--ratios", "0,1"], "--ratios needs --synthetic"),
        (["compare", "--synthetic", "{dir}/synthetic.csv", "--ratios", "half"], "--ratios must be comma-separated"),
        (["compare", "--seeds", "0"], "argument --seeds: 0 is outside 1..100; give a whole number in that range"),
        (["compare", "--epochs", "0"], "argument --epochs: 0 is outside 1..10,000"),
        (["train", "--synthetic", "{dir}/synthetic.csv"], "--synthetic needs --ratio"),
        (["train", "--ratio", "1"], "--ratio needs --synthetic"),
        (["train", "--synthetic", "{dir}/missing.csv", "--ratio", "1"], "missing.csv does not exist"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(files, capsys, arguments, message):
    # Setup
    arguments = [a.replace("{dir}", str(files)) for a in arguments]
    out = "report.json" if arguments[0] == "compare" else "model"

    # Run
    code = main(["wp", arguments[0], "--data", str(files / "t20.csv"), *arguments[1:], "--out", str(files / out)])

    # Assert
    assert code == 2
    assert message in capsys.readouterr().err
