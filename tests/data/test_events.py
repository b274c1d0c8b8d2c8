"""Match events: what an import keeps, what t20 rows give back, and how they are stored, on matches worked on paper."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.data import workspace
from lib.data.cricsheet.features import state_columns
from lib.data.cricsheet.importer import import_matches
from lib.data.events import (
    BATTER_INDEX,
    BATTER_RUNS,
    BATTING_FIRST,
    BATTING_SECOND,
    BOWLER_INDEX,
    BYES,
    CHASE_BALLS,
    DATE,
    DELIVERY_COLUMNS,
    FIRST_BALLS,
    FIRST_WON,
    LEGAL,
    LEGBYES,
    LINEUP_COLUMNS,
    MATCH_COLUMNS,
    NAME,
    NO_MATCHES,
    NO_MATCHES_HELP,
    NOBALLS,
    NON_STRIKER,
    NOTE_PLAYER_OUT,
    NOTE_YORKR_LEGAL,
    OVER,
    PENALTY,
    PLAYER_OUT,
    POSITION,
    TARGET,
    TEAM,
    TOTAL,
    UNKNOWN,
    WICKET,
    WIDES,
    MatchEvents,
    NoMatches,
    delivery_facts,
    dismissed,
    events_for,
    events_from_rows,
)
from lib.data.schema import INNINGS, MATCH_ID, MODEL_COLUMNS
from lib.data.simulate.league import build_sample
from lib.data.validation import validate
from tests.cricsheet_fixtures import ball, dl_match, paper_match, partner_match, with_changes

ROW_FIELDS = [MATCH_ID, INNINGS, OVER, BATTER_INDEX, BOWLER_INDEX, TOTAL, WICKET, LEGAL]
"""What t20 rows can tell of a delivery (legal only in leakfree rows)."""


def _fixtures(features: str = "leakfree"):
    return import_matches([("5.json", partner_match()), ("1.json", paper_match()), ("2.json", dl_match())],
                          features=features)


@pytest.fixture(scope="module")
def leagues():
    """Feature variant -> a 20-match simulated league imported with it."""
    return {features: build_sample(matches=20, seed=3, features=features) for features in ("leakfree", "yorkr")}


def _rows(result) -> pd.DataFrame:
    return validate(result.deliveries, "the import", keep_extra=True, features=result.features)


def _crows(events: MatchEvents) -> pd.DataFrame:
    deliveries = events.deliveries
    return deliveries[(deliveries[MATCH_ID] == 5) & (deliveries[INNINGS] == 1)]


def test_import_keeps_non_striker_extras_and_who_was_out():
    # Setup: partner_match's Crows innings, indices from its docstring (C Fourth 1, Opener 2, Second 3, Third 4).

    # Run
    events = import_matches([("5.json", partner_match())]).events
    crows = _crows(events)

    # Assert
    assert list(events.deliveries.columns) == DELIVERY_COLUMNS and events.source == "cricsheet"
    assert events.notes == []
    assert crows[BATTER_INDEX].tolist() == [2, 3, 3, 3, 2, 2, 2, 2, 4, 4, 1, 1, 2, 2]
    assert crows[NON_STRIKER].tolist() == [3, 2, 2, 2, 3, 4, 4, 4, 2, 2, 2, 2, 1, 1]
    assert crows[BOWLER_INDEX].tolist() == [2] * 8 + [3] * 6
    assert crows[OVER].tolist() == [0] * 8 + [1] * 6
    assert crows[BATTER_RUNS].tolist() == [1, 0, 0, 0, 0, 2, 1, 0, 0, 0, 4, 1, 0, 6]
    assert crows[TOTAL].tolist() == [1, 1, 4, 1, 0, 2, 2, 0, 5, 0, 4, 1, 0, 6]
    extras = {kind: np.flatnonzero(crows[kind].to_numpy()).tolist()
              for kind in [WIDES, NOBALLS, BYES, LEGBYES, PENALTY]}
    assert extras == {WIDES: [1], NOBALLS: [6], BYES: [2], LEGBYES: [3], PENALTY: [8]}
    assert crows[[BYES, PENALTY]].to_numpy().max(axis=0).tolist() == [4, 5]
    assert crows[LEGAL].tolist() == [True, False] + [True] * 4 + [False] + [True] * 7
    assert crows[WICKET].tolist() == [0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0]
    assert crows[PLAYER_OUT].tolist()[4] == 3  # C Second, run out at the non-striker's end
    assert crows[PLAYER_OUT].tolist()[9] == 4 and (crows[PLAYER_OUT].drop([4, 9]) == -1).all()


def test_lineups_bat_in_order_of_appearance_then_the_rest_of_the_xi():
    # Setup: Crows batted Opener, Second (non-striker on ball 1), Third, Fourth; Keeper and Bowler did not bat.

    # Run
    events = import_matches([("5.json", partner_match())]).events

    # Assert
    lineups = events.lineups
    assert list(lineups.columns) == LINEUP_COLUMNS
    crows, doves = lineups[lineups[INNINGS] == 1], lineups[lineups[INNINGS] == 2]
    assert crows[NAME].tolist() == ["C Opener", "C Second", "C Third", "C Fourth", "C Keeper", "C Bowler"]
    assert crows[POSITION].tolist() == [1, 2, 3, 4, 5, 6] and set(crows[TEAM]) == {"Crows"}
    assert crows[BATTER_INDEX].tolist() == [2, 3, 4, 1, 0, 0] and crows[BOWLER_INDEX].tolist() == [0] * 5 + [1]
    assert doves[NAME].tolist() == ["D Top", "D Next", "D Quick", "D Slow"] and set(doves[TEAM]) == {"Doves"}
    assert doves[BATTER_INDEX].tolist() == [6, 5, 0, 0] and doves[BOWLER_INDEX].tolist() == [0, 0, 2, 3]


def test_matches_hold_teams_date_target_and_balls():
    # Setup: dl_match sets Bees 8 off 1.3 overs = 9 balls.

    # Run
    matches = _fixtures().events.matches

    # Assert
    assert list(matches.columns) == MATCH_COLUMNS
    assert matches[MATCH_ID].tolist() == [5, 1, 2]
    assert matches[DATE].tolist() == ["2024-04-01"] * 3
    assert matches[BATTING_FIRST].tolist() == ["Crows", "Ants", "Ants"]
    assert matches[BATTING_SECOND].tolist() == ["Doves", "Bees", "Bees"]
    assert matches[TARGET].tolist() == [28, 20, 8]
    assert matches[FIRST_BALLS].tolist() == [12, 12, 12] and matches[CHASE_BALLS].tolist() == [12, 12, 9]
    assert matches[FIRST_WON].tolist() == [False, False, False]


def test_a_match_dropped_for_out_of_range_values_leaves_the_events_too():
    # Setup: 45 runs off one ball make perfIndex 45 x 11 = 495, over the 440 allowed.
    wild = with_changes(paper_match(), lambda m: m["innings"][0]["overs"][0]["deliveries"].__setitem__(
        0, ball("A One", "B Bowl", 45)))

    # Run
    events = import_matches([("7.json", wild), ("2.json", dl_match())]).events

    # Assert
    assert events.matches[MATCH_ID].tolist() == [2] and set(events.deliveries[MATCH_ID]) == {2}
    assert set(events.lineups[MATCH_ID]) == {2}


@pytest.mark.parametrize("source", ["fixtures", "league"])
def test_rows_give_back_what_rows_can_tell_in_leakfree(source, leagues):
    # Setup
    result = _fixtures() if source == "fixtures" else leagues["leakfree"]
    imported = result.events.deliveries

    # Run
    derived = events_from_rows(_rows(result), "leakfree")

    # Assert
    assert derived.source == "rows"
    pd.testing.assert_frame_equal(derived.deliveries[ROW_FIELDS], imported[ROW_FIELDS])
    # Who was out, as rows tell it: right on every wicket here, but unknown where the batter out had faced no ball
    # and so is in no row (once in the 20 matches of the league)
    wicket = (derived.deliveries[WICKET] == 1).to_numpy()
    told, true = derived.deliveries[PLAYER_OUT].to_numpy()[wicket], imported[PLAYER_OUT].to_numpy()[wicket]
    assert ((told == true) | (told == UNKNOWN)).all() and (told == UNKNOWN).sum() == (source == "league")
    if source == "fixtures":  # partner_match's C Second, run out at the non-striker's end: not the striker
        crows, true_crows = _crows(derived), _crows(result.events)
        assert crows[PLAYER_OUT].tolist()[4] == true_crows[PLAYER_OUT].tolist()[4] != crows[BATTER_INDEX].tolist()[4]
    assert (derived.deliveries[[NON_STRIKER, BATTER_RUNS, WIDES, BYES]] == -1).all().all()
    assert NOTE_PLAYER_OUT in derived.notes
    pd.testing.assert_frame_equal(derived.matches[[MATCH_ID, TARGET, CHASE_BALLS, FIRST_WON]],
                                  result.events.matches[[MATCH_ID, TARGET, CHASE_BALLS, FIRST_WON]])


def test_the_batter_out_is_the_striker_unless_the_striker_faces_again():
    # Setup: innings 0: batters 1 and 2 face; on delivery 2 a wicket falls with 1 on strike, who faces again (so 2,
    # at the other end, was run out); 3 comes in, is out on strike (5) and never faces again; on 6 a wicket with 1
    # on strike, who faces again, and the batter at the other end (in after 3) had faced no ball. Innings 1: the
    # first delivery's wicket, its striker facing again: an opener out before facing.
    batter = np.array([1, 2, 1, 1, 3, 3, 1, 1, 5, 5])
    innings = np.array([0] * 8 + [1] * 2)
    wicket = np.array([0, 0, 1, 0, 0, 1, 1, 0, 1, 0])
    # Run
    out = dismissed(batter, innings, wicket)
    # Assert
    assert out.tolist() == [UNKNOWN, UNKNOWN, 2, UNKNOWN, UNKNOWN, 3, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN]


@pytest.mark.parametrize("source", ["fixtures", "league"])
def test_yorkr_rows_give_totals_and_wickets_and_count_every_delivery_legal(source, leagues):
    # Setup
    result = _fixtures("yorkr") if source == "fixtures" else leagues["yorkr"]
    imported = result.events.deliveries

    # Run
    derived = events_from_rows(_rows(result), "yorkr")

    # Assert
    columns = [MATCH_ID, INNINGS, BATTER_INDEX, BOWLER_INDEX, TOTAL, WICKET]
    pd.testing.assert_frame_equal(derived.deliveries[columns], imported[columns])
    assert derived.deliveries[LEGAL].all() and NOTE_YORKR_LEGAL in derived.notes


@pytest.mark.parametrize("features", ["leakfree", "yorkr"])
def test_rows_without_match_and_innings_columns_get_them_inferred(features, leagues):
    # Setup
    league = leagues[features]
    rows = _rows(league)[MODEL_COLUMNS]
    imported = league.events.deliveries

    # Run
    derived = events_from_rows(rows, None)

    # Assert
    assert derived.source == "inferred" and len(derived.matches) == 20
    assert any("inferred from ballNum restarting" in note for note in derived.notes)
    assert any(f"read as {league.features}" in note for note in derived.notes)
    same = [INNINGS, BATTER_INDEX, BOWLER_INDEX, TOTAL, WICKET] + ([OVER, LEGAL] if league.features == "leakfree"
                                                                   else [])
    pd.testing.assert_frame_equal(derived.deliveries[same], imported[same])
    assert derived.deliveries[MATCH_ID].unique().tolist() == list(range(20))


def test_one_innings_only_raises_no_matches():
    # Setup
    rows = _rows(_fixtures())
    first_innings = rows[rows[INNINGS] == 1]

    # Run
    with pytest.raises(NoMatches) as error:
        events_from_rows(first_innings, "leakfree", name="half.csv")

    # Assert
    assert str(error.value).startswith(f"half.csv: {NO_MATCHES} (3 of 3 matches left out: 3 not exactly two innings)")
    assert str(error.value).endswith(NO_MATCHES_HELP)


def test_wickets_going_down_without_ball_num_restarting_raises_no_matches():
    # Setup: one match by ballNum (1, 2, 3, ...) whose numWickets drops twice: three innings.
    rows = _rows(_fixtures())[MODEL_COLUMNS].copy()
    rows["ballNum"] = np.arange(1, len(rows) + 1)
    rows["numWickets"] = [2, 1, 0] * (len(rows) // 3) + [0] * (len(rows) % 3)

    # Run
    with pytest.raises(NoMatches) as error:
        events_from_rows(rows, None, name="odd.csv")

    # Assert
    assert str(error.value).startswith(f"odd.csv: {NO_MATCHES} (1 of 1 matches left out: 1 not exactly two innings")


def test_a_match_with_impossible_facts_is_left_out_and_noted():
    # Setup: the paper match's runs go down on its third delivery.
    rows = _rows(_fixtures())
    broken = rows.copy()
    broken.loc[(broken[MATCH_ID] == 1) & (broken["ballNum"] == 3), "perfIndex"] = 0.0

    # Run
    derived = events_from_rows(broken, "leakfree")

    # Assert
    assert derived.matches[MATCH_ID].tolist() == [5, 2]
    assert "1 of 3 matches left out: 1 runs or wickets go down from one delivery to the next" in derived.notes[-1]


def test_events_are_saved_and_loaded_with_the_dataset():
    # Setup
    result = _fixtures()

    # Run
    info = workspace.save_dataset(result.deliveries, name="paper", kind="real", source="fixtures",
                                  features="leakfree", vocabulary=result.vocabulary, events=result.events)
    loaded = workspace.load_events(info.id)
    plain = workspace.save_dataset(result.deliveries, name="plain", kind="real", source="fixtures")
    replaced = workspace.save_dataset(result.deliveries, name="paper", kind="real", source="again",
                                      dataset_id=info.id)

    # Assert
    for table in ("deliveries", "lineups", "matches"):
        pd.testing.assert_frame_equal(getattr(loaded, table), getattr(result.events, table))
    assert (loaded.source, loaded.notes) == (result.events.source, result.events.notes)
    assert workspace.load_events(plain.id) is None
    assert workspace.load_events(replaced.id) is None  # the replaced rows' events went with them
    assert [d.id for d in workspace.list_datasets()].count(info.id) == 1


def test_events_for_uses_stored_events_only_when_they_cover_the_rows():
    # Setup
    result = _fixtures()
    rows = _rows(result)
    two = rows[rows[MATCH_ID].isin([2, 5])]

    # Run
    stored = events_for(two, result.events, "leakfree")
    rebuilt = events_for(rows, result.events.for_matches([5]), "leakfree")

    # Assert
    assert stored.source == "cricsheet" and stored.matches[MATCH_ID].tolist() == [5, 2]
    assert rebuilt.source == "rows" and rebuilt.matches[MATCH_ID].tolist() == [5, 1, 2]
    with pytest.raises(ValueError, match="hold no match 9"):
        result.events.for_matches([5, 9])


@pytest.mark.parametrize("features", ["leakfree", "yorkr"])
@pytest.mark.parametrize("source", ["fixtures", "league"])
def test_state_columns_of_the_events_are_the_imported_rows(source, features, leagues):
    # Setup
    result = _fixtures(features) if source == "fixtures" else leagues[features]
    rows = result.deliveries

    # Run
    facts, match_facts, ids = delivery_facts(result.events)
    state = state_columns(facts, match_facts, result.features)

    # Assert
    assert ids.tolist() == rows[MATCH_ID].unique().tolist()
    for column, values in state.items():
        np.testing.assert_array_equal(values, rows[column].to_numpy(), err_msg=column)
