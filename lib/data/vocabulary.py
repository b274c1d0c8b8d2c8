"""Player vocabularies: name <-> index for batters and for bowlers (separate, as in t20.csv)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np

from lib.data import files
from lib.data.schema import BATTER, UNKNOWN_PLAYER


@dataclass
class Vocabulary:
    """Batter and bowler names by index. Index 0 is the unknown player; known players start at 1.

    Attributes:
        batters: batters[i - 1] is the name of batter index i.
        bowlers: bowlers[i - 1] is the name of bowler index i.
    """

    batters: list[str] = field(default_factory=list)
    bowlers: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._batter_index = {name: i + 1 for i, name in enumerate(self.batters)}
        self._bowler_index = {name: i + 1 for i, name in enumerate(self.bowlers)}

    @classmethod
    def from_names(cls, batters, bowlers) -> Vocabulary:
        """A vocabulary whose indices follow sorted names, so the same source always gets the same indices."""
        return cls(sorted(set(batters)), sorted(set(bowlers)))

    def batter_index(self, name: str) -> int:
        return self._batter_index.get(name, UNKNOWN_PLAYER)

    def bowler_index(self, name: str) -> int:
        return self._bowler_index.get(name, UNKNOWN_PLAYER)

    def batter_indices(self, names: Sequence[str]) -> np.ndarray:
        """(N,) int64 batter index of each name, UNKNOWN_PLAYER for a name not in the vocabulary; without a Python
        call per name, as an import maps hundreds of thousands of names."""
        return _indices(self._batter_index, names)

    def bowler_indices(self, names: Sequence[str]) -> np.ndarray:
        """(N,) int64 bowler index of each name, UNKNOWN_PLAYER for a name not in the vocabulary."""
        return _indices(self._bowler_index, names)

    def player_name(self, column: str, index: int) -> str | None:
        """The name of player `index` of a player column (BATTER or BOWLER), or None for the unknown player 0 and
        an index the vocabulary does not hold."""
        names = self.batters if column == BATTER else self.bowlers
        return names[index - 1] if 0 < index <= len(names) else None

    def to_json(self) -> dict:
        return {"unknown_index": UNKNOWN_PLAYER, "batters": self.batters, "bowlers": self.bowlers}

    @classmethod
    def from_json(cls, data: dict) -> Vocabulary:
        return cls(list(data["batters"]), list(data["bowlers"]))

    def save(self, path: str | Path) -> None:
        files.write_text(path, json.dumps(self.to_json()))

    @classmethod
    def load(cls, path: str | Path) -> Vocabulary:
        return cls.from_json(json.loads(Path(path).read_text()))



def _indices(index: dict[str, int], names: Sequence[str]) -> np.ndarray:
    return np.fromiter(map(index.get, names, repeat(UNKNOWN_PLAYER)), np.int64, len(names))
