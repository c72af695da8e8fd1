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

from model.case import Case, OptimiseSettings
from model.ensemble import Need
from model.errors import InfeasibleError, InputError
from model.optimise import optimise
from model.plan_inputs import (
    portfolio_from_register,
    reduced_scenarios,
    ukraine_income_eur_per_place_month,
)
from model.plan_tables import cover_short_share, decision_table, regret_table, tradeoff_table
from model.portfolio_plan import Evaluation, Plan, Portfolio, Scenarios, evaluate
from model.scenario_reduction import QuarterlyNeed, Reduction, quarterly_need


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
    notes: list[str] = field(default_factory=list)


def optimise_case(
    case: Case,
    need: Need,
    register: Any = None,
    reliability: float | None = None,
    budget_eur: float | None = ...,  # type: ignore[assignment]
    levels: list[float] | None = None,
    regret: bool = True,
    language: str | None = None,
    fallback: bool = False,
) -> OptimiseResult:
    """The recommended plan for one scenario of a case, with its trade-off and regret tables.

    Parameters
    ----------
    case : Case
        Its ``optimise`` section gives the constraints; start, horizon and discount rate the time.
    need : Need
        From ``model.demand.municipal_need``.
    register : Register or pandas.DataFrame, optional
        Default: the case's register (``model.locations.load_register``).
    reliability, budget_eur : optional
        Override ``case.optimise.reliability_share`` and ``capex_budget_eur`` (None: no budget).
    levels : list of float, optional
        Reliability levels of the trade-off (default: the settings'); [] skips the trade-off.
    regret : bool
        Compute regret per scenario (one MILP per reduced scenario).
    language : str, optional
        Language of the ``why`` column (default: the case's).
    fallback : bool
        If the reliability asked cannot be reached, plan for the most that can (rounded down to a
        whole percent) and say so first in ``notes`` (reports); False: raise (CLI).

    Raises
    ------
    InfeasibleError
        If no plan meets the constraints at the reliability asked (the message names the binding one).
    """
    settings = case.optimise
    rel = settings.reliability_share if reliability is None else float(reliability)
    budget = settings.capex_budget_eur if budget_eur is ... else budget_eur
    settings = replace_settings(settings, rel, budget)
    if register is None:
        from model.locations import load_register

        register = load_register(case)
    table = register.table if hasattr(register, "table") else register
    _check_named_locations(settings, table, getattr(register, "closed", ()))
    streams = [s for s in settings.streams if s in need.streams]
    need_q = quarterly_need(need.streams, need.periods, streams)
    scenarios, reduction = reduced_scenarios(need_q, settings.reduced_scenarios, case.seed)
    income: dict[str, np.ndarray] = {}
    notes: list[str] = []
    if "ukraine" in streams:
        income["ukraine"], notes = ukraine_income_eur_per_place_month(
            need.periods, need_q, language or case.language
        )
    portfolio = portfolio_from_register(
        table,
        need_q,
        case.start,
        case.horizon_months,
        case.discount_rate_real_share,
        settings,
        income,
    )
    requested = rel
    fell_back = False
    try:
        # a caller that falls back learns what binds from the reachable reliability, not a diagnosis
        plan = optimise(portfolio, scenarios, settings, rel, budget, explain=not fallback)
    except InfeasibleError:
        if not fallback:
            raise
        from model.optimise_diagnosis import max_reliability_share

        best = max_reliability_share(portfolio, scenarios, settings, budget)
        if best is None or best >= rel:  # not the reliability that binds: the diagnosis names it
            plan = optimise(portfolio, scenarios, settings, rel, budget)
        else:
            fell_back = True
            rel = float(np.floor(round(best * 100.0, 6)) / 100.0)
            settings = replace_settings(settings, rel, budget)
            plan = optimise(portfolio, scenarios, settings, rel, budget)
    full = evaluate(plan, need_q.places)
    achieved = 1.0 - full.shortfall_probability_share
    if fell_back:
        notes.insert(
            0,
            _fallback_note(requested, rel, achieved, need_q.paths, language or case.language),
        )
    reduced = evaluate(plan, scenarios.need_places, scenarios.weights)
    decisions = decision_table(plan, scenarios, settings, language or case.language)
    extra = table.reindex(decisions["location_id"])
    for col in ("status", "kind", "wijk_code"):
        if col in extra:
            decisions.insert(2, col, extra[col].astype(str).to_numpy())
    lv = list(settings.reliability_levels if levels is None else levels)
    if rel < requested and lv:  # fell back: show the levels that can be reached (one solve each)
        below = {x for x in lv if x <= rel}
        lv = sorted(below | {rel} | ({round(rel / 2, 2)} if not below else set()))
    tradeoff, _ = (
        tradeoff_table(portfolio, scenarios, need_q.places, settings, lv, budget, {rel: plan})
        if lv
        else (pd.DataFrame(), {})
    )
    tables = {"plan": decisions, "tradeoff": tradeoff}
    if regret:
        tables["regret"] = regret_table(plan, scenarios, settings, budget)
    summary = {
        "scenario": case.scenario,
        "reliability_share": rel,
        "requested_reliability_share": requested,
        "reliability_measure": settings.reliability_measure,
        "reliability_from_quarter": str(portfolio.quarters[portfolio.reliability_from_quarter()]),
        "capex_budget_eur": budget,
        "capex_eur": round(plan.capex_eur, 0),
        "expected_cost_eur": round(full.expected_cost_eur, 0),
        "expected_cost_reduced_eur": round(reduced.expected_cost_eur, 0),
        "objective_eur": round(plan.objective_eur, 0),
        "shortfall_probability_share": round(full.shortfall_probability_share, 4),
        "shortfall_probability_reduced_share": round(
            cover_short_share(portfolio, scenarios, plan.capacity_places), 4
        ),
        "shortfall_month_share": round(full.shortfall_month_share, 4),
        "achieved_reliability_share": round(achieved, 4),
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
    return OptimiseResult(
        plan, portfolio, scenarios, reduction, need_q, full, reduced, tables, summary, notes
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


def _fallback_note(requested: float, rel: float, achieved: float, paths: int, language: str) -> str:
    """Why the plan is made for a lower reliability, and what it reaches on every path.

    The constraint counts a representative scenario as covered only when the heaviest path it
    stands for is covered, so it is stricter than the share of all paths without a shortfall: a
    plan at a lower constraint level can still reach the reliability asked on the full ensemble.
    """
    if language == "en":
        head = (
            f"The reliability asked ({requested:.0%}) cannot be reached on the representative scenarios "
            f"(at most {rel:.0%}; each scenario counts with the heaviest path it stands for)"
        )
        tail = f"; on all {paths:,} paths it stays without shortfall in {achieved:.0%}, " + (
            "so the reliability asked is met."
            if achieved >= requested
            else f"short of the {requested:.0%} asked."
        )
        return head + tail
    head = (
        f"De gevraagde betrouwbaarheid van {requested:.0%} is op de representatieve scenario's niet haalbaar "
        f"(ten hoogste {rel:.0%}; elk scenario telt met het zwaarste pad dat het vertegenwoordigt)"
    )
    tail = f"; op alle {paths:,} paden blijft het plan in {achieved:.0%} zonder tekort".replace(
        ",", "."
    ) + (
        ", en haalt daarmee de gevraagde betrouwbaarheid."
        if achieved >= requested
        else f", minder dan de gevraagde {requested:.0%}."
    )
    return head + tail


def replace_settings(
    settings: OptimiseSettings, reliability: float, budget: float | None
) -> OptimiseSettings:
    """The settings with reliability and budget set (validated)."""
    return OptimiseSettings.model_validate(
        {**settings.model_dump(), "reliability_share": reliability, "capex_budget_eur": budget}
    )


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
        summary = {**result.summary, "notes": result.notes}
        text = json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=True, default=float)
        (tmp / "optimise.json").write_text(text + "\n", encoding="utf-8")
        names.append("optimise.json")
        out.mkdir(exist_ok=True)
        for f in tmp.iterdir():
            os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return names


def load_plan(
    case_path: str | Path,
    scenario: str | None = None,
    paths: int | None = None,
    seed: int | None = None,
    reliability: float | None = None,
    budget_eur: float | None = None,
    language: str | None = None,
) -> OptimiseResult:
    """Read a case, simulate its need and make the plan (the notebook's one call).

    ``case_path`` may be relative to the repository root; ``scenario`` None/''/'basis' is the base;
    ``seed``, ``reliability`` and ``budget_eur`` None or negative take the case's. A reliability that
    cannot be reached falls back to the most that can (see ``notes``).
    """
    from model.case import load_case
    from model.results import resolve_case_path, simulate

    case = load_case(
        resolve_case_path(case_path), None if scenario in (None, "", "basis") else scenario
    )
    run = simulate(case, paths=paths, seed=None if seed is None or seed < 0 else seed)
    return optimise_case(
        case,
        run.need,
        reliability=None if reliability is None or reliability < 0 else reliability,
        budget_eur=... if budget_eur is None or budget_eur < 0 else budget_eur,
        language=language,
        fallback=True,
    )


def plan_risk_by_stream(result: OptimiseResult, need: Need) -> dict[str, tuple[float, str]]:
    """Per stream: the highest monthly shortfall chance under the plan and the first month above 10%.

    The measure of the portfolio analysis (:func:`model.gap.gap_summary`: the share of paths short
    by at least half a place in a month), so that "now" and "with the plan" can stand side by side.
    Months before the first quarter in which a new location can open are left out (nothing can be
    done about them any more).
    """
    from model.gap import SHORTFALL_THRESHOLD, first_risky_month

    q = result.need
    month_quarter = np.repeat(np.arange(len(q.quarters)), q.months_per_quarter)
    start = int(q.first_month[result.portfolio.reliability_from_quarter()])
    periods = need.periods[start : len(month_quarter)]
    out = {}
    for s, stream in enumerate(q.streams):
        capacity = result.plan.capacity_places[s, month_quarter[start:]]
        short = need.streams[stream][:, start : len(month_quarter)] - capacity[None, :]
        p = (short >= SHORTFALL_THRESHOLD).mean(axis=0)
        out[stream] = (float(p.max()) if p.size else 0.0, first_risky_month(p, periods))
    return out
