"""ctgan's Generator and Discriminator, with a forward pass that treats the one-hot condition as an index.

The generator's input is [noise, condition] and every Residual appends its input to its output, so the
condition is always the last `cond_dim` inputs of each of its Linear layers. With a one-hot condition that part
of the matrix product is one column of the weight per row: a gather instead of a (batch x cond_dim) matmul.
Same parameters, same result (to float rounding), a small fraction of the work when players are categories.
"""

from __future__ import annotations

import torch
from ctgan.synthesizers.ctgan import Discriminator, Generator
from torch.autograd.function import once_differentiable
from torch.nn import functional

from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.table_layout import TableLayout

GUMBEL_TAU = 0.2
"""Temperature of the generator's gumbel-softmax outputs, as in ctgan.CTGAN."""


def build_networks(layout: TableLayout, config: SynthConfig, device: torch.device) -> tuple[Generator, Discriminator]:
    """ctgan's networks sized for `layout`, initialised from torch's global generator, on `device`."""
    generator = Generator(config.embedding_dim + layout.cond_dim, config.generator_dim, layout.width)
    discriminator = Discriminator(layout.width + layout.cond_dim, config.discriminator_dim, pac=config.pac)
    return generator.to(device), discriminator.to(device)


class _OneHotLinear(torch.autograd.Function):
    """y = [dense, one_hot(index)] @ W.T + b, computing the one-hot part as a column gather of W."""

    @staticmethod
    def forward(ctx, dense, index, weight, bias):
        split = dense.shape[1]
        out = torch.addmm(bias, dense, weight[:, :split].t())
        out += weight[:, split:].index_select(1, index).t()
        ctx.save_for_backward(dense, index, weight)
        return out

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        dense, index, weight = ctx.saved_tensors
        split = dense.shape[1]
        grad_dense = grad_out @ weight[:, :split] if ctx.needs_input_grad[0] else None
        grad_weight = grad_bias = None
        if ctx.needs_input_grad[2]:
            grad_weight = torch.empty_like(weight)
            grad_weight[:, :split] = grad_out.t() @ dense
            grad_weight[:, split:].zero_().index_add_(1, index, grad_out.t())
        if ctx.needs_input_grad[3]:
            grad_bias = grad_out.sum(0)
        return grad_dense, None, grad_weight, grad_bias


def one_hot_linear(linear: torch.nn.Linear, dense: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """`linear` applied to [dense, one_hot(index, in_features - dense width)]; (batch, out_features)."""
    return _OneHotLinear.apply(dense, index, linear.weight, linear.bias)


def generate(generator: Generator, noise: torch.Tensor, cond_index: torch.Tensor, batch_stats_only: bool = False):
    """The generator's raw output for [noise, one_hot(cond_index)], equal to `generator(torch.cat(...))`.

    Args:
        generator: a ctgan Generator.
        noise: (batch, embedding_dim) float32.
        cond_index: (batch,) int64 position of each row's one-hot 1 in the condition vector.
        batch_stats_only: normalise with the batch's own statistics without updating the running ones
            (sampling: ctgan samples in training mode, and sampling should not change the model).

    Returns:
        (batch, width) float32 logits and pre-tanh values, before activation.
    """
    *residuals, final = generator.seq
    hidden = noise
    for residual in residuals:
        out = one_hot_linear(residual.fc, hidden, cond_index)
        if batch_stats_only:
            norm = residual.bn
            out = functional.batch_norm(out, None, None, norm.weight, norm.bias, training=True, eps=norm.eps)
        else:
            out = residual.bn(out)
        hidden = torch.cat([residual.relu(out), hidden], dim=1)
    return one_hot_linear(final, hidden, cond_index)


def activate(raw: torch.Tensor, spans: list[tuple[int, int, str]]) -> torch.Tensor:
    """ctgan's output activation: tanh on normalised values, gumbel-softmax (tau 0.2) on one-hot blocks."""
    parts = [
        torch.tanh(raw[:, start:end]) if kind == "tanh"
        else functional.gumbel_softmax(raw[:, start:end], tau=GUMBEL_TAU)
        for start, end, kind in spans
    ]
    return torch.cat(parts, dim=1)


def condition_loss(raw: torch.Tensor, layout: TableLayout, column: torch.Tensor, category: torch.Tensor):
    """ctgan's generator cross-entropy on the conditioned column: mean over the batch of each row's cross-entropy
    between the logits of its conditioned discrete column and the conditioned category.

    Args:
        raw: (batch, width) generator output before activation.
        column: (batch,) int64 index of each row's conditioned discrete column.
        category: (batch,) int64 conditioned category code within that column.
    """
    total = raw.new_zeros(())
    for j, (offset, discrete) in enumerate(zip(layout.discrete_offsets, layout.discrete)):
        chosen = column == j
        logits = raw[chosen, int(offset) : int(offset) + discrete.width]
        total = total + functional.cross_entropy(logits, category[chosen], reduction="sum")
    return total / raw.shape[0]


def one_hot(index: torch.Tensor, size: int) -> torch.Tensor:
    """(batch, size) float32 with a 1 at each row's `index`."""
    out = torch.zeros(len(index), size, device=index.device)
    return out.scatter_(1, index[:, None], 1.0)
