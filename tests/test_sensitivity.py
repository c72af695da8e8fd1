"""Sensitivity: the tornado moves E[NPV] as computed by hand; break-even normbedrag and occupancy solved exactly."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.business_case.alternatives import Alternative, BusinessCaseInputs, Evaluator
from onderdak.business_case.sensitivity import (
    OccupancyCurve,
    TornadoRanges,
    break_even_income_factor,
    break_even_occupancy_factors,
    cost_covering_income_factor,
    tornado,
)
from onderdak.finance.cashflow import npv
from onderdak.finance.reuse import ReuseSpec

PERIODS = pd.period_range("2026-01", periods=36, freq="M")
DAYS = np.array([365.0, 365.0, 366.0])


def _inputs(need: float = 10.0, income: float = 40.0, **kw) -> BusinessCaseInputs:
    rng = np.random.default_rng(0)
    arr = (
        np.clip(need + rng.normal(0, 1, (50, 36)), 0, 10)
        if need != 10.0
        else np.full((50, 36), 10.0)
    )
    base = dict(
        need_places=arr,
        periods=PERIODS,
        income_eur_per_place_day=np.full(36, income),
        discount_rate_share=0.05,
        recourse_eur_per_place_day=100.0,
        target_places=10.0,
    )
    return BusinessCaseInputs(**{**base, **kw})


BUY = Alternative(
    "buy",
    "buy",
    "buy_convert",
    10.0,
    capex_eur=500_000.0,
    fixed_opex_eur_per_year=50_000.0,
    residual_value_eur=300_000.0,
    plan="rule",
    rule_months=6,
    reuse=ReuseSpec("sale", one_off_value_eur=400_000.0),
)


def test_tornado_rows_by_hand():
    inputs = _inputs()
    t = tornado(
        inputs,
        BUY,
        purchase_price_eur=400_000.0,
        conversion_capex_eur=100_000.0,
        ranges=TornadoRanges(0.2, 0.01, 3),
    ).set_index("parameter")
    # capex is paid in year 0 (not discounted): ±20% of the purchase price moves E[NPV] by ∓80,000
    assert t.loc["purchase_price", "npv_base_eur"] - t.loc[
        "purchase_price", "npv_high_eur"
    ] == pytest.approx(80_000)
    assert t.loc["purchase_price", "swing_eur"] == pytest.approx(160_000)
    assert t.loc["conversion_cost", "swing_eur"] == pytest.approx(40_000)
    # the normbedrag moves E[NPV] by ±20% of the present value of the income
    income = npv(40.0 * 10 * DAYS, 0.05)
    assert t.loc["normbedrag", "npv_high_eur"] - t.loc[
        "normbedrag", "npv_base_eur"
    ] == pytest.approx(0.2 * income)
    assert set(t.index) == {
        "purchase_price",
        "conversion_cost",
        "normbedrag",
        "occupancy",
        "discount_rate",
        "reuse_value",
        "timing",
        "decision_rule_months",
    }
    assert list(t["swing_eur"]) == sorted(t["swing_eur"], reverse=True)


def test_cost_covering_normbedrag_makes_the_npv_zero():
    inputs = _inputs()
    r = Evaluator(inputs).evaluate(replace(BUY, plan="none"))
    s = cost_covering_income_factor(r)
    again = Evaluator(inputs.scaled(income_factor=s)).evaluate(replace(BUY, plan="none"))
    assert again.npv_eur.mean() == pytest.approx(0.0, abs=1e-6)


def test_cost_covering_normbedrag_leaves_the_shortfall_elsewhere_out():
    """Opening after 12 months: the hotel bill of the first year is not the building's to cover."""
    inputs = _inputs(recourse_reimbursed=False)
    alt = replace(BUY, plan="none", lead_time_months=12)
    r = Evaluator(inputs).evaluate(alt)
    assert r.component_npv_eur["recourse"].mean() < 0
    s = cost_covering_income_factor(r)
    again = Evaluator(inputs.scaled(income_factor=s)).evaluate(alt)
    own = again.npv_eur.mean() - again.component_npv_eur["recourse"].mean()
    assert own == pytest.approx(0.0, abs=1e-6)


def test_break_even_normbedrag_when_income_differs():
    # recourse not reimbursed: a 5-place building earns income on fewer place-days than a 10-place one
    inputs = _inputs(recourse_reimbursed=False)
    ev = Evaluator(inputs)
    big = ev.evaluate(Alternative("big", "big", "custom", 10.0, fixed_opex_eur_per_year=300_000.0))
    small = ev.evaluate(
        Alternative("small", "small", "custom", 5.0, fixed_opex_eur_per_year=100_000.0)
    )
    s = break_even_income_factor(big, small)
    assert np.isfinite(s)
    after = [
        Evaluator(inputs.scaled(income_factor=s)).evaluate(a.alternative).npv_eur.mean()
        for a in (big, small)
    ]
    assert after[0] == pytest.approx(after[1], rel=1e-9)
    # with the same reimbursed place-days the normbedrag moves both alike: no break-even
    reimbursed = Evaluator(_inputs(recourse_reimbursed=True))
    a = reimbursed.evaluate(big.alternative)
    b = reimbursed.evaluate(small.alternative)
    assert np.isnan(break_even_income_factor(a, b))


def test_break_even_occupancy_of_a_fixed_cost_building_against_a_hotel():
    """Building: €200,000 a year whatever the need; hotel: €100 per place-day. Equal where
    200,000 · Σ df = 100 · 10 · f · Σ days · df."""
    inputs = _inputs(income=0.0)
    building = Alternative("b", "b", "custom", 10.0, fixed_opex_eur_per_year=200_000.0)
    hotel = Alternative("h", "h", "hotel", 10.0, variable_opex_eur_per_place_day=100.0)
    df = 1.05 ** -np.arange(3.0)
    expected = 200_000 * df.sum() / (100 * 10 * (DAYS * df).sum())
    got = break_even_occupancy_factors(inputs, building, [hotel])["h"]
    assert got == pytest.approx(expected, abs=2e-3)


def test_no_break_even_occupancy_when_one_alternative_is_always_better():
    inputs = _inputs(income=0.0)
    cheap = Alternative("c", "c", "custom", 10.0, fixed_opex_eur_per_year=1.0)
    dear = Alternative("d", "d", "custom", 10.0, fixed_opex_eur_per_year=1e6)
    assert np.isnan(break_even_occupancy_factors(inputs, cheap, [dear])["d"])


@settings(max_examples=30, deadline=None)
@given(
    st.floats(0.05, 2.0),
    st.booleans(),
    st.sampled_from(["rule", "fixed", "none"]),
    st.integers(0, 2**31 - 1),
)
def test_occupancy_curve_equals_a_re_evaluation_of_the_scaled_need(factor, reimbursed, plan, seed):
    """The exact curve gives the E[NPV] a full evaluation on need × factor gives (switches do not move)."""
    rng = np.random.default_rng(seed)
    need = np.clip(rng.normal(6, 4, (40, 36)), 0, 10)
    share = rng.uniform(
        0, 1, (40, 36)
    )  # a location serving GOO and asylum: part of a shortfall is COA's
    income = np.where(rng.uniform(size=(40, 36)) < 0.5, 44.0, 6.5)
    inputs = _inputs(
        need_places=need,
        income_eur_per_place_day=income,
        recourse_reimbursed=reimbursed,
        municipal_recourse_share=share,
        rule_signal_places=need - 3.0,
    )
    alts = [
        replace(
            BUY, plan=plan, fixed_month=14, capacity_places=8.0, variable_opex_eur_per_place_day=7.0
        ),
        Alternative(
            "hotel",
            "hotel",
            "hotel",
            10.0,
            variable_opex_eur_per_place_day=249.0,
            earns_income=False,
        ),
        Alternative(
            "lease",
            "lease",
            "lease",
            6.0,
            lead_time_months=5,
            term_months=20,
            fixed_opex_eur_per_year=9e4,
        ),
    ]
    ev = Evaluator(inputs)
    curve = OccupancyCurve(ev, {a.name: ev.evaluate(a) for a in alts})
    scaled = Evaluator(inputs.scaled(occupancy_factor=factor))
    for a in alts:
        direct = scaled.evaluate(a).npv_eur.mean()
        assert curve.expected_npv(a.name, factor) == pytest.approx(direct, rel=1e-9, abs=1e-4)


def test_break_even_occupancy_checked_by_a_direct_evaluation():
    """At the break-even factor a full evaluation of both alternatives gives the same E[NPV]."""
    rng = np.random.default_rng(3)
    need = np.clip(rng.normal(6, 3, (60, 36)), 0, 10)
    inputs = _inputs(need_places=need, income_eur_per_place_day=np.full(36, 44.0))
    building = replace(BUY, plan="none", variable_opex_eur_per_place_day=20.0)
    hotel = Alternative(
        "hotel", "hotel", "hotel", 10.0, variable_opex_eur_per_place_day=249.0, earns_income=False
    )
    f = break_even_occupancy_factors(inputs, building, [hotel])["hotel"]
    assert np.isfinite(f) and 0.05 < f < 2.0
    ev = Evaluator(inputs.scaled(occupancy_factor=f))
    a, b = (ev.evaluate(x).npv_eur.mean() for x in (building, hotel))
    assert a == pytest.approx(b, rel=1e-9, abs=1e-6 * abs(a))
