"""The investment plan of a case: decision table, cost–reliability trade-off and regret per scenario."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from onderdak.case.optimise import OptimiseSettings
from onderdak.core.errors import InfeasibleError
from onderdak.need.shortfall import shortfall_chance
from onderdak.plan.problem import Plan, Portfolio, Scenarios, evaluate
from onderdak.plan.solve import optimise

WHY_CODES = (
    "open_needed", "open_cost", "open_income", "keep_needed", "keep", "must", "close", "convert",
    "forbidden", "quality", "unavailable", "not_needed", "per_place",
)  # fmt: skip
"""Why the plan does what it does with a location: the codes of the decision table's ``why`` column
(``;``-separated), with their figures in ``why_facts`` (JSON); the report words them
(``why.<code>`` in the message catalog)."""


def shortfall_chances(p: Portfolio, s: Scenarios, capacity: np.ndarray) -> np.ndarray:
    """(S,) the chance of a shortfall per stream (:mod:`onderdak.need.shortfall`) with ``capacity`` (S, Q),
    on the paths the plan is made on."""
    sample, w = s.cost_sample
    gap = sample - capacity.T[None]
    q0 = p.reliability_from_quarter()
    return np.array([shortfall_chance(gap[:, :, si], q0, w) for si in range(len(p.streams))])


def decision_table(plan: Plan, scenarios: Scenarios, settings: OptimiseSettings) -> pd.DataFrame:
    """One row per location: action (open, keep, close, convert, reject), when, places, cost, why.

    Columns: location_id, name, action, quarter (in service from / leaving in), decide_by (YYYY-MM,
    opening quarter minus lead time), until (last quarter in service), places, usable_places,
    streams (places per stream, ``ukraine:40;asylum:20``), capex_eur, cost_pv_eur (present
    value of capex, fixed opex, closing cost minus residual value), why (codes of
    :data:`WHY_CODES`, ``;``-separated), why_facts (their figures as JSON: chances of a shortfall
    ``without``/``with`` as shares, quarters, € amounts; the report words them).
    """
    p = plan.portfolio
    quarters = [str(q) for q in p.quarters]
    with_ = shortfall_chances(p, scenarios, plan.capacity_places)
    opened, closed = plan.opened_quarter(), plan.closed_quarter()
    rows = []
    for i, loc in enumerate(p.ids):
        service = plan.in_service[i]
        months = float(p.months_per_quarter @ service)
        alloc = plan.allocation_places[i].max(axis=1)
        streams = ";".join(f"{s}:{a:g}" for s, a in zip(p.streams, alloc, strict=True) if a > 0)
        per_year = plan.location_cost_eur[i] / max(p.capacity_places[i] * months / 12.0, 1e-9)
        without_all = shortfall_chances(
            p, scenarios, plan.capacity_places - plan.allocation_places[i]
        )
        worst = int(np.argmax(without_all - with_))
        without, with_i = float(without_all[worst]), float(with_[worst])
        last = int(np.flatnonzero(service)[-1]) if service.any() else -1
        until = quarters[last] if last >= 0 else ""
        must = loc in settings.must_keep
        quarter, decide_by = "", ""
        if p.existing[i]:
            if closed[i] >= 0:
                action = "convert" if p.reuse[i] else "close"
                quarter = quarters[closed[i]]
                why = ["close"] + (["convert"] if p.reuse[i] else [])
                facts = {"quarter": quarter, "opex_eur": 12 * float(p.fixed_opex_eur_per_month[i])}
                if p.reuse[i]:
                    facts["reuse"] = p.reuse[i]
            else:
                action = "keep"
                quarter = quarters[0] if service.any() else ""
                why = ["must" if must else ("keep_needed" if without > with_i + 1e-9 else "keep")]
                facts = {"until": until, "without": without, "with_plan": with_i}
        elif opened[i] >= 0:
            action, quarter = "open", quarters[opened[i]]
            start = pd.Period(p.quarters[opened[i]].start_time, freq="M")
            decide_by = str(start - int(p.lead_time_months[i]))
            pays = any(p.recourse_rates(si)[0] > 0 for si in np.flatnonzero(p.serves[i]))
            why = [
                "must"
                if must
                else (
                    "open_needed"
                    if without > with_i + 1e-9
                    else ("open_cost" if pays else "open_income")
                ),
                "per_place",
            ]
            facts = {
                "without": without,
                "with_plan": with_i,
                "recourse": settings.recourse,
                "cost_eur": float(per_year),
            }
        else:
            action = "reject"
            why, facts = _reject_reason(p, i, settings, plan)
        rows.append(
            {
                "location_id": loc,
                "name": p.names[i],
                "action": action,
                "quarter": quarter,
                "decide_by": decide_by,
                "until": until,
                "places": float(p.nominal_places[i]),
                "usable_places": round(float(p.capacity_places[i]), 2),
                "streams": streams,
                "capex_eur": round(float(p.capex_eur[i]) if action == "open" else 0.0, 0),
                "cost_pv_eur": round(float(plan.location_cost_eur[i]), 0),
                "why": ";".join(why),
                "why_facts": json.dumps(facts, sort_keys=True),
            }
        )
    order = {"keep": 0, "open": 1, "close": 2, "convert": 2, "reject": 3}
    table = pd.DataFrame(rows)
    table["_o"] = table["action"].map(order)
    return (
        table.sort_values(["_o", "quarter", "location_id"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _reject_reason(
    p: Portfolio, i: int, settings: OptimiseSettings, plan: Plan
) -> tuple[list[str], dict[str, Any]]:
    if p.ids[i] in settings.forbidden:
        return ["forbidden"], {}
    score, minimum = p.quality_score[i], settings.min_quality_score
    if minimum is not None and np.isfinite(score) and score < minimum:
        return ["quality"], {"score": float(score), "minimum": float(minimum)}
    if p.earliest_quarter[i] >= p.end_quarter[i]:
        return ["unavailable"], {}
    q0 = int(p.earliest_quarter[i])
    cost = p.open_cost_eur()[i, q0]
    months = float(p.months_per_quarter[q0 : p.end_quarter[i]].sum())
    return ["not_needed"], {
        "cost_eur": float(cost / max(p.capacity_places[i] * months / 12.0, 1e-9))
    }


def tradeoff_table(
    portfolio: Portfolio,
    scenarios: Scenarios,
    full_need: np.ndarray,
    settings: OptimiseSettings,
    levels: list[float],
    budget_eur: float | None,
    known: dict[float, Plan] | None = None,
    cap: np.ndarray | None = None,
) -> tuple[pd.DataFrame, dict[float, Plan]]:
    """Cost against reliability: one optimal plan per level, each evaluated on the full ensemble.

    Each level is asked of every stream (at most ``cap`` per stream: what it can reach). Columns: reliability_share, feasible, expected_cost_eur
    (present value, every path of the ensemble), expected_cost_reduced_eur (the reduced scenarios,
    weighted: the reduction error is the difference), objective_eur (the MILP's own estimate),
    capex_eur, places_opened, shortfall_chance_<stream>_share (the chance of a shortfall per stream,
    :mod:`onderdak.need.shortfall`, every path), note.
    """
    plans: dict[float, Plan] = dict(known or {})
    rows = []
    for level in sorted(set(levels) | set(plans)):
        row: dict[str, Any] = {"reliability_share": level}
        try:
            asked = level if cap is None else np.minimum(level, cap)
            plan = plans.get(level) or optimise(
                portfolio, scenarios, settings, asked, budget_eur, explain=False
            )
        except InfeasibleError as exc:
            rows.append({**row, "feasible": False, "note": str(exc)})
            continue
        plans[level] = plan
        full = evaluate(plan, full_need)
        red = evaluate(plan, scenarios.need_places, scenarios.weights)
        opened = plan.opened_quarter() >= 0
        rows.append(
            {
                **row,
                "feasible": True,
                "expected_cost_eur": round(full.expected_cost_eur, 0),
                "expected_cost_reduced_eur": round(red.expected_cost_eur, 0),
                "objective_eur": round(plan.objective_eur, 0),
                "capex_eur": round(plan.capex_eur, 0),
                "places_opened": float(portfolio.nominal_places[opened].sum()),
                **{
                    f"shortfall_chance_{stream}_share": round(float(c), 4)
                    for stream, c in zip(portfolio.streams, full.shortfall_chance, strict=True)
                },
                "note": plan.status,
            }
        )
    return pd.DataFrame(rows), plans


def regret_table(
    plan: Plan, scenarios: Scenarios, settings: OptimiseSettings, budget_eur: float | None
) -> pd.DataFrame:
    """Per reduced scenario: the plan's cost against the plan that would have been best in hindsight.

    The hindsight plan knows the scenario's need and meets the same hard constraints (budget, wijk,
    quality, must_keep, forbidden) but no reliability; it may use recourse where that is cheaper.
    Since the plan is one of its options, regret ≥ 0.
    """
    p = plan.portfolio
    ev = evaluate(plan, scenarios.need_places, scenarios.weights)
    rows = []
    for n in range(len(scenarios.weights)):
        one = Scenarios(scenarios.need_places[n : n + 1], np.ones(1), scenarios.labels[n : n + 1])
        plan_cost = float(ev.cost_eur[n])
        try:
            best = optimise(p, one, settings, 0.0, budget_eur)
            hindsight, capex = min(best.objective_eur, plan_cost), best.capex_eur
        except InfeasibleError:
            hindsight, capex = plan_cost, plan.capex_eur
        rows.append(
            {
                "scenario": int(n + 1),
                "path": int(scenarios.labels[n]),
                "weight_share": round(float(scenarios.weights[n]), 6),
                "need_place_months": round(
                    float((scenarios.need_places[n] * p.months_per_quarter[:, None]).sum()), 1
                ),
                "plan_cost_eur": round(plan_cost, 0),
                "hindsight_cost_eur": round(hindsight, 0),
                "regret_eur": round(plan_cost - hindsight, 0),
                "plan_short_place_months": round(float(ev.short_place_months[n]), 1),
                "hindsight_capex_eur": round(capex, 0),
            }
        )
    return pd.DataFrame(rows)


__all__ = ["decision_table", "regret_table", "shortfall_chances", "tradeoff_table"]
