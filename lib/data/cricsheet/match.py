"""Parsing one Cricsheet JSON match into flat per-delivery facts, or saying why it is skipped.

Handles what real files hold: 7-ball overs, penalty runs (inside runs.total), retirements, super overs,
D/L targets (``innings[1].target``), and keys the importer does not need (``review``, ``replacements``,
``miscounted_overs``, ``absent_hurt``, ``powerplays``) are left alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

from lib.data.schema import MAX_DELIVERY_RUNS, MAX_INNINGS_DELIVERIES, MAX_INNINGS_RUNS, T20_BALLS

EXTRAS = ("wides", "noballs", "byes", "legbyes", "penalty")
"""Keys of a delivery's "extras" object, in the order MatchColumns keeps them."""
NOT_DISMISSALS = frozenset({"retired hurt", "retired not out"})
"""Wicket kinds that do not count against the batting side; every other kind (incl. "retired out") does."""

_RESULT_REASONS = {"no result": "no result", "tie": "tie without super over", "draw": "draw"}
"""Skip reason for an outcome.result without a winner; any other result is an awarded match."""

_DEFAULT_BALLS_PER_OVER = 6
T20_OVERS = 20
BALLS_PER_OVER_RANGE = (1, 10)
NOT_T20 = "not a T20"
"""Start of every skip reason for a match whose format is not T20; the import report names these files."""


class Malformed(ValueError):
    """A file that does not follow the Cricsheet format; the message says what is wrong and where."""


@dataclass
class MatchColumns:
    """Facts of kept matches as flat lists, appended match by match.

    Per match: stem, date, event, first_balls, chase_balls, target (0 when the file has none),
    first_won. Per innings (two per match, batting first then chasing): teams, innings_sizes, players (the
    batting side's XI as info.players lists it, [] when the file has none).
    Per delivery: batter, non_striker ("" when the file has none), bowler, over, total, batter_runs (-1 when
    the file has none), wickets (counted ones), legal, player_out (the first counted dismissal's batter, "" when
    none). Sparse, for the few deliveries with extras: extras, (position of the delivery in these lists, runs of
    each kind in EXTRAS' order).
    """

    stem: list = field(default_factory=list)
    date: list = field(default_factory=list)
    event: list = field(default_factory=list)
    first_balls: list = field(default_factory=list)
    chase_balls: list = field(default_factory=list)
    target: list = field(default_factory=list)
    first_won: list = field(default_factory=list)
    teams: list = field(default_factory=list)
    innings_sizes: list = field(default_factory=list)
    players: list = field(default_factory=list)
    batter: list = field(default_factory=list)
    non_striker: list = field(default_factory=list)
    bowler: list = field(default_factory=list)
    over: list = field(default_factory=list)
    total: list = field(default_factory=list)
    batter_runs: list = field(default_factory=list)
    extras: list = field(default_factory=list)
    wickets: list = field(default_factory=list)
    legal: list = field(default_factory=list)
    player_out: list = field(default_factory=list)

    def extend(self, other: MatchColumns) -> None:
        offset = len(self.total)
        for column in fields(self):
            if column.name != "extras":
                getattr(self, column.name).extend(getattr(other, column.name))
        self.extras.extend((offset + position, kinds) for position, kinds in other.extras)


def parse_match(file_name: str, data: object, columns: MatchColumns) -> str:
    """Append one match's facts to `columns`, or say why the match is skipped.

    Args:
        file_name: e.g. "1082648.json"; its stem becomes the match id.
        data: the decoded JSON.
        columns: where a kept match's facts are appended (untouched for a skipped or malformed match).

    Returns:
        "" when the match was kept, else the skip reason ("no result", "tie without super over",
        "awarded", "fewer than two regular innings", ...).

    Raises:
        Malformed: the file does not follow the Cricsheet format.
    """
    if not isinstance(data, dict):
        raise Malformed(f"the file holds a JSON {type(data).__name__}, not a match object with 'info' and 'innings'")
    info = _field(data, "info", dict, "the match")
    innings = _field(data, "innings", list, "the match")
    winner, reason = _winner(_field(info, "outcome", dict, "info", required=False) or {})
    if reason:
        return reason
    match = MatchColumns()
    played = _regular_innings(innings, match)
    if len(played) != 2:
        return "fewer than two regular innings" if len(played) < 2 else "more than two regular innings"
    chase_target = _field(played[1][1], "target", dict, "innings 2 target", required=False) or {}
    reason = not_t20(info, chase_target, match.innings_sizes)
    if reason:
        return reason
    teams = [team for team, _ in played]
    if teams[0] == teams[1] or winner not in teams:
        raise Malformed(f"the regular innings are batted by {teams[0]!r} and {teams[1]!r} but the winner is {winner!r}")
    _add_match_facts(file_name, info, chase_target, winner == teams[0], match)
    match.teams += teams
    match.players += [_xi(info, team) for team in teams]
    columns.extend(match)
    return ""


def not_t20(info: dict, chase_target: dict, innings_sizes: list[int]) -> str:
    """Why a match is not a T20 the feature ranges hold for ("not a T20 (...)"), or "" when it is one.

    Args:
        info: the file's "info" object (overs, balls_per_over).
        chase_target: the second innings' "target" object ({} when none).
        innings_sizes: deliveries of each regular innings, wides and no-balls included.
    """
    per_over = info.get("balls_per_over", _DEFAULT_BALLS_PER_OVER)
    low, high = BALLS_PER_OVER_RANGE
    if type(per_over) is not int or not low <= per_over <= high:
        return f"{NOT_T20} (balls per over not a whole number in {low}..{high})"
    for where, overs in (("scheduled", info.get("overs")), ("target", chase_target.get("overs", 1))):
        if type(overs) not in (int, float) or not math.isfinite(overs) or overs <= 0:
            return f"{NOT_T20} ({where} overs missing, not a number or not positive)"
        if overs > T20_OVERS or _balls(overs, per_over) > T20_BALLS:
            return f"{NOT_T20} (more than {T20_OVERS} overs or {T20_BALLS} balls)"
    if max(innings_sizes) > MAX_INNINGS_DELIVERIES:
        return f"{NOT_T20} (an innings of more than {MAX_INNINGS_DELIVERIES} deliveries)"
    return ""


def _winner(outcome: dict) -> tuple[str, str]:
    """(winner, "") for a decided match (a tie's super-over eliminator counts), else ("", skip reason)."""
    winner = outcome.get("winner") or outcome.get("eliminator")
    if winner:
        if not isinstance(winner, str):
            raise Malformed(f"info.outcome names the winner as {winner!r}, not a team name")
        return winner, ""
    result = outcome.get("result")
    if result is None:
        return "", "no winner recorded"
    return "", _RESULT_REASONS.get(result, "awarded")


def _regular_innings(innings: list, match: MatchColumns) -> list[tuple[str, dict]]:
    """(team, innings) of the innings that are not super overs and have deliveries; their facts go to `match`."""
    played = []
    for number, entry in enumerate(innings, start=1):
        where = f"innings {number}"
        if not isinstance(entry, dict):
            raise Malformed(f"{where} is a JSON {type(entry).__name__}, not an object")
        if entry.get("super_over"):
            continue
        team = _field(entry, "team", str, where)
        size = _parse_deliveries(_field(entry, "overs", list, where, required=False) or [], where, match)
        if size:
            played.append((team, entry))
            match.innings_sizes.append(size)
    return played


def _parse_deliveries(overs: list, where: str, match: MatchColumns) -> int:
    """Append each delivery of one innings to `match`; return how many there were."""
    before = len(match.total)
    over_index, delivery = 0, 0
    try:
        for over_index, over in enumerate(overs):
            delivery = 0
            # an innings of at most MAX_INNINGS_DELIVERIES deliveries has at most as many overs
            number = _count(over["over"], "'over'", MAX_INNINGS_DELIVERIES - 1)
            for delivery, ball in enumerate(over["deliveries"], start=1):
                _parse_delivery(ball, number, match)
    except KeyError as error:
        raise Malformed(f"{where}, over entry {over_index + 1}, delivery {delivery}: no {error} key") from None
    except Malformed as error:
        raise Malformed(f"{where}, over entry {over_index + 1}, delivery {delivery}: {error}") from None
    except (TypeError, AttributeError) as error:
        raise Malformed(
            f"{where}, over entry {over_index + 1}, delivery {delivery}: unexpected structure ({error})"
        ) from None
    return len(match.total) - before


def _parse_delivery(ball: dict, over: int, match: MatchColumns) -> None:
    runs = ball["runs"]
    total, batter_runs = runs["total"], runs.get("batter", -1)
    batter, bowler, non_striker = ball["batter"], ball["bowler"], ball.get("non_striker", "")
    if type(total) is not int or total < 0 or type(batter_runs) is not int:
        raise Malformed(f"runs.total is {_shown(total)} and runs.batter {_shown(batter_runs)}, "
                        "not whole numbers of runs")
    _count(total, "runs.total", MAX_DELIVERY_RUNS)
    if "batter" in runs:
        _count(batter_runs, "runs.batter", MAX_DELIVERY_RUNS)
    if type(batter) is not str or type(bowler) is not str or type(non_striker) is not str:
        raise Malformed(f"batter, non_striker and bowler must be names, found {batter!r}, {non_striker!r} and "
                        f"{bowler!r}")
    extras = ball.get("extras")
    if extras is not None and type(extras) is not dict:
        raise Malformed(f"extras is {extras!r}, not an object")
    if extras:
        kinds = tuple(extras.get(kind, 0) for kind in EXTRAS)
        if any(type(value) is not int for value in kinds):
            raise Malformed(f"extras is {extras!r:.80}; each kind of extra must be a whole number of runs")
        for kind, value in zip(EXTRAS, kinds):
            _count(value, f"extras.{kind}", MAX_DELIVERY_RUNS)
    fell, out = 0, ""
    for wicket in ball.get("wickets") or ():
        if wicket["kind"] not in NOT_DISMISSALS:
            fell += 1
            out = out or wicket["player_out"]
    if type(out) is not str:
        raise Malformed(f"player_out is {out!r}, not a name")
    match.batter.append(batter)
    match.non_striker.append(non_striker)
    match.bowler.append(bowler)
    match.over.append(over)
    match.total.append(total)
    match.batter_runs.append(batter_runs)
    if extras:  # kept sparse: most deliveries have none, and this loop runs once per delivery
        match.extras.append((len(match.total) - 1, kinds))
    match.wickets.append(fell)
    match.legal.append(not extras or ("wides" not in extras and "noballs" not in extras))
    match.player_out.append(out)


def _add_match_facts(file_name: str, info: dict, chase_target: dict, first_won: bool, match: MatchColumns) -> None:
    per_over = _field(info, "balls_per_over", int, "info", required=False) or _DEFAULT_BALLS_PER_OVER
    overs = _field(info, "overs", (int, float), "info")
    target_runs = _field(chase_target, "runs", int, "innings 2 target", required=False) or 0
    _count(target_runs, "innings 2 target: 'runs'", MAX_INNINGS_RUNS)
    target_overs = _field(chase_target, "overs", (int, float), "innings 2 target", required=False) or overs
    dates = _field(info, "dates", list, "info", required=False) or [""]
    event = info.get("event")
    match.stem.append(match_stem(file_name))
    match.date.append(str(dates[0]))
    match.event.append(str(event.get("name", "")) if isinstance(event, dict) else str(event or ""))
    match.first_balls.append(_balls(overs, per_over))
    match.chase_balls.append(_balls(target_overs, per_over))
    match.target.append(target_runs)
    match.first_won.append(first_won)


def _xi(info: dict, team: str) -> list[str]:
    """The team's players as info.players lists them; [] when the file lists none."""
    players = _field(info, "players", dict, "info", required=False) or {}
    names = players.get(team) or []
    if type(names) is not list or any(type(name) is not str for name in names):
        raise Malformed(f"info.players[{team!r}] is {names!r:.60}, not a list of names")
    return names


def _count(value, what: str, high: int) -> int:
    """`value` when it is a whole number in 0..high, else Malformed naming it, so that one absurd number (10**30
    runs) skips its file here instead of overflowing the int64 columns of the whole import later."""
    if type(value) is not int:
        raise Malformed(f"{what} is {_shown(value)}, not a whole number")
    if not 0 <= value <= high:
        raise Malformed(f"{what} is {_shown(value)}, outside 0..{high}: a value outside the t20.csv ranges")
    return value


def _shown(value) -> str:
    """A value for a message, cut short: a number of a thousand digits is not read, only noticed."""
    text = repr(value)
    unit = "digits" if type(value) is int else "characters"
    return text if len(text) <= 24 else f"{text[:12]}... ({len(text):,} {unit})"


def match_stem(file_name: str) -> str:
    """The match id part of a file name: "1082648.json" -> "1082648"."""
    return file_name.rsplit(".", 1)[0] if "." in file_name else file_name


def _balls(overs: float, per_over: int) -> int:
    """Legal balls in `overs` written the cricket way: 9.2 is 9 overs and 2 balls."""
    whole = int(overs)
    return whole * per_over + round((overs - whole) * 10)


def _field(container: dict, key: str, kind, where: str, required: bool = True):
    """container[key], checked to be of `kind`; None when absent and not required."""
    value = container.get(key)
    if value is None:
        if required:
            raise Malformed(f"{where} has no {key!r}")
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        expected = " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__
        raise Malformed(f"{where}: {key!r} is {type(value).__name__} {value!r:.60}, expected {expected}")
    return value
