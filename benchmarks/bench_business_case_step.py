"""Benchmark: the business-case and portfolio-analysis step of ``onderdak run`` on the demo at 10,000 paths.

Simulates every scenario of the demo case once (not timed), then times what ``onderdak run`` does after
the simulation for money: the portfolio analysis per scenario (:func:`onderdak.portfolio.analysis.portfolio_tables`)
and the business case per scenario (:func:`onderdak.business_case.evaluate.business_case_tables`), best of
``REPEATS`` runs, and prints the value of flexibility and the cheapest alternative of the base scenario.
Target: the two together ≲ 3 s wall at 10,000 paths (issue 13; the whole run ≤ 20 s).
Run: ``.venv/bin/python benchmarks/bench_business_case_step.py [--paths N] [--case PATH]``.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("ONDERDAK_PEILDATUM", "2026-01")

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 3.0
REPEATS = 3


def main() -> None:
    from onderdak.business_case.evaluate import business_case_tables
    from onderdak.case.settings import select_cases
    from onderdak.need.simulate import simulate
    from onderdak.portfolio.analysis import portfolio_tables
    from onderdak.register.locations import load_register

    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--case", default=str(ROOT / "data/cases/demo/case.yaml"))
    args = parser.parse_args()
    cases = select_cases(args.case, None)
    runs = {name: simulate(c, paths=args.paths) for name, c in cases.items()}
    register = load_register(next(iter(cases.values())))
    t_port, t_bc = [], []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        for run in runs.values():
            portfolio_tables(run.case, run.need, register)
        t_port.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        tables = business_case_tables(runs, register)
        t_bc.append(time.perf_counter() - t0)
    port, bc = min(t_port), min(t_bc)
    total = port + bc
    print(f"{args.case}: {len(runs)} scenarios x {args.paths:,} paths (best of {REPEATS})")
    print(f"  portfolio analysis : {port:6.2f} s wall")
    print(f"  business case      : {bc:6.2f} s wall")
    status = "OK" if total <= TARGET_SECONDS else "MISSED"
    print(f"  together           : {total:6.2f} s wall   (target <= {TARGET_SECONDS} s: {status})")
    t = tables.get("business_case")
    if t is not None:
        base = t[t["scenario"] == next(iter(runs))]
        flex = base[base["metric"] == "flexibility_value_eur"]["mean"]
        npv = base[base["metric"] == "npv_eur"].set_index("alternative")["mean"]
        print(f"  base scenario: value of flexibility {float(flex.iloc[0]):,.0f} EUR; ", end="")
        print(f"cheapest in expectation: {npv.idxmax()} ({-npv.max():,.0f} EUR net present cost)")


if __name__ == "__main__":
    main()
