"""The ensemble's tail against history: how often past yearly inflow sat above each percentile.

For a calibrated tail, history (CBS 83102NED 1975–2018 spliced with data/reference) should lie above
the ensemble's p90 of a year's total inflow in about 10% of its years, and above the p90 of the
10-year mean in about 10% of its rolling 10-year windows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from onderdak.backtest.horizons import effective_coverage_interval
from onderdak.core.ensemble import Ensemble
from onderdak.core.errors import InputError
from onderdak.io import reference
from onderdak.io.opendata import fetch_cbs_asylum_history, read_cbs_asylum_history_csv

PERCENTILES = (50, 80, 90, 95, 99)
WINDOW_YEARS = 10
TOTAL_PARTS = ("first_applications_persons", "nareizigers_persons", "repeat_applications_persons")


def ensemble_yearly_total(ensemble: Ensemble) -> tuple[pd.PeriodIndex, np.ndarray, tuple[str, ...]]:
    """Total inflow (persons) per path in each run of 12 months from the start of the horizon.

    The total is first applications + nareizigers, plus repeat applications when the ensemble has
    them (the third element names the series summed). Twelve-month blocks rather than calendar
    years, so that a 120-month horizon starting at any peildatum gives ten years; a year's total
    does not depend on where the year starts (the seasonal factors sum to 12 over any 12 months).
    Returns the first month of each block, an array of shape (paths, blocks) and the parts.
    """
    parts = tuple(p for p in TOTAL_PARTS if p in ensemble.series)
    monthly = sum(ensemble[p] for p in parts)
    blocks = monthly.shape[1] // 12
    yearly = monthly[:, : blocks * 12].reshape(monthly.shape[0], blocks, 12).sum(axis=2)
    return ensemble.periods[: blocks * 12 : 12], yearly, parts


def rolling_means(series: pd.Series, window: int = WINDOW_YEARS) -> pd.Series:
    """Means over every run of ``window`` consecutive years, indexed by the window's last year.

    >>> rolling_means(pd.Series([1.0, 2.0, 3.0, 4.0], index=[2000, 2001, 2002, 2003]), 2).tolist()
    [1.5, 2.5, 3.5]
    """
    s = series.dropna().sort_index()
    full = s.reindex(range(int(s.index.min()), int(s.index.max()) + 1))
    return full.rolling(window, min_periods=window).mean().dropna()


def tail_against_history(
    yearly: np.ndarray,
    history: pd.Series,
    percentiles: Sequence[float] = PERCENTILES,
    window: int = WINDOW_YEARS,
) -> pd.DataFrame:
    """For each percentile of a year's total and of the ``window``-year mean: history above it.

    Parameters
    ----------
    yearly : numpy.ndarray
        Ensemble yearly totals (persons), shape (paths, years). A year's total is pooled over all
        paths and years; the multi-year mean is the mean of each path's first ``window`` years (all
        its years when it has fewer; ``window_years`` says how many).
    history : pandas.Series
        Observed yearly totals (persons) indexed by year.
    percentiles : sequence of float
        Percentiles (0–100) of the ensemble.
    window : int
        Length of the multi-year mean, years.

    Returns
    -------
    pandas.DataFrame
        One row per quantity (``year`` or ``mean``) and percentile: ``ensemble_persons``,
        ``history_above`` (count), ``history_count``, ``history_above_share``, ``expected_share``
        (1 − percentile/100, the share a calibrated tail would give), ``effective_count`` (for the
        overlapping rolling windows: non-overlapping windows, ⌈count / window⌉), the 95%
        Clopper–Pearson interval of the share on that count (``history_above_ci_low_share``,
        ``history_above_ci_high_share``), ``verdict`` (``heavier``: history sat above the percentile
        significantly less often than a calibrated tail would, i.e. the ensemble's tail is heavier
        than history; ``lighter``: more often; else ``consistent``), ``window_years``,
        ``history_first_year``, ``history_last_year``, ``history_max_persons`` (the highest year or
        window in history) and ``ensemble_above_history_max_share`` (the ensemble's share above it).
    """
    yearly = np.asarray(yearly, dtype=float)
    n_years = min(window, yearly.shape[1])
    samples = {"year": yearly.ravel(), "mean": yearly[:, :n_years].mean(axis=1)}
    observed = {"year": history.dropna().sort_index(), "mean": rolling_means(history, n_years)}
    rows = []
    for quantity, sample in samples.items():
        past = observed[quantity].to_numpy(dtype=float)
        span = 1 if quantity == "year" else n_years
        for p in percentiles:
            value = float(np.percentile(sample, p))
            above = int(np.sum(past > value))
            share = above / len(past) if len(past) else float("nan")
            n_eff = int(np.ceil(len(past) / span))
            low, high = effective_coverage_interval(share, n_eff)
            expected = 1.0 - p / 100.0
            rows.append(
                {
                    "quantity": quantity,
                    "percentile": p,
                    "ensemble_persons": value,
                    "history_above": above,
                    "history_count": len(past),
                    "history_above_share": share,
                    "expected_share": expected,
                    "effective_count": n_eff,
                    "history_above_ci_low_share": low,
                    "history_above_ci_high_share": high,
                    "verdict": "heavier"
                    if high < expected
                    else "lighter"
                    if low > expected
                    else "consistent",
                    "window_years": span,
                    "history_first_year": int(history.dropna().index.min()),
                    "history_last_year": int(history.dropna().index.max()),
                    "history_max_persons": float(past.max()) if len(past) else float("nan"),
                    "ensemble_above_history_max_share": float(np.mean(sample > past.max()))
                    if len(past)
                    else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def load_long_history(csv_path: str | Path | None = None) -> pd.Series | None:
    """CBS 83102NED yearly totals for the longest history, or None when none can be had offline.

    In order: a StatLine CSV export at ``csv_path``; the copy stored in data/reference
    (``asylum_inflow_yearly_cbs83102.csv``, when present); the download cache, fetching when
    online (:func:`onderdak.io.opendata.fetch_cbs_asylum_history`). None when all fail, so that a report
    falls back to data/reference alone (and says so through the years it shows).
    """
    if csv_path:
        return read_cbs_asylum_history_csv(csv_path)
    try:
        stored = reference.table("asylum_inflow_yearly_cbs83102")
        return stored.set_index("year")["total_inflow_persons"].astype(float)
    except InputError:
        pass
    try:
        return fetch_cbs_asylum_history()
    except InputError:
        return None
