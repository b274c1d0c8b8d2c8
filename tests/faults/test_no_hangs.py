"""Nothing hangs: a Ray address where no Ray head answers fails in seconds whatever listens there, a head lost
mid-run ends the run in seconds keeping what had finished, and a count that would make a command run practically
forever is refused before any work."""

import http.server
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from lib.cli import main
from lib.jobs import cluster, runner, store
from lib.jobs.kinds import WP_COMPARE
from models.synth.ctgan.synthesizer import CtganSynthesizer, train_synthesizer
from models.wp.config import WPConfig
from tests.pages_helpers import wait_for
from tests.ray_helpers import ray_head, wait_until
from tests.synth_helpers import tiny, tiny_league

LOST_WITHIN = 45
"""Seconds from a head's death to the end of its run that the tests wait at most: well under the minute after
which Ray itself would end the process that lost its head."""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def web_server():
    """An HTTP server on a free port: it accepts connections and answers, but not in Ray's protocol."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_server():
    """A port that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("listener, message", [
    ("web_server", "answers, but not as a Ray head: it replied b'<!DOCTYPE'"),
    ("silent_server", "something accepted the connection but said nothing for 1 s"),
    ("closed_port", "No Ray cluster answers at"),
], ids=["web server", "silent server", "closed port"])
def test_a_ray_address_where_no_ray_head_answers_fails_in_seconds(listener, message, request, monkeypatch):
    import ray

    # Setup: something other than a Ray head at the address; one second of silence is enough to give up here
    port = request.getfixturevalue(listener)
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    # Run
    with pytest.raises(cluster.ClusterError) as refused:
        cluster.connect(f"127.0.0.1:{port}")
    # Assert: said what answered and how to start a head; Ray never tried to connect (it would retry for minutes)
    assert message in str(refused.value) and "Start one with `ray start --head`" in str(refused.value)
    assert not ray.is_initialized()


@pytest.mark.parametrize("arguments, message", [
    (["data", "sample", "--matches", "1000000000"], "--matches: 1,000,000,000 is outside 2..20,000"),
    (["wp", "compare", "--data", "t20.csv", "--seeds", "1000000000"], "--seeds: 1,000,000,000 is outside 1..100"),
    (["wp", "compare", "--data", "t20.csv", "--epochs", "1000000000"], "--epochs: 1,000,000,000 is outside 1..10,000"),
    (["synth", "train", "--data", "t20.csv", "--epochs", "1000000000"], "--epochs: 1,000,000,000 is outside"),
    (["synth", "sample", "--model", "m", "--rows", "1000000", "--chunk-rows", "1"], "--chunk-rows: 1 is below 100"),
    (["synth", "train", "--data", "t20.csv", "--shards", "100000"], "--shards: 100,000 is outside 1..50"),
    (["wp", "compare", "--data", "t20.csv", "--synthetic", "s.csv", "--ratios", ",".join(map(str, range(1000)))],
     "--ratios names 1,000 different ratios"),
], ids=["data sample --matches", "wp compare --seeds", "wp compare --epochs", "synth train --epochs",
        "synth sample --chunk-rows", "synth train --shards", "wp compare --ratios"])
def test_a_count_that_would_run_practically_forever_is_refused_before_any_work(arguments, message, tmp_path,
                                                                                 monkeypatch, capsys):
    # Setup: the data files do not even exist; the count is refused first
    monkeypatch.chdir(tmp_path)
    # Run
    out = tmp_path / ("out.csv" if arguments[1] in ("sample", "compare") else "model")
    code = main([*arguments, "--out", str(out)])
    # Assert: one line with the option, the value and the range; nothing written
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.startswith("error: ") and len(err.splitlines()) == 1
    assert not out.exists()


@pytest.fixture
def lost_head():
    """A Ray head of the test's own, which the test kills."""
    pytest.importorskip("ray")
    with ray_head() as head:
        yield head


def test_a_comparison_whose_ray_head_is_lost_ends_in_seconds_and_its_rerun_trains_only_the_rest(
        lost_head, stored_league, workspace, monkeypatch):
    # Setup: the app on a Ray cluster, comparing real and reference over three seeds: six trainings
    monkeypatch.setenv(cluster.ADDRESS_VARIABLE, lost_head.address)
    params = {"real_id": stored_league.id, "synthetic_id": None, "ratios": [], "seeds": 3, "split": "match",
              "config": WPConfig(epochs=1, batch_size=256).to_json()}
    first = runner.submit(WP_COMPARE, params, "a comparison on Ray")
    # Run: the head dies once the first training is kept; then the same comparison again, without Ray
    wait_until(lambda: _kept(workspace, "compare") or not runner.get(first.id).active, 600)
    lost_head.kill()
    lost = wait_for(first.id, lambda run: not run.active, timeout=LOST_WITHIN)
    kept, plan = _kept(workspace, "compare"), _plan(workspace, "compare")
    monkeypatch.delenv(cluster.ADDRESS_VARIABLE)
    again = wait_for(runner.submit(WP_COMPARE, params, "the same comparison").id, lambda run: not run.active, 600)
    # Assert: the run failed saying where the cluster was, what is kept and how to go on; the rerun trained only
    # what was not kept, and forgot the kept trainings once its report was stored
    assert lost.state == store.FAILED and 1 <= len(kept) < 6
    assert f"Lost the Ray cluster at '{lost_head.address}': its head at " in lost.error
    assert f"{len(kept)} of 6 training(s) are kept in {kept[0].parent}. Start the same comparison again" in lost.error
    assert again.state == store.DONE, again.error
    assert {epoch["stage"] for epoch in store.epochs(again.id)} == set(plan) - {plan[int(part.stem[5:])]
                                                                                for part in kept}
    assert not _kept(workspace, "compare")


def test_a_sample_command_whose_ray_head_is_lost_ends_in_seconds_and_its_rerun_draws_only_the_rest(
        lost_head, workspace, tmp_path, monkeypatch, capsys):
    # Setup: a synthesizer whose chunks of 20,000 rows take a second or more each; ten of them
    train_synthesizer(tiny_league(), tiny(epochs=1, generator_dim=(256, 256))).save(tmp_path / "model")
    command = ["synth", "sample", "--model", str(tmp_path / "model"), "--rows", "200000", "--chunk-rows", "20000",
               "--seed", "3", "--out", str(tmp_path / "rows.csv")]
    sampling = subprocess.Popen([sys.executable, "-m", "lib.cli", *command, "--ray", lost_head.address],
                                cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    # Run: the head dies once the first chunk is kept; then the same command again, without Ray
    wait_until(lambda: _kept(workspace, "sample") or sampling.poll() is not None, 600)
    lost_head.kill()
    _, err = sampling.communicate(timeout=LOST_WITHIN)
    kept, drawn = _kept(workspace, "sample"), []
    draw = CtganSynthesizer.sample_with_report
    monkeypatch.setattr(CtganSynthesizer, "sample_with_report",
                        lambda model, rows, seed: drawn.append(seed) or draw(model, rows, seed))
    code = main(command)
    # Assert: the command ended on its own with one line saying where, what is kept and how to go on (Ray's own
    # end of a process that lost its head would say "The program will terminate"); the rerun drew only the rest
    message = err.strip().splitlines()[-1]
    assert sampling.returncode == 2 and "will terminate" not in err and 1 <= len(kept) < 10
    assert message.startswith(f"error: Lost the Ray cluster at '{lost_head.address}': its head at ")
    assert f"{len(kept)} of 10 chunk(s) are kept in {kept[0].parent}. Run the same command again" in message
    assert code == 0 and len(drawn) == 10 - len(kept) and len(pd.read_csv(tmp_path / "rows.csv")) == 200_000
    assert f"{len(kept)} of 10 chunks were kept from an earlier run" in capsys.readouterr().out
    assert not _kept(workspace, "sample")


def _kept(workspace: Path, kind: str) -> list[Path]:
    """The kept parts of work of `kind` in the workspace (lib.data.parts)."""
    return sorted((workspace / "kept").glob(f"{kind}-*/part-*.json"))


def _plan(workspace: Path, kind: str) -> list:
    (plan,) = (workspace / "kept").glob(f"{kind}-*/plan.json")
    return json.loads(plan.read_text())["plan"]
