"""Where a batch's jobs run: the built-in process pool or a Dask cluster, behind one seam.

The seam is :class:`concurrent.futures.Executor`: :func:`run_jobs` submits one call per job to any
executor and collects the answers in job order, with a progress bar. ``executor=None`` is the
built-in pool: spawned worker processes, one job at a time each, renewed when a worker dies.
``"dask"`` is a :class:`distributed.Client` (the optional extra ``onderdak[dask]``) on the scheduler
at ``scheduler``, or on a new :class:`distributed.LocalCluster` of ``workers`` processes with one
thread each when none is given.

A job whose worker dies (killed, out of memory) is run once more; a second death fails the job and
the batch goes on. On the built-in pool a death breaks the pool, and every job it was running is
run again on a new one. On a LocalCluster the scheduler is told not to retry itself
(``allowed-failures: 0``), so the one retry is this module's and the same on every executor; a
scheduler of one's own keeps its own setting (Dask's default retries three times first).

``--shard K/N`` (:func:`shard`) runs every N-th job from the K-th on, so that N array jobs of a
cluster scheduler (Slurm, PBS) together run the batch once.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

from onderdak.core.errors import InputError

EXECUTORS = ("local", "dask")
RETRIES = 1
"""Times a job is run again after its worker died."""
T = TypeVar("T")


def init_worker() -> None:
    """One core per job: the workers are the parallelism (set before numpy is imported)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def local_pool(workers: int) -> ProcessPoolExecutor:
    """The built-in pool: ``workers`` spawned processes (spawn: no state of the parent copied)."""
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=init_worker
    )


def worker_lost(exc: BaseException) -> bool:
    """Whether a job failed because its worker died (and not by an error of its own).

    The built-in pool says so with ``BrokenProcessPool``, Dask with ``KilledWorker``.
    """
    return isinstance(exc, BrokenExecutor) or type(exc).__name__ == "KilledWorker"


@contextlib.contextmanager
def dask_executor(workers: int, scheduler: str | None = None) -> Iterator[Executor]:
    """A Dask client's executor: on ``scheduler`` (address), or on a new LocalCluster.

    The LocalCluster has ``workers`` processes of one thread each and no dashboard.

    Raises
    ------
    InputError
        Dask is not installed (exit code 2), or the scheduler cannot be reached.
    """
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "--executor dask: Dask is not installed; install it with "
            "`pip install 'onderdak[dask]'` (or use --executor local)"
        ) from None
    with contextlib.ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler, timeout="20s"))
            except OSError as exc:
                raise InputError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        else:
            stack.enter_context(dask.config.set({"distributed.scheduler.allowed-failures": 0}))
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            )
            client = stack.enter_context(Client(cluster))
        # pure=False: a job run again is a new task, not the failed one looked up by its key
        yield client.get_executor(pure=False)


def check(kind: str | Executor | None, scheduler: str | None = None) -> None:
    """Refuse, before any work, an executor that cannot be opened (InputError, exit code 2)."""
    if kind is None or isinstance(kind, Executor):
        return
    if kind not in EXECUTORS:
        raise InputError(f"--executor {kind!r}: choose one of {', '.join(EXECUTORS)}")
    if kind == "local" and scheduler:
        raise InputError("--scheduler: only with --executor dask")
    if kind == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise InputError(
                "--executor dask: Dask is not installed; install it with "
                "`pip install 'onderdak[dask]'` (or use --executor local)"
            ) from None


@contextlib.contextmanager
def open_executor(
    kind: str | Executor | None, workers: int, scheduler: str | None = None
) -> Iterator[Executor | None]:
    """The executor of ``--executor``: None for the built-in pool (see :func:`run_jobs`)."""
    check(kind, scheduler)
    if kind is None or isinstance(kind, Executor):
        yield kind
    elif kind == "local":
        yield None
    else:
        with dask_executor(workers, scheduler) as executor:
            yield executor


def run_jobs(
    fn: Callable[..., T],
    calls: Sequence[tuple[Any, ...]],
    executor: Executor | None = None,
    workers: int = 1,
    name: str = "batch",
    progress: bool = True,
    on_done: Callable[[int, T | None, int, BaseException | None], None] | None = None,
) -> list[tuple[T | None, int, BaseException | None]]:
    """Call ``fn(*calls[i])`` for every i on the executor; per call (answer, runs, error) in call order.

    ``fn`` should catch its own errors (a job's failure is its answer); an exception that comes
    through is the call's error, and a dead worker's call is run once more (:data:`RETRIES`).
    ``runs`` counts how often the call was submitted (a broken built-in pool fails the calls it
    had not started too; they count and are submitted again). ``on_done(i, answer, runs, error)`` is called as
    each call finishes, in the order they finish.
    """
    from tqdm import tqdm

    out: list[tuple[T | None, int, BaseException | None]] = [(None, 0, None)] * len(calls)
    runs = [0] * len(calls)
    pending = list(range(len(calls)))
    bar = tqdm(total=len(calls), desc=name, unit="job", disable=not progress, file=sys.stderr)
    failed = 0
    while pending:
        own = executor is None
        pool = local_pool(max(1, min(workers, len(pending)))) if own else executor
        assert pool is not None
        try:
            futures = {}
            for i in pending:
                runs[i] += 1
                futures[pool.submit(fn, *calls[i])] = i
            pending = []
            for fut in as_completed(futures):
                i = futures[fut]
                answer, error = None, fut.exception()
                if error is None:
                    answer = fut.result()
                elif worker_lost(error) and runs[i] <= RETRIES:
                    pending.append(i)
                    continue
                out[i] = (answer, runs[i], error)
                failed += error is not None or _failed(answer)
                if on_done is not None:
                    on_done(i, answer, runs[i], error)
                bar.set_postfix(failed=failed)
                bar.update(1)
        finally:
            if own:
                pool.shutdown(wait=True, cancel_futures=True)
        if pending and not own and isinstance(pool, ProcessPoolExecutor):
            # a pool given to us that broke cannot be renewed here: its jobs fail
            for i in pending:
                error = BrokenExecutor("the worker process died and the pool cannot be renewed")
                out[i] = (None, runs[i], error)
                if on_done is not None:
                    on_done(i, None, runs[i], error)
            pending = []
    bar.close()
    return out


def _failed(answer: Any) -> bool:
    return isinstance(answer, dict) and answer.get("status", "ok") != "ok"


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """``"K/N"`` → (K, N), 1 ≤ K ≤ N; None stays None.

    >>> parse_shard("2/4")
    (2, 4)
    """
    if not text:
        return None
    k, sep, n = text.partition("/")
    if not sep or not k.strip().isdigit() or not n.strip().isdigit() or not 1 <= int(k) <= int(n):
        raise InputError(f"--shard {text!r}: give K/N with 1 ≤ K ≤ N, e.g. --shard 1/4")
    return int(k), int(n)


def shard(items: Sequence[T], spec: tuple[int, int] | None) -> list[T]:
    """The K-th of N shards: items K-1, K-1+N, K-1+2N, … (all items when ``spec`` is None).

    Deterministic for a given list, and together the N shards hold every item once.

    >>> shard(list("abcdefg"), (2, 3))
    ['b', 'e']
    """
    if spec is None:
        return list(items)
    k, n = spec
    return list(items[k - 1 :: n])


def add_arguments(p: Any) -> None:
    """The executor options of ``onderdak batch`` and ``onderdak national``."""
    p.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="local: a process pool on this machine; dask: a Dask cluster (pip install 'onderdak[dask]')",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: the scheduler (tcp://host:8786); default a LocalCluster of --workers",
    )
    p.add_argument(
        "--shard", metavar="K/N", help="run only the K-th of N equal parts of the jobs (job arrays)"
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="skip jobs whose case, data, code and parameters are unchanged since a successful run",
    )


def arguments(args: Any) -> dict[str, Any]:
    """The executor options of a parsed command line, as keyword arguments of ``run_batch``."""
    return {
        "executor": args.executor,
        "scheduler": args.scheduler,
        "shard": parse_shard(args.shard),
        "resume": args.resume,
    }
