"""The bestuurlijk advies: one computation of every stage for a case, and the plan-level alternatives
(its key message and decisions: :mod:`onderdak.reporting.advice_summary`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onderdak.business_case.evaluate import BusinessCase
from onderdak.core.errors import InfeasibleError
from onderdak.pipeline.results import Results
from onderdak.pipeline.run import CaseRun
from onderdak.plan.build import optimise_case
from onderdak.portfolio.analysis import PortfolioAnalysis
from onderdak.reporting.openbaar import public_copy
from onderdak.reporting.voorstel_facts import BUY_ACTIONS, extensions


@dataclass
class Advice:
    """Everything the advice shows, computed once: scenarios, portfolio, business case (and plan),
    and what the residents need beyond a bed ('thuis', when the case has that section)."""

    scenario: str
    results: Results
    portfolio: PortfolioAnalysis
    business_case: BusinessCase | None
    plan: Any = None  # onderdak.plan.build.OptimiseResult
    plan_error: str = ""  # the code of the InfeasibleError when no plan exists ('' when one does)
    plan_error_facts: dict[str, Any] = field(default_factory=dict)  # its facts, for the words
    alternatives: dict[str, dict[str, Any]] = field(default_factory=dict)  # plan_alternatives
    thuis: Any = None  # onderdak.thuis.result.Thuis when the case has a `thuis:` section

    @property
    def case(self):
        return self.results.runs[self.scenario].case


ALTERNATIVE_SECONDS = 10.0
"""Time limit of each plan-level alternative's solve (the recommended plan has the case's)."""

PURCHASE_FORMS = ("buy", "build")
"""What the alternative "no purchases" leaves out: buildings bought and units built."""

ADVICE_LEVELS = (0.5, 0.8)
"""Reliability levels of the advice's trade-off, besides the case's own (the plan notebook shows all)."""


def prepare_advice(
    case_path: str | Path,
    scenario: str = "basis",
    paths: int | None = None,
    seed: int | None = None,
    plan: bool = True,
    language: str | None = None,
    openbaar: bool = False,
) -> Advice:
    """Run every stage of the pipeline for the advice (all scenarios; portfolio, plan and money for ``scenario``).

    One run (:class:`onderdak.pipeline.run.CaseRun`): each scenario is simulated once and the
    register read once; the portfolio, the business case and the plan of ``scenario`` take them
    from it. ``paths`` and ``seed`` None: the case's. The plan is the optimisation of
    :func:`onderdak.plan.build.optimise_case` for the advice's scenario, with the trade-off over a
    few reliability levels (no regret: the plan report has it). When the reliability asked cannot
    be reached, the plan is made for the most that can and says so; when no plan is possible at
    all (e.g. a budget too small), ``plan_error`` and ``plan_error_facts`` say why as a code and
    its facts (worded by :func:`onderdak.reporting.advice_text.no_plan`)."""
    if openbaar:  # the public variant: computed on a copy without candidates' addresses
        public = public_copy(case_path, language or "nl")
        return prepare_advice(public, scenario, paths, seed, plan, language)
    run = CaseRun(case_path, paths=paths, seed=seed)
    results = run.results(money=False)  # money: for `scenario` below
    case = run.scenario(scenario).case
    portfolio = run.portfolio(scenario)
    bc = None
    if case.business_case.location_id and run.register is not None:
        bc = run.business_case(scenario=scenario)
    advice = Advice(scenario=scenario, results=results, portfolio=portfolio, business_case=bc)
    if getattr(case, "thuis", None) is not None:  # a case without the section: not computed
        advice.thuis = run.thuis(scenario)
    if plan and run.register is not None:
        levels = sorted({*ADVICE_LEVELS, case.optimise.reliability_share})
        try:
            advice.plan = run.plan(
                scenario, levels=levels, regret=False, language=language, fallback=True
            )
        except InfeasibleError as exc:
            advice.plan_error, advice.plan_error_facts = exc.code, exc.facts
    if advice.plan is not None:
        need = run.need[scenario]
        advice.alternatives = plan_alternatives(case, need, run.register, language)
    return advice


def _alternative_candidates(table: Any) -> dict[str, set[str]]:
    """Per plan-level alternative the candidates it may not use: "no_purchases" leaves out the
    buildings bought and the units built; "extend_only" every candidate that does not extend a
    current location (an AZC's contract after its end date). An alternative that would leave out
    nothing, or everything, is not made."""
    candidates = table[table["status"] == "candidate"]
    ids = {str(i) for i in candidates.index}
    bought = {
        str(i) for i, k in candidates["kind"].items() if BUY_ACTIONS.get(str(k)) in PURCHASE_FORMS
    }
    extend = extensions(table) & ids
    out = {}
    if bought and bought != ids:
        out["no_purchases"] = bought
    if extend and extend != ids:
        out["extend_only"] = ids - extend
    return out


def plan_alternatives(
    case: Any, need: Any, register: Any, language: str | None = None
) -> dict[str, dict[str, Any]]:
    """The plan-level alternatives: the cheapest plan without purchases and the one that only
    extends the current locations, each one extra solve (time-limited, no trade-off, no money) on
    the same register with the other candidates forbidden. Per alternative the expected cost
    (present value, as the recommended plan's), the investment, the places opened, per stream the
    chance of a shortfall, the streams for which the reliability asked is not reached, the
    extensions it keeps and the seconds taken."""
    table = register.table
    out: dict[str, dict[str, Any]] = {}
    for name, forbidden in _alternative_candidates(table).items():
        keep = set(case.optimise.must_keep)
        settings = case.optimise.model_copy(
            update={
                "forbidden": sorted({*case.optimise.forbidden, *(forbidden - keep)}),
                "time_limit_seconds": min(ALTERNATIVE_SECONDS, case.optimise.time_limit_seconds),
            }
        )
        started = time.perf_counter()
        try:
            result = optimise_case(
                case.model_copy(update={"optimise": settings}),
                need,
                table,
                levels=[],
                regret=False,
                language=language,
                fallback=True,
                money=False,
            )
        except InfeasibleError:
            continue
        streams = result.summary["streams"]
        opened = result.tables["plan"]
        opened = opened[opened["action"] == "open"]
        out[name] = {
            "expected_cost_eur": float(result.summary["expected_cost_eur"]),
            "capex_eur": float(result.summary["capex_eur"]),
            "places": float(opened["places"].sum()),
            "names": [str(n) for n in opened["name"]],
            "chances": {k: float(v["shortfall_chance_share"]) for k, v in streams.items()},
            "short": [
                k
                for k, v in streams.items()
                if v["reliability_share"] < v["reliability_asked_share"] - 1e-9
            ],
            "extended": sorted(str(table.at[i, "name"]) for i in extensions(table) - forbidden),
            "seconds": round(time.perf_counter() - started, 1),
        }
    return out
