"""National drivers: stock-flow mass balance, the taakstelling window, seeds, scenarios and calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from model.case import load_case, load_case_file
from model.inflow import (
    _ar1_lognormal,
    _stock_flow,
    calibrate,
    calibration_for,
    half_year_label,
    national_taakstelling,
    scenario_book,
    seasonality,
    simulate_inflow,
    surge_episodes,
    yearly_total_inflow,
)
from model.opendata import read_cbs_asylum_history_csv

INIT = {
    "asylum_pending_persons": 1000.0,
    "rejected_in_coa_persons": 200.0,
    "status_holders_in_coa_persons": 300.0,
    "ukraine_goo_persons": 500.0,
}


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, (3, 24), elements=st.floats(0, 5000)),
    st.floats(1, 24),
    st.floats(0.1, 0.95),
    st.floats(0, 3000),
    st.floats(0, 1),
    st.integers(0, 23),
    st.floats(0.5, 24),
    st.floats(1, 36),
)
def test_every_stock_balances_its_flows(
    first, decision_time, grant, supply, ret_share, tpd_end, wait, adjust
):
    shape = first.shape
    full = lambda v: np.full(shape, v)  # noqa: E731
    out = _stock_flow(
        first=first.copy(),
        nareis=full(10.0),
        decision_time=full(decision_time),
        grant=full(grant),
        supply=full(supply),
        ua_arrivals=full(20.0),
        ua_exit=full(0.02),
        ua_return_share=np.full(shape[0], ret_share),
        ua_to_asylum_share=0.1,
        tpd_end=tpd_end,
        transition_months=3,
        departure_months=6.0,
        wait_months=np.array([[wait], [2 * wait], [wait]]),
        capacity_adjustment_months=adjust,
        occupancy_norm=0.91,
        init=INIT,
    )
    d = lambda k: np.diff(out[k], axis=1)  # noqa: E731
    f = lambda k: out[k][:, :-1]  # noqa: E731
    np.testing.assert_allclose(
        d("asylum_pending_persons"),
        f("first_applications_persons") - f("decisions_persons"),
        atol=1e-6,
    )
    np.testing.assert_allclose(
        d("rejected_in_coa_persons"),
        f("decisions_persons") - f("permits_persons") - f("rejected_departures_persons"),
        atol=1e-6,
    )
    np.testing.assert_allclose(
        d("status_holders_in_coa_persons"),
        f("permits_persons") - f("housed_from_coa_persons"),
        atol=1e-6,
    )
    np.testing.assert_allclose(
        d("ukraine_goo_persons"),
        f("ukraine_arrivals_persons")
        - f("ukraine_exits_persons")
        - f("ukraine_tpd_departures_persons"),
        atol=1e-6,
    )
    for k in (
        "asylum_pending_persons",
        "rejected_in_coa_persons",
        "status_holders_in_coa_persons",
        "ukraine_goo_persons",
    ):
        assert (out[k] >= -1e-9).all(), k
    np.testing.assert_allclose(out["coa_required_places"] * 0.91, out["coa_occupancy_persons"])
    # the COA stock never grows faster than what enters it
    grown = np.diff(out["coa_occupancy_persons"], axis=1)
    assert (grown <= f("first_applications_persons") + 1e-6).all()
    assert (out["housed_from_coa_persons"] <= out["housing_supply_persons"] + 1e-9).all()


def _constant_world(first_per_month, months=360, supply=2500.0, wait=7.5, adjust=12.0, **init):
    """The stock-flow with constant inflow, decision time 8, grant 0.7, departures 6, no Ukrainians."""
    shape = (1, months)
    full = lambda v: np.full(shape, float(v))  # noqa: E731
    start = {**INIT, **init}
    return _stock_flow(
        first=full(first_per_month),
        nareis=full(0),
        decision_time=full(8),
        grant=full(0.7),
        supply=full(supply),
        ua_arrivals=full(0),
        ua_exit=full(0),
        ua_return_share=np.zeros(1),
        ua_to_asylum_share=0.0,
        tpd_end=None,
        transition_months=3,
        departure_months=6.0,
        wait_months=wait,
        capacity_adjustment_months=adjust,
        occupancy_norm=0.91,
        init=start,
    )


@pytest.mark.parametrize("first_per_month", [1000.0, 6500.0, 20000.0])
def test_constant_inflow_stock_converges_to_inflow_times_mean_stay(first_per_month):
    # Little's law per stage, by hand: pending = F × 8, rejected = F × 0.3 × 6, status holders
    # = F × 0.7 × 7.5; at 20,000 a month permits (14,000) are 5.6 × the base housing supply (2,500)
    out = _constant_world(first_per_month)
    f = first_per_month
    assert out["asylum_pending_persons"][0, -1] == pytest.approx(f * 8, rel=0.01)
    assert out["rejected_in_coa_persons"][0, -1] == pytest.approx(f * 0.3 * 6, rel=0.01)
    assert out["status_holders_in_coa_persons"][0, -1] == pytest.approx(f * 0.7 * 7.5, rel=0.01)
    steady = f * (8 + 0.3 * 6 + 0.7 * 7.5)
    assert out["coa_occupancy_persons"][0, -1] == pytest.approx(steady, rel=0.01)
    # and it stays there: the last five years are flat
    last = out["coa_occupancy_persons"][0, -60:]
    assert last.max() - last.min() < 0.01 * steady


def test_housing_capacity_lags_a_step_in_permits_but_does_not_stall():
    # start in the 2,500-a-month steady state, then permits jump ×4 for good
    base = 2500 / 0.7
    out = _constant_world(
        4 * base,
        months=240,
        asylum_pending_persons=base * 8,
        rejected_in_coa_persons=base * 0.3 * 6,
        status_holders_in_coa_persons=2500 * 7.5,
    )
    waiting = out["status_holders_in_coa_persons"][0]
    steady = 4 * 2500 * 7.5
    # capacity lags: for a while the waiting stock exceeds what the usual stay implies …
    housed, capacity = out["housed_from_coa_persons"][0], out["housing_supply_persons"][0]
    assert (housed[12:24] < waiting[12:24] / 7.5 - 1).all()
    assert capacity[6] < capacity[24] < capacity[60]
    # … but the overshoot is bounded and the stock returns to permits × stay
    assert waiting.max() < 1.6 * steady
    assert waiting[-1] == pytest.approx(steady, rel=0.01)


def test_demo_coa_stock_follows_inflow_in_every_path(demo_case_path):
    case = load_case(demo_case_path)
    e = simulate_inflow(case, paths=400, seed=3)
    meta = scenario_book()["meta"]
    # per path, the steady state implied by the last two years' inflow and that path's parameters
    inflow = e["first_applications_persons"][:, -24:].mean(axis=1)
    grant = e["grant_rate_share"][:, -1]
    stay = (
        e["decision_time_months"][:, -1]
        + (1 - grant) * meta["rejected_departure_months"]["value"]
        + grant * meta["status_holder_wait_months"]["value"]
    )
    ratio = e["coa_occupancy_persons"][:, -1] / (inflow * stay)
    assert 0.85 < np.median(ratio) < 1.2
    assert np.percentile(ratio, 95) < 1.6  # no path piles up beyond what its inflow implies
    # inflow is flat after 2028, so is the median required capacity
    required = np.median(e["coa_required_places"], axis=0)
    assert required[-1] == pytest.approx(required[60], rel=0.1)


def test_taakstelling_window_starts_a_quarter_early():
    periods = pd.period_range("2026-01", periods=12, freq="M")
    granted = np.arange(12, dtype=float)[None, :]  # 0, 1, …, 11 persons per month
    out = national_taakstelling(granted, periods, lead_months=3)
    # 2026-II (Jul–Dec) uses Apr–Sep = months 3..8 → 3+4+5+6+7+8 = 33 persons, i.e. 5.5 per month
    assert out[0, 6] == pytest.approx(33 / 6) and out[0, 11] == pytest.approx(33 / 6)
    # 2026-I window (Oct–Mar) starts before the data: Jan–Mar (0+1+2) scaled to six months
    assert out[0, 0] == pytest.approx((0 + 1 + 2) * 2 / 6)
    assert half_year_label(2026 * 2 + 1) == "2026-II"


def test_seasonality_averages_one_per_year():
    periods = pd.period_range("2026-01", periods=36, freq="M")
    s = seasonality(periods)
    assert s.reshape(3, 12).mean(axis=1) == pytest.approx([1, 1, 1])
    assert s[8] > s[2]  # September above March


def test_same_seed_same_paths_other_seed_other_paths(demo_case_path):
    case = load_case(demo_case_path)
    a = simulate_inflow(case, paths=50, seed=7)
    b = simulate_inflow(case, paths=50, seed=7)
    c = simulate_inflow(case, paths=50, seed=8)
    for k in a.series:
        np.testing.assert_array_equal(a[k], b[k])
    assert not np.array_equal(a["first_applications_persons"], c["first_applications_persons"])


def test_scenarios_are_ordered_and_end_of_protection_lowers_goo(demo_case_path):
    cases = load_case_file(demo_case_path)
    med = {
        name: np.median(
            simulate_inflow(cases[name], paths=400, seed=1)["first_applications_persons"][
                :, :24
            ].sum(axis=1)
        )
        for name in ("laag", "basis", "hoog")
    }
    assert med["laag"] < med["basis"] < med["hoog"]
    base = simulate_inflow(cases["basis"], paths=400, seed=1)["ukraine_goo_persons"]
    end = simulate_inflow(cases["einde_tijdelijke_bescherming"], paths=400, seed=1)[
        "ukraine_goo_persons"
    ]
    march_2027 = list(cases["basis"].periods.strftime("%Y-%m")).index("2027-03")
    assert np.median(end[:, march_2027 + 9]) < 0.8 * np.median(base[:, march_2027 + 9])
    crisis = simulate_inflow(cases["nieuwe_crisis"], paths=400, seed=1)[
        "first_applications_persons"
    ]
    assert np.median(crisis[:, 24:36].sum(axis=1)) > 1.5 * np.median(
        simulate_inflow(cases["basis"], paths=400, seed=1)["first_applications_persons"][
            :, 24:36
        ].sum(axis=1)
    )


def test_calibration_finds_the_2015_surge_and_is_reproducible():
    cal = calibrate()
    assert 2014 in cal.surge_years or 2015 in cal.surge_years
    assert 0 < cal.surge_rate_per_year < 0.5
    assert 0 < cal.phi_monthly < 1 and cal.sigma_monthly > 0
    assert calibrate(2019).surge_years == tuple(y for y in cal.surge_years if y <= 2019)


def synthetic_history(rate: float, years: int = 2000, calm_sd: float = 0.08, seed: int = 11):
    """A yearly random walk with surges: onset ×3 for one year, then back; known rate and sizes.

    Years 0..years-1 (all before the reference series, so only this history is calibrated).
    Onsets are Bernoulli(rate) among years at least three years after the previous onset.
    """
    rng = np.random.default_rng(seed)
    log_level, onsets, last = [np.log(1000.0)], [], -10
    for t in range(1, years):
        base = log_level[-1] - (np.log(3.0) if onsets and onsets[-1] == t - 1 else 0.0)
        step = base + rng.normal(0.0, calm_sd)
        if t - last >= 3 and rng.random() < rate:
            onsets.append(t)
            last = t
            step += np.log(3.0)
        log_level.append(step)
    return pd.Series(np.exp(log_level), index=pd.RangeIndex(years, name="year")), onsets


def test_calibration_recovers_a_known_surge_rate_size_and_calm_sd():
    history, onsets = synthetic_history(rate=0.15)
    cal = calibrate(until_year=2012, history=history)
    assert cal.first_year == 0 and cal.history_scale == 1.0  # no overlap with the reference
    assert abs(cal.surge_onsets - len(onsets)) <= 3  # a few calm ±4σ years may pass 1.5×
    realised = len(onsets) / (len(history) - 1)
    assert cal.surge_rate_per_year == pytest.approx(realised, abs=0.01)
    assert np.exp(cal.surge_log_size_mean) == pytest.approx(3.0, rel=0.05)
    assert cal.total_log_change_sd == pytest.approx(0.08, rel=0.1)
    assert 2013 not in cal.surge_years  # the reference series is not seen before 2013


def test_surge_episode_runs_from_onset_through_the_first_fall():
    total = pd.Series([100, 100, 160, 250, 120, 110, 100.0], index=range(2000, 2007))
    onsets, sizes, episode = surge_episodes(total)
    assert onsets == [2002]  # 2003 (×1.56) continues the 2002 surge
    assert sizes == pytest.approx([np.log(250 / 100)])
    assert episode == [2002, 2003, 2004]  # rise, peak, and the first year down
    # an exogenous rebound is no surge
    assert surge_episodes(total, exogenous=(2002, 2003))[0] == []


def test_covid_years_are_exogenous_and_2021_is_no_surge():
    cal = calibrate()
    assert cal.exogenous_years == (2020, 2021)
    assert 2021 not in cal.surge_years and 2014 in cal.surge_years
    assert calibrate(2019).exogenous_years == ()  # not known before it happened


def test_estimation_uncertainty_shrinks_with_more_years():
    rng = np.random.default_rng(0)
    short, long = calibrate(2018), calibrate()
    assert short.annual_log_change_dof < long.annual_log_change_dof
    draws = short.draw_sd(rng, 200_000)
    # scaled inverse χ²: E[σ²] = s² ν / (ν − 2) > s² for few degrees of freedom
    nu = short.annual_log_change_dof
    assert np.mean(draws**2) == pytest.approx(
        short.annual_log_change_sd**2 * nu / (nu - 2), rel=0.03
    )
    rates = long.draw_surge_rate(rng, 200_000)
    assert rates.mean() == pytest.approx(long.surge_rate_per_year, abs=0.002)
    assert long.surge_rate_per_year == pytest.approx(
        (long.surge_onsets + 0.5) / (long.surge_chances + 1)
    )


def test_ar1_noise_with_one_sigma_per_path_keeps_mean_one():
    rng = np.random.default_rng(3)
    sigma = np.array([[0.05], [0.3]])
    x = np.concatenate([_ar1_lognormal(rng, (2, 600), 0.7, sigma) for _ in range(200)])
    calm, wild = x[0::2], x[1::2]
    assert calm.mean() == pytest.approx(1.0, abs=0.01) and wild.mean() == pytest.approx(
        1.0, abs=0.03
    )
    assert np.log(wild).std() == pytest.approx(6 * np.log(calm).std(), rel=0.05)


def test_case_without_history_field_uses_the_reference(demo_case_path):
    case = load_case(demo_case_path)
    assert calibration_for(case) == calibrate()


@pytest.mark.shared
def test_long_history_is_scaled_on_the_overlap_and_never_looks_ahead(shared_data):
    history = read_cbs_asylum_history_csv(
        shared_data / "cbs_83102ned_asielverzoeken_nationaliteit_1975_2018.csv"
    )
    reference_total = yearly_total_inflow()
    overlap = [y for y in range(2013, 2019)]
    ratios = reference_total[overlap] / history[overlap]
    # same definition (first + subsequent requests + nareizigers): within ±7% in every overlap year
    assert ((ratios > 0.93) & (ratios < 1.07)).all()
    cal = calibrate(history=history)
    assert cal.history_scale == pytest.approx(np.exp(np.log(ratios).mean()))
    assert cal.first_year == 1975 and {1987, 1993, 2014} <= set(cal.surge_years)
    spliced = yearly_total_inflow(history)
    assert spliced[1975] == pytest.approx(390 * cal.history_scale) and spliced[2013] == 17190
    changed = history.copy()
    changed[changed.index > 2000] *= 3.0
    assert calibrate(2000, history) == calibrate(2000, changed)
