"""A simulated T20 league that writes its matches as Cricsheet JSON, so the app works with no upload.

Teams keep squads of batters, all-rounders and bowlers with latent skills; a team's strength is the
skill of the XI it picks. Players retire and debut (and now and then change teams), so the number of
distinct players grows with the number of matches. Every match goes ball by ball
(lib.data.simulate.innings): wides, no-balls, all-outs, chases that stop at the target, ties settled by
super overs. `build_sample` runs the matches through the same importer as real Cricsheet files.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from lib.data.cricsheet.importer import ImportResult, import_matches
from lib.data.simulate.innings import BallRates, InningsScore, Side, bowling_plan, play_innings

EVENT = "Crease Lab Simulated League"
_ROLES = ("batter", "allrounder", "bowler")
_SURNAMES = (
    "Abbas", "Acharya", "Adams", "Ahmed", "Ali", "Bailey", "Banerjee", "Bose", "Brooks", "Carter", "Chopra",
    "Clarke", "Das", "Desai", "Dias", "Evans", "Fernando", "Foster", "Gill", "Gupta", "Hassan", "Hughes",
    "Iqbal", "Iyer", "Jadeja", "James", "Joshi", "Kapoor", "Khan", "Kumar", "Lewis", "Malik", "Mehta",
    "Mendis", "Mishra", "Morris", "Naidu", "Nair", "Patel", "Perera", "Rao", "Reddy", "Roberts", "Saini",
    "Shah", "Sharma", "Silva", "Singh", "Smith", "Taylor", "Thomas", "Tiwari", "Varma", "Walker", "Watson",
    "Wilson", "Yadav", "Young", "Zaidi", "Zaman",
)
_INITIALS = "ABCDGHJKMNPRSTVY"
_CITIES = ("Ashford", "Belmont", "Carrow", "Dunmore", "Eastleigh", "Fairhaven", "Glenrock", "Harbour",
           "Ivybridge", "Juniper", "Kingsport", "Lakeside", "Marlow", "Northgate", "Oakridge", "Portland")
_NICKNAMES = ("Kings", "Chargers", "Royals", "Strikers", "Titans", "Warriors", "Giants", "Riders", "Hawks",
              "Lions", "Stars", "Tigers", "Falcons", "Knights", "Mavericks", "Panthers")


@dataclass(frozen=True)
class LeagueConfig:
    """Sizes and skill spreads of the simulated league; the defaults give the embedded sample.

    Attributes:
        teams: teams in the league, 2..16; each season is a double round robin.
        squad: (batters, all-rounders, bowlers) in each squad; the wicket-keeper is a batter.
        xi: (batters, all-rounders, bowlers) picked for each match; must sum to 11.
        overs: overs per innings.
        role_skills: per role, mean (batting, bowling) skill of a debutant; 0 is an average player.
        skill_spread: standard deviation of a debutant's skills around the role mean.
        team_spread: standard deviation of a team's talent, which shifts the skills of its debutants,
            so that some teams are stronger for years.
        form_spread: standard deviation of match-to-match form in picking the XI.
        pitch_spread: standard deviation of a match's pitch, a change in log-odds of a boundary that
            moves both innings' scores (runs vary from match to match more than wickets do).
        part_timers: batters in the XI who may bowl an over (the ones who bowl best).
        turnover: chance, per squad player and per match his team plays, that he leaves and a debutant
            takes his place.
        transfer: chance per team and match that one of its squad swaps teams with a player of the
            same role.
        no_result_rate: share of matches abandoned (skipped by the importer as "no result").
        first_season: year of the first season.
        rates: ball-level rates (lib.data.simulate.innings.BallRates).
    """

    teams: int = 10
    squad: tuple = (7, 3, 7)
    xi: tuple = (5, 2, 4)
    overs: int = 20
    role_skills: tuple = ((0.0, -1.0), (0.0, 0.0), (-0.4, 0.3))
    skill_spread: float = 0.35
    team_spread: float = 0.15
    form_spread: float = 0.3
    pitch_spread: float = 0.05
    part_timers: int = 1
    turnover: float = 0.028
    transfer: float = 0.02
    no_result_rate: float = 0.005
    first_season: int = 2008
    rates: BallRates = field(default_factory=BallRates)

    def __post_init__(self) -> None:
        if not 2 <= self.teams <= len(_CITIES):
            raise ValueError(f"LeagueConfig.teams is {self.teams}; a league needs 2 to {len(_CITIES)} teams.")
        if sum(self.xi) != 11 or any(x > s for x, s in zip(self.xi, self.squad)):
            raise ValueError(f"LeagueConfig.xi is {self.xi}: it must sum to 11 and fit in the squad {self.squad}.")


@dataclass
class Player:
    """A simulated player.

    Skills are in log-odds units, 0 for an average player: batting minus the bowler's bowling moves the
    chance of a boundary, a wicket and a dot ball by the weights in BallRates (skill_boundary, ...).
    """

    name: str
    role: str
    batting: float
    bowling: float


@dataclass
class Team:
    """A team: its talent shifts the skills of the debutants it signs; its squad changes over time."""

    name: str
    talent: float
    squad: list[Player]


class League:
    """Teams, squads and the random source of one simulated league; `play` advances it by one match.

    Attributes:
        players: every player who has ever been in a squad, by name (names are unique).
        teams: the teams, with their current squads.
    """

    def __init__(self, config: LeagueConfig | None = None, seed: int = 7) -> None:
        self.config = config or LeagueConfig()
        self.rng = random.Random(seed)
        self.players: dict[str, Player] = {}
        self.teams = [self._new_team(i) for i in range(self.config.teams)]
        self._fixtures: list[tuple[int, int]] = []
        self._played = 0

    def _new_team(self, number: int) -> Team:
        talent = self.rng.gauss(0.0, self.config.team_spread)
        team = Team(f"{_CITIES[number]} {_NICKNAMES[number]}", talent, [])
        for role, count in zip(_ROLES, self.config.squad):
            team.squad += [self._debutant(role, talent) for _ in range(count)]
        return team

    def _debutant(self, role: str, talent: float) -> Player:
        bat_mean, bowl_mean = self.config.role_skills[_ROLES.index(role)]
        spread = self.config.skill_spread
        player = Player(self._new_name(), role, self.rng.gauss(bat_mean + talent, spread),
                        self.rng.gauss(bowl_mean + talent, spread))
        self.players[player.name] = player
        return player

    def _new_name(self) -> str:
        while True:
            letters = self.rng.randint(1, 2)
            initials = "".join(self.rng.choice(_INITIALS) for _ in range(letters))
            name = f"{initials} {self.rng.choice(_SURNAMES)}"
            if name not in self.players:
                return name
            if len(self.players) > 0.5 * len(_INITIALS) ** 2 * len(_SURNAMES):
                return f"{name} {len(self.players)}"  # a very long league runs out of short names

    def play(self) -> tuple[str, dict]:
        """Play the next match of the schedule.

        Returns:
            (file name such as "17.json", the match as a Cricsheet JSON dict).
        """
        if not self._fixtures:
            pairs = [(a, b) for a in range(len(self.teams)) for b in range(len(self.teams)) if a != b]
            self.rng.shuffle(pairs)
            self._fixtures = pairs
        home, away = self._fixtures.pop()
        self._played += 1
        match = _MatchPlay(self, self.teams[home], self.teams[away], self._played).result()
        self._turnover(home)
        self._turnover(away)
        return f"{self._played}.json", match

    def _turnover(self, team_index: int) -> None:
        team = self.teams[team_index]
        for slot, player in enumerate(team.squad):
            if self.rng.random() < self.config.turnover:
                team.squad[slot] = self._debutant(player.role, team.talent)
        if self.rng.random() < self.config.transfer:
            other = self.teams[self.rng.randrange(len(self.teams))]
            slot = self.rng.randrange(len(team.squad))
            role = team.squad[slot].role
            slots = [i for i, p in enumerate(other.squad) if p.role == role]
            if other is not team and slots:
                swap = self.rng.choice(slots)
                team.squad[slot], other.squad[swap] = other.squad[swap], team.squad[slot]

    def season_date(self, number: int) -> tuple[int, str]:
        """(season year, ISO date) of match `number` (1-based): a season of fixtures from 1 April."""
        per_season = len(self.teams) * (len(self.teams) - 1)
        season, index = divmod(number - 1, per_season)
        year = self.config.first_season + season
        day = dt.date(year, 4, 1) + dt.timedelta(days=index * 60 // per_season)
        return year, day.isoformat()


class _MatchPlay:
    """One match between two teams, from picking the XIs to the outcome."""

    def __init__(self, league: League, home: Team, away: Team, number: int) -> None:
        self.league, self.rng, self.config = league, league.rng, league.config
        self.home, self.away, self.number = home, away, number
        self.pitch = self.rng.gauss(0.0, self.config.pitch_spread)

    def result(self) -> dict:
        xis = {team.name: self._pick_xi(team) for team in (self.home, self.away)}
        toss_winner = self.rng.choice((self.home, self.away))
        decision = self.rng.choice(("bat", "field"))
        other = self.away if toss_winner is self.home else self.home
        first, second = (toss_winner, other) if decision == "bat" else (other, toss_winner)
        sides = [_side(xis[name], self.config.part_timers) for name in (first.name, second.name)]
        innings, outcome = self._innings(first.name, second.name, sides)
        season, date = self.league.season_date(self.number)
        return {
            "meta": {"data_version": "1.1.0", "created": date, "revision": 1},
            "info": {
                "balls_per_over": 6,
                "dates": [date],
                "event": {"name": EVENT, "match_number": self.number},
                "gender": "male",
                "match_type": "T20",
                "outcome": outcome,
                "overs": self.config.overs,
                "players": {name: [p.name for p in xi] for name, xi in xis.items()},
                "season": season,
                "team_type": "club",
                "teams": [self.home.name, self.away.name],
                "toss": {"decision": decision, "winner": toss_winner.name},
                "venue": f"{self.home.name.split()[0]} Oval",
            },
            "innings": innings,
        }

    def _pick_xi(self, team: Team) -> list[Player]:
        """The XI in batting order: the best of each role on current form, then ordered by batting skill."""
        form = self.config.form_spread
        xi = []
        for role, count in zip(_ROLES, self.config.xi):
            pool = [p for p in team.squad if p.role == role]
            pool.sort(key=lambda p: -(max(p.batting, p.bowling) + self.rng.gauss(0.0, form)))
            xi += pool[:count]
        xi.sort(key=lambda p: -(p.batting + self.rng.gauss(0.0, form / 2)))
        return xi

    def _innings(self, first: str, second: str, sides: list[Side]) -> tuple[list[dict], dict]:
        """Both innings (plus super overs) as Cricsheet innings, and the outcome."""
        overs, rates, quota = self.config.overs, self.config.rates, max(1, self.config.overs // 5)
        rain_innings, rain_over = self._rain()
        plan = bowling_plan(self.rng, sides[1], overs, quota)
        rain = rain_over if rain_innings == 1 else None
        one = play_innings(self.rng, rates, sides[0], sides[1], plan, None, self.pitch, rain_after=rain)
        innings = [{"team": first, "overs": one.overs}]
        if rain_innings == 1:
            return innings, {"result": "no result"}
        target = one.runs + 1
        plan = bowling_plan(self.rng, sides[0], overs, quota)
        rain = rain_over if rain_innings == 2 else None
        two = play_innings(self.rng, rates, sides[1], sides[0], plan, target, self.pitch, rain_after=rain)
        innings.append({"team": second, "overs": two.overs, "target": {"overs": overs, "runs": target}})
        if rain_innings == 2 and two.runs < target:
            return innings, {"result": "no result"}
        return innings, self._outcome(first, second, sides, one, two, innings)

    def _rain(self) -> tuple[int, int | None]:
        """(innings, overs bowled) when rain ends the match without a result, else (0, None)."""
        if self.rng.random() >= self.config.no_result_rate:
            return 0, None
        return self.rng.choice((1, 2)), self.rng.randint(1, max(1, self.config.overs - 1))

    def _outcome(self, first: str, second: str, sides, one: InningsScore, two: InningsScore, innings) -> dict:
        if two.runs > one.runs:
            return {"winner": second, "by": {"wickets": 10 - two.wickets}}
        if two.runs < one.runs:
            return {"winner": first, "by": {"runs": one.runs - two.runs}}
        return {"result": "tie", "eliminator": self._super_overs(first, second, sides, innings)}

    def _super_overs(self, first: str, second: str, sides: list[Side], innings: list[dict]) -> str:
        """Play super overs until one side wins (the side batting second bats first); return the winner."""
        rates = self.config.rates
        while True:
            plan = [_best_bowler(sides[0])]
            a = play_innings(self.rng, rates, _top_order(sides[1]), sides[0], plan, None, self.pitch, 2)
            plan = [_best_bowler(sides[1])]
            b = play_innings(self.rng, rates, _top_order(sides[0]), sides[1], plan, a.runs + 1, self.pitch, 2)
            innings += [{"team": second, "overs": a.overs, "super_over": True},
                        {"team": first, "overs": b.overs, "super_over": True}]
            if a.runs != b.runs:
                return second if a.runs > b.runs else first


def _side(xi: list[Player], part_timers: int) -> Side:
    """The XI as a Side whose bowling options are its bowlers, all-rounders and best part-time bowlers."""
    order = sorted(range(len(xi)), key=lambda i: -xi[i].bowling)
    specialists = [i for i in order if xi[i].role != "batter"]
    options = specialists + [i for i in order if xi[i].role == "batter"][:part_timers]
    return Side([p.name for p in xi], [p.batting for p in xi], [p.bowling for p in xi], options)


def _top_order(side: Side) -> Side:
    return Side(side.names[:3], side.batting[:3], side.bowling[:3], [])


def _best_bowler(side: Side) -> int:
    return side.bowlers[0]


def simulate_matches(
    matches: int = 1000, seed: int = 7, config: LeagueConfig | None = None
) -> Iterator[tuple[str, dict]]:
    """Simulate `matches` matches of a new league.

    Args:
        matches: how many matches, >= 1.
        seed: the same seed gives identical matches.
        config: league sizes and spreads; None for the defaults.

    Yields:
        (file name "1.json", "2.json", ..., Cricsheet JSON dict) in the order played.
    """
    if matches < 1:
        raise ValueError(f"matches is {matches}; simulate at least 1 match.")
    league = League(config, seed)
    for _ in range(matches):
        yield league.play()


def build_sample(matches: int = 1000, seed: int = 7, features: str = "leakfree") -> ImportResult:
    """The embedded sample: a simulated league imported exactly as a Cricsheet zip would be.

    Args:
        matches: matches to simulate (a few abandoned ones are skipped by the importer).
        seed: random seed; the same seed gives the same rows.
        features: feature variant, "leakfree" (default) or "yorkr".

    Returns:
        ImportResult with integer matchId 1..matches (gaps where a match was abandoned).
    """
    return import_matches(simulate_matches(matches, seed), features=features, name="the simulated league")
