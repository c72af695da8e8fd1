"""Portfolio optimisation: open, close or convert locations per quarter, a MILP solved by HiGHS.

The formulation (variables, rows, objective) is in :mod:`onderdak.plan.milp`.

Solving: the full MILP first (70% of the time limit); if it stops short of its gap, a plan by RENS
(:func:`_rens`: the LP relaxation's integral values fixed, the small MILP left solved) in the time
left; the better plan is kept and its gap taken against the full solve's dual bound.
HiGHS's own heuristics find poor plans here; the bound, not the plan, is what is left of the
gap: covering a required need with whole locations over 40 quarters. On the benchmark the
root's cuts lift the LP bound by 1.7% and take most of 30 s; HiGHS 1.15 (also in parallel) and
SCIP (pyscipopt 6.3) stop at 1.4-1.5% there and need 130-150 s for 1% (benchmarks/bench_optimise.py).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from onderdak.case.settings import OptimiseSettings
from onderdak.core.errors import InfeasibleError
from onderdak.plan.milp import OBJECTIVE_SCALE, Built, build, reliability_targets
from onderdak.plan.problem import (
    Evaluation,
    Plan,
    Portfolio,
    Scenarios,
    evaluate,
    plan_from_decisions,
)

__all__ = [
    "Evaluation",
    "Plan",
    "Portfolio",
    "Scenarios",
    "evaluate",
    "optimise",
    "plan_from_decisions",
]


def _solve(built: Built, settings: OptimiseSettings, time_limit: float | None = None):
    """Solve with HiGHS; an 'infeasible' from presolve is confirmed without presolve.

    (HiGHS 1.12's presolve has been seen to call a feasible model of this kind infeasible.)
    """
    c, integrality, lb, ub, a, lo, hi = built.model.arrays()
    limit = time_limit or settings.time_limit_seconds
    for presolve in (True, False):
        with _quiet():
            res = milp(
                c,
                integrality=integrality,
                bounds=Bounds(lb, ub),
                constraints=LinearConstraint(a, lo, hi),
                options={
                    "mip_rel_gap": settings.mip_gap_share,
                    "time_limit": limit,
                    "presolve": presolve,
                },
            )
        if res.status != 2:
            break
    return res


@dataclass(frozen=True)
class _Result:
    """A solution found by :func:`_rens`, with the gap to the full solve's dual bound."""

    x: np.ndarray
    fun: float
    status: int
    mip_gap: float


def _rens(built: Built, settings: OptimiseSettings, time_limit: float):
    """A first plan by relaxation-enforced neighbourhood search (RENS, Berthold 2014).

    Solves the LP relaxation, fixes every integer variable that is integral there (most
    locations, most scenarios) and solves the small MILP that is left; then, in the time left,
    the wider one with only the LP's zeros fixed. HiGHS's own heuristics
    find poor plans for this model (covering a band with whole locations over many quarters); this one is
    found in seconds and is often within about 1% of the bound. None when there is none.
    """
    c, integrality, lb, ub, a, lo, hi = built.model.arrays()
    started = time.perf_counter()
    constraints = LinearConstraint(a, lo, hi)
    with _quiet():
        lp = milp(
            c,
            integrality=np.zeros_like(integrality),
            bounds=Bounds(lb, ub),
            constraints=constraints,
            options={"time_limit": time_limit},
        )
    if lp.status != 0 or lp.x is None:
        return None
    ints = np.flatnonzero(integrality)
    value = np.round(lp.x[ints])
    integral = np.abs(lp.x[ints] - value) < 1e-6
    best = None
    # the LP's integral values fixed; then a wider neighbourhood: only its zeros fixed
    for fixed in (ints[integral], ints[integral & (value == 0)]):
        left = time_limit - (time.perf_counter() - started)
        if left <= 0.5:
            break
        lb_n, ub_n = lb.copy(), ub.copy()
        lb_n[fixed] = ub_n[fixed] = np.round(lp.x[fixed])
        with _quiet():
            res = milp(
                c,
                integrality=integrality,
                bounds=Bounds(lb_n, ub_n),
                constraints=constraints,
                options={"mip_rel_gap": settings.mip_gap_share / 4, "time_limit": left},
            )
        if res.x is not None and (best is None or res.fun < best.fun):
            best = res
    return best


_QUIET_LOCK = threading.Lock()
_quiet_depth = 0
_quiet_saved: tuple[int, int, Any] | None = None  # (fd, its saved copy, devnull) while silenced


@contextlib.contextmanager
def _quiet():
    """Silence what HiGHS prints on the C level (file descriptor 1) during a solve.

    Re-entrant and thread-safe: the first of nested or concurrent uses redirects and the last one to
    leave restores, so a solve still running in another thread (RENS beside the full MILP) stays
    silenced when the one that started first finishes."""
    global _quiet_depth, _quiet_saved
    with _QUIET_LOCK:
        _quiet_depth += 1
        if _quiet_depth == 1:
            fd = 1  # HiGHS prints on the C stdout, whatever Python's sys.stdout is now
            sys.stdout.flush()
            devnull = open(os.devnull, "w")  # noqa: SIM115 (closed below)
            _quiet_saved = (fd, os.dup(fd), devnull)
            os.dup2(devnull.fileno(), fd)
    try:
        yield
    finally:
        with _QUIET_LOCK:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _quiet_saved is not None:
                fd, saved, devnull = _quiet_saved
                os.dup2(saved, fd)
                os.close(saved)
                devnull.close()
                _quiet_saved = None


def optimise(
    portfolio: Portfolio,
    scenarios: Scenarios,
    settings: OptimiseSettings,
    reliability: float | Sequence[float] | None = None,
    budget_eur: float | None = ...,  # type: ignore[assignment]
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
        Capex budget in euros; None: no budget. Default: the settings' budget.
    explain : bool
        On infeasibility, name the binding constraint (one more solve per active constraint group);
        False raises at once with the solver's verdict (a caller that falls back does not need it).

    Raises
    ------
    InfeasibleError
        If no plan meets the constraints; the message names the constraint that binds.
    """
    rel = reliability_targets(portfolio, settings, reliability)
    budget = settings.capex_budget_eur if budget_eur is ... else budget_eur
    started = time.perf_counter()
    built = build(portfolio, scenarios, settings, rel, budget)
    deadline = started + settings.time_limit_seconds
    limit = max(deadline - time.perf_counter(), 1.0)
    # the full solve first; RENS only when it stops short of its gap (time limit), in the time
    # left: the plan is then the full solve's whenever it proves its gap (deterministic: RENS's
    # second search runs on a wall-clock limit, so which of two plans within the gap it returns
    # could depend on the machine's load), and each plan takes one core, so that scenarios can
    # run side by side
    with _quiet():
        res = _solve(built, settings, 0.7 * limit)
    rens = None
    if res.status == 1:
        rens = _rens(built, settings, max(deadline - time.perf_counter(), 1.0))
    if rens is not None and (res.x is None or (res.status != 0 and rens.fun < res.fun)):
        bound = getattr(res, "mip_dual_bound", None)
        gap = abs(rens.fun - bound) / max(abs(rens.fun), 1e-9) if bound is not None else np.nan
        res = _Result(rens.x, rens.fun, 0 if gap <= settings.mip_gap_share else 1, gap)
    if res.x is None:
        if not explain:
            raise InfeasibleError(
                f"no plan meets need at reliability {_levels(portfolio, rel)} "
                f"(solver status {res.status})",
                "no_plan",
                {"levels": level_facts(portfolio, rel)},
            )
        from onderdak.plan.diagnosis import infeasible_error

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


def level_facts(p: Portfolio, targets: np.ndarray) -> dict[str, float]:
    """Per stream the reliability asked (share): the facts of an :class:`InfeasibleError`."""
    return {s: float(t) for s, t in zip(p.streams, np.asarray(targets), strict=True)}


def _levels(p: Portfolio, targets: np.ndarray) -> str:
    """'90%' when every stream asks the same, else 'ukraine 90%, asylum 80%'."""
    if np.allclose(targets, targets[0]):
        return f"{targets[0]:.0%}"
    return ", ".join(f"{s} {t:.0%}" for s, t in zip(p.streams, targets, strict=True))


def _plan_from(built: Built, sol: np.ndarray, p: Portfolio, reliability: np.ndarray) -> Plan:
    """A Plan from a solution vector: rounded decisions, allocation and first-stage costs."""
    in_service = sol[built.x] > 0.5
    alloc = np.where(in_service[:, None, :], sol[built.y], 0.0)
    alloc = np.clip(np.round(alloc, 6), 0.0, None)
    return plan_from_decisions(p, in_service, alloc, tuple(float(r) for r in reliability))
