"""The full evaluation of a synthetic set: every score with its two references, detection, cricket coherence,
validity, utility and privacy.

The Evaluate page and `python -m lib.cli score` both build it here, so both show the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.data import files
from lib.data.schema import MATCH_ID, MODEL_COLUMNS
from lib.data.workspace import DatasetInfo
from lib.quality.coherence import IDENTITIES, CoherenceResult, CricketCoherence, guess_variant
from lib.quality.detection import DETECTION_ROWS, DetectionResult, detection_auc
from lib.quality.fidelity import CORRELATION_ROWS, GROUP_LABELS, PUBLISHED, FidelityReport, fidelity
from lib.quality.matches import WholeMatchReport
from lib.quality.privacy import SAMPLE_ROWS, PrivacyReport, privacy
from lib.quality.references import (
    INDEPENDENT,
    UNSEEN,
    RealParts,
    independent_columns,
    overall_position,
    position,
    real_parts,
)
from lib.quality.utility import UTILITY_ROWS, UtilityResult, utility
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


@dataclass
class CandidateScores:
    """Every score of one set of rows (the synthetic set, the floor or the ceiling) against the real training rows.

    Attributes:
        fidelity: the sdmetrics scores of each column and pair, and their group averages.
        detection: how well a classifier tells the rows from the training rows.
        coherence: the share of rows that are possible deliveries, per identity too.
        validity: share of rows within the cricket bounds (CricketValidity), 0..1, higher is better.
    """

    fidelity: FidelityReport
    detection: DetectionResult
    coherence: CoherenceResult
    validity: float

    @property
    def scores(self) -> dict[str, float]:
        """SCORE_LABELS key -> value: the fidelity averages, the detection AUC and the coherence share."""
        return {**self.fidelity.averages, "detection_auc": self.detection.auc, "coherence_share": self.coherence.share}

    def to_json(self) -> dict:
        return {"fidelity": self.fidelity.to_json(), "detection": self.detection.to_json(),
                "coherence": self.coherence.to_json(), "validity": self.validity, "scores": self.scores}

    @classmethod
    def from_json(cls, data: dict) -> CandidateScores:
        """Read `to_json`'s layout, or the first layout (fidelity keys at the top, validity as "validity_score")."""
        if "fidelity" not in data:
            return cls(FidelityReport.from_json(data), DetectionResult(**data["detection"]),
                       CoherenceResult.from_json(data["coherence"]), data["validity_score"])
        return cls(FidelityReport.from_json(data["fidelity"]), DetectionResult(**data["detection"]),
                   CoherenceResult.from_json(data["coherence"]), data["validity"])


REPORT_FORMAT = 2
"""Layout of ScoreReport.to_json; files without a "format" key hold the first layout, which from_json still reads."""


@dataclass
class ScoreReport:
    """The evaluation of a synthetic set, read by field, in the spirit of sdmetrics' BaseReport: `get_score()` is the
    overall position, `get_details()` every score between its floor and ceiling.

    Attributes:
        synthetic: the synthetic set's scores against the synthesizer's training matches.
        floor: the same scores of the training rows with each column shuffled on its own (lib.quality.references).
        ceiling: the same scores of real matches the synthesizer never saw.
        against_unseen: the synthetic set's fidelity against those unseen matches (memorisation shows as a gap).
        utility: train on synthetic, test on real.
        privacy: copies and distance to closest record; None when not computed.
        validity_before_redraw: share of the raw generator output within the bounds, before rows breaking one were
            redrawn, 0..1; None when the set did not record it.
        variant: the feature variant whose identities coherence checks ("leakfree", "yorkr").
        basis: which real rows every score compares against, in words.
        provenance: where the rows came from, item -> text (datasets, synthesizer run, seed, rows scored).
    """

    synthetic: CandidateScores
    floor: CandidateScores
    ceiling: CandidateScores
    against_unseen: FidelityReport
    utility: UtilityResult
    privacy: PrivacyReport | None
    validity_before_redraw: float | None
    variant: str
    basis: str
    provenance: dict[str, str] = field(default_factory=dict)

    sampling = SAMPLING_NOTE
    published = PUBLISHED

    @property
    def identities(self) -> list[str]:
        """The identities a delivery obeys under this report's variant, in words."""
        return IDENTITIES[self.variant]

    @property
    def positions(self) -> dict[str, float]:
        """SCORE_LABELS key -> where the synthetic score sits between floor (0) and ceiling (1); NaN for a score
        whose ceiling does not beat its floor (see `without_position`)."""
        floor, ceiling, synthetic = self.floor.scores, self.ceiling.scores, self.synthetic.scores
        unordered = self.without_position()
        return {key: float("nan") if key in unordered else position(synthetic[key], floor[key], ceiling[key])
                for key in SCORE_LABELS}

    def without_position(self) -> list[str]:
        """SCORE_LABELS keys whose ceiling does not score better than their floor: they get no position (FLOOR_AHEAD
        says why) and do not count in the overall one."""
        floor, ceiling = self.floor.scores, self.ceiling.scores
        return [key for key in SCORE_LABELS if not _ceiling_ahead(floor[key], ceiling[key], key in LOWER_IS_BETTER)]

    def get_score(self) -> float:
        """The overall position: the median of the finite positions (0 = floor, 1 = ceiling; it may leave [0, 1])."""
        return overall_position(self.positions)

    def get_details(self) -> pd.DataFrame:
        """One row per score, then the overall position: "score" (SCORE_LABELS), "floor", "synthetic",
        "ceiling", "position" (0 = floor, 1 = ceiling, NaN without one) and "published" (the historical run)."""
        floor, ceiling, synthetic, positions = (self.floor.scores, self.ceiling.scores, self.synthetic.scores,
                                                self.positions)
        rows = [{"score": label, "floor": floor[key], "synthetic": synthetic[key], "ceiling": ceiling[key],
                 "position": positions[key], "published": PUBLISHED.get(key, float("nan"))}
                for key, label in SCORE_LABELS.items()]
        overall = self.get_score()
        rows.append({"score": "Overall position (median of the above)", "floor": 0.0, "synthetic": overall,
                     "ceiling": 1.0, "position": overall, "published": float("nan")})
        return pd.DataFrame(rows)

    def memorisation(self) -> pd.DataFrame:
        """The fidelity averages against the training matches and against the unseen matches, and their gap.

        A synthetic set much closer to its training matches than to unseen ones has memorised rather than learned.
        """
        seen, unseen = self.synthetic.fidelity.averages, self.against_unseen.averages
        return pd.DataFrame([{"score": GROUP_LABELS[key], "vs training matches": seen[key],
                              "vs unseen matches": unseen[key], "gap": seen[key] - unseen[key]} for key in seen])

    def per_column(self) -> pd.DataFrame:
        """Every single-column score of the synthetic set: column, metric, score."""
        return self.synthetic.fidelity.per_column()

    def scores_csv(self) -> bytes:
        """Every per-column and per-pair score as CSV rows: group, metric, column(s), score."""
        fidelity = self.synthetic.fidelity
        rows = [("column shapes", "KSComplement", c, s) for c, s in fidelity.ks.items()]
        rows += [("column shapes", "TVComplement", c, s) for c, s in fidelity.tv.items()]
        rows += [("column pair trends", "CorrelationSimilarity", c, s) for c, s in fidelity.correlation.items()]
        rows += [("coverage", "CategoryCoverage", c, s) for c, s in fidelity.coverage.items()]
        rows += [("outcome vs match state", "ContingencySimilarity", c, s) for c, s in fidelity.contingency.items()]
        rows += [("average", name, "", s) for name, s in fidelity.averages.items()]
        rows += [("validity", "CricketValidity", "all", self.synthetic.validity)]
        rows += [("coherence", "CricketCoherence", "all", self.synthetic.coherence.share)]
        rows += [("detection", "ROC AUC", "all", self.synthetic.detection.auc)]
        rows += [("position", "overall", "", self.get_score())]
        return files.csv_bytes(pd.DataFrame(rows, columns=["group", "metric", "columns", "score"]))

    def to_json(self, whole: WholeMatchReport | None = None) -> dict:
        """JSON-ready data: every field, the derived positions for readers of the file, and the whole-match figures
        under "whole_matches" when given (a set of whole matches)."""
        data = {"format": REPORT_FORMAT, "position": self.get_score(), "positions": self.positions,
                "without_position": self.without_position(), "synthetic": self.synthetic.to_json(),
                "floor": self.floor.to_json(), "ceiling": self.ceiling.to_json(),
                "against_unseen": self.against_unseen.to_json(), "utility": self.utility.to_json(),
                "privacy": None if self.privacy is None else self.privacy.to_json(),
                "validity_before_redraw": self.validity_before_redraw, "variant": self.variant, "basis": self.basis,
                "sampling": self.sampling, "identities": self.identities, "provenance": self.provenance}
        return data if whole is None else {**data, "whole_matches": whole.to_json()}

    @classmethod
    def from_json(cls, data: dict) -> ScoreReport:
        """The report `to_json` wrote, or one in the first layout (the synthetic set's scores at the top level,
        the references under "references", validity under "validity"); derived values are recomputed."""
        if data.get("format") == REPORT_FORMAT:
            synthetic, floor, ceiling = (CandidateScores.from_json(data[key]) for key in ("synthetic", "floor",
                                                                                          "ceiling"))
            before = data["validity_before_redraw"]
        else:
            synthetic = CandidateScores.from_json(data)
            floor, ceiling = (CandidateScores.from_json(data["references"][key]) for key in (INDEPENDENT, UNSEEN))
            before = data["validity"]["share_before_redraw"]
        privacy = None if data.get("privacy") is None else PrivacyReport.from_json(data["privacy"])
        return cls(synthetic, floor, ceiling, FidelityReport.from_json(data["against_unseen"]),
                   UtilityResult(**data["utility"]), privacy, before, data["variant"], data["basis"],
                   {item: _text(value) for item, value in data.get("provenance", {}).items()})


def _text(value) -> str:
    """A provenance value of a first-layout file as text: its rows were a dict ({"real": 3334, "synthetic": 400})."""
    if isinstance(value, dict):
        return " · ".join(f"{name} {count:,}" if isinstance(count, int) else f"{name} {count}"
                          for name, count in value.items())
    return str(value)


def candidate_scores(parts: RealParts, rows: pd.DataFrame, real: pd.DataFrame, variant: str, seed: int = 0,
                     matches: np.ndarray | None = None) -> CandidateScores:
    """Every score of one set of rows against the real training rows.

    Args:
        parts: the real rows; their training matches are the comparison basis.
        rows: the candidate rows (synthetic set or a reference).
        real: all real rows, whose players bound validity.
        variant: feature variant for coherence.
        seed: seeds every sample.
        matches: (len(rows),) match code of each candidate row when it is real, else None.
    """
    return CandidateScores(
        fidelity=fidelity(parts.training, rows, seed=seed),
        detection=detection_auc(parts.training, rows, parts.training_matches, matches, seed=seed),
        coherence=CricketCoherence.compute_breakdown(rows, variant),
        validity=CricketValidity.compute(real, rows))


def rows_scored(report: ScoreReport) -> str:
    """The rows a report scored, in words: "170,865 real training rows · 30,000 synthetic rows"."""
    rows = report.synthetic.fidelity.rows
    return f"{rows.get('real', 0):,} real training rows · {rows.get('synthetic', 0):,} synthetic rows"


def workspace_provenance(real: DatasetInfo, synthetic: DatasetInfo, report: ScoreReport, seed: int = 0) -> dict:
    """Where a report's rows came from, for its page and its HTML file, item -> text: the two stored datasets, the
    synthesizer run that made the set, the seed and the rows scored."""
    return {"real dataset": f"{real.name} ({real.id}, {real.source})", "feature variant": report.variant,
            "synthetic set": f"{synthetic.name} ({synthetic.id}, {synthetic.source})",
            "synthesizer run": synthetic.extra.get("synthesizer_id", "unknown (uploaded)"), "seed": str(seed),
            "rows scored": rows_scored(report)}


def score_report(real: pd.DataFrame, synthetic: pd.DataFrame, with_privacy: bool = True, *, variant: str | None = None,
                 known_training: bool = True, redrawn_share: float | None = None, seed: int = 0,
                 on_step: OnStep | None = None) -> ScoreReport:
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
        The ScoreReport, without provenance (the caller knows where the rows came from).
    """
    step = _stepper(on_step)
    step()
    parts = real_parts(real, known=known_training)
    # Rows that say which match they come from (a sample of real matches) are held out by match in detection.
    matches = pd.factorize(synthetic[MATCH_ID])[0] if MATCH_ID in synthetic else None
    real, synthetic = real[MODEL_COLUMNS], synthetic[MODEL_COLUMNS]
    variant = variant or guess_variant(real)
    step()
    scores = candidate_scores(parts, synthetic, real, variant, seed, matches)
    step()
    floor = candidate_scores(parts, independent_columns(parts.training, len(synthetic), seed), real, variant, seed)
    step()
    ceiling = candidate_scores(parts, parts.unseen, real, variant, seed, parts.unseen_matches)
    step()
    against_unseen = fidelity(parts.unseen, synthetic, seed=seed)
    step()
    utility_result = utility(parts.training, synthetic, parts.test, seed=seed)
    step()
    privacy_result = privacy(real, synthetic, seed=seed) if with_privacy else None  # copies of any real row
    return ScoreReport(scores, floor, ceiling, against_unseen, utility_result, privacy_result,
                       None if redrawn_share is None else 1 - redrawn_share, variant, parts.basis)


def _stepper(on_step: OnStep | None) -> Callable[[], None]:
    steps = iter(enumerate(STEPS))

    def step() -> None:
        index, name = next(steps)
        if on_step:
            on_step(name, index / len(STEPS))
    return step


def _ceiling_ahead(floor: float, ceiling: float, lower_is_better: bool) -> bool:
    """True when the ceiling scores better than the floor (NaN on either side: False)."""
    return bool(ceiling < floor if lower_is_better else ceiling > floor)


def check_made_from(real_id: str, synthetic_extra: dict) -> None:
    """Refuse a stored synthetic set made from another real dataset, as an upload from other data is refused.

    Raises:
        ValueError: the set records a real dataset other than `real_id`.
    """
    made_from = synthetic_extra.get("real_id")
    if made_from and made_from != real_id:
        raise ValueError(
            f"This synthetic set was made from another dataset ({made_from}), so its players and matches do not "
            "line up with the chosen real dataset. Choose that dataset as the real one, or a set made from this one."
        )
