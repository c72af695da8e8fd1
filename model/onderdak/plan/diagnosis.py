"""Why no plan exists: relax the constraints one at a time and name the one that binds."""

from __future__ import annotations

import numpy as np

from onderdak.case.optimise import OptimiseSettings
from onderdak.core.errors import InfeasibleError
from onderdak.need.shortfall import band
from onderdak.plan.highs import solve_milp
from onderdak.plan.milp import CONSTRAINT_GROUPS, build
from onderdak.plan.problem import Portfolio, Scenarios
from onderdak.plan.reliability import depth_cached, level_facts, levels_text
from onderdak.plan.sparse_model import OBJECTIVE_SCALE

DIAGNOSIS_TIME_LIMIT_SECONDS = 20.0
"""Time limit of each relaxed solve while diagnosing."""


def active_groups(
    settings: OptimiseSettings, reliability: np.ndarray, budget: float | None
) -> list[str]:
    """The constraint groups that restrict this problem (in the order they are tried)."""
    active = {
        "reliability": bool(np.any(np.asarray(reliability) > 0)),
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
    res = solve_milp(built, settings, time_limit=limit)
    return res, built


def surely_unreachable(p: Portfolio, s: Scenarios, reliability: np.ndarray) -> bool:
    """Whether some stream's band exceeds, in some quarter, every place that could serve it then
    (all its locations, each new one from its earliest quarter): no plan can hold it, whatever the
    other constraints. A cheap test before a solve that would only prove infeasibility."""
    L, S, Q = p.size
    sample, w = s.cost_sample
    q0 = p.reliability_from_quarter()
    q = np.arange(Q)[None, :]
    live = (q < p.end_quarter[:, None]) & (p.existing[:, None] | (q >= p.earliest_quarter[:, None]))
    for si in range(S):
        most = (p.capacity_places[:, None] * (live & p.serves[:, si : si + 1])).sum(axis=0)
        d = depth_cached(sample, w, si, q0)
        need = band(sample[:, :, si], float(reliability[si]), q0, w, d).places
        if (need > most + 1e-6).any():
            return True
    return False


def reachable_reliability(
    p: Portfolio,
    s: Scenarios,
    settings: OptimiseSettings,
    reliability: np.ndarray,
    budget: float | None,
) -> np.ndarray | None:
    """(S,) per stream, the reliability a plan under the other constraints reaches (None if none).

    One solve: the plan that comes closest to each stream's band at the reliability asked (least
    places below it, each stream relative to its own band), then per stream the share of paths
    whose whole band-rank fits under that plan's capacity (:func:`onderdak.need.shortfall.depth`), so
    that the band at that share fits too. At least the asked reliability where the band fits.
    """
    res, built = _feasible(p, s, settings, reliability, budget, set(), "reach")
    if res.x is None:
        return None
    sample, w = s.cost_sample
    q_from = p.reliability_from_quarter()
    in_service = res.x[built.x] > 0.5
    capacity = np.where(in_service[:, None, :], res.x[built.y], 0.0).sum(axis=0)  # (S, Q)
    out = np.array(reliability, dtype=float)
    for si in range(len(p.streams)):
        gap = sample[:, q_from:, si] - capacity[si, q_from:][None, :]
        if not (gap > 1e-6).any():
            continue
        d = depth_cached(sample, w, si, q_from)
        first_uncovered = d[(gap > 1e-6).any(axis=1)].min()
        out[si] = min(out[si], float(w[d < first_uncovered].sum()))
    return out


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
    reliability: np.ndarray,
    budget: float | None,
    status: int,
) -> str:
    """A message naming the constraint(s) that make the problem infeasible (English, for the
    command line; :func:`infeasible_error` also gives the code and facts a report words)."""
    return str(infeasible_error(p, s, settings, reliability, budget, status))


def infeasible_error(
    p: Portfolio,
    s: Scenarios,
    settings: OptimiseSettings,
    reliability: np.ndarray,
    budget: float | None,
    status: int,
) -> InfeasibleError:
    """The error of an infeasible problem: a message naming the constraint(s) that bind, and the
    same as a code with its facts (:class:`onderdak.core.errors.InfeasibleError`).

    Each active constraint group is relaxed on its own; a group whose relaxation gives a plan binds.
    """
    levels = level_facts(p, np.asarray(reliability))
    if status == 1:
        return InfeasibleError(
            f"no plan found within the time limit of {settings.time_limit_seconds:.0f} s; "
            "reduce the number of scenarios (optimise.reduced_scenarios) or candidates, "
            "or raise optimise.time_limit_seconds",
            "time_limit",
            {"seconds": float(settings.time_limit_seconds), "levels": levels},
        )
    groups = active_groups(settings, reliability, budget)
    binding = [
        g for g in groups if _feasible(p, s, settings, reliability, budget, {g})[0].x is not None
    ]
    head = (
        f"no plan meets need at reliability {levels_text(p, np.asarray(reliability))} "
        "under the constraints given"
    )
    if not binding:
        if groups and _feasible(p, s, settings, reliability, budget, set(groups))[0].x is not None:
            names = ", ".join(_NAMES[g] for g in groups)
            return InfeasibleError(
                f"{head}: the constraints bind only together ({names}); relax one or more of them",
                "together",
                {"groups": list(groups), "levels": levels},
            )
        return InfeasibleError(
            f"{head}: the portfolio itself cannot provide it", "portfolio", {"levels": levels}
        )
    facts: dict = {"groups": list(binding), "levels": levels}
    parts = [_detail(g, p, s, settings, reliability, budget, facts) for g in binding]
    lead = "the binding constraint is" if len(parts) == 1 else "relaxing any one of these helps:"
    return InfeasibleError(f"{head}; {lead} " + "; ".join(parts), "binding", facts)


_NAMES = {
    "reliability": "the reliability",
    "budget": "the capex budget",
    "wijk": "the maximum places per wijk",
    "must_keep": "must_keep",
    "min_quality": "the minimum quality score",
    "forbidden": "the forbidden locations",
}


def _detail(group, p, s, settings, reliability, budget, facts: dict) -> str:
    """The English detail of a binding group; its figures go into ``facts``."""
    if group == "reliability":
        best = reachable_reliability(p, s, settings, reliability, budget)
        if best is None:
            reach = "it cannot be reached"
        else:
            facts["reachable"] = {
                name: float(b)
                for name, b, r in zip(p.streams, best, reliability, strict=True)
                if b < r - 1e-9
            }
            short = [
                f"{name} at most {b:.0%} (asked {r:.0%})"
                for name, b, r in zip(p.streams, best, reliability, strict=True)
                if b < r - 1e-9
            ]
            reach = "; ".join(short) or "each stream's own target is reachable on its own"
        others = [g for g in active_groups(settings, reliability, budget) if g != "reliability"]
        if others and _feasible(p, s, settings, reliability, budget, set(others))[0].x is not None:
            why = "without " + " and ".join(_NAMES[g] for g in others) + " it would be"
        else:
            why = "even every allowed location together does not cover the need; add candidates"
        return f"reliability: {reach} ({why})"
    if group == "budget":
        need = min_capex_eur(p, s, settings, reliability)
        facts["budget_eur"] = float(budget or 0.0)
        if need is not None:
            facts["min_capex_eur"] = need
        more = (
            f"; meeting the other constraints needs at least €{need:,.0f} capex"
            if need is not None
            else ""
        )
        return f"the capex budget of €{budget or 0.0:,.0f} is too small{more}"
    if group == "wijk":
        facts["max_places_per_wijk"] = settings.max_places_per_wijk
        return f"the maximum of {settings.max_places_per_wijk} places per wijk is too tight"
    if group == "must_keep":
        facts["must_keep"] = list(settings.must_keep)
        ids = ", ".join(settings.must_keep)
        return f"the locations that must stay or open ({ids}) do not fit the other constraints"
    if group == "min_quality":
        low = [
            i
            for i, q, e in zip(p.ids, p.quality_score, p.existing, strict=True)
            if not e and np.isfinite(q) and q < (settings.min_quality_score or 0)
        ]
        facts["min_quality"] = settings.min_quality_score
        facts["excluded"] = list(low)
        return (
            f"the minimum quality score {settings.min_quality_score:g} excludes locations "
            f"that are needed ({', '.join(low)})"
        )
    facts["forbidden"] = list(settings.forbidden)
    return f"the forbidden locations ({', '.join(settings.forbidden)}) are needed"
