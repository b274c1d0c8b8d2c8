"""Settings that cannot work are refused before any work starts, with what to change."""

import math

import pytest

from lib.cli import main
from lib.data import files
from lib.data.schema import t20_columns
from lib.data.simulate.league import build_sample
from models.synth.ctgan.config import SynthConfig, check_config
from models.wp.config import WPConfig


@pytest.mark.parametrize("value", [math.inf, math.nan, -1e-3, 0.0])
@pytest.mark.parametrize("name", ["generator_lr", "discriminator_lr"])
def test_a_synthesizer_learning_rate_that_is_not_finite_and_positive_is_refused(name, value):
    with pytest.raises(ValueError, match=f"{name} is .*a learning rate must be > 0 and finite"):
        check_config(SynthConfig(**{name: value}))


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
