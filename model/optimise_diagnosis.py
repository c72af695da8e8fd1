"""Why no plan exists: relax the constraints one at a time and name the one that binds."""

from __future__ import annotations

import numpy as np

from model.case import OptimiseSettings
from model.optimise import Portfolio, Scenarios, _solve
from model.optimise_model import CONSTRAINT_GROUPS, OBJECTIVE_SCALE, build
from model.reporting.style import euro

DIAGNOSIS_TIME_LIMIT_SECONDS = 20.0
"""Time limit of each relaxed solve while diagnosing."""


def active_groups(
    settings: OptimiseSettings, reliability: float, budget: float | None
) -> list[str]:
    """The constraint groups that restrict this problem (in the order they are tried)."""
    active = {
        "reliability": reliability > 0,
        "budget": budget is not None,
        "wijk": settings.max_places_per_wijk is not None,
        "must_keep": bool(settings.must_keep),
        "min_quality": settings.min_quality_score is not None,
        "forbidden": bool(settings.forbidden),
    }
    return [g for g in CONSTRAINT_GROUPS if active[g]]


def _feasible(p, s, settings, reliability, budget, relax, objective="cost"):
    built = build(p, s, settings, reliability, budget, frozenset(relax), objective)
    limit = min(settings.time_limit_seconds, DIAGNOSIS_TIME_LIMIT_SECONDS)
    res = _solve(built, settings, time_limit=limit)
    return res, built


def max_reliability_share(
    p: Portfolio, s: Scenarios, settings: OptimiseSettings, budget: float | None
) -> float | None:
    """The largest reliability reachable under the other constraints (None if none is)."""
    res, built = _feasible(p, s, settings, 0.0, budget, {"reliability"}, "reliability")
    if res.x is None:
        return None
    return float(1.0 - res.fun / OBJECTIVE_SCALE / 1e3)


def min_capex_eur(
    p: Portfolio, s: Scenarios, settings: OptimiseSettings, reliability: float
) -> float | None:
    """The least capex of a plan meeting every constraint but the budget (None if none does)."""
    res, built = _feasible(p, s, settings, reliability, None, {"budget"}, "capex")
    if res.x is None:
        return None
    return float(res.fun / OBJECTIVE_SCALE)


def explain_infeasible(
    p: Portfolio,
    s: Scenarios,
    settings: OptimiseSettings,
    reliability: float,
    budget: float | None,
    status: int,
) -> str:
    """A message naming the constraint(s) that make the problem infeasible.

    Each active constraint group is relaxed on its own; a group whose relaxation gives a plan binds.
    """
    if status == 1:
        return (
            f"no plan found within the time limit of {settings.time_limit_seconds:.0f} s; "
            "reduce the number of scenarios (optimise.reduced_scenarios) or candidates, "
            "or raise optimise.time_limit_seconds"
        )
    groups = active_groups(settings, reliability, budget)
    binding = [
        g for g in groups if _feasible(p, s, settings, reliability, budget, {g})[0].x is not None
    ]
    head = f"no plan meets need at reliability {reliability:.0%} under the constraints given"
    if not binding:
        if groups and _feasible(p, s, settings, reliability, budget, set(groups))[0].x is not None:
            names = ", ".join(_NAMES[g] for g in groups)
            return (
                f"{head}: the constraints bind only together ({names}); relax one or more of them"
            )
        return f"{head}: the portfolio itself cannot provide it"
    parts = [_detail(g, p, s, settings, reliability, budget) for g in binding]
    lead = "the binding constraint is" if len(parts) == 1 else "relaxing any one of these helps:"
    return f"{head}; {lead} " + "; ".join(parts)


_NAMES = {
    "reliability": "the reliability",
    "budget": "the capex budget",
    "wijk": "the maximum places per wijk",
    "must_keep": "must_keep",
    "min_quality": "the minimum quality score",
    "forbidden": "the forbidden locations",
}


def _detail(group, p, s, settings, reliability, budget) -> str:
    if group == "reliability":
        best = max_reliability_share(p, s, settings, budget)
        reach = f"at most {best:.0%} is reachable" if best is not None else "it cannot be reached"
        others = [g for g in active_groups(settings, reliability, budget) if g != "reliability"]
        if others and _feasible(p, s, settings, reliability, budget, set(others))[0].x is not None:
            why = "without " + " and ".join(_NAMES[g] for g in others) + " it would be"
        else:
            why = "even every allowed location together does not cover the need; add candidates"
        return f"reliability {reliability:.0%} ({settings.reliability_measure}): {reach} ({why})"
    if group == "budget":
        need = min_capex_eur(p, s, settings, reliability)
        more = (
            f"; meeting the other constraints needs at least {euro(need)} capex"
            if need is not None
            else ""
        )
        return f"the capex budget of {euro(budget or 0.0)} is too small{more}"
    if group == "wijk":
        return f"the maximum of {settings.max_places_per_wijk} places per wijk is too tight"
    if group == "must_keep":
        ids = ", ".join(settings.must_keep)
        return f"the locations that must stay or open ({ids}) do not fit the other constraints"
    if group == "min_quality":
        low = [
            i
            for i, q, e in zip(p.ids, p.quality_score, p.existing, strict=True)
            if not e and np.isfinite(q) and q < (settings.min_quality_score or 0)
        ]
        return (
            f"the minimum quality score {settings.min_quality_score:g} excludes locations "
            f"that are needed ({', '.join(low)})"
        )
    return f"the forbidden locations ({', '.join(settings.forbidden)}) are needed"
