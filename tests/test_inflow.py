"""National drivers: stock-flow mass balance, the taakstelling window, seeds, scenarios and calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from onderdak.case.settings import load_case, load_case_file
from onderdak.inflow.drivers import (
    calibrate,
    calibration_for,
    seasonality,
    simulate_inflow,
    surge_episodes,
    yearly_total_inflow,
)
from onderdak.inflow.noise import ar1_lognormal
from onderdak.inflow.scenarios import scenario_book
from onderdak.inflow.taakstelling import half_year_label, national_taakstelling
from onderdak.io.opendata import read_cbs_asylum_history_csv


def test_demo_coa_stock_holds_the_official_2027_need_and_the_backlog_persists(demo_case_path):
    # cross-check against published figures: 88,000 places needed for the 2027 cycle (TK 2026D05614)
    # and an IND backlog of about 50,000 that is growing (IND, 2026-01)
    case = load_case(demo_case_path).with_updates(start="2026-01")
    e = simulate_inflow(case, paths=400, seed=3)
    jan_2027 = list(case.periods.strftime("%Y-%m")).index("2027-01")
    required = np.median(e["coa_required_places"][:, jan_2027])
    assert 0.9 * 88_000 < required < 1.15 * 88_000
    pending = np.median(e["asylum_pending_persons"], axis=0)
    assert 45_000 < pending[0] < 56_000
    assert pending[12] > pending[0]  # decisions at capacity: the backlog does not melt away
    # the stock does not fall back after 2028 for lack of a reason
    occupancy = np.median(e["coa_occupancy_persons"], axis=0)
    assert occupancy[60] > 0.9 * occupancy[12]


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
    sigma = np.array([[0.05, 0.3]])  # (months, paths) layout: one sigma per path
    x = np.concatenate([ar1_lognormal(rng, (600, 2), 0.7, sigma).T for _ in range(200)])
    calm, wild = x[0::2], x[1::2]
    assert calm.mean() == pytest.approx(1.0, abs=0.01) and wild.mean() == pytest.approx(
        1.0, abs=0.03
    )
    assert np.log(wild).std() == pytest.approx(6 * np.log(calm).std(), rel=0.05)


def test_case_without_history_field_uses_the_long_history_stored_in_reference(demo_case_path):
    case = load_case(demo_case_path)
    cal = calibration_for(case)
    assert cal.first_year == 1975 and cal.surge_chances > 40
    short = calibration_for(
        case.model_copy(
            update={"inflow": case.inflow.model_copy(update={"calibration_history": "reference"})}
        )
    )
    assert short == calibrate()


def test_noise_started_from_a_known_month_is_zero_before_and_keeps_mean_one_after():
    rng = np.random.default_rng(5)
    x = ar1_lognormal(rng, (48, 20_000), 0.8, 0.2, start=12)
    np.testing.assert_array_equal(x[:12], 1.0)
    assert np.abs(np.log(x[12])).mean() < np.abs(np.log(x[40])).mean()  # the fan opens
    assert x[12:].mean(axis=1) == pytest.approx(np.ones(36), abs=0.01)


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


def test_midden_tail_is_defensible_against_fifty_years_of_history(demo_case_path):
    # the bound: the highest 10-year mean of total inflow since 1975 plus the MPP's own spread
    # (half the width of the latest MPP range for the next year)
    from onderdak.inflow.calibration import _cbs_83102_history
    from onderdak.io.reference import table

    history = yearly_total_inflow(_cbs_83102_history())
    highest_10y = history.rolling(10).mean().max()
    assert 38_000 < highest_10y < 39_000  # 2015–2024, facts §7.5
    mpp = table("mpp_ranges").dropna(subset=["low_persons", "high_persons"]).iloc[-1]
    bound = highest_10y + (mpp["high_persons"] - mpp["low_persons"]) / 2
    case = load_case(demo_case_path).with_updates(start="2026-01", paths=2000)
    e = simulate_inflow(case)
    total = (
        e["first_applications_persons"]
        + e["repeat_applications_persons"]
        + e["nareizigers_persons"]
    )
    ten_year_mean = total[:, :120].sum(axis=1) / 10
    assert np.quantile(ten_year_mean, 0.9) <= bound
    # the 2015-like shock is a named stress scenario and the only one with a built-in surge
    book = scenario_book()["scenarios"]
    assert book["nieuwe_crisis"].get("stress") and book["nieuwe_crisis"]["label"].startswith(
        "stress"
    )
    assert [k for k, v in book.items() if "surge" in v] == ["nieuwe_crisis"]
    assert not book["nieuwe_crisis"]["random_surges"] and not book["hoog"]["random_surges"]
