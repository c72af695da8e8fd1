"""Reuse: switch months of the decision rule and the fixed plan, reuse cash flows, the value of flexibility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from onderdak.business_case.alternatives import Alternative, BusinessCaseInputs, Evaluator
from onderdak.case.money import ReuseOptionSettings
from onderdak.finance.reuse import (
    ReuseSpec,
    active_months_per_year,
    fixed_switch_month,
    flexibility_value,
    one_off_per_year,
    reuse_cash_flows,
    reuse_spec,
    rule_switch_month,
)
from onderdak.io.reference import scalar


def _rule_by_loop(need: np.ndarray, n: int, first: int) -> np.ndarray:
    """An independent, path-by-path implementation of the rule (the cross-check)."""
    out = []
    for row in need:
        run, hit = 0, len(row)
        for m, v in enumerate(row):
            run = run + 1 if (m >= first and v <= 1e-9) else 0
            if run >= n:
                hit = m + 1
                break
        out.append(hit)
    return np.array(out)


def test_rule_switches_the_month_after_n_low_months():
    need = np.array([[5, 0, 0, 0, 4, 0], [5, 0, 3, 0, 0, 1], [1, 1, 1, 1, 1, 1]], dtype=float)
    assert rule_switch_month(need, 2).tolist() == [3, 5, 6]
    assert rule_switch_month(need, 3).tolist() == [4, 6, 6]
    assert rule_switch_month(need, 1, first_month=2).tolist() == [3, 4, 6]
    assert rule_switch_month(need, 7).tolist() == [6, 6, 6]  # never within the horizon


@settings(max_examples=50, deadline=None)
@given(
    arrays(np.float64, (6, 40), elements=st.sampled_from([0.0, 0.0, 1.0, 5.0])),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=20),
)
def test_rule_equals_a_loop_over_paths(need, n, first):
    assert rule_switch_month(need, n, first).tolist() == _rule_by_loop(need, n, first).tolist()


def test_fixed_switch_is_clipped_to_the_horizon():
    assert fixed_switch_month(24, 3, 36).tolist() == [24, 24, 24]
    assert fixed_switch_month(99, 2, 36).tolist() == [36, 36]


def test_active_months_and_one_offs_per_year():
    assert active_months_per_year(np.array([6, 0]), np.array([30, 3]), 3).tolist() == [
        [6.0, 12.0, 6.0],
        [3.0, 0.0, 0.0],
    ]
    assert active_months_per_year(np.array([10]), np.array([4]), 2).tolist() == [[0.0, 0.0]]
    out = one_off_per_year(np.array([0, 13, 36]), np.array([1.0, 2.0, 3.0]), 3)
    assert out.tolist() == [[1, 0, 0], [0, 2, 0], [0, 0, 0]]  # month 36 is beyond a 3-year horizon


def test_reuse_cash_flows_hand_computed():
    spec = ReuseSpec(
        "starter_homes",
        capex_eur=100.0,
        lead_time_months=6,
        income_eur_per_year=12.0,
        cost_eur_per_year=6.0,
        residual_value_eur=50.0,
    )
    flows = reuse_cash_flows(spec, np.array([12, 36, 30]), years=3)
    # path 0: capex in year 1, ready in month 18: half of year 1 and all of year 2 running
    assert flows["reuse_capex"][0].tolist() == [0, -100, 0]
    assert flows["reuse_income"][0].tolist() == [0, 6, 12]
    assert flows["reuse_cost"][0].tolist() == [0, -3, -6]
    assert flows["reuse_residual"][0].tolist() == [0, 0, 50]
    # path 1 never switches; path 2 switches in month 30 and is not ready by the horizon
    for key in flows:
        assert flows[key][1].tolist() == [0, 0, 0]
    assert flows["reuse_capex"][2].tolist() == [0, 0, -100]
    assert flows["reuse_residual"][2].tolist() == [0, 0, 0]


def test_reuse_spec_for_flex_units_uses_the_reference_shares():
    spec = reuse_spec("relocate_units", units_investment_eur=1_000_000.0)
    assert spec.capex_eur == pytest.approx(scalar("flex_relocation_cost_share") * 1e6)
    assert spec.one_off_value_eur == pytest.approx(scalar("flex_residual_value_share") * 1e6)
    assert (spec.capex_eur, spec.one_off_value_eur) == pytest.approx((300_000.0, 850_000.0))


def test_reuse_spec_from_settings():
    params = ReuseOptionSettings(
        capex_eur=1e6,
        dwellings=10,
        rent_eur_per_dwelling_per_year=9000,
        cost_eur_per_dwelling_per_year=2000,
    )
    spec = reuse_spec("social_housing", params, market_value_eur=2e6)
    assert spec.income_eur_per_year == 90_000 and spec.cost_eur_per_year == 20_000
    assert spec.residual_value_eur == 2e6  # default: the building's market value
    sale = reuse_spec("sale", None, market_value_eur=2e6)
    assert sale.one_off_value_eur == 2e6 and sale.residual_value_eur == 0.0
    with pytest.raises(ValueError, match="unknown reuse option"):
        ReuseSpec("hotel")


def test_flexibility_value_summary():
    rule = np.array([10.0, 0.0, 5.0, -3.0])
    fixed = np.array([4.0, 2.0, 5.0, -1.0])
    f = flexibility_value(rule, fixed)
    assert f.mean_eur == pytest.approx(np.mean(rule - fixed))
    assert f.probability_positive_share == 0.25
    assert f.best_eur == pytest.approx(0.5) and f.best_label == "rule"
    assert f.perfect_foresight_eur == pytest.approx(np.mean(np.maximum(rule, fixed)) - fixed.mean())


@settings(max_examples=50, deadline=None)
@given(
    arrays(np.float64, 30, elements=st.floats(-1e6, 1e6)),
    arrays(np.float64, 30, elements=st.floats(-1e6, 1e6)),
    arrays(np.float64, 30, elements=st.floats(-1e6, 1e6)),
)
def test_a_flexibility_that_may_always_choose_not_to_act_is_never_negative(rule, fixed, other):
    f = flexibility_value(rule, fixed, {"other": other})
    assert f.best_eur >= 0.0
    assert f.perfect_foresight_eur >= f.best_eur - 1e-6 * max(1.0, abs(f.best_eur))


@settings(max_examples=25, deadline=None)
@given(
    arrays(np.float64, (20, 48), elements=st.sampled_from([0.0, 0.0, 10.0, 40.0])),
    st.integers(min_value=1, max_value=18),
    st.floats(min_value=0.0, max_value=200.0),
)
def test_the_option_to_reuse_is_never_worth_less_than_not_having_it(need, n, recourse):
    """On any ensemble: the best of (rule with N, never switching) beats never switching."""
    periods = pd.period_range("2026-01", periods=48, freq="M")
    inputs = BusinessCaseInputs(need, periods, np.full(48, 44.0), 0.03, recourse, 40.0)
    reuse = ReuseSpec("sale", capex_eur=10_000.0, lead_time_months=3, one_off_value_eur=500_000.0)
    base = Alternative(
        "keep", "keep", "buy_convert", 40.0, capex_eur=1e6, fixed_opex_eur_per_year=1e5, reuse=reuse
    )
    ev = Evaluator(inputs)
    never = ev.evaluate(base).npv_eur
    rule = ev.evaluate(Alternative(**{**base.__dict__, "plan": "rule", "rule_months": n})).npv_eur
    assert flexibility_value(rule, never).best_eur >= 0.0
