"""Benchmark: ``onderdak batch`` of report notebooks for N starter cases, local pool beside Dask.

Run: ``.venv/bin/python benchmarks/bench_batch.py [N] [--paths P] [--workers W] [--no-advice]
[--from DIR]`` (default N=4 municipalities, 500 paths, 2 workers, ``../shared/data``).

What it does, as the command line would (the same functions it calls):

1. ``onderdak init GMxxxx --from DIR`` for the first N municipalities of the PDOK boundaries
   (:func:`onderdak.geo.starter_case.init_case`, offline) into a temporary folder;
2. ``onderdak batch <N cases> --notebook scenarios -p paths=P --formats html`` with
   ``--executor local --workers W`` and ``--executor dask --workers W`` (:func:`onderdak.cli.batch.run_batch`),
   one job per municipality (every scenario simulated once), each worker keeping one kernel;
3. the same on a Dask LocalCluster with 1 worker, for the speed-up from 1 to W workers on the same N
   municipalities (ideal: W×);
4. the advice notebook the same way; the starter cases name no location register (``locaties.xlsx``
   is an empty template until the project leader fills it in), so it runs the demo case (which has
   one) N times instead: what the advice costs per municipality that has a register;
5. each notebook once more on the local pool with a fresh kernel per job (``reuse_kernel=False``),
   as before workers kept their kernel, to show what keeping it saves.

Every worker gets one core: Dask workers have one thread each (``threads_per_worker=1``, checked in
each worker), and OMP/OpenBLAS/MKL (and the like) get one thread, set here before anything imports
numpy, so that the workers, their kernels and Dask's nannies all inherit it. Without that, one worker
could already use every core and the speed-up from more workers would be hidden.

Printed per run: wall seconds (Dask: including starting and stopping its LocalCluster, also given
apart), the mean and median seconds of a job (notebook and HTML export, and the kernel's start when
it is not kept: measured in the worker; with kept kernels only a worker's first job starts one, so
the median is a job once the workers run), and the linear extrapolation of the wall time to all 342
municipalities (wall / N × 342, so the one-off starts are counted 342/N times: an upper bound).
With each figure the load average before → after: the machine may be shared, and other load slows
every figure. The speed-up from 1 to W Dask workers is given in wall time and in jobs per second
once the workers run (W × median at 1 worker / median at W), and beside it the machine's own
ceiling (:func:`machine_ceiling`: how much slower the same simulation gets when two processes run it
at once).
"""

from __future__ import annotations

import os

# one thread per worker for every numeric library: before numpy is imported anywhere (children inherit)
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "BLIS_NUM_THREADS",
)
for _var in THREAD_VARS:
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MUNICIPALITIES = 342


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass
class Timing:
    label: str
    wall: float  # seconds, everything
    start: float  # seconds starting and stopping the cluster (0 for the local pool: in ``wall``)
    per_job: float  # mean seconds of a job, measured in its worker
    median_job: float  # median seconds of a job: a job after its worker's first (kernel started)
    failed: list[str]
    load: str  # "before → after"

    @property
    def jobs(self) -> float:
        return self.wall - self.start


def _probe(dask_worker: Any = None) -> dict[str, Any]:
    """In a Dask worker: its threads and the numeric libraries' thread settings."""
    return {
        "threads": dask_worker.state.nthreads if dask_worker is not None else None,
        **{v: os.environ.get(v, "") for v in THREAD_VARS},
    }


def _check_dask(executor: Any, workers: int) -> str:
    """One thread per Dask worker and one numeric thread each, checked in every worker."""
    client = getattr(executor, "_client", None)
    if client is None:
        return "(not checked: no client)"
    seen = client.run(_probe)
    bad = {
        addr: info
        for addr, info in seen.items()
        if info["threads"] != 1 or any(info[v] != "1" for v in THREAD_VARS)
    }
    if len(seen) != workers or bad:
        raise SystemExit(f"dask workers are not {workers} × 1 thread with 1 BLAS thread: {seen}")
    return f"{len(seen)} worker(s) × 1 thread, {'/'.join(v.split('_')[0] for v in THREAD_VARS)}=1"


def run(
    jobs: list[Any], executor: str, workers: int, out: Path, label: str, reuse_kernel: bool = True
) -> Timing:
    """One batch of ``jobs`` on ``executor`` with ``workers``; its timing. ``reuse_kernel``:
    each worker keeps one kernel (the batch's default), else a fresh kernel per job."""
    from onderdak.cli import batch, executors

    before = _load()
    started = time.perf_counter()
    if executor == "local":
        results, _ = batch.run_batch(
            jobs,
            workers,
            out,
            ["html"],
            label,
            progress=False,
            executor="local",
            reuse_kernel=reuse_kernel,
        )
        wall, start = time.perf_counter() - started, 0.0
    else:
        with executors.dask_executor(workers) as pool:
            up = time.perf_counter() - started
            checked = _check_dask(pool, workers)
            ran = time.perf_counter()
            results, _ = batch.run_batch(
                jobs, workers, out, ["html"], label, progress=False, executor=pool
            )
            done = time.perf_counter()
        wall = time.perf_counter() - started
        start = wall - (done - ran)
        print(f"  [{label}: cluster up in {up:.1f} s; {checked}]", file=sys.stderr)
    failed = [
        f"{r.job.label}: {_first_line(r.message) or r.status}" for r in results if r.status != "ok"
    ]
    per_job = statistics.fmean(r.seconds for r in results) if results else 0.0
    median = statistics.median(r.seconds for r in results) if results else 0.0
    return Timing(label, wall, start, per_job, median, failed, f"{before} → {_load()}")


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def table(timings: list[Timing], n: int) -> None:
    print(
        f"{'executor':<26}{'wall s':>8}{'of which cluster':>18}{'s/job':>8}{'median':>8}"
        f"{'342 (min)':>11}   load before → after"
    )
    for t in timings:
        minutes = t.wall / n * MUNICIPALITIES / 60
        start = f"{t.start:.1f}" if t.start else "-"
        print(
            f"{t.label:<26}{t.wall:>8.1f}{start:>18}{t.per_job:>8.1f}{t.median_job:>8.1f}"
            f"{minutes:>11.1f}   {t.load}"
        )
        for f in t.failed:
            print(f"  failed: {f}")


def starter_cases(source: Path, codes: list[str], folder: Path) -> list[Path]:
    """``onderdak init CODE --from source`` for each code; the case files."""
    from onderdak.geo.starter_case import init_case

    return [init_case(code, folder / code.lower(), source_dir=source) for code in codes]


def registers_missing(cases: list[Path]) -> list[str]:
    """The cases that name no location register (the advice needs one)."""
    from onderdak.case.settings import load_case_file

    return [c.parent.name for c in cases if not next(iter(load_case_file(c).values())).locations]


def bench_notebook(
    notebook: str, cases: list[Path], paths: int, workers: int, tmp: Path, scaling: bool
) -> list[Timing]:
    """The batch of ``notebook`` for ``cases``: local pool, Dask with ``workers`` (and with 1)."""
    from onderdak.cli.batch import jobs_for_cases

    jobs = jobs_for_cases(cases, None, notebook, {"paths": str(paths)})
    runs = [("local", workers, True), ("dask", workers, True)]
    runs += [("dask", 1, True)] if scaling else []
    runs += [("local", workers, False)]  # as before kernels were kept: one started per job
    timings = []
    for executor, w, kept in runs:
        label = f"{executor}, {w} worker{'s' if w > 1 else ''}" + ("" if kept else ", fresh")
        out = tmp / f"{notebook}-{executor}-{w}-{kept}"
        timings.append(run(jobs, executor, w, out, label, kept))
    return timings


def _unit(_: int = 0) -> float:
    """Seconds of one unit of a job's own work: the demo case's five scenarios, simulated."""
    from onderdak.pipeline.run import CaseRun

    started = time.perf_counter()
    CaseRun(ROOT / "data" / "cases" / "demo" / "case.yaml").results(money=False)
    return time.perf_counter() - started


def machine_ceiling(rounds: int = 3) -> float:
    """How much slower a job gets when two run at once on this machine (1.0: not at all).

    Two worker processes (imports and caches warmed first) run the same unit of work alone, one
    after the other, and then both at once; the ratio of the mean times. With two workers the
    speed-up cannot exceed 2 / this ratio, whatever the executor.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_unit, range(2)))  # warm both workers
        alone = [pool.submit(_unit).result() for _ in range(rounds)]
        together = [t for _ in range(rounds) for t in pool.map(_unit, range(2))]
    return statistics.fmean(together) / statistics.fmean(alone)


def demo_copies(n: int, folder: Path) -> list[Path]:
    """The demo case (a municipality with a location register) ``n`` times, each in its folder."""
    import shutil

    cases = []
    for i in range(n):
        target = folder / f"demo-{i + 1}"
        shutil.copytree(ROOT / "data" / "cases" / "demo", target)
        cases.append(target / "case.yaml")
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=4, help="municipalities (default 4)")
    parser.add_argument("--paths", type=int, default=500, help="paths per scenario (default 500)")
    parser.add_argument("--workers", type=int, default=2, help="workers (default 2)")
    parser.add_argument("--from", dest="source", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--no-advice", action="store_true", help="only the scenarios notebook")
    args = parser.parse_args()
    os.environ.setdefault("ONDERDAK_PEILDATUM", "2026-01")
    from onderdak.cli.national import municipality_codes

    source = Path(args.source)
    codes = municipality_codes(source)[: args.n]
    print(
        f"onderdak batch of report notebooks: {len(codes)} starter cases ({', '.join(codes)}), "
        f"-p paths={args.paths}, --formats html, {args.workers} workers, {os.cpu_count()} cores; "
        f"load {_load()}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        cases = starter_cases(source, codes, Path(tmp) / "cases")
        print("\nscenarios notebook (one job per municipality, every scenario)")
        timings = bench_notebook("scenarios", cases, args.paths, args.workers, Path(tmp), True)
        table(timings, len(codes))
        one, many = timings[2], timings[1]
        print(
            f"dask 1 → {args.workers} workers on the same {len(codes)} municipalities: "
            f"speed-up {one.wall / many.wall:.2f}× wall, {one.jobs / many.jobs:.2f}× without "
            f"starting the cluster, {args.workers * one.median_job / many.median_job:.2f}× in jobs "
            f"per second once the workers run (median jobs; ideal {args.workers:.1f}×): each worker "
            f"starts its kernel once, the first job pays it; local pool / dask "
            f"{timings[0].wall / many.wall:.2f}; kept kernels / a fresh kernel per job "
            f"{timings[0].wall / timings[-1].wall:.2f} of the wall time"
        )
        ratio = machine_ceiling()
        print(
            f"this machine: a job takes {ratio:.2f}× as long when two run at once as alone (the "
            f"same simulation in two processes), so 2 workers can give at most {2 / ratio:.2f}×"
        )
        missing = registers_missing(cases)
        if args.no_advice:
            return 1 if any(t.failed for t in timings) else 0
        print("\nadvice notebook")
        if missing:
            print(
                f"  not for the starter cases: the advice needs a location register, and they name "
                f"none (field `locations`; {len(missing)} of {len(cases)}). Instead the demo case "
                f"(which has one) {len(codes)} times: what the advice would cost per municipality"
            )
            cases = demo_copies(len(codes), Path(tmp) / "demo")
        advice = bench_notebook("advice", cases, args.paths, args.workers, Path(tmp), False)
        table(advice, len(codes))
        timings += advice
    bad = any(t.failed for t in timings)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
