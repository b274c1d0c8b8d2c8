"""Nothing hangs: a Ray address where no Ray head answers fails in seconds whatever listens there, and a count that
would make a command run practically forever is refused before any work."""

import http.server
import socket
import threading

import pytest

from lib.cli import main
from lib.jobs import cluster


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
