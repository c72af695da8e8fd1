"""Benchmark: allocation and money for 10,000 paths × 120 months × 50 locations (target ≤ 1.5 s, ≤ 2 GB).

Run: ``.venv/bin/python benchmarks/bench_portfolio.py [paths] [locations]``. Prints wall time per step,
the peak memory traced by tracemalloc during the timed steps, and the process's peak RSS.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from onderdak.case.settings import load_case
from onderdak.core.ensemble import Need
from onderdak.portfolio.allocation import allocate, fill_order, gap_summary, gap_table
from onderdak.portfolio.budget import budget
from onderdak.portfolio.ledger import budget_table
from onderdak.register.locations import capacity, read_register

ROOT = Path(__file__).resolve().parents[1]
TARGET_S, TARGET_GB = 1.5, 2.0
REPEATS = 3
KINDS = (
    "municipal_building",
    "lease",
    "purchase",
    "hotel",
    "holiday_park",
    "flex_units",
    "leegstandwet",
    "coa_location",
)
STREAMS = ("ukraine", "asylum", "status_holders", "ukraine;status_holders")


def synthetic_register(folder: Path, n: int, seed: int = 7) -> Path:
    """A register of ``n`` fictional locations with mixed kinds, statuses, streams, dates and costs."""
    rng = np.random.default_rng(seed)
    lines = [
        "id,name,status,kind,streams,capacity_places,occupancy_norm_share,available_from,lead_time_months,"
        "available_until,purchase_price_eur,conversion_capex_eur,furnishing_capex_eur,fixed_opex_eur_per_year,"
        "variable_opex_eur_per_place_day,closing_cost_eur,coa_rent_eur_per_place_year"
    ]
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        stream = "asylum" if kind == "coa_location" else STREAMS[i % len(STREAMS)]
        status = ("existing", "planned", "candidate")[i % 3]
        start = f"01-{1 + i % 12:02d}-{2026 + i % 4}"
        until = f"31-12-{2029 + i % 8}" if i % 2 else ""
        places = int(rng.integers(20, 400 if kind == "coa_location" else 120))
        lines.append(
            f"B{i:03d},Locatie {i} (fictief),{status},{kind},{stream},{places},0.95,{start},{i % 13},{until},"
            f"{rng.integers(0, 3) * 1_000_000},{places * 5000},{places * 1500},{rng.integers(20, 400) * 1000},"
            f"{rng.integers(0, 90)},{rng.integers(0, 5) * 10_000},{500 if stream == 'asylum' else 0}"
        )
    path = folder / "bench_locations.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(paths: int = 10_000, n_locations: int = 50) -> None:
    case = load_case(ROOT / "data" / "cases" / "demo" / "case.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        reg = read_register(synthetic_register(Path(tmp), n_locations))
    rng = np.random.default_rng(1)
    months = len(case.periods)
    scale = np.exp(
        0.3 * rng.standard_normal((paths, 1))
        + 0.2 * rng.standard_normal((paths, months)).cumsum(axis=1) / 10
    )
    need = Need(
        "bench",
        case.periods,
        {"ukraine": 900 * scale, "asylum": 1500 * scale[::-1], "status_holders": 300 * scale},
        {"ukraine": "places", "asylum": "places", "status_holders": "dwellings"},
    )
    budget(
        case, reg, allocate(need, capacity(reg, case.periods), None)
    )  # warm up imports and caches

    tracemalloc.start()
    timings = []
    for _ in range(REPEATS):  # the best of a few runs: other processes on the machine add noise
        c0, t0 = time.process_time(), time.perf_counter()
        cap = capacity(reg, case.periods, start=case.start)
        alloc = allocate(need, cap, fill_order(reg, cap, "cost"))
        t1 = time.perf_counter()
        money = budget(case, reg, alloc)
        t2 = time.perf_counter()
        timings.append((t2 - t0, t1 - t0, t2 - t1, time.process_time() - c0))
        if len(timings) == 1:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        del alloc, money
    wall, t_alloc, t_money, cpu = min(timings)
    alloc = allocate(need, cap, fill_order(reg, cap, "cost"))
    money = budget(case, reg, alloc)
    t3 = time.perf_counter()
    gap_table(alloc, need.units)
    gap_summary(alloc, need.units)
    budget_table(money)
    t4 = time.perf_counter()

    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"portfolio benchmark: {paths:,} paths × {months} months × {n_locations} locations")
    print(
        f"  best of {REPEATS} runs; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"  capacity + allocation : {t_alloc:6.3f} s")
    print(f"  money (budget)        : {t_money:6.3f} s")
    print(
        f"  allocation and money  : {wall:6.3f} s   (target ≤ {TARGET_S} s)  {'OK' if wall <= TARGET_S else 'OVER'}"
    )
    print(
        f"  CPU time (all threads): {cpu:6.3f} s   (wall exceeds it when other processes share the cores)"
    )
    print(
        f"  peak traced memory    : {peak / 1024**3:6.3f} GB (target ≤ {TARGET_GB} GB)  {'OK' if peak / 1024**3 <= TARGET_GB else 'OVER'}"
    )
    print(f"  peak RSS (process)    : {rss_gb:6.3f} GB")
    print(
        f"  tables (gap, budget)  : {t4 - t3:6.3f} s   (not in the target: summary statistics for the CSVs)"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
