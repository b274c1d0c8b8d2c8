"""Whole-match realism: do synthetic matches score, lose wickets and end as real matches do?

Every figure is computed the same way for any set of rows with `matchId` and `innings` (real training matches,
synthetic matches, unseen real matches): the rows are turned back into delivery events (lib.data.events), so a
figure never depends on where the rows came from.

Figures (per innings unless said): first- and second-innings totals, wickets, deliveries, the share of chases won,
runs in each over, and per phase (overs 1-6, 7-15, 16-20) the share of deliveries that are dots, 4s, 6s and
wickets. `whole_match_report` computes them for the three sets of an evaluation and scores the synthetic set and
the unseen real matches (the ceiling) against the training matches with sdmetrics' KSComplement and its sequence
metrics (see SCORES).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sdmetrics.column_pairs import InterRowMSAS, StatisticMSAS
from sdmetrics.single_column import KSComplement, SequenceLengthSimilarity

from lib.data.events import MatchEvents, events_from_rows
from lib.data.schema import INNINGS, MATCH_ID
from lib.data.splits import STANDARD_SPLIT, SplitSpec, make_split

PHASES = {"powerplay": (0, 6), "middle": (6, 15), "death": (15, 20)}
"""Phase -> [first over, last over + 1), 0-based overs."""
SHARES = ("dot", "4", "6", "wicket")
BAND = (0.25, 0.75)
"""Quantiles of the runs made in an over drawn around each set's mean: the interquartile range."""

TRAINING, SYNTHETIC, UNSEEN = "training", "synthetic", "unseen"
SET_LABELS = {TRAINING: "training matches (real)", SYNTHETIC: "synthetic matches",
              UNSEEN: "unseen matches (real, ceiling)"}
"""The three sets of a whole-match report, in table and legend order, and their names on tables and charts."""


@dataclass
class MatchFigures:
    """The whole-match figures of one set of M matches.

    Attributes:
        first_totals, second_totals: (M,) runs made in each innings.
        wickets, deliveries: (2M,) per innings, each match's first innings then its second.
        chases_won: share of matches the side batting second won, 0..1.
        phase_shares: (phase, event) -> share of the phase's deliveries, 0..1.
        runs_by_over: one row per innings (1, 2) and 0-based over: "mean" runs made in that over among the innings
            that reached it, "low" and "high" (the BAND quantiles), "reached" (how many innings reached it).
        sequences: one row per delivery: "match" (0..M-1), "innings" (0..2M-1, the sequence key), "runs" (runs of
            the delivery, extras included) and "score" (the running score of its innings).
    """

    first_totals: np.ndarray
    second_totals: np.ndarray
    wickets: np.ndarray
    deliveries: np.ndarray
    chases_won: float
    phase_shares: dict
    runs_by_over: pd.DataFrame
    sequences: pd.DataFrame

    @property
    def matches(self) -> int:
        return len(self.first_totals)


def match_figures(rows: pd.DataFrame, features: str | None = None) -> MatchFigures:
    """The whole-match figures of rows with matchId and innings (validated t20 rows).

    Args:
        rows: one row per delivery, in order within each innings.
        features: the rows' feature variant; None lets lib.data.events find it.

    Raises:
        lib.data.events.NoMatches: not one match could be rebuilt from the rows.
    """
    return figures_of(events_from_rows(rows, features))


def figures_of(events: MatchEvents) -> MatchFigures:
    """The whole-match figures of matches as events (every match has exactly two innings, as events hold them)."""
    deliveries = events.deliveries
    total, wicket = deliveries["total"].to_numpy(), deliveries["wicket"].to_numpy()
    legal, over = deliveries["legal"].to_numpy(bool), deliveries["over"].to_numpy()
    match = pd.factorize(deliveries[MATCH_ID])[0]
    key = 2 * match + deliveries[INNINGS].to_numpy() - 1
    innings_count = 2 * (int(match.max()) + 1)
    runs = np.bincount(key, weights=total, minlength=innings_count)
    event = {"dot": legal & (total == 0) & (wicket == 0), "4": total == 4, "6": total == 6, "wicket": wicket > 0}
    shares = {}
    for phase, (start, stop) in PHASES.items():
        inside = (over >= start) & (over < stop)
        for name in SHARES:
            shares[(phase, name)] = float(event[name][inside].mean()) if inside.any() else float("nan")
    sequences = pd.DataFrame({"match": match, "innings": key, "runs": total})
    sequences["score"] = sequences.groupby("innings", sort=False)["runs"].cumsum()
    return MatchFigures(runs[0::2], runs[1::2], np.bincount(key, weights=wicket, minlength=innings_count),
                        np.bincount(key, minlength=innings_count).astype(float),
                        1.0 - float(events.matches["firstWon"].to_numpy(float).mean()), shares,
                        _runs_by_over(key, over, total), sequences)


def _runs_by_over(key: np.ndarray, over: np.ndarray, total: np.ndarray) -> pd.DataFrame:
    per_over = pd.DataFrame({"key": key, "over": over, "runs": total}).groupby(["key", "over"], sort=False)["runs"]
    per_over = per_over.sum().reset_index()
    per_over[INNINGS] = per_over["key"] % 2 + 1
    grouped = per_over.groupby([INNINGS, "over"])["runs"]
    table = grouped.agg(mean="mean", reached="size")
    table["low"], table["high"] = grouped.quantile(BAND[0]), grouped.quantile(BAND[1])
    return table.reset_index()


FIGURES = {
    "matches": lambda f: float(f.matches),
    "first-innings total, mean (runs)": lambda f: float(f.first_totals.mean()),
    "first-innings total, SD (runs)": lambda f: float(f.first_totals.std()),
    "second-innings total, mean (runs)": lambda f: float(f.second_totals.mean()),
    "second-innings total, SD (runs)": lambda f: float(f.second_totals.std()),
    "wickets per innings, mean": lambda f: float(f.wickets.mean()),
    "deliveries per innings, mean": lambda f: float(f.deliveries.mean()),
    "share of chases won": lambda f: f.chases_won,
}
"""Figure of one set -> how to read it from its MatchFigures."""

GOALS = {
    "first-innings total, mean (runs)": ("runs", 3.0),
    "first-innings total, SD (runs)": ("relative", 0.10),
    "first-innings total, KS complement": ("at least", 0.90),
    "wickets per innings, mean": ("runs", 0.25),
    "deliveries per innings, mean": ("runs", 2.0),
    "share of chases won": ("runs", 0.04),
}
"""Figure -> (how the goal reads, tolerance): "runs" within an absolute tolerance of the training value, "relative"
within a share of it, "at least" a score of at least this much."""
PHASE_TOLERANCE = 0.01


def realism_table(training: MatchFigures, candidates: dict[str, MatchFigures]) -> pd.DataFrame:
    """One row per figure: the training matches' value, each candidate's value, and whether each meets its goal.

    Args:
        training: figures of the real matches the synthesizer learned from.
        candidates: name -> figures, e.g. {"synthetic": ..., "unseen real matches": ...}.

    Returns:
        Columns "figure", "goal", "training", then per candidate its value and "<name> meets goal".
    """
    rows = []
    for figure, (kind, tolerance) in {**GOALS, **_phase_goals()}.items():
        row = {"figure": figure, "goal": _goal_text(kind, tolerance), "training": _value(training, training, figure)}
        for name, figures in candidates.items():
            value = _value(training, figures, figure)
            row[name] = value
            row[f"{name} meets goal"] = _meets(kind, tolerance, value, row["training"])
        rows.append(row)
    return pd.DataFrame(rows)


def _phase_goals() -> dict:
    return {f"{name} share, {phase}": ("runs", PHASE_TOLERANCE) for phase in PHASES for name in SHARES}


def _value(training: MatchFigures, figures: MatchFigures, figure: str) -> float:
    if figure in FIGURES:
        return FIGURES[figure](figures)
    if figure == "first-innings total, KS complement":
        return float(KSComplement.compute(real_data=pd.Series(training.first_totals),
                                          synthetic_data=pd.Series(figures.first_totals)))
    name, phase = figure.split(" share, ")
    return figures.phase_shares[(phase, name)]


def _goal_text(kind: str, tolerance: float) -> str:
    if kind == "relative":
        return f"within {tolerance:.0%}"
    if kind == "at least":
        return f">= {tolerance}"
    return f"within {tolerance:g}" if tolerance >= 0.02 else f"within {tolerance * 100:g} pp"


def _meets(kind: str, tolerance: float, value: float, reference: float) -> bool:
    if kind == "relative":
        return abs(value - reference) <= tolerance * abs(reference)
    if kind == "at least":
        return value >= tolerance
    return abs(value - reference) <= tolerance


STRETCH = 6
"""Deliveries between the two running scores InterRowMSAS subtracts: about an over."""
SEQUENCE_MATCHES = 500
"""Most matches of each set InterRowMSAS reads, a seeded sample: it splits every innings in Python and runs a KS
test on every rise, some 0.8 s for the IPL zip's 770 training matches on a busy 2-core machine (about half of the
whole-match section), and 500 matches still hold some 100,000 rises over six deliveries."""
SCORES = {
    "first_totals": ("first-innings totals", "KSComplement",
                     "1 minus the largest gap between the cumulative distributions of first-innings totals."),
    "second_totals": ("second-innings totals", "KSComplement",
                      "the same for second-innings totals (a chase stops at its target)."),
    "innings_length": ("deliveries per innings", "SequenceLengthSimilarity",
                       ("KS complement of the deliveries in each innings (its sequence length): do innings "
                        "last as long?")),
    "innings_run_rate": ("runs per delivery of each innings", "StatisticMSAS",
                         ("KS complement of each innings' mean runs per delivery (statistic 'mean'): are "
                          "innings as fast and as slow?")),
    "six_ball_runs": (f"runs in {STRETCH} consecutive deliveries", "InterRowMSAS",
                      (f"KS complement of the running score's rise over {STRETCH} deliveries within an innings "
                       f"(n_rows_diff={STRETCH}): do runs come in bursts and lulls as often?")),
}
"""Score key -> (what is compared, sdmetrics metric, what it measures in one line). Each is 0..1, higher is
better: 1 = the set's distribution is the training matches'."""


def similarity_scores(training: MatchFigures, candidate: MatchFigures, seed: int = 0) -> dict[str, float]:
    """Every SCORES score of `candidate` against `training`, each 0..1 (1 = the same distribution)."""
    real, synthetic = training.sequences, candidate.sequences
    real_sample, synthetic_sample = _sample(real, seed), _sample(synthetic, seed)
    with warnings.catch_warnings():
        # innings shorter than STRETCH deliveries (an early chase) have no rise to compare: sdmetrics says so
        warnings.filterwarnings("ignore", message=".*n_rows_diff.*")
        rise = InterRowMSAS.compute(real_sample, synthetic_sample, n_rows_diff=STRETCH)
    return {
        "first_totals": KSComplement.compute(pd.Series(training.first_totals), pd.Series(candidate.first_totals)),
        "second_totals": KSComplement.compute(pd.Series(training.second_totals),
                                              pd.Series(candidate.second_totals)),
        "innings_length": SequenceLengthSimilarity.compute(real["innings"], synthetic["innings"]),
        "innings_run_rate": StatisticMSAS.compute((real["innings"], real["runs"]),
                                                  (synthetic["innings"], synthetic["runs"]), statistic="mean"),
        "six_ball_runs": rise,
    }


def _sample(sequences: pd.DataFrame, seed: int) -> tuple[pd.Series, pd.Series]:
    """(innings key, running score) of at most SEQUENCE_MATCHES matches, drawn with `seed`."""
    matches = int(sequences["match"].max()) + 1
    if matches > SEQUENCE_MATCHES:
        keep = np.random.default_rng(seed).choice(matches, SEQUENCE_MATCHES, replace=False)
        sequences = sequences[np.isin(sequences["match"].to_numpy(), keep)]
    sequences = sequences.reset_index(drop=True)
    return sequences["innings"], sequences["score"].astype(float)


@dataclass
class WholeMatchReport:
    """The whole-match figures of an evaluation's three sets and the similarity of two of them to the training
    matches.

    Attributes:
        figures: TRAINING, SYNTHETIC, UNSEEN -> that set's MatchFigures.
        scores: SYNTHETIC, UNSEEN -> SCORES key -> score against the training matches, 0..1, higher is better.
        notes: what the figures leave out or sample, in words.
    """

    figures: dict[str, MatchFigures]
    scores: dict[str, dict[str, float]]
    notes: list[str]

    def get_score(self) -> float:
        """The synthetic set's mean SCORES score, 0..1 (1 = every distribution the training matches')."""
        return _mean(self.scores[SYNTHETIC])

    def ceiling_score(self) -> float:
        """The unseen real matches' mean SCORES score, 0..1: what new real matches get, the most to expect."""
        return _mean(self.scores[UNSEEN])

    def table(self, figures: list[str] | None = None) -> pd.DataFrame:
        """One row per figure (all of FIGURES, or these): "figure", then one column per set (SET_LABELS)."""
        return pd.DataFrame([{"figure": name, **{SET_LABELS[s]: FIGURES[name](f) for s, f in self.figures.items()}}
                             for name in figures or FIGURES])

    def get_details(self) -> pd.DataFrame:
        """Every score in detail, as sdmetrics reports give them: one row per SCORES score and a last row with
        their mean; "score", "metric", then the synthetic set's and the ceiling's (unseen real matches') score
        against the training matches."""
        rows = [{"score": what, "metric": metric, **{SET_LABELS[s]: self.scores[s][key] for s in self.scores}}
                for key, (what, metric, _) in SCORES.items()]
        rows.append({"score": "mean of the above", "metric": "",
                     **{SET_LABELS[s]: _mean(scores) for s, scores in self.scores.items()}})
        return pd.DataFrame(rows)

    def phase_table(self) -> pd.DataFrame:
        """One row per phase and event ("dot", "4", "6", "wicket"): the share of the phase's deliveries per set."""
        return pd.DataFrame([{"phase": phase, "event": name,
                              **{SET_LABELS[s]: f.phase_shares[(phase, name)] for s, f in self.figures.items()}}
                             for phase in PHASES for name in SHARES])

    def totals(self) -> pd.DataFrame:
        """Chart data, one row per innings: "set" (label), "innings" (1, 2) and "runs" (the innings' total)."""
        return pd.concat([pd.DataFrame({"set": SET_LABELS[s], INNINGS: innings, "runs": runs})
                          for s, f in self.figures.items()
                          for innings, runs in ((1, f.first_totals), (2, f.second_totals))], ignore_index=True)

    def wickets(self) -> pd.DataFrame:
        """Chart data, one row per innings: "set" (label) and "wickets" (wickets the innings lost, 0..10)."""
        return pd.concat([pd.DataFrame({"set": SET_LABELS[s], "wickets": f.wickets})
                          for s, f in self.figures.items()], ignore_index=True)

    def runs_by_over(self) -> pd.DataFrame:
        """Chart data: MatchFigures.runs_by_over of every set with its "set" label and the over 1-based."""
        return pd.concat([f.runs_by_over.assign(set=SET_LABELS[s], over=f.runs_by_over["over"] + 1)
                          for s, f in self.figures.items()], ignore_index=True)

    def phase_shares(self) -> pd.DataFrame:
        """Chart data: phase_table in long form, "phase", "event", "set" (label), "share" (0..1)."""
        return self.phase_table().melt(id_vars=["phase", "event"], var_name="set", value_name="share")

    def to_json(self) -> dict:
        """The figures per set and the scores, JSON-ready: {"sets": {set: {"label", "matches", "figures",
        "phase_shares", "runs_by_over"}}, "scores", "score", "ceiling_score", "score_labels", "notes"}."""
        sets = {s: {"label": SET_LABELS[s], "matches": f.matches,
                    "figures": {name: read(f) for name, read in FIGURES.items() if name != "matches"},
                    "phase_shares": {phase: {name: f.phase_shares[(phase, name)] for name in SHARES}
                                     for phase in PHASES},
                    "runs_by_over": f.runs_by_over.assign(over=f.runs_by_over["over"] + 1).to_dict("records")}
                for s, f in self.figures.items()}
        return {"sets": sets, "scores": self.scores, "score": self.get_score(), "ceiling_score": self.ceiling_score(),
                "score_labels": {key: f"{what} ({metric})" for key, (what, metric, _) in SCORES.items()},
                "notes": self.notes}


def _mean(scores: dict[str, float]) -> float:
    values = [v for v in scores.values() if np.isfinite(v)]
    return float(np.mean(values)) if values else float("nan")


def has_whole_matches(rows: pd.DataFrame) -> bool:
    """True when rows say which match and which innings each delivery belongs to (the matches engine's output, a
    Cricsheet import); a row-only set (CTGAN's) does not."""
    return MATCH_ID in rows and INNINGS in rows


def whole_match_report(real: pd.DataFrame, synthetic: pd.DataFrame, features: str | None = None, *,
                       spec: SplitSpec = STANDARD_SPLIT, seed: int = 0) -> WholeMatchReport:
    """The whole-match figures of the real training matches, the synthetic set and the unseen real matches.

    Args:
        real: validated real deliveries, all matches, in order (matchId and innings when present, else inferred).
        synthetic: validated synthetic rows with matchId and innings, in order within each innings.
        features: the rows' feature variant; None lets lib.data.events find it for each set.
        spec: the split the synthesizer was trained under (lib.quality.references splits the same way).
        seed: seeds the sample of matches InterRowMSAS reads.

    Returns:
        The WholeMatchReport.

    Raises:
        ValueError: the synthetic rows have no matchId or innings column.
        lib.data.events.NoMatches: not one whole match could be rebuilt from a set.
    """
    if not has_whole_matches(synthetic):
        raise ValueError(f"The whole-match figures need whole matches: the synthetic rows have no {MATCH_ID} and "
                         f"{INNINGS} columns. Make the set with the matches engine, or upload one with both columns.")
    split = make_split(real, spec)
    unseen = np.sort(np.concatenate([split.validation, split.test]))
    figures = {TRAINING: figures_of(events_from_rows(real.iloc[split.train], features, name="the training matches")),
               SYNTHETIC: figures_of(events_from_rows(synthetic, features, name="the synthetic set")),
               UNSEEN: figures_of(events_from_rows(real.iloc[unseen], features, name="the unseen matches"))}
    scores = {s: similarity_scores(figures[TRAINING], figures[s], seed) for s in (SYNTHETIC, UNSEEN)}
    return WholeMatchReport(figures, scores, _notes(synthetic, figures))


def _notes(synthetic: pd.DataFrame, figures: dict[str, MatchFigures]) -> list[str]:
    notes = []
    made = synthetic[MATCH_ID].nunique()
    if made > figures[SYNTHETIC].matches:
        notes.append(f"{made - figures[SYNTHETIC].matches:,} of the {made:,} synthetic matches are left out: they do "
                     "not make two innings whose runs and wickets only go up.")
    if max(f.matches for f in figures.values()) > SEQUENCE_MATCHES:
        notes.append(f"InterRowMSAS reads a seeded sample of {SEQUENCE_MATCHES:,} matches of each larger set; every "
                     "other figure uses every match.")
    return notes
