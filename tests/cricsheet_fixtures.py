"""Tiny hand-made Cricsheet matches whose features are worked out on paper in the tests.

Each builder returns a dict in Cricsheet's JSON format (https://cricsheet.org/format/json/) with only
the keys the importer reads plus a few it must ignore (review, replacements, powerplays).
"""

from __future__ import annotations

import copy
import io
import json
import zipfile


def ball(batter: str, bowler: str, total: int = 0, *, extras: dict | None = None, out: str | None = None,
         kind: str = "bowled", non_striker: str = "N Partner") -> dict:
    """One delivery; `total` includes extras, `out` names the batter dismissed (or retired) on it."""
    runs_extras = sum((extras or {}).values())
    delivery = {
        "batter": batter,
        "bowler": bowler,
        "non_striker": non_striker,
        "runs": {"batter": total - runs_extras, "extras": runs_extras, "total": total},
    }
    if extras:
        delivery["extras"] = dict(extras)
    if out:
        delivery["wickets"] = [{"kind": kind, "player_out": out}]
    return delivery


def match(first: list[list[dict]], chase: list[list[dict]], outcome: dict, *, overs: int = 2,
          target: dict | None = None, teams: tuple[str, str] = ("Ants", "Bees")) -> dict:
    """A match: `first` and `chase` are lists of overs, each a list of deliveries."""
    chase_innings = {"team": teams[1], "overs": _overs(chase)}
    if target is not None:
        chase_innings["target"] = target
    return {
        "meta": {"data_version": "1.1.0", "created": "2024-01-01", "revision": 1},
        "info": {
            "balls_per_over": 6,
            "dates": ["2024-04-01", "2024-04-02"],
            "event": {"name": "Paper Cup", "match_number": 1},
            "match_type": "T20",
            "outcome": outcome,
            "overs": overs,
            "teams": list(teams),
            "players": {teams[0]: [], teams[1]: []},
        },
        "innings": [{"team": teams[0], "overs": _overs(first), "powerplays": []}, chase_innings],
    }


def _overs(overs: list[list[dict]]) -> list[dict]:
    return [{"over": number, "deliveries": deliveries} for number, deliveries in enumerate(overs)]


def paper_match() -> dict:
    """Ants 19/2 in 2 overs, Bees 20/1 in 8 deliveries: wide, no-ball, retired hurt, retired out, leg bye.

    Ants, running (i: total -> R, W, legal balls so far):
      1: 1 -> 1,0,1   2: wide 1 -> 2,0,1   3: 4 -> 6,0,2   4: bowled -> 6,1,3   5: no-ball 1+2 -> 9,1,3
      6: 0 -> 9,1,4   7: 1 -> 10,1,5   8: 0 -> 10,1,6   9: retired hurt -> 10,1,7   10: 6 -> 16,1,8
      11: 2 -> 18,1,9   12: retired out -> 18,2,10   13: 1 -> 19,2,11   14: 0 -> 19,2,12
    Bees chase 20:
      1: 4 -> 4,0,1   2: caught -> 4,1,2   3: leg bye 1 -> 5,1,3   4: 6 -> 11,1,4   5: 2 -> 13,1,5
      6: 1 -> 14,1,6   7: 0 -> 14,1,7   8: 6 -> 20,1,8 (won)
    """
    ants = [
        [
            ball("A One", "B Bowl", 1),
            ball("A Two", "B Bowl", 1, extras={"wides": 1}),
            ball("A Two", "B Bowl", 4),
            ball("A Two", "B Bowl", 0, out="A Two"),
            ball("A Three", "B Bowl", 3, extras={"noballs": 1}),
            ball("A Three", "B Bowl", 0),
            ball("A Three", "B Bowl", 1),
            ball("A One", "B Bowl", 0),
        ],
        [
            ball("A Three", "B Spin", 0, out="A Three", kind="retired hurt"),
            ball("A Four", "B Spin", 6),
            ball("A Four", "B Spin", 2),
            ball("A Four", "B Spin", 0, out="A Four", kind="retired out"),
            ball("A Five", "B Spin", 1),
            ball("A One", "B Spin", 0),
        ],
    ]
    bees = [
        [
            ball("B One", "A Bowl", 4),
            ball("B One", "A Bowl", 0, out="B One", kind="caught"),
            ball("B Two", "A Bowl", 1, extras={"legbyes": 1}),
            ball("B Three", "A Bowl", 6),
            ball("B Three", "A Bowl", 2),
            ball("B Three", "A Bowl", 1),
        ],
        [ball("B Two", "A Spin", 0), ball("B Two", "A Spin", 6)],
    ]
    bees[0][0]["review"] = {"by": "Ants", "umpire": "U One", "batter": "B One", "decision": "struck down"}
    bees[1][0]["replacements"] = {"role": [{"in": "X Sub", "role": "impact_player"}]}
    return match(ants, bees, {"winner": "Bees", "by": {"wickets": 9}}, target={"overs": 2, "runs": 20})


def partner_match() -> dict:
    """Crows 27/2 in 2 overs, Doves 29/0 in 6 balls, with real non-strikers, each kind of extra, a run out of the
    non-striker and XIs listing players who did not bat.

    Crows (striker / non-striker, what happened -> R, W, legal balls so far):
      over 0, D Quick:  1: Opener/Second 1 run -> 1,0,1 (they cross)   2: Second/Opener wide -> 2,0,1
        3: Second/Opener 4 byes -> 6,0,2   4: Second/Opener 1 leg bye -> 7,0,3 (cross)
        5: Opener/Second, Second run out backing up -> 7,1,4   6: Opener/Third 2 -> 9,1,5
        7: Opener/Third no-ball + 1 off the bat -> 11,1,5   8: Opener/Third 0 -> 11,1,6 (ends swap)
      over 1, D Slow:  9: Third/Opener 5 penalty runs -> 16,1,7   10: Third/Opener caught -> 16,2,8
        11: Fourth/Opener 4 -> 20,2,9   12: Fourth/Opener 1 -> 21,2,10 (cross)   13: Opener/Fourth 0 -> 21,2,11
        14: Opener/Fourth 6 -> 27,2,12
    Batting order: Opener, Second (non-striker on ball 1), Third, Fourth; then the XI's others as listed: Keeper,
    Bowler. Doves chase 28 off C Bowler: Top (non-striker Next) 6, 4, 6, 6, 1, then Next 6 -> 29/0, won.
    Batters who faced a ball, sorted -> index: C Fourth 1, C Opener 2, C Second 3, C Third 4, D Next 5, D Top 6;
    bowlers: C Bowler 1, D Quick 2, D Slow 3.
    """
    def crows(batter: str, non_striker: str, bowler: str, total: int = 0, **options) -> dict:
        return ball(f"C {batter}", f"D {bowler}", total, non_striker=f"C {non_striker}", **options)

    overs = [
        [
            crows("Opener", "Second", "Quick", 1),
            crows("Second", "Opener", "Quick", 1, extras={"wides": 1}),
            crows("Second", "Opener", "Quick", 4, extras={"byes": 4}),
            crows("Second", "Opener", "Quick", 1, extras={"legbyes": 1}),
            crows("Opener", "Second", "Quick", 0, out="C Second", kind="run out"),
            crows("Opener", "Third", "Quick", 2),
            crows("Opener", "Third", "Quick", 2, extras={"noballs": 1}),
            crows("Opener", "Third", "Quick", 0),
        ],
        [
            crows("Third", "Opener", "Slow", 5, extras={"penalty": 5}),
            crows("Third", "Opener", "Slow", 0, out="C Third", kind="caught"),
            crows("Fourth", "Opener", "Slow", 4),
            crows("Fourth", "Opener", "Slow", 1),
            crows("Opener", "Fourth", "Slow", 0),
            crows("Opener", "Fourth", "Slow", 6),
        ],
    ]
    doves = [[ball("D Top", "C Bowler", runs, non_striker="D Next") for runs in (6, 4, 6, 6, 1)]
             + [ball("D Next", "C Bowler", 6, non_striker="D Top")]]
    data = match(overs, doves, {"winner": "Doves", "by": {"wickets": 10}}, target={"overs": 2, "runs": 28},
                 teams=("Crows", "Doves"))
    data["info"]["players"] = {"Crows": ["C Keeper", "C Opener", "C Second", "C Third", "C Fourth", "C Bowler"],
                               "Doves": ["D Top", "D Next", "D Quick", "D Slow"]}
    return data


def dl_match() -> dict:
    """Ants 12/0 off 12 balls; rain sets Bees 8 off 1.3 overs (9 balls); Bees win with 2, 2, 0, 4."""
    ants = [[ball("A One", "B Bowl", 1) for _ in range(6)], [ball("A Two", "B Spin", 1) for _ in range(6)]]
    bees = [[ball("B One", "A Bowl", 2), ball("B One", "A Bowl", 2), ball("B One", "A Bowl", 0),
             ball("B One", "A Bowl", 4)]]
    return match(ants, bees, {"winner": "Bees", "by": {"wickets": 10}, "method": "D/L"},
                 target={"overs": 1.3, "runs": 8})


def super_over_match() -> dict:
    """Ants 6 and Bees 6 in one over each, tied; Bees win the super over (flagged innings, eliminator)."""
    ants = [[ball("A One", "B Bowl", 1) for _ in range(6)]]
    bees = [[ball("B One", "A Bowl", 1) for _ in range(6)]]
    data = match(ants, bees, {"result": "tie", "eliminator": "Bees"}, overs=1, target={"overs": 1, "runs": 7})
    data["innings"] += [
        {"team": "Bees", "overs": _overs([[ball("S Hitter", "S Bowler", 6)]]), "super_over": True},
        {"team": "Ants", "overs": _overs([[ball("S Blocker", "S Slinger", 0)]]), "super_over": True},
    ]
    return data


def no_result_match() -> dict:
    """Rain after Ants' first over: one innings, outcome result "no result"."""
    data = match([[ball("A One", "B Bowl", 1) for _ in range(6)]], [], {"result": "no result"})
    data["innings"] = data["innings"][:1]
    return data


def with_changes(data: dict, edit) -> dict:
    """A deep copy of `data` after `edit(copy)` (to break a file in one place)."""
    changed = copy.deepcopy(data)
    edit(changed)
    return changed


def zip_of(members: dict[str, bytes | str | dict]) -> bytes:
    """A deflated zip holding each member; a dict member is written as its JSON."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, json.dumps(data) if isinstance(data, dict) else data)
    return buffer.getvalue()
