"""National drivers per scenario: named monthly trajectories and a seeded Monte-Carlo ensemble around them.

The asylum chain is a monthly stock-flow (pending → decisions → permits or rejections → status holders
→ housed) whose occupancy at the COA norm gives the national required capacity; Ukrainians in municipal
reception (GOO) are a stock with arrivals, exits and the end of temporary protection; the national
half-year taakstelling follows from permits plus nareizigers in a window starting a quarter earlier.
Noise and surges are calibrated on the historical series in :mod:`model.calibration`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy.signal import fftconvolve, lfilter

from model import reference
from model.calibration import (  # re-exported: `from model.inflow import calibrate` keeps working
    EXOGENOUS_SHOCK_YEARS as EXOGENOUS_SHOCK_YEARS,
)
from model.calibration import Calibration as Calibration
from model.calibration import calibrate as calibrate
from model.calibration import calibration_for as calibration_for
from model.calibration import surge_episodes as surge_episodes
from model.calibration import yearly_total_inflow as yearly_total_inflow
from model.case import Case
from model.ensemble import Ensemble

SCENARIO_FILE = "national_scenarios.yaml"
BURN_IN_MONTHS = 6
SEASON_PEAK_MONTHS = (8, 9, 10, 11)  # "most applications fall in Aug–Nov" (Volkskrant 2023-07, M)
SEASON_AMPLITUDE_SHARE = 0.12  # ASSUMPTION: ±12 % seasonal swing


@lru_cache(maxsize=1)
def scenario_book() -> dict[str, Any]:
    """The national scenario definitions from data/reference/national_scenarios.yaml."""
    path = Path(reference.REFERENCE_DIR) / SCENARIO_FILE
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def scenario_definition(name: str) -> dict[str, Any]:
    """A scenario's definition with its ``base`` scenario filled in."""
    book = scenario_book()["scenarios"]
    spec = dict(book[name])
    if "base" in spec:
        merged = dict(book[spec["base"]])
        merged.update({k: v for k, v in spec.items() if k != "base"})
        spec = merged
    return spec


def _anchored(anchors: dict[int, float], periods: pd.PeriodIndex) -> np.ndarray:
    """Values at anchor years (taken as mid-year) interpolated linearly to months, flat outside."""
    years = np.array(sorted(anchors), dtype=float)
    values = np.array([anchors[int(y)] for y in years], dtype=float)
    t = periods.year.to_numpy() + (periods.month.to_numpy() - 0.5) / 12.0
    return np.interp(t, years + 0.5, values)


def seasonality(periods: pd.PeriodIndex) -> np.ndarray:
    """Monthly factors with mean 1, higher in August–November."""
    peak = np.isin(periods.month.to_numpy(), SEASON_PEAK_MONTHS)
    # four peak months at 1 + 2a and eight others at 1 − a average exactly 1 over a calendar year
    return np.where(peak, 1.0 + SEASON_AMPLITUDE_SHARE * 2, 1.0 - SEASON_AMPLITUDE_SHARE)


def _ar1_lognormal(
    rng: np.random.Generator, shape: tuple[int, int], phi: float, sigma: float | np.ndarray
) -> np.ndarray:
    """Multiplicative noise exp(x) with x an AR(1) started in its stationary law, mean-corrected to 1.

    ``sigma`` is the innovation sd, a number or one per path (shape (paths, 1)).
    """
    eps = rng.standard_normal(shape) * sigma
    sd_stat = sigma / np.sqrt(1.0 - phi**2)
    eps[:, 0] *= 1.0 / np.sqrt(1.0 - phi**2)  # x[0] ~ N(0, sd_stat²)
    x = lfilter([1.0], [1.0, -phi], eps, axis=1)  # x[t] = phi x[t-1] + eps[t]
    return np.exp(x - 0.5 * sd_stat**2)


def _surge_multiplier(
    rng: np.random.Generator,
    shape: tuple[int, int],
    cal: Calibration,
    ramp: int = 6,
    half_life: float = 12.0,
) -> np.ndarray:
    """Random surges: onsets at a yearly rate drawn per path, log size ~ N(mean, sd), ramp then decay."""
    paths, months = shape
    rate = cal.draw_surge_rate(rng, paths)[:, None]  # estimation uncertainty: one rate per path
    onset = rng.random(shape) < rate / 12.0
    size = np.exp(rng.normal(cal.surge_log_size_mean, cal.surge_log_size_sd, shape)) - 1.0
    return 1.0 + _surge_profile(onset * size, ramp, half_life)


def _surge_profile(impulse: np.ndarray, ramp: int, half_life: float) -> np.ndarray:
    """Convolve onset impulses (paths, months) with a linear ramp followed by exponential decay."""
    months = impulse.shape[1]
    lag = np.arange(months)
    kernel = np.where(lag < ramp, (lag + 1) / ramp, 0.5 ** ((lag - ramp + 1) / half_life))
    return fftconvolve(impulse, kernel[None, :], axes=1)[:, :months]


def simulate_inflow(case: Case, paths: int | None = None, seed: int | None = None) -> Ensemble:
    """The seeded national ensemble of ``case.inflow.national_scenario`` over the case horizon.

    Parameters
    ----------
    case : Case
        The resolved case (one scenario).
    paths : int, optional
        Monte-Carlo paths; default ``case.paths``.
    seed : int, optional
        Seed; default ``case.seed``. The same case and seed give identical arrays.

    Returns
    -------
    Ensemble
        Series of shape (paths, months), persons per month for flows, persons for stocks.
    """
    paths = int(paths or case.paths)
    seed = int(case.seed if seed is None else seed)
    name = case.inflow.national_scenario
    spec = scenario_definition(name)
    meta = scenario_book()["meta"]
    unc = {k: v["value"] for k, v in scenario_book()["uncertainty"].items()}
    cal = calibration_for(case)
    # one stream of random numbers per scenario name, so adding scenarios does not shift others
    rng = np.random.default_rng([seed, sum(name.encode())])
    # the calm volatility is estimated from a handful of years: one draw of it per path
    sigma = cal.sigma_monthly * (cal.draw_sd(rng, paths) / cal.annual_log_change_sd)[:, None]

    periods = case.periods
    sim = pd.period_range(periods[0] - BURN_IN_MONTHS, periods[-1], freq="M", name="period")
    months = len(sim)
    shape = (paths, months)
    season = seasonality(sim)

    def path_factor(sd_log: float) -> np.ndarray:
        return np.exp(rng.normal(-0.5 * sd_log**2, sd_log, (paths, 1)))

    first = (
        _anchored(spec["first_applications_persons_per_year"], sim)
        / 12.0
        * season
        * case.inflow.level_factor
    ) * _ar1_lognormal(rng, shape, cal.phi_monthly, sigma)
    if case.inflow.surges:
        first = first * _surge_multiplier(rng, shape, cal)
    if "surge" in spec:
        s = spec["surge"]
        impulse = np.zeros(shape)
        impulse[:, sim.get_loc(pd.Period(s["start"], freq="M"))] = s["multiplier"] - 1.0
        first = first * (1.0 + _surge_profile(impulse, s["ramp_months"], s["half_life_months"]))
    nareis = (
        _anchored(spec["nareizigers_persons_per_year"], sim)
        / 12.0
        * path_factor(unc["nareizigers_sd_log"])
        * _ar1_lognormal(rng, shape, cal.phi_monthly, sigma * 0.5)
    )
    decision_time = _anchored(spec["decision_time_months"], sim)[None, :] * path_factor(
        unc["decision_time_sd_log"]
    )
    grant = np.clip(
        _anchored(spec["grant_rate_share"], sim)[None, :]
        + rng.normal(0, unc["grant_rate_sd"], (paths, 1)),
        0.2,
        0.95,
    )
    supply = _anchored(spec["housing_supply_persons_per_month"], sim)[None, :] * path_factor(
        unc["housing_supply_sd_log"]
    )
    ua_arrivals = (
        _anchored(spec["ukraine_arrivals_persons_per_month"], sim)[None, :]
        * path_factor(unc["ukraine_arrivals_sd_log"])
        * _ar1_lognormal(rng, shape, cal.phi_monthly, sigma)
    )
    ua_exit = np.clip(
        _anchored(spec["ukraine_exit_rate_share_per_month"], sim)[None, :]
        * path_factor(unc["ukraine_exit_rate_sd_log"]),
        0.0,
        0.2,
    )
    ua_exit = np.broadcast_to(ua_exit, shape)
    ret_mean = case.inflow.ukraine_return_share
    if ret_mean is None:
        ret_mean = float(spec.get("ukraine_return_share", 0.0))
    ret_share = _beta_draws(rng, ret_mean, float(spec.get("ukraine_return_share_sd", 0.1)), paths)
    to_asylum = float(spec.get("ukraine_to_asylum_share", 0.0))
    # drawn last, so that adding it left every earlier draw (and so the inflow paths) unchanged
    wait = float(meta["status_holder_wait_months"]["value"]) * path_factor(
        unc["status_holder_wait_sd_log"]
    )

    init = {k: float(v["value"]) for k, v in meta["initial_state"].items()}
    series = _stock_flow(
        first=first,
        nareis=nareis,
        decision_time=np.broadcast_to(decision_time, shape),
        grant=np.broadcast_to(grant, shape),
        supply=np.broadcast_to(supply, shape),
        ua_arrivals=ua_arrivals,
        ua_exit=ua_exit,
        ua_return_share=ret_share,
        ua_to_asylum_share=to_asylum,
        tpd_end=_tpd_end_index(sim),
        transition_months=int(meta["ukraine_transition_months"]["value"]),
        departure_months=float(meta["rejected_departure_months"]["value"]),
        wait_months=wait,
        capacity_adjustment_months=float(meta["housing_capacity_adjustment_months"]["value"]),
        occupancy_norm=_occupancy_norm(case),
        init=init,
    )
    series["taakstelling_persons"] = national_taakstelling(
        series["permits_persons"] + series["nareizigers_persons"],
        sim,
        lead_months=int(meta["taakstelling_window_lead_months"]["value"]),
    )
    keep = slice(BURN_IN_MONTHS, None)
    trimmed = {k: v[:, keep] for k, v in series.items()}  # views: no copies
    return Ensemble(
        scenario=case.scenario, national_scenario=name, periods=periods, series=trimmed, seed=seed
    )


def _occupancy_norm(case: Case) -> float:
    if case.asylum.occupancy_norm_share is not None:
        return case.asylum.occupancy_norm_share
    return reference.scalar("coa_occupancy_norm_share")


def _tpd_end_index(sim: pd.PeriodIndex) -> int | None:
    end = pd.Period(reference.scalar_text("tpd_end_date")[:7], freq="M")
    return int(sim.get_loc(end)) if end in sim else None


def _beta_draws(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    """Draws of a share with the given mean and sd (method of moments Beta); a point mass at 0 or 1."""
    if mean <= 0.0 or mean >= 1.0 or sd <= 0.0:
        return np.full(n, float(np.clip(mean, 0.0, 1.0)))
    var = min(sd**2, mean * (1 - mean) * 0.99)
    k = mean * (1 - mean) / var - 1.0
    return rng.beta(mean * k, (1 - mean) * k, n)


def _stock_flow(
    *,
    first: np.ndarray,
    nareis: np.ndarray,
    decision_time: np.ndarray,
    grant: np.ndarray,
    supply: np.ndarray,
    ua_arrivals: np.ndarray,
    ua_exit: np.ndarray,
    ua_return_share: np.ndarray,
    ua_to_asylum_share: float,
    tpd_end: int | None,
    transition_months: int,
    departure_months: float,
    wait_months: float | np.ndarray,
    capacity_adjustment_months: float,
    occupancy_norm: float,
    init: dict[str, float],
) -> dict[str, np.ndarray]:
    """The monthly stock-flow of the asylum chain and of GOO, vectorised over paths.

    Stocks are measured at the start of each month; flows during the month. For every stock
    ``stock[t+1] = stock[t] + inflow[t] - outflow[t]`` holds exactly (tested as a property).

    Every outflow of the COA stock is a rate of its stock, so the stock scales with inflow
    (steady state: stock ≈ inflow × mean stay). Decisions are ``pending / decision_time``;
    departures of rejected applicants ``rejected / departure_months``. Status holders are housed at
    ``status_holders / wait_months`` (the mean stay after the permit, months; one value or one per
    path, shape (paths, 1)) as long as municipal housing capacity allows. The capacity (persons per
    month, reported as ``housing_supply_persons``) starts at ``supply`` and moves towards what the
    outstanding task needs — the taakstelling plus its carried-over backlog, i.e. the status holders
    waiting in COA / ``wait_months`` — with a first-order lag of ``capacity_adjustment_months``, never
    below ``supply``. A surge of permits therefore lengthens the stay for a while but cannot make the
    waiting stock grow without bound.
    """
    paths, months = first.shape
    z = lambda: np.zeros((paths, months))  # noqa: E731
    pending, rejected, sh, goo = z(), z(), z(), z()
    decisions, permits, departures, housed = z(), z(), z(), z()
    ua_out, ua_transition, ua_in_asylum = z(), z(), z()
    p = np.full(paths, init["asylum_pending_persons"])
    r = np.full(paths, init["rejected_in_coa_persons"])
    s = np.full(paths, init["status_holders_in_coa_persons"])
    g = np.full(paths, init["ukraine_goo_persons"])
    transition_rate = np.zeros(paths)
    wait = np.maximum(np.broadcast_to(np.asarray(wait_months, dtype=float), (paths, 1))[:, 0], 1.0)
    capacity = z()
    c = supply[:, 0].copy()
    for t in range(months):
        pending[:, t], rejected[:, t], sh[:, t], goo[:, t] = p, r, s, g
        if tpd_end is not None and t == tpd_end:
            transition_rate = g * ua_return_share / transition_months
        in_transition = tpd_end is not None and tpd_end <= t < tpd_end + transition_months
        leave_tpd = np.minimum(transition_rate, g) if in_transition else np.zeros(paths)
        exits = np.minimum(ua_exit[:, t] * g, g - leave_tpd)
        to_asylum = leave_tpd * ua_to_asylum_share
        new_applications = first[:, t] + to_asylum
        d = p / decision_time[:, t]
        pm = grant[:, t] * d
        dep = r / departure_months
        ready = s / wait  # housed this month at the usual stay, if capacity allows
        h = np.minimum(ready, c)
        decisions[:, t], permits[:, t], departures[:, t], housed[:, t] = d, pm, dep, h
        capacity[:, t] = c
        ua_out[:, t], ua_transition[:, t], ua_in_asylum[:, t] = exits, leave_tpd, to_asylum
        first[:, t] = new_applications  # applications including Ukrainians who switch to asylum
        p = p + new_applications - d
        r = r + (d - pm) - dep
        s = s + pm - h
        g = g + ua_arrivals[:, t] - exits - leave_tpd
        c = c + (np.maximum(supply[:, t], ready) - c) / capacity_adjustment_months
    occupancy = pending + rejected + sh
    return {
        "first_applications_persons": first,
        "nareizigers_persons": nareis,
        "decision_time_months": decision_time,
        "grant_rate_share": grant,
        "decisions_persons": decisions,
        "permits_persons": permits,
        "asylum_pending_persons": pending,
        "rejected_in_coa_persons": rejected,
        "rejected_departures_persons": departures,
        "status_holders_in_coa_persons": sh,
        "housed_from_coa_persons": housed,
        "housing_supply_persons": capacity,
        "coa_occupancy_persons": occupancy,
        "coa_required_places": occupancy / occupancy_norm,
        "ukraine_arrivals_persons": ua_arrivals,
        "ukraine_exit_rate_share": ua_exit,
        "ukraine_exits_persons": ua_out,
        "ukraine_tpd_departures_persons": ua_transition,
        "ukraine_to_asylum_persons": ua_in_asylum,
        "ukraine_goo_persons": goo,
        "ukraine_goo_places": goo.copy(),
    }


def half_year_index(periods: pd.PeriodIndex) -> np.ndarray:
    """An integer per month identifying its half-year (year × 2 + 0 for I, 1 for II)."""
    return periods.year.to_numpy() * 2 + (periods.month.to_numpy() > 6)


def half_year_label(key: int) -> str:
    """'2026-I' or '2026-II' from a half_year_index key."""
    return f"{key // 2}-{'II' if key % 2 else 'I'}"


def national_taakstelling(
    granted: np.ndarray, periods: pd.PeriodIndex, lead_months: int = 3
) -> np.ndarray:
    """The national half-year taakstelling, spread evenly over the months of its half-year.

    The half-year's total is the permits plus nareizigers (``granted``, persons per month) in the six
    months starting ``lead_months`` before the half-year. Months whose window is not fully simulated
    use the window's available months scaled to six.
    """
    paths, months = granted.shape
    out = np.zeros_like(granted)
    keys = half_year_index(periods)
    for key in np.unique(keys):
        idx = np.flatnonzero(keys == key)
        lo = idx[0] - lead_months
        window = np.arange(max(lo, 0), min(lo + 6, months))
        total = granted[:, window].sum(axis=1) * (6.0 / len(window))
        out[:, idx] = (total / 6.0)[:, None]
    return out
