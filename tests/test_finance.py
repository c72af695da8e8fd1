"""Money over time: yearly sums, NPV, annuities and IRR against numpy-financial; normbedrag by month; properties."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.finance.cashflow import (
    annuity_factor,
    cost_per_place_day_eur,
    days_in_months,
    discount_factors,
    equivalent_annual_eur,
    irr,
    months_in_horizon,
    municipal_net_cost_eur,
    normbedrag_per_month,
    npv,
    place_days,
    reimbursement_eur,
    sign_changes,
    yearly,
)
from onderdak.reporting.notes_text import note_text

amounts = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
rates = st.floats(min_value=0.0, max_value=0.2)


def test_yearly_sums_blocks_of_twelve_and_keeps_a_partial_year():
    monthly = np.arange(30.0).reshape(1, 30)
    out = yearly(monthly)
    assert out.shape == (1, 3)
    assert out[0].tolist() == [sum(range(12)), sum(range(12, 24)), sum(range(24, 30))]


def test_days_in_months_of_a_leap_year():
    periods = months_in_horizon("2028-01", 1)
    assert days_in_months(periods).sum() == 366
    assert days_in_months(periods)[1] == 29


def test_npv_hand_computed():
    # 100 now, 110 in a year, 121 in two years at 10%: 100 + 100 + 100
    assert npv(np.array([100.0, 110.0, 121.0]), 0.10) == pytest.approx(300.0)
    assert discount_factors(3, 0.10) == pytest.approx([1.0, 1 / 1.1, 1 / 1.21])


def test_npv_with_an_array_of_rates_broadcasts_over_paths():
    cf = np.array([[100.0, 110.0], [100.0, 120.0]])
    out = npv(cf, np.array([0.10, 0.20]))
    assert out == pytest.approx([200.0, 200.0])


@settings(max_examples=50, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=40), rates)
def test_npv_equals_numpy_financial(values, rate):
    assert npv(np.array(values), rate) == pytest.approx(npf.npv(rate, values), rel=1e-9, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(amounts, st.floats(min_value=0.001, max_value=0.2), st.integers(min_value=1, max_value=40))
def test_equivalent_annual_amount_equals_numpy_financial_pmt(pv, rate, years):
    expected = -npf.pmt(rate, years, pv, when="begin")
    assert equivalent_annual_eur(pv, rate, years) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_annuity_at_zero_rate_is_the_number_of_years():
    assert annuity_factor(0.0, 7) == pytest.approx(7.0)
    assert equivalent_annual_eur(-700.0, 0.0, 7) == pytest.approx(-100.0)


def test_irr_matches_numpy_financial_for_investments():
    rng = np.random.default_rng(3)
    cf = np.concatenate([-rng.uniform(50, 100, (200, 1)), rng.uniform(0, 20, (200, 19))], axis=1)
    ours = irr(cf)
    theirs = np.array([npf.irr(c) for c in cf])
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, theirs, atol=1e-9)
    np.testing.assert_allclose(npv(cf, ours), 0.0, atol=1e-6)


def test_irr_is_nan_where_it_does_not_exist_or_is_ambiguous():
    streams = np.array(
        [
            [-10.0, -5.0, -1.0],  # costs only: no IRR
            [-100.0, 230.0, -132.0],  # two sign changes: two roots (10% and 20%)
            [-100.0, 0.0, 121.0],  # one change: 10%
        ]
    )
    out = irr(streams)
    assert np.isnan(out[0]) and np.isnan(out[1])
    assert out[2] == pytest.approx(0.10)


def test_sign_changes_skip_zeros():
    assert sign_changes(np.array([[0.0, -1, 0, 2, 3, -1], [1, 1, 1, 1, 1, 1]])).tolist() == [2, 0]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(min_value=-1e5, max_value=1e5), min_size=2, max_size=30),
    st.integers(min_value=0, max_value=29),
    st.floats(min_value=1.0, max_value=1e5),
    rates,
)
def test_npv_falls_as_costs_rise(values, year, extra_cost, rate):
    cf = np.array(values)
    more = cf.copy()
    more[year % len(cf)] -= extra_cost
    assert npv(more, rate) < npv(cf, rate)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(min_value=0.0, max_value=1e6), min_size=2, max_size=30),
    rates,
    st.floats(min_value=0.001, max_value=0.1),
)
def test_present_value_of_a_cost_only_stream_falls_as_the_rate_rises(costs, rate, step):
    cf = np.array(costs)
    cf[-1] += 1.0  # at least one cost after year 0
    # the net present cost (a positive amount) falls; the NPV of the outflows (-cf) rises toward 0
    assert npv(cf, rate + step) < npv(cf, rate)
    assert npv(-cf, rate + step) > npv(-cf, rate)


def test_cost_per_place_day_plain_and_levelised():
    cost = np.array([[1000.0, 1000.0]])
    days = np.array([[10.0, 10.0]])
    assert cost_per_place_day_eur(cost, days)[0] == pytest.approx(100.0)
    assert cost_per_place_day_eur(cost, days, 0.05)[0] == pytest.approx(100.0)
    assert np.isnan(cost_per_place_day_eur(cost, np.zeros((1, 2)))[0])


def test_reimbursement_and_municipal_net_cost():
    occupied = np.array([[10.0, 20.0]])
    days = np.array([31.0, 28.0])
    pd_ = place_days(occupied, days)
    assert pd_.tolist() == [[310.0, 560.0]]
    income = reimbursement_eur(pd_, np.array([44.0, 44.0]))
    assert income.tolist() == [[310.0 * 44, 560.0 * 44]]
    assert municipal_net_cost_eur(np.array([20_000.0, 30_000.0]), income[0]).tolist() == [
        20_000 - 13_640,
        30_000 - 24_640,
    ]


def test_normbedrag_per_month_from_reference_with_assumption_flagged():
    periods = pd.period_range("2022-09", "2027-01", freq="M")
    n = normbedrag_per_month(periods)
    values = dict(zip(periods.strftime("%Y-%m"), n.eur_per_place_day, strict=True))
    assert values["2022-09"] == 100 and values["2022-10"] == 83 and values["2023-12"] == 83
    assert values["2024-06"] == 61 and values["2025-12"] == 44
    assert values["2026-05"] == 44 and values["2027-01"] == 44  # last known value
    assert n.assumed_years == (2026, 2027)
    (note,) = n.notes
    assert note.code == "normbedrag_carried_forward"
    assert (note.facts["first_year"], note.facts["known_year"]) == (2026, 2025)
    assert note_text(note, "nl").startswith("Aanname: het normbedrag voor 2026–2027")
    assert "€44 per place per day" in note_text(note, "en")


def test_normbedrag_from_a_given_table():
    table = pd.DataFrame({"from": ["2030-01-01"], "year": [2030], "goo_eur_per_place_day": [50.0]})
    n = normbedrag_per_month(pd.period_range("2030-01", periods=24, freq="M"), table)
    assert np.all(n.eur_per_place_day == 50.0)
    assert n.assumed_years == (2031,)
