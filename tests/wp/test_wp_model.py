"""The WP model: embeddings that learn, unknown players, save/reload, progress and cancellation."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from lib.data.schema import BATTER, BOWLER, NUMERIC_COLUMNS, WINNER
from lib.data.splits import STANDARD_SPLIT, make_split
from lib.data.vocabulary import Vocabulary
from lib.wp.reference import reference_predictions
from models.progress import Cancelled
from models.wp.config import EAGER_STEPS, WPConfig, runs_eagerly
from models.wp.fit import fit_wp
from models.wp.model import H5_FILE, KERAS_FILE, META_FILE, PLAYERS_FILE, WPModel
from tests.wp_toy import toy_deliveries

FAST = WPConfig(epochs=2, batch_size=256)


@pytest.fixture(scope="module")
def toy_split():
    real = toy_deliveries(matches=300)
    split = make_split(real, STANDARD_SPLIT)
    return real.iloc[split.train], real.iloc[split.validation], real.iloc[split.test]


UNSEEN_BATTER = 5
"""Left out of the shared model's training rows, so it has an embedding row that training never touched."""


@pytest.fixture(scope="module")
def trained(toy_split):
    train, validation, _ = toy_split
    return fit_wp(train[train[BATTER] != UNSEEN_BATTER], validation, WPConfig(epochs=10, batch_size=256, patience=3))


def test_embeddings_learn_who_wins_where_the_numeric_columns_cannot(toy_split, trained):
    # Setup: in the toy league the winner depends on the players only; the numeric columns are noise.
    train, _, test = toy_split

    # Run
    wp_auc = roc_auc_score(test[WINNER], trained.predict(test))
    reference_auc = roc_auc_score(test[WINNER], reference_predictions(train, test, seed=0))

    # Assert: held-out matches, so the model had to learn the players, not memorise matches.
    assert reference_auc < 0.6
    assert wp_auc > 0.72 and wp_auc > reference_auc + 0.15


def test_predictions_are_probabilities_from_raw_inputs(toy_split, trained):
    # Setup: raw values, large and unscaled, as a t20.csv holds them.
    _, _, test = toy_split
    raw = test.copy()
    raw[NUMERIC_COLUMNS] = raw[NUMERIC_COLUMNS] * 100

    # Run
    probabilities = trained.predict(raw)

    # Assert
    assert probabilities.shape == (len(raw),) and probabilities.dtype == np.float64
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_unseen_players_predict_as_the_unknown_player(toy_split, trained):
    # Setup: the same rows with the unknown player, with players beyond the embeddings, and with a batter whose
    # index has an embedding row but who never batted in the training rows.
    _, _, test = toy_split
    rows = test.iloc[:50]
    unknown = rows.assign(**{BATTER: 0, BOWLER: 0})
    beyond = rows.assign(**{BATTER: 10_000, BOWLER: 5_000})
    unseen = rows.assign(**{BATTER: UNSEEN_BATTER})
    assert UNSEEN_BATTER < trained.seen_batters.max() and UNSEEN_BATTER not in trained.seen_batters

    # Run / Assert: each of them predicts exactly as the unknown player.
    assert np.array_equal(trained.predict(beyond), trained.predict(unknown))
    assert np.array_equal(trained.predict(unseen), trained.predict(rows.assign(**{BATTER: 0})))
    assert not np.array_equal(trained.predict(rows), trained.predict(unknown))


def test_training_teaches_the_unknown_player(toy_split):
    # Setup: a training set without any unknown player.
    train, validation, _ = toy_split
    assert (train[BATTER] > 0).all()

    # Run
    with_mask = fit_wp(train, validation, WPConfig(epochs=1, unknown_share=0.05))
    without = fit_wp(train, validation, WPConfig(epochs=1, unknown_share=0.0))

    # Assert: index 0 is trained only when a share of deliveries is masked to it.
    assert 0 in with_mask.seen_batters and 0 in with_mask.seen_bowlers
    assert 0 not in without.seen_batters


def test_save_and_reload_give_identical_predictions_in_both_formats(toy_split, trained, tmp_path):
    # Setup
    _, _, test = toy_split
    trained.vocabulary = Vocabulary([f"bat{i}" for i in range(24)], [f"bowl{i}" for i in range(18)])
    trained.features = "leakfree"
    expected = trained.predict(test)

    # Run
    folder = trained.save(tmp_path / "model")
    from_keras = WPModel.load(folder, "keras")
    from_h5 = WPModel.load(folder, "h5")

    # Assert
    assert {p.name for p in folder.iterdir()} == {KERAS_FILE, H5_FILE, META_FILE, PLAYERS_FILE}
    assert np.array_equal(from_keras.predict(test), expected)
    assert np.array_equal(from_h5.predict(test), expected)
    assert np.array_equal(from_h5.seen_batters, trained.seen_batters)
    assert from_keras.features == "leakfree" and from_keras.vocabulary.batters == trained.vocabulary.batters
    assert from_keras.config == trained.config and from_keras.history == trained.history
    meta = json.loads((folder / META_FILE).read_text())
    assert meta["inputs"]["state"] == NUMERIC_COLUMNS


def test_loading_needs_a_model_folder(tmp_path):
    # Setup: an empty folder.

    # Run / Assert
    with pytest.raises(ValueError, match="is not a WP model folder: it needs wp.json and model.keras"):
        WPModel.load(tmp_path)


def test_every_epoch_is_reported_and_the_best_weights_kept(toy_split):
    # Setup
    train, validation, _ = toy_split
    logs = []

    # Run
    model = fit_wp(train, validation, FAST, on_epoch=logs.append, stage="real, seed 1/3", step=2, stages=9)

    # Assert: two epochs of the match-state phase, then two of the players phase, numbered on.
    assert [(log.epoch, log.epochs, log.stage, log.step, log.stages) for log in logs] == [
        (epoch, 4, "real, seed 1/3", 2, 9) for epoch in (1, 2, 3, 4)
    ]
    assert [h["phase"] for h in model.history] == ["match state"] * 2 + ["players"] * 2
    assert set(logs[0].losses) == {"loss", "val_loss"}
    assert [h["val_loss"] for h in model.history] == [log.losses["val_loss"] for log in logs]
    players = [h for h in model.history if h["phase"] == "players"]
    assert all(h["loss"] != h["val_loss"] for h in players), "the players phase reports its own training loss"


def test_joint_training_reports_one_phase(toy_split):
    train, validation, _ = toy_split
    model = fit_wp(train, validation, WPConfig(epochs=2, batch_size=256, training="joint"))
    assert [(h["epoch"], h["phase"]) for h in model.history] == [(1, "joint"), (2, "joint")]


def test_players_phase_starts_every_player_at_the_unknown_player(toy_split):
    # Setup: one epoch of each phase with a learning rate of almost nothing, so the players phase cannot move
    # the embeddings far from where it starts them.
    train, validation, _ = toy_split
    config = WPConfig(epochs=1, batch_size=256, learning_rate=1e-9)
    # Run
    model = fit_wp(train, validation, config)
    # Assert: every batter's embedding is (about) the unknown batter's.
    table = model.network.get_layer("batter_embedding").get_weights()[0]
    assert np.allclose(table, table[0], atol=1e-6)


def test_should_stop_cancels_training(toy_split):
    # Setup: stop after the first epoch.
    train, validation, _ = toy_split
    logs = []

    # Run / Assert
    with pytest.raises(Cancelled, match="after epoch 1"):
        fit_wp(train, validation, FAST, on_epoch=logs.append, should_stop=lambda: bool(logs))
    assert len(logs) == 1


@pytest.mark.parametrize(
    "options, message",
    [
        ({"dropout": 1.5}, "dropout must be in \\[0, 1\\), got 1.5"),
        ({"epochs": 0}, "epochs must be >= 1, got 0"),
        ({"layers": (64, 0)}, r"layers must be one or more unit counts in 1\.\.4,096, got \[64, 0\]"),
    ],
)
def test_bad_settings_are_refused_before_training(options, message):
    # Run / Assert
    with pytest.raises(ValueError, match=message):
        WPConfig(**options)


def test_players_phase_stops_once_validation_loss_rises_for_patience_epochs(toy_split):
    # Setup: validation rows are training rows with the result flipped, so every step that learns the training
    # rows raises the validation loss. A few hundred rows make 2 steps per epoch, fewer than Keras reports
    # batches in, so the players phase can check only once per epoch.
    train, _, _ = toy_split
    train = train.iloc[:400]
    flipped = train.assign(**{WINNER: 1 - train[WINNER]})
    config = WPConfig(epochs=6, batch_size=256, patience=1)

    # Run
    model = fit_wp(train, flipped, config)

    # Assert: the players phase stops after its first epoch without a better loss (patience 1), not after 6.
    players = [h for h in model.history if h["phase"] == "players"]
    assert 1 <= len(players) <= config.patience + 1
    assert players[-1]["val_loss"] > players[0]["val_loss"] or len(players) == 1


def test_synthetic_rows_in_the_state_phase_only_never_teach_the_players(toy_split):
    # Setup: two batters who appear only in the synthetic rows, batting in matches their side wins and loses.
    train, validation, _ = toy_split
    real = train[~train[BATTER].isin([5, 6])]
    synthetic = train[train[BATTER].isin([5, 6])]
    rows = pd.concat([real, synthetic], ignore_index=True)
    flags = np.arange(len(rows)) >= len(real)

    # Run
    tables = {}
    for phases in ("all", "state"):
        model = fit_wp(rows, validation, WPConfig(epochs=2, batch_size=256, synthetic_phases=phases), synthetic=flags)
        tables[phases] = model.network.get_layer("batter_embedding").get_weights()[0]

    # Assert: with "state" the players phase never sees them, so both keep the embedding it started them at;
    # with "all" it learns them apart.
    assert np.allclose(tables["state"][5], tables["state"][6])
    assert not np.allclose(tables["all"][5], tables["all"][6])


def test_a_synthetic_row_weighs_what_the_setting_says(toy_split):
    # Setup: every row marked synthetic, weighing a half. Adam's steps do not depend on the scale of the loss, so
    # the model learns the same; only the reported training loss halves.
    train, validation, _ = toy_split
    flags = np.ones(len(train), bool)

    # Run
    full = fit_wp(train, validation, WPConfig(epochs=1, batch_size=256, training="joint"), synthetic=flags)
    half = fit_wp(train, validation, WPConfig(epochs=1, batch_size=256, training="joint", synthetic_weight=0.5),
                  synthetic=flags)

    # Assert
    assert half.history[0]["loss"] == pytest.approx(full.history[0]["loss"] / 2, rel=0.05)
    assert half.history[0]["val_loss"] == pytest.approx(full.history[0]["val_loss"], rel=0.05)


def test_synthetic_rows_only_in_a_state_phase_need_the_state_first_procedure():
    with pytest.raises(ValueError, match="synthetic_phases 'state' needs training 'state_first'"):
        WPConfig(training="joint", synthetic_phases="state")


def test_synthetic_rows_alone_in_the_state_phase_leave_every_player_unknown(toy_split):
    # Setup: the synthetic-only arm of a comparison, with synthetic rows kept out of the players phase.
    train, validation, _ = toy_split
    config = WPConfig(epochs=1, batch_size=256, synthetic_phases="state")

    # Run
    model = fit_wp(train, validation, config, synthetic=np.ones(len(train), bool))

    # Assert: no players phase ran, and every batter predicts as the unknown batter does.
    assert {h["phase"] for h in model.history} == {"match state"}
    table = model.network.get_layer("batter_embedding").get_weights()[0]
    assert np.allclose(table, table[0])


def test_only_a_training_of_few_steps_runs_eagerly():
    # Setup: 1,000 rows in batches of 256 are 4 steps per epoch; state-first training has two phases
    config = WPConfig(epochs=8, batch_size=256)
    # Run / Assert: 2 x 8 x 4 = 64 steps in all is eager; one epoch more, or the published joint training of 10
    # epochs over the sample's 170,000 rows, keeps TensorFlow's graphs
    assert EAGER_STEPS == 64 and runs_eagerly(1000, config)
    assert not runs_eagerly(1000, WPConfig(epochs=9, batch_size=256))
    assert not runs_eagerly(170_000, WPConfig(training="joint"))
