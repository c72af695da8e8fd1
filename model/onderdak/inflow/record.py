"""The published national record up to a peildatum: monthly flows, stocks and the half-year taakstelling.

The simulation takes these values as they are for every month they cover and models only what comes
after (DESIGN.md, "The record before the model"). Flows (first applications, nareizigers, repeat
applications) come from the yearly and quarterly series in data/reference, split into months with the
seasonal pattern where only a quarter or a year is published; stocks (COA occupancy, status holders in
COA, Ukrainians in GOO) are observations at a reference date, placed at the start of the nearest month;
the national taakstelling is the published number per half-year. Nothing observed after the peildatum is
used, so a backtest at an earlier peildatum sees only what was known then.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from onderdak.io import reference

SEASON_PEAK_MONTHS = (8, 9, 10, 11)  # "most applications fall in Aug–Nov" (Volkskrant 2023-07, M)
SEASON_AMPLITUDE_SHARE = 0.12  # ASSUMPTION: ±12 % seasonal swing

FLOWS = {
    # series name: (yearly column, quarterly column or None)
    "first_applications_persons": ("first_applications_persons", "first_applications_persons"),
    "nareizigers_persons": ("nareizigers_persons", "nareizigers_persons"),
    "repeat_applications_persons": ("repeat_applications_persons", None),
}


def seasonality(periods: pd.PeriodIndex) -> np.ndarray:
    """Monthly factors with mean 1, higher in August–November.

    >>> float(seasonality(pd.period_range("2026-01", periods=12, freq="M")).mean())
    1.0
    """
    peak = np.isin(periods.month.to_numpy(), SEASON_PEAK_MONTHS)
    # four peak months at 1 + 2a and eight others at 1 − a average exactly 1 over a calendar year
    return np.where(peak, 1.0 + SEASON_AMPLITUDE_SHARE * 2, 1.0 - SEASON_AMPLITUDE_SHARE)


@dataclass(frozen=True)
class NationalRecord:
    """What was published up to ``peildatum`` (a month): monthly series with only published months.

    ``flows`` and ``stocks`` map a series name to a ``pandas.Series`` indexed by monthly period
    (persons per month for flows, persons at the start of the month for stocks); ``taakstelling`` maps
    a half-year label ('2025-II') to the national number (persons); ``goo_occupancy_share`` is the
    latest published share of GOO places occupied (to read a count of places as persons).
    """

    peildatum: pd.Period
    flows: dict[str, pd.Series]
    stocks: dict[str, pd.Series]
    taakstelling: pd.Series
    goo_occupancy_share: float

    def last_published(self, name: str) -> pd.Period | None:
        """The last month of ``name`` in the record (a flow, a stock or 'taakstelling_persons')."""
        if name == "taakstelling_persons":
            if self.taakstelling.empty:
                return None
            year, half = self.taakstelling.index[-1].split("-")
            return pd.Period(f"{year}-{12 if half == 'II' else 6:02d}", freq="M")
        series = self.flows.get(name, self.stocks.get(name))
        if series is None or series.empty:
            return None
        return series.index[-1]


def national_record(peildatum: pd.Period | str) -> NationalRecord:
    """The national record as known at ``peildatum`` (cached per month)."""
    return _record(pd.Period(peildatum, freq="M"))


@lru_cache(maxsize=32)
def _record(peildatum: pd.Period) -> NationalRecord:
    flows = {name: _monthly_flow(y, q, peildatum) for name, (y, q) in FLOWS.items()}
    stocks, occupancy = _stocks(peildatum)
    return NationalRecord(
        peildatum=peildatum,
        flows=flows,
        stocks=stocks,
        taakstelling=_taakstelling(peildatum),
        goo_occupancy_share=occupancy,
    )


def _monthly_flow(yearly_col: str, quarterly_col: str | None, peildatum: pd.Period) -> pd.Series:
    """Months of a flow known at ``peildatum``: published quarters, else the year less its known quarters.

    A quarter (or a year) counts as published once it has ended before the peildatum's month. Missing
    quarters of a published year share the rest of the year by the seasonal pattern; quarters are split
    into months the same way. Months of a year with neither a yearly nor a quarterly value are absent.
    """
    yearly = reference.table("asylum_inflow_yearly").set_index("year")[yearly_col].dropna()
    quarters: dict[pd.Period, float] = {}
    if quarterly_col is not None:
        q = reference.table("asylum_inflow_quarterly")
        for label, value in zip(q["quarter"], q[quarterly_col], strict=True):
            if pd.notna(value):
                quarters[pd.Period(label, freq="Q")] = float(value)
    months: dict[pd.Period, float] = {}
    years = sorted(set(int(y) for y in yearly.index) | {p.year for p in quarters})
    for year in years:
        qs = pd.period_range(f"{year}Q1", f"{year}Q4", freq="Q")
        known = {p: quarters[p] for p in qs if p in quarters}
        if year in yearly.index:
            missing = [p for p in qs if p not in known]
            rest = max(float(yearly[year]) - sum(known.values()), 0.0)
            weights = np.array([_season_weight(p) for p in missing])
            for p, w in zip(missing, weights, strict=True):
                known[p] = rest * w / weights.sum()
        for p, value in known.items():
            if p.end_time.to_period("M") >= peildatum:
                continue  # not over yet at the peildatum
            ms = pd.period_range(p.start_time, p.end_time, freq="M")
            w = seasonality(ms)
            for m, share in zip(ms, w / w.sum(), strict=True):
                months[m] = value * share
    series = pd.Series(months, dtype=float).sort_index()
    if series.empty:
        return series
    # only an unbroken run up to the last published month counts as the record
    full = pd.period_range(series.index[0], series.index[-1], freq="M")
    gaps = full.difference(series.index)
    if len(gaps):
        series = series[series.index > gaps[-1]]
    return series


def _season_weight(quarter: pd.Period) -> float:
    return float(seasonality(pd.period_range(quarter.start_time, quarter.end_time, freq="M")).sum())


def _month_of(date: str) -> pd.Period:
    """The month whose start is nearest a reference date (a stock at the 15th belongs to that month)."""
    day = pd.Timestamp(date)
    month = day.to_period("M")
    return month + 1 if day.day > 15 else month


def _stocks(peildatum: pd.Period) -> tuple[dict[str, pd.Series], float]:
    coa = reference.table("coa_occupancy")
    coa["month"] = [_month_of(d) for d in coa["reference_date"]]
    coa = coa[coa["month"] <= peildatum]
    stocks = {
        "coa_occupancy_persons": _last_per_month(coa, "persons"),
        "status_holders_in_coa_persons": _last_per_month(coa, "status_holders_persons"),
    }
    goo = reference.table("ukraine_goo")
    goo["month"] = [_month_of(d) for d in goo["reference_date"]]
    goo = goo[goo["month"] <= peildatum]
    occupied = goo.dropna(subset=["goo_persons", "goo_places"])
    occupancy = (
        float(occupied["goo_persons"].iloc[-1] / occupied["goo_places"].iloc[-1])
        if len(occupied)
        else 1.0
    )
    # a count of places without persons is read as persons at the latest published occupancy
    persons = goo["goo_persons"].fillna(goo["goo_places"] * occupancy)
    stocks["ukraine_goo_persons"] = _last_per_month(goo.assign(persons=persons), "persons")
    return stocks, occupancy


def _last_per_month(frame: pd.DataFrame, column: str) -> pd.Series:
    rows = frame.dropna(subset=[column])
    return rows.groupby("month")[column].last().astype(float).sort_index()


def _taakstelling(peildatum: pd.Period) -> pd.Series:
    """Published national half-year numbers whose half-year has begun by the peildatum."""
    t = reference.table("taakstelling").dropna(subset=["taakstelling_persons"])
    starts = [
        pd.Period(f"{h[:4]}-{'07' if h.endswith('II') else '01'}", freq="M") for h in t["half_year"]
    ]
    keep = [s <= peildatum for s in starts]
    out = t[keep].set_index("half_year")["taakstelling_persons"].astype(float)
    return out
