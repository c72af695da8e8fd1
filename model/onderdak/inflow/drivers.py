"""National drivers per scenario: the published record, then a seeded Monte-Carlo ensemble after it.

Up to the case's peildatum every national series is what was published (:mod:`onderdak.inflow.record`); after it,
monthly first and repeat applications and nareizigers follow the scenario's trajectory with calibrated
noise (and, where the scenario does not already hold one, rare surges), starting from the last published
level. The asylum chain (:mod:`onderdak.inflow.stock_flow`) starts from the last published COA state: the IND
decides within its capacity, so a backlog persists when applications exceed it; status holders wait in COA
until housed. Ukrainians in GOO move, from 4 March 2027, to a residence permit: a share leaves, a share
moves on to ordinary housing and the rest stays, over an uncertain period. The national half-year
taakstelling is the published number where there is one and the last published number moved by the
model's permits plus nareizigers after it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from onderdak.case.settings import Case
from onderdak.core.ensemble import Ensemble
from onderdak.core.errors import InputError
from onderdak.inflow.calibration import (  # re-exported: `from onderdak.inflow.drivers import calibrate` keeps working
    EXOGENOUS_SHOCK_YEARS as EXOGENOUS_SHOCK_YEARS,
)
from onderdak.inflow.calibration import Calibration as Calibration
from onderdak.inflow.calibration import calibrate as calibrate
from onderdak.inflow.calibration import calibration_for as calibration_for
from onderdak.inflow.calibration import surge_episodes as surge_episodes
from onderdak.inflow.calibration import yearly_total_inflow as yearly_total_inflow
from onderdak.inflow.record import NationalRecord, national_record
from onderdak.inflow.record import seasonality as seasonality
from onderdak.inflow.stock_flow import ChainInputs, run_chain
from onderdak.io import reference

SCENARIO_FILE = "national_scenarios.yaml"
RECORD_STOCKS = ("coa_occupancy_persons", "status_holders_in_coa_persons", "ukraine_goo_persons")


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


def _meta(key: str) -> Any:
    return scenario_book()["meta"][key]["value"]


def _anchored(anchors: dict[int, float], periods: pd.PeriodIndex) -> np.ndarray:
    """Values at anchor years (taken as mid-year) interpolated linearly to months, flat outside."""
    years = np.array(sorted(anchors), dtype=float)
    values = np.array([anchors[int(y)] for y in years], dtype=float)
    t = periods.year.to_numpy() + (periods.month.to_numpy() - 0.5) / 12.0
    return np.interp(t, years + 0.5, values)


def _ar1_lognormal(
    rng: np.random.Generator,
    shape: tuple[int, int],
    phi: float,
    sigma: float | np.ndarray,
    start: int | None = None,
) -> np.ndarray:
    """Multiplicative noise exp(x) with x an AR(1) along axis 0 (months), mean-corrected to 1.

    ``shape`` is (months, paths); ``sigma`` the innovation sd, a number or one per path (shape
    (1, paths)). Without ``start`` x starts in its stationary law; with it, x is 0 before month
    ``start`` and grows from there (a known state: the last published month), the mean correction
    following its variance month by month.
    """
    months = shape[0]
    eps = rng.standard_normal(shape) * sigma
    if start is None:
        eps[0] *= 1.0 / np.sqrt(1.0 - phi**2)  # x[0] ~ N(0, sd_stat²)
        var = np.broadcast_to(np.asarray(sigma) ** 2 / (1.0 - phi**2), (1, shape[1]))
        var = np.broadcast_to(var, shape)
    else:
        eps[: max(start, 0)] = 0.0
        k = np.arange(months) - start
        steps = np.where(k >= 0, (1.0 - phi ** (2 * (k + 1))) / (1.0 - phi**2), 0.0)
        var = steps[:, None] * np.asarray(sigma) ** 2
    x = _lfilter(np.array([1.0]), phi, eps, axis=0)  # x[t] = phi x[t-1] + eps[t]
    return np.exp(x - 0.5 * var)


def _surge_multiplier(
    rng: np.random.Generator,
    shape: tuple[int, int],
    cal: Calibration,
    first_month: int,
    ramp: int = 6,
    half_life: float = 12.0,
) -> np.ndarray:
    """Random surges after ``first_month``: onsets at a yearly rate drawn per path, log size ~ N(mean, sd).

    ``shape`` is (months, paths); each surge ramps up and then decays (:func:`_surge_profile`).
    """
    months, paths = shape
    rate = cal.draw_surge_rate(rng, paths)[None, :]  # estimation uncertainty: one rate per path
    onset = rng.random(shape) < rate / 12.0
    onset[:first_month] = False  # a surge before the peildatum would be in the record
    size = np.exp(rng.normal(cal.surge_log_size_mean, cal.surge_log_size_sd, shape)) - 1.0
    return 1.0 + _surge_profile(onset * size, ramp, half_life, axis=0)


def expected_surge_multiplier(
    cal: Calibration, months: int, first_month: int, ramp: int = 6, half_life: float = 12.0
) -> np.ndarray:
    """E[surge multiplier] per month when onsets start at ``first_month`` (see :func:`_surge_multiplier`).

    Onsets are Bernoulli(rate / 12) per month with the rate drawn from its Beta posterior and sizes
    exp(N(mean, sd)) − 1, independent: the expectation is 1 + E[rate] / 12 × E[size] × the cumulative
    profile since ``first_month``.
    """
    k, m = cal.surge_onsets, cal.surge_chances
    rate = (k + 0.5) / (m + 1.0)  # mean of Beta(k + ½, m − k + ½)
    size = np.exp(cal.surge_log_size_mean + 0.5 * cal.surge_log_size_sd**2) - 1.0
    impulse = np.zeros((1, months))
    impulse[0, first_month:] = rate / 12.0 * size
    return 1.0 + _surge_profile(impulse, ramp, half_life)[0]


def _surge_profile(impulse: np.ndarray, ramp: int, half_life: float, axis: int = 1) -> np.ndarray:
    """Convolve onset impulses with a linear ramp followed by exponential decay, along ``axis`` (months).

    The kernel is (lag + 1) / ramp for lag < ramp and 0.5 ** ((lag − ramp + 1) / half_life) after:
    a FIR ramp plus a geometric tail, which is exactly the IIR filter
    ``((1 − a z⁻¹) Σ (k+1)/ramp z⁻ᵏ + a z⁻ʳᵃᵐᵖ) / (1 − a z⁻¹)`` with ``a = 0.5 ** (1 / half_life)``.
    """
    a = 0.5 ** (1.0 / half_life)
    ramp_taps = np.append((np.arange(ramp) + 1.0) / ramp, 0.0)
    b = ramp_taps - a * np.concatenate([[0.0], ramp_taps[:-1]])
    b[ramp] += a
    return _lfilter(b, a, impulse, axis=axis)


def _lfilter(b: np.ndarray, pole: float, x: np.ndarray, axis: int) -> np.ndarray:
    """``scipy.signal.lfilter(b, [1, -pole], x, axis)``, the same arithmetic in the same order.

    The transposed direct form II of scipy's C loop, a step per month over every path at once
    (importing scipy.signal alone took about a second of each run).
    """
    xs = np.moveaxis(np.asarray(x, dtype=float), axis, 0)
    a = np.zeros(max(len(b), 2))
    a[1] = -pole
    b = np.r_[np.asarray(b, dtype=float), np.zeros(len(a) - len(b))]
    y = np.empty_like(xs)
    z = [np.zeros(xs.shape[1:]) for _ in range(len(b) - 1)]
    for n in range(xs.shape[0]):
        xn = xs[n]
        yn = y[n]
        np.add(z[0], b[0] * xn, out=yn)
        for k in range(len(z) - 1):
            z[k] = (z[k + 1] + xn * b[k + 1]) - yn * a[k + 1]
        z[-1] = xn * b[-1] - yn * a[-1]
    return np.moveaxis(y, 0, axis)


def simulation_epoch(record: NationalRecord, start: pd.Period) -> pd.Period:
    """The month the chain starts: the last published COA occupancy at or before the case start.

    Raises
    ------
    InputError
        When nothing is published that early: the chain would start from empty COA locations.
    """
    coa = record.stocks["coa_occupancy_persons"]
    known = coa[coa.index <= start]
    if not len(known):
        first = reference.table("coa_occupancy").dropna(subset=["persons"])["reference_date"].min()
        raise InputError(
            f"start {start} / peildatum {record.peildatum}: no published COA occupancy at or before it "
            f"(the first in data/reference/coa_occupancy.csv is {first}); the national chain needs a "
            "published state to start from — choose a later start or peildatum"
        )
    return known.index[-1]


def simulate_inflow(
    case: Case,
    paths: int | None = None,
    seed: int | None = None,
    *,
    spec: dict[str, Any] | None = None,
    calibration: Calibration | None = None,
) -> Ensemble:
    """The seeded national ensemble of ``case.inflow.national_scenario``: the record, then the model.

    Parameters
    ----------
    case : Case
        The resolved case (one scenario); ``case.peildatum_period`` says what is published.
    paths : int, optional
        Monte-Carlo paths; default ``case.paths``.
    seed : int, optional
        Seed; default ``case.seed``. The same case and seed give identical arrays.
    spec : dict, optional
        A scenario definition to use instead of the case's named scenario (same keys as in
        national_scenarios.yaml); the backtest's what-we-knew forecasts pass one.
    calibration : Calibration, optional
        Noise and surges; default :func:`calibration_for` the case (the backtest passes the calibration
        up to its origin).

    Returns
    -------
    Ensemble
        Series of shape (paths, months) over the case horizon: persons per month for flows, persons
        for stocks; ``published_until`` names the last published month of each recorded series.
    """
    paths = int(paths or case.paths)
    seed = int(case.seed if seed is None else seed)
    name = case.inflow.national_scenario
    spec = scenario_definition(name) if spec is None else spec
    unc = {k: v["value"] for k, v in scenario_book()["uncertainty"].items()}
    cal = calibration_for(case) if calibration is None else calibration
    record = national_record(case.peildatum_period)
    periods = case.periods
    epoch = min(simulation_epoch(record, periods[0]), periods[0])
    sim = pd.period_range(epoch, periods[-1], freq="M", name="period")
    months = len(sim)
    shape = (months, paths)
    # one stream of random numbers per scenario name, so adding scenarios does not shift others
    rng = np.random.default_rng([seed, sum(name.encode())])
    sigma = cal.sigma_monthly * (cal.draw_sd(rng, paths) / cal.annual_log_change_sd)[None, :]

    def path_factor(sd_log: float) -> np.ndarray:
        return np.exp(rng.normal(-0.5 * sd_log**2, sd_log, (1, paths)))

    def modelled_from(series: str) -> int:
        last = record.last_published(series)
        return 0 if last is None or last < sim[0] else min(int((last - sim[0]).n) + 1, months)

    def inflow(
        series: str, anchors: dict[int, float], noise: np.ndarray, seasonal: bool = True
    ) -> np.ndarray:
        t0 = modelled_from(series)
        level = _anchored(anchors, sim) / 12.0 * (seasonality(sim) if seasonal else 1.0)
        level = level * _continuity(record, series, anchors, sim, t0, seasonal)
        level[t0:] *= case.inflow.level_factor
        out = level[:, None] * noise
        published = record.flows[series].reindex(sim[:t0]).to_numpy()[:, None]
        # months before the record begins (e.g. repeat applications before 2020) stay modelled
        out[:t0] = np.where(np.isnan(published), out[:t0], published)
        return out

    t_first = modelled_from("first_applications_persons")
    ar_first = _ar1_lognormal(rng, shape, cal.phi_monthly, sigma, start=t_first)
    first = inflow(
        "first_applications_persons", spec["first_applications_persons_per_year"], ar_first
    )
    if case.inflow.surges and spec.get("random_surges", True):
        # the trajectory is the scenario's mean with surges: surges widen it, they do not raise it
        surges = _surge_multiplier(rng, shape, cal, t_first)
        first[t_first:] *= (surges / expected_surge_multiplier(cal, months, t_first)[:, None])[
            t_first:
        ]
    if "surge" in spec:
        s = spec["surge"]
        impulse = np.zeros((1, months))
        if pd.Period(s["start"], freq="M") in sim:
            impulse[0, sim.get_loc(pd.Period(s["start"], freq="M"))] = s["multiplier"] - 1.0
        first[t_first:] *= (1.0 + _surge_profile(impulse, s["ramp_months"], s["half_life_months"]))[
            0
        ][t_first:, None]
    repeat = inflow(
        "repeat_applications_persons", spec["repeat_applications_persons_per_year"], ar_first
    )
    t_nareis = modelled_from("nareizigers_persons")
    nareis = inflow(
        "nareizigers_persons",
        spec["nareizigers_persons_per_year"],
        path_factor(unc["nareizigers_sd_log"])
        * _ar1_lognormal(rng, shape, cal.phi_monthly, sigma * 0.5, start=t_nareis),
        seasonal=False,  # family members follow permits months earlier, not the travel season
    )
    decision_time = _anchored(spec["decision_time_months"], sim)[:, None] * path_factor(
        unc["decision_time_sd_log"]
    )
    ind_capacity = (
        _anchored(spec["ind_decisions_persons_per_year"], sim)[:, None]
        / 12.0
        * path_factor(unc["ind_capacity_sd_log"])
    )
    grant = np.clip(
        _anchored(spec["grant_rate_share"], sim)[:, None]
        + rng.normal(0, unc["grant_rate_sd"], (1, paths)),
        0.15,
        0.95,
    )
    supply = _anchored(spec["housing_supply_persons_per_month"], sim)[:, None] * path_factor(
        unc["housing_supply_sd_log"]
    )
    ua_arrivals = (
        _anchored(spec["ukraine_arrivals_persons_per_month"], sim)[:, None]
        * path_factor(unc["ukraine_arrivals_sd_log"])
        * _ar1_lognormal(rng, shape, cal.phi_monthly, sigma)
    )
    ua_exit = np.clip(
        _anchored(spec["ukraine_exit_rate_share_per_month"], sim)[:, None]
        * path_factor(unc["ukraine_exit_rate_sd_log"]),
        0.0,
        0.2,
    )
    after = spec["ukraine_after_tpd"]
    leave_mean = case.inflow.ukraine_return_share
    if leave_mean is None:
        leave_mean = float(after["leave_share"])
    leave = _beta_draws(rng, leave_mean, float(after["leave_share_sd"]), paths)
    move_on = np.minimum(
        _beta_draws(rng, float(after["move_on_share"]), float(after["move_on_share_sd"]), paths),
        1.0 - leave,
    )
    lo, hi = after["transition_months"]
    transition = rng.uniform(lo, hi, paths) if hi > lo else np.full(paths, float(lo))
    wait = float(_meta("status_holder_wait_months")) * path_factor(unc["status_holder_wait_sd_log"])
    init, resets = _initial_state(record, sim)
    chain = ChainInputs(
        applications=first + repeat,
        nareizigers=nareis,
        decision_time=decision_time,
        ind_capacity=ind_capacity,
        grant=grant,
        supply=supply,
        wait_months=wait,
        ua_arrivals=ua_arrivals,
        ua_exit=ua_exit,
        ua_leave_share=leave,
        ua_move_on_share=move_on,
        ua_transition_months=transition,
        ua_to_asylum_share=float(after.get("to_asylum_share", 0.0)),
        tpd_end=_tpd_end_index(sim),
        departure_months=float(_meta("rejected_departure_months")),
        capacity_adjustment_months=float(_meta("housing_capacity_adjustment_months")),
        occupancy_norm=_occupancy_norm(case),
        init=init,
        resets=resets,
        nareizigers_via_coa_share=float(_meta("nareizigers_via_coa_share")),
        pending_share=float(_meta("pending_share_of_procedure")),
    )
    series = run_chain(chain, months, paths)
    series["first_applications_persons"] = first.T
    series["repeat_applications_persons"] = repeat.T
    series["nareizigers_persons"] = nareis.T
    series["decision_time_months"] = np.broadcast_to(decision_time, shape).T
    series["grant_rate_share"] = np.broadcast_to(grant, shape).T
    series["ukraine_goo_places"] = series["ukraine_goo_persons"]
    series["ukraine_tpd_departures_persons"] = (
        series["ukraine_leave_persons"] + series["ukraine_to_housing_persons"]
    )
    # drawn last, so that adding it left every earlier draw (and so the inflow paths) unchanged
    revision_sd = float(_meta("taakstelling_revision_sd_log"))
    halves = np.unique(half_year_index(sim))
    revision = pd.DataFrame(
        np.exp(rng.normal(0.0, revision_sd, (paths, len(halves)))),  # median 1: the link is central
        columns=halves,
    )
    taak, link = linked_taakstelling(
        series["permits_persons"],
        series["nareizigers_persons"],
        sim,
        record,
        lead_months=int(_meta("taakstelling_window_lead_months")),
        revision=revision,
    )
    series["taakstelling_persons"] = taak
    keep = slice(int((periods[0] - sim[0]).n), None)
    trimmed = {k: v[:, keep] for k, v in series.items()}  # views: no copies
    published = {
        k: (None if (last := record.last_published(k)) is None else str(last))
        for k in (*record.flows, *RECORD_STOCKS, "taakstelling_persons")
    }
    return Ensemble(
        scenario=case.scenario,
        national_scenario=name,
        periods=periods,
        series=trimmed,
        seed=seed,
        peildatum=str(record.peildatum),
        published_until=published,
        taakstelling_link=link,
    )


def _continuity(
    record: NationalRecord,
    series: str,
    anchors: dict[int, float],
    sim: pd.PeriodIndex,
    t0: int,
    seasonal: bool = True,
) -> np.ndarray:
    """A factor on the trajectory that starts at the last published year's level and fades to 1.

    The ratio of the last twelve published months to the trajectory over those months decays with
    ``record_continuity_months``; 1 where there is no record to continue.
    """
    out = np.ones(len(sim))
    flow = record.flows.get(series)
    if flow is None or len(flow) < 12 or t0 == 0 or t0 >= len(sim):
        return out
    last12 = flow.iloc[-12:]
    months = pd.PeriodIndex(last12.index, freq="M")
    trajectory = _anchored(anchors, months) / 12.0 * (seasonality(months) if seasonal else 1.0)
    ratio = float(last12.sum() / trajectory.sum())
    k = np.arange(len(sim)) - t0
    tau = float(_meta("record_continuity_months"))
    out[t0:] = 1.0 + (ratio - 1.0) * np.exp(-k[t0:] / tau)
    return out


def _initial_state(
    record: NationalRecord, sim: pd.PeriodIndex
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Stocks at the first simulated month from the record, and the published stocks after it.

    The COA residents without a permit are split into pending and rejected applicants by
    ``pending_share_of_procedure`` (an assumption). Stocks that were never published before the epoch
    start at 0 (e.g. Ukrainians in GOO before March 2022).
    """
    epoch = sim[0]

    def latest(name: str) -> float:
        series = record.stocks[name]
        known = series[series.index <= epoch]
        return float(known.iloc[-1]) if len(known) else 0.0

    total = latest("coa_occupancy_persons")
    holders = min(latest("status_holders_in_coa_persons"), total) if total else 0.0
    share = float(_meta("pending_share_of_procedure"))
    init = {
        "asylum_pending_persons": (total - holders) * share,
        "rejected_in_coa_persons": (total - holders) * (1.0 - share),
        "status_holders_in_coa_persons": holders,
        "ukraine_goo_persons": latest("ukraine_goo_persons"),
    }
    resets = {}
    for name in RECORD_STOCKS:
        series = record.stocks[name]
        after = series[series.index > epoch]
        values = after.reindex(sim).to_numpy(dtype=float)
        if np.isfinite(values).any():
            resets[name] = values
    return init, resets


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


def half_year_index(periods: pd.PeriodIndex) -> np.ndarray:
    """An integer per month identifying its half-year (year × 2 + 0 for I, 1 for II)."""
    return periods.year.to_numpy() * 2 + (periods.month.to_numpy() > 6)


def half_year_label(key: int) -> str:
    """'2026-I' or '2026-II' from a half_year_index key."""
    return f"{key // 2}-{'II' if key % 2 else 'I'}"


def half_year_key(label: str) -> int:
    """The half_year_index key of '2026-I' or '2026-II' (the inverse of :func:`half_year_label`).

    >>> half_year_key(half_year_label(4053))
    4053
    """
    return int(label[:4]) * 2 + label.endswith("II")


def national_taakstelling(
    granted: np.ndarray, periods: pd.PeriodIndex, lead_months: int = 3
) -> np.ndarray:
    """The national half-year taakstelling from the model alone, spread evenly over its six months.

    The half-year's total is the permits plus nareizigers (``granted``, (paths, months), persons per
    month) in the six months starting ``lead_months`` before the half-year. Months whose window is not
    fully simulated use the window's available months scaled to six.
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


def linked_taakstelling(
    permits: np.ndarray,
    nareizigers: np.ndarray,
    periods: pd.PeriodIndex,
    record: NationalRecord,
    lead_months: int = 3,
    revision: pd.DataFrame | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """The national taakstelling per month: published half-years as published, later ones linked to them.

    A published half-year's number is used as it is (÷ 6 per month). After the last published half-year,
    the model's own number (:func:`national_taakstelling` of permits plus nareizigers, (paths, months))
    is multiplied, per path, by the published number over the model's number for that last half-year,
    when its whole reference window lies in the simulation (else by 1), and by ``revision`` (paths ×
    half-year keys, median 1): what the ministry's number does beyond the permits and nareizigers it is
    based on (revised expectations, rounding, policy), drawn per modelled half-year.

    Returns
    -------
    tuple
        The series (paths, months) and the link: the last published half-year and its number, the
        median ratio, and the bridge to the first modelled half-year — its mean number and the mean
        change from the last published one due to nareizigers and to permits (persons; the two add up
        to the change).
    """
    granted = permits + nareizigers
    modelled = national_taakstelling(granted, periods, lead_months)
    keys = half_year_index(periods)
    out = modelled.copy()
    link: dict[str, Any] = {"half_year": None, "persons": None, "ratio_median": 1.0}
    published = record.taakstelling
    for label, value in published.items():
        out[:, keys == half_year_key(label)] = value / 6.0
    if not len(published):
        return out, link
    last = str(published.index[-1])
    last_key = half_year_key(last)
    ratio = np.ones(granted.shape[0])
    idx = np.flatnonzero(keys == last_key)
    if len(idx) and idx[0] - lead_months >= 0:
        own = modelled[:, idx[0]] * 6.0
        ratio = np.divide(float(published.iloc[-1]), own, out=np.ones_like(own), where=own > 0)
        nxt = np.flatnonzero(keys == last_key + 1)
        link = {
            "half_year": last,
            "persons": float(published.iloc[-1]),
            "ratio_median": float(np.median(ratio)),
        }
        if len(nxt) == 6:

            def window(series: np.ndarray, first: int) -> np.ndarray:
                lo = first - lead_months
                return series[:, lo : lo + 6].sum(axis=1)

            d_nareis = ratio * (window(nareizigers, nxt[0]) - window(nareizigers, idx[0]))
            d_permits = ratio * (window(permits, nxt[0]) - window(permits, idx[0]))
            link["first_modelled"] = {
                "half_year": half_year_label(last_key + 1),
                "mean_persons": float(np.mean(float(published.iloc[-1]) + d_nareis + d_permits)),
                "change_from_nareizigers_persons": float(np.mean(d_nareis)),
                "change_from_permits_persons": float(np.mean(d_permits)),
            }
    after = keys > last_key
    out[:, after] = modelled[:, after] * ratio[:, None]
    if revision is not None and after.any():
        out[:, after] *= revision[keys[after]].to_numpy()
    return out, link
