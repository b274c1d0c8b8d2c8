"""The workspace's list of datasets: newest first, whatever their names and however fast they were saved."""

import json

from lib.data import workspace
from lib.data.simulate.league import build_sample


def test_datasets_saved_within_one_second_list_the_newest_first():
    # Setup: three saves in well under a second, named so that neither name nor id order is creation order; one
    # sidecar as older versions wrote it, in whole seconds, dated to the start of the minute
    rows = build_sample(matches=2, seed=1).deliveries
    names = ["zeta", "alpha", "mid"]
    for name in names:
        workspace.save_dataset(rows, name=name, kind="real", source="test")
    old = workspace.save_dataset(rows, name="old", kind="real", source="test")
    sidecar = workspace.root() / "datasets" / f"{old.id}.json"
    kept = json.loads(sidecar.read_text())
    sidecar.write_text(json.dumps({**kept, "created": kept["created"][:16] + ":00+00:00"}))
    # Run
    listed = [info.name for info in workspace.list_datasets("real")]
    # Assert
    assert listed == ["mid", "alpha", "zeta", "old"]
