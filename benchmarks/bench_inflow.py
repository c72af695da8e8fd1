"""Benchmark: national ensemble + municipal need, 10,000 paths × 120 months (target ≤ 0.5 s, ≤ 1.5 GB).

The chain runs from the last published COA state (a few months before the horizon) in a (months, paths)
layout, so every month of the time loop reads and writes contiguous rows.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

from onderdak.case.settings import load_case_file
from onderdak.inflow.drivers import calibration_for, simulate_inflow
from onderdak.need.demand import municipal_need

CASE = Path(__file__).resolve().parents[1] / "data" / "cases" / "demo" / "case.yaml"
PATHS = 10_000


def main() -> None:
    cases = load_case_file(CASE)
    base = cases["basis"]
    calibration_for(base)  # cached: reading the reference series is not part of the simulation
    simulate_inflow(base, paths=100)  # warm-up (imports, caches)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        need = municipal_need(base, simulate_inflow(base, paths=PATHS))
        best = min(best, time.perf_counter() - t0)
    months = len(need.periods)
    t0 = time.perf_counter()
    for case in cases.values():
        municipal_need(case, simulate_inflow(case, paths=PATHS))
    all_s = time.perf_counter() - t0
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"ensemble + need, 1 scenario : {PATHS} paths × {months} months, 3 streams: {best:.3f} s (target ≤ 0.5 s)"
    )
    print(f"  throughput                : {PATHS * months / best:,.0f} path-months/s")
    print(
        f"all {len(cases)} scenarios          : {all_s:.3f} s, {len(cases) * PATHS * months / all_s:,.0f} path-months/s"
    )
    print(f"peak memory (process)       : {peak_gb:.2f} GB (target ≤ 1.5 GB)")


if __name__ == "__main__":
    main()
