"""Compact column transforms, player encodings, the table layout and condition sampling, checked by hand."""

import numpy as np
import pytest
import torch

from models.synth.ctgan.column_transform import RARE, ContinuousColumn, ContinuousEncoder, DiscreteColumn, fit_discrete
from models.synth.ctgan.condition_sampler import ConditionSampler
from models.synth.ctgan.player_encoding import fit_player_column
from models.synth.ctgan.table_layout import CompactRows, TableLayout


def test_discrete_categories_follow_first_appearance_like_ctgan_one_hot():
    # Setup
    values = np.array([7, 3, 7, 9, 3, 7])

    # Run
    column = fit_discrete("x", values)

    # Assert
    assert column.categories.tolist() == [7, 3, 9]
    assert column.counts.tolist() == [3, 2, 1]
    assert column.encode(np.array([9, 7, 3])).tolist() == [2, 0, 1]


def test_top_k_keeps_the_most_frequent_players_and_pools_the_rest():
    # Setup: player 5 three times, 7 twice, 9 and 11 once each
    values = np.array([9, 5, 7, 5, 11, 7, 5])

    # Run
    column = fit_player_column("batsmanIdx", values, "top_k", top_k=2)

    # Assert
    assert column.categories.tolist() == [5, 7, RARE]  # 5 appears before 7
    assert column.counts.tolist() == [3, 2, 2]
    assert column.rare_values.tolist() == [9, 11]
    assert column.rare_weights.tolist() == [0.5, 0.5]
    assert column.encode(np.array([11, 5, 9, 7])).tolist() == [2, 0, 2, 1]


def test_a_rare_code_decodes_to_rare_players_at_their_real_frequencies():
    # Setup: rare players 9 (three times as frequent) and 11
    column = DiscreteColumn("bowlerIdx", np.array([5, RARE]), np.array([10, 4]), np.array([9, 11]),
                            np.array([0.75, 0.25]))

    # Run
    values = column.decode(np.array([1] * 20_000 + [0]), np.random.default_rng(0))

    # Assert
    assert values[-1] == 5
    assert set(values[:-1].tolist()) == {9, 11}
    assert np.mean(values[:-1] == 9) == pytest.approx(0.75, abs=0.01)


def test_top_k_with_room_for_every_player_is_categorical():
    # Setup
    values = np.array([4, 2, 4])

    # Run
    column = fit_player_column("batsmanIdx", values, "top_k", top_k=5)

    # Assert
    assert column.categories.tolist() == [4, 2]
    assert column.rare_values.size == 0


def test_numeric_players_snap_to_the_nearest_known_index():
    # Setup: known players 2, 10, 11; a mode with mean 0 and std 1 (a normalised value v decodes to 4v)
    column = ContinuousColumn("batsmanIdx", np.array([0.0]), np.array([1.0]), snap_to=np.array([2, 10, 11]))

    # Run: 4 * [-0.5, 0.5, 1.0, 0.9] = [-2, 2, 4, 3.6], each closest to 2
    values = column.decode(np.array([-0.5, 0.5, 1.0, 0.9]), np.array([0, 0, 0, 0]))

    # Assert
    assert values.tolist() == [2, 2, 2, 2]
    # mean 10, std 0.25: 0.6 -> 10.6 (nearest 11), -0.9 -> 9.1 (nearest 10)
    far = ContinuousColumn("b", np.array([10.0]), np.array([0.25]), snap_to=np.array([2, 10, 11]))
    assert far.decode(np.array([0.6, -0.9]), np.array([0, 0])).tolist() == [11, 10]


def test_continuous_encoding_decodes_back_to_the_value():
    # Setup: two clear modes
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.normal(20, 2, 500), rng.normal(150, 5, 500)])
    encoder = ContinuousEncoder("runs", values, max_clusters=5, weight_threshold=0.005)

    # Run
    normalized, modes = encoder.encode(values, np.random.default_rng(1))
    decoded = encoder.column().decode(normalized, modes)

    # Assert: exact except where |normalised| hit the 0.99 clip (values > 3.96 stds from their mode)
    assert normalized.dtype == np.float32 and modes.dtype == np.int16
    unclipped = np.abs(normalized) < 0.99
    assert unclipped.mean() > 0.99
    np.testing.assert_allclose(decoded[unclipped], values[unclipped], rtol=1e-5)


def test_dense_rows_put_each_value_in_its_block():
    # Setup: a discrete column of 3 categories, a continuous one of 2 modes, a discrete one of 2 categories
    layout = TableLayout([
        DiscreteColumn("a", np.array([1, 2, 3]), np.array([1, 1, 1])),
        ContinuousColumn("b", np.array([0.0, 1.0]), np.array([1.0, 1.0])),
        DiscreteColumn("c", np.array([0, 1]), np.array([2, 1])),
    ])
    rows = CompactRows(np.array([[2, 1], [0, 0]], dtype=np.int32), np.array([[0.5], [-0.25]], dtype=np.float32),
                       np.array([[1], [0]], dtype=np.int16))

    # Run
    dense = layout.dense(rows, torch.device("cpu"))

    # Assert: [a0 a1 a2 | b_value b_mode0 b_mode1 | c0 c1]
    assert layout.width == 8 and layout.cond_dim == 5
    assert layout.spans() == [(0, 3, "softmax"), (3, 4, "tanh"), (4, 6, "softmax"), (6, 8, "softmax")]
    assert dense.tolist() == [[0, 0, 1, 0.5, 0, 1, 0, 1], [1, 0, 0, -0.25, 1, 0, 1, 0]]


def test_condition_rows_match_the_drawn_category():
    # Setup: column 0 has categories of 6, 3 and 1 rows; column 1 has two categories
    codes = np.array([[0, 0], [1, 1], [0, 1], [2, 0], [0, 0], [1, 1], [0, 0], [0, 1], [1, 0], [0, 0]])
    layout = TableLayout([
        DiscreteColumn("a", np.array([10, 11, 12]), np.bincount(codes[:, 0])),
        DiscreteColumn("b", np.array([0, 1]), np.bincount(codes[:, 1])),
    ])
    sampler = ConditionSampler(layout, log_frequency=True, codes=codes)
    rng = np.random.default_rng(0)

    # Run
    column, category, cond = sampler.sample_conditions(20_000, rng)
    rows = sampler.sample_rows(column, category, rng)

    # Assert: every row has the condition's category; cond indexes the concatenated blocks
    assert np.all(codes[rows, column] == category)
    assert np.all(cond == np.where(column == 0, category, 3 + category))
    # log-frequency weights of column 0: log 7, log 4, log 2
    share = np.bincount(category[column == 0], minlength=3) / np.sum(column == 0)
    np.testing.assert_allclose(share, np.log([7, 4, 2]) / np.log([7, 4, 2]).sum(), atol=0.015)
