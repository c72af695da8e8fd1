"""Multi-year inflow backtest on every history and both calm-noise laws, with its wall time.

Prints, per history (data/reference 2013–2025; CBS 83102NED 1975–2018 spliced with it) and law
(``simulator``: the ensemble's stationary monthly AR(1) noise; ``random_walk``: accumulating annual
changes), the coverage per horizon with its Clopper–Pearson interval on the non-overlapping windows,
the misses per side, the interval score and the skill; then the MPP comparison's hit rates and the
chain hooks with the naive stand-in.
Run: ``.venv/bin/python benchmarks/bench_backtest.py [path/to/cbs_83102ned.csv] [draws]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from onderdak.backtest.chain import chain_backtest
from onderdak.backtest.horizons import INFLOW_LAWS, horizon_scores, inflow_backtest
from onderdak.backtest.mpp import mpp_hit_rates, mpp_like_for_like
from onderdak.io.opendata import read_cbs_asylum_history_csv

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
HISTORY = SHARED / "cbs_83102ned_asielverzoeken_nationaliteit_1975_2018.csv"
COLUMNS = {
    "target": "target",
    "forecasts": "n",
    "effective_forecasts": "n_eff",
    "cov80": "cov80 (95% CI)",
    "cov95": "cov95 (95% CI)",
    "below_p10_share": "<p10",
    "above_p90_share": ">p90",
    "interval_score_80_persons": "IS80",
    "skill_persistence_share": "skill_persist",
    "skill_climatology_share": "skill_clim",
}


def _ci(s: pd.DataFrame, level: str) -> pd.Series:
    return s.apply(
        lambda r: (
            f"{r[f'coverage_{level}_share']:.2f} ({r[f'coverage_{level}_ci_low_share']:.2f}–"
            f"{r[f'coverage_{level}_ci_high_share']:.2f})"
        ),
        axis=1,
    )


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HISTORY
    draws = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    long = read_cbs_asylum_history_csv(path) if path.exists() else None
    pd.set_option("display.width", 200)
    for name, history in (("reference 2013–2025", None), ("CBS 83102 + reference", long)):
        if name.startswith("CBS") and history is None:
            print(f"{path} not found: long history skipped")
            continue
        for law in INFLOW_LAWS:
            start = time.perf_counter()
            s = horizon_scores(inflow_backtest(history, law, draws=draws))
            wall = time.perf_counter() - start
            s["cov80"], s["cov95"] = _ci(s, "80"), _ci(s, "95")
            print(f"\n{name}, law {law} ({draws} draws per origin, {wall:.1f} s)")
            print(s[list(COLUMNS)].rename(columns=COLUMNS).round(2).to_string(index=False))
    for rule in ("before", "same"):
        print(
            f"\nMPP like for like, origin rule {rule!r}:",
            mpp_hit_rates(mpp_like_for_like(long, origin_rule=rule, draws=draws)),
        )
    c = chain_backtest(draws=draws)
    c["cov80"] = _ci(c, "80")
    print("\nChain hooks (naive stand-in):")
    print(
        c[
            [
                "series",
                "horizon_years",
                "forecasts",
                "effective_forecasts",
                "cov80",
                "skill_persistence_share",
            ]
        ]
        .round(2)
        .to_string(index=False)
    )


if __name__ == "__main__":
    main()
