"""Ball-by-ball win probability of one match, as a trained model sees it.

A match's rows come from a stored dataset (a Cricsheet import or the simulated sample, which keep player names
and the feature variant), from a synthetic set of whole matches (named here from its real dataset's vocabulary,
its sides "Side A" and "Side B"), or from one uploaded Cricsheet match file, imported with the model's own variant
and vocabulary. Players the model does not know use the unknown index; the curve says how many deliveries that
touched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss

from lib.data import events as ev
from lib.data import workspace
from lib.data.cricsheet.importer import (
    BATTER_NAME,
    BATTING_TEAM,
    BOWLER_NAME,
    BOWLING_TEAM,
    DATE,
    OVER,
    PLAYER_OUT,
    WICKET_FELL,
    import_cricsheet,
)
from lib.data.schema import BATTER, BOWLER, INNINGS, MATCH_ID, UNKNOWN_PLAYER, WINNER
from lib.data.vocabulary import Vocabulary
from lib.data.workspace import DatasetInfo, NotFound
from lib.wp.scorecard import NO_BALL_FACED, SIDES, player_name, result_line

POWERPLAY_OVERS = (0, 6)
"""Overs 1-6, as Cricsheet's 0-based over numbers [start, end)."""
DEATH_OVERS = (15, 20)
"""Overs 16-20."""


@dataclass
class MatchCurve:
    """Win probability of both sides at every delivery of one match.

    Attributes:
        deliveries: one row per delivery with `delivery` (1-based across both innings), `innings`,
            `innings_delivery` (1-based within the innings), `over`, teams, player names, `wicket`,
            `playerOut`, `isWinner`, `wp` (batting side's probability, 0..1) and `team1_wp` (0..100).
        team1: the side batting first; team2 chases.
        winner: the side that won.
        unknown_deliveries: deliveries whose batter or bowler the model did not know.
    """

    deliveries: pd.DataFrame
    team1: str
    team2: str
    winner: str
    unknown_deliveries: int

    @property
    def innings_break(self) -> float:
        """x position between the last first-innings and first second-innings delivery."""
        return float((self.deliveries[INNINGS] == 1).sum()) + 0.5


def match_table(frame: pd.DataFrame, results: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per match of a stored dataset: id, date, team batting first, chasing side, winner, a label.

    Args:
        frame: the dataset's rows.
        results: lib.wp.scorecard.match_results of the frame, to add each match's scores and result to its label
            (a match missing from it is labelled without).
    """
    has_names = BATTING_TEAM in frame
    columns = [MATCH_ID, WINNER] + ([DATE, BATTING_TEAM, BOWLING_TEAM] if has_names else [])
    first = frame.loc[frame[INNINGS] == 1, columns].drop_duplicates(MATCH_ID).set_index(MATCH_ID)
    table = pd.DataFrame({MATCH_ID: first.index})
    table["team1"] = first[BATTING_TEAM].to_numpy() if has_names else SIDES[0]
    table["team2"] = first[BOWLING_TEAM].to_numpy() if has_names else SIDES[1]
    table["winner"] = np.where(first[WINNER].to_numpy() == 1, table["team1"], table["team2"])
    if has_names:
        table["date"] = first[DATE].to_numpy()
        table["label"] = table["date"] + " · " + table["team1"] + " v " + table["team2"]
    else:
        table["label"] = "match " + table[MATCH_ID].astype(str)
    if results is not None:
        found = results.drop_duplicates(MATCH_ID).set_index(MATCH_ID).reindex(table[MATCH_ID])
        table["label"] += [_result_text(result, (team1, team2)) for (_, result), team1, team2
                           in zip(found.iterrows(), table["team1"], table["team2"])]
    if has_names:
        table["label"] += " · match " + table[MATCH_ID].astype(str)  # two matches of a day between the same sides
    return table


def _result_text(result: pd.Series, sides: tuple[str, str]) -> str:
    """" · Side A 160/9, Side B 139/5 · Side A won by 21 runs" from a row of match_results; "" when the match has
    none (its rows could not be rebuilt)."""
    if pd.isna(result["first_runs"]):
        return ""
    return (f" · {sides[0]} {result['first_runs']:.0f}/{result['first_wickets']:.0f}, {sides[1]} "
            f"{result['chase_runs']:.0f}/{result['chase_wickets']:.0f} · {result_line(result, sides)}")


def match_rows(frame: pd.DataFrame, match_id) -> pd.DataFrame:
    rows = frame[frame[MATCH_ID] == match_id]
    if rows.empty:
        raise NotFound(f"No match {match_id!r} in this dataset.")
    return rows.reset_index(drop=True)


def synthetic_sets(features: str | None) -> tuple[list[DatasetInfo], list[str]]:
    """The workspace's synthetic sets of whole matches (matchId and innings columns) in the feature variant
    `features`, newest first, and a note for each kind of set left out and why."""
    whole, rows_only, other_variant = [], 0, 0
    for info in workspace.list_datasets("synthetic"):
        if not {MATCH_ID, INNINGS} <= set(workspace.dataset_columns(info.id)):
            rows_only += 1
        elif info.features != features:
            other_variant += 1
        else:
            whole.append(info)
    notes = []
    if rows_only:
        notes.append(f"{rows_only} synthetic set{'s' if rows_only > 1 else ''} of single rows (CTGAN) not offered: "
                     "their rows are independent deliveries, not whole matches, so there is no match to draw.")
    if other_variant:
        notes.append(f"{other_variant} synthetic set{'s' if other_variant > 1 else ''} of whole matches in another "
                     f"feature variant than the model's ({features or 'unknown'}) not offered.")
    return whole, notes


def synthetic_match_rows(frame: pd.DataFrame, match_id, vocabulary: Vocabulary | None,
                         features: str | None) -> pd.DataFrame:
    """One match of a synthetic set of whole matches, described as an import describes a real one: sides SIDES,
    player names from `vocabulary` (the real dataset's), over, wicket and the batter out (as far as rows tell:
    lib.data.events.dismissed), so that the curve, its charts and `for_model` read it as they read a real match.

    Raises:
        NotFound: no match `match_id` in the set.
        lib.data.events.NoMatches: its rows could not make a match (lib.data.events says why).
    """
    rows = match_rows(frame, match_id).sort_values(INNINGS, kind="stable").reset_index(drop=True)
    deliveries = ev.events_from_rows(rows, features, name=f"synthetic match {match_id}").deliveries
    first = rows[INNINGS].to_numpy() == 1
    out, fell = deliveries[ev.PLAYER_OUT].to_numpy(), deliveries[ev.WICKET].to_numpy()
    return rows.assign(**{
        DATE: "", BATTING_TEAM: np.where(first, SIDES[0], SIDES[1]), BOWLING_TEAM: np.where(first, SIDES[1], SIDES[0]),
        BATTER_NAME: [player_name(vocabulary, BATTER, i) for i in rows[BATTER]],
        BOWLER_NAME: [player_name(vocabulary, BOWLER, i) for i in rows[BOWLER]],
        OVER: deliveries[ev.OVER].to_numpy(), WICKET_FELL: deliveries[ev.WICKET].to_numpy(),
        PLAYER_OUT: [player_name(vocabulary, BATTER, i) if i != ev.UNKNOWN else NO_BALL_FACED if wicket else ""
                     for i, wicket in zip(out, fell)],
    })


def rows_from_file(source, name: str, features: str, vocabulary: Vocabulary | None) -> pd.DataFrame:
    """One uploaded Cricsheet match, imported with the model's feature variant and player vocabulary."""
    result = import_cricsheet(source, features=features, vocabulary=vocabulary, name=name)
    ids = result.deliveries[MATCH_ID].unique()
    if len(ids) != 1:
        raise ValueError(f"{name} holds {len(ids)} matches; upload one match file (a single .json).")
    return result.deliveries


def for_model(rows: pd.DataFrame, vocabulary: Vocabulary | None) -> pd.DataFrame:
    """The rows with player indices re-mapped through the model's vocabulary by name (unknown -> 0).

    Rows without player names, or a model without a vocabulary, keep their indices: they must then come
    from the data the model was trained on.
    """
    if vocabulary is None or BATTER_NAME not in rows:
        return rows
    return rows.assign(**{
        BATTER: rows[BATTER_NAME].map(vocabulary.batter_index).astype(np.int64),
        BOWLER: rows[BOWLER_NAME].map(vocabulary.bowler_index).astype(np.int64),
    })


def win_curve(rows: pd.DataFrame, model) -> MatchCurve:
    """Predict every delivery of one match.

    Args:
        rows: the match's deliveries, already mapped with `for_model`.
        model: a trained models.wp.model.WPModel.
    """
    rows = rows.reset_index(drop=True)
    wp = model.predict(rows)
    first = rows[INNINGS].to_numpy() == 1
    deliveries = rows.assign(
        delivery=np.arange(1, len(rows) + 1),
        innings_delivery=rows.groupby(INNINGS).cumcount() + 1,
        wp=wp,
        team1_wp=100 * np.where(first, wp, 1 - wp),
    )
    team1, team2 = _teams(rows)
    won_first = bool(rows.loc[first, WINNER].iloc[0]) if first.any() else False
    unknown = _unknown_mask(rows, model)
    return MatchCurve(deliveries, team1, team2, team1 if won_first else team2, int(unknown.sum()))


def _teams(rows: pd.DataFrame) -> tuple[str, str]:
    if BATTING_TEAM in rows:
        return str(rows[BATTING_TEAM].iloc[0]), str(rows[BOWLING_TEAM].iloc[0])
    return "Team batting first", "Team chasing"


def _unknown_mask(rows: pd.DataFrame, model) -> np.ndarray:
    batters = rows[BATTER].to_numpy()
    bowlers = rows[BOWLER].to_numpy()
    return (
        (batters == UNKNOWN_PLAYER) | ~np.isin(batters, model.seen_batters)
        | (bowlers == UNKNOWN_PLAYER) | ~np.isin(bowlers, model.seen_bowlers)
    )


def biggest_swings(curve: MatchCurve, count: int = 5) -> pd.DataFrame:
    """The deliveries after which team 1's win probability moved most (within an innings).

    Returns:
        Rows with innings, over.ball, batter, bowler, what happened, and the change in percentage points.
    """
    frame = curve.deliveries
    change = frame.groupby(INNINGS)["team1_wp"].diff()
    top = change.abs().nlargest(count).index
    rows = frame.loc[top]
    return pd.DataFrame({
        "innings": rows[INNINGS].to_numpy(),
        "over": rows[OVER].to_numpy() + 1,
        "delivery in innings": rows["innings_delivery"].to_numpy(),
        "batter": rows[BATTER_NAME].to_numpy(),
        "bowler": rows[BOWLER_NAME].to_numpy(),
        "wicket": rows[PLAYER_OUT].to_numpy(),
        f"{curve.team1} win % change": change.loc[top].round(1).to_numpy(),
    })


def brier_scores(curves: dict[str, MatchCurve]) -> dict[str, float]:
    """Per-delivery Brier score (scikit-learn) of each model's predictions on this match; lower is better."""
    return {
        name: float(brier_score_loss(curve.deliveries[WINNER], curve.deliveries["wp"]))
        for name, curve in curves.items()
    }


def overs_bands(curve: MatchCurve, within_innings: bool) -> pd.DataFrame:
    """x ranges of the powerplay and death overs of each innings, for shading.

    Args:
        within_innings: x is the delivery number within the innings (overlapping view) rather than across
            the match (side-by-side view).
    """
    frame = curve.deliveries
    x = "innings_delivery" if within_innings else "delivery"
    bands = []
    for innings, rows in frame.groupby(INNINGS):
        for label, (start, end) in (("powerplay", POWERPLAY_OVERS), ("death overs", DEATH_OVERS)):
            inside = rows[(rows[OVER] >= start) & (rows[OVER] < end)]
            if len(inside):
                bands.append({"innings": innings, "phase": label,
                              "start": inside[x].min() - 0.5, "end": inside[x].max() + 0.5})
    return pd.DataFrame(bands, columns=["innings", "phase", "start", "end"])


def curve_table(curve: MatchCurve) -> pd.DataFrame:
    """The curve as the command line writes it: delivery, innings, batting side, its win probability 0..1."""
    frame = curve.deliveries
    side = frame[BATTING_TEAM] if BATTING_TEAM in frame else np.where(frame[INNINGS] == 1, curve.team1, curve.team2)
    return pd.DataFrame({"delivery": frame["delivery"], "innings": frame[INNINGS], "batting_side": side,
                         "win_probability": frame["wp"].round(6)})

