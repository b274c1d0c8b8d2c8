"""How a training process is set up, and timing probes that run in one.

Every process that trains (a job's worker, `synth train`, a Ray task) starts with TRAINING_ENV. A timing probe
that predicts the seconds of a run must run under the same conditions, or it measures something else: the app's
server process loads torch without TRAINING_ENV, and on a busy 2-core machine its OpenMP threads spin against
other work, so a CTGAN step timed there took 4 to 7 times longer than the same step in a job's worker (issue 21).
So probes run in a fresh process started with TRAINING_ENV (`run_probe`), whichever process asks for them, and
their result is kept on disk for a few minutes only, because it depends on the machine's load now.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

TRAINING_ENV = {"OMP_WAIT_POLICY": "PASSIVE", "TF_CPP_MIN_LOG_LEVEL": "2"}
"""Environment of every training process, set before torch and TensorFlow load: OpenMP threads that sleep at
barriers instead of spinning (spinning threads stall for whole time slices when another process holds a core; on a
busy 2-core machine that made training steps up to 17x slower, while sleeping costs a few percent on an idle one),
and TensorFlow's start-up chatter kept out of job logs."""
PROBE_MAX_AGE_SECONDS = 300
"""How long a probe's timing is reused: the same width and settings time differently when the load changes."""
PROBE_TIMEOUT_SECONDS = 300
_ROOT = Path(__file__).resolve().parents[1]


class ProbeFailed(RuntimeError):
    """A timing probe's process failed; its last lines of output say why."""


def training_env() -> dict[str, str]:
    """This process's environment with TRAINING_ENV set where the user has not set a value of their own."""
    return {**TRAINING_ENV, **os.environ}


def machine_key() -> list:
    """What a timing depends on besides the settings: the machine and the Python running it."""
    return [platform.machine(), platform.processor(), os.cpu_count(), sys.executable]


def run_probe(target: str, payload: dict, cache_dir=None, key=None):
    """What `target(payload)` measured in a fresh training process, reused for PROBE_MAX_AGE_SECONDS.

    Args:
        target: "module:function" taking the JSON payload and returning its timings: seconds (a float), or a
            JSON-ready dict of them.
        payload: JSON-ready arguments.
        cache_dir: the cache folder (timings go in its "probes" folder); None measures every time.
        key: JSON-ready identity of the timing (what the seconds depend on); the payload when None.

    Returns:
        What `target` returned.

    Raises:
        ProbeFailed: the process exited with an error or printed no result.
    """
    path = _cache_path(cache_dir, [target, payload if key is None else key, machine_key()])
    if path is None:
        return _in_training_process(target, payload)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One probe per timing at a time. Changing a setting reruns a page at once, while the previous run still waits
    # for its probe (Streamlit's fast reruns), so four probes of one timing ran side by side, each slower for the
    # others; a request that finds one running waits for it and reads what it measured.
    with open(path.with_suffix(".lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            kept = _fresh(path)
            if kept is not None:
                return kept["result"]
            result = _in_training_process(target, payload)
            from lib.data import files

            files.write_text(path, json.dumps({"result": result, "measured_at": time.time()}))
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _fresh(path: Path) -> dict | None:
    """The kept timing at `path` when it is younger than PROBE_MAX_AGE_SECONDS, else None."""
    try:
        kept = json.loads(path.read_text())
    except (OSError, ValueError):  # none yet, or a damaged one that is measured again
        return None
    return kept if time.time() - kept.get("measured_at", 0) < PROBE_MAX_AGE_SECONDS and "result" in kept else None


def _cache_path(cache_dir, identity: list) -> Path | None:
    if cache_dir is None:
        return None
    digest = hashlib.blake2b(json.dumps(identity, sort_keys=True).encode(), digest_size=12).hexdigest()
    return Path(cache_dir) / "probes" / f"{digest}.json"


def _in_training_process(target: str, payload: dict):
    result = subprocess.run(
        [sys.executable, "-m", "models.training_process"], input=json.dumps({"target": target, "payload": payload}),
        capture_output=True, text=True, check=False, cwd=_ROOT, env=training_env(), timeout=PROBE_TIMEOUT_SECONDS,
    )
    lines = result.stdout.strip().splitlines()
    try:
        if result.returncode != 0 or not lines:
            raise ValueError
        return json.loads(lines[-1])["result"]
    except (ValueError, KeyError, TypeError):
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise ProbeFailed(f"the timing probe {target} failed (exit code {result.returncode}): {tail}") from None


def _main() -> None:
    """In the probe's process: read {"target", "payload"} from stdin, print {"result": ...} as the last line."""
    request = json.loads(sys.stdin.read())
    module, _, function = request["target"].partition(":")
    result = getattr(importlib.import_module(module), function)(request["payload"])
    print(json.dumps({"result": result}), flush=True)


if __name__ == "__main__":
    _main()
