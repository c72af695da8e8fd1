"""MCA: ranking by hand on three options, normalisation, criteria from a register, reproducible weight sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.core.errors import InputError
from onderdak.portfolio.mca import (
    criteria_table,
    mca_table,
    normalise,
    rank_probability_table,
    resolve,
    weight_sensitivity,
    wijk_load,
)

THREE = pd.DataFrame(
    {
        "cost_eur_per_place_day": [50.0, 70.0, 60.0],
        "quality_score": [3.0, 5.0, 4.0],
        "risk_score": [2.0, 1.0, 3.0],
    },
    index=pd.Index(["A", "B", "C"], name="id"),
)
WEIGHTS = {"cost": 0.5, "quality": 0.3, "risk": 0.2}


def test_ranking_by_hand_on_three_options():
    # min-max: cost (min) A 1, B 0, C .5; quality (max) A 0, B 1, C .5; risk (min) A .5, B 1, C 0
    # score A = .5·1 + .3·0 + .2·.5 = .6; B = 0 + .3 + .2 = .5; C = .25 + .15 + 0 = .4
    t = mca_table(THREE, WEIGHTS, draws=0)
    assert list(t["id"]) == ["A", "B", "C"] and list(t["rank"]) == [1, 2, 3]
    assert list(t["score"]) == pytest.approx([0.6, 0.5, 0.4])
    assert list(t["score_cost"]) == [1.0, 0.0, 0.5]
    # weights are normalised: doubling them all changes nothing
    assert list(mca_table(THREE, {k: 2 * w for k, w in WEIGHTS.items()}, draws=0)["score"]) == list(
        t["score"]
    )
    # the user reverses quality (say: less luxurious is better): B drops to last
    flipped = mca_table(THREE, WEIGHTS, {"quality": "min"}, draws=0)
    # A = .5 + .3 + .1 = .9; B = 0 + 0 + .2 = .2; C = .25 + .15 + 0 = .4
    assert list(flipped["id"]) == ["A", "C", "B"] and list(flipped["score"]) == pytest.approx(
        [0.9, 0.4, 0.2]
    )


def test_ratio_normalisation_by_hand():
    w, d = resolve(WEIGHTS)
    values = THREE.rename(
        columns={"cost_eur_per_place_day": "cost", "quality_score": "quality", "risk_score": "risk"}
    )
    n = normalise(values, d, "ratio")
    assert list(n["cost"]) == pytest.approx([1.0, 50 / 70, 50 / 60])
    assert list(n["quality"]) == pytest.approx([0.6, 1.0, 0.8])
    assert list(n["risk"]) == pytest.approx([0.5, 1.0, 1 / 3])
    same = pd.DataFrame({"quality": [3.0, 3.0]})
    assert list(normalise(same, {"quality": "max"})["quality"]) == [1.0, 1.0]  # no discrimination


def test_ties_keep_register_order():
    tied = pd.DataFrame(
        {"quality_score": [4.0, 4.0, 2.0]}, index=pd.Index(["X", "Y", "Z"], name="id")
    )
    assert list(mca_table(tied, {"quality": 1}, draws=0)["rank"]) == [1, 2, 3]


def test_input_errors():
    with pytest.raises(InputError, match="unknown criteria"):
        mca_table(THREE, {"beauty": 1.0})
    with pytest.raises(InputError, match="at least one > 0"):
        mca_table(THREE, {"cost": 0.0})
    with pytest.raises(InputError, match="needs column `capacity_places`"):
        mca_table(THREE, {"scale": 1.0})
    gap = THREE.copy()
    gap.loc["B", "risk_score"] = np.nan
    with pytest.raises(InputError, match="no `risk_score` for options B"):
        mca_table(gap, WEIGHTS)
    assert mca_table(gap, {**WEIGHTS, "risk": 0}, draws=0)["id"].tolist() == ["A", "C", "B"]


def test_weight_sensitivity_is_reproducible_with_a_seed():
    a = mca_table(THREE, WEIGHTS, draws=500, concentration=10, seed=42)
    b = mca_table(THREE, WEIGHTS, draws=500, concentration=10, seed=42)
    c = mca_table(THREE, WEIGHTS, draws=500, concentration=10, seed=43)
    assert a.to_csv() == b.to_csv()
    pa, pc = a.attrs["sensitivity"], c.attrs["sensitivity"]
    assert pa.rank_probabilities.equals(b.attrs["sensitivity"].rank_probabilities)
    assert not pa.rank_probabilities.equals(pc.rank_probabilities)
    probs = pa.rank_probabilities.to_numpy()
    assert np.allclose(probs.sum(axis=0), 1) and np.allclose(probs.sum(axis=1), 1)
    assert 0 < pa.ranking_changed_share < 1 and pa.top_changed_share <= pa.ranking_changed_share
    long = rank_probability_table(a)
    assert len(long) == 9 and long.groupby("id")["probability_share"].sum().round(12).eq(1).all()


def test_sensitivity_against_an_independent_loop():
    """Cross-check: rank each draw with Python's sorted() and count by hand."""
    w, d = resolve(WEIGHTS)
    values = THREE.rename(
        columns={"cost_eur_per_place_day": "cost", "quality_score": "quality", "risk_score": "risk"}
    )
    n = normalise(values, d)
    sens = weight_sensitivity(n, w, draws=300, concentration=5, seed=1)
    drawn = np.random.default_rng(1).dirichlet(5 * np.array(list(w.values())), size=300)
    counts = np.zeros((3, 3))
    changed = 0
    for weights in drawn:
        scores = n[list(w)].to_numpy() @ weights
        order = sorted(range(3), key=lambda i: (-round(scores[i], 12), i))
        for rank, i in enumerate(order):
            counts[i, rank] += 1
        changed += order != [0, 1, 2]
    assert np.allclose(sens.rank_probabilities.to_numpy(), counts / 300)
    assert sens.ranking_changed_share == pytest.approx(changed / 300)


def test_tight_weights_rarely_change_a_clear_ranking():
    t = mca_table(THREE, WEIGHTS, draws=400, concentration=1e6, seed=0)
    assert t.attrs["sensitivity"].ranking_changed_share == 0.0
    assert list(t["rank_kept_share"]) == [1.0, 1.0, 1.0]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 500), st.floats(1, 5), st.floats(1, 5)), min_size=2, max_size=12
    ),
    st.floats(0.1, 1000),
    st.floats(-100, 100),
)
def test_scores_bounded_ranks_permutation_and_affine_invariance(rows, scale, shift):
    frame = pd.DataFrame(rows, columns=["cost_eur_per_place_day", "quality_score", "risk_score"])
    frame.index = pd.Index([f"L{i}" for i in range(len(rows))], name="id")
    t = mca_table(frame, WEIGHTS, draws=0)
    assert t["score"].between(0, 1).all()
    assert sorted(t["rank"]) == list(range(1, len(rows) + 1))
    moved = frame.assign(cost_eur_per_place_day=frame["cost_eur_per_place_day"] * scale + shift)
    assert np.allclose(mca_table(moved, WEIGHTS, draws=0)["score"], t["score"], atol=1e-5)


def test_criteria_from_a_register_by_hand():
    reg = pd.DataFrame(
        {
            "status": ["candidate", "existing"],
            "capacity_places": [100, 50],
            "purchase_price_eur": [1_000_000.0, 0.0],
            "conversion_capex_eur": [0.0, 0.0],
            "furnishing_capex_eur": [0.0, 0.0],
            "market_value_eur": [1_000_000.0, 0.0],
            "closing_cost_eur": [0.0, 0.0],
            "fixed_opex_eur_per_year": [36_500.0, 18_250.0],
            "variable_opex_eur_per_place_day": [10.0, 20.0],
            "available_from": ["2026-07-01", "2020-01-01"],
            "lead_time_months": [3, 0],
            "reuse_options": ["sale;social_housing;demolish", ""],
            "quality_score": [4, 3],
            "risk_score": [2, 1],
        },
        index=pd.Index(["P", "Q"], name="id"),
    )
    c = criteria_table(reg, start="2026-01", discount_rate_real_share=0.0, cost_horizon_years=10)
    # P: capex 1.0 M back as market value after 10 years at r = 0: net 0; 10 + 36,500 / (100 × 365) = 11
    assert c.loc["P", "cost_eur_per_place_day"] == pytest.approx(11.0)
    assert c.loc["Q", "cost_eur_per_place_day"] == pytest.approx(21.0)
    assert c.loc["P", "months_until_available"] == 6.0  # available_from beats lead time
    assert c.loc["Q", "months_until_available"] == 0.0
    assert list(c["reuse_options_count"]) == [2.0, 0.0]  # demolish is no reuse
    c5 = criteria_table(reg, discount_rate_real_share=0.05, cost_horizon_years=10)
    annuity = 0.05 / (1 - 1.05**-10)
    expected = 10 + (36_500 + (1e6 - 1e6 / 1.05**10) * annuity) / 36_500
    assert c5.loc["P", "cost_eur_per_place_day"] == pytest.approx(expected, abs=1e-4)


def test_wijk_load_by_hand():
    locs = pd.DataFrame(
        {
            "wijk_code": ["W1", "W1", "W2"],
            "capacity_places": [30, 20, 10],
            "status": ["existing", "candidate", "existing"],
        },
        index=["a", "b", "c"],
    )
    load = wijk_load(locs, pd.Series({"W1": 1000.0, "W2": 2000.0}))
    # a: 30 (itself); b: 30 existing + 20 own = 50; c: 10 → per 1,000 inhabitants
    assert list(load) == pytest.approx([30.0, 50.0, 5.0])


def test_demo_case_mca_is_deterministic(demo_case_path):
    from onderdak.case.settings import load_case
    from onderdak.geo.spread import place_for_case
    from onderdak.portfolio.mca import mca_for_case

    case = load_case(demo_case_path)
    if not case.path(case.locations).exists():
        pytest.skip("demo register not written yet")
    from onderdak.register.locations import read_register

    table = read_register(case.path(case.locations)).table
    place = place_for_case(case, table)
    first = mca_for_case(case, table, place)
    second = mca_for_case(case, table, place)
    assert first.to_csv(index=False) == second.to_csv(index=False)
    assert set(first["status"]) <= {"planned", "candidate"} and first["rank"].tolist() == list(
        range(1, len(first) + 1)
    )
    assert first.attrs["sensitivity"].draws == case.mca.sensitivity_draws
    no_geo = mca_for_case(case, table, None)
    assert "score_load" not in no_geo.columns and no_geo.attrs["warnings"]
