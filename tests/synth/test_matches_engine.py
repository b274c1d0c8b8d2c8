"""The matches engine: the Laws in every generated match, coherent rows, seeds, save and load, and refusals.

One tiny model (a 20-match simulated league, two epochs) is trained once for the module.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from lib.data.events import NO_MATCHES, NoMatches, events_from_rows
from lib.data.schema import BATTER, BOWLER, INNINGS, MATCH_ID, MODEL_COLUMNS
from lib.data.simulate.league import build_sample
from lib.data.validation import validate
from lib.quality.coherence import CricketCoherence
from lib.quality.validity import CricketValidity
from models.synth.engines import load_synthesizer
from models.synth.matches.config import MatchesConfig
from models.synth.matches.synthesizer import SYNTHETIC_MATCH_IDS, MatchesSynthesizer

TINY = MatchesConfig(epochs=2, batch_size=256, hidden=(16,), embedding_dim=2, min_player_balls=20, threads=1)


@pytest.fixture(scope="module")
def league():
    result = build_sample(matches=20, seed=3)
    return validate(result.deliveries, "league", keep_extra=True), result.events


@pytest.fixture(scope="module")
def model(league):
    rows, events = league
    return MatchesSynthesizer.train(rows, TINY, events=events)


@pytest.fixture(scope="module")
def played(model):
    return model.sample_matches(40, seed=5)


def _innings(played: pd.DataFrame):
    """Delivery events of the generated rows (as the rows tell them) and each innings' last row."""
    events = events_from_rows(played, "leakfree").deliveries
    return events, played.groupby([MATCH_ID, INNINGS], sort=False).tail(1)


def test_every_match_has_two_innings_and_its_own_id(played):
    # Setup / Run: 40 matches. Assert: 40 ids from SYNTHETIC_MATCH_IDS on, each with innings 1 then 2.
    ids = played[MATCH_ID].unique()
    assert list(ids) == list(range(SYNTHETIC_MATCH_IDS, SYNTHETIC_MATCH_IDS + 40))
    assert (played.groupby(MATCH_ID)[INNINGS].apply(lambda x: list(pd.unique(x))) == pd.Series([[1, 2]] * 40,
            index=ids)).all()


def test_innings_end_by_the_laws(played):
    events, last = _innings(played)
    legal = events.groupby([MATCH_ID, INNINGS], sort=False)["legal"].sum()
    wickets = events.groupby([MATCH_ID, INNINGS], sort=False)["wicket"].sum()
    assert legal.max() <= 120 and wickets.max() <= 10
    # Each innings ends all out, at 120 legal balls, or (chase) with the target reached.
    chase = last[last[INNINGS] == 2]
    reached = chase["runs"].to_numpy() <= 0
    ended = (legal.to_numpy() == 120) | (wickets.to_numpy() == 10)
    chase_ended = ended[1::2] | reached
    assert ended[0::2].all() and chase_ended.all()
    # The chase stops the moment the target is passed: no delivery after runs needed reach 0.
    needed = played.loc[played[INNINGS] == 2].groupby(MATCH_ID)["runs"]
    assert (needed.apply(lambda r: (r.to_numpy()[:-1] <= 0).sum()) == 0).all()


def test_wides_and_no_balls_are_not_legal_balls(played):
    # A delivery that does not use up a ball leaves ballsRemaining as it was (leakfree).
    events, _ = _innings(played)
    assert (~events["legal"]).any(), "the league has wides and no-balls; the model should play some"
    remaining = played["ballsRemaining"].to_numpy()
    step = np.r_[remaining[0] - 120, np.diff(remaining)]
    first = np.r_[True, played[INNINGS].to_numpy()[1:] != played[INNINGS].to_numpy()[:-1]]
    step[first] = remaining[first] - 120
    assert set(step[events["legal"].to_numpy()]) == {-1}
    assert set(step[~events["legal"].to_numpy()]) == {0}


def test_strike_rotates_on_odd_runs_and_at_the_end_of_each_over(played):
    events, _ = _innings(played)
    batter = events["batter"].to_numpy()
    ran = events["total"].to_numpy() - (~events["legal"].to_numpy()).astype(int)
    legal_count = events.groupby([MATCH_ID, INNINGS], sort=False)["legal"].cumsum().to_numpy()
    over_end = events["legal"].to_numpy() & (legal_count % 6 == 0)
    same_innings = np.r_[(events[MATCH_ID].to_numpy()[1:] == events[MATCH_ID].to_numpy()[:-1])
                         & (events[INNINGS].to_numpy()[1:] == events[INNINGS].to_numpy()[:-1]), False]
    # After a delivery without a wicket the striker changes exactly when odd runs were run xor the over ended.
    check = same_innings & (events["wicket"].to_numpy() == 0)
    changes = np.r_[batter[1:] != batter[:-1], False]
    expected = (ran % 2 == 1) ^ over_end
    assert check.sum() > 1000
    assert (changes[check] == expected[check]).all()


def test_no_bowler_bowls_two_overs_running_or_more_than_four(played):
    events, _ = _innings(played)
    overs = events.groupby([MATCH_ID, INNINGS, "over"], sort=False)["bowler"].agg(["first", "nunique"])
    assert (overs["nunique"] == 1).all()
    for (_, _), innings in overs.groupby(level=[0, 1], sort=False):
        bowlers = innings["first"].to_numpy()
        assert (bowlers[1:] != bowlers[:-1]).all()
        assert pd.Series(bowlers).value_counts().max() <= 4


def test_every_row_is_coherent_and_valid(league, played):
    rows, _ = league
    assert CricketCoherence.compute(played[MODEL_COLUMNS], "leakfree") == 1.0
    assert CricketValidity.compute(rows, played[MODEL_COLUMNS]) == 1.0
    validate(played, "synthetic matches", features="leakfree")  # every value inside the schema's ranges


def test_the_same_seed_gives_the_same_matches_and_another_seed_others(model, played):
    assert model.sample_matches(40, seed=5).equals(played)
    assert not model.sample_matches(40, seed=6)[MODEL_COLUMNS].equals(played[MODEL_COLUMNS])


def test_rows_are_whole_matches_until_there_are_enough(model):
    frame, report = model.sample_with_report(1000, seed=2)
    last_match_rows = (frame[MATCH_ID] == frame[MATCH_ID].iloc[-1]).sum()
    assert len(frame) >= 1000 and len(frame) - last_match_rows < 1000
    assert report.rows == len(frame) and report.redrawn_share == 0.0 and report.matches == frame[MATCH_ID].nunique()


def test_players_stay_in_the_training_index_space(league, played):
    rows, _ = league
    assert set(played[BATTER]) <= set(rows[BATTER]) and set(played[BOWLER]) <= set(rows[BOWLER])


def test_save_and_load_round_trip(model, played, tmp_path):
    model.save(tmp_path / "model")
    loaded = load_synthesizer(tmp_path / "model")
    assert isinstance(loaded, MatchesSynthesizer)
    assert loaded.sample_matches(40, seed=5).equals(played)
    assert loaded.stats["held_out"]["log_loss"] == model.stats["held_out"]["log_loss"]


def test_the_held_out_report_has_the_state_only_model_and_the_class_frequencies(model):
    losses = model.stats["held_out"]["log_loss"]
    assert set(losses) == {"ball model", "state-only reference", "class frequencies"}
    assert all(np.isfinite(value) and value > 0 for value in losses.values())
    phases = {row["phase"] for row in model.stats["held_out"]["calibration"]}
    assert phases == {"powerplay", "middle", "death"}


def test_rows_without_whole_matches_get_the_documented_message(league):
    rows, _ = league
    # ballNum never restarts and there is no matchId: every row is one "match" that does not make two innings.
    flat = rows[MODEL_COLUMNS].iloc[:50].copy()
    flat["ballNum"] = np.arange(1, 51)
    flat["isWinner"] = 1
    with pytest.raises(NoMatches, match=NO_MATCHES):
        MatchesSynthesizer.train(flat, TINY)


def test_training_resumes_from_its_checkpoint(league, tmp_path):
    rows, events = league
    config = replace(TINY, reference=False)
    whole = MatchesSynthesizer.train(rows, config, events=events)

    def stop_after_first_epoch(log):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        MatchesSynthesizer.train(rows, config, events=events, checkpoint_dir=tmp_path, on_epoch=stop_after_first_epoch)
    resumed = MatchesSynthesizer.train(rows, config, events=events, checkpoint_dir=tmp_path, resume=True)
    losses = lambda history: [r[k] for r in history for k in ("train", "validation")]
    assert losses(resumed.history) == pytest.approx(losses(whole.history), rel=1e-6)
    assert resumed.sample_matches(5, seed=1).equals(whole.sample_matches(5, seed=1))


@pytest.mark.parametrize(("changes", "message"), [
    ({"epochs": 0}, "epochs is 0; it must be a whole number of at least 1."),
    ({"hidden": ()}, "give one or more layer sizes of at least 1"),
    ({"learning_rate": 0.0}, "learning_rate is 0.0; it must be > 0"),
    ({"validation_share": 1.0}, "validation_share is 1.0; it must be in (0, 1)"),
])
def test_settings_that_cannot_train_are_refused_when_made(changes, message):
    # Run / Assert
    with pytest.raises(ValueError) as error:
        replace(TINY, **changes)
    assert message in str(error.value)
