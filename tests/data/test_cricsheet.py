"""The Cricsheet importer on hand-made matches whose every feature is worked out on paper."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import numpy as np
import pytest

from lib.data.cricsheet.importer import (
    BATTER_NAME,
    BATTING_TEAM,
    BOWLER_NAME,
    BOWLING_TEAM,
    DATE,
    EVENT,
    FEATURE_VARIANTS,
    OVER,
    PLAYER_OUT,
    VARIANT_HELP,
    WICKET_FELL,
    CricsheetError,
    import_cricsheet,
    import_matches,
)
from lib.data.schema import (
    BALL_NUM,
    BALLS_REMAINING,
    BATTER,
    BOWLER,
    INNINGS,
    MATCH_ID,
    META_COLUMNS,
    MODEL_COLUMNS,
    MOMENTUM,
    PERF_INDEX,
    RUN_RATE,
    RUNS,
    UNKNOWN_PLAYER,
    WICKETS,
    WINNER,
)
from lib.data.validation import validate
from lib.data.vocabulary import Vocabulary
from tests.cricsheet_fixtures import dl_match, no_result_match, paper_match, super_over_match, with_changes

# Ants' innings of paper_match (see its docstring): R, W and legal balls after each of 14 deliveries.
ANTS_R = [1, 2, 6, 6, 9, 9, 10, 10, 10, 16, 18, 18, 19, 19]
ANTS_W = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2]
# Bees chase 20 (first-innings 19 + 1, also the file's target) in 8 deliveries, all legal.
BEES_R = [4, 4, 5, 11, 13, 14, 14, 20]
BEES_W = [0, 1, 1, 1, 1, 1, 1, 1]


def _column(frame, innings, column):
    return frame.loc[frame[INNINGS] == innings, column].tolist()


def test_first_innings_leakfree_on_paper():
    # Setup: 2 overs = 12 legal balls; the wide (2) and no-ball (5) use none.
    balls_left = [11, 11, 10, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]

    # Run
    frame = import_matches([("1.json", paper_match())]).deliveries

    # Assert
    assert _column(frame, 1, BALL_NUM) == list(range(1, 15))
    assert _column(frame, 1, RUNS) == ANTS_R
    assert _column(frame, 1, WICKETS) == ANTS_W
    assert _column(frame, 1, BALLS_REMAINING) == balls_left
    assert _column(frame, 1, RUN_RATE) == pytest.approx([r / i for i, r in enumerate(ANTS_R, 1)])
    assert _column(frame, 1, PERF_INDEX) == pytest.approx([r / i * (11 - w) for i, (r, w) in
                                                           enumerate(zip(ANTS_R, ANTS_W), 1)])
    # the last ball leaves 0 balls: momentum divides by 1, 9 wickets in hand
    assert _column(frame, 1, MOMENTUM) == pytest.approx([11 / 11, 11 / 11, 11 / 10, 10 / 9, 10 / 9, 10 / 8, 10 / 7,
                                                         10 / 6, 10 / 5, 10 / 4, 10 / 3, 9 / 2, 9 / 1, 9 / 1])
    assert _column(frame, 1, WINNER) == [0] * 14


def test_chase_leakfree_on_paper():
    # Setup: Bees need 20 in 12 balls; all 8 deliveries legal.
    required = [16, 16, 15, 9, 7, 6, 6, 0]
    balls_left = [11, 10, 9, 8, 7, 6, 5, 4]

    # Run
    frame = import_matches([("1.json", paper_match())], features="leakfree").deliveries

    # Assert
    assert _column(frame, 2, BALL_NUM) == list(range(15, 23))
    assert _column(frame, 2, RUNS) == required
    assert _column(frame, 2, BALLS_REMAINING) == balls_left
    assert _column(frame, 2, WICKETS) == BEES_W
    assert _column(frame, 2, RUN_RATE) == pytest.approx([16 / 11, 16 / 10, 15 / 9, 9 / 8, 7 / 7, 6 / 6, 6 / 5, 0 / 4])
    assert _column(frame, 2, MOMENTUM) == pytest.approx([11 / 11, 10 / 10, 10 / 9, 10 / 8, 10 / 7, 10 / 6, 10 / 5,
                                                         10 / 4])
    assert _column(frame, 2, PERF_INDEX) == pytest.approx([44, 20, 50 / 3, 27.5, 26, 70 / 3, 20, 25])
    assert _column(frame, 2, WINNER) == [1] * 8


def test_yorkr_counts_down_the_deliveries_the_innings_lasted():
    # Setup: n1 = 14 deliveries (wide and no-ball included), n2 = 8.

    # Run
    frame = import_matches([("1.json", paper_match())], features="yorkr").deliveries

    # Assert
    assert _column(frame, 1, BALLS_REMAINING) == list(range(14, 0, -1))
    assert _column(frame, 1, MOMENTUM) == pytest.approx([(11 - w) / (15 - i) for i, w in enumerate(ANTS_W, 1)])
    assert _column(frame, 1, RUNS) == ANTS_R
    assert _column(frame, 2, BALLS_REMAINING) == [8, 7, 6, 5, 4, 3, 2, 1]
    assert _column(frame, 2, RUNS) == [16, 16, 15, 9, 7, 6, 6, 0]
    assert _column(frame, 2, RUN_RATE) == pytest.approx([2, 16 / 7, 2.5, 9 / 5, 7 / 4, 2, 3, 0])
    assert _column(frame, 2, MOMENTUM) == pytest.approx([11 / 8, 10 / 7, 10 / 6, 2, 2.5, 10 / 3, 5, 10])
    assert _column(frame, 2, BALL_NUM) == list(range(15, 23))


def test_descriptive_columns_and_types():
    # Setup
    frame = import_matches([("335988.json", paper_match())]).deliveries

    # Run
    ants = frame[frame[INNINGS] == 1]

    # Assert
    assert list(frame.columns) == [MATCH_ID, INNINGS, DATE, EVENT, BATTING_TEAM, BOWLING_TEAM, BATTER_NAME,
                                   BOWLER_NAME, OVER, WICKET_FELL, PLAYER_OUT, *MODEL_COLUMNS]
    assert frame[MATCH_ID].dtype == np.int64 and set(frame[MATCH_ID]) == {335988}
    assert ants[WICKET_FELL].tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    assert ants[PLAYER_OUT].tolist()[3] == "A Two" and ants[PLAYER_OUT].tolist()[8] == ""
    assert ants[PLAYER_OUT].tolist()[11] == "A Four"
    assert ants[OVER].tolist() == [0] * 8 + [1] * 6
    assert ants[BATTER_NAME].tolist()[:3] == ["A One", "A Two", "A Two"]
    assert set(ants[BOWLER_NAME]) == {"B Bowl", "B Spin"}
    assert set(frame[BATTING_TEAM]) == {"Ants", "Bees"}
    assert (frame[BATTING_TEAM] != frame[BOWLING_TEAM]).all()
    assert set(frame[DATE]) == {"2024-04-01"} and set(frame[EVENT]) == {"Paper Cup"}
    for column in [BATTER, BOWLER, BALL_NUM, BALLS_REMAINING, RUNS, WICKETS, WINNER]:
        assert frame[column].dtype == np.int64, column
    for column in [RUN_RATE, MOMENTUM, PERF_INDEX]:
        assert frame[column].dtype == np.float64, column


def test_dl_target_and_reduced_overs_only_in_leakfree():
    # Setup: target 8 off 1.3 overs = 9 balls; yorkr uses 12 + 1 = 13 and the 4 deliveries bowled.
    matches = [("2.json", dl_match())]

    # Run
    leakfree = import_matches(matches, "leakfree").deliveries
    yorkr = import_matches(matches, "yorkr").deliveries

    # Assert
    assert _column(leakfree, 2, RUNS) == [6, 4, 4, 0]
    assert _column(leakfree, 2, BALLS_REMAINING) == [8, 7, 6, 5]
    assert _column(leakfree, 2, RUN_RATE) == pytest.approx([6 / 8, 4 / 7, 4 / 6, 0])
    assert _column(yorkr, 2, RUNS) == [11, 9, 9, 5]
    assert _column(yorkr, 2, RUN_RATE) == pytest.approx([11 / 4, 3, 4.5, 5])
    assert _column(leakfree, 2, WINNER) == [1] * 4 and _column(leakfree, 1, WINNER) == [0] * 12


def test_super_over_is_dropped_and_eliminator_wins():
    # Setup

    # Run
    result = import_matches([("3.json", super_over_match())])

    # Assert
    frame = result.deliveries
    assert frame[INNINGS].tolist() == [1] * 6 + [2] * 6
    assert _column(frame, 2, WINNER) == [1] * 6 and _column(frame, 1, WINNER) == [0] * 6
    assert "S Hitter" not in result.vocabulary.batters and "S Slinger" not in result.vocabulary.bowlers
    assert _column(frame, 2, RUNS) == [6, 5, 4, 3, 2, 1]  # tied: one run still needed after the last ball


def test_skips_are_counted_by_reason():
    # Setup
    tie = with_changes(paper_match(), lambda m: m["info"].update(outcome={"result": "tie"}))
    awarded = with_changes(paper_match(), lambda m: m["info"].update(outcome={"result": "awarded"}))
    one_innings = with_changes(paper_match(), lambda m: m["innings"].pop())
    matches = [("1.json", paper_match()), ("4.json", no_result_match()), ("5.json", tie), ("6.json", awarded),
               ("7.json", one_innings), ("2.json", dl_match())]

    # Run
    result = import_matches(matches)

    # Assert
    report = result.report
    assert (report.files_read, report.matches_kept) == (6, 2)
    assert report.skipped == {"no result": ["4.json"], "tie without super over": ["5.json"], "awarded": ["6.json"],
                              "fewer than two regular innings": ["7.json"]}
    assert report.malformed == []
    assert result.deliveries[MATCH_ID].unique().tolist() == [1, 2]
    assert report.lines()[:2] == ["2 matches imported (6 files read)", ("4 skipped: no result (1), tie without super "
                                  "over (1), awarded (1), fewer than two regular innings (1)")]


def test_malformed_file_is_reported_and_the_rest_imported(tmp_path):
    # Setup
    no_runs = with_changes(paper_match(), lambda m: m["innings"][1]["overs"][0]["deliveries"][2].pop("runs"))
    text_total = with_changes(paper_match(), lambda m: m["innings"][0]["overs"][1]["deliveries"][0]["runs"]
                              .update(total="4"))
    files = {"1.json": json.dumps(paper_match()), "2.json": json.dumps(dl_match()), "bad.json": "{not json",
             "noinnings.json": json.dumps({"info": {}}), "noruns.json": json.dumps(no_runs),
             "text.json": json.dumps(text_total)}
    for name, text in files.items():
        (tmp_path / name).write_text(text)

    # Run
    result = import_cricsheet(tmp_path)

    # Assert
    malformed = dict(result.report.malformed)
    assert result.report.matches_kept == 2 and set(malformed) == {"bad.json", "noinnings.json", "noruns.json",
                                                                  "text.json"}
    assert "not valid JSON" in malformed["bad.json"]
    assert "'innings'" in malformed["noinnings.json"]
    assert "innings 2, over entry 1, delivery 3: no 'runs'" in malformed["noruns.json"]
    assert "runs.total is '4'" in malformed["text.json"]
    assert result.deliveries[MATCH_ID].unique().tolist() == [1, 2]


def test_no_usable_match_raises_with_counts():
    # Setup
    matches = [("4.json", no_result_match()), ("9.json", [1, 2, 3])]

    # Run
    with pytest.raises(CricsheetError) as error:
        import_matches(matches, name="rain.zip")

    # Assert
    message = str(error.value)
    assert "No usable match in rain.zip" in message
    assert "2 JSON files read" in message and "1 skipped (no result (1))" in message
    assert "1 malformed (first: 9.json" in message


def _zip(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bytes_import_ignores_readme():
    # Setup
    data = _zip({"README.txt": "Cricsheet", "1.json": json.dumps(paper_match()), "2.json": json.dumps(dl_match())})

    # Run
    result = import_cricsheet(data, name="upload.zip")

    # Assert
    assert result.report.files_read == 2 and result.report.matches_kept == 2
    assert result.features == "leakfree"
    validate(result.deliveries[META_COLUMNS + MODEL_COLUMNS])


def test_single_json_file_object():
    # Setup
    upload = io.BytesIO(json.dumps(paper_match()).encode())
    upload.name = "1082648.json"

    # Run
    result = import_cricsheet(upload)

    # Assert
    assert result.deliveries[MATCH_ID].unique().tolist() == [1082648]
    assert len(result.deliveries) == 22
    assert not upload.closed  # a Streamlit upload is the caller's to close


def test_duplicate_match_id_is_skipped():
    # Setup
    matches = [("1.json", paper_match()), ("1.json", dl_match()), ("2.json", dl_match())]

    # Run
    result = import_matches(matches)

    # Assert
    assert result.report.skipped == {"same match id as an earlier file": ["1.json"]}
    assert result.deliveries[MATCH_ID].unique().tolist() == [1, 2]


@pytest.mark.parametrize("member", ["../evil.json", "/etc/evil.json", "a/../../evil.json", "C:/evil.json"])
def test_zip_with_unsafe_path_is_refused(member):
    # Setup
    data = _zip({"1.json": json.dumps(paper_match()), member: "{}"})

    # Run
    with pytest.raises(CricsheetError) as error:
        import_cricsheet(data, name="evil.zip")

    # Assert
    assert "unsafe path" in str(error.value) and member in str(error.value)


def test_zip_declaring_more_than_the_limit_is_refused():
    # Setup: 5,000 zero bytes compress to a few dozen
    data = _zip({"1.json": json.dumps(paper_match()), "bomb.json": b"\0" * 5000})

    # Run
    with pytest.raises(CricsheetError) as error:
        import_cricsheet(data, name="bomb.zip", max_bytes=4000)

    # Assert
    assert "over the limit of 3.9 KiB" in str(error.value) and "zip bomb" in str(error.value)


def test_zip_with_too_many_files_is_refused():
    # Setup
    data = _zip({f"{i}.json": "{}" for i in range(6)})

    # Run
    with pytest.raises(CricsheetError) as error:
        import_cricsheet(data, max_files=5)

    # Assert
    assert "6 members, over the limit of 5 files" in str(error.value)


def test_zip_whose_directory_understates_a_member_reads_no_more_than_declared():
    # Setup: the central directory of bomb.json claims 10 bytes; the member really inflates to 100,000.
    data = bytearray(_zip({"1.json": json.dumps(paper_match()), "2.json": json.dumps(dl_match()),
                           "bomb.json": b"{" * 100_000}))
    entry = data.rindex(b"PK\x01\x02")  # last central-directory record: bomb.json
    struct.pack_into("<I", data, entry + 24, 10)

    # Run
    result = import_cricsheet(bytes(data), max_bytes=50_000)

    # Assert
    assert result.report.matches_kept == 2
    assert [name for name, _ in result.report.malformed] == ["bomb.json"]


def test_not_a_zip_is_refused(tmp_path):
    # Setup
    path = tmp_path / "matches.zip"
    path.write_bytes(b"PK\x03\x04 but truncated")
    text = tmp_path / "notes.txt"
    text.write_text("hello")

    # Run
    with pytest.raises(CricsheetError) as broken:
        import_cricsheet(path)
    with pytest.raises(CricsheetError) as other:
        import_cricsheet(text.read_bytes(), name="notes.txt")

    # Assert
    assert "matches.zip is not a readable zip archive" in str(broken.value)
    assert "notes.txt is neither a zip archive nor a JSON match" in str(other.value)


def test_given_vocabulary_maps_unknown_players_to_zero():
    # Setup
    vocabulary = Vocabulary(batters=["B One", "A One"], bowlers=["B Bowl"])

    # Run
    frame = import_matches([("1.json", paper_match())], vocabulary=vocabulary).deliveries

    # Assert
    batters = dict(zip(frame[BATTER_NAME], frame[BATTER]))
    assert batters["B One"] == 1 and batters["A One"] == 2 and batters["A Four"] == UNKNOWN_PLAYER
    bowlers = dict(zip(frame[BOWLER_NAME], frame[BOWLER]))
    assert bowlers == {"B Bowl": 1, "B Spin": 0, "A Bowl": 0, "A Spin": 0}


def test_vocabulary_is_sorted_and_stable_across_imports():
    # Setup
    data = _zip({"2.json": json.dumps(dl_match()), "1.json": json.dumps(paper_match())})

    # Run
    first = import_cricsheet(data)
    second = import_cricsheet(data)

    # Assert
    assert first.vocabulary.batters == sorted(first.vocabulary.batters)
    assert first.vocabulary == second.vocabulary
    assert first.deliveries.equals(second.deliveries)


def test_unknown_variant_and_help():
    # Setup / Run
    with pytest.raises(ValueError) as error:
        import_matches([("1.json", paper_match())], features="t20")

    # Assert
    assert "leakfree, yorkr" in str(error.value)
    assert FEATURE_VARIANTS[0] == "leakfree" and set(VARIANT_HELP) == set(FEATURE_VARIANTS)
    assert "leak" in VARIANT_HELP["leakfree"] and "yorkr" in VARIANT_HELP["leakfree"]


def test_a_player_index_reads_back_as_its_name_and_unknown_indices_as_none():
    # Setup: indices follow sorted names, 1-based; 0 is the unknown player
    vocabulary = Vocabulary.from_names(["B Batter", "A Batter"], ["Z Bowler"])

    # Run / Assert
    assert vocabulary.player_name(BATTER, 1) == "A Batter" and vocabulary.player_name(BATTER, 2) == "B Batter"
    assert vocabulary.player_name(BOWLER, 1) == "Z Bowler"
    assert vocabulary.player_name(BATTER, 0) is None and vocabulary.player_name(BOWLER, 2) is None
