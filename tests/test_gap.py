"""Tests of allocation (fill rules, shared locations) and the gap statistics: micro cases and properties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.portfolio.allocation import (
    SHORTFALL_THRESHOLD,
    allocate,
    fill_order,
    first_risky_month,
    gap_summary,
    gap_table,
    planned_cost_eur_per_place_day,
)
from onderdak.register.locations import Capacity, capacity, read_register

HEADER = (
    "id,name,status,kind,streams,capacity_places,occupancy_norm_share,available_from,lead_time_months,"
    "fixed_opex_eur_per_year,variable_opex_eur_per_place_day,priority\n"
)
PERIODS = pd.period_range("2026-01", periods=3, freq="M", name="period")


def register(tmp_path: Path, body: str):
    path = tmp_path / "reg.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return read_register(path)


def two_locations(tmp_path: Path):
    # A: 30 places at 10 EUR/place-day, priority 2; B: 50 places at 20 EUR/place-day, priority 1
    return register(
        tmp_path,
        "A,Goedkoop (fictief),existing,lease,ukraine,30,1,,0,0,10,2\nB,Duur (fictief),existing,lease,ukraine,50,1,,0,0,20,1\n",
    )


def test_cost_rule_fills_the_cheapest_first(tmp_path):
    reg = two_locations(tmp_path)
    cap = capacity(reg, PERIODS)
    np.testing.assert_allclose(planned_cost_eur_per_place_day(reg, cap), [10, 20])
    order = fill_order(reg, cap, "cost")
    assert [cap.ids[i] for i in order] == ["A", "B"]
    need = {"ukraine": np.array([[20.0, 60.0, 100.0]])}
    alloc = allocate(need, cap, order)
    occ = alloc.occupied("ukraine")[0]  # locations in fill order: A, B
    np.testing.assert_allclose(occ, [[20, 30, 30], [0, 30, 50]])
    np.testing.assert_allclose(alloc.shortfall["ukraine"][0], [0, 0, 20])
    np.testing.assert_allclose(alloc.empty["ukraine"][0], [60, 20, 0])
    total = alloc.occupied_total()[0]  # register order
    np.testing.assert_allclose(total, [[20, 30, 30], [0, 30, 50]])


def test_priority_rule_follows_the_register(tmp_path):
    reg = two_locations(tmp_path)
    cap = capacity(reg, PERIODS)
    order = fill_order(reg, cap, "priority")
    assert [cap.ids[i] for i in order] == ["B", "A"]
    alloc = allocate({"ukraine": np.array([[20.0, 60.0, 100.0]])}, cap, order)
    np.testing.assert_allclose(alloc.occupied("ukraine")[0], [[20, 50, 50], [0, 10, 30]])
    with pytest.raises(ValueError, match="unknown allocation rule"):
        fill_order(reg, cap, "random")


def test_shared_location_gives_status_holders_first_and_passes_on_the_rest(tmp_path):
    reg = register(
        tmp_path,
        "S,Studio's (fictief),existing,leegstandwet,ukraine;status_holders,20,1,,0,0,5,\n"
        "U,GOO (fictief),existing,lease,ukraine,10,1,,0,0,10,\n",
    )
    cap = capacity(reg, PERIODS)
    order = fill_order(reg, cap)
    need = {
        "ukraine": np.array([[5.0, 25.0, 40.0]]),
        "status_holders": np.array([[5.0, 8.0, 30.0]]),
    }
    alloc = allocate(need, cap, order)
    assert alloc.stream_order == ("status_holders", "ukraine")
    np.testing.assert_allclose(alloc.occupied("status_holders")[0, 0], [5, 8, 20])
    np.testing.assert_allclose(alloc.shortfall["status_holders"][0], [0, 0, 10])
    # ukraine fills S (cheaper) with what status holders left, then U
    np.testing.assert_allclose(alloc.occupied("ukraine")[0], [[5, 12, 0], [0, 10, 10]])
    np.testing.assert_allclose(alloc.shortfall["ukraine"][0], [0, 3, 30])
    # empty places of the shared location count for ukraine (the last stream to fill it)
    np.testing.assert_allclose(alloc.empty["ukraine"][0], [10 + 10, 0, 0])
    np.testing.assert_allclose(alloc.empty["status_holders"][0], [0, 0, 0])


def test_a_stream_without_locations_is_all_shortfall(tmp_path):
    cap = capacity(two_locations(tmp_path), PERIODS)
    alloc = allocate({"asylum": np.full((2, 3), 7.0), "ukraine": np.zeros((2, 3))}, cap)
    np.testing.assert_allclose(alloc.shortfall["asylum"], 7.0)
    assert alloc.occupied("asylum").shape == (2, 0, 3)


def test_gap_statistics_hand_computed(tmp_path):
    cap = capacity(two_locations(tmp_path), PERIODS)  # 80 places
    # 10 paths: month 1 all fine; month 2 two paths short by 10; month 3 paths short by 0..90
    need = np.zeros((10, 3))
    need[:, 0] = 50
    need[:, 1] = [80] * 8 + [90, 90]
    need[:, 2] = 80 + np.arange(10) * 10
    alloc = allocate({"ukraine": need}, cap)
    g = gap_table(alloc, {"ukraine": "places"}, portfolio="x")
    np.testing.assert_allclose(g["shortfall_probability_share"], [0.0, 0.2, 0.9])
    np.testing.assert_allclose(g["shortfall_mean"], [0, 2, 45])
    np.testing.assert_allclose(g["shortfall_p50"], [0, 0, 45])
    np.testing.assert_allclose(g["shortfall_p90"], [0, 10, 81])
    np.testing.assert_allclose(g["empty_mean"], [30, 0, 0])
    np.testing.assert_allclose(g["capacity"], 80)
    assert set(g["portfolio"]) == {"x"} and list(g["period"]) == ["2026-01", "2026-02", "2026-03"]
    s = gap_summary(alloc, {"ukraine": "places"}).iloc[0]
    assert s["first_month_risk_over_10pct"] == "2026-02"
    assert s["months_with_risk_over_10pct"] == 2
    assert s["shortfall_unit_months_mean"] == pytest.approx(47)
    assert s["empty_unit_months_mean"] == pytest.approx(30)
    assert s["need_unit_months_mean"] == pytest.approx(50 + 82 + 125)


def test_first_risky_month_is_empty_when_never_risky():
    assert first_risky_month(np.array([0.0, 0.1, 0.05]), PERIODS) == ""
    assert first_risky_month(np.array([0.0, 0.11, 0.05]), PERIODS) == "2026-02"


# -- properties ----------------------------------------------------------------------------------

STREAM_SETS = [
    ("ukraine",),
    ("asylum",),
    ("status_holders",),
    ("ukraine", "status_holders"),
    ("asylum", "ukraine"),
]


@st.composite
def portfolios(draw):
    n_loc = draw(st.integers(1, 6))
    months = draw(st.integers(1, 5))
    paths = draw(st.integers(1, 4))
    places = np.array(
        draw(
            st.lists(
                st.lists(st.floats(0, 60), min_size=months, max_size=months),
                min_size=n_loc,
                max_size=n_loc,
            )
        )
    )
    streams = tuple(draw(st.sampled_from(STREAM_SETS)) for _ in range(n_loc))
    need = {
        s: np.array(
            draw(
                st.lists(
                    st.lists(st.floats(0, 150), min_size=months, max_size=months),
                    min_size=paths,
                    max_size=paths,
                )
            )
        )
        for s in ("ukraine", "asylum", "status_holders")
    }
    order = np.array(draw(st.permutations(range(n_loc))), dtype=np.intp)
    periods = pd.period_range("2026-01", periods=months, freq="M", name="period")
    cap = Capacity(
        ids=tuple(f"L{i}" for i in range(n_loc)),
        periods=periods,
        places=places,
        nominal=places,
        opening=(periods[0],) * n_loc,
        closing=(None,) * n_loc,
        streams=streams,
        status=("existing",) * n_loc,
    )
    return cap, need, order


@settings(max_examples=50, deadline=None)
@given(portfolios())
def test_allocation_invariants(case):
    cap, need, order = case
    alloc = allocate(need, cap, order, dtype=np.float64)
    total = alloc.occupied_total()
    tol = 1e-6
    assert (total >= -tol).all()
    assert (total <= cap.places[None] + tol).all()  # occupied ≤ capacity
    for s in need:
        occ = alloc.occupied(s).sum(axis=1)
        assert (alloc.shortfall[s] >= 0).all()
        np.testing.assert_allclose(
            occ + alloc.shortfall[s], need[s], atol=tol
        )  # occupied + shortfall = need
    # every usable place is either occupied or empty (empty counted once, for one stream)
    empty = sum(alloc.empty.values())
    np.testing.assert_allclose(
        total.sum(axis=1) + empty, np.broadcast_to(cap.places.sum(axis=0), empty.shape), atol=1e-5
    )


@settings(max_examples=30, deadline=None)
@given(portfolios())
def test_no_empty_place_while_its_stream_is_short(case):
    """Greedy filling: a stream is short only when every location it may use is full."""
    cap, need, order = case
    alloc = allocate(need, cap, order, dtype=np.float64)
    for s in need:
        short = alloc.shortfall[s] >= SHORTFALL_THRESHOLD
        idx = alloc.locations[s]
        if idx.size == 0:
            continue
        free = cap.places[idx][None] - alloc.occupied_total()[:, idx, :]
        assert (free.sum(axis=1)[short] <= 1e-6).all()
