"""Ball-by-ball simulation of one T20 innings, written out as Cricsheet ``overs`` entries.

Each legal ball is a draw from seven outcomes (dot, 1, 2, 3, 4, 6, wicket) whose log-odds start from
the phase's base rates and move with the batter's skill minus the bowler's and with the batting side's
aggression (a chase behind the rate swings harder). Wides, no-balls, byes and leg byes come first, at
fixed rates. A chase stops the moment the target is reached.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

_OUTCOMES = (0, 1, 2, 3, 4, 6, -1)
"""Runs off the bat for each outcome; -1 is a wicket."""
_WICKET = 6
_DOT, _FOUR, _SIX = 0, 4, 5
_MAX_WICKETS = 10
_BALLS_PER_OVER = 6
_NOT_LEGAL = frozenset({"wides", "noballs"})


@dataclass(frozen=True)
class BallRates:
    """Per-ball rates and how strongly skill and aggression move them.

    Attributes:
        phase_rates: per phase (overs 1-6, 7-15, 16-20), probabilities of dot, 1, 2, 3, 4, 6, wicket on a
            legal ball that is not a bye or leg bye; close to IPL rates 2008-2024.
        wide, noball, legbye, bye: chance per delivery (wide, noball) or per legal ball (legbye, bye).
        skill_boundary, skill_wicket, skill_dot: change in log-odds of a boundary, a wicket, a dot ball
            per unit of (batter's batting skill - bowler's bowling skill).
        aggression_boundary, aggression_wicket: change in log-odds per unit of aggression.
        in_hand: aggression per wicket in hand above par (a side with wickets to spare swings harder,
            one near all out blocks).
        par_wickets: wickets a side expects to lose by the end of its innings; par at any ball is in
            proportion to the balls bowled.
        chase_par: runs per legal ball a chase needs before it starts to take risks.
        chase_urgency: aggression per run per ball the required rate sits above par.
        chase_risk, chase_calm: most and least aggression a chase's required rate adds.
        wicket_kinds: (kind, weight) for dismissals other than run outs.
        run_out_share: share of wickets that are run outs (the non-striker is out in a third of them).
    """

    phase_rates: tuple = (
        (0.449, 0.268, 0.043, 0.005, 0.158, 0.037, 0.040),
        (0.294, 0.456, 0.068, 0.002, 0.091, 0.046, 0.043),
        (0.225, 0.396, 0.092, 0.003, 0.119, 0.083, 0.084),
    )
    wide: float = 0.032
    noball: float = 0.0042
    legbye: float = 0.016
    bye: float = 0.0026
    skill_boundary: float = 0.5
    skill_wicket: float = 0.3
    skill_dot: float = 0.3
    aggression_boundary: float = 0.6
    aggression_wicket: float = 0.3
    in_hand: float = 0.35
    par_wickets: float = 6.0
    chase_par: float = 1.5
    chase_urgency: float = 1.0
    chase_risk: float = 1.0
    chase_calm: float = 0.8
    wicket_kinds: tuple = (("caught", 0.66), ("bowled", 0.18), ("lbw", 0.07), ("caught and bowled", 0.03),
                           ("stumped", 0.035), ("hit wicket", 0.005))
    run_out_share: float = 0.085
    log_rates: tuple = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "log_rates", tuple(tuple(math.log(p) for p in rates) for rates in self.phase_rates))


@dataclass
class Side:
    """A side's XI for one innings: names in batting order and skills."""

    names: list[str]
    batting: list[float]
    bowling: list[float]
    bowlers: list[int]
    """Indices (into names) of the bowling options, best first; the rest are part-timers."""


@dataclass
class InningsScore:
    runs: int
    wickets: int
    legal_balls: int
    overs: list = field(default_factory=list)
    """Cricsheet ``overs`` entries: [{"over": n, "deliveries": [...]}, ...]."""


def bowling_plan(rng: random.Random, side: Side, overs: int, quota: int) -> list[int]:
    """Who bowls each over: better bowlers more often, nobody twice in a row or past `quota` overs.

    Returns:
        `overs` indices into side.names.
    """
    left = {b: quota for b in side.bowlers}
    plan, previous = [], -1
    for _ in range(overs):
        options = [b for b, q in left.items() if q > 0 and b != previous]
        if not options:  # only the previous bowler has overs left: a part-timer steps in
            options = [i for i in range(len(side.names)) if i != previous and i not in left]
            left.update({i: quota for i in options})
        weights = [math.exp(1.5 * side.bowling[b]) for b in options]
        previous = rng.choices(options, weights)[0]
        left[previous] -= 1
        plan.append(previous)
    return plan


def play_innings(
    rng: random.Random, rates: BallRates, batting: Side, bowling: Side, plan: list[int], target: int | None,
    pitch: float = 0.0, max_wickets: int = _MAX_WICKETS, rain_after: int | None = None,
) -> InningsScore:
    """Simulate an innings until the overs run out, the side is all out, or `target` is reached.

    Args:
        rng: the league's random source (advanced in place).
        rates: ball-level rates.
        batting, bowling: the two sides; batting.names is the batting order.
        plan: bowler (index into bowling.names) of each over.
        target: runs needed to win a chase; None in the first innings.
        pitch: change in log-odds of a boundary for the whole match (a flat or a slow pitch).
        max_wickets: 10, or 2 in a super over.
        rain_after: stop after this many overs, unforeseen by the players (an abandoned match).

    Returns:
        The score and the overs in Cricsheet form.
    """
    return _Innings(rng, rates, batting, bowling, plan, target, pitch, max_wickets).play(rain_after)


class _Innings:
    """The state of an innings in progress."""

    def __init__(self, rng, rates: BallRates, batting: Side, bowling: Side, plan: list[int], target: int | None,
                 pitch: float, max_wickets: int) -> None:
        self.rng, self.rates, self.batting, self.bowling = rng, rates, batting, bowling
        self.plan, self.target, self.pitch, self.max_wickets = plan, target, pitch, max_wickets
        self.score = InningsScore(0, 0, 0)
        self.striker, self.non_striker, self.next_in = 0, 1, 2

    def play(self, rain_after: int | None) -> InningsScore:
        for number, bowler in enumerate(self.plan[:rain_after]):
            deliveries: list = []
            self.score.overs.append({"over": number, "deliveries": deliveries})
            legal = 0
            while legal < _BALLS_PER_OVER:
                ball, ran, out = self._delivery(bowler, number)
                deliveries.append(ball)
                self.score.runs += ball["runs"]["total"]
                if "extras" not in ball or not (_NOT_LEGAL & ball["extras"].keys()):
                    legal += 1
                    self.score.legal_balls += 1
                if out is not None and not self._replace(out):
                    return self.score
                if ran % 2 == 1:
                    self.striker, self.non_striker = self.non_striker, self.striker
                if self.target is not None and self.score.runs >= self.target:
                    return self.score
            self.striker, self.non_striker = self.non_striker, self.striker
        return self.score

    def _replace(self, out: int) -> bool:
        """Count the wicket and send in the next batter; False when the innings is over (all out)."""
        self.score.wickets += 1
        if self.score.wickets >= self.max_wickets or self.next_in >= len(self.batting.names):
            return False
        if out == self.striker:
            self.striker = self.next_in
        else:
            self.non_striker = self.next_in
        self.next_in += 1
        return True

    def _delivery(self, bowler: int, over: int) -> tuple[dict, int, int | None]:
        """One delivery: (Cricsheet delivery dict, runs the batters ran, index of the batter out or None)."""
        rng, rates, names = self.rng, self.rates, self.batting.names
        ball = {"batter": names[self.striker], "bowler": self.bowling.names[bowler],
                "non_striker": names[self.non_striker]}
        u = rng.random()
        if u < rates.wide:
            wides = 5 if rng.random() < 0.04 else 1
            return _extra(ball, "wides", wides), wides - 1, None
        if u < rates.wide + rates.noball:
            hit = rng.choices((0, 1, 2, 4, 6), (0.45, 0.3, 0.05, 0.12, 0.08))[0]
            ball["runs"] = {"batter": hit, "extras": 1, "total": hit + 1}
            ball["extras"] = {"noballs": 1}
            return ball, hit, None
        u = rng.random()
        if u < rates.legbye + rates.bye:
            extra = 4 if rng.random() < 0.1 else 1
            return _extra(ball, "legbyes" if u < rates.legbye else "byes", extra), extra, None
        balls_left = len(self.plan) * _BALLS_PER_OVER - self.score.legal_balls
        skill = self.batting.batting[self.striker] - self.bowling.bowling[bowler]
        aggression = self._aggression(balls_left)
        outcome = _draw(rng, rates, _phase(over, balls_left), skill, aggression, self.pitch)
        if outcome == _WICKET:
            return _wicket(rng, rates, ball, self.striker, self.non_striker)
        hit = _OUTCOMES[outcome]
        ball["runs"] = {"batter": hit, "extras": 0, "total": hit}
        return ball, hit, None

    def _aggression(self, balls_left: int) -> float:
        """How hard the batting side swings: above 0 riskier, below 0 safer.

        Wickets in hand count against par for this stage of the innings, so a side that has lost few
        wickets swings harder at the death, not just in the first over.
        """
        rates = self.rates
        progress = self.score.legal_balls / (len(self.plan) * _BALLS_PER_OVER)
        par_in_hand = self.max_wickets * (1 - rates.par_wickets / _MAX_WICKETS * progress)
        in_hand = rates.in_hand * (self.max_wickets - self.score.wickets - par_in_hand)
        if self.target is None:
            return in_hand
        required = (self.target - self.score.runs) / max(balls_left, 1)
        urgency = rates.chase_urgency * (required - rates.chase_par)
        return max(-rates.chase_calm, min(rates.chase_risk, urgency)) + in_hand


def _extra(ball: dict, kind: str, runs: int) -> dict:
    ball["runs"] = {"batter": 0, "extras": runs, "total": runs}
    ball["extras"] = {kind: runs}
    return ball


def _phase(over: int, balls_left: int) -> int:
    """0 powerplay (overs 1-6), 1 middle (7-15), 2 death (16-20, and any super over)."""
    if balls_left <= 6:
        return 2
    return 0 if over < 6 else (1 if over < 15 else 2)


def _draw(rng, rates: BallRates, phase: int, skill: float, aggression: float, pitch: float) -> int:
    """Index into _OUTCOMES, drawn from the phase's log-odds moved by skill, aggression and the pitch."""
    logits = list(rates.log_rates[phase])
    boundary = rates.skill_boundary * skill + rates.aggression_boundary * aggression + pitch
    logits[_FOUR] += boundary
    logits[_SIX] += boundary
    logits[_WICKET] += rates.aggression_wicket * aggression - rates.skill_wicket * skill
    logits[_DOT] -= rates.skill_dot * skill
    weights = [math.exp(value) for value in logits]
    u = rng.random() * sum(weights)
    for index, weight in enumerate(weights):
        u -= weight
        if u < 0:
            return index
    return len(weights) - 1


def _wicket(rng, rates: BallRates, ball: dict, striker: int, non_striker: int) -> tuple[dict, int, int]:
    if rng.random() < rates.run_out_share:
        ran = 1 if rng.random() < 0.3 else 0
        out = non_striker if rng.random() < 1 / 3 else striker
        kind = "run out"
    else:
        ran, out = 0, striker
        kinds, weights = zip(*rates.wicket_kinds)
        kind = rng.choices(kinds, weights)[0]
    ball["runs"] = {"batter": ran, "extras": 0, "total": ran}
    ball["wickets"] = [{"kind": kind, "player_out": ball["batter"] if out == striker else ball["non_striker"]}]
    return ball, ran, out
