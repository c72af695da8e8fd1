"""Backtest: rolling-origin one-year-ahead forecasts of national asylum inflow against what happened.

For every origin year the uncertainty model of :mod:`onderdak.inflow.drivers` is recalibrated on the data up
to that year only (no look-ahead) and used to forecast the next year's total inflow: the level
persists from the last observed year (the scenario-free 'what we knew' forecast); the spread is the
calibrated calm volatility of total inflow plus the calibrated surges, both with their estimation
uncertainty, and a surge adds in its first year what the simulation's surge profile adds (onset in a
random month, ramp, decay). The forecasts are scored by the coverage of their 80% and 95% intervals
(with the binomial uncertainty of a coverage measured on a few years), the interval score, the PIT
and a CRPS skill score against the naive forecast (next year = this year), and set beside the
government's published MPP ranges. Horizons of 2 and 5 years and the 5-year mean are in
:mod:`onderdak.backtest.horizons` (with :mod:`onderdak.backtest.chain` for COA occupancy and the
taakstelling), the MPP at the same origin and horizon in :mod:`onderdak.backtest.mpp`, and the
ensemble's tail against history in :mod:`onderdak.backtest.tail`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from onderdak.inflow.drivers import EXOGENOUS_SHOCK_YEARS, calibrate, yearly_total_inflow
from onderdak.inflow.noise import surge_profile
from onderdak.io import reference

DRAWS = 20_000
FIRST_ORIGIN = 2016  # calibration needs a few years of history
LEVELS = {"80": 0.80, "95": 0.95}


def total_inflow(history: pd.Series | None = None) -> pd.Series:
    """Yearly total asylum inflow (persons) by year; with ``history`` the longer spliced series."""
    return yearly_total_inflow(history)


def crps_ensemble(draws: np.ndarray, observed: float) -> float:
    """Continuous ranked probability score of an ensemble: E|X − y| − ½ E|X − X'| (persons)."""
    x = np.sort(draws)
    n = len(x)
    # E|X − X'| from the sorted sample in O(n): 2/n² Σ (2i − n − 1) x_i
    spread = 2.0 / n**2 * np.sum((2 * np.arange(1, n + 1) - n - 1) * x)
    return float(np.mean(np.abs(x - observed)) - 0.5 * spread)


def interval_score(low: float, high: float, observed: float, level: float) -> float:
    """Interval score of a central interval (Gneiting & Raftery 2007): width plus 2/α × the miss.

    Lower is better; in persons. ``level`` is the nominal coverage (0.8 for an 80% interval).
    """
    alpha = 1.0 - level
    miss = max(low - observed, 0.0) + max(observed - high, 0.0)
    return float(high - low + 2.0 / alpha * miss)


def surge_first_year_share(ramp: int = 6, half_life: float = 12.0) -> np.ndarray:
    """The share of a surge's size that its onset year adds to the yearly total, per onset month.

    Entry m (0 = January) is the mean over the twelve months of the year of the simulation's surge
    profile started in month m; a surge of multiplier S raises that year's total by (S − 1) × share.
    """
    impulse = np.eye(12)  # one onset per row, in month m
    return surge_profile(impulse, ramp, half_life).mean(axis=1)


def forecast_draws(
    last: float,
    origin: int,
    rng: np.random.Generator,
    draws: int = DRAWS,
    history: pd.Series | None = None,
) -> np.ndarray:
    """Draws of next year's total inflow given this year's, with the calibration up to ``origin``."""
    cal = calibrate(origin, history)
    sd = cal.draw_sd(rng, draws, total=True)
    change = rng.normal(-0.5 * sd**2, sd)
    surge = rng.random(draws) < cal.draw_surge_rate(rng, draws)
    size = np.exp(rng.normal(cal.surge_log_size_mean, cal.surge_log_size_sd, draws)) - 1.0
    share = surge_first_year_share()[rng.integers(0, 12, draws)]
    return last * np.exp(change) * (1.0 + surge * size * share)


def rolling_origin(
    seed: int = 20261123,
    history: pd.Series | None = None,
    first_origin: int = FIRST_ORIGIN,
) -> pd.DataFrame:
    """One row per origin: forecast quantiles for the next year, the outcome and the scores.

    Parameters
    ----------
    seed : int
        Seed of the forecast draws.
    history : pandas.Series, optional
        A longer yearly total-inflow series (CBS 83102NED, see :func:`onderdak.inflow.drivers.calibrate`): used
        for the calibration and, for origins before the reference series starts, for the outcomes.
    first_origin : int
        First origin year; the last is the year before the last outcome.
    """
    series = total_inflow(history)
    rng = np.random.default_rng(seed)
    rows = []
    for origin in range(first_origin, int(series.index.max())):
        if origin not in series.index or origin + 1 not in series.index:
            continue
        last, observed = float(series[origin]), float(series[origin + 1])
        x = forecast_draws(last, origin, rng, history=history)
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
                "pit_share": float(np.mean(x <= observed)),
                "interval_score_80_persons": interval_score(q[1], q[3], observed, 0.80),
                "interval_score_95_persons": interval_score(q[0], q[4], observed, 0.95),
                "crps_persons": crps_ensemble(x, observed),
                "naive_abs_error_persons": abs(observed - last),
                "exogenous_shock": origin + 1 in EXOGENOUS_SHOCK_YEARS,
            }
        )
    return pd.DataFrame(rows)


def coverage_interval(hits: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Clopper–Pearson interval of a coverage share measured as ``hits`` out of ``n``."""
    if n == 0:
        return float("nan"), float("nan")
    ci = stats.binomtest(hits, n).proportion_ci(confidence, method="exact")
    return float(ci.low), float(ci.high)


def scores(table: pd.DataFrame) -> dict[str, float]:
    """Coverage (with its binomial uncertainty), interval scores and the CRPS skill score.

    ``coverage_80_share`` is the share of outcomes inside the 80% interval; ``coverage_80_ci_*`` its
    95% Clopper–Pearson interval and ``coverage_80_p_value`` the two-sided binomial test of the nominal
    80% (small: the intervals are miscalibrated; large: the years cannot tell). Likewise for 95%.
    """
    n = int(len(table))
    out: dict[str, float] = {"forecasts": n}
    for name, level in LEVELS.items():
        hits = int(table[f"in_{name}"].sum())
        low, high = coverage_interval(hits, n)
        out[f"coverage_{name}_share"] = hits / n if n else float("nan")
        out[f"coverage_{name}_ci_low_share"] = low
        out[f"coverage_{name}_ci_high_share"] = high
        out[f"coverage_{name}_p_value"] = (
            float(stats.binomtest(hits, n, level).pvalue) if n else 1.0
        )
        out[f"interval_score_{name}_persons"] = float(
            table[f"interval_score_{name}_persons"].mean()
        )
    crps = table["crps_persons"].mean()
    naive = table["naive_abs_error_persons"].mean()
    out["crps_mean_persons"] = float(crps)
    out["naive_mae_persons"] = float(naive)
    out["skill_share"] = float(1.0 - crps / naive) if naive > 0 else float("nan")
    return out


def pit_histogram(table: pd.DataFrame, bins: int = 5) -> pd.Series:
    """Counts of the outcomes' PIT values in equal bins: flat if calibrated, ∩ too wide, ∪ too narrow."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts, _ = np.histogram(table["pit_share"], bins=edges)
    labels = [f"{a:.1f}–{b:.1f}" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    return pd.Series(counts, index=pd.Index(labels, name="pit"), name="forecasts")


def mpp_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """Published MPP ranges beside our one-year-ahead interval for the same target year.

    Not like for like when the MPP was published more than a year ahead; see
    :func:`onderdak.backtest.mpp.mpp_like_for_like` for the comparison at the same origin and horizon.
    """
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
    out["mpp_hit"] = [  # a point without a range (IND spring 2018) is neither hit nor miss
        (
            np.nan
            if pd.isna(o) or (pd.isna(lo) and pd.isna(hi))
            else bool((pd.isna(lo) or o >= lo) and (pd.isna(hi) or o <= hi))
        )
        for lo, hi, o in zip(
            out["low_persons"], out["high_persons"], out["outcome_persons"], strict=True
        )
    ]
    out["onderdak_p10"] = [ours["p10"].get(y, np.nan) for y in out["for_year"]]
    out["onderdak_p90"] = [ours["p90"].get(y, np.nan) for y in out["for_year"]]
    out["onderdak_hit_80"] = [ours["in_80"].get(y, np.nan) for y in out["for_year"]]
    return out
