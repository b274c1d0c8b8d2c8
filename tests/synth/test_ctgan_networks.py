"""The gather-based generator forward equals ctgan's own module forward, values and gradients."""

import numpy as np
import torch
from ctgan.synthesizers.ctgan import Generator
from torch.nn import functional

from models.synth.ctgan.column_transform import ContinuousColumn, DiscreteColumn
from models.synth.ctgan.networks import condition_loss, generate, one_hot
from models.synth.ctgan.table_layout import TableLayout

COND_DIM, WIDTH, NOISE, BATCH = 30, 41, 8, 16


def _generator(seed: int = 0) -> Generator:
    torch.manual_seed(seed)
    return Generator(NOISE + COND_DIM, (12, 10), WIDTH).double()


def _inputs(seed: int = 1):
    generator = torch.Generator().manual_seed(seed)
    noise = torch.randn(BATCH, NOISE, generator=generator, dtype=torch.float64)
    cond = torch.randint(COND_DIM, (BATCH,), generator=generator)
    return noise, cond


def test_fast_forward_equals_the_module_forward():
    # Setup
    module = _generator()
    noise, cond = _inputs()
    dense_input = torch.cat([noise, one_hot(cond, COND_DIM).double()], dim=1)

    # Run
    fast = generate(module, noise, cond)
    reference = module(dense_input)

    # Assert
    torch.testing.assert_close(fast, reference, rtol=1e-10, atol=1e-10)


def test_fast_forward_gives_the_module_gradients():
    # Setup: two copies of the same generator, one weighting of the outputs
    fast_module, reference_module = _generator(), _generator()
    noise, cond = _inputs()
    weights = torch.randn(BATCH, WIDTH, generator=torch.Generator().manual_seed(2), dtype=torch.float64)

    # Run
    (generate(fast_module, noise, cond) * weights).sum().backward()
    (reference_module(torch.cat([noise, one_hot(cond, COND_DIM).double()], 1)) * weights).sum().backward()

    # Assert
    for (name, fast), (_, reference) in zip(fast_module.named_parameters(), reference_module.named_parameters()):
        torch.testing.assert_close(fast.grad, reference.grad, rtol=1e-9, atol=1e-10, msg=name)


def test_float32_fast_forward_matches_within_float_tolerance():
    # Setup
    module = _generator().float()
    noise, cond = _inputs()

    # Run
    fast = generate(module, noise.float(), cond)
    reference = module(torch.cat([noise.float(), one_hot(cond, COND_DIM)], 1))

    # Assert
    torch.testing.assert_close(fast, reference, rtol=1e-5, atol=1e-5)


def test_sampling_forward_leaves_the_running_statistics_alone():
    # Setup
    module = _generator()
    noise, cond = _inputs()
    before = [buffer.clone() for buffer in module.buffers()]

    # Run
    with torch.no_grad():
        generate(module, noise, cond, batch_stats_only=True)

    # Assert
    for old, new in zip(before, module.buffers()):
        assert torch.equal(old, new)


def test_condition_loss_is_ctgans_masked_cross_entropy():
    # Setup: two discrete columns around a continuous one
    layout = TableLayout([
        DiscreteColumn("a", np.arange(3), np.ones(3, dtype=np.int64)),
        ContinuousColumn("b", np.zeros(2), np.ones(2)),
        DiscreteColumn("c", np.arange(2), np.ones(2, dtype=np.int64)),
    ])
    raw = torch.randn(4, layout.width, generator=torch.Generator().manual_seed(0))
    column, category = torch.tensor([0, 1, 1, 0]), torch.tensor([2, 0, 1, 1])

    # Run
    loss = condition_loss(raw, layout, column, category)

    # Assert: by hand, rows 0 and 3 score block a (columns 0..2), rows 1 and 2 block c (columns 6..7)
    expected = (functional.cross_entropy(raw[[0, 3], 0:3], torch.tensor([2, 1]), reduction="sum")
                + functional.cross_entropy(raw[[1, 2], 6:8], torch.tensor([0, 1]), reduction="sum")) / 4
    torch.testing.assert_close(loss, expected)
