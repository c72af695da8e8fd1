"""The tail against history and the MPP comparison at the same origin and horizon, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from onderdak.backtest.mpp import mpp_hit_rates, mpp_like_for_like
from onderdak.backtest.tail import ensemble_yearly_total, rolling_means, tail_against_history
from onderdak.core.ensemble import Ensemble


def test_tail_counts_history_above_each_percentile_by_hand():
    yearly = np.tile(np.arange(1.0, 101.0)[:, None], (1, 2))  # 100 paths, 2 years, path i at i
    history = pd.Series([50.0, 95.0, 99.0, 100.0, 10.0], index=range(2000, 2005))
    t = tail_against_history(yearly, history, percentiles=(50, 90), window=2).set_index(
        ["quantity", "percentile"]
    )
    # a year's total: 1..100 twice, p50 = 50.5, p90 = 90.1
    assert t.loc[("year", 90), "ensemble_persons"] == pytest.approx(90.1)
    assert t.loc[("year", 90), "history_above"] == 3  # 95, 99, 100
    assert t.loc[("year", 50), "history_above"] == 3
    assert t.loc[("year", 90), "expected_share"] == pytest.approx(0.1)
    # two-year means of history: 72.5, 97, 99.5, 55; the ensemble's means are 1..100
    assert t.loc[("mean", 90), "history_above"] == 2 and t.loc[("mean", 90), "history_count"] == 4
    assert t.loc[("mean", 90), "effective_count"] == 2
    assert t.loc[("mean", 90), "history_max_persons"] == 99.5
    assert t.loc[("mean", 90), "ensemble_above_history_max_share"] == pytest.approx(0.01)  # 100
    assert t.loc[("year", 90), "ensemble_above_history_max_share"] == 0.0
    # 3 of 5 years above the p90: Clopper–Pearson 15–95%, above 10%: the ensemble's tail is lighter
    assert t.loc[("year", 90), "history_above_ci_low_share"] == pytest.approx(0.1466, abs=1e-4)
    assert t.loc[("year", 90), "verdict"] == "lighter"


def test_rolling_means_skip_windows_with_a_gap():
    s = pd.Series([1.0, 2.0, 4.0, 8.0], index=[2000, 2001, 2003, 2004])
    assert rolling_means(s, 2).to_dict() == {2001: 1.5, 2004: 6.0}


def test_ensemble_yearly_total_sums_twelve_month_blocks_from_the_start():
    periods = pd.period_range("2026-12", "2029-01", freq="M", name="period")  # 26 months
    first = np.ones((2, 26))
    nareis = np.full((2, 26), 0.5)
    ens = Ensemble(
        "s",
        "midden",
        periods,
        {"first_applications_persons": first, "nareizigers_persons": nareis},
        1,
    )
    starts, yearly, parts = ensemble_yearly_total(ens)
    assert [str(p) for p in starts] == ["2026-12", "2027-12"]
    assert yearly.tolist() == [[18.0, 18.0], [18.0, 18.0]]  # the last two months are no full year
    assert parts == ("first_applications_persons", "nareizigers_persons")


def test_mpp_is_compared_at_the_same_origin_and_horizon():
    t = mpp_like_for_like(draws=500)
    autumn = t[(t["forecast"] == "MPP autumn 2022") & (t["for_year"] == 2023)].iloc[0]
    # published in 2022: the model stands on 2021, two years before 2023
    assert autumn["origin_year"] == 2021 and autumn["horizon_years"] == 2
    assert autumn["mpp_hit"] == False  # noqa: E712 - 50,600 above the 42,000 max
    assert pd.isna(t[t["forecast"] == "IND spring 2018"].iloc[0]["mpp_hit"])  # a point, no range
    sep = t[(t["forecast"] == "MPP Sep 2025") & (t["for_year"] == 2025)].iloc[0]
    assert sep["outcome_source"] == "reference" and sep["outcome_persons"] == 40_000
    assert (t["horizon_years"] >= 1).all()
    r = mpp_hit_rates(t)
    assert r["rows"] == 9 and r["mpp_hits"] == 6 and r["outcome_years"] == 4
    same = mpp_like_for_like(origin_rule="same", draws=500)
    assert (same["origin_year"] == same["published"].str[:4].astype(int)).all()
    assert len(same) == 6  # rows for the publication year itself need an origin before it
