"""Tiny data and settings shared by the synthesizer tests: a few matches, small networks, a second to train."""

from __future__ import annotations

from dataclasses import replace

from lib.data.simulate.league import build_sample
from lib.data.validation import validate
from models.synth.ctgan.config import SynthConfig

TINY = SynthConfig(
    fraction=1.0, epochs=2, batch_size=50, pac=10, embedding_dim=16, generator_dim=(32,), discriminator_dim=(32,),
    player_encoding="categorical", top_k=8, checkpoint_every=1, gmm_rows=400, max_clusters=4, threads=1,
)


def tiny_league(matches: int = 3, seed: int = 0):
    """The simulated league, `matches` matches: 3 give about 650 deliveries, 39 batters and 33 bowlers."""
    return validate(build_sample(matches=matches, seed=seed).deliveries, "the simulated league", keep_extra=True)


def tiny(**changes) -> SynthConfig:
    return replace(TINY, **changes)
