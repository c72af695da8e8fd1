"""The portfolio MILP: variables, rows and objective for :mod:`onderdak.plan.solve` (scipy/HiGHS arrays).

The formulation, aggregated per stream (each stream has its own capacity and need):

- first stage, shared by all scenarios: per location a binary *in service* per quarter and its
  *move* — a new location (planned or candidate) opens in that quarter and stays open until its
  end (``available_until`` or the horizon); an existing location closes (or converts to its
  reuse) in that quarter. A location serving several streams gives each stream a share of its
  places per quarter (``allocation``, first stage). Capacity per stream and quarter is the sum of
  the shares.
- second stage, expected over the paths of the ensemble, per quarter and stream: need is met by occupied places in a few
  *cost classes* (locations grouped by variable opex minus income per occupied place), by
  recourse (hotel or emergency places, up to a limit) and by shortfall (penalised), each at most
  its capacity: a merit-order dispatch, which :func:`onderdak.plan.problem.evaluate` reproduces in closed form; its
  expected cost is a concave piecewise-linear function of capacity, entered as increments. Every
  plan holds at least the reliability band per stream and quarter, so the steps over all cost
  classes start there (exact, and far fewer columns).
- reliability, per stream: capacity ≥ the stream's *band* in every quarter from the first one new
  places can be ready: the pointwise maximum of need over the paths kept free of shortfall, those
  whose most extreme quarter is least extreme (:func:`onderdak.need.shortfall.band`, on every path of the
  ensemble). A deterministic row per stream and quarter, so no binaries per scenario; each stream
  has its own target (``reliability_by_stream``).
- objective: expected present value over the scenarios of capex, fixed opex while open, closing
  cost, minus residual (market) value at exit or horizon, plus the net cost of occupied places
  and the recourse and shortfall costs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from onderdak.case.optimise import OptimiseSettings
from onderdak.need.shortfall import band
from onderdak.plan.dispatch import dispatch_rows, stream_lines_cached
from onderdak.plan.problem import Portfolio, Scenarios
from onderdak.plan.reliability import band_rows, depth_cached, reliability_targets
from onderdak.plan.sparse_model import OBJECTIVE_SCALE, MilpModel

CONSTRAINT_GROUPS = ("reliability", "budget", "wijk", "must_keep", "min_quality", "forbidden")


@dataclass(frozen=True)
class Built:
    model: MilpModel
    x: np.ndarray
    move: np.ndarray
    y: np.ndarray
    slack: np.ndarray | None  # (S, Q) places below the band (objective "reach" only)
    bands: np.ndarray  # (Q, S) capacity each stream must hold (onderdak.need.shortfall.band)
    offset_eur: float  # added to the solver's objective (not a cost)


def build(
    p: Portfolio,
    s: Scenarios,
    settings: OptimiseSettings,
    reliability: float | Sequence[float] | None,
    budget: float | None,
    relax: frozenset[str] = frozenset(),
    objective: str = "cost",
) -> Built:
    L, S, Q = p.size
    q_idx = np.arange(Q)
    live = q_idx[None, :] < p.end_quarter[:, None]  # (L, Q) location available in quarter
    ids = np.array(p.ids, dtype=object)
    must = np.isin(ids, settings.must_keep) & ("must_keep" not in relax)
    forbidden = np.isin(ids, settings.forbidden) & ("forbidden" not in relax)
    low_quality = np.zeros(L, dtype=bool)
    if settings.min_quality_score is not None and "min_quality" not in relax:
        low_quality = ~p.existing & (p.quality_score < settings.min_quality_score)
    new = ~p.existing
    may_open = new & ~forbidden & ~low_quality
    open_cost = p.open_cost_eur()
    close_cost, keep_cost = p.close_cost_eur()
    cost_on = objective == "cost"

    mdl = MilpModel()
    x_ub = live.astype(float)
    x_lb = np.zeros((L, Q))
    for i in np.flatnonzero(must & new & (p.end_quarter > 0)):
        x_lb[i, p.end_quarter[i] - 1] = 1.0  # opened at some point
    # in service (binary; the solver branches on it: 'open by quarter q' splits a location's
    # opening quarters in two, which branching on a single quarter's move would not)
    x = mdl.var((L, Q), x_lb, x_ub, integer=True)
    can_move = np.where(
        new[:, None], may_open[:, None] & live & (q_idx >= p.earliest_quarter[:, None]), live
    )
    can_move &= ~(must & p.existing)[:, None]
    move_lb = np.zeros((L, Q))
    for i in np.flatnonzero(forbidden & p.existing & (p.end_quarter > 0)):
        move_lb[i, 0] = 1.0
    move_cost = np.where(new[:, None], open_cost, close_cost - keep_cost[:, None])
    move_cost = np.where(can_move, move_cost, 0.0) if cost_on else 0.0
    # open or close in quarter q: x_q − x_{q−1} (new) or x_{q−1} − x_q (existing), so 0 or 1
    move = mdl.var((L, Q), move_lb, can_move.astype(float), move_cost * OBJECTIVE_SCALE)
    for group in _identical_new(p, must | forbidden | low_quality):  # symmetry: first opens first
        for i, j in itertools.pairwise(group):
            qs = np.flatnonzero(live[i])
            mdl.rows_(np.stack([x[i, qs], x[j, qs]], 1), np.array([1.0, -1.0]), 0.0, np.inf)
    y_ub = np.where(p.serves[:, :, None] & live[:, None, :], p.capacity_places[:, None, None], 0.0)
    y = mdl.var((L, S, Q), 0.0, y_ub)
    C = p.class_cost_eur_per_place_month.shape[0]
    cls = mdl.var((C, S, Q))

    # state: new x_q = x_{q-1} + open_q ; existing x_q = x_{q-1} − close_q (x_{-1} = 1)
    li, qi = np.nonzero(live)
    prev = np.where(qi > 0, x[li, np.maximum(qi - 1, 0)], 0)
    sign = np.where(new[li], -1.0, 1.0)
    first_existing = np.where(new[li] | (qi > 0), 0.0, 1.0)
    mdl.rows_(
        np.stack([x[li, qi], prev, move[li, qi]], 1),
        np.stack([np.ones(len(li)), np.where(qi > 0, -1.0, 0.0), sign], 1),
        first_existing,
        first_existing,
    )
    # allocation: Σ_s y ≤ capacity · x ; places of a cost class ≤ Σ of its locations' y
    mdl.rows_(
        np.concatenate([y[li, :, qi], x[li, qi][:, None]], 1),
        np.concatenate([np.ones((len(li), S)), -p.capacity_places[li][:, None]], 1),
        -np.inf,
        0.0,
    )
    member = (p.cost_class[None, :, :] == np.arange(C)[:, None, None]).astype(float)  # (C, L, S)
    cols = np.concatenate([cls[:, :, :, None], np.moveaxis(y, 0, -1)[None].repeat(C, 0)], 3)
    coefs = np.concatenate(
        [
            np.ones((C, S, Q, 1)),
            -np.broadcast_to(np.moveaxis(member, 1, -1)[:, :, None, :], (C, S, Q, L)),
        ],
        3,
    )
    mdl.rows_(cols.reshape(C * S * Q, L + 1), coefs.reshape(C * S * Q, L + 1), -np.inf, 0.0)
    if settings.max_places_per_wijk is not None and "wijk" not in relax:
        for wijk in sorted(set(p.wijk)):
            members = np.flatnonzero(np.array(p.wijk, dtype=object) == wijk)
            mdl.rows_(
                x[members].T,
                p.nominal_places[members][None, :],
                -np.inf,
                settings.max_places_per_wijk,
            )
    if budget is not None and "budget" not in relax:
        capex = np.where(new[:, None] & can_move, p.capex_eur[:, None], 0.0)
        mdl.rows_(move.reshape(1, -1), capex.reshape(1, -1), -np.inf, budget)
    if objective == "capex":  # least capex (diagnosis): cost on the moves, variable block 1
        mdl.cost[1] = (
            np.where(new[:, None] & can_move, p.capex_eur[:, None], 0.0).ravel() * OBJECTIVE_SCALE
        )

    # reliability: per stream, capacity ≥ the band that keeps the stream's target share of the
    # paths free of shortfall from the first quarter new places can be ready (model/onderdak/need/shortfall.py)
    sample, sample_w = s.cost_sample
    q_from = p.reliability_from_quarter()
    targets = reliability_targets(p, settings, reliability)
    bands = np.zeros((Q, S))
    if "reliability" not in relax:
        for si in range(S):
            d = depth_cached(sample, sample_w, si, q_from)
            bands[:, si] = band(sample[:, :, si], targets[si], q_from, sample_w, d).places
    scale = np.maximum(bands.max(axis=0), 1.0)  # (S,) each stream's slack relative to its band
    reach_cost = p.months_per_quarter[None, :] / scale[:, None] if objective == "reach" else None
    slack = band_rows(mdl, p, x, y, bands, reach_cost)
    # second stage, expected over the paths: merit-order dispatch of need over the cost classes,
    # recourse and shortfall. With items sorted by rate, E[cost] = r_J·E[need] − Σ_j Δr_j·M_j where
    # M_j = E[min(need, cumulative capacity of items ≤ j)], concave piecewise linear in capacity.
    # Every feasible plan holds the band, so the steps over all cost classes start there.
    m_d = p.months_per_quarter * p.discount[:Q]
    constant = 0.0
    if cost_on:
        for si in range(S):
            lines = stream_lines_cached(sample, sample_w, si)
            for q in range(Q):
                constant += dispatch_rows(
                    mdl,
                    cls[:, si, q],
                    p,
                    si,
                    q,
                    sample[:, q, si],
                    sample_w,
                    m_d[q],
                    bands[q, si],
                    lines=lines[q],
                )
    constant += float(keep_cost[p.existing].sum()) if cost_on else 0.0
    # The constant as a fixed variable, so that the solver's relative gap is one of the whole cost.
    # Income from the Rijk can make the net cost near zero, which no relative gap survives: the
    # solver's objective adds the income on all expected need (a constant), i.e. it is a gross cost.
    offset = 0.0
    if cost_on:
        income = np.maximum(-p.class_cost_eur_per_place_month.min(axis=0), 0.0)  # (S, Q)
        mean_need = np.einsum("p,pqs->sq", sample_w, sample)
        offset = float((income * mean_need * m_d[None, :]).sum())
    mdl.var((1,), 1.0, 1.0, (constant + offset) * OBJECTIVE_SCALE)
    return Built(mdl, x, move, y, slack, bands, offset)


def _identical_new(p: Portfolio, special: np.ndarray) -> list[list[int]]:
    """Groups (≥ 2) of new locations that differ only in id and name: any one can replace another."""
    groups: dict[tuple, list[int]] = {}
    for i in np.flatnonzero(~p.existing & ~special):
        key = (
            p.wijk[i],
            tuple(p.serves[i]),
            tuple(p.cost_class[i]),
            *(
                float(v[i])
                for v in (
                    p.capacity_places,
                    p.nominal_places,
                    p.earliest_quarter,
                    p.end_quarter,
                    p.capex_eur,
                    p.fixed_opex_eur_per_month,
                    p.closing_cost_eur,
                    p.residual_value_eur,
                )
            ),
        )
        groups.setdefault(key, []).append(int(i))
    return [g for g in groups.values() if len(g) > 1]
