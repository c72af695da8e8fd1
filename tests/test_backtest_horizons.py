"""Multi-year backtest: hand-counted coverage on a toy history, the effective count of overlapping
windows, no look-ahead, the COA and taakstelling hooks with a stand-in forecaster, and the honest
scores on the reference and the long CBS 83102 history."""

from __future__ import annotations

import inspect
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from onderdak.backtest.chain import (
    chain_backtest,
    coa_occupancy_yearly,
    naive_forecaster,
    taakstelling_half_yearly,
)
from onderdak.backtest.horizons import (
    SURGE_HALF_LIFE_MONTHS,
    SURGE_RAMP_MONTHS,
    Target,
    calm_noise,
    effective_count,
    effective_coverage_interval,
    horizon_scores,
    inflow_backtest,
    inflow_forecaster,
    one_year_table,
    persistence_forecaster,
    rolling_forecasts,
    surge_multiplier,
)
from onderdak.backtest.one_year import coverage_interval, scores
from onderdak.inflow import noise
from onderdak.inflow.calibration import calibrate, yearly_total_inflow
from onderdak.io.opendata import read_cbs_asylum_history_csv

HISTORY_FILE = "cbs_83102ned_asielverzoeken_nationaliteit_1975_2018.csv"
TOY = pd.Series([100.0, 110.0, 90.0, 120.0], index=[2000, 2001, 2002, 2003])


def fixed_spread(observed, steps, rng, draws):
    """Every step: the last value × 101 evenly spaced factors 0.80…1.20 (p10 0.84, p90 1.16)."""
    return float(observed.iloc[-1]) * np.tile(np.linspace(0.8, 1.2, 101)[:, None], (1, steps))


def test_coverage_on_a_three_origin_toy_history_by_hand():
    table = rolling_forecasts(
        TOY, fixed_spread, (Target(1, 1), Target(2, 2), Target(1, 2)), first_origin=2000
    )
    h1 = table[table["target"] == "h1"]
    # 2000→2001: 110 in [84, 116]; 2001→2002: 90 below [92.4, 127.6] but in [89.1, 130.9];
    # 2002→2003: 120 above [75.6, 104.4] and above [72.9, 107.1]
    assert list(h1["origin"]) == [2000, 2001, 2002]
    assert list(h1["in_80"]) == [True, False, False] and list(h1["in_95"]) == [True, True, False]
    assert h1["p10"].tolist() == pytest.approx([84.0, 92.4, 75.6])
    s = horizon_scores(table).set_index("target")
    assert s.loc["h1", "coverage_80_share"] == pytest.approx(1 / 3)
    assert s.loc["h1", "coverage_95_share"] == pytest.approx(2 / 3)
    assert s.loc["h1", "below_p10_share"] == pytest.approx(1 / 3)
    assert s.loc["h1", "above_p90_share"] == pytest.approx(1 / 3)
    # persistence errors 10, 20, 30; climatology (100, 105, 100) errors 10, 15, 20
    assert s.loc["h1", "persistence_mae_persons"] == pytest.approx(20.0)
    assert s.loc["h1", "climatology_mae_persons"] == pytest.approx(15.0)
    assert s.loc["h1", "skill_persistence_share"] == pytest.approx(
        1 - h1["crps_persons"].mean() / 20.0
    )
    # two years ahead: 2000→2002 (90) and 2001→2003 (120) both inside; their windows overlap
    assert s.loc["h2", "forecasts"] == 2 and s.loc["h2", "effective_forecasts"] == 1
    assert s.loc["h2", "coverage_80_share"] == 1.0
    assert s.loc["h2", "coverage_80_ci_low_share"] == pytest.approx(0.025)  # 1 of 1
    # mean over years 1–2: 100 from 2000 and 105 from 2001
    assert table[table["target"] == "mean_1_2"]["observed_persons"].tolist() == [100.0, 105.0]


def test_effective_count_by_hand():
    assert effective_count([2016, 2017, 2018, 2019, 2020], 1) == 5
    assert effective_count([2016, 2017, 2018, 2019, 2020], 5) == 1
    assert effective_count(range(1985, 2021), 5) == 8  # ⌈36 / 5⌉
    assert effective_count([4033, 4034, 4044, 4050], 4) == 3  # gaps count


@given(st.integers(1, 40), st.data())
def test_effective_interval_is_clopper_pearson_and_contains_the_share(n, data):
    hits = data.draw(st.integers(0, n))
    low, high = effective_coverage_interval(hits / n, n)
    assert (low, high) == pytest.approx(coverage_interval(hits, n), abs=1e-9)
    assert low <= hits / n <= high
    # fewer effective forecasts: a wider interval
    low2, high2 = effective_coverage_interval(hits / n, n / 2)
    assert low2 <= low + 1e-12 and high2 >= high - 1e-12


def test_forecasters_only_see_the_past():
    seen = []

    def recording(observed, steps, rng, draws):
        seen.append((int(observed.index[-1]), int(observed.index.max())))
        return fixed_spread(observed, steps, rng, draws)

    table = rolling_forecasts(TOY, recording, (Target(1, 1),), first_origin=2000)
    assert [a for a, _ in seen] == table["origin"].tolist()
    assert all(a == b for a, b in seen)


def test_inflow_forecast_at_an_origin_does_not_depend_on_later_years():
    full = yearly_total_inflow()
    later = full.copy()
    later.loc[2019:] *= 3.0  # the future changes ...
    f = inflow_forecaster(law="simulator")
    a = f(full.loc[:2018], 5, np.random.default_rng(1), 500)
    b = f(later.loc[:2018], 5, np.random.default_rng(1), 500)
    np.testing.assert_array_equal(a, b)  # ... the forecast from 2018 does not
    assert a.shape == (500, 5) and (a > 0).all()


def test_random_walk_widens_with_the_horizon_and_the_simulator_noise_does_not():
    past = yearly_total_inflow().loc[:2019]
    ratio = {}
    for law in ("simulator", "random_walk"):
        x = inflow_forecaster(law=law)(past, 5, np.random.default_rng(2), 4000)
        lo, hi = np.quantile(x, [0.1, 0.5], axis=0)  # the lower half: calm noise, few surges
        ratio[law] = (hi[4] / lo[4]) / (hi[0] / lo[0])
    assert ratio["random_walk"] > 1.5 > ratio["simulator"]


def test_persistence_stand_in_is_mean_preserving_with_sqrt_horizon_spread():
    x = persistence_forecaster(0.2)(TOY, 4, np.random.default_rng(3), 100_000)
    assert x.mean(axis=0) == pytest.approx([120.0] * 4, rel=0.01)
    assert np.log(x).std(axis=0) == pytest.approx(0.2 * np.sqrt([1, 2, 3, 4]), rel=0.02)


def test_coa_and_taakstelling_observed_series():
    coa = coa_occupancy_yearly()
    assert coa[2021] == 36_000  # 1 January 2022 is closer to the year's end than 1 November 2021
    assert coa[2023] == 61_000 and 2020 not in coa.index  # June 2020 is too far from a year end
    t = taakstelling_half_yearly()
    assert t[2016 * 2 + 1] == 23_000 and t[2025 * 2] == 15_000 and 2024 * 2 not in t.index


def test_hooks_score_coa_and_taakstelling_with_a_stand_in_forecaster():
    targets = (Target(1, 1), Target(2, 2), Target(5, 5))
    coa = horizon_scores(
        rolling_forecasts(coa_occupancy_yearly(), persistence_forecaster(0.3), targets, draws=500)
    ).set_index("target")
    # year ends 2015–2019 and 2021–2024 (November 2024 is 46 days from the year's end)
    # h1: 2015…2018, 2021…2023; h2: 15→17, 16→18, 17→19, 19→21, 21→23, 22→24;
    # h5: 16→21, 17→22, 18→23, 19→24
    assert coa["forecasts"].to_dict() == {"h1": 7, "h2": 6, "h5": 4}
    assert coa.loc["h5", "effective_forecasts"] == 1
    half_years = (Target(1, 1), Target(2, 2))  # half a year and a year ahead
    tk = horizon_scores(
        rolling_forecasts(
            taakstelling_half_yearly(), persistence_forecaster(0.3), half_years, draws=500
        )
    ).set_index("target")
    assert tk.loc["h1", "forecasts"] == 10 and tk.loc["h2", "forecasts"] == 8


def test_inflow_backtest_on_the_reference():
    table = inflow_backtest(draws=1000)
    assert table.equals(inflow_backtest(draws=1000))
    assert (table["p10"] <= table["p50"]).all() and (table["p50"] <= table["p90"]).all()
    s = horizon_scores(table).set_index("target")
    assert s["forecasts"].to_dict() == {"h1": 9, "h2": 8, "h5": 5, "mean_1_5": 5}
    assert s["effective_forecasts"].to_dict() == {"h1": 9, "h2": 4, "h5": 1, "mean_1_5": 1}
    assert (
        (s["coverage_80_share"] <= s["coverage_95_share"]) | s["coverage_95_share"].isna()
    ).all()


@pytest.mark.shared
def test_long_history_multi_year_backtest(shared_data):
    history = read_cbs_asylum_history_csv(shared_data / HISTORY_FILE)
    s = horizon_scores(inflow_backtest(history, draws=1000)).set_index("target")
    assert s["forecasts"].to_dict() == {"h1": 40, "h2": 39, "h5": 36, "mean_1_5": 36}
    assert s["effective_forecasts"].to_dict() == {"h1": 40, "h2": 20, "h5": 8, "mean_1_5": 8}
    assert s.loc["h1", "coverage_80_ci_low_share"] < 0.8 < s.loc["h1", "coverage_80_ci_high_share"]
    assert (s["skill_climatology_share"] > 0).all()


def test_naive_forecaster_estimates_its_step_sd_from_the_past_only():
    # one-step log changes ±log 2 on consecutive steps; the jump over the gap 2003→2005 is left out
    past = pd.Series([100.0, 200.0, 100.0, 200.0, 5000.0], index=[2000, 2001, 2002, 2003, 2005])
    x = naive_forecaster(prior_sd=0.25, prior_dof=2)(past, 2, np.random.default_rng(4), 1000)
    # posterior: 2 prior changes at 0.25 and 3 observed at log 2, so 5 dof
    scale = np.sqrt((2 * 0.25**2 + 3 * np.log(2) ** 2) / 5)
    rng = np.random.default_rng(4)
    sd = (scale * np.sqrt(5 / rng.chisquare(5, 1000)))[:, None]
    steps = rng.normal(-0.5 * sd**2, sd, (1000, 2))
    np.testing.assert_allclose(x, 5000 * np.exp(np.cumsum(steps, axis=1)))


def test_chain_backtest_takes_the_chain_forecasters_when_given():
    s = chain_backtest({"taakstelling": persistence_forecaster(0.3)}, draws=300)
    assert set(s["series"]) == {"coa_occupancy", "taakstelling"}
    assert (s.loc[s["series"] == "taakstelling", "forecaster"] == "given").all()
    assert (s.loc[s["series"] == "coa_occupancy", "forecaster"] == "naive").all()
    tk = s[s["series"] == "taakstelling"].set_index("horizon_years")
    assert list(tk.index) == [0.5, 1.0, 2.0, 5.0] and tk.loc[0.5, "forecasts"] == 10


def test_a_candidate_calibration_can_be_backtested_without_surges():
    past = yearly_total_inflow().loc[:2019]
    calm = inflow_forecaster(law="random_walk", adjust=lambda c: replace(c, surge_onsets=0))
    with_surges = inflow_forecaster(law="random_walk")
    a = calm(past, 2, np.random.default_rng(5), 4000)
    b = with_surges(past, 2, np.random.default_rng(5), 4000)
    assert np.quantile(a[:, 1], 0.9) < np.quantile(b[:, 1], 0.9)  # the surge tail is gone


def test_calm_noise_has_the_calibrated_annual_volatility_and_mean_one():
    cal = calibrate()
    sigma = np.full(4000, cal.sigma_monthly * cal.total_log_change_sd / cal.annual_log_change_sd)
    x = calm_noise(np.random.default_rng(6), 4000, 60, cal.phi_monthly, sigma)
    assert x.mean() == pytest.approx(1.0, abs=0.01)
    yearly = x.reshape(4000, 5, 12).sum(axis=2)
    assert np.diff(np.log(yearly), axis=1).std() == pytest.approx(cal.total_log_change_sd, rel=0.05)


def test_surges_follow_the_simulations_law():
    assert inspect.signature(noise.surge_multiplier).parameters["ramp"].default == SURGE_RAMP_MONTHS
    half_life = inspect.signature(noise.surge_multiplier).parameters["half_life"].default
    assert half_life == SURGE_HALF_LIFE_MONTHS
    cal = replace(calibrate(), surge_log_size_sd=0.0)  # every surge has the median size
    m = surge_multiplier(np.random.default_rng(7), 20_000, 24, cal)
    rate = np.random.default_rng(8).beta(
        cal.surge_onsets + 0.5, cal.surge_chances - cal.surge_onsets + 0.5, 200_000
    )
    any_onset = np.mean(1 - (1 - rate / 12) ** 12)
    # any onset in the first year still raises month 12 (FFT round-off aside)
    assert np.mean(m[:, 11] > 1 + 1e-9) == pytest.approx(any_onset, rel=0.05)
    first = np.exp(cal.surge_log_size_mean) - 1
    assert m[:, 0].max() == pytest.approx(1 + first / SURGE_RAMP_MONTHS)  # one month of ramp


def test_one_year_view_feeds_the_one_year_scores():
    table = rolling_forecasts(TOY, fixed_spread, (Target(1, 1), Target(2, 2)), first_origin=2000)
    view = one_year_table(table)
    assert view["target_year"].tolist() == [2001, 2002, 2003]
    s = scores(view)
    assert s["forecasts"] == 3 and s["coverage_80_share"] == pytest.approx(1 / 3)
    assert s["naive_mae_persons"] == pytest.approx(20.0)  # persistence errors 10, 20, 30


def test_normalised_surges_keep_the_mean_at_the_level_as_the_simulation_does():
    past = yearly_total_inflow().loc[:2019]
    level = float(past.iloc[-1])
    x = inflow_forecaster(law="random_walk")(past, 3, np.random.default_rng(9), 40_000)
    assert x.mean(axis=0) / level == pytest.approx([1.0, 1.0, 1.0], rel=0.03)
    y = inflow_forecaster(law="random_walk", normalise_surges=False)(
        past, 3, np.random.default_rng(9), 40_000
    )
    assert (y.mean(axis=0) / level > 1.05).all()  # surges that add raise the mean
