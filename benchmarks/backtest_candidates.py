"""Candidate recalibrations of the inflow noise and surges, backtested on the long history.

Evidence for the calibration's owner: each candidate changes the calibration at every origin through
``inflow_backtest(adjust=...)`` (model/onderdak/inflow/calibration.py itself is untouched) and is scored at 1, 2 and
5 years and on the 5-year mean, on CBS 83102NED 1975–2018 spliced with data/reference.
Run: ``.venv/bin/python benchmarks/backtest_candidates.py [path/to/cbs_83102ned.csv] [draws]``.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from onderdak.backtest.horizons import horizon_scores, inflow_backtest
from onderdak.io.opendata import read_cbs_asylum_history_csv

HISTORY = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "cbs_83102ned_asielverzoeken_nationaliteit_1975_2018.csv"
)
CANDIDATES = {  # name: (calm-noise law, change to the calibration, surges normalised to mean 1)
    "simulator, surges normalised (main)": ("simulator", None, True),
    "simulator, surges add": ("simulator", None, False),
    "random walk, surges normalised": ("random_walk", None, True),
    "random walk, surges add": ("random_walk", None, False),
    "random walk, surges add, rate / 2": (
        "random_walk",
        lambda c: replace(c, surge_onsets=c.surge_onsets // 2),
        False,
    ),
    "random walk, surges normalised, median 1.6×": (
        "random_walk",
        lambda c: replace(c, surge_log_size_mean=float(np.log(1.6))),
        True,
    ),
    "random walk, 0 surge onsets (rate ≈ 1%/yr)": (
        "random_walk",
        lambda c: replace(c, surge_onsets=0),
        True,
    ),
    "simulator, calm sd × 1.6, 0 surge onsets": (
        "simulator",
        lambda c: replace(c, surge_onsets=0, total_log_change_sd=c.total_log_change_sd * 1.6),
        True,
    ),
}


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HISTORY
    draws = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    history = read_cbs_asylum_history_csv(path)
    rows = []
    for name, (law, adjust, normalise) in CANDIDATES.items():
        table = inflow_backtest(
            history, law, draws=draws, adjust=adjust, normalise_surges=normalise
        )
        s = horizon_scores(table)
        for _, r in s.iterrows():
            rows.append(
                {
                    "candidate": name,
                    "target": r["target"],
                    "n (eff)": f"{r['forecasts']} ({r['effective_forecasts']})",
                    "cov80": f"{r['coverage_80_share']:.2f} ({r['coverage_80_ci_low_share']:.2f}–"
                    f"{r['coverage_80_ci_high_share']:.2f})",
                    "cov95": round(r["coverage_95_share"], 2),
                    "<p10": round(r["below_p10_share"], 2),
                    ">p90": round(r["above_p90_share"], 2),
                    "IS80": round(r["interval_score_80_persons"]),
                    "CRPS": round(r["crps_mean_persons"]),
                    "skill_persist": round(r["skill_persistence_share"], 2),
                    "skill_clim": round(r["skill_climatology_share"], 2),
                    "PIT mean": round(r["pit_mean_share"], 2),
                }
            )
    pd.set_option("display.width", 220)
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
