"""Importing Cricsheet JSON matches into t20.csv rows with the ten model columns.

Cricsheet's format: https://cricsheet.org/format/json/ (data_version 1.0.0 and 1.1.0). Each match
keeps its two regular innings (super overs are dropped); matches without a winner or without two
innings are skipped and counted by reason; files that do not follow the format are reported by name
and skipped. Parsing is per match in Python; the features are computed vectorised in lib.data.cricsheet.features.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.data.cricsheet.archive import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_FILES,
    MAX_MATCH_BYTES,
    CricsheetError,
    Limits,
    MatchFile,
    read_match_files,
    source_name,
)
from lib.data.cricsheet.features import (
    FEATURE_VARIANTS,
    VARIANT_HELP,
    DeliveryFacts,
    MatchFacts,
    check_variant,
    state_columns,
)
from lib.data.cricsheet.match import NOT_T20, Malformed, MatchColumns, match_stem, parse_match
from lib.data.cricsheet.match_events import import_events
from lib.data.events import DATE, OVER, PLAYER_OUT, WICKET, MatchEvents
from lib.data.schema import BATTER, BOWLER, INNINGS, MATCH_ID, MODEL_COLUMNS
from lib.data.validation import ids_from_text, outside_ranges
from lib.data.vocabulary import Vocabulary

__all__ = [
    "FEATURE_VARIANTS",
    "MAX_ARCHIVE_BYTES",
    "MAX_ARCHIVE_FILES",
    "MAX_MATCH_BYTES",
    "VARIANT_HELP",
    "CricsheetError",
    "ImportReport",
    "ImportResult",
    "import_cricsheet",
    "import_matches",
]

EVENT = "event"
BATTING_TEAM = "battingTeam"
BOWLING_TEAM = "bowlingTeam"
BATTER_NAME = "batter"
BOWLER_NAME = "bowler"
WICKET_FELL = WICKET
DESCRIPTIVE_COLUMNS = [DATE, EVENT, BATTING_TEAM, BOWLING_TEAM, BATTER_NAME, BOWLER_NAME, OVER, WICKET_FELL, PLAYER_OUT]
"""Columns of an import between matchId/innings and the model columns, in order: the first date of the
match (ISO), the event's name, the teams, the players' names, Cricsheet's 0-based over, 1 when a
counted wicket fell on the delivery, and the name of the batter out ("" when none)."""

_MALFORMED_LINES = 10
"""Malformed files named one per line in a report; the rest are counted."""


@dataclass
class ImportReport:
    """What an import did with each file.

    Attributes:
        files_read: JSON files read, including skipped and malformed ones.
        matches_kept: matches whose deliveries are in the result.
        skipped: reason ("no result", "tie without super over", "awarded", "fewer than two regular
            innings", ...) -> names of the files skipped for it.
        malformed: (file name, what is wrong) for files that do not follow the Cricsheet format.
    """

    files_read: int = 0
    matches_kept: int = 0
    skipped: dict[str, list[str]] = field(default_factory=dict)
    malformed: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, reason: str, file_name: str) -> None:
        self.skipped.setdefault(reason, []).append(file_name)

    @property
    def skipped_count(self) -> int:
        return sum(len(names) for names in self.skipped.values())

    def lines(self) -> list[str]:
        """A human summary: matches imported, then skips by reason, then each malformed file."""
        lines = [(f"{self.matches_kept:,} {_plural(self.matches_kept, 'match')} imported "
                 f"({self.files_read:,} {_plural(self.files_read, 'file')} read)")]
        if self.skipped:
            reasons = ", ".join(f"{reason} ({len(names):,})" for reason, names in self.skipped.items())
            lines.append(f"{self.skipped_count:,} skipped: {reasons}")
        for reason, names in self.skipped.items():
            if reason.startswith(NOT_T20):
                shown = ", ".join(names[:_MALFORMED_LINES]) + (" ..." if len(names) > _MALFORMED_LINES else "")
                lines.append(f"  {reason}: {shown}")
        if self.malformed:
            lines.append(f"{len(self.malformed):,} malformed {_plural(len(self.malformed), 'file')} skipped:")
            lines += [f"  {name}: {problem}" for name, problem in self.malformed[:_MALFORMED_LINES]]
            if len(self.malformed) > _MALFORMED_LINES:
                lines.append(f"  ... and {len(self.malformed) - _MALFORMED_LINES:,} more")
        return lines


@dataclass
class ImportResult:
    """The rows of an import and how they were made.

    Attributes:
        deliveries: one row per delivery: matchId, innings, the DESCRIPTIVE_COLUMNS, then the ten
            model columns (lib.data.schema.MODEL_COLUMNS; integer ones int64, the rest float64).
        vocabulary: the player names behind batsmanIdx and bowlerIdx.
        report: files read, matches kept, skipped and malformed.
        features: the feature variant used, "leakfree" or "yorkr".
        events: the same matches as delivery events (lib.data.events), for the matches engine.
    """

    deliveries: pd.DataFrame
    vocabulary: Vocabulary
    report: ImportReport
    features: str
    events: MatchEvents


def import_cricsheet(
    source,
    features: str = "leakfree",
    vocabulary: Vocabulary | None = None,
    name: str | None = None,
    *,
    max_bytes: int = MAX_ARCHIVE_BYTES,
    max_files: int = MAX_ARCHIVE_FILES,
    max_match_bytes: int = MAX_MATCH_BYTES,
) -> ImportResult:
    """Import a Cricsheet zip, folder, JSON file or upload.

    Args:
        source: path to a .zip, a folder of .json files or one .json file; or bytes / a binary file
            object holding a zip or one JSON match (Streamlit uploads).
        features: feature variant, "leakfree" (default) or "yorkr"; see lib.data.cricsheet.features.
        vocabulary: map names through this (a trained model's) vocabulary, unknown players -> 0;
            None builds one from the imported names.
        name: the source's name in messages; defaults to the file name.
        max_bytes: refuse a source holding more uncompressed bytes than this.
        max_files: refuse a zip or folder with more files than this.
        max_match_bytes: skip, by name and unparsed, a match file holding more bytes than this.

    Returns:
        ImportResult; see `import_matches`.

    Raises:
        CricsheetError: not a zip or JSON, over a limit, unsafe member paths, or no usable match.
        ValueError: unknown feature variant.
    """
    check_variant(features)
    label = source_name(source, name)
    files = read_match_files(source, label, Limits(max_bytes, max_files, max_match_bytes))
    return _import(_decode(files), features, vocabulary, label)


def import_matches(
    matches: Iterable[tuple[str, dict]], features: str = "leakfree", vocabulary: Vocabulary | None = None,
    name: str = "the matches",
) -> ImportResult:
    """Import matches already decoded from JSON (the simulated league, tests).

    Args:
        matches: (file name such as "1082648.json", Cricsheet match dict) pairs, in the order rows are wanted.
        features: feature variant, "leakfree" (default) or "yorkr".
        vocabulary: as in `import_cricsheet`.
        name: what the matches are called in messages.

    Returns:
        ImportResult whose `deliveries` has one row per delivery of each kept match's two regular
        innings, ordered by match, innings, delivery. matchId is the file stem, int64 when every stem
        is a whole number and no two stems give the same one ("0123" and "123"), else text.

    Raises:
        CricsheetError: no match could be used; the message counts files read, skipped by reason, malformed.
    """
    check_variant(features)
    return _import(matches, features, vocabulary, name)


def _decode(files: Iterator[MatchFile]) -> Iterator[tuple[str, object]]:
    for file in files:
        if file.problem:
            yield file.name, Malformed(file.problem)
            continue
        try:
            yield file.name, json.loads(file.data)
        except (ValueError, RecursionError) as error:
            yield file.name, Malformed(f"not valid JSON ({_first_line(error)})")


def _import(matches, features: str, vocabulary: Vocabulary | None, name: str) -> ImportResult:
    columns, report = _collect(matches)
    if report.matches_kept == 0:
        raise CricsheetError(_nothing_usable(report, name))
    if vocabulary is None:
        vocabulary = Vocabulary.from_names(columns.batter, columns.bowler)
    ids = _match_ids(columns.stem)
    frame = _frame(columns, ids, features, vocabulary)
    events = import_events(columns, frame, ids, vocabulary)
    kept = _drop_out_of_range(frame, columns.stem, ids, features, report)
    if report.matches_kept == 0:
        raise CricsheetError(_nothing_usable(report, name))
    if len(kept) < len(frame):
        events = events.for_matches(kept[MATCH_ID].unique())
    return ImportResult(kept, vocabulary, report, features, events)


def _drop_out_of_range(frame: pd.DataFrame, stems: list[str], ids: np.ndarray, features: str,
                       report: ImportReport) -> pd.DataFrame:
    """Skip, by name, each match with a value outside the schema's ranges (a file with impossible scores), so
    that one odd file does not make the whole import fail validation."""
    outside = outside_ranges(frame, features)
    if not outside.any():
        return frame
    bad_ids = set(frame.loc[outside, MATCH_ID])
    for stem, match_id in zip(stems, ids):
        if match_id in bad_ids:
            report.skip(f"{NOT_T20} (a value outside the t20.csv ranges)", f"{stem}.json")
            report.matches_kept -= 1
    return frame[~frame[MATCH_ID].isin(bad_ids)].reset_index(drop=True)


def _collect(matches) -> tuple[MatchColumns, ImportReport]:
    """Parse each (file name, JSON or Malformed) in turn: keep it, skip it with a reason, or report it."""
    report = ImportReport()
    columns = MatchColumns()
    kept: set[str] = set()
    for file_name, data in matches:
        report.files_read += 1
        if isinstance(data, Malformed):
            report.malformed.append((file_name, str(data)))
            continue
        if match_stem(file_name) in kept:
            report.skip("same match id as an earlier file", file_name)
            continue
        try:
            skip_reason = parse_match(file_name, data, columns)
        except Malformed as problem:
            report.malformed.append((file_name, str(problem)))
            continue
        # One odd file must not abort the import of the good ones; it is named with what went wrong.
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as problem:
            report.malformed.append((file_name, f"could not be read ({type(problem).__name__}: {problem})"))
            continue
        if skip_reason:
            report.skip(skip_reason, file_name)
        else:
            report.matches_kept += 1
            kept.add(match_stem(file_name))
    return columns, report


def _frame(columns: MatchColumns, ids: np.ndarray, features: str, vocabulary: Vocabulary) -> pd.DataFrame:
    """The deliveries frame: ids and names, then the ten model columns."""
    innings_sizes = np.asarray(columns.innings_sizes, dtype=np.int64)
    innings_match = np.repeat(np.arange(len(columns.stem)), 2)
    match = np.repeat(innings_match, innings_sizes)
    innings = np.repeat(np.tile(np.array([1, 2], dtype=np.int64), len(columns.stem)), innings_sizes)
    state = state_columns(_delivery_facts(columns, match, innings), _match_facts(columns), features)
    teams = np.asarray(columns.teams, dtype=object)
    frame = {
        MATCH_ID: ids[match],
        INNINGS: innings,
        DATE: np.asarray(columns.date, dtype=object)[match],
        EVENT: np.asarray(columns.event, dtype=object)[match],
        BATTING_TEAM: np.repeat(teams, innings_sizes),
        BOWLING_TEAM: np.repeat(teams.reshape(-1, 2)[:, ::-1].ravel(), innings_sizes),
        BATTER_NAME: np.asarray(columns.batter, dtype=object),
        BOWLER_NAME: np.asarray(columns.bowler, dtype=object),
        OVER: np.asarray(columns.over, dtype=np.int64),
        WICKET_FELL: (np.asarray(columns.wickets, dtype=np.int64) > 0).astype(np.int64),
        PLAYER_OUT: np.asarray(columns.player_out, dtype=object),
        BATTER: vocabulary.batter_indices(columns.batter),
        BOWLER: vocabulary.bowler_indices(columns.bowler),
        **state,
    }
    ordered = [MATCH_ID, INNINGS, *DESCRIPTIVE_COLUMNS, *MODEL_COLUMNS]
    return pd.DataFrame({column: frame[column] for column in ordered})


def _delivery_facts(columns: MatchColumns, match: np.ndarray, innings: np.ndarray) -> DeliveryFacts:
    return DeliveryFacts(
        match=match,
        innings=innings,
        total=np.asarray(columns.total, dtype=np.int64),
        wickets=np.asarray(columns.wickets, dtype=np.int64),
        legal=np.asarray(columns.legal, dtype=bool),
    )


def _match_facts(columns: MatchColumns) -> MatchFacts:
    return MatchFacts(
        first_balls=np.asarray(columns.first_balls, dtype=np.int64),
        chase_balls=np.asarray(columns.chase_balls, dtype=np.int64),
        target=np.asarray(columns.target, dtype=np.int64),
        first_won=np.asarray(columns.first_won, dtype=bool),
    )


def _match_ids(stems: list[str]) -> np.ndarray:
    """File stems as int64 when every one is a whole number and no two give the same one (Cricsheet's match ids),
    else as text: "0123.json" and "123.json" stay two matches (lib.data.validation.ids_from_text)."""
    return ids_from_text(np.asarray(stems, dtype=object))


def _nothing_usable(report: ImportReport, name: str) -> str:
    if report.files_read == 0:
        return (
            f"No usable match in {name}: it holds no .json match files. A Cricsheet zip holds one "
            "<match id>.json per match (plus README.txt)."
        )
    parts = [f"{report.files_read:,} JSON {_plural(report.files_read, 'file')} read"]
    if report.skipped:
        reasons = ", ".join(f"{reason} ({len(names):,})" for reason, names in report.skipped.items())
        parts.append(f"{report.skipped_count:,} skipped ({reasons})")
    if report.malformed:
        first, problem = report.malformed[0]
        parts.append(f"{len(report.malformed):,} malformed (first: {first}: {problem})")
    return (
        f"No usable match in {name}: " + "; ".join(parts) + ". A usable match has two regular innings and "
        "a winner (a tie needs a super-over eliminator)."
    )


def _plural(count: int, word: str) -> str:
    if count == 1:
        return word
    return word + ("es" if word.endswith("ch") else "s")


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__
