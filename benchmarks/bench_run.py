"""Benchmark: ``onderdak run data/cases/demo/case.yaml --out X --paths 10000`` (target ≤ 20 s wall on 2 cores).

Run: ``.venv/bin/python benchmarks/bench_run.py [paths] [--cli]``. Makes the calls of the CLI's
``run`` (``check_case``, ``check_output``, ``run_case`` with its plans, ``write_results``) in this
process after timing the imports, and prints the span and CPU time per stage (``Results.seconds``; the stages of the scenarios overlap) and
in total, with the load average before and after (the machine may be shared: CPU time is the
figure other load inflates least; ``OMP_NUM_THREADS=1`` runs the scenarios one after the other).
``--cli`` instead times the command itself in a child process (total only). Exits 1 over target.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "cases" / "demo" / "case.yaml"
TARGET_SECONDS = 20.0


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def in_process(paths: int, out: Path) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """(wall s, CPU s) of the run command's calls, imports included, and (wall s, CPU s) per stage."""
    wall0, cpu0 = time.perf_counter(), _cpu()
    from onderdak.io.atomic import check_output
    from onderdak.pipeline.gate import check_case
    from onderdak.pipeline.results import run_case, write_results

    imported = (time.perf_counter() - wall0, _cpu() - cpu0)
    check_case(CASE, None, paths, None)
    check_output(out)
    checked = (time.perf_counter() - wall0 - imported[0], _cpu() - cpu0 - imported[1])
    results = run_case(CASE, paths=paths, plans=True)
    write_results(results, out)
    wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
    return wall, cpu, {"imports": imported, "checks": checked, **results.seconds}


def as_command(paths: int, out: Path) -> tuple[float, float]:
    """(wall s, CPU s) of ``onderdak run`` in a child process."""
    wall0, cpu0 = time.perf_counter(), _cpu()
    cmd = [sys.executable, "-m", "onderdak.cli.main", "run", str(CASE), "--out", str(out)]
    subprocess.run([*cmd, "--paths", str(paths)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - wall0, _cpu() - cpu0


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    paths = int(args[0]) if args else 10_000
    print(f"onderdak run {CASE.relative_to(ROOT)} --paths {paths} on {os.cpu_count()} cores")
    print(f"load average before: {_load()}")
    with tempfile.TemporaryDirectory() as tmp:
        if "--cli" in sys.argv:
            wall, cpu = as_command(paths, Path(tmp) / "out")
        else:
            wall, cpu, stages = in_process(paths, Path(tmp) / "out")
            # the stages of the scenarios overlap on the threads: a stage's wall time is the span
            # from its first task's start to its last task's end, its CPU the sum over its tasks
            print(f"  {'stage':<14} {'span s':>7} {'CPU s':>7}")
            for stage, (w, c) in stages.items():
                print(f"  {stage:<14} {w:7.2f} {c:7.2f}")
    print(f"load average after:  {_load()}")
    verdict = "OK" if wall <= TARGET_SECONDS else "OVER TARGET"
    print(
        f"total: {wall:.1f} s wall, {cpu:.1f} s CPU (target ≤ {TARGET_SECONDS:.0f} s wall): {verdict}"
    )
    return 0 if wall <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
