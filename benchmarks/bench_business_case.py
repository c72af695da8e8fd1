"""Benchmark: 20 alternatives × 10,000 paths × 30 years of monthly cash flows (target ≤ 1.5 s wall).

Prints the wall time of evaluating all alternatives on one ensemble (the target; best of three runs,
each run's wall and CPU time shown, since other work on the machine inflates wall time), and for context the
summary table (with IRR per path), the tornado of one alternative and peak memory.
Run: ``.venv/bin/python benchmarks/bench_business_case.py``.
"""

from __future__ import annotations

import resource
import time

import numpy as np
import pandas as pd

from onderdak.business_case.alternatives import (
    Alternative,
    BusinessCaseInputs,
    evaluate_alternatives,
)
from onderdak.business_case.evaluate import summary_table
from onderdak.business_case.sensitivity import tornado
from onderdak.finance.reuse import ReuseSpec

PATHS, YEARS, ALTERNATIVES = 10_000, 30, 20
TARGET_SECONDS = 1.5
REPEATS = 3


def synthetic_inputs(paths: int = PATHS, years: int = YEARS, seed: int = 1) -> BusinessCaseInputs:
    """Need for 80 places that decays at a random pace with noise, and a planned-portfolio signal."""
    rng = np.random.default_rng(seed)
    months = years * 12
    t = np.arange(months)
    pace = rng.uniform(24, 240, (paths, 1))
    need = 90 * np.exp(-t / pace) + rng.normal(0, 8, (paths, months)) - 10
    periods = pd.period_range("2026-01", periods=months, freq="M")
    income = np.where(periods.year < 2026, 61.0, 44.0)
    return BusinessCaseInputs(
        need_places=np.clip(need, 0, 80),
        periods=periods,
        income_eur_per_place_day=income,
        discount_rate_share=0.025,
        recourse_eur_per_place_day=75.0,
        target_places=80.0,
        rule_signal_places=need,
    )


def alternatives(n: int = ALTERNATIVES) -> list[Alternative]:
    """A mix of kinds, capacities, plans and rule lengths (as a busy business case would have)."""
    reuse = ReuseSpec("starter_homes", 1.9e6, 15, 192_000, 48_000, 0.0, 3.4e6, 20)
    out = []
    for i in range(n):
        out.append(
            Alternative(
                name=f"alt{i:02d}",
                label=f"alternative {i}",
                kind=("buy_convert", "lease", "hotel", "flex_units", "leegstandwet")[i % 5],
                capacity_places=(80.0, 60.0, 40.0)[i % 3],
                capex_eur=2.9e6 * (i % 2),
                lead_time_months=i % 12,
                term_months=None if i % 4 else 120,
                fixed_opex_eur_per_year=150_000.0 + 10_000 * i,
                variable_opex_eur_per_place_day=28.0,
                residual_value_eur=2.3e6 * (i % 2),
                plan=("rule", "fixed", "none")[i % 3],
                rule_months=(3, 6, 12, 24)[i % 4],
                fixed_month=60,
                reuse=reuse if i % 2 else None,
            )
        )
    return out


def main() -> None:
    inputs = synthetic_inputs()
    alts = alternatives()
    evaluate_alternatives(synthetic_inputs(200), alts)  # warm-up (imports, caches)
    walls, cpus = [], []
    for _ in range(REPEATS):
        t0, c0 = time.perf_counter(), time.process_time()
        results = evaluate_alternatives(inputs, alts)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    t_eval = min(walls)
    t0 = time.perf_counter()
    table = summary_table(inputs, results)
    t_table = time.perf_counter() - t0
    t0 = time.perf_counter()
    tornado(inputs, alts[1], purchase_price_eur=2.35e6, conversion_capex_eur=0.54e6)
    t_tornado = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"business case: {ALTERNATIVES} alternatives x {PATHS:,} paths x {YEARS} years (monthly flows)"
    )
    runs = "; ".join(f"{w:.3f} s wall / {c:.3f} s cpu" for w, c in zip(walls, cpus, strict=True))
    print(f"  evaluation runs           : {runs}")
    print(
        f"  evaluate all (best of {REPEATS})  : {t_eval:6.3f} s wall   (target <= {TARGET_SECONDS} s: {'OK' if t_eval <= TARGET_SECONDS else 'MISSED'})"
    )
    print(f"  summary table incl. IRR   : {t_table:6.3f} s wall   ({len(table)} rows)")
    print(f"  tornado of one alternative: {t_tornado:6.3f} s wall")
    print(f"  peak resident memory      : {peak_mb:6.0f} MB")


if __name__ == "__main__":
    main()
