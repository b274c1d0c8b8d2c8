"""Scaling out on Ray: a synthesizer's shards, a comparison's (arm, seed) trainings and a sample's chunks as Ray
tasks on a cluster. Imported only when asked (`--ray ADDRESS` or CREASE_RAY_ADDRESS); without it nothing here
runs and Ray is never imported.

Each task calls the same function a local run calls (the part function a synthesizer engine names, such as
CTGAN's `models.synth.ctgan.train.train_shard_task`; `lib.wp.compare.train_one`; any engine's
`sample_with_report`), so the same seeds give the same models, scores and rows. The data every task needs goes
into the object store once (`ray.put`); each task requests its CPUs (and one GPU when it will train on CUDA) and
runs that many torch threads, sends every finished epoch back through a small relay actor, and is retried once
when it fails or its worker dies. Results come back to this process, which writes them to the
same workspace stores and files as a local run. While tasks run, the head is asked every POLL_SECONDS whether it
still answers: one silent for SILENT_SECONDS ends the run with ClusterLost, after this process has left the
cluster, and the results that had come back are the caller's to keep (lib.data.parts).

CPU float arithmetic repeats bit for bit only at the same thread count: a synthesizer trained or sampled on Ray
equals the local one when its tasks run as many threads as the local run (the config's `threads`, or --ray-cpus
equal to the local cores); at other counts the last bits of the weights differ, not the statistics.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from models.progress import Cancelled, EpochLog, OnEpoch, ShouldStop, ignore, never

ADDRESS_VARIABLE = "CREASE_RAY_ADDRESS"
"""Environment variable the app's job bodies read: the Ray cluster to run on ("auto" or host:port)."""
RETRIES = 1
"""Times a failed task is run again before its failure fails the whole run."""
POLL_SECONDS = 0.5
"""How often, while tasks run, progress is relayed and the job's cancel request checked."""
CONNECT_SECONDS = 10
"""How long to wait for the head node to accept a connection before saying it is unreachable."""
SILENT_SECONDS = 5
"""How long the head may go without answering, while tasks run, before the run ends as lost: Ray's own client
would wait a minute for it and then end the whole process (its core worker gives up on the head and exits)."""
CODE = [Path(__file__).resolve().parents[2] / package for package in ("lib", "models")]
"""The project's packages, shipped to every node with the job, so workers run this checkout's code."""


class ClusterError(ValueError):
    """The cluster could not run the work: unreachable, lost, or a task that failed again after its retry.
    A ValueError so that the command line prints it as a message, not a traceback."""


class ClusterLost(ClusterError):
    """The head stopped answering while tasks ran; this process has left the cluster. The results of the tasks
    that had finished were handed to the caller, which says what it kept and how to go on (`continued`).

    Attributes:
        address: the cluster's address as asked for.
        finished, total: tasks of this run that had finished, and all of them.
        label: what a task is ("training", "chunk").
        why: how the loss showed.
    """

    def __init__(self, address: str, finished: int, total: int, label: str, why: str, after: str = ""):
        message = (f"Lost the Ray cluster at {address!r}: {why}. {finished} of {total} {label}(s) of this run had "
                   "finished.")
        super().__init__(f"{message} {after}".strip())
        self.address, self.finished, self.total, self.label, self.why = address, finished, total, label, why

    def continued(self, after: str) -> ClusterLost:
        """The same loss, its message followed by `after`: what was kept, and how to continue from it."""
        return ClusterLost(self.address, self.finished, self.total, self.label, self.why, after)


@dataclass(frozen=True)
class Cluster:
    """A connected Ray cluster.

    Attributes:
        address: what was asked for ("auto" or host:port).
        cpus_per_task: CPUs each task requests; also the torch threads of a synthesizer shard whose settings
            name none.
        gpus: GPUs the cluster has, all nodes together.
        head: host:port of the head's control service (GCS), watched while tasks run; "" watches nothing.
    """

    address: str
    cpus_per_task: int = 1
    gpus: float = 0.0
    head: str = ""


def address_from_env() -> str | None:
    """The cluster address the app's jobs should use, or None to run on this machine."""
    return os.environ.get(ADDRESS_VARIABLE, "").strip() or None


def connect(address: str, cpus_per_task: int = 1) -> Cluster:
    """Connect this process to the Ray cluster at `address` (once; later calls reuse the connection).

    Args:
        address: "auto" (the cluster started on this machine with `ray start`) or "host:port" of its head.
        cpus_per_task: CPUs each task requests, >= 1.

    Raises:
        ClusterError: no cluster answers at `address`.
    """
    import ray

    if isinstance(cpus_per_task, bool) or not isinstance(cpus_per_task, int) or cpus_per_task < 1:
        raise ValueError(f"CPUs per Ray task must be a whole number >= 1, got {cpus_per_task!r}.")
    if not ray.is_initialized():
        _check_reachable(address)
        try:
            ray.init(address=address, logging_level="WARNING", log_to_driver=False,
                     runtime_env={"py_modules": [str(path) for path in CODE],
                                  "env_vars": {"OMP_WAIT_POLICY": "PASSIVE"}})
        except (ConnectionError, ValueError, RuntimeError) as error:
            raise ClusterError(
                f"No Ray cluster answers at {address!r} ({error}). Start one with `ray start --head` on the head "
                "node, then pass its address (host:6379, or auto on that node)."
            ) from None
    # A Ray Client connection (ray://) may not name the GCS it reaches through its proxy: nothing is watched then.
    head = getattr(ray.get_runtime_context(), "gcs_address", "")
    return Cluster(address, cpus_per_task, float(ray.cluster_resources().get("GPU", 0)), head)


_HTTP2_HELLO = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
"""HTTP/2's client preface and an empty SETTINGS frame: a Ray head speaks gRPC, over HTTP/2, and answers them with
a SETTINGS frame (type 4, the fourth byte of its 9-byte header)."""


def _check_reachable(address: str) -> None:
    """Fail in seconds when nothing at host:port speaks Ray's protocol: ray.init would retry for minutes against a
    closed port, and without end against a server of another kind (a web server) or one that never answers."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    if address == "auto" or not port.isdigit():
        return
    how_to_fix = ("Start one with `ray start --head` on the head node, then pass its address (host:6379, or auto on "
                  "that node).")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=CONNECT_SECONDS) as connection:
            connection.sendall(_HTTP2_HELLO)
            reply = b""
            while len(reply) < 9 and (part := connection.recv(9 - len(reply))):
                reply += part
    except TimeoutError:
        raise ClusterError(f"No Ray cluster answers at {address!r}: something accepted the connection but said "
                           f"nothing for {CONNECT_SECONDS} s. {how_to_fix}") from None
    except OSError as error:
        raise ClusterError(f"No Ray cluster answers at {address!r} ({error.strerror or error}). {how_to_fix}") from None
    if len(reply) < 4 or reply[3] != 4:
        raise ClusterError(f"{address!r} answers, but not as a Ray head: it replied {reply[:9]!r}, not in Ray's "
                           f"protocol (gRPC), so it is some other server. Check the port. {how_to_fix}")


def disconnect() -> None:
    """Leave the cluster (it keeps running); the next `connect` connects again."""
    import ray

    ray.shutdown()


def run_tasks(cluster: Cluster, function: Callable, shared, items: list, *, gpus: float = 0, label: str = "task",
              on_epoch: OnEpoch = ignore, should_stop: ShouldStop = never) -> Iterator[tuple[int, object]]:
    """Run function(shared, item, report) as one Ray task per item; yield (index of item, result) as each finishes.

    Args:
        cluster: the connected cluster.
        function: a module-level function; `report(EpochLog)` relays an epoch to `on_epoch` here.
        shared: what every task needs, put into the object store once.
        items: one per task.
        gpus: GPUs each task requests.
        label: what a task is, for messages ("shard", "training").
        on_epoch: gets every task's EpochLogs, relayed while tasks run.
        should_stop: polled while tasks run; True cancels every unfinished task and raises Cancelled.

    Raises:
        ClusterError: a task failed twice (with its cause).
        ClusterLost: the head stopped answering for SILENT_SECONDS; this process has then left the cluster, so
            that Ray does not end it, and the results yielded before are all there is.
        models.progress.Cancelled: `should_stop` said so.
    """
    if not items:
        return  # a resumed run whose parts had all finished
    run = _Run(cluster, label, len(items))
    try:
        yield from run.results(function, shared, items, gpus, on_epoch, should_stop)
    except ClusterLost:
        disconnect()  # without a head nothing can be cancelled; leaving is what keeps Ray from ending this process
        raise
    except (ClusterError, Cancelled):
        run.stop()
        raise
    except Exception:  # Ray's calls fail in ways of their own once the head, and with it the raylet of this node,
        # is gone (ray.wait raises OSError "Broken pipe"): the head says whether that is what happened
        lost = run.head.gone(run.finished)
        if lost is None:
            run.stop()
            raise
        disconnect()
        raise lost from None
    except BaseException:  # the caller stopped reading, or an interrupt: the cluster is still there
        run.stop()
        raise
    run.stop()


class _Run:
    """The tasks of one `run_tasks` call, and what to stop when it ends."""

    def __init__(self, cluster: Cluster, label: str, total: int):
        self.cluster, self.label, self.total = cluster, label, total
        self.head = _HeadWatch(cluster, label, total)
        self.relay, self.pending = None, []

    @property
    def finished(self) -> int:
        return self.total - len(self.pending)

    def results(self, function: Callable, shared, items: list, gpus: float, on_epoch: OnEpoch,
                should_stop: ShouldStop) -> Iterator[tuple[int, object]]:
        """(index of item, result) of each task as it finishes; see `run_tasks`."""
        import ray

        self.head.wait_until_it_answers()  # one that went away since `connect` would stall ray.put
        self.relay = ray.remote(_Relay).options(num_cpus=0).remote()
        task = ray.remote(function).options(num_cpus=self.cluster.cpus_per_task, num_gpus=gpus,
                                            max_retries=RETRIES, retry_exceptions=True)
        shared_ref, report = ray.put(shared), epoch_reporter(self.relay)
        refs = {task.remote(shared_ref, item, report): index for index, item in enumerate(items)}
        self.pending, taking = list(refs), self.relay.take.remote()
        while self.pending:
            done, self.pending = ray.wait(self.pending, num_returns=1, timeout=POLL_SECONDS)
            taking = _relay(self.relay, taking, on_epoch, self.head, self.finished - len(done))
            if should_stop():
                raise Cancelled(f"The run was cancelled with {len(self.pending)} of {self.total} {self.label}(s) "
                                "unfinished.")
            for ref in done:
                yield refs[ref], _result(ref, self.label, self.head, self.finished)
            self.head.check(self.finished)
        _relay_rest(self.relay, taking, on_epoch, self.head)

    def stop(self) -> None:
        """Cancel the unfinished tasks and end the relay actor."""
        import ray

        for ref in self.pending:
            ray.cancel(ref, force=True)
        if self.relay is not None:
            ray.kill(self.relay)


class _HeadWatch:
    """Whether the head still answers: its control service (GCS) accepts a connection. When the head is gone Ray's
    calls wait for it to come back (a minute, then Ray ends this process); this says so in seconds instead."""

    def __init__(self, cluster: Cluster, label: str, total: int):
        self.cluster, self.label, self.total = cluster, label, total
        self.silent_since: float | None = None

    def check(self, finished: int) -> None:
        """Raise ClusterLost when the head has refused connections for SILENT_SECONDS."""
        import socket
        import time

        if not self.cluster.head:
            return  # a Cluster made by hand, not by `connect`: nothing to watch
        host, _, port = self.cluster.head.rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=POLL_SECONDS):
                self.silent_since = None
                return
        except OSError as error:
            why = error.strerror or type(error).__name__
        now = time.monotonic()
        self.silent_since = self.silent_since or now
        if now - self.silent_since >= SILENT_SECONDS:
            raise ClusterLost(self.cluster.address, finished, self.total, self.label,
                              f"its head at {self.cluster.head} has not answered for {SILENT_SECONDS} s ({why})")

    def wait_until_it_answers(self, finished: int = 0) -> None:
        """Return once the head answers; raise ClusterLost when it has not for SILENT_SECONDS."""
        import time

        while True:
            self.check(finished)
            if self.silent_since is None:
                return
            time.sleep(POLL_SECONDS)

    def gone(self, finished: int) -> ClusterLost | None:
        """The ClusterLost to raise when the head is gone (which takes up to SILENT_SECONDS to tell), else None."""
        try:
            self.wait_until_it_answers(finished)
        except ClusterLost as silent:
            return silent
        return None

    def lost(self, finished: int, error: Exception) -> ClusterLost:
        """The ClusterLost for a Ray error that says part of the cluster is gone: the head's silence when the head
        is what went, else the error itself."""
        silent = self.gone(finished)
        return silent or ClusterLost(self.cluster.address, finished, self.total, self.label,
                                     f"{type(error).__name__}: {error}")


class _Relay:
    """An actor holding the EpochLogs that tasks report until this process takes them."""

    def __init__(self):
        self.logs: list[EpochLog] = []

    def put(self, log: EpochLog) -> None:
        self.logs.append(log)

    def take(self) -> list[EpochLog]:
        logs, self.logs = self.logs, []
        return logs


def _relay(relay, taking, on_epoch: OnEpoch, head: _HeadWatch, finished: int):
    """Pass on the logs of `taking` (a pending relay.take call) once it has answered, and ask again; never waits,
    since a call to an actor whose node is gone waits for the head."""
    import ray

    if not ray.wait([taking], timeout=0)[0]:
        return taking
    _pass_on(taking, on_epoch, head, finished)
    return relay.take.remote()


def _relay_rest(relay, taking, on_epoch: OnEpoch, head: _HeadWatch) -> None:
    """Pass on every log left once all tasks have finished: those `taking` gets, then those put after it was
    asked (each task's report waits until its log is held, so no log comes later)."""
    import ray

    for call in (taking, relay.take.remote()):
        while not ray.wait([call], timeout=POLL_SECONDS)[0]:
            head.check(head.total)
        _pass_on(call, on_epoch, head, head.total)


def _pass_on(call, on_epoch: OnEpoch, head: _HeadWatch, finished: int) -> None:
    import ray

    try:
        logs = ray.get(call)
    except ray.exceptions.RayError as error:
        raise head.lost(finished, error) from None
    for log in logs:
        on_epoch(log)


def _result(ref, label: str, head: _HeadWatch, finished: int):
    """The task's result, or a ClusterError saying why there is none."""
    import ray

    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as error:
        cause = error.cause if error.cause is not None else error
        raise ClusterError(f"A {label} failed on the Ray cluster and again when retried: "
                           f"{type(cause).__name__}: {cause}") from None
    except ray.exceptions.WorkerCrashedError:
        lost = head.gone(finished - 1)  # workers die with their node's raylet, and a head takes its node's along
        if lost is not None:
            raise lost from None
        raise ClusterError(f"A {label}'s worker process died twice (killed, or out of memory on its node); "
                           "give each task more memory or fewer rows.") from None
    except ray.exceptions.RayError as error:
        raise head.lost(finished - 1, error) from None


def epoch_reporter(relay) -> OnEpoch:
    """The on_epoch a task passes to its trainer: hands each EpochLog to the driver's relay actor, and waits until
    it holds it, so that every log of a finished task is there to take."""

    def report(log: EpochLog) -> None:
        import ray

        ray.get(relay.put.remote(log))

    return report


@dataclass(frozen=True)
class PartRunner:
    """A `models.synth.base.RunParts` on the cluster: each independent part of a synthesizer's training (CTGAN's
    shards) as a Ray task, whatever the engine; the engine names the function and what the parts share."""

    cluster: Cluster

    @property
    def cpus_per_task(self) -> int:
        return self.cluster.cpus_per_task

    @property
    def gpus(self) -> float:
        return self.cluster.gpus

    def __call__(self, function: Callable, shared, items: list, *, gpu: bool = False, label: str = "part",
                 on_epoch: OnEpoch | None = None, should_stop: ShouldStop | None = None
                 ) -> Iterator[tuple[int, object]]:
        return run_tasks(self.cluster, function, shared, items, gpus=1 if gpu else 0, label=label,
                         on_epoch=on_epoch or ignore, should_stop=should_stop or never)


def part_runner(cluster: Cluster) -> PartRunner:
    """The `run_parts` of a synthesizer's training on `cluster` (models.synth.base.Synthesizer.train)."""
    return PartRunner(cluster)


def training_runner(cluster: Cluster):
    """A `lib.wp.compare.RunTrainings` that runs each (arm, seed) training as a Ray task, on CPUs: the WP
    network is small, and CPU training repeats exactly."""

    def run(trainings: list, data, on_epoch: OnEpoch, should_stop: ShouldStop):
        return run_tasks(cluster, _train_one_task, data, trainings, label="training", on_epoch=on_epoch,
                         should_stop=should_stop)

    return run


def _train_one_task(data, training, report):
    from lib.wp.compare import train_one

    return train_one(training, data, report)


def chunk_runner(cluster: Cluster, on_epoch: OnEpoch = ignore, should_stop: ShouldStop = never):
    """A `models.synth.chunks.RunChunks` that draws each chunk of a sample as a Ray task; the model goes into the
    object store once. Each finished chunk reaches `on_epoch` as one step of the whole sample."""

    def run(model, plan: list[tuple[int, int | None]], todo: list[int]):
        items = [(index, len(plan), *plan[index], cluster.cpus_per_task) for index in todo]
        pairs = run_tasks(cluster, _sample_chunk_task, model, items, label="chunk", on_epoch=on_epoch,
                          should_stop=should_stop)
        return ((todo[position], part) for position, part in pairs)

    return run


def _sample_chunk_task(model, item, report):
    import time

    from models.synth.torch_runtime import torch_threads

    index, chunks, rows, seed, cpus = item
    started = time.perf_counter()
    with torch_threads(model.threads or cpus):  # as a shard: rows repeat bit for bit at one thread count
        part = model.sample_with_report(rows, seed)
    report(EpochLog(1, 1, time.perf_counter() - started, {}, f"chunk {index + 1}/{chunks}", index, chunks))
    return part
