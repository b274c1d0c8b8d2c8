"""Ball-by-ball win probability of one match, as a trained model sees it.

A match's rows come either from a stored dataset (a Cricsheet import or the simulated sample, which keep
player names and the feature variant) or from one uploaded Cricsheet match file, imported with the model's
own variant and vocabulary. Players the model does not know use the unknown index; the curve says how many
deliveries that touched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss

from lib.data.cricsheet.importer import (
    BATTER_NAME,
    BATTING_TEAM,
    BOWLER_NAME,
    BOWLING_TEAM,
    DATE,
    OVER,
    PLAYER_OUT,
    import_cricsheet,
)
from lib.data.schema import BATTER, BOWLER, INNINGS, MATCH_ID, UNKNOWN_PLAYER, WINNER
from lib.data.vocabulary import Vocabulary
from lib.data.workspace import NotFound

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


def match_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per match of a stored dataset: id, date, team batting first, chasing side, winner, a label."""
    has_names = BATTING_TEAM in frame
    columns = [MATCH_ID, WINNER] + ([DATE, BATTING_TEAM, BOWLING_TEAM] if has_names else [])
    first = frame.loc[frame[INNINGS] == 1, columns].drop_duplicates(MATCH_ID).set_index(MATCH_ID)
    table = pd.DataFrame({MATCH_ID: first.index})
    if has_names:
        table["date"] = first[DATE].to_numpy()
        table["team1"] = first[BATTING_TEAM].to_numpy()
        table["team2"] = first[BOWLING_TEAM].to_numpy()
        table["winner"] = np.where(first[WINNER].to_numpy() == 1, table["team1"], table["team2"])
        table["label"] = table["date"] + " · " + table["team1"] + " v " + table["team2"] + " (" + \
            table[MATCH_ID].astype(str) + ")"
    else:
        table["label"] = "match " + table[MATCH_ID].astype(str)
    return table


def match_rows(frame: pd.DataFrame, match_id) -> pd.DataFrame:
    rows = frame[frame[MATCH_ID] == match_id]
    if rows.empty:
        raise NotFound(f"No match {match_id!r} in this dataset.")
    return rows.reset_index(drop=True)


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

