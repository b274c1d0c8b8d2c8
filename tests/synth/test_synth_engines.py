"""The engine registry and interface: engines by name, model folders by the engine that wrote them."""

import json

import pytest

from models.synth.base import ROWS, Synthesizer
from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.synthesizer import CtganSynthesizer, train_synthesizer
from models.synth.engines import DEFAULT_ENGINE, engine_class, engine_of, load_synthesizer
from tests.synth_helpers import tiny


def test_engines_are_found_by_name_and_none_means_ctgan():
    # Run
    ctgan, default = engine_class("ctgan"), engine_class(None)

    # Assert: CTGAN declares what the charts, the command line and the jobs read
    assert ctgan is default is CtganSynthesizer and DEFAULT_ENGINE == "ctgan"
    assert issubclass(ctgan, Synthesizer) and ctgan.name == "ctgan" and ctgan.title == "CTGAN"
    assert ctgan.config_class is SynthConfig and ctgan.writes == ROWS
    assert ctgan.loss_names == ("generator", "discriminator")


def test_an_unknown_engine_is_refused_with_the_engines_there_are():
    with pytest.raises(ValueError, match=r"unknown synthesizer engine 'gan2'; use one of ctgan, matches\."):
        engine_class("gan2")


def test_the_registry_imports_no_engine_until_one_is_asked_for():
    # Setup / Run: a fresh interpreter lists the engines
    import subprocess
    import sys

    code = ("import sys; from models.synth.engines import ENGINES; "
            "print(any(name.startswith('models.synth.ctgan') for name in sys.modules), sorted(ENGINES))")
    listed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    # Assert
    assert listed.strip() == "False ['ctgan', 'matches']"


@pytest.mark.parametrize("meta, engine", [
    ({"format": "crease-lab-ctgan", "version": 1}, "ctgan"),  # written before engines
    ({"engine": "ctgan", "format": "crease-lab-ctgan", "version": 1}, "ctgan"),
    ({"engine": "matches"}, "matches"),
])
def test_engine_of_reads_the_engine_a_folder_names_or_its_legacy_format(tmp_path, meta, engine):
    (tmp_path / "synthesizer.json").write_text(json.dumps(meta))
    assert engine_of(tmp_path) == engine


@pytest.mark.parametrize("content, message", [
    (None, "holds no synthesizer"),
    ("{not json", "is not a readable synthesizer file"),
    ("[1, 2]", "names no known synthesizer engine"),
    ('{"format": "someone-elses-gan"}', "names no known synthesizer engine"),
])
def test_a_folder_without_a_known_engine_says_what_is_wrong(tmp_path, content, message):
    # Setup
    if content is not None:
        (tmp_path / "synthesizer.json").write_text(content)

    # Run / Assert
    with pytest.raises((FileNotFoundError, ValueError), match=message):
        engine_of(tmp_path)


def test_a_saved_ctgan_names_its_engine_and_loads_through_the_registry(league, tmp_path):
    # Setup
    model = train_synthesizer(league, tiny(epochs=1))

    # Run
    model.save(tmp_path / "model")
    loaded = load_synthesizer(tmp_path / "model")

    # Assert
    meta = json.loads((tmp_path / "model" / "synthesizer.json").read_text())
    assert (meta["engine"], meta["format"], meta["version"]) == ("ctgan", "crease-lab-ctgan", 1)
    assert isinstance(loaded, CtganSynthesizer)
    assert loaded.sample(80, seed=2).equals(model.sample(80, seed=2))
    assert [set(record) for record in loaded.history] == [{"generator", "discriminator", "seconds"}]


def test_the_engine_interface_trains_and_estimates_ctgan(league):
    # Run
    estimate = CtganSynthesizer.estimate(league, tiny(epochs=1), probe=False)
    model = CtganSynthesizer.train(league, tiny(epochs=1), events=None)

    # Assert: the estimate prints in lines, as the command line shows any engine's
    lines = estimate.lines()
    assert lines[0].startswith("estimate: transformed width ") and "peak memory about" in lines[2]
    assert estimate.fits and estimate.shards == 1 and estimate.total_seconds is None
    assert isinstance(model, CtganSynthesizer) and model.threads == 1


def test_another_engines_folder_is_not_read_as_ctgan(tmp_path):
    (tmp_path / "synthesizer.json").write_text(json.dumps({"engine": "matches", "format": "crease-lab-ctgan",
                                                           "version": 1}))
    with pytest.raises(ValueError, match="is not a Crease Lab CTGAN synthesizer"):
        CtganSynthesizer.load(tmp_path)

