"""Benchmark: ``onderdak national`` for N municipalities on the local pool and on Dask (1 and 2 workers).

Run: ``.venv/bin/python benchmarks/bench_national.py [N] [--paths P] [--report scenarios]
[--executors local,dask1,dask2] [--from DIR]`` (default N=12, the cases' own 2,000 paths, every
executor, ``../shared/data``; N=342 runs the whole country). Each municipality is one job: its
starter case, every scenario simulated once (``run_case``) and its results written, with
``--report scenarios`` also its scenarios report (HTML) on the worker's kept kernel; then the
overview (tables, workbook, map). With a report, the mean seconds of a job's pipeline and of its
report are printed apart, and the kernels each worker started (1: the kernel was kept). Prints the wall time per executor, the time per municipality and the linear
extrapolation to all 342 municipalities (target ≤ 30 minutes on 2 cores), with the load average
before and after each run: the machine may be shared, and other load slows every figure.
Dask's figures include starting its LocalCluster (a few seconds, once per run). The speed-up from
1 to 2 Dask workers on the same municipalities is printed (ideal 2.0×): every worker has one thread
and OMP/OpenBLAS/MKL one thread each, set before numpy is imported (the workers inherit it), so that
one worker cannot already use both cores. A batch of report notebooks: ``bench_batch.py``.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"  # one thread per worker, before numpy is imported (children inherit)

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MUNICIPALITIES = 342
TARGET_MINUTES = 30.0


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def one(
    source: Path,
    codes: list[str],
    executor: str,
    workers: int,
    paths: int | None,
    report: str | None = None,
) -> tuple[float, list[dict]]:
    """Wall seconds of the national run of ``codes`` (jobs and overview) on ``executor``, and
    the jobs' answers."""
    from onderdak.cli.national import run_national

    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp:
        started = time.perf_counter()
        _, answers, _ = run_national(
            source,
            Path(tmp),
            codes,
            2026,
            paths=paths,
            executor=executor,
            workers=workers,
            progress=False,
            report=report,
        )
        wall = time.perf_counter() - started
    bad = [a["code"] for a in answers if a["status"] != "ok"]
    bad += [a["code"] for a in answers if a.get("report", {}).get("status", "ok") != "ok"]
    if bad:
        print(f"  failed: {', '.join(bad)}", file=sys.stderr)
    return wall, answers


def _parts(answers: list[dict]) -> str:
    """Mean seconds of a job's pipeline and report, and the kernels each worker started."""
    reports = [a["report"] for a in answers if "report" in a]
    if not reports:
        return ""
    mean_report = sum(r["seconds"] for r in reports) / len(reports)
    mean_all = sum(a["seconds"] for a in answers) / len(answers)
    kernels: dict[str, int] = {}
    for r in reports:
        kernels[r["worker"]] = max(kernels.get(r["worker"], 0), r["kernels_started"])
    return (
        f"      per job: pipeline {mean_all - mean_report:.2f} s + report {mean_report:.2f} s; "
        f"kernels started per worker: {sorted(kernels.values())} for {len(reports)} reports"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=12, help="municipalities (default 12)")
    parser.add_argument("--paths", type=int, help="paths per scenario (default: the case's)")
    parser.add_argument("--from", dest="source", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--report", choices=("scenarios",), help="also each municipality's report")
    parser.add_argument(
        "--executors", default="local,dask1,dask2", help="of local, dask1, dask2 (default all)"
    )
    args = parser.parse_args()
    os.environ.setdefault("ONDERDAK_PEILDATUM", "2026-01")
    from onderdak.cli.national import municipality_codes

    source = Path(args.source)
    codes = municipality_codes(source)[: args.n]
    paths = args.paths or "the case's (2000)"
    report = f", the {args.report} report of each (HTML)" if args.report else ", no report"
    print(
        f"national run: {len(codes)} municipalities, every scenario, paths {paths}{report}, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"{'executor':<18}{'wall s':>9}{'s/municipality':>16}{'342 (min)':>11}   load before → after"
    )
    worst = 0.0
    walls = {}
    chosen = {e.strip() for e in args.executors.split(",")}
    for key, label, executor, workers in (
        ("local", "local pool, 2", "local", 2),
        ("dask1", "dask, 1 worker", "dask", 1),
        ("dask2", "dask, 2 workers", "dask", 2),
    ):
        if key not in chosen:
            continue
        before = _load()
        wall, answers = one(source, codes, executor, workers, args.paths, args.report)
        walls[label] = wall
        per = wall / len(codes)
        minutes = per * MUNICIPALITIES / 60
        worst = max(worst, minutes) if workers == 2 else worst
        print(f"{label:<18}{wall:>9.1f}{per:>16.2f}{minutes:>11.1f}   {before} → {_load()}")
        if _parts(answers):
            print(_parts(answers))
    if {"dask, 1 worker", "dask, 2 workers"} <= set(walls):
        speed_up = walls["dask, 1 worker"] / walls["dask, 2 workers"]
        print(
            f"dask 1 → 2 workers on the same {len(codes)} municipalities: {speed_up:.2f}× "
            "(ideal 2.0×)"
        )
    measured = "measured" if len(codes) == MUNICIPALITIES else "extrapolated linearly"
    print(f"342 column: {measured}")
    print(f"target: all {MUNICIPALITIES} municipalities ≤ {TARGET_MINUTES:.0f} min on 2 cores")
    return 0 if worst <= TARGET_MINUTES else 1


if __name__ == "__main__":
    raise SystemExit(main())
