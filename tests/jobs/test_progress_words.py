"""What the live panel says of a running job: the epoch it is at rather than a stale note, and a countdown that
counts down from the last epoch instead of sitting still."""

from lib.jobs.progress import doing, seconds_left
from lib.jobs.store import RUNNING, Run


def running(progress: float, message: str = "") -> Run:
    return Run(id="r", kind="wp_compare", task="t", title="t", params={}, state=RUNNING, created=90.0, started=100.0,
               progress=progress, message=message)


def epoch(stage: str, number: int, of: int, logged: float) -> dict:
    return {"step": 0, "stage": stage, "epoch": number, "epochs": of, "seconds": 1.0, "logged": logged}


def test_the_panel_says_the_epoch_once_epochs_run_and_the_note_of_what_comes_after():
    # Setup: a note from before training, then epochs (which clear the note in the store), then a note after
    before = running(0.0, "selecting the training matches and preparing them for CTGAN")
    training = running(0.2)
    after = running(1.0, "scoring the arms on the test matches")
    epochs = [epoch("real, seed 1/3", 4, 20, 140.0)]

    # Run, Assert
    assert doing(before, []) == "selecting the training matches and preparing them for CTGAN"
    assert doing(training, epochs) == "real, seed 1/3: epoch 4 of 20 done"
    assert doing(running(0.5), [epoch("", 5, 10, 140.0)]) == "epoch 5 of 10 done"
    assert doing(after, epochs) == "scoring the arms on the test matches"


def test_the_countdown_counts_down_from_the_pace_at_the_last_epoch():
    # Setup: started at 100 s, a quarter done at the epoch logged at 140 s: the whole job takes 160 s at that pace,
    # so 120 s were left at 140 s
    run, epochs = running(0.25), [epoch("", 1, 4, 140.0)]

    # Run
    left = [seconds_left(run, epochs, now) for now in (140.0, 150.0, 259.0, 261.0)]

    # Assert: 120 s, then 110 s; once past the pace (a slow epoch) it says nothing rather than a stuck figure
    assert left == [120.0, 110.0, 1.0, None]


def test_no_countdown_before_the_first_epoch_or_while_the_job_does_something_else():
    epochs = [epoch("", 4, 4, 140.0)]
    assert seconds_left(running(0.0), [], 150.0) is None
    assert seconds_left(running(0.9, "scoring the arms on the test matches"), epochs, 150.0) is None
