"""Speed and memory of the Cricsheet importer on a real zip, against plain json.load of every member.

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/import_speed.py [path/to/ipl_json.zip] [--repeat 3]

Each measurement runs in a fresh child process so that its peak RSS is its own. Goal: the 1,095 IPL
matches import in under 10 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_ZIP = "../shared/data/ipl_json.zip"
GOAL_SECONDS = 10.0


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure_import(path: str, features: str) -> dict:
    from lib.data.cricsheet.importer import import_cricsheet

    start = time.perf_counter()
    result = import_cricsheet(path, features=features)
    seconds = time.perf_counter() - start
    report = result.report
    return {
        "seconds": seconds,
        "files": report.files_read,
        "kept": report.matches_kept,
        "skipped": {reason: len(names) for reason, names in report.skipped.items()},
        "malformed": len(report.malformed),
        "deliveries": len(result.deliveries),
        "rss": _peak_rss_mib(),
    }


def _measure_json(path: str) -> dict:
    start = time.perf_counter()
    files = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".json"):
                with archive.open(name) as member:
                    json.load(member)  # decoded and dropped, as the importer drops each match after parsing
                files += 1
    return {"seconds": time.perf_counter() - start, "files": files, "rss": _peak_rss_mib()}


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def _best(runs: list[dict]) -> dict:
    return min(runs, key=lambda run: run["seconds"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zip", nargs="?", default=DEFAULT_ZIP)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest is shown")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ZIP"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, path = args.child
        print(json.dumps(_measure_json(path) if kind == "json" else _measure_import(path, kind)))
        return 0
    if not Path(args.zip).is_file():
        parser.error(f"{args.zip} not found; pass the path of a Cricsheet zip such as ipl_json.zip")
    baseline = _best([_child(["--child", "json", args.zip]) for _ in range(args.repeat)])
    rows = {v: _best([_child(["--child", v, args.zip]) for _ in range(args.repeat)]) for v in ("leakfree", "yorkr")}
    _print_table(args.zip, rows, baseline)
    return 0


def _print_table(path: str, rows: dict, baseline: dict) -> None:
    print(f"Cricsheet import of {path} (best of runs, each in a fresh process)")
    print(f"{'variant':<10} {'files':>6} {'kept':>6} {'malformed':>9} {'deliveries':>11} {'seconds':>8} "
          f"{'deliv/s':>9} {'peak RSS':>9} {'x json.load':>11} {'goal <10 s':>10}")
    for variant, row in rows.items():
        verdict = "pass" if row["seconds"] < GOAL_SECONDS else "FAIL"
        print(f"{variant:<10} {row['files']:>6,} {row['kept']:>6,} {row['malformed']:>9,} {row['deliveries']:>11,} "
              f"{row['seconds']:>8.2f} {row['deliveries'] / row['seconds']:>9,.0f} {row['rss']:>6.0f} MiB "
              f"{row['seconds'] / baseline['seconds']:>11.2f} {verdict:>10}")
    print(f"{'json.load':<10} {baseline['files']:>6,} {'':>6} {'':>9} {'':>11} {baseline['seconds']:>8.2f} "
          f"{'':>9} {baseline['rss']:>6.0f} MiB {1:>11.2f}")
    skipped = next(iter(rows.values()))["skipped"]
    print("skipped by reason: " + (", ".join(f"{k} ({v})" for k, v in skipped.items()) or "none"))
    print(f"parsing + features overhead over plain json.load: "
          f"{next(iter(rows.values()))['seconds'] - baseline['seconds']:+.2f} s")


if __name__ == "__main__":
    raise SystemExit(main())
