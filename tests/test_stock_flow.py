"""The monthly asylum and GOO stock-flow: mass balance with record corrections, Little's law, capacity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from onderdak.inflow.stock_flow import ChainInputs, run_chain

INIT = {
    "asylum_pending_persons": 1000.0,
    "rejected_in_coa_persons": 200.0,
    "status_holders_in_coa_persons": 300.0,
    "ukraine_goo_persons": 500.0,
}


def chain(months: int, paths: int, **over) -> dict[str, np.ndarray]:
    """The chain with simple constant inputs, overridden by keyword; arrays (months, paths)."""
    base = dict(
        applications=1000.0,
        nareizigers=0.0,
        decision_time=8.0,
        ind_capacity=1e12,
        grant=0.7,
        supply=2500.0,
        wait_months=np.full((1, paths), 7.5),
        ua_arrivals=0.0,
        ua_exit=0.0,
        ua_leave_share=np.zeros(paths),
        ua_move_on_share=np.zeros(paths),
        ua_transition_months=np.full(paths, 6.0),
        ua_to_asylum_share=0.0,
        tpd_end=None,
        departure_months=6.0,
        capacity_adjustment_months=12.0,
        occupancy_norm=0.91,
        init=INIT,
        resets={},
    )
    base.update(over)
    return run_chain(ChainInputs(**base), months, paths)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, (24, 3), elements=st.floats(0, 5000)),
    st.floats(1, 24),
    st.floats(0.1, 0.95),
    st.floats(0, 3000),
    st.floats(10, 1e5),
    st.floats(0, 0.5),
    st.floats(0, 0.5),
    st.integers(0, 23),
    st.floats(0.5, 24),
    st.floats(1, 36),
    st.lists(st.tuples(st.integers(1, 23), st.floats(0, 1e5)), max_size=3),
)
def test_every_stock_balances_its_flows_and_record_corrections(
    apps, decision_time, grant, supply, capacity, leave, move, tpd_end, wait, adjust, resets
):
    months, paths = apps.shape
    reset = {k: np.full(months, np.nan) for k in ("coa_occupancy_persons", "ukraine_goo_persons")}
    reset["status_holders_in_coa_persons"] = np.full(months, np.nan)
    for i, (t, v) in enumerate(resets):
        key = list(reset)[i % 3]
        reset[key][t] = v
    out = chain(
        months,
        paths,
        applications=apps,
        nareizigers=10.0,
        decision_time=decision_time,
        ind_capacity=capacity,
        grant=grant,
        supply=supply,
        ua_arrivals=20.0,
        ua_exit=0.02,
        ua_leave_share=np.full(paths, leave),
        ua_move_on_share=np.full(paths, move),
        ua_transition_months=np.array([3.0, 12.0, 1.0]),
        ua_to_asylum_share=0.1,
        tpd_end=tpd_end,
        wait_months=np.array([[wait, 2 * wait, wait]]),
        capacity_adjustment_months=adjust,
        resets=reset,
    )
    d = lambda k: np.diff(out[k], axis=1)  # noqa: E731
    f = lambda k: out[k][:, :-1]  # noqa: E731
    nxt = lambda k: out[k][:, 1:]  # noqa: E731
    coa = (
        d("asylum_pending_persons")
        + d("rejected_in_coa_persons")
        + d("status_holders_in_coa_persons")
    )
    np.testing.assert_allclose(
        coa,
        f("applications_persons")
        + f("nareizigers_to_coa_persons")
        - f("rejected_departures_persons")
        - f("housed_from_coa_persons")
        + nxt("record_correction_coa_persons"),
        atol=1e-6 * (1 + np.abs(coa).max()),
    )
    np.testing.assert_allclose(
        d("ukraine_goo_persons"),
        f("ukraine_arrivals_persons")
        - f("ukraine_exits_persons")
        - f("ukraine_leave_persons")
        - f("ukraine_to_housing_persons")
        + nxt("record_correction_goo_persons"),
        atol=1e-6 * (1 + np.abs(out["ukraine_goo_persons"]).max()),
    )
    for k in (
        "asylum_pending_persons",
        "rejected_in_coa_persons",
        "status_holders_in_coa_persons",
        "ukraine_goo_persons",
    ):
        assert (out[k] >= -1e-9).all(), k
    assert (out["decisions_persons"] <= capacity * (1 + 1e-12)).all()
    assert (out["housed_from_coa_persons"] <= out["housing_supply_persons"] + 1e-9).all()
    np.testing.assert_allclose(out["coa_required_places"] * 0.91, out["coa_occupancy_persons"])
    # a published stock is reproduced exactly in its month
    for key, values in reset.items():
        for t in np.flatnonzero(np.isfinite(values)):
            if key == "coa_occupancy_persons":
                assert out[key][:, t] == pytest.approx(
                    np.maximum(values[t], out["status_holders_in_coa_persons"][:, t])
                )
            else:
                assert out[key][:, t] == pytest.approx(values[t])


@pytest.mark.parametrize("first_per_month", [1000.0, 6500.0, 20000.0])
def test_constant_inflow_stock_converges_to_inflow_times_mean_stay(first_per_month):
    # Little's law per stage, by hand: pending = F × 8, rejected = F × 0.3 × 6, status holders
    # = F × 0.7 × 7.5 (at 20,000 a month the permits are 5.6 × the base housing supply of 2,500)
    out = chain(360, 1, applications=first_per_month)
    f = first_per_month
    assert out["asylum_pending_persons"][0, -1] == pytest.approx(f * 8, rel=0.01)
    assert out["rejected_in_coa_persons"][0, -1] == pytest.approx(f * 0.3 * 6, rel=0.01)
    assert out["status_holders_in_coa_persons"][0, -1] == pytest.approx(f * 0.7 * 7.5, rel=0.01)
    last = out["coa_occupancy_persons"][0, -60:]
    assert last.max() - last.min() < 0.01 * f * (8 + 0.3 * 6 + 0.7 * 7.5)


def test_ind_capacity_makes_the_backlog_grow_by_the_excess_and_decides_at_capacity():
    # 3,000 applications a month against 2,000 decisions: the backlog grows 1,000 a month, by hand
    out = chain(
        48,
        1,
        applications=3000.0,
        ind_capacity=2000.0,
        decision_time=1.0,
        init={**INIT, "asylum_pending_persons": 50_000.0},
    )
    pending = out["asylum_pending_persons"][0]
    np.testing.assert_allclose(np.diff(pending), 1000.0)
    np.testing.assert_allclose(out["decisions_persons"][0], 2000.0)
    np.testing.assert_allclose(out["permits_persons"][0], 1400.0)
    # with capacity to spare the backlog drains to applications × decision time
    spare = chain(
        240,
        1,
        applications=3000.0,
        ind_capacity=4000.0,
        decision_time=6.0,
        init={**INIT, "asylum_pending_persons": 50_000.0},
    )
    assert spare["asylum_pending_persons"][0, -1] == pytest.approx(3000 * 6, rel=0.01)


def test_housing_capacity_lags_a_step_in_permits_but_does_not_stall():
    base = 2500 / 0.7  # start in the 2,500-a-month steady state, then permits jump ×4 for good
    out = chain(
        240,
        1,
        applications=4 * base,
        init={
            "asylum_pending_persons": base * 8,
            "rejected_in_coa_persons": base * 0.3 * 6,
            "status_holders_in_coa_persons": 2500 * 7.5,
            "ukraine_goo_persons": 0.0,
        },
    )
    waiting = out["status_holders_in_coa_persons"][0]
    steady = 4 * 2500 * 7.5
    housed, capacity = out["housed_from_coa_persons"][0], out["housing_supply_persons"][0]
    assert (housed[12:24] < waiting[12:24] / 7.5 - 1).all()
    assert capacity[6] < capacity[24] < capacity[60]
    assert waiting.max() < 1.6 * steady
    assert waiting[-1] == pytest.approx(steady, rel=0.01)


def test_ukrainians_leave_and_move_on_evenly_over_the_transition_by_hand():
    # 1,200 in GOO at the end of protection (month 2); 25% leave and 50% move on over 6 months
    out = chain(
        12,
        1,
        init={**INIT, "ukraine_goo_persons": 1200.0},
        ua_leave_share=np.array([0.25]),
        ua_move_on_share=np.array([0.5]),
        ua_transition_months=np.array([6.0]),
        tpd_end=2,
        ua_to_asylum_share=0.2,
    )
    np.testing.assert_allclose(out["ukraine_leave_persons"][0], [0, 0] + [50.0] * 6 + [0] * 4)
    np.testing.assert_allclose(out["ukraine_to_housing_persons"][0], [0, 0] + [100.0] * 6 + [0] * 4)
    np.testing.assert_allclose(out["ukraine_goo_persons"][0, -1], 300.0)  # the 25% who stay
    np.testing.assert_allclose(out["ukraine_to_asylum_persons"][0, 2:8], 10.0)
