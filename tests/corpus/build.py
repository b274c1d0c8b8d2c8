"""Write the bad-input corpus: files a user might upload or pass on the command line, each with the message
they must see (manifest.json). Run from the repository root to rebuild: python tests/corpus/build.py

Every file is small and committed, except the 10 MB line, which the tests generate (see `long_line`).
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from lib.data.schema import MODEL_COLUMNS
from tests.cricsheet_fixtures import no_result_match, paper_match, with_changes

LONG_LINE_BYTES = 10 * 1024 * 1024


def good_rows() -> pd.DataFrame:
    """Two matches of three deliveries a side: a valid t20.csv that each bad table breaks in one way."""
    rows = []
    for match in range(2):
        for ball in range(1, 7):
            rows.append([1 + match, 2, ball, 7 - ball, ball, 1.0, 0, 1.5, 11.0, int(ball > 3)])
    return pd.DataFrame(rows, columns=MODEL_COLUMNS)


def csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def long_line() -> bytes:
    """A header, then 10 MB without a newline."""
    return b",".join(c.encode() for c in MODEL_COLUMNS) + b"\n" + b"1" * LONG_LINE_BYTES


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A 200-byte zip whose directory says its one member expands to 3 GiB, past the 2 GiB limit."""
    data = bytearray(zip_of({"1.json": b"{}"}))
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 3 * 1024**3)  # uncompressed size in the central directory
    return bytes(data)


def match_json(data: dict) -> bytes:
    return json.dumps(data).encode()


def keras_h5() -> bytes:
    """The first bytes of a Keras .h5 model: the HDF5 signature is what identifies it."""
    return b"\x89HDF\r\n\x1a\n" + bytes(2048)


def torch_pt() -> bytes:
    """A PyTorch .pt file is a zip holding archive/data.pkl."""
    return zip_of({"archive/data.pkl": b"\x80\x02}q\x00.", "archive/version": b"3\n"})


def cases() -> list[tuple[str, str, bytes, str]]:
    """(file name, what it is uploaded as, content, message the user must see)."""
    g = good_rows()
    text = g.astype(object)
    text.iloc[2, 4] = "ten"
    nan, inf = g.copy(), g.copy()
    nan.iloc[1, 5] = float("nan")
    inf.iloc[4, 7] = float("inf")
    wrong_types = io.BytesIO()
    g.astype({"runs": str}).assign(runs=lambda f: f["runs"] + " runs").to_parquet(wrong_types)
    synthetic = g.iloc[:6].copy()
    synthetic.loc[0, "batsmanIdx"] = 999
    delivery = paper_match()
    del delivery["innings"][0]["overs"][0]["deliveries"][0]["runs"]
    return [
        ("missing_column.csv", "table", csv(g.drop(columns=["runsMomentum"])), "missing column(s) runsMomentum"),
        ("extra_column.csv", "table", csv(g.assign(venue="Eden")), "unknown column(s) 'venue'"),
        ("text_in_numeric.csv", "table", csv(text), "column runs: row 3 has the text 'ten'"),
        ("nan.csv", "table", csv(nan), "column runRate: row 2 is empty or NaN"),
        ("inf.csv", "table", csv(inf), "column runsMomentum: row 5 is infinite"),
        ("negative_index.csv", "table", csv(g.assign(bowlerIdx=-1)), "column bowlerIdx: row 1 is -1"),
        ("winner_2.csv", "table", csv(g.assign(isWinner=2)), "column isWinner: row 1 is 2"),
        ("one_row.csv", "table", csv(g.iloc[:1]), "holds 1 match"),
        ("one_match.csv", "table", csv(g.iloc[:6]), "holds 1 match"),
        ("one_class.csv", "table", csv(g.assign(isWinner=0)), "every row has isWinner = 0"),
        ("fractional_index.csv", "table", csv(g.assign(batsmanIdx=1.5)),
         "column batsmanIdx: row 1 is 1.5, but this column holds whole numbers"),
        ("empty.csv", "table", b"", "is empty"),
        ("header_only.csv", "table", ",".join(MODEL_COLUMNS).encode() + b"\n", "has a header but no rows"),
        ("non_utf8.csv", "table", csv(g).replace(b"runRate", "r\xe9nRate".encode("latin-1")), "is not UTF-8 text"),
        ("png_renamed.csv", "table", b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG image"),
        ("wrong_types.parquet", "table", wrong_types.getvalue(), "column runs: row 1 has the text '1 runs'"),
        ("model_saved_as.csv", "table", keras_h5(), "is an HDF5 file, such as a Keras .h5 model"),
        ("not_a_zip.zip", "cricsheet", b"PK\x03\x04 this is not really a zip", "is not a readable zip archive"),
        ("zip_bomb.zip", "cricsheet", zip_bomb(), "refusing it as a possible zip bomb"),
        ("traversal.zip", "cricsheet", zip_of({"../../etc/1.json": match_json(paper_match())}), "unsafe path"),
        ("not_json.json", "cricsheet", b"{this is not json", "not valid JSON"),
        ("no_innings.json", "cricsheet", match_json(with_changes(paper_match(), lambda m: m.pop("innings"))),
         "no_innings.json: the match has no 'innings'"),
        ("delivery_without_runs.json", "cricsheet", match_json(delivery), "delivery 1: no 'runs' key"),
        ("all_no_result.zip", "cricsheet", zip_of({f"{i}.json": match_json(no_result_match()) for i in (1, 2)}),
         "no result (2)"),
        ("torch_model.zip", "cricsheet", torch_pt(), "is a PyTorch model (.pt/.pth) archive"),
        ("wp_model.zip", "cricsheet", zip_of({"wp-1/model.keras": b"PK", "wp-1/model.h5": keras_h5(),
                                              "wp-1/wp.json": b"{}"}), "never loads models from uploads"),
        ("synthetic_unknown_players.csv", "synthetic", csv(synthetic), "player indices above"),
        ("synthetic_other_columns.csv", "synthetic", csv(synthetic.rename(columns={"runs": "score"})),
         "missing column(s) runs"),
    ]


def main() -> None:
    manifest = []
    for name, kind, content, message in cases():
        (HERE / name).write_bytes(content)
        manifest.append({"file": name, "kind": kind, "message": message})
    manifest.append({"file": "long_line.csv", "kind": "table", "message": "bytes long", "generated": True})
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(manifest)} bad inputs written to {HERE}")


if __name__ == "__main__":
    main()
