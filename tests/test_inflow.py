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
    _stock_flow,
    calibrate,
    half_year_label,
    national_taakstelling,
    seasonality,
    simulate_inflow,
)

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
)
def test_every_stock_balances_its_flows(first, decision_time, grant, supply, ret_share, tpd_end):
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
