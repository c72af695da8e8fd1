"""The advice in a few sentences: its key message with the figures that matter, the besluitpunten
and what a presenter says with each figure (words from ``messages/<language>/advice.yaml``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onderdak.reporting import voorstel_facts as vf
from onderdak.reporting.advice_facts import (
    chances_by_stream,
    money_facts,
    plan_facts,
    worst_stream_chances,
    worst_stream_risk,
)
from onderdak.reporting.besluitpunten import decision_points as points
from onderdak.reporting.business_case_narrative import headline as bc_headline
from onderdak.reporting.i18n import millions, number, percent, text
from onderdak.reporting.plan_text import tradeoff_sentence
from onderdak.reporting.portfolio_text import horizon_money

if TYPE_CHECKING:
    from onderdak.reporting.advice import Advice


def plan_headline(advice: Advice, language: str = "nl") -> tuple[str, dict[str, str]]:
    """Page 1 with a plan: peildatum and report date, the need now, per stream the one shortfall
    measure without → with the plan, the plan's investment and net cost (its money table) and
    the GOO cost per place-day against the normbedrag; the tiles are the same figures."""
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    money = money_facts(advice)
    f = plan_facts(advice)
    years = f"{advice.portfolio.need.periods[0].year}–{advice.portfolio.need.periods[-1].year}"
    chances = vf.stream_chances(advice)
    parts = [
        text("advice.key.dates", language, peil=vf.peildatum(advice), today=vf.report_date()),
        text(
            "advice.key.need",
            language,
            name=advice.case.municipality.name,
            places=s["ukraine"]["start_p50"] + s["asylum"]["start_p50"],
        ),
        *(text("advice.key.stream", language, start=c["from"], **c) for c in chances),
        text(
            "advice.key.plan",
            language,
            n=len(f["opened"]),
            places=f["places"],
            capex=f["capex_eur"],
            years=years,
            net=money["p50"],
            without=money["without_p50"],
            without_p90=money["without_p90"],
        ),
    ]
    goo = vf.goo_cost(advice)
    if goo:
        parts.append(
            text(
                "advice.key.goo",
                language,
                goo=goo["cost_eur_per_place_day"],
                norm=goo["normbedrag_eur_per_place_day"],
            )
        )
    numbers = {
        text("advice.tile.stream", language, stream=c["stream"]): (
            f"{percent(c['without'], 0, language)} → {percent(c['with_plan'], 0, language)}"
        )
        for c in chances
    }
    numbers[text("advice.tile.net", language, years=years)] = millions(money["p50"], 1, language)
    numbers[text("advice.tile.capex", language)] = millions(f["capex_eur"], 1, language)
    return " ".join(parts), numbers


def headline(advice: Advice, language: str = "nl") -> tuple[str, dict[str, str]]:
    """The key message of the advice and its figures that matter."""
    if advice.plan is not None and getattr(advice.plan, "money", None) is not None:
        if money_facts(advice)["with_plan"]:
            return plan_headline(advice, language)
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    places_now = s["ukraine"]["start_p50"] + s["asylum"]["start_p50"]
    money = money_facts(advice)
    years = f"{advice.portfolio.need.periods[0].year}–{advice.portfolio.need.periods[-1].year}"
    if advice.plan is not None:
        f = plan_facts(advice)
        stream, p_short, p_with = worst_stream_chances(advice)
        nothing = vf.nothing_to_plan(advice)
        chances = vf.stream_chances(advice)
        now = vf.window_now(advice)
        risk = text(
            "advice.key.risk_plan",
            language,
            window=f["window"],
            stream=stream,
            chance=p_short,
            n=len(f["opened"]),
            places=f["places"],
            capex=f["capex_eur"],
            chances=chances,
            nothing=nothing,
            now=now,
        )
        key = text(
            "advice.tile.risk_plan",
            language,
            window=f["window"],
            stream=stream,
            nothing=nothing,
            now=now,
        )
        value = (
            percent(p_short, 0, language)
            if nothing
            else f"{percent(p_short, 0, language)} → {percent(p_with, 0, language)}"
        )
    else:
        stream, p_short, first = worst_stream_risk(advice)
        p_cand = worst_stream_risk(advice, "with_candidates")[1]
        risk = text(
            "advice.key.risk_portfolio",
            language,
            stream=stream,
            chance=p_short,
            first=first if first and first != "nan" else "",
            with_candidates=p_cand,
        )
        key = text("advice.tile.risk_portfolio", language, stream=stream)
        value = f"{percent(p_short, 0, language)} → {percent(p_cand, 0, language)}"
    cost = text(
        "advice.key.cost",
        language,
        planned=bool(money["with_plan"]),
        years=years,
        net=money["p50"],
        without=money.get("without_p50", 0.0),
        without_p90=money.get("without_p90", 0.0),
        emergency=money.get("emergency_p50", 0.0),
        show_emergency=money.get("emergency_p50", 0.0) > 0.1 * max(money["p50"], 1.0),
    )
    sentence = " ".join(
        [
            text("advice.key.dates", language, peil=vf.peildatum(advice), today=vf.report_date()),
            text(
                "advice.key.need", language, name=advice.case.municipality.name, places=places_now
            ),
            risk,
            cost,
        ]
    )
    numbers = {
        text("advice.tile.places_now", language): number(places_now, 0, language),
        key: value,
        text("advice.tile.cost", language, years=years, planned=bool(money["with_plan"])): millions(
            money["p50"], 1, language
        ),
    }
    return sentence, numbers


def decision_points(advice: Advice, language: str = "nl") -> list[str]:
    """The besluitpunten: decisions of the college and proposals to the raad, each with a date
    after the peildatum and an argument (:mod:`onderdak.reporting.besluitpunten`)."""
    return points(advice, language)


def speaker_notes(advice: Advice, key: str, language: str = "nl") -> str:
    """What a presenter says with a figure of the advice: its numbers, in one or two sentences."""
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    if key == "need":
        rows = [{"stream": k, **s[k]} for k in ("ukraine", "asylum", "status_holders")]
        return text(
            "advice.notes.need", language, rows=rows, end=advice.portfolio.need.periods[-1].year
        )
    if key in ("capacity_need", "shortfall_risk"):
        t = advice.portfolio.tables["gap_summary"]
        t = t[t["portfolio"] == "committed"]
        rows = [
            {
                "stream": str(r.stream),
                "chance": float(r.max_shortfall_probability_share),
                "first": str(r.first_month_risk_over_10pct or "").replace("nan", ""),
            }
            for r in t.itertuples()
        ]
        return text("advice.notes.risk", language, rows=rows)
    if key in ("plan_timeline", "plan_tradeoff") and advice.plan is not None:
        if vf.nothing_to_plan(advice):
            return ""
        f = plan_facts(advice)
        opened = [{"name": r.name, "quarter": r.quarter} for r in f["opened"].itertuples()]
        out = text(
            "advice.notes.plan",
            language,
            opened=opened,
            capex=f["capex_eur"],
            chances=chances_by_stream(advice),
        )
        return out + (
            " " + tradeoff_sentence(advice.plan, language) if key == "plan_tradeoff" else ""
        )
    if key == "budget":
        money = horizon_money(advice.portfolio)
        return text(
            "advice.notes.budget",
            language,
            net=money["net_cost_p50"],
            p10=money["net_cost_p10"],
            p90=money["net_cost_p90"],
            income=money["income_total_p50"],
        )
    if key in ("npv_distributions", "tornado") and advice.business_case is not None:
        return bc_headline(advice.business_case, language)[0]
    if key == "map" and advice.results.place is not None:
        spread = advice.results.place.spread
        col = next((c for c in spread.columns if "per_1000" in c), None)
        if col is not None and len(spread):
            top = spread.sort_values(col, ascending=False).iloc[0]
            name = top.get("wijk_name", top.get("wijk_code", ""))
            return text("advice.notes.map", language, name=name, load=float(top[col]))
    if key == "mca":
        mca = advice.results.tables.get("mca")
        if mca is not None and len(mca) and "score" in mca:
            best = mca.sort_values("score", ascending=False).iloc[0]
            return text(
                "advice.notes.mca", language, name=best.get("name", best.get("location_id", ""))
            )
    return ""
