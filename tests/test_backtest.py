"""Backtest: CRPS against the closed form for a normal law, hand-checked coverage and interval scores,
no look-ahead, and the honest scores on the reference and on the long CBS 83102 history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from onderdak.backtest.one_year import (
    coverage_interval,
    crps_ensemble,
    forecast_draws,
    interval_score,
    mpp_comparison,
    pit_histogram,
    rolling_origin,
    scores,
    surge_first_year_share,
)
from onderdak.io.opendata import read_cbs_asylum_history_csv

HISTORY_FILE = "cbs_83102ned_asielverzoeken_nationaliteit_1975_2018.csv"


def test_crps_of_a_large_normal_sample_matches_the_closed_form():
    rng = np.random.default_rng(1)
    mu, sigma, y = 100.0, 15.0, 120.0
    z = (y - mu) / sigma
    exact = sigma * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi))
    assert crps_ensemble(rng.normal(mu, sigma, 200_000), y) == pytest.approx(exact, rel=0.01)


def test_crps_of_a_point_forecast_is_the_absolute_error():
    assert crps_ensemble(np.full(10, 5.0), 8.0) == pytest.approx(3.0)


def test_rolling_origin_is_reproducible_and_scores_are_consistent():
    a, b = rolling_origin(seed=3), rolling_origin(seed=3)
    assert a.equals(b)
    assert (a["target_year"] == a["origin_year"] + 1).all()
    assert (a["p10"] <= a["p50"]).all() and (a["p50"] <= a["p90"]).all()
    s = scores(a)
    assert s["forecasts"] == len(a) >= 8
    assert 0 <= s["coverage_80_share"] <= s["coverage_95_share"] <= 1
    assert s["skill_share"] == pytest.approx(
        1 - a["crps_persons"].mean() / a["naive_abs_error_persons"].mean()
    )


def test_mpp_table_marks_the_published_misses():
    table = mpp_comparison(rolling_origin())
    autumn_2022 = table[
        (table["forecast"] == "MPP autumn 2022") & (table["for_year"] == 2023)
    ].iloc[0]
    assert autumn_2022["mpp_hit"] is False or autumn_2022["mpp_hit"] == False  # noqa: E712 - 50,600 above the 42,000 max
    assert pd.isna(table[table["forecast"] == "IND spring 2018"].iloc[0]["mpp_hit"])  # no range


def hand_table(in_80, in_95):
    n = len(in_80)
    return pd.DataFrame(
        {
            "in_80": in_80,
            "in_95": in_95,
            "interval_score_80_persons": np.arange(n, dtype=float),
            "interval_score_95_persons": np.full(n, 10.0),
            "crps_persons": np.full(n, 3.0),
            "naive_abs_error_persons": np.full(n, 4.0),
            "pit_share": np.linspace(0.05, 0.95, n),
        }
    )


def test_coverage_and_its_binomial_uncertainty_by_hand():
    s = scores(hand_table([True] * 8 + [False] * 2, [True] * 10))
    assert s["forecasts"] == 10 and s["coverage_80_share"] == 0.8 and s["coverage_95_share"] == 1.0
    # 8 of 10 is the most likely count under a true 80%: nothing to reject
    assert s["coverage_80_p_value"] == pytest.approx(1.0)
    # Clopper–Pearson for 10 of 10: lower bound (α/2)^(1/n) = 0.025^(1/10)
    assert (
        s["coverage_95_ci_low_share"]
        == pytest.approx(0.025 ** (1 / 10))
        == pytest.approx(0.6915, abs=1e-4)
    )
    assert s["coverage_95_ci_high_share"] == 1.0
    # 9 of 9 inside an 80% interval happens with probability 0.8^9 = 13% when calibrated
    low, high = coverage_interval(9, 9)
    assert low == pytest.approx(0.025 ** (1 / 9)) and high == 1.0
    p = stats.binom.pmf(np.arange(10), 9, 0.8)
    assert scores(hand_table([True] * 9, [True] * 9))["coverage_80_p_value"] == pytest.approx(
        p[p <= p[9] * (1 + 1e-7)].sum()
    )
    assert s["interval_score_80_persons"] == pytest.approx(4.5) and s[
        "skill_share"
    ] == pytest.approx(0.25)


def test_interval_score_by_hand():
    assert interval_score(10, 20, 15, 0.8) == 10  # inside: the width
    assert interval_score(10, 20, 25, 0.8) == pytest.approx(10 + 2 / 0.2 * 5)  # 5 above: +50
    assert interval_score(10, 20, 8, 0.95) == pytest.approx(10 + 2 / 0.05 * 2)  # 2 below: +80


def test_pit_histogram_counts_every_forecast():
    h = pit_histogram(hand_table([True] * 10, [True] * 10))
    assert h.sum() == 10 and list(h) == [2, 2, 2, 2, 2]


def test_surge_first_year_is_the_simulations_profile_averaged_over_the_year():
    share = surge_first_year_share()
    # onset in January: ramp 1/6..6/6 then halving every 12 months, averaged over 12 months
    kernel = [(k + 1) / 6 for k in range(6)] + [0.5 ** ((k - 5) / 12) for k in range(6, 12)]
    assert share[0] == pytest.approx(np.mean(kernel))
    assert share[11] == pytest.approx(1 / 6 / 12)  # December onset: one month at 1/6
    assert (np.diff(share) < 0).all()


def test_forecast_is_centred_near_the_last_year():
    rng = np.random.default_rng(0)
    x = forecast_draws(30_000.0, 2019, rng, draws=100_000)
    assert 0.4 < np.mean(x <= 30_000) < 0.5  # surges only add: the median sits just above
    assert np.quantile(x, 0.9) / np.quantile(x, 0.1) < 3  # one year ahead, not a decade


def test_backtest_on_the_reference_beats_the_naive_forecast():
    s = scores(rolling_origin())
    assert s["forecasts"] == 9
    assert s["skill_share"] > 0  # was −0.32 with the surge's full size in its first year
    assert s["coverage_80_p_value"] > 0.05 and s["coverage_95_p_value"] > 0.05


@pytest.mark.shared
def test_long_history_backtest_is_calibrated_within_its_uncertainty(shared_data):
    history = read_cbs_asylum_history_csv(shared_data / HISTORY_FILE)
    short = scores(rolling_origin(history=history))
    assert short["forecasts"] == 9 and short["skill_share"] > 0
    table = rolling_origin(history=history, first_origin=1985)
    s = scores(table)
    assert s["forecasts"] == 40 and table["target_year"].min() == 1986
    assert s["coverage_80_ci_low_share"] < 0.8 < s["coverage_80_ci_high_share"]
    assert s["coverage_80_p_value"] > 0.05 and s["skill_share"] > 0.1
    assert pit_histogram(table).min() >= 3  # no empty PIT bin: neither far too wide nor too narrow
