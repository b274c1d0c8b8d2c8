"""The arms of a win-probability comparison: which training sets are compared, and their names.

Light on purpose (no TensorFlow): the command line and the pages read the defaults from here when they start.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.data.augment import check_ratio

RATIO_CHOICES = (0.25, 0.5, 1.0, 2.0, 4.0)
"""The ratios the pages offer: synthetic rows per real training row, or synthetic matches per real training match."""
DEFAULT_RATIOS = (0.5, 1.0, 2.0, 4.0)
"""The default sweep, one `augmented@R` arm each: on the IPL zip ratio 4 of whole synthetic matches gave the best
measured arm (README, "Does synthetic data help?"), and 0.25 added nothing a sweep needs."""
DEFAULT_SEEDS = 3
"""Trainings per arm by default; intervals need at least two."""
REAL, REFERENCE, SYNTHETIC = "real", "reference", "synthetic"
REFERENCE_MODEL = "scikit-learn HistGradientBoostingClassifier on the seven numeric columns (no players)"


def arm_name(ratio: float) -> str:
    """`augmented@0.5` for ratio 0.5; ratio 0 is the `real` arm."""
    return REAL if ratio == 0 else f"augmented@{ratio:g}"


@dataclass(frozen=True)
class Arm:
    """One arm: `ratio` synthetic rows per real training row, with or without the real rows; `neural` False for
    the reference."""

    name: str
    ratio: float = 0.0
    keep_real: bool = True
    neural: bool = True


def plan_arms(ratios, with_synthetic: bool) -> list[Arm]:
    """The arms to run, in order: real, reference, augmented@R for each distinct R > 0, synthetic."""
    distinct = sorted({check_ratio(r) for r in ratios} - {0.0})
    arms = [Arm(REAL), Arm(REFERENCE, neural=False)]
    if with_synthetic:
        arms += [Arm(arm_name(r), r) for r in distinct]
        arms.append(Arm(SYNTHETIC, 1.0, keep_real=False))
    return arms
