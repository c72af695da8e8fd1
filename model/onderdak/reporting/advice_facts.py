"""Facts of the advice that its texts share: the plan's locations and money, the chances of a
shortfall per stream, the stream most at risk and the buildings the plan buys (numbers, no words)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from onderdak.business_case.options import BUY_KINDS
from onderdak.reporting.portfolio_text import horizon_money

if TYPE_CHECKING:
    from onderdak.reporting.advice import Advice


def worst_stream_risk(advice: Advice, portfolio: str = "committed") -> tuple[str, float, str]:
    """Without a plan: the stream with the highest chance of a shortfall in a single month (the
    portfolio analysis's monthly profile, :mod:`onderdak.portfolio.allocation`), that chance and its first month over 10%."""
    s = advice.portfolio.tables["gap_summary"]
    s = s[s["portfolio"] == portfolio].set_index("stream")
    stream = str(s["max_shortfall_probability_share"].astype(float).idxmax())
    return (
        stream,
        float(s.loc[stream, "max_shortfall_probability_share"]),
        str(s.loc[stream, "first_month_risk_over_10pct"]),
    )


def worst_stream_chances(advice: Advice) -> tuple[str, float, float]:
    """With a plan: the stream with the highest chance of a shortfall without it (the one measure,
    :mod:`onderdak.need.shortfall`), that chance and the chance with the plan."""
    streams = advice.plan.summary["streams"]
    stream = max(streams, key=lambda k: streams[k]["shortfall_chance_without_plan_share"])
    v = streams[stream]
    return stream, v["shortfall_chance_without_plan_share"], v["shortfall_chance_share"]


def plan_facts(advice: Advice) -> dict[str, Any]:
    """What the plan asks: locations opened and given up, investment, first decision date."""
    t = advice.plan.tables["plan"]
    opened = t[t["action"] == "open"].sort_values("quarter")
    gone = t[t["action"].isin(["close", "convert"])]
    decide = [d for d in opened["decide_by"].astype(str) if d and d != "nan"]
    streams = advice.plan.summary["streams"]
    return {
        "opened": opened,
        "gone": gone,
        "capex_eur": float(advice.plan.summary["capex_eur"]),
        "places": float(opened["places"].sum()),
        "first_decision": min(decide) if decide else "",
        "window": str(advice.plan.summary["shortfall_window_from"]),
        "candidates": int((~advice.plan.portfolio.existing).sum()),
        "short_of_target": [
            k for k, v in streams.items() if v["reliability_share"] < v["reliability_asked_share"]
        ],
    }


def money_facts(advice: Advice) -> dict[str, float]:
    """Net municipal cost over the horizon, 10/50/90% over the paths: with the plan and without it
    (emergency places included, :mod:`onderdak.plan.money`), or the committed portfolio's when there
    is no plan (``with_plan`` False)."""
    money = getattr(advice.plan, "money", None) if advice.plan is not None else None
    if money is None:
        m = horizon_money(advice.portfolio)
        return {"with_plan": False, **{k: m[f"net_cost_{k}"] for k in ("p10", "p50", "p90")}}
    f = plan_facts(advice)
    # a plan that opens nothing because the register holds nothing new is no plan: the money is
    # that of the current locations (emergency places included)
    planned = not (f["opened"].empty and not f["candidates"])
    out: dict[str, float] = {"with_plan": planned}
    for name, portfolio in (
        ("", "with_plan" if planned else "without_plan"),
        ("without_", "without_plan"),
    ):
        per_path = money.total(portfolio, "net_cost")
        for q in (10, 50, 90):
            out[f"{name}p{q}"] = float(np.quantile(per_path, q / 100))
        out[f"{name}emergency_p50"] = float(np.median(money.total(portfolio, "emergency_recourse")))
    return out


def purchases_in_plan(advice: Advice) -> list[str]:
    """Ids of the candidate buildings the recommended plan buys (purchase, conversion, own or flex
    units); planned locations are decided already."""
    if advice.plan is None:
        return []
    reg = advice.portfolio.register.table  # indexed by id
    buy = reg.index[(reg["status"] == "candidate") & reg["kind"].isin(BUY_KINDS)]
    return [i for i in plan_facts(advice)["opened"]["location_id"] if i in buy]


def risk_by_stream(advice: Advice) -> dict[str, float]:
    """Highest monthly shortfall probability per stream for the committed portfolio."""
    s = advice.portfolio.tables["gap_summary"]
    s = s[s["portfolio"] == "committed"]
    return {
        str(r.stream): float(np.round(r.max_shortfall_probability_share, 3)) for r in s.itertuples()
    }


def chances_by_stream(advice: Any) -> list[dict[str, Any]]:
    """Per stream of the plan: the chance of a shortfall without and with the plan."""
    return [
        {
            "stream": k,
            "without": float(v["shortfall_chance_without_plan_share"]),
            "with_plan": float(v["shortfall_chance_share"]),
        }
        for k, v in advice.plan.summary["streams"].items()
    ]
