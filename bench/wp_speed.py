"""Speed of win-probability training, and the default preset against the no-embedding reference.

Usage (from the repository root; wrap in ``flock /work/bench.lock`` on the shared machine):

    python bench/wp_speed.py [--matches 5000] [--rows 1000000] [--zip ../shared/data/ipl_json.zip] [--full]

Prints three tables:
1. epoch speed over `--rows` simulated training rows: `fit_wp` (numpy arrays, several steps per call into
   TensorFlow, a validation pass each epoch) against a plain Keras `fit` of the same network with Keras' defaults;
2. a 3 arms x 3 seeds comparison (real, augmented@1, reference) on the simulated league at the size of the
   published t20.csv: estimated from one measured `real` training and one reference fit, or run for real with
   `--full` (about a quarter of an hour of both cores: only when the machine is free);
3. the published preset, trained state-first (the default) and jointly (as published), against the reference on
   held-out matches (AUC, Brier): the simulated league and the real IPL zip. Goals: an epoch over ~1M rows <= 5 s;
   the comparison <= 15 min; the preset beating the reference.
Peak RSS is the process's peak so far, so it grows down the tables.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from lib.data.schema import BATTER, BOWLER, MODEL_COLUMNS, WINNER

DEFAULT_ZIP = "../shared/data/ipl_json.zip"
EPOCH_GOAL_S = 5.0
COMPARISON_GOAL_S = 15 * 60
SEEDS = 3


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _simulated(matches: int):
    from lib.data.simulate.league import build_sample

    started = time.perf_counter()
    frame = build_sample(matches).deliveries
    print(f"simulated league: {matches:,} matches, {len(frame):,} deliveries in {time.perf_counter() - started:.0f} s")
    return frame


def _epoch_rows(frame, rows: int):
    """The first `rows` deliveries to train on and the next tenth of that to validate on (timing only)."""
    if len(frame) < rows * 1.1:
        raise SystemExit(f"the sample has {len(frame):,} rows; --rows {rows:,} needs {int(rows * 1.1):,}: "
                         "raise --matches")
    return frame.iloc[:rows], frame.iloc[rows : rows + rows // 10]


def _time_fit_wp(train, validation, epochs: int) -> dict:
    from models.wp.config import STEPS_PER_EXECUTION, WPConfig
    from models.wp.fit import fit_wp

    model = fit_wp(train, validation, WPConfig(epochs=epochs, patience=epochs))
    seconds = [entry["seconds"] for entry in model.history]
    return {"feed": f"fit_wp: numpy, {STEPS_PER_EXECUTION} steps/call, + validation", "first": seconds[0],
            "steady": float(np.median(seconds[1:])), "rss": _rss_mib()}


def _time_plain_keras(train, epochs: int) -> dict:
    """The same network and optimizer through a plain `model.fit` with Keras' default steps per call."""
    import keras

    from models.wp.config import WPConfig
    from models.wp.model import build_model, model_inputs

    config = WPConfig()
    x = model_inputs(train, np.unique(train[BATTER]), np.unique(train[BOWLER]))
    model = build_model(config, int(train[BATTER].max()) + 1, int(train[BOWLER].max()) + 1, x["state"])
    model.compile(optimizer=keras.optimizers.Adam(config.learning_rate, amsgrad=True), loss="binary_crossentropy")
    seconds = []
    for _ in range(epochs):
        started = time.perf_counter()
        model.fit(x, train[WINNER].to_numpy(np.float32), batch_size=config.batch_size, epochs=1, verbose=0)
        seconds.append(time.perf_counter() - started)
    return {"feed": "plain keras fit, defaults", "first": seconds[0], "steady": float(np.median(seconds[1:])),
            "rss": _rss_mib()}


def epoch_table(frame, rows: int, epochs: int) -> float:
    """Print table 1 and return fit_wp's steady seconds per row."""
    train, validation = _epoch_rows(frame, rows)
    ours, plain = _time_fit_wp(train, validation, epochs), _time_plain_keras(train, epochs)
    print(f"\n1. epoch speed, {rows:,} training rows ({len(validation):,} validation rows for fit_wp), 2 cores")
    print(f"{'feed':<44}{'first epoch s':>14}{'epoch s':>9}{'rows/s':>11}{'peak RSS MiB':>14}{'vs plain':>10}")
    for run in (ours, plain):
        print(f"{run['feed']:<44}{run['first']:>14.2f}{run['steady']:>9.2f}{rows / run['steady']:>11,.0f}"
              f"{run['rss']:>14,.0f}{run['steady'] / plain['steady']:>10.2f}")
    verdict = "meets" if ours["steady"] <= EPOCH_GOAL_S else "MISSES"
    print(f"goal: epoch over ~1M rows <= {EPOCH_GOAL_S:.0f} s: {verdict} ({ours['steady']:.2f} s; first epoch "
          "includes tracing and XLA compilation)")
    return ours["steady"] / rows


def _timed_compare(frame, synthetic=None, seeds: int = 1, ratios=(1.0,), training: str = "state_first"):
    """compare_arms with the seconds each stage's epochs took; returns (report, wall seconds, {stage: [EpochLog]})."""
    from lib.wp.compare import compare_arms
    from models.wp.config import WPConfig

    logs: dict[str, list] = {}
    started = time.perf_counter()
    report = compare_arms(frame, synthetic, ratios=ratios, seeds=seeds, config=WPConfig(training=training),
                          on_epoch=lambda log: logs.setdefault(log.stage, []).append(log))
    return report, time.perf_counter() - started, logs


def comparison_table(frame, seconds_per_row: float, full: bool):
    """Print table 2 and return the single-seed real/reference report for table 3."""
    report, wall, logs = _timed_compare(frame)
    reference_s = logs["reference, seed 1/1"][0].seconds
    real_s, epochs = wall - reference_s, len(logs["real, seed 1/1"])
    train_rows = report.arms["real"].rows["train_real"]
    augmented_s = real_s + epochs * seconds_per_row * train_rows
    print(f"\n2. comparison on the simulated league, {len(frame):,} rows ({train_rows:,} training rows), "
          f"default preset (early stopping: {epochs} epochs run)")
    print(f"{'arm':<14}{'rows trained':>14}{'s per seed':>12}  how")
    print(f"{'real':<14}{train_rows:>14,}{real_s:>12.0f}  measured (split, fit, predict)")
    print(f"{'reference':<14}{train_rows:>14,}{reference_s:>12.0f}  measured (HistGradientBoosting)")
    print(f"{'augmented@1':<14}{2 * train_rows:>14,}{augmented_s:>12.0f}  estimated: real + {epochs} epochs "
          "over the extra rows")
    three = SEEDS * (real_s + augmented_s + reference_s)
    most = report.config.epochs
    worst = three + SEEDS * (most - epochs) * seconds_per_row * 3 * train_rows
    print(f"3 arms x {SEEDS} seeds: {three / 60:.1f} min estimated (4 arms with `synthetic`: "
          f"{(three + SEEDS * real_s) / 60:.1f} min); if early stopping never stopped ({most} epochs each): "
          f"{worst / 60:.1f} min; goal <= {COMPARISON_GOAL_S / 60:.0f} min: "
          f"{'meets' if worst <= COMPARISON_GOAL_S else 'MISSES'}")
    if full:
        _full_comparison(report, frame)
    return report


def _full_comparison(report, frame) -> None:
    """Run real, reference, augmented@1 and synthetic x 3 seeds; the synthetic stand-in is resampled real
    training rows (timing only: its scores mean nothing)."""
    train = frame.iloc[report.split.train]
    stand_in = train[MODEL_COLUMNS].sample(len(train), replace=True, random_state=0)
    _, wall, _ = _timed_compare(frame, stand_in, seeds=SEEDS)
    print(f"measured with --full: 4 arms x {SEEDS} seeds in {wall / 60:.1f} min, peak RSS {_rss_mib():,.0f} MiB")


def preset_table(simulated_report, frame, zip_path: str) -> None:
    """Print table 3: the preset, trained state-first (default) and jointly (as published), against the
    no-embedding reference on held-out matches."""
    print("\n3. published preset vs reference (no embeddings) on held-out matches; the preset is better when its AUC "
          "is higher and its Brier lower")
    print(f"{'data':<26}{'training':<24}{'seeds':>6}{'preset AUC':>12}{'ref AUC':>9}{'preset Brier':>14}"
          f"{'ref Brier':>11}  preset better?")
    _preset_row("simulated league", "state_first (default)", simulated_report)
    _preset_row("simulated league", "joint (as published)", _timed_compare(frame, training="joint")[0])
    ipl = _ipl(zip_path)
    if ipl is not None:
        name = f"IPL zip ({len(ipl):,} rows)"
        for training, label in (("state_first", "state_first (default)"), ("joint", "joint (as published)")):
            _preset_row(name, label, _timed_compare(ipl, seeds=SEEDS, training=training)[0])


def _preset_row(name: str, training: str, report) -> None:
    preset, reference = report.arms["real"].summary(), report.arms["reference"].summary()
    better = preset["auc"]["mean"] > reference["auc"]["mean"] and preset["brier"]["mean"] < reference["brier"]["mean"]
    print(f"{name:<26}{training:<24}{len(report.seeds):>6}{preset['auc']['mean']:>12.4f}"
          f"{reference['auc']['mean']:>9.4f}{preset['brier']['mean']:>14.4f}{reference['brier']['mean']:>11.4f}  "
          f"{'yes' if better else 'NO'}")


def _ipl(zip_path: str):
    try:
        from lib.data.cricsheet.importer import import_cricsheet
    except ImportError:
        print("IPL: lib.data.cricsheet.importer is not on this branch yet; skipped")
        return None
    if not Path(zip_path).is_file():
        print(f"IPL: {zip_path} not found; pass --zip")
        return None
    return import_cricsheet(zip_path).deliveries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--matches", type=int, default=5000, help="simulated matches (5,000 ~ 1.2M rows)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="training rows for the epoch timing")
    parser.add_argument("--epochs", type=int, default=3, help="epochs timed per feed (the first includes tracing)")
    parser.add_argument("--zip", default=DEFAULT_ZIP, help="Cricsheet IPL zip")
    parser.add_argument("--full", action="store_true", help="run the whole 3-seed comparison instead of estimating")
    args = parser.parse_args(argv)
    frame = _simulated(args.matches)
    seconds_per_row = epoch_table(frame, args.rows, args.epochs)
    report = comparison_table(frame, seconds_per_row, args.full)
    preset_table(report, frame, args.zip)
    print(f"\npeak RSS {_rss_mib():,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
