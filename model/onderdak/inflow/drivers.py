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

from typing import Any

import numpy as np
import pandas as pd

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
from onderdak.inflow.noise import (
    ar1_lognormal,
    beta_draws,
    expected_surge_multiplier,
    surge_multiplier,
    surge_profile,
)
from onderdak.inflow.record import NationalRecord, national_record
from onderdak.inflow.record import seasonality as seasonality
from onderdak.inflow.scenarios import scenario_book, scenario_definition, scenario_meta
from onderdak.inflow.stock_flow import ChainInputs, run_chain
from onderdak.inflow.taakstelling import half_year_index, linked_taakstelling
from onderdak.io import reference

RECORD_STOCKS = ("coa_occupancy_persons", "status_holders_in_coa_persons", "ukraine_goo_persons")


def _anchored(anchors: dict[int, float], periods: pd.PeriodIndex) -> np.ndarray:
    """Values at anchor years (taken as mid-year) interpolated linearly to months, flat outside."""
    years = np.array(sorted(anchors), dtype=float)
    values = np.array([anchors[int(y)] for y in years], dtype=float)
    t = periods.year.to_numpy() + (periods.month.to_numpy() - 0.5) / 12.0
    return np.interp(t, years + 0.5, values)


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
    ar_first = ar1_lognormal(rng, shape, cal.phi_monthly, sigma, start=t_first)
    first = inflow(
        "first_applications_persons", spec["first_applications_persons_per_year"], ar_first
    )
    if case.inflow.surges and spec.get("random_surges", True):
        # the trajectory is the scenario's mean with surges: surges widen it, they do not raise it
        surges = surge_multiplier(rng, shape, cal, t_first)
        first[t_first:] *= (surges / expected_surge_multiplier(cal, months, t_first)[:, None])[
            t_first:
        ]
    if "surge" in spec:
        s = spec["surge"]
        impulse = np.zeros((1, months))
        if pd.Period(s["start"], freq="M") in sim:
            impulse[0, sim.get_loc(pd.Period(s["start"], freq="M"))] = s["multiplier"] - 1.0
        first[t_first:] *= (1.0 + surge_profile(impulse, s["ramp_months"], s["half_life_months"]))[
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
        * ar1_lognormal(rng, shape, cal.phi_monthly, sigma * 0.5, start=t_nareis),
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
        * ar1_lognormal(rng, shape, cal.phi_monthly, sigma)
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
    leave = beta_draws(rng, leave_mean, float(after["leave_share_sd"]), paths)
    move_on = np.minimum(
        beta_draws(rng, float(after["move_on_share"]), float(after["move_on_share_sd"]), paths),
        1.0 - leave,
    )
    lo, hi = after["transition_months"]
    transition = rng.uniform(lo, hi, paths) if hi > lo else np.full(paths, float(lo))
    wait = float(scenario_meta("status_holder_wait_months")) * path_factor(
        unc["status_holder_wait_sd_log"]
    )
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
        departure_months=float(scenario_meta("rejected_departure_months")),
        capacity_adjustment_months=float(scenario_meta("housing_capacity_adjustment_months")),
        occupancy_norm=_occupancy_norm(case),
        init=init,
        resets=resets,
        nareizigers_via_coa_share=float(scenario_meta("nareizigers_via_coa_share")),
        pending_share=float(scenario_meta("pending_share_of_procedure")),
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
    revision_sd = float(scenario_meta("taakstelling_revision_sd_log"))
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
        lead_months=int(scenario_meta("taakstelling_window_lead_months")),
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
    tau = float(scenario_meta("record_continuity_months"))
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
    share = float(scenario_meta("pending_share_of_procedure"))
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
