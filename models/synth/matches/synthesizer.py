"""The matches engine: a learned ball-by-ball simulator that writes whole synthetic matches.

It learns from whole matches as delivery events (lib.data.events): a ball model (models.synth.matches.ball_model)
gives the chance of each outcome of a delivery from the match state, the batter and the bowler; sides come from the
training matches (models.synth.matches.sides); matches are played many at once (models.synth.matches.play) and
their rows are computed by the project's own feature code, the path real imports take, so every identity between
the columns holds.

On disk a model folder holds ``synthesizer.json`` (engine, settings, outcome classes, players with embeddings,
sides, feature variant, losses, held-out report, timings) and ``ball-model.pt`` (a state dict, read with
``torch.load(..., weights_only=True)``).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from lib.data import files
from lib.data.events import MatchEvents, events_for
from lib.data.schema import MATCH_ID
from models.peak_rss import PeakRss
from models.progress import ignore, never
from models.synth.base import MATCHES, SampleReport, Synthesizer, checked_model
from models.synth.matches import training
from models.synth.matches.ball_model import BallNetwork, PlayerIndex
from models.synth.matches.config import SAMPLE_STREAM, MatchesConfig
from models.synth.matches.estimate import MatchesEstimate, estimate_cost
from models.synth.matches.fit import LOSS_NAMES
from models.synth.matches.outcomes import Outcomes
from models.synth.matches.play import Players, play_matches
from models.synth.matches.sides import Sides
from models.synth.torch_runtime import torch_threads

FORMAT = "crease-lab-matches"
VERSION = 1
WEIGHTS, REFERENCE_WEIGHTS = "ball-model.pt", "state-only.pt"
SYNTHETIC_MATCH_IDS = 1_000_000_000
"""Synthetic matches are numbered from here on, far from any Cricsheet match id, so that a synthetic match never
shares an id with a real one when the two are mixed (augmentation)."""
LEARNS_FROM = "The training matches"
"""What the rows an engine learns from are called in the message of a refusal (lib.data.events.NoMatches)."""
MATCHES_PER_ROUND = 2_000
"""Matches played at once when sampling a number of rows: enough for fast batched steps, little memory."""


class MatchesSynthesizer(Synthesizer):
    """A trained ball-by-ball simulator.

    Args:
        config: the settings it was trained with.
        players: the ball model and its player indices and outcome classes.
        sides: the training matches' sides.
        features: the feature variant its rows are written in ("leakfree" or "yorkr").
        stats: measured facts of the run (timings, peak memory, held-out report, rows per match).
        histories: per stage ("ball model", "state-only reference"), per epoch losses and seconds.
        reference: the state-only network (no players) trained beside the ball model, for reports; None when not
            trained.
    """

    name = "matches"
    title = "Matches simulator"
    summary = ("Learns the game ball by ball (what happens on each delivery, from the match state, batter and bowler) "
               "and plays whole new matches between sides of the training matches. Needs whole matches: a Cricsheet "
               "import, the sample, or a t20.csv with matchId and innings.")
    config_class = MatchesConfig
    loss_names = LOSS_NAMES
    writes = MATCHES
    separate_stages = True

    def __init__(self, config: MatchesConfig, players: Players, sides: Sides, features: str, stats: dict,
                 histories: dict[str, list[dict]], reference: BallNetwork | None = None):
        self.config, self.players, self.sides, self.features = config, players, sides, features
        self.stats, self.histories, self.reference = stats, histories, reference

    @property
    def history(self) -> list[dict]:
        return self.histories.get(training.MAIN_STAGE, [])

    @classmethod
    def train(cls, frame: pd.DataFrame, config: MatchesConfig | None = None, *, events: MatchEvents | None = None,
              on_epoch=None, should_stop=None, checkpoint_dir=None, resume: bool = False, cache_dir=None,
              run_parts=None) -> MatchesSynthesizer:
        """Learn the ball model and the sides from whole training matches; see models.synth.base.Synthesizer.

        Raises:
            lib.data.events.NoMatches: no whole match can be rebuilt from `frame` (and no events were given).
            ValueError: bad settings, or data too small to hold out validation matches.
            models.progress.Cancelled: `should_stop` said so.
        """
        config = config or MatchesConfig()
        started = time.perf_counter()
        with PeakRss() as peak, torch_threads(config.threads):
            data = training.prepare(frame, events_for(frame, events, None, name=LEARNS_FROM), config)
            result = training.fit(data, config, on_epoch or ignore, should_stop or never, checkpoint_dir, resume)
        epochs = [record["seconds"] for record in result.histories[training.MAIN_STAGE]]
        stats = {
            "seconds_per_epoch": float(np.mean(epochs)) if epochs else 0.0,
            "train_seconds": time.perf_counter() - started,
            "peak_rss_bytes": int(peak.peak_bytes),
            "training_matches": data.matches,
            "training_deliveries": len(data.labels),
            "rows_per_match": data.rows_per_match,
            "events_source": data.events.source,
            "events_notes": list(data.events.notes),
            "features": data.features,
            "held_out": result.report,
            "threads": torch.get_num_threads(),
        }
        return cls(config, result.players, data.sides, data.features, stats, result.histories, result.reference)

    @classmethod
    def estimate(cls, frame: pd.DataFrame, config: MatchesConfig | None = None, *, events=None, probe: bool = True,
                 cache_dir=None) -> MatchesEstimate:
        """The predicted cost of `train` (memory, seconds per epoch from a timing probe); see estimate_cost."""
        config = config or MatchesConfig()
        return estimate_cost(frame, events_for(frame, events, None, name=LEARNS_FROM), config, probe=probe,
                             cache_dir=cache_dir)

    def sample_matches(self, matches: int, seed: int | None = None) -> pd.DataFrame:
        """`matches` whole synthetic matches (rows ordered by match, innings, delivery); the same seed gives the same
        matches.

        Args:
            matches: how many, >= 1.
            seed: None draws fresh matches.

        Returns:
            matchId (numbered from SYNTHETIC_MATCH_IDS), innings and the ten t20.csv columns.
        """
        if isinstance(matches, bool) or not isinstance(matches, (int, np.integer)) or matches < 1:
            raise ValueError(f"matches to play must be a whole number >= 1, not {matches!r}.")
        rng = np.random.default_rng(None if seed is None else [seed, SAMPLE_STREAM])
        with torch_threads(self.config.threads):
            return play_matches(self.players, self.sides, int(matches), rng, self.features, SYNTHETIC_MATCH_IDS)

    def sample_with_report(self, n: int, seed: int | None = None) -> tuple[pd.DataFrame, SampleReport]:
        """Whole matches until there are at least `n` rows (the last match is kept whole); see `sample_matches`.

        Rows are coherent by construction: nothing is redrawn, so the report's redrawn share is 0.
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"rows to sample must be a whole number >= 0, not {n!r}.")
        rng = np.random.default_rng(None if seed is None else [seed, SAMPLE_STREAM])
        parts, rows, played = [], 0, 0
        with torch_threads(self.config.threads):
            while rows < n:
                wanted = -(-(n - rows) // max(int(self.stats.get("rows_per_match", 240)), 1))
                count = int(min(max(wanted + 2, 1), MATCHES_PER_ROUND))
                part = play_matches(self.players, self.sides, count, rng, self.features, SYNTHETIC_MATCH_IDS + played)
                parts.append(part)
                rows, played = rows + len(part), played + count
        frame = pd.concat(parts, ignore_index=True) if parts else self.sample_matches(1, seed).iloc[:0]
        frame = _first_matches_with(frame, n)
        matches = int(frame[MATCH_ID].nunique())
        return frame, SampleReport(rows=len(frame), generated=len(frame), redrawn_share=0.0, matches=matches)

    def save(self, folder: str | Path) -> Path:
        """Write the model into `folder`, replacing it whole (built beside it, moved into place in one rename)."""
        folder = Path(folder)
        with files.staged_dir(folder) as staging:
            torch.save(self.players.network.state_dict(), staging / WEIGHTS)
            if self.reference is not None:
                torch.save(self.reference.state_dict(), staging / REFERENCE_WEIGHTS)
            meta = {
                "engine": self.name, "format": FORMAT, "version": VERSION, "config": self.config.to_json(),
                "outcomes": self.players.outcomes.to_json(), "batters": self.players.batters.players.tolist(),
                "bowlers": self.players.bowlers.players.tolist(), "sides": self.sides.to_json(),
                "features": self.features, "histories": self.histories, "stats": self.stats,
            }
            (staging / "synthesizer.json").write_text(json.dumps(meta, indent=1))
        return folder

    @classmethod
    def load(cls, folder: str | Path, device: str = "cpu") -> MatchesSynthesizer:
        """Read a model written by `save`; needs neither the training data nor pickle.

        Raises:
            FileNotFoundError: no model in `folder`.
            ValueError: the files are not a matches-engine model of this version.
        """
        folder = Path(folder)
        path = folder / "synthesizer.json"
        if not path.is_file():
            raise FileNotFoundError(f"{folder} holds no synthesizer (no synthesizer.json). Train one first.")
        meta = json.loads(path.read_text())
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise ValueError(f"{path} is not a Crease Lab matches-engine synthesizer of version {VERSION}.")
        return checked_model(path, lambda: cls._from_meta(folder, meta))

    @classmethod
    def _from_meta(cls, folder: Path, meta: dict) -> MatchesSynthesizer:
        config = MatchesConfig.from_json(meta["config"])
        outcomes = Outcomes.from_json(meta["outcomes"])
        batters, bowlers = PlayerIndex(np.asarray(meta["batters"])), PlayerIndex(np.asarray(meta["bowlers"]))
        network = _network(folder / WEIGHTS, outcomes, batters, bowlers, config)
        reference = None
        if (folder / REFERENCE_WEIGHTS).is_file():
            reference = _network(folder / REFERENCE_WEIGHTS, outcomes, batters, bowlers,
                                 replace(config, embedding_dim=0))
        players = Players(network, batters, bowlers, outcomes)
        return cls(config, players, Sides.from_json(meta["sides"]), meta["features"], meta["stats"],
                   meta["histories"], reference)


def _network(path: Path, outcomes: Outcomes, batters: PlayerIndex, bowlers: PlayerIndex,
             config: MatchesConfig) -> BallNetwork:
    network = BallNetwork(len(outcomes.runs), batters.rows, bowlers.rows, config)
    network.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return network.eval()


def _first_matches_with(frame: pd.DataFrame, rows: int) -> pd.DataFrame:
    """The first whole matches of `frame` that hold at least `rows` rows together."""
    if rows == 0:
        return frame.iloc[:0].reset_index(drop=True)
    ends = np.flatnonzero(np.r_[frame[MATCH_ID].to_numpy()[1:] != frame[MATCH_ID].to_numpy()[:-1], True]) + 1
    last = ends[np.searchsorted(ends, rows)] if ends[-1] >= rows else ends[-1]
    return frame.iloc[:last].reset_index(drop=True)
