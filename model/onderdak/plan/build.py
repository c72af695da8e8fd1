"""The investment plan of a case: from a case and its need to the plan, its tables and files."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from onderdak.case.optimise import OptimiseSettings
from onderdak.case.settings import Case
from onderdak.core.ensemble import Need
from onderdak.core.errors import InfeasibleError, InputError
from onderdak.core.notes import Note, note_record
from onderdak.plan.diagnosis import reachable_reliability, surely_unreachable
from onderdak.plan.inputs import (
    portfolio_from_register,
    reduced_scenarios,
    ukraine_income_eur_per_place_month,
)
from onderdak.plan.money import plan_money
from onderdak.plan.problem import (
    Evaluation,
    Plan,
    Portfolio,
    Scenarios,
    evaluate,
    plan_from_decisions,
)
from onderdak.plan.reduction import QuarterlyNeed, Reduction, quarterly_need
from onderdak.plan.reliability import reliability_targets
from onderdak.plan.solve import optimise, resolve_budget
from onderdak.plan.tables import decision_table, regret_table, tradeoff_table
from onderdak.register.locations import load_register


@dataclass
class OptimiseResult:
    """Everything `onderdak optimise` and plan.ipynb show, for one scenario of a case."""

    plan: Plan
    portfolio: Portfolio
    scenarios: Scenarios
    reduction: Reduction
    need: QuarterlyNeed
    full: Evaluation
    reduced: Evaluation
    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any]
    notes: list[Note] = field(default_factory=list)  # codes and figures; the report words them
    current: Evaluation | None = None  # the locations there are, as they are, on the same paths
    money: Any = None  # onderdak.plan.money.PlanMoney: the budget with and without the plan


def optimise_case(
    case: Case,
    need: Need,
    register: Any = None,
    reliability: float | None = None,
    budget_eur: float | None = None,
    levels: list[float] | None = None,
    regret: bool = True,
    language: str | None = None,
    fallback: bool = False,
    money: bool = True,
    committed: Any = None,
) -> OptimiseResult:
    """The recommended plan for one scenario of a case, with its trade-off and regret tables.

    Parameters
    ----------
    case : Case
        Its ``optimise`` section gives the constraints; start, horizon and discount rate the time.
    need : Need
        From ``onderdak.need.demand.municipal_need``.
    register : Register or pandas.DataFrame, optional
        Default: the case's register (``onderdak.register.locations.load_register``).
    reliability, budget_eur : optional
        Override ``case.optimise.reliability_share`` and ``capex_budget_eur``; None: the case's,
        a budget of ``math.inf``: no budget.
    levels : list of float, optional
        Reliability levels of the trade-off (default: the settings'); [] skips the trade-off.
    regret : bool
        Compute regret per scenario (one MILP per reduced scenario).
    language : str, optional
        Not used any more: the plan returns codes and figures (the ``why`` and ``why_facts``
        columns, ``notes``) and the report words them; kept so that callers need not change.
    committed : tuple, optional
        The portfolio analysis's (allocation, budget) of the committed locations, reused as the
        money without the plan.
    money : bool
        Also the plan's money (:func:`onderdak.plan.money.plan_money`: the municipal budget with and
        without the plan), when ``register`` is a Register.
    fallback : bool
        If the reliability asked cannot be reached, plan for the most that can (rounded down to a
        whole percent) and say so first in ``notes`` (reports); False: raise (CLI).

    Raises
    ------
    InfeasibleError
        If no plan meets the constraints at the reliability asked (the message names the binding one).
    """
    settings = case.optimise
    budget = resolve_budget(settings, budget_eur)
    if reliability is not None:
        settings = replace_settings(settings, float(reliability), budget, by_stream={})
    else:
        settings = replace_settings(settings, settings.reliability_share, budget)
    if register is None:
        register = load_register(case)
    table = register.table if hasattr(register, "table") else register
    _check_named_locations(settings, table, getattr(register, "closed", ()))
    streams = [s for s in settings.streams if s in need.streams]
    need_q = quarterly_need(need.streams, need.periods, streams)
    scenarios, reduction = reduced_scenarios(need_q, settings.reduced_scenarios, case.seed)
    income: dict[str, np.ndarray] = {}
    notes: list[Note] = []
    if "ukraine" in streams:
        income["ukraine"], notes = ukraine_income_eur_per_place_month(need.periods, need_q)
    portfolio = portfolio_from_register(
        table,
        need_q,
        case.start,
        case.horizon_months,
        case.discount_rate_real_share,
        settings,
        income,
        case.organisation,
    )
    requested = reliability_targets(portfolio, settings, None)
    targets = requested.copy()
    # a stream no new location can serve: the plan cannot change its chance of a shortfall
    new_for = (portfolio.serves & ~portfolio.existing[:, None]).any(axis=0)
    for si in np.flatnonzero(~new_for):
        notes.insert(0, Note.of("plan_no_candidates", stream=portfolio.streams[si]))
    try:
        if fallback and surely_unreachable(portfolio, scenarios, targets):
            raise InfeasibleError(
                "a stream's band exceeds every place that could serve it",
                "unreachable",
                {"levels": {s: float(t) for s, t in zip(portfolio.streams, targets, strict=True)}},
            )
        # a caller that falls back learns what binds from the reachable reliability, not a diagnosis
        plan = optimise(portfolio, scenarios, settings, targets, budget, explain=not fallback)
    except InfeasibleError:
        if not fallback:
            raise
        best = reachable_reliability(portfolio, scenarios, settings, targets, budget)
        if best is None or (best >= targets - 1e-9).all():  # the diagnosis names what binds
            plan = optimise(portfolio, scenarios, settings, targets, budget)
        else:
            targets = np.minimum(targets, np.floor(np.round(best * 100.0, 6)) / 100.0)
            plan = optimise(portfolio, scenarios, settings, targets, budget)
            for si in np.flatnonzero(targets < requested - 1e-9):
                if new_for[si]:
                    note = Note.of(
                        "plan_reliability_lowered",
                        stream=portfolio.streams[si],
                        asked=float(requested[si]),
                        reached=float(targets[si]),
                    )
                    notes.insert(0, note)
    full = evaluate(plan, need_q.places)
    current = evaluate(current_portfolio_plan(portfolio), need_q.places)
    reduced = evaluate(plan, scenarios.need_places, scenarios.weights)
    decisions = decision_table(plan, scenarios, settings)
    extra = table.reindex(decisions["location_id"])
    for col in ("status", "kind", "wijk_code"):
        if col in extra:
            decisions.insert(2, col, extra[col].astype(str).to_numpy())
    lv = list(settings.reliability_levels if levels is None else levels)
    # a stream that fell back is asked at most what it reaches; the plan is the level asked
    fell = targets < requested - 1e-9
    cap = np.where(fell, targets, 1.0) if fell.any() else None
    chosen = float(requested.max()) if fell.any() else float(targets[0])
    uniform = bool(np.allclose(targets[~fell], chosen)) if (~fell).any() else False
    tradeoff, _ = (
        tradeoff_table(
            portfolio,
            scenarios,
            need_q.places,
            settings,
            lv,
            budget,
            {chosen: plan} if uniform or fell.all() else None,
            cap,
        )
        if lv
        else (pd.DataFrame(), {})
    )
    tables = {"plan": decisions, "tradeoff": tradeoff}
    if regret:
        tables["regret"] = regret_table(plan, scenarios, settings, budget)
    window = str(portfolio.quarters[portfolio.reliability_from_quarter()])
    by_stream = {
        stream: {
            "reliability_asked_share": round(float(requested[si]), 4),
            "reliability_share": round(float(targets[si]), 4),
            "shortfall_chance_without_plan_share": round(float(current.shortfall_chance[si]), 4),
            "shortfall_chance_share": round(float(full.shortfall_chance[si]), 4),
            "places_added": round(float(_places_added(plan, si)), 1),
            "capacity_max_places": round(float(plan.capacity_places[si].max()), 1),
            "need_p90_max_places": round(
                float(np.quantile(need_q.places[:, :, si], 0.9, axis=0).max()), 1
            ),
        }
        for si, stream in enumerate(portfolio.streams)
    }
    summary = {
        "scenario": case.scenario,
        "streams": by_stream,
        "shortfall_window_from": window,
        "capex_budget_eur": budget,
        "capex_eur": round(plan.capex_eur, 0),
        "expected_cost_eur": round(full.expected_cost_eur, 0),
        "expected_cost_without_plan_eur": round(current.expected_cost_eur, 0),
        "expected_cost_reduced_eur": round(reduced.expected_cost_eur, 0),
        "objective_eur": round(plan.objective_eur, 0),
        "paths": int(need_q.paths),
        "reduced_scenarios": int(reduction.size),
        "recourse": settings.recourse,
        "recourse_cost_eur_per_place_month": round(portfolio.recourse_cost_eur_per_place_month, 2),
        "recourse_streams": [
            s for i, s in enumerate(portfolio.streams) if portfolio.recourse_rates(i)[0] > 0
        ],
        "no_recourse_streams": [
            s for i, s in enumerate(portfolio.streams) if portfolio.recourse_rates(i)[0] == 0
        ],
        "mip_gap_share": round(plan.mip_gap_share, 4),
        "status": plan.status,
    }
    pm = None
    if money and hasattr(register, "table"):
        pm = plan_money(case, need, register, decisions, committed)
    return OptimiseResult(
        plan,
        portfolio,
        scenarios,
        reduction,
        need_q,
        full,
        reduced,
        tables,
        summary,
        notes,
        current,
        pm,
    )


def _check_named_locations(settings: Any, table: Any, closed: tuple[str, ...]) -> None:
    """``must_keep`` and ``forbidden`` must name locations of the register that are open at the start."""
    problems = []
    for field_name in ("must_keep", "forbidden"):
        for loc in getattr(settings, field_name):
            if loc in closed:
                problems.append(
                    f"optimise.{field_name}: `{loc}` closed before the start (its available_until)"
                )
            elif loc not in table.index:
                problems.append(f"optimise.{field_name}: no location `{loc}` in the register")
    if problems:
        raise InputError("the plan's named locations do not fit the register", problems)


def current_portfolio_plan(p: Portfolio) -> Plan:
    """The locations there are, as they are: existing ones to their end, nothing new ('without plan')."""
    L, _, Q = p.size
    in_service = p.existing[:, None] & (np.arange(Q)[None, :] < p.end_quarter[:, None])
    shares = p.serves / np.maximum(p.serves.sum(axis=1, keepdims=True), 1)
    alloc = shares[:, :, None] * (p.capacity_places[:, None, None] * in_service[:, None, :])
    return plan_from_decisions(p, in_service, alloc)


def _places_added(plan: Plan, stream: int) -> float:
    """Most places the plan's new locations give the stream in one quarter."""
    new = ~plan.portfolio.existing
    return float(plan.allocation_places[new, stream, :].sum(axis=0).max(initial=0.0))


def replace_settings(
    settings: OptimiseSettings,
    reliability: float,
    budget: float | None,
    by_stream: dict[str, float] | None = None,
) -> OptimiseSettings:
    """The settings with reliability (and, if given, the per-stream ones) and budget set (validated)."""
    values = {**settings.model_dump(), "reliability_share": reliability, "capex_budget_eur": budget}
    if by_stream is not None:
        values["reliability_by_stream"] = by_stream
    return OptimiseSettings.model_validate(values)


def write_plan_tables(result: OptimiseResult, out: Path) -> list[str]:
    """Write plan.csv, tradeoff.csv, regret.csv and optimise.json into ``out``, all or nothing.

    Returns the names written. Money is rounded to whole euros, so that the same case and seed give
    byte-identical files.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    names = []
    try:
        for name, table in result.tables.items():
            table.to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n")
            names.append(f"{name}.csv")
        summary = {**result.summary, "notes": [note_record(n) for n in result.notes]}
        text = json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True, default=float)
        (tmp / "optimise.json").write_text(text + "\n", encoding="utf-8")
        names.append("optimise.json")
        out.mkdir(exist_ok=True)
        for f in tmp.iterdir():
            os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return names
