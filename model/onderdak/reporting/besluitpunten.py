"""The besluitpunten of the advice: decisions of the college and proposals to the raad, each with a
date after the peildatum and one line of argument, every number taken from the run.

Facts in, words from the message catalogs (``messages/<language>/besluitpunten.yaml``).

Dates: a decision the plan needed earlier than the month after the peildatum is due in that month
("al nodig"); the budget is asked for the first decision; the need is the starting point until the
next MPP (April and September); the signposts are reported half-yearly from six months on.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from onderdak.reporting import voorstel_facts as vf
from onderdak.reporting.advice_facts import (
    chances_by_stream,
    money_facts,
    plan_facts,
    purchases_in_plan,
    worst_stream_risk,
)
from onderdak.reporting.business_case import alternative_labels, ranking
from onderdak.reporting.i18n import text
from onderdak.reporting.voorstel_facts import REGISTER_THEN_BUDGET, due, nothing_to_plan

MPP_MONTHS = (4, 9)
"""Months in which the Rijk publishes the MPP (the signposts of the advice)."""

LIST_FORM = 3
"""From this many locations on, besluitpunt 2 lists them as a compact lettered list."""


def peildatum(advice: Any) -> pd.Period:
    """The peildatum of the advice's case, as a month."""
    return pd.Period(str(advice.case.peildatum), freq="M")


def next_mpp(peil: pd.Period) -> pd.Period:
    """The first MPP after the peildatum."""
    for year in (peil.year, peil.year + 1):
        for m in MPP_MONTHS:
            p = pd.Period(year=year, month=m, freq="M")
            if p > peil:
                return p
    raise AssertionError("unreachable")


def _name(advice: Any, location_id: str) -> str:
    reg = advice.portfolio.register.table
    return str(reg.at[location_id, "name"]) if location_id in reg.index else str(location_id)


def _need_point(advice: Any, language: str) -> str:
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    return text(
        "besluit.need",
        language,
        ukraine=s["ukraine"]["start_p50"],
        asylum=s["asylum"]["start_p50"],
        status_holders=s["status_holders"]["end_p50"],
        end=advice.portfolio.need.periods[-1].year,
        task=_taakstelling(advice) or 0,
        mpp=next_mpp(peildatum(advice)),
    )


def _taakstelling(advice: Any) -> float | None:
    """The municipal taakstelling (median persons) of the first whole half-year in the horizon."""
    t = advice.results.tables.get("taakstelling")
    if t is None or t.empty:
        return None
    t = t[(t["scenario"] == advice.scenario) & (t["level"] == "municipal")]
    t = t[t["months_in_horizon"] >= 6]
    return float(t["p50"].iloc[0]) if len(t) else None


def _plan_point(advice: Any, language: str) -> tuple[str, pd.Period]:
    """The besluitpunt on the plan and the month its first decision is due: per location its
    name, target groups, places, what it is (buy, lease, build, extend), opening and decision date
    (the planning list's facts, :func:`onderdak.reporting.voorstel_facts.decisions`)."""

    f = plan_facts(advice)
    peil = peildatum(advice)
    if vf.nothing_to_plan(advice):  # nothing to plan with: complete the register
        return (
            text(
                "besluit.register",
                language,
                when=peil + 3,
                window=f["window"],
                now=vf.window_now(advice),
                chances=chances_by_stream(advice),
            ),
            peil + REGISTER_THEN_BUDGET,  # the budget follows with the plan on the register
        )
    decisions = vf.decisions(advice)
    opened = [d for d in decisions if d["action"] == "open"]
    gone = [d for d in decisions if d["action"] != "open"]
    first = opened[0] if opened else None
    when = first["decide"] if first else peil + 1
    listed = len(opened) >= LIST_FORM
    lines = [text("besluit.plan", language, opened=opened, listed=listed)]
    if listed:  # one line per location (collect.decisions breaks the item's lines)
        lines += [
            text("besluit.plan.item", language, letter=chr(ord("a") + k), d=d, last=d is opened[-1])
            for k, d in enumerate(opened)
        ]
    tail = text(
        "besluit.plan.tail",
        language,
        gone=gone,
        capex=f["capex_eur"],
        first=first,
        window=f["window"],
        now=vf.window_now(advice),
        chances=chances_by_stream(advice),
        short=f["short_of_target"],
    )
    return (
        "\n".join(lines) + ("\n" if listed else " ") + tail,
        when,
    )


def _business_case_point(advice: Any, language: str) -> str:

    bc = advice.business_case
    peil = peildatum(advice)
    order = ranking(bc)
    labels = alternative_labels(bc)
    decide_by = None
    if advice.plan is not None:
        opened = plan_facts(advice)["opened"].set_index("location_id")
        if bc.location_id in opened.index:
            decide_by = opened.at[bc.location_id, "decide_by"]
    cost = {n: -float(bc.results[n].npv_eur.mean()) for n in order[:2]}
    gap = cost[order[1]] - cost[order[0]] if len(order) > 1 else 0.0
    return text(
        "besluit.business_case",
        language,
        name=_name(advice, bc.location_id),
        best=labels[order[0]],
        when=due(decide_by, peil)[0],
        close=len(order) > 1 and gap < 0.05 * abs(cost[order[0]]),
        second=labels[order[1]] if len(order) > 1 else "",
        gap=gap,
        in_plan_not_bought=decide_by is not None and not order[0].startswith("buy"),
        others=[_name(advice, i) for i in purchases_in_plan(advice) if i != bc.location_id],
    )


def _budget_point(advice: Any, language: str, when: pd.Period) -> str:

    facts = money_facts(advice)
    return text(
        "besluit.budget",
        language,
        nothing=nothing_to_plan(advice),
        p50=facts["p50"],
        p10=facts["p10"],
        p90=facts["p90"],
        planned=bool(facts["with_plan"]),
        years=f"{advice.portfolio.need.periods[0].year}–{advice.portfolio.need.periods[-1].year}",
        month=when,
        emergency=facts.get("emergency_p50", 0.0),
        show_emergency=facts.get("emergency_p50", 0.0) > 0.1 * max(facts["p50"], 1.0),
    )


def _signpost_point(advice: Any, language: str) -> str:
    return text("besluit.signposts", language, first=peildatum(advice) + 6)


def _candidates_point(advice: Any, language: str) -> str:
    """Without a plan: prepare the candidate locations."""

    reg = advice.portfolio.register.table
    candidates = reg[reg["status"] == "candidate"]
    return text(
        "besluit.candidates",
        language,
        n=len(candidates),
        places=candidates["capacity_places"].sum(),
        when=peildatum(advice) + 3,
        now=worst_stream_risk(advice)[1],
        with_candidates=worst_stream_risk(advice, "with_candidates")[1],
    )


def decision_points(advice: Any, language: str = "nl") -> list[str]:
    """The besluitpunten: decisions of the college and proposals to the raad, each with a date
    after the peildatum and one line of argument."""
    items = [_need_point(advice, language)]
    when = peildatum(advice) + 1
    if advice.plan is not None:
        point, when = _plan_point(advice, language)
        items.append(point)
    else:
        items.append(_candidates_point(advice, language))
    if advice.business_case is not None:
        items.append(_business_case_point(advice, language))
    items.append(_budget_point(advice, language, when))
    items.append(_signpost_point(advice, language))
    return items
