"""A tampered or half-written model folder is a damaged model: refused at load in one line (exit 2 on the command
line), never a hang or a bug. Both engines, several members of the class each."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from lib.cli import main
from models.synth.base import DamagedModel
from models.synth.engines import load_synthesizer
from tests.synth.test_synth_cli import LEGACY_MODEL

CTGAN_TAMPERING = {
    "negative batch size": lambda meta: meta["config"].update(batch_size=-10),
    "zero batch size": lambda meta: meta["config"].update(batch_size=0),
    "no shards": lambda meta: meta.update(shards=[]),
    "a shard without its layout": lambda meta: meta["shards"][0].pop("layout"),
    "a learning rate that is text": lambda meta: meta["config"].update(generator_lr="fast"),
}


def _tampered(folder, tamper) -> None:
    path = folder / "synthesizer.json"
    meta = json.loads(path.read_text())
    tamper(meta)
    path.write_text(json.dumps(meta))


@pytest.mark.parametrize("tamper", CTGAN_TAMPERING.values(), ids=CTGAN_TAMPERING.keys())
def test_a_tampered_ctgan_folder_is_refused_in_seconds(tamper, tmp_path, capsys):
    # Setup: a CTGAN model folder, then one edit of its synthesizer.json
    shutil.copytree(LEGACY_MODEL, tmp_path / "model")
    _tampered(tmp_path / "model", tamper)

    # Run
    with pytest.raises(DamagedModel, match="is damaged"):
        load_synthesizer(tmp_path / "model")
    started = time.perf_counter()
    code = main(["synth", "sample", "--model", str(tmp_path / "model"), "--rows", "100", "--out",
                 str(tmp_path / "s.csv")])

    # Assert: one line, exit 2, quickly, nothing written
    err = capsys.readouterr().err
    assert code == 2 and "is damaged" in err and len(err.splitlines()) == 1
    assert time.perf_counter() - started < 30 and not (tmp_path / "s.csv").exists()


MATCHES_TAMPERING = {
    "zero patience": lambda meta: meta["config"].update(patience=0),
    "no outcome classes": lambda meta: meta.pop("outcomes"),
    "sides of another shape": lambda meta: meta["sides"].update(order="x"),
}


@pytest.fixture(scope="module")
def matches_model(tmp_path_factory):
    from lib.data.simulate.league import build_sample
    from models.synth.matches.config import MatchesConfig
    from models.synth.matches.synthesizer import MatchesSynthesizer

    result = build_sample(matches=12, seed=2)
    model = MatchesSynthesizer.train(result.deliveries, MatchesConfig(epochs=1, hidden=(8,), embedding_dim=2,
                                                                       reference=False), events=result.events)
    return model.save(tmp_path_factory.mktemp("matches") / "model")


@pytest.mark.parametrize("tamper", MATCHES_TAMPERING.values(), ids=MATCHES_TAMPERING.keys())
def test_a_tampered_matches_folder_is_refused(tamper, matches_model, tmp_path):
    shutil.copytree(matches_model, tmp_path / "model")
    _tampered(tmp_path / "model", tamper)
    with pytest.raises(DamagedModel, match="is damaged"):
        load_synthesizer(tmp_path / "model")
