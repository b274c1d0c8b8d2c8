"""The full evaluation of a synthetic set: every score with its two references, detection, cricket coherence,
validity, utility and privacy.

The Evaluate page and `python -m lib.cli score` both build it here, so both show the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from lib.data import files
from lib.data.schema import MATCH_ID, MODEL_COLUMNS
from lib.data.workspace import DatasetInfo
from lib.quality.coherence import IDENTITIES, CricketCoherence, guess_variant
from lib.quality.detection import DETECTION_ROWS, detection_auc
from lib.quality.fidelity import CORRELATION_ROWS, GROUP_LABELS, PUBLISHED, FidelityReport, fidelity
from lib.quality.privacy import SAMPLE_ROWS, privacy
from lib.quality.references import (
    INDEPENDENT,
    UNSEEN,
    RealParts,
    independent_columns,
    overall_position,
    position,
    real_parts,
)
from lib.quality.utility import UTILITY_ROWS, utility
from lib.quality.validity import CricketValidity

SAMPLING_NOTE = (
    f"Correlation and contingency similarity use a seeded sample of at most {CORRELATION_ROWS:,} rows of each set; "
    f"detection at most {DETECTION_ROWS:,} rows of each set; utility trains on at most {UTILITY_ROWS:,} rows; exact "
    f"copies and distances to the closest real row use {SAMPLE_ROWS:,} sampled synthetic rows. Every other score "
    "uses all rows."
)
SCORE_LABELS = {
    **GROUP_LABELS,
    "detection_auc": "Detection ROC AUC (0.5 = indistinguishable, lower is better)",
    "coherence_share": "Cricket coherence (share of rows that are possible deliveries)",
}
"""Every score read against the two references, in table order."""
LOWER_IS_BETTER = {"detection_auc"}
PLAIN_WORDS = {
    "KSComplement": "1 minus the largest gap between the real and synthetic cumulative distributions of a numeric "
                    "column: 1 = the same distribution, 0 = no overlap.",
    "TVComplement": "1 minus half the summed differences in the share of each value of a discrete column (each "
                    "player, each outcome): 1 = every value as frequent as in the real rows.",
    "CorrelationSimilarity": "1 minus half the gap between the real and synthetic Pearson correlation of a pair of "
                             "numeric columns: 1 = the same relation.",
    "ContingencySimilarity": "how alike the joint shares of isWinner and each binned match-state column are: "
                             "1 = the outcome depends on the match state as in the real rows.",
    "DCR": "distance to closest record: how far a synthetic row lies from the nearest real row, 0..1 per column; "
           "the baseline protection score is 1 when synthetic rows are as far from real rows as random rows are.",
    "detection": "a classifier learns to tell real rows from synthetic ones on some matches and is scored on "
                 "others: ROC AUC 0.5 = it cannot tell them apart, 1 = it tells every row apart.",
}
"""What each metric measures, in the words the Evaluate page and the HTML report put next to it."""
FLOOR_AHEAD = ("The floor keeps every column's distribution of the training rows exactly, so on a score of single "
               "columns it can come out ahead of unseen real matches, whose players and scores differ from the "
               "training matches'. Such a score has no position and does not count in the overall one: read it "
               "against the ceiling.")
STEPS = ("splitting the real matches", "scoring the synthetic set", "scoring the floor (independent columns)",
         "scoring the ceiling (unseen real matches)", "scoring the synthetic set against the unseen matches",
         "utility: training on synthetic, testing on real", "privacy: copies and distance to closest record")
OnStep = Callable[[str, float], None]
"""Told each step's name and the share of steps done, 0..1, before the step starts."""


def candidate_scores(parts: RealParts, rows: pd.DataFrame, real: pd.DataFrame, variant: str, seed: int = 0,
                     matches: np.ndarray | None = None) -> dict:
    """Every score of one set of rows against the real training rows, JSON-ready.

    Args:
        parts: the real rows; their training matches are the comparison basis.
        rows: the candidate rows (synthetic set or a reference).
        real: all real rows, whose players bound validity.
        variant: feature variant for coherence.
        seed: seeds every sample.
        matches: (len(rows),) match code of each candidate row when it is real, else None.

    Returns:
        The fidelity report's JSON plus "detection", "coherence", "validity_score" and "scores" (SCORE_LABELS
        key -> value).
    """
    report = fidelity(parts.training, rows, seed=seed).to_json()
    report["detection"] = detection_auc(parts.training, rows, parts.training_matches, matches, seed=seed)
    report["coherence"] = CricketCoherence.compute_breakdown(rows, variant).to_json()
    report["validity_score"] = CricketValidity.compute(real, rows)
    report["scores"] = {**report["averages"], "detection_auc": report["detection"]["auc"],
                        "coherence_share": report["coherence"]["share"]}
    return report


def workspace_provenance(real: DatasetInfo, synthetic: DatasetInfo, report: dict, seed: int = 0) -> dict:
    """Where a report's rows came from, for its page and its HTML file: the two stored datasets, the synthesizer
    run that made the set, the seed and the rows scored."""
    return {"real dataset": f"{real.name} ({real.id}, {real.source})", "feature variant": report["variant"],
            "synthetic set": f"{synthetic.name} ({synthetic.id}, {synthetic.source})",
            "synthesizer run": synthetic.extra.get("synthesizer", "unknown (uploaded)"), "seed": seed,
            "rows": report["rows"]}


def score_report(real: pd.DataFrame, synthetic: pd.DataFrame, with_privacy: bool = True, *, variant: str | None = None,
                 known_training: bool = True, redrawn_share: float | None = None, seed: int = 0,
                 on_step: OnStep | None = None) -> dict:
    """Every score of `synthetic` against the synthesizer's training matches, with the floor and ceiling.

    Args:
        real: validated real deliveries, all matches.
        synthetic: validated synthetic rows; with a matchId column, detection holds them out by match.
        with_privacy: also count copies and distances to the closest real row.
        variant: feature variant of `real` ("leakfree", "yorkr"); None guesses it from the real rows.
        known_training: False when the set's training matches are not recorded (an upload).
        redrawn_share: share of generated rows redrawn for breaking a rule, when the set records it.
        seed: seeds the floor's permutations and every sample.
        on_step: progress callback, told each of STEPS.

    Returns:
        The synthetic set's candidate_scores, plus "references" ({"independent", "unseen"}: each shaped like
        candidate_scores), "positions" (score -> position), "position" (overall), "against_unseen",
        "validity", "utility", "privacy", "basis", "sampling", "variant" and "identities".
    """
    step = _stepper(on_step)
    step()
    parts = real_parts(real, known=known_training)
    # Rows that say which match they come from (a sample of real matches) are held out by match in detection.
    matches = pd.factorize(synthetic[MATCH_ID])[0] if MATCH_ID in synthetic else None
    real, synthetic = real[MODEL_COLUMNS], synthetic[MODEL_COLUMNS]
    variant = variant or guess_variant(real)
    step()
    report = candidate_scores(parts, synthetic, real, variant, seed, matches)
    step()
    floor = independent_columns(parts.training, len(synthetic), seed)
    references = {INDEPENDENT: candidate_scores(parts, floor, real, variant, seed)}
    step()
    references[UNSEEN] = candidate_scores(parts, parts.unseen, real, variant, seed, parts.unseen_matches)
    step()
    report["against_unseen"] = fidelity(parts.unseen, synthetic, seed=seed).to_json()
    step()
    report["utility"] = utility(parts.training, synthetic, parts.test, seed=seed)
    step()
    report["privacy"] = privacy(real, synthetic, seed=seed).to_json() if with_privacy else None  # copies of any real row
    return _finish(report, references, parts.basis, variant, redrawn_share)


def _stepper(on_step: OnStep | None) -> Callable[[], None]:
    steps = iter(enumerate(STEPS))

    def step() -> None:
        index, name = next(steps)
        if on_step:
            on_step(name, index / len(STEPS))
    return step


def _finish(report: dict, references: dict, basis: str, variant: str, redrawn_share: float | None) -> dict:
    report["references"] = references
    floor, ceiling = (references[k]["scores"] for k in (INDEPENDENT, UNSEEN))
    ordered = {key for key in SCORE_LABELS if _ceiling_ahead(floor[key], ceiling[key], key in LOWER_IS_BETTER)}
    report["positions"] = {key: position(report["scores"][key], floor[key], ceiling[key]) if key in ordered
                           else float("nan") for key in SCORE_LABELS}
    report["position"] = overall_position(report["positions"])
    report["floor_ahead"] = [key for key in SCORE_LABELS if key not in ordered]
    report["validity"] = {"share": report["validity_score"],
                          "share_before_redraw": None if redrawn_share is None else 1 - redrawn_share}
    report.update(basis=basis, sampling=SAMPLING_NOTE, variant=variant, identities=IDENTITIES[variant],
                  published=PUBLISHED)
    return report


def _ceiling_ahead(floor: float, ceiling: float, lower_is_better: bool) -> bool:
    """True when the ceiling scores better than the floor (NaN on either side: False)."""
    return bool(ceiling < floor if lower_is_better else ceiling > floor)


def references_table(report: dict) -> pd.DataFrame:
    """One row per score: floor, synthetic, ceiling, position (0 = floor, 1 = ceiling) and published value."""
    floor, ceiling = (report["references"][k]["scores"] for k in (INDEPENDENT, UNSEEN))
    rows = [{"score": label, "floor": floor[key], "synthetic": report["scores"][key], "ceiling": ceiling[key],
             "position": report["positions"][key], "published": PUBLISHED.get(key, float("nan"))}
            for key, label in SCORE_LABELS.items()]
    rows.append({"score": "Overall position (median of the above)", "floor": 0.0, "synthetic": report["position"],
                 "ceiling": 1.0, "position": report["position"], "published": float("nan")})
    return pd.DataFrame(rows)


def memorisation_table(report: dict) -> pd.DataFrame:
    """The fidelity averages against the training matches and against the unseen matches, and their gap.

    A synthetic set much closer to its training matches than to unseen ones has memorised rather than learned.
    """
    seen, unseen = report["averages"], report["against_unseen"]["averages"]
    return pd.DataFrame([{"score": GROUP_LABELS[key], "vs training matches": seen[key],
                          "vs unseen matches": unseen[key], "gap": seen[key] - unseen[key]} for key in seen])


def scores_csv(report: dict) -> bytes:
    """Every per-column and per-pair score as CSV rows: group, metric, column(s), score."""
    rows = [("column shapes", "KSComplement", c, s) for c, s in report["ks"].items()]
    rows += [("column shapes", "TVComplement", c, s) for c, s in report["tv"].items()]
    rows += [("column pair trends", "CorrelationSimilarity", c, s) for c, s in report["correlation"].items()]
    rows += [("coverage", "CategoryCoverage", c, s) for c, s in report["coverage"].items()]
    rows += [("outcome vs match state", "ContingencySimilarity", c, s) for c, s in report["contingency"].items()]
    rows += [("average", name, "", s) for name, s in report["averages"].items()]
    rows += [("validity", "CricketValidity", "all", report["validity_score"])]
    rows += [("coherence", "CricketCoherence", "all", report["coherence"]["share"])]
    rows += [("detection", "ROC AUC", "all", report["detection"]["auc"])]
    rows += [("position", "overall", "", report["position"])]
    return files.csv_bytes(pd.DataFrame(rows, columns=["group", "metric", "columns", "score"]))


def _fidelity(report: dict) -> FidelityReport:
    return FidelityReport(report["ks"], report["tv"], report["correlation"], report["coverage"],
                          report.get("contingency", {}))


def headline(report: dict) -> pd.DataFrame:
    """The fidelity averages next to the published reference (rebuilt from a JSON report)."""
    return _fidelity(report).headline()


def per_column(report: dict) -> pd.DataFrame:
    """Every single-column score of a JSON report: column, metric, score."""
    return _fidelity(report).per_column()


def check_made_from(real_id: str, synthetic_extra: dict) -> None:
    """Refuse a stored synthetic set made from another real dataset, as an upload from other data is refused.

    Raises:
        ValueError: the set records a real dataset other than `real_id`.
    """
    made_from = synthetic_extra.get("real_dataset") or synthetic_extra.get("real_dataset_checked")
    if made_from and made_from != real_id:
        raise ValueError(
            f"This synthetic set was made from another dataset ({made_from}), so its players and matches do not "
            "line up with the chosen real dataset. Choose that dataset as the real one, or a set made from this one."
        )
