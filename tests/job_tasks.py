"""Small job bodies for the job-mechanism tests: they exercise progress, cancel and failure like a trainer."""

import time

from models.progress import Cancelled, EpochLog


def count(params: dict, context) -> dict:
    """'Train' for params["epochs"] epochs of params["sleep"] seconds each."""
    for epoch in range(1, params["epochs"] + 1):
        started = time.monotonic()
        while time.monotonic() - started < params["sleep"]:
            if context.should_stop():
                raise Cancelled()
            time.sleep(0.01)
        context.on_epoch(EpochLog(epoch=epoch, epochs=params["epochs"], seconds=time.monotonic() - started,
                                  losses={"loss": 1.0 / epoch}))
    return {"epochs_done": params["epochs"]}


def boom(params: dict, context) -> dict:
    raise ValueError("the data had no rows of the losing side")


def fill_disk(params: dict, context) -> dict:
    """Write one file larger than the workspace's disk, as a model saved to a nearly full disk does."""
    from lib.data import files, workspace

    files.write_bytes(workspace.root() / "artifacts" / "big.bin", b"x" * params["bytes"])
    return {}
