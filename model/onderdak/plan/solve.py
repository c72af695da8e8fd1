"""Portfolio optimisation: open, close or convert locations per quarter, a MILP solved by HiGHS.

The formulation (variables, rows, objective) is in :mod:`onderdak.plan.milp`.

Solving: the full MILP first (70% of the time limit); if it stops short of its gap, a plan by RENS
(:func:`rens`: the LP relaxation's integral values fixed, the small MILP left solved) in the time
left; the better plan is kept and its gap taken against the full solve's dual bound.
HiGHS's own heuristics find poor plans here; the bound, not the plan, is what is left of the
gap: covering a required need with whole locations over 40 quarters. On the benchmark the
root's cuts lift the LP bound by 1.7% and take most of 30 s; HiGHS 1.15 (also in parallel) and
SCIP (pyscipopt 6.3) stop at 1.4-1.5% there and need 130-150 s for 1% (benchmarks/bench_optimise.py).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from onderdak.case.optimise import OptimiseSettings
from onderdak.core.errors import InfeasibleError
from onderdak.plan.diagnosis import infeasible_error
from onderdak.plan.highs import Solution, quiet, rens, solve_milp
from onderdak.plan.milp import Built, build
from onderdak.plan.problem import (
    Evaluation,
    Plan,
    Portfolio,
    Scenarios,
    evaluate,
    plan_from_decisions,
)
from onderdak.plan.reliability import level_facts, levels_text, reliability_targets
from onderdak.plan.sparse_model import OBJECTIVE_SCALE

__all__ = [
    "Evaluation",
    "Plan",
    "Portfolio",
    "Scenarios",
    "evaluate",
    "optimise",
    "plan_from_decisions",
]


def resolve_budget(settings: OptimiseSettings, budget_eur: float | None) -> float | None:
    """The capex budget a plan is held to: ``budget_eur``, or the settings' when it is None;
    ``math.inf`` means no budget (returned as None)."""
    if budget_eur is None:
        return settings.capex_budget_eur
    return None if math.isinf(budget_eur) else float(budget_eur)


def optimise(
    portfolio: Portfolio,
    scenarios: Scenarios,
    settings: OptimiseSettings,
    reliability: float | Sequence[float] | None = None,
    budget_eur: float | None = None,
    explain: bool = True,
) -> Plan:
    """The plan of least expected cost that meets need at the reliability asked.

    Parameters
    ----------
    portfolio : Portfolio
    scenarios : Scenarios
    settings : OptimiseSettings
        Constraints, gap and time limit (``reliability_share`` and ``capex_budget_eur`` unless given).
    reliability : float or sequence of float, optional
        Share (0–1) of the paths each stream keeps free of shortfall (:mod:`onderdak.need.shortfall`): one
        for all streams or one per stream. Default: the settings' per stream.
    budget_eur : float or None, optional
        Capex budget in euros; None: the settings' budget; ``math.inf``: no budget.
    explain : bool
        On infeasibility, name the binding constraint (one more solve per active constraint group);
        False raises at once with the solver's verdict (a caller that falls back does not need it).

    Raises
    ------
    InfeasibleError
        If no plan meets the constraints; the message names the constraint that binds.
    """
    rel = reliability_targets(portfolio, settings, reliability)
    budget = resolve_budget(settings, budget_eur)
    started = time.perf_counter()
    built = build(portfolio, scenarios, settings, rel, budget)
    deadline = started + settings.time_limit_seconds
    limit = max(deadline - time.perf_counter(), 1.0)
    # the full solve first; RENS only when it stops short of its gap (time limit), in the time
    # left: the plan is then the full solve's whenever it proves its gap (deterministic: RENS's
    # second search runs on a wall-clock limit, so which of two plans within the gap it returns
    # could depend on the machine's load), and each plan takes one core, so that scenarios can
    # run side by side
    with quiet():
        res = solve_milp(built, settings, 0.7 * limit)
    by_rens = None
    if res.status == 1:
        by_rens = rens(built, settings, max(deadline - time.perf_counter(), 1.0))
    if by_rens is not None and (res.x is None or (res.status != 0 and by_rens.fun < res.fun)):
        bound = getattr(res, "mip_dual_bound", None)
        gap = (
            abs(by_rens.fun - bound) / max(abs(by_rens.fun), 1e-9) if bound is not None else np.nan
        )
        res = Solution(by_rens.x, by_rens.fun, 0 if gap <= settings.mip_gap_share else 1, gap)
    if res.x is None:
        if not explain:
            raise InfeasibleError(
                f"no plan meets need at reliability {levels_text(portfolio, rel)} "
                f"(solver status {res.status})",
                "no_plan",
                {"levels": level_facts(portfolio, rel)},
            )
        raise infeasible_error(portfolio, scenarios, settings, rel, budget, res.status)
    plan = _plan_from(built, res.x, portfolio, rel)
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    status = "optimal" if res.status == 0 else f"stopped at the time limit (gap {gap:.1%})"
    return replace(
        plan,
        objective_eur=float(res.fun / OBJECTIVE_SCALE - built.offset_eur),
        mip_gap_share=gap,
        solve_seconds=time.perf_counter() - started,
        status=status,
    )


def _plan_from(built: Built, sol: np.ndarray, p: Portfolio, reliability: np.ndarray) -> Plan:
    """A Plan from a solution vector: rounded decisions, allocation and first-stage costs."""
    in_service = sol[built.x] > 0.5
    alloc = np.where(in_service[:, None, :], sol[built.y], 0.0)
    alloc = np.clip(np.round(alloc, 6), 0.0, None)
    return plan_from_decisions(p, in_service, alloc, tuple(float(r) for r in reliability))
