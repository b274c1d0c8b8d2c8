"""`data check` as a user reads it: valid column by column, and how many rows are deliveries that could happen."""

import numpy as np

from lib.cli import main
from lib.data.schema import MODEL_COLUMNS
from tests.synth_helpers import tiny_league


def test_check_says_the_cricket_coherence_of_real_and_of_column_by_column_rows(tmp_path, capsys):
    # Setup: real deliveries, and the same values with each column shuffled on its own, as a generator that learned
    # every column's spread but not how they tie together would write them (each still inside its range)
    real = tiny_league()[MODEL_COLUMNS]
    rng = np.random.default_rng(0)
    scrambled = real.copy()
    for column in MODEL_COLUMNS[2:]:
        scrambled[column] = rng.permutation(scrambled[column].to_numpy())
    real.to_csv(tmp_path / "real.csv", index=False)
    scrambled.to_csv(tmp_path / "scrambled.csv", index=False)

    # Run
    assert main(["data", "check", str(tmp_path / "real.csv")]) == 0
    real_text = capsys.readouterr().out
    assert main(["data", "check", str(tmp_path / "scrambled.csv")]) == 0
    scrambled_text = capsys.readouterr().out

    # Assert: both valid; the real rows all coherent, the scrambled ones mostly not, and said so
    assert "valid t20 data (every column present and in its range)" in real_text
    assert "cricket coherence 100.0% of rows obey the identities" in real_text
    assert "valid t20 data" in scrambled_text and "cricket coherence" in scrambled_text
    share = float(scrambled_text.split("cricket coherence ")[1].split("%")[0])
    assert share < 10 and "not generated as deliveries" in scrambled_text
