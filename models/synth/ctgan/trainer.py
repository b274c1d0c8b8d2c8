"""One CTGAN model trained on compact rows: ctgan.CTGAN's losses and updates with a lean data path.

Per step, as in ctgan.CTGAN.fit: the discriminator sees fake rows for drawn conditions and real rows drawn to
match the shuffled conditions, with WGAN-GP (pac groups, lambda 10); the generator minimises -D(fake) plus the
cross-entropy of its conditioned column; Adam with betas (0.5, 0.9) and weight decay. What differs is only work
that does not change the result: the generator runs without autograd in discriminator steps (ctgan computes
generator gradients there and discards them), the discriminator's parameter gradients are not computed in
generator steps (likewise discarded by ctgan), one-hot blocks exist per batch only, and the one-hot condition
enters the generator as a column gather (models.synth.ctgan.networks).

Randomness: numpy draws (conditions, rows) come from the trainer's own generator; torch draws (noise, dropout,
gumbel noise, gradient-penalty mixing) from torch's global generator, which the caller seeds inside
``torch.random.fork_rng`` so the caller's own random state is left alone.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from models.progress import Cancelled, ShouldStop
from models.synth.ctgan.condition_sampler import ConditionSampler
from models.synth.ctgan.config import SynthConfig
from models.synth.ctgan.networks import activate, build_networks, condition_loss, generate, one_hot
from models.synth.ctgan.table_layout import CompactRows, TableLayout

ADAM_BETAS = (0.5, 0.9)
"""Adam's betas in ctgan.CTGAN."""


class ShardTrainer:
    """Networks, optimisers and random state of one model, and its training steps.

    Args:
        layout: the transformed-row layout of the training rows.
        rows: the training rows, compact.
        config: settings; batch size, learning rates, pac, network sizes and steps are used here.
        device: where the networks live.
        rng: the numpy generator for conditions and real-row draws.
    """

    def __init__(
        self, layout: TableLayout, rows: CompactRows, config: SynthConfig, device: torch.device,
        rng: np.random.Generator,
    ):
        self.layout, self.rows, self.config, self.device, self.rng = layout, rows, config, device, rng
        self.spans = layout.spans()
        self.sampler = ConditionSampler(layout, config.log_frequency, rows.codes)
        self.generator, self.discriminator = build_networks(layout, config, device)
        self._generator_parameters = list(self.generator.parameters())
        self._discriminator_parameters = list(self.discriminator.parameters())
        self.generator_optimizer = _adam(self.generator, config.generator_lr, config.generator_decay)
        self.discriminator_optimizer = _adam(self.discriminator, config.discriminator_lr, config.discriminator_decay)
        self.epoch = 0
        self.history: list[dict] = []
        """Per finished epoch: mean "generator" and "discriminator" losses over its steps, and "seconds"."""

    @property
    def steps_per_epoch(self) -> int:
        """Steps in one epoch: one per full batch of training rows, at least one (as ctgan)."""
        return max(len(self.rows) // self.config.batch_size, 1)

    def discriminator_step(self) -> float:
        """One discriminator update; returns its Wasserstein loss -(mean D(real) - mean D(fake))."""
        batch, discriminator = self.config.batch_size, self.discriminator
        column, category, cond = self.sampler.sample_conditions(batch, self.rng)
        shuffle = self.rng.permutation(batch)
        real_ids = self.sampler.sample_rows(column[shuffle], category[shuffle], self.rng)
        cond = torch.as_tensor(cond, device=self.device)
        with torch.no_grad():
            fake = activate(generate(self.generator, self._noise(batch), cond), self.spans)
        condition = one_hot(cond, self.layout.cond_dim)
        real = self.layout.dense(self.rows.take(real_ids), self.device)
        # ctgan's gradient penalty differentiates with respect to the mixed rows, so one side must ask for a
        # gradient; backward(inputs=...) below still computes only the parameters' gradients.
        fake_cat = torch.cat([fake, condition], dim=1).requires_grad_(True)
        real_cat = torch.cat([real, condition[torch.as_tensor(shuffle, device=self.device)]], dim=1)
        loss = -(discriminator(real_cat).mean() - discriminator(fake_cat).mean())
        penalty = discriminator.calc_gradient_penalty(real_cat, fake_cat, self.device, self.config.pac)
        (penalty + loss).backward(inputs=self._discriminator_parameters)
        self.discriminator_optimizer.step()
        self.discriminator_optimizer.zero_grad(set_to_none=True)
        return float(loss.detach())

    def generator_step(self) -> float:
        """One generator update; returns its loss -mean D(fake) + conditioned cross-entropy."""
        batch = self.config.batch_size
        column, category, cond = self.sampler.sample_conditions(batch, self.rng)
        cond = torch.as_tensor(cond, device=self.device)
        raw = generate(self.generator, self._noise(batch), cond)
        fake = torch.cat([activate(raw, self.spans), one_hot(cond, self.layout.cond_dim)], dim=1)
        judged = self.discriminator(fake)
        column = torch.as_tensor(column, device=self.device)
        category = torch.as_tensor(category, device=self.device)
        loss = -judged.mean() + condition_loss(raw, self.layout, column, category)
        loss.backward(inputs=self._generator_parameters)
        self.generator_optimizer.step()
        self.generator_optimizer.zero_grad(set_to_none=True)
        return float(loss.detach())

    def train_epoch(self, should_stop: ShouldStop) -> dict:
        """Run one epoch, polling `should_stop` before every step.

        Returns:
            The epoch's record, also appended to `history`: mean losses and seconds.

        Raises:
            Cancelled: `should_stop()` returned True; the epoch is not recorded.
        """
        started = time.perf_counter()
        generator_total = discriminator_total = 0.0
        for _ in range(self.steps_per_epoch):
            if should_stop():
                raise Cancelled(f"synthesizer training cancelled during epoch {self.epoch + 1}")
            for _ in range(self.config.discriminator_steps):
                discriminator_loss = self.discriminator_step()
            discriminator_total += discriminator_loss
            generator_total += self.generator_step()
        record = {
            "generator": generator_total / self.steps_per_epoch,
            "discriminator": discriminator_total / self.steps_per_epoch,
            "seconds": time.perf_counter() - started,
        }
        self.history.append(record)
        self.epoch += 1
        return record

    def tensors(self) -> dict:
        """Everything of the trainer's state that is tensors: networks, optimisers, torch random state."""
        state = {
            "generator": self.generator.state_dict(),
            "discriminator": self.discriminator.state_dict(),
            "generator_optimizer": self.generator_optimizer.state_dict(),
            "discriminator_optimizer": self.discriminator_optimizer.state_dict(),
            "torch_rng": torch.get_rng_state(),
        }
        if self.device.type == "cuda":
            state["cuda_rng"] = torch.cuda.get_rng_state(self.device)
        return state

    def meta(self) -> dict:
        """The rest of the state, JSON-ready: epochs done, loss history, numpy random state."""
        return {"epoch": self.epoch, "history": self.history, "numpy_rng": self.rng.bit_generator.state}

    def restore(self, tensors: dict, meta: dict) -> None:
        """Continue from a state saved by `tensors()` and `meta()`, exactly where it stopped."""
        self.generator.load_state_dict(tensors["generator"])
        self.discriminator.load_state_dict(tensors["discriminator"])
        self.generator_optimizer.load_state_dict(tensors["generator_optimizer"])
        self.discriminator_optimizer.load_state_dict(tensors["discriminator_optimizer"])
        torch.set_rng_state(tensors["torch_rng"])
        if "cuda_rng" in tensors and self.device.type == "cuda":
            torch.cuda.set_rng_state(tensors["cuda_rng"], self.device)
        self.epoch = int(meta["epoch"])
        self.history = list(meta["history"])
        self.rng.bit_generator.state = meta["numpy_rng"]

    def _noise(self, batch: int) -> torch.Tensor:
        return torch.randn(batch, self.config.embedding_dim, device=self.device)


def _adam(module: torch.nn.Module, lr: float, decay: float) -> torch.optim.Adam:
    # The fused kernel is the same Adam update in one pass over memory; on a 77M-parameter generator it is an
    # order of magnitude faster on CPU than the default multi-tensor loop.
    return torch.optim.Adam(module.parameters(), lr=lr, betas=ADAM_BETAS, weight_decay=decay, fused=True)
