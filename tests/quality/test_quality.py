"""Fidelity and privacy scores on hand-made frames whose answers are known."""

import numpy as np
import pandas as pd
import pytest

from lib.data import schema
from lib.quality.fidelity import NUMERIC_PAIRS, PUBLISHED, fidelity
from lib.quality.privacy import privacy


def deliveries(rows: int = 400, seed: int = 0, players: tuple[int, int] = (1, 40)) -> pd.DataFrame:
    """Random but plausible rows: integer match state, a few dozen players, both outcomes."""
    rng = np.random.default_rng(seed)
    ball = rng.integers(1, 241, rows)
    wickets = rng.integers(0, 11, rows)
    remaining = np.maximum(120 - ball % 120, 1)
    runs = rng.integers(0, 200, rows)
    return pd.DataFrame({
        schema.BATTER: rng.integers(*players, rows), schema.BOWLER: rng.integers(*players, rows),
        schema.BALL_NUM: ball, schema.BALLS_REMAINING: remaining, schema.RUNS: runs,
        schema.RUN_RATE: runs / ball, schema.WICKETS: wickets, schema.MOMENTUM: (11 - wickets) / remaining,
        schema.PERF_INDEX: runs / ball * (11 - wickets), schema.WINNER: rng.integers(0, 2, rows),
    })


def test_identical_frames_score_one_everywhere():
    real = deliveries()
    report = fidelity(real, real.copy())
    assert report.averages == pytest.approx({k: 1.0 for k in [*PUBLISHED, "contingency_score"]})
    assert len(report.correlation) == 21 == len(NUMERIC_PAIRS)
    assert report.missing_regulars == {schema.BATTER: [], schema.BOWLER: []}


def test_disjoint_players_cover_nothing_and_are_reported_missing():
    real = deliveries(players=(1, 40))
    synthetic = deliveries(seed=1, players=(100, 140))
    report = fidelity(real, synthetic)
    assert report.coverage == {schema.BATTER: 0.0, schema.BOWLER: 0.0}
    assert report.tv[schema.BATTER] == pytest.approx(0.0, abs=1e-6)
    top = real[schema.BATTER].value_counts().index[:20].tolist()
    assert report.missing_regulars[schema.BATTER] == top


def test_against_published_puts_each_average_next_to_the_published_reference():
    real = deliveries()
    synthetic = deliveries(seed=2)
    table = fidelity(real, synthetic).against_published()
    assert table["published"].tolist()[:4] == list(PUBLISHED.values())
    assert np.isnan(table["published"].iloc[4]), "the published run had no outcome-vs-match-state score"
    assert ((table["score"] >= 0) & (table["score"] <= 1)).all()
    assert np.allclose(table["difference"], table["score"] - table["published"], equal_nan=True)


def test_a_constant_column_gives_nan_pairs_with_a_warning():
    real = deliveries()
    synthetic = deliveries(seed=3).assign(**{schema.WICKETS: 4})
    with pytest.warns(UserWarning, match="numWickets constant"):
        report = fidelity(real, synthetic)
    assert np.isnan(report.correlation["ballNum / numWickets"])
    assert not np.isnan(report.averages["correlation_score"])


def test_privacy_counts_exact_copies():
    # Setup: 30 of 60 synthetic rows copied from the real data, 30 moved off every real row
    real = deliveries(rows=300)
    synthetic = real.sample(60, random_state=0).reset_index(drop=True)
    synthetic.loc[30:, schema.RUN_RATE] += 0.5
    # Run
    report = privacy(real, synthetic, sample_rows=60)
    # Assert
    assert report.copy_share == pytest.approx(0.5)
    assert report.sampled_rows == 60 and 0 <= report.dcr_baseline_score <= 1


def test_the_same_inputs_and_seed_give_the_same_dcr_protection_wherever_scored():
    # Setup: the page and the command line each score in a process of their own, with numpy's state their own
    real, synthetic = deliveries(rows=300), deliveries(rows=120, seed=5)

    # Run: twice, with numpy's global generator moved on in between as other work would move it
    first = privacy(real, synthetic, sample_rows=60, seed=0).dcr_baseline_score
    np.random.default_rng().random(10)
    np.random.seed(None)
    second = privacy(real, synthetic, sample_rows=60, seed=0).dcr_baseline_score

    # Assert: sdmetrics' random baseline is seeded too (it drew a fresh one each call: 0.442 against 0.437)
    assert first == second


def test_score_bars_give_each_player_score_its_own_bar():
    # Setup: a player column has two scores (TV complement and coverage) that must not stack into a sum
    from lib.charts.quality import score_bars

    per_column = fidelity(deliveries(), deliveries(seed=4)).per_column()
    # Run
    spec = score_bars(per_column).to_dict()
    # Assert: one bar per (column, metric), each at its own score, no stacking
    bars = pd.DataFrame(spec["datasets"][spec["data"]["name"]])
    # 7 KS + 3 TV + 2 coverage + 7 contingency (isWinner with each numeric column)
    assert bars["bar"].is_unique and len(bars) == len(per_column) == 19
    assert spec["encoding"]["y"]["field"] == "bar"


def test_each_loss_of_an_engine_gets_its_own_colour_and_ctgans_keep_theirs():
    # Setup
    from lib.charts.quality import LOSS_PALETTE, loss_colours, synthesizer_loss_chart

    epochs = [{"step": 0, "stage": "", "epoch": 1, "generator": 1.0, "discriminator": -0.5}]

    # Run
    ctgan = loss_colours(("generator", "discriminator")).to_dict()
    three = loss_colours(("events", "players", "overs")).to_dict()
    spec = synthesizer_loss_chart(epochs, ("generator", "discriminator"), "losses").to_dict()

    # Assert: CTGAN's orange and green as before; any names distinct, from the one palette
    assert ctgan == {"domain": ["generator", "discriminator"], "range": ["#d95f02", "#1b9e77"]}
    assert len(set(three["range"])) == 3 and set(three["range"]) <= set(LOSS_PALETTE)
    assert spec["encoding"]["color"]["scale"]["range"] == ["#d95f02", "#1b9e77"]
    with pytest.raises(ValueError, match="distinct colours"):
        loss_colours(tuple(f"loss {i}" for i in range(len(LOSS_PALETTE) + 1)))


def test_stages_that_are_models_of_their_own_each_start_at_epoch_1_with_their_own_dash():
    # Setup: the matches engine's two networks, two epochs each, as the run store logs them
    from lib.charts.quality import synthesizer_loss_chart

    epochs = [{"step": step, "stage": stage, "epoch": epoch, "train": 1.0, "validation": 1.1}
              for step, stage in enumerate(("ball model", "state-only reference")) for epoch in (1, 2)]

    # Run
    apart = synthesizer_loss_chart(epochs, ("train", "validation"), "losses", separate_stages=True).to_dict()
    in_turn = synthesizer_loss_chart(epochs, ("train", "validation"), "losses").to_dict()

    # Assert: side by side from epoch 1, one dash per network; parts of one run (CTGAN's shards) on one axis
    assert apart["encoding"]["x"]["field"] == "epoch" and apart["encoding"]["strokeDash"]["field"] == "stage"
    assert in_turn["encoding"]["x"]["field"] == "overall" and "strokeDash" not in in_turn["encoding"]


def test_each_training_of_a_comparison_is_a_line_of_its_own():
    # Setup: two trainings of two epochs each, as a comparison logs them
    from lib.charts.training import PARTS_AXIS, loss_chart

    epochs = [{"step": step, "stage": stage, "epoch": epoch, "loss": 0.6, "val_loss": 0.62}
              for step, stage in enumerate(("real, seed 1/1", "augmented@1, seed 1/1")) for epoch in (1, 2)]

    # Run
    spec = loss_chart(epochs, ("loss", "val_loss")).to_dict()

    # Assert: in turn on one axis, but the last epoch of one training is not joined to the first of the next
    assert spec["encoding"]["x"]["field"] == "overall" and spec["encoding"]["x"]["title"] == PARTS_AXIS
    assert spec["encoding"]["detail"]["field"] == "stage"
