"""Backtest: rolling-origin one-year-ahead forecasts of national asylum inflow against what happened.

For every origin year the uncertainty model of :mod:`model.inflow` is recalibrated on the data up
to that year only (no look-ahead) and used to forecast the next year's total inflow: the level
persists from the last observed year (the scenario-free 'what we knew' forecast), the spread comes
from the calibrated annual volatility plus the calibrated surges. The forecasts are scored by the
coverage of their 80% and 95% intervals and by a CRPS skill score against the naive forecast
(next year = this year), and set beside the government's published MPP ranges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import reference
from model.inflow import calibrate

DRAWS = 20_000
FIRST_ORIGIN = 2016  # calibration needs a few years of history


def total_inflow() -> pd.Series:
    """Yearly total asylum inflow (persons) by year; first + nareizigers where the total is unknown."""
    y = reference.table("asylum_inflow_yearly").set_index("year")
    total = y["total_inflow_persons"].astype(float)
    fallback = y["first_applications_persons"].astype(float) + y["nareizigers_persons"].astype(
        float
    )
    return total.fillna(fallback).dropna()


def crps_ensemble(draws: np.ndarray, observed: float) -> float:
    """Continuous ranked probability score of an ensemble: E|X − y| − ½ E|X − X'| (persons)."""
    x = np.sort(draws)
    n = len(x)
    # E|X − X'| from the sorted sample in O(n): 2/n² Σ (2i − n − 1) x_i
    spread = 2.0 / n**2 * np.sum((2 * np.arange(1, n + 1) - n - 1) * x)
    return float(np.mean(np.abs(x - observed)) - 0.5 * spread)


def forecast_draws(
    last: float, origin: int, rng: np.random.Generator, draws: int = DRAWS
) -> np.ndarray:
    """Draws of next year's total inflow given this year's, with the calibration up to ``origin``."""
    cal = calibrate(origin)
    change = rng.normal(-0.5 * cal.annual_log_change_sd**2, cal.annual_log_change_sd, draws)
    surge = rng.random(draws) < cal.surge_rate_per_year
    change += surge * rng.normal(cal.surge_log_size_mean, cal.surge_log_size_sd, draws)
    return last * np.exp(change)


def rolling_origin(seed: int = 20261123) -> pd.DataFrame:
    """One row per origin: forecast quantiles for the next year, the outcome and the scores."""
    series = total_inflow()
    rng = np.random.default_rng(seed)
    rows = []
    for origin in range(FIRST_ORIGIN, int(series.index.max())):
        if origin not in series.index or origin + 1 not in series.index:
            continue
        last, observed = float(series[origin]), float(series[origin + 1])
        x = forecast_draws(last, origin, rng)
        q = np.quantile(x, [0.025, 0.10, 0.50, 0.90, 0.975])
        rows.append(
            {
                "origin_year": origin,
                "target_year": origin + 1,
                "observed_persons": observed,
                "naive_persons": last,
                "p025": q[0],
                "p10": q[1],
                "p50": q[2],
                "p90": q[3],
                "p975": q[4],
                "in_80": bool(q[1] <= observed <= q[3]),
                "in_95": bool(q[0] <= observed <= q[4]),
                "crps_persons": crps_ensemble(x, observed),
                "naive_abs_error_persons": abs(observed - last),
            }
        )
    return pd.DataFrame(rows)


def scores(table: pd.DataFrame) -> dict[str, float]:
    """Coverage of the 80% and 95% intervals and the CRPS skill score against the naive forecast."""
    crps = table["crps_persons"].mean()
    naive = table["naive_abs_error_persons"].mean()
    return {
        "forecasts": int(len(table)),
        "coverage_80_share": float(table["in_80"].mean()),
        "coverage_95_share": float(table["in_95"].mean()),
        "crps_mean_persons": float(crps),
        "naive_mae_persons": float(naive),
        "skill_share": float(1.0 - crps / naive) if naive > 0 else float("nan"),
    }


def mpp_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """Published MPP ranges beside our interval for the same year and the outcome."""
    mpp = reference.table("mpp_ranges")
    ours = table.set_index("target_year")
    out = mpp[
        [
            "forecast",
            "published",
            "for_year",
            "low_persons",
            "point_persons",
            "high_persons",
            "outcome_persons",
        ]
    ].copy()
    out["mpp_hit"] = [
        (np.nan if pd.isna(o) else bool((pd.isna(lo) or o >= lo) and (pd.isna(hi) or o <= hi)))
        for lo, hi, o in zip(
            out["low_persons"], out["high_persons"], out["outcome_persons"], strict=True
        )
    ]
    out["onderdak_p10"] = [ours["p10"].get(y, np.nan) for y in out["for_year"]]
    out["onderdak_p90"] = [ours["p90"].get(y, np.nan) for y in out["for_year"]]
    out["onderdak_hit_80"] = [ours["in_80"].get(y, np.nan) for y in out["for_year"]]
    return out
