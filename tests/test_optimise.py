"""Tests of onderdak.plan.solve: hand-computed plans, brute force, constraints, infeasibility messages."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

import onderdak.plan.milp as optimise_model
import onderdak.plan.solve as optimise_module
from onderdak.case.optimise import OptimiseSettings
from onderdak.core.errors import InfeasibleError
from onderdak.need.shortfall import band
from onderdak.plan.dispatch import _concave_segments, _expected_min_lines
from onderdak.plan.highs import Solution, quiet, rens
from onderdak.plan.milp import build as _build
from onderdak.plan.solve import (
    Portfolio,
    Scenarios,
    _plan_from,
    evaluate,
    optimise,
    plan_from_decisions,
)

EXACT = {"mip_gap_share": 1e-6, "time_limit_seconds": 30}


def make_portfolio(**overrides) -> Portfolio:
    """Two new single-stream locations (50 and 100 places) over four undiscounted quarters."""
    L = len(overrides.get("ids", ("a", "b")))
    Q = overrides.pop("Q", 4)
    S = overrides.pop("S", 1)
    base = dict(
        ids=("a", "b"),
        names=("A", "B"),
        existing=np.zeros(L, bool),
        streams=("ukraine", "asylum")[:S],
        serves=np.ones((L, S), bool),
        capacity_places=np.array([50.0, 100.0]),
        nominal_places=np.array([50.0, 100.0]),
        wijk=("w1", "w2"),
        earliest_quarter=np.zeros(L, int),
        end_quarter=np.full(L, Q),
        lead_time_months=np.zeros(L, int),
        capex_eur=np.zeros(L),
        fixed_opex_eur_per_month=np.array([1000.0, 1500.0]),
        closing_cost_eur=np.zeros(L),
        residual_value_eur=np.zeros(L),
        quality_score=np.full(L, 3.0),
        reuse=("",) * L,
        quarters=pd.period_range("2026Q1", periods=Q, freq="Q"),
        months_per_quarter=np.full(Q, 3),
        discount=np.ones(Q + 1),
        cost_class=np.zeros((L, S), int),
        class_cost_eur_per_place_month=np.zeros((1, S, Q)),
        recourse_cost_eur_per_place_month=100.0,
        shortfall_penalty_eur_per_place_month=1000.0,
    )
    base.update(overrides)
    return Portfolio(**base)


TWO = Scenarios(np.array([[[40.0]] * 4, [[90.0]] * 4]), np.array([0.5, 0.5]), np.array([0, 1]))


@pytest.mark.parametrize(
    ("recourse", "reliability", "expected_open", "cost"),
    [
        # B alone: 1,500 × 12 = 18,000 covers both scenarios; A + recourse costs 12,000 + 24,000
        (100.0, 0.0, [False, True], 18_000.0),
        (100.0, 1.0, [False, True], 18_000.0),
        # cheap recourse (10): nothing 0.5·40·12·10 + 0.5·90·12·10 = 7,800; A covers scenario 1:
        # 12,000 + 0.5·40·12·10 = 14,400; B covers both: 18,000
        (10.0, 0.0, [False, False], 7_800.0),
        (10.0, 0.5, [True, False], 14_400.0),
        (10.0, 1.0, [False, True], 18_000.0),
    ],
)
def test_tiny_instance_known_by_hand(recourse, reliability, expected_open, cost):
    p = make_portfolio(recourse_cost_eur_per_place_month=recourse)
    plan = optimise(p, TWO, OptimiseSettings(**EXACT), reliability=reliability)
    assert plan.in_service.any(axis=1).tolist() == expected_open
    assert plan.objective_eur == pytest.approx(cost, abs=1e-6)
    assert evaluate(plan, TWO.need_places, TWO.weights).expected_cost_eur == pytest.approx(cost)


def test_opens_when_needed_and_respects_lead_time():
    p = make_portfolio(earliest_quarter=np.array([1, 1]))
    rising = Scenarios(np.array([[[0.0], [0.0], [40.0], [40.0]]]), np.ones(1), np.zeros(1, int))
    plan = optimise(p, rising, OptimiseSettings(**EXACT), reliability=1.0)
    # A (50 places) from quarter 2: 1,000 × 6 months
    assert plan.in_service.astype(int).tolist() == [[0, 0, 1, 1], [0, 0, 0, 0]]
    assert plan.objective_eur == pytest.approx(6_000.0)


def test_existing_location_closes_when_need_ends_unless_it_must_stay():
    p = make_portfolio(
        ids=("e",),
        names=("E",),
        existing=np.ones(1, bool),
        capacity_places=np.array([50.0]),
        nominal_places=np.array([50.0]),
        wijk=("w1",),
        fixed_opex_eur_per_month=np.array([1000.0]),
        closing_cost_eur=np.array([500.0]),
    )
    falling = Scenarios(np.array([[[40.0], [0.0], [0.0], [0.0]]]), np.ones(1), np.zeros(1, int))
    plan = optimise(p, falling, OptimiseSettings(**EXACT), reliability=1.0)
    assert plan.closed_quarter().tolist() == [1]
    assert plan.objective_eur == pytest.approx(3_000.0 + 500.0)
    kept = optimise(p, falling, OptimiseSettings(must_keep=["e"], **EXACT), reliability=1.0)
    assert kept.closed_quarter().tolist() == [-1]
    assert kept.objective_eur == pytest.approx(12_000.0)


def test_reliability_keeps_whole_paths_free_of_shortfall():
    # four equally likely paths, one peaking early and one late: at 75% the band keeps the three
    # paths whose most extreme quarter is least extreme, so it covers the early peak (60) and
    # the late one (55) but not the path that is highest throughout
    p = make_portfolio(
        capacity_places=np.array([60.0, 100.0]), recourse_cost_eur_per_place_month=1.0
    )
    need = np.array([[10, 10, 10, 10], [60, 10, 10, 10], [10, 10, 10, 55], [90, 90, 90, 90]])
    s = Scenarios(need[:, :, None].astype(float), np.full(4, 0.25), np.arange(4))
    b = band(need.astype(float), 0.75)
    assert b.places.tolist() == [60.0, 10.0, 10.0, 55.0] and b.kept.tolist() == [1, 1, 1, 0]
    plan = optimise(p, s, OptimiseSettings(**EXACT), reliability=0.75)
    assert plan.in_service.any(axis=1).tolist() == [True, False]  # A's 60 places hold the band
    ev = evaluate(plan, s.need_places, s.weights)
    assert ev.shortfall_chance.tolist() == [0.25]
    full = optimise(p, s, OptimiseSettings(**EXACT), reliability=1.0)
    assert (full.capacity_places[0] >= 90.0).all()


def _brute_force(p: Portfolio, s: Scenarios, reliability: float, budget: float | None) -> float:
    """Cheapest plan over every choice of opening quarter (or none) per candidate that holds each
    stream's band (onderdak.need.shortfall.band: the reliability constraint's definition)."""
    L, S, Q = p.size
    sample, w = s.cost_sample
    q0 = p.reliability_from_quarter()
    bands = np.stack([band(sample[:, :, si], reliability, q0, w).places for si in range(S)])
    best = np.inf
    for starts in itertools.product(range(-1, Q), repeat=L):
        service = np.zeros((L, Q), bool)
        for i, start in enumerate(starts):
            if start >= 0:
                if start < p.earliest_quarter[i] or start >= p.end_quarter[i]:
                    break
                service[i, start : p.end_quarter[i]] = True
        else:
            plan = plan_from_decisions(p, service)
            if budget is not None and plan.capex_eur > budget + 1e-6:
                continue
            if (plan.capacity_places < bands - 1e-6).any():
                continue
            ev = evaluate(plan, s.need_places, s.weights)
            best = min(best, ev.expected_cost_eur)
    return best


def _five(seed: int) -> tuple[Portfolio, Scenarios]:
    rng = np.random.default_rng(seed)
    L, S, Q, N = 5, 2, 3, 4
    serves = np.zeros((L, S), bool)
    serves[np.arange(L), rng.integers(0, S, L)] = True
    var = rng.choice([300.0, 900.0, 2500.0], L)
    classes = np.where(serves, np.searchsorted([300.0, 900.0, 2500.0], var)[:, None], -1)
    rate = np.array([300.0, 900.0, 2500.0])[:, None, None] * np.ones((3, S, Q))
    p = make_portfolio(
        Q=Q,
        S=S,
        ids=tuple("abcde"),
        names=tuple("ABCDE"),
        existing=np.zeros(L, bool),
        serves=serves,
        capacity_places=rng.integers(10, 60, L).astype(float),
        nominal_places=rng.integers(10, 60, L).astype(float),
        wijk=("w",) * L,
        earliest_quarter=rng.integers(0, 2, L),
        end_quarter=np.full(L, Q),
        lead_time_months=np.zeros(L, int),
        capex_eur=rng.choice([0.0, 20_000.0, 60_000.0], L),
        fixed_opex_eur_per_month=rng.uniform(500.0, 4_000.0, L),
        closing_cost_eur=np.zeros(L),
        residual_value_eur=np.zeros(L),
        quality_score=np.full(L, 3.0),
        reuse=("",) * L,
        discount=1.02 ** -np.arange(Q + 1),
        cost_class=classes,
        class_cost_eur_per_place_month=rate,
        recourse_cost_eur_per_place_month=2_000.0,
        shortfall_penalty_eur_per_place_month=5_000.0,
        recourse_limit_places=15.0,
    )
    need = rng.uniform(0.0, 60.0, (N, Q, S)).round()
    return p, Scenarios(need, np.array([0.4, 0.3, 0.2, 0.1]), np.arange(N))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize(("reliability", "budget"), [(0.0, None), (0.6, None), (0.6, 60_000.0)])
def test_five_candidates_match_brute_force(seed, reliability, budget):
    p, s = _five(seed)
    best = _brute_force(p, s, reliability, budget)
    try:
        plan = optimise(p, s, OptimiseSettings(**EXACT), reliability, budget)
    except InfeasibleError:
        assert np.isinf(best)
        return
    assert plan.objective_eur == pytest.approx(best, rel=1e-6, abs=1e-3)
    assert evaluate(plan, s.need_places, s.weights).expected_cost_eur == pytest.approx(
        best, rel=1e-6
    )


def test_band_plan_matches_brute_force_on_twenty_instances():
    """The band rows (with the dispatch starting at the band) keep the optimum: 20 instances."""
    for seed in range(20):
        p, s = _five(100 + seed)
        rng = np.random.default_rng(seed)
        s = Scenarios(  # six scenarios with ties and dominated ones, random weights
            np.concatenate([s.need_places, s.need_places[:1], s.need_places[1:2] * 0.8]),
            rng.dirichlet(np.ones(6)),
            np.arange(6),
        )
        reliability = float(rng.choice([0.5, 0.7, 0.9]))
        best = _brute_force(p, s, reliability, None)
        opts = OptimiseSettings(**EXACT)
        try:
            plan = optimise(p, s, opts, reliability, None)
        except InfeasibleError:
            assert np.isinf(best), seed
            continue
        assert plan.objective_eur == pytest.approx(best, rel=1e-6, abs=1e-3), seed


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_rens_plan_is_feasible_and_no_better_than_the_optimum(seed):
    """The first plan (RENS) keeps every constraint; its cost is at least the brute-force best."""
    p, s = _five(seed)
    opts = OptimiseSettings(**EXACT)
    best = _brute_force(p, s, 0.6, None)
    built = _build(p, s, opts, 0.6, None)
    res = rens(built, opts, 10.0)
    if res is None:
        return
    plan = _plan_from(built, res.x, p, np.full(2, 0.6))
    ev = evaluate(plan, s.need_places, s.weights)
    assert (ev.shortfall_chance <= 0.4 + 1e-9).all()
    assert (plan.capacity_places >= built.bands.T - 1e-6).all()
    assert ev.expected_cost_eur >= best - 1e-3
    assert res.fun / 1e-3 - built.offset_eur == pytest.approx(ev.expected_cost_eur, rel=1e-6)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_identical_candidates_keep_the_optimum(seed):
    """Symmetry rows (of two identical candidates the first opens first) keep the optimum."""
    p, s = _five(seed)
    copy = {}
    for field in ("serves", "capacity_places", "nominal_places", "earliest_quarter", "capex_eur"):
        value = getattr(p, field).copy()
        value[3:5] = value[3]
        copy[field] = value
    cls = p.cost_class.copy()
    cls[3:5] = cls[3]
    fixed = p.fixed_opex_eur_per_month.copy()
    fixed[3:5] = fixed[3]
    p = replace(p, cost_class=cls, fixed_opex_eur_per_month=fixed, **copy)
    s = Scenarios(s.need_places * 1.5, s.weights, s.labels)  # so that both copies are needed
    for reliability in (0.0, 0.6, 0.9):
        best = _brute_force(p, s, reliability, None)
        try:
            plan = optimise(p, s, OptimiseSettings(**EXACT), reliability, None)
        except InfeasibleError:
            assert np.isinf(best)
            continue
        assert plan.objective_eur == pytest.approx(best, rel=1e-6, abs=1e-3)
        first, second = plan.opened_quarter()[3:5]
        assert second == -1 or 0 <= first <= second


def test_concave_segments_reproduce_the_expected_minimum():
    rng = np.random.default_rng(5)
    for n in (1, 3, 40, 500):  # exact lines, and chords between quantiles beyond BREAKPOINTS
        need = rng.gamma(2.0, 50.0, n).round(rng.choice([0, 1]))
        w = rng.dirichlet(np.ones(n))
        a, b = _expected_min_lines(need, w)
        top = float(w @ need)
        for start in (0.0, float(np.median(need)), float(need.max()) + 1.0):
            g0, slope, width = _concave_segments(a, b, top, start)
            assert (np.diff(slope) < 0).all() and (width > 0).all()
            t = np.linspace(0.0, 1.5 * need.max() + 1.0, 301)
            via_lines = np.minimum(top, np.min(a[None, :] + b[None, :] * (start + t)[:, None], 1))
            ends = np.r_[0.0, np.cumsum(width)]
            filled = np.clip(t[:, None] - ends[None, :-1], 0.0, width[None, :])
            assert g0 + filled @ slope == pytest.approx(via_lines, abs=1e-7)


def _solve_built(built, in_service: np.ndarray | None = None):
    """Solve a built model exactly, optionally with every in-service decision fixed."""
    c, integrality, lb, ub, a, lo, hi = built.model.arrays()
    if in_service is not None:
        lb[built.x.ravel()] = ub[built.x.ravel()] = in_service.ravel()
    res = milp(
        c,
        integrality=integrality,
        bounds=Bounds(lb, ub),
        constraints=LinearConstraint(a, lo, hi),
        options={"mip_rel_gap": 1e-9},
    )
    assert res.status == 0
    return res.fun / 1e-3 - built.offset_eur, np.round(res.x[built.x])


@pytest.mark.parametrize("seed", [1, 3, 11])
def test_dispatch_from_the_reliability_floor_is_exact(seed, monkeypatch):
    """Starting the all-classes dispatch steps at the floor every plan must have drops pieces
    without changing the cost of any plan: same optimum, and the same cost of a fixed plan."""
    p, s = _random_instance(seed, n_existing=3, n_new=6)
    L, S, Q = p.size
    p = replace(
        p,
        cost_class=np.where(p.serves, (np.arange(L) % 2)[:, None], -1),
        class_cost_eur_per_place_month=np.stack([np.full((S, Q), -400.0), np.full((S, Q), 700.0)]),
    )
    rng = np.random.default_rng(seed)
    s = replace(s, cost_places=rng.gamma(6.0, 6.0, (400, Q, S)))  # > BREAKPOINTS needs: chords
    opts = OptimiseSettings()
    reduced = _build(p, s, opts, 0.5, None)
    dispatch = optimise_model.dispatch_rows
    monkeypatch.setattr(  # every step from zero places
        optimise_model, "dispatch_rows", lambda *a, **k: dispatch(*a[:-1], 0.0, **k)
    )
    full = _build(p, s, opts, 0.5, None)
    assert reduced.model.n < full.model.n  # fewer increments
    best_full, plan = _solve_built(full)
    best_reduced, _ = _solve_built(reduced)
    assert best_reduced == pytest.approx(best_full, rel=1e-7)
    assert _solve_built(reduced, plan)[0] == pytest.approx(_solve_built(full, plan)[0], rel=1e-9)


def _random_instance(seed: int, n_existing: int = 2, n_new: int = 6):
    rng = np.random.default_rng(seed)
    L, S, Q, N = n_existing + n_new, 2, 8, 6
    serves = rng.random((L, S)) < 0.6
    serves[~serves.any(axis=1), 0] = True
    cap = rng.integers(20, 80, L).astype(float)
    p = make_portfolio(
        Q=Q,
        S=S,
        ids=tuple(f"L{i}" for i in range(L)),
        names=tuple(f"Locatie {i}" for i in range(L)),
        existing=np.arange(L) < n_existing,
        serves=serves,
        capacity_places=cap * 0.9,
        nominal_places=cap,
        wijk=tuple(f"W{i % 3}" for i in range(L)),
        earliest_quarter=np.where(np.arange(L) < n_existing, 0, rng.integers(0, 4, L)),
        end_quarter=np.where(rng.random(L) < 0.3, rng.integers(4, Q, L), Q),
        lead_time_months=rng.integers(0, 9, L),
        capex_eur=np.where(np.arange(L) < n_existing, 0.0, rng.choice([0.0, 1e5, 5e5], L)),
        fixed_opex_eur_per_month=rng.uniform(1_000.0, 10_000.0, L),
        closing_cost_eur=rng.uniform(0.0, 20_000.0, L),
        residual_value_eur=rng.choice([0.0, 3e5], L),
        quality_score=rng.integers(1, 6, L).astype(float),
        reuse=("",) * L,
        discount=1.025 ** -(np.arange(Q + 1) / 4),
        cost_class=np.where(serves, 0, -1),
        class_cost_eur_per_place_month=np.full((1, S, Q), 500.0),
        recourse_cost_eur_per_place_month=2_280.0,
        shortfall_penalty_eur_per_place_month=10_000.0,
    )
    need = rng.uniform(20.0, 120.0, (N, Q, S))
    weights = rng.dirichlet(np.ones(N))
    return p, Scenarios(need, weights, np.arange(N))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    reliability=st.sampled_from([0.0, 0.5, 0.8]),
    budget=st.sampled_from([None, 6e5]),
    wijk_max=st.sampled_from([None, 150]),
    min_quality=st.sampled_from([None, 3.0]),
)
@example(seed=381, reliability=0.5, budget=None, wijk_max=None, min_quality=None)
def test_plan_never_violates_a_constraint(seed, reliability, budget, wijk_max, min_quality):
    p, s = _random_instance(seed)
    opts = OptimiseSettings(
        capex_budget_eur=budget,
        max_places_per_wijk=wijk_max,
        min_quality_score=min_quality,
        must_keep=["L0"],
        forbidden=["L1", "L7"],
        **EXACT,
    )
    try:
        plan = optimise(p, s, opts, reliability)
    except InfeasibleError as exc:
        assert "binding" in str(exc) or "relax" in str(exc) or "cannot" in str(exc)
        return
    L, S, Q = p.size
    service = plan.in_service
    q = np.arange(Q)
    assert not service[q[None, :] >= p.end_quarter[:, None]].any()
    new = ~p.existing
    assert not (service & new[:, None] & (q[None, :] < p.earliest_quarter[:, None])).any()
    for i in range(L):  # open until its end, or (existing) from the start until it closes
        on = np.flatnonzero(service[i])
        if len(on):
            assert on.tolist() == list(range(on[0], on[-1] + 1))
            if new[i]:
                assert on[-1] == p.end_quarter[i] - 1
            else:
                assert on[0] == 0
    assert service[0, : p.end_quarter[0]].all()  # must_keep (existing)
    assert not service[1].any() and not service[7].any()  # forbidden
    if budget is not None:
        assert plan.capex_eur <= budget + 1e-6
    if min_quality is not None:
        assert not (service.any(axis=1) & new & (p.quality_score < min_quality)).any()
    if wijk_max is not None:
        for w in set(p.wijk):
            members = np.array(p.wijk) == w
            assert (p.nominal_places[members] @ service[members]).max() <= wijk_max + 1e-6
    assert (plan.allocation_places.sum(axis=1) <= p.capacity_places[:, None] * service + 1e-6).all()
    assert (plan.allocation_places[~p.serves] <= 1e-9).all()
    ev = evaluate(plan, s.need_places, s.weights)  # the one measure, each stream on its own
    assert (ev.shortfall_chance <= 1 - reliability + 1e-6).all()
    ev = evaluate(plan, s.need_places, s.weights)
    assert plan.objective_eur == pytest.approx(ev.expected_cost_eur, rel=1e-6, abs=1e-2)


def test_budget_too_small_names_the_budget():
    p = make_portfolio(capex_eur=np.array([1e5, 3e5]))
    with pytest.raises(InfeasibleError) as info:
        optimise(p, TWO, OptimiseSettings(**EXACT), reliability=1.0, budget_eur=2e5)
    message = str(info.value)
    assert "capex budget of €200,000 is too small" in message  # the command line: English
    assert "at least €300,000 capex" in message
    assert "status" not in message.lower()
    # the same as a code and facts, which a report words in its own language
    assert info.value.code == "binding" and "budget" in info.value.facts["groups"]
    assert info.value.facts["budget_eur"] == 2e5
    assert info.value.facts["min_capex_eur"] == pytest.approx(3e5)


def test_unreachable_reliability_says_how_far_one_gets():
    p = make_portfolio()
    big = Scenarios(TWO.need_places * 2, TWO.weights, TWO.labels)
    with pytest.raises(InfeasibleError, match=r"ukraine at most 50% \(asked 100%\)") as info:
        optimise(p, big, OptimiseSettings(**EXACT), reliability=1.0)
    assert info.value.facts["reachable"] == {"ukraine": pytest.approx(0.5)}
    assert info.value.facts["levels"]["ukraine"] == 1.0


def test_wijk_maximum_and_forbidden_bind_together():
    p = make_portfolio()
    opts = OptimiseSettings(forbidden=["b"], max_places_per_wijk=60, **EXACT)
    with pytest.raises(
        InfeasibleError, match="maximum places per wijk and the forbidden locations"
    ):
        optimise(p, TWO, opts, reliability=1.0)


def test_the_plan_does_not_depend_on_the_clock(monkeypatch):
    """Same case, same plan: when the full solve proves its gap, RENS (whose second search runs on
    a wall-clock limit) is not consulted; only a full solve stopped by the time limit calls it."""
    p, s = _five(1)
    opts = OptimiseSettings(**EXACT)
    first = optimise(p, s, opts, 0.6, None)

    def clock_dependent(*_args, **_kwargs):
        raise AssertionError("RENS consulted although the full solve proved its gap")

    monkeypatch.setattr(optimise_module, "rens", clock_dependent)
    again = optimise(p, s, opts, 0.6, None)
    assert (again.in_service == first.in_service).all()
    assert again.objective_eur == pytest.approx(first.objective_eur, rel=1e-12)
    # a full solve stopped by the time limit without a plan: RENS's plan is taken
    solve = optimise_module.solve_milp

    def stopped(built, settings, time_limit=None):
        return Solution(None, np.inf, 1, np.nan)

    calls = []

    def rens(built, settings, time_limit):
        calls.append(time_limit)
        res = solve(built, settings, time_limit)
        return Solution(res.x, res.fun, 0, 0.0)

    monkeypatch.setattr(optimise_module, "solve_milp", stopped)
    monkeypatch.setattr(optimise_module, "rens", rens)
    rescued = optimise(p, s, opts, 0.6, None)
    assert calls and (rescued.in_service == first.in_service).all()


@pytest.mark.parametrize(
    ("municipal", "reliability", "expected_open", "cost"),
    [
        # the municipality pays recourse (Ukrainians): as in the hand case above, B covers both: 18,000
        ((True,), 0.0, [False, True], 18_000.0),
        # COA bears the reception (asylum, stream_accounts.csv): a shortfall costs the municipality
        # nothing, so without a reliability target nothing opens (cost 0) …
        ((False,), 0.0, [False, False], 0.0),
        # … and the target alone sizes the plan: A holds scenario 1 (12,000), B both (18,000)
        ((False,), 0.5, [True, False], 12_000.0),
        ((False,), 1.0, [False, True], 18_000.0),
    ],
)
def test_recourse_is_charged_only_where_the_municipality_pays_it(
    municipal, reliability, expected_open, cost
):
    p = make_portfolio(municipal_recourse=municipal)
    plan = optimise(p, TWO, OptimiseSettings(**EXACT), reliability=reliability)
    assert plan.in_service.any(axis=1).tolist() == expected_open
    assert plan.objective_eur == pytest.approx(cost, abs=1e-6)
    assert evaluate(plan, TWO.need_places, TWO.weights).expected_cost_eur == pytest.approx(cost)


def test_the_stream_accounts_say_who_pays_a_shortfall():
    from onderdak.io.reference import municipal_recourse

    assert municipal_recourse("ukraine") is True
    assert municipal_recourse("asylum") is False and municipal_recourse("status_holders") is False


def test_quiet_stays_silent_until_the_last_concurrent_solve_leaves(capfd):
    # RENS runs beside the full solve: the one that entered first may leave first, while the
    # other is still printing on the C level (a HiGHS message once reached page 1 of the advice)
    import os
    import threading

    inside, first_left = threading.Event(), threading.Event()

    def other_solve():
        with quiet():
            inside.set()
            first_left.wait(5)
            os.write(1, b"HiGHS says something\n")

    with quiet():
        worker = threading.Thread(target=other_solve)
        worker.start()
        inside.wait(5)
    first_left.set()
    worker.join(5)
    os.write(1, b"after\n")
    out = capfd.readouterr().out
    assert "HiGHS" not in out and "after" in out
