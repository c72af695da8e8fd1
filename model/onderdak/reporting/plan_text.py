"""The narrative of the investment plan: its key message and headline numbers, the shortfall per
stream, the trade-off and the money in sentences."""

from __future__ import annotations

import numpy as np

from onderdak.plan.build import OptimiseResult
from onderdak.reporting.i18n import stream_name
from onderdak.reporting.notes_text import notes_text
from onderdak.reporting.plan import MILLION, plan_word
from onderdak.reporting.plan_tables import money_total, step_up
from onderdak.reporting.style import euro


def tradeoff_sentence(result: OptimiseResult, language: str = "nl") -> str:
    """'Met een extra investering van € … stijgt de betrouwbaarheid van …% naar …%.'"""
    pair = step_up(result)
    if pair is None:
        return ""
    low, high = pair
    return plan_word(
        "tradeoff_sentence",
        language,
        extra=high["capex_eur"] - low["capex_eur"],
        cost=high["expected_cost_eur"] - low["expected_cost_eur"],
        low=low["reliability_share"],
        high=high["reliability_share"],
    )


def _chances(result: OptimiseResult, language: str) -> list[tuple[str, str]]:
    """Per stream (code), the chance of a shortfall without → with the plan: '99% → 10%'."""
    return [
        (
            stream,
            plan_word(
                "chance_figures",
                language,
                without=v["shortfall_chance_without_plan_share"],
                with_plan=v["shortfall_chance_share"],
            ),
        )
        for stream, v in result.summary["streams"].items()
    ]


def shortfall_figures(result: OptimiseResult, language: str = "nl") -> dict[str, str]:
    """Per stream, the chance of a shortfall without and with the plan: {'Oekraïners': '99% → 10%'}."""
    return {stream_name(stream, language): v for stream, v in _chances(result, language)}


def stream_sentences(result: OptimiseResult, language: str = "nl") -> str:
    """Per stream: what the plan adds, the reliability it is made for and the chance of a shortfall."""
    s = result.summary
    out = []
    for stream, v in s["streams"].items():
        out.append(
            plan_word(
                "stream_sentence",
                language,
                stream=stream,
                added=v["places_added"],
                reliability=v["reliability_share"],
                window=s["shortfall_window_from"],
                without=v["shortfall_chance_without_plan_share"],
                with_plan=v["shortfall_chance_share"],
            )
        )
        if v["capacity_max_places"] > v["need_p90_max_places"] + 0.5:
            out.append(
                plan_word(
                    "stream_capacity",
                    language,
                    capacity=v["capacity_max_places"],
                    p90=v["need_p90_max_places"],
                    reliability=v["reliability_share"],
                    paid=stream in s.get("recourse_streams", []),
                    rate=s["recourse_cost_eur_per_place_month"],
                )
            )
    return " ".join(out)


def headline(result: OptimiseResult, language: str = "nl") -> tuple[str, dict[str, str]]:
    """Key message and its headline numbers."""
    s, t = result.summary, result.tables["plan"]
    opened = t[t["action"] == "open"]
    gone = t[t["action"].isin(["close", "convert"])]
    chances = _chances(result, language)
    text = plan_word(
        "headline",
        language,
        opened=len(opened),
        places=opened["places"].sum(),
        capex=s["capex_eur"],
        gone=len(gone),
        window=s["shortfall_window_from"],
        chances=chances,
    )
    numbers = {
        plan_word("num_capex", language): euro(s["capex_eur"]),
        plan_word("num_cost", language): euro(s["expected_cost_eur"]),
        **{plan_word("num_chance", language, stream=k): v for k, v in chances},
    }
    return text, numbers


def _recourse_sentence(s: dict, language: str) -> str:
    """Who pays for need the plan's places cannot hold, per stream (data/reference/stream_accounts.csv)."""
    paid = list(s.get("recourse_streams", []))
    unpaid = list(s.get("no_recourse_streams", []))
    out = []
    if paid:
        out.append(
            plan_word(
                "recourse_paid",
                language,
                streams=paid,
                recourse=s["recourse"],
                cost=s["recourse_cost_eur_per_place_month"],
            )
        )
    if unpaid:
        out.append(plan_word("recourse_unpaid", language, streams=unpaid))
    return " ".join(out)


def narrative(result: OptimiseResult, language: str = "nl") -> str:
    """The plan in a few paragraphs (Markdown), every number taken from the result."""
    s = result.summary
    red = result.reduction
    regret = result.tables.get("regret")
    parts = [headline(result, language)[0]]
    parts.extend(notes_text(result.notes, language))
    parts.append(stream_sentences(result, language) + " " + _recourse_sentence(s, language))
    parts.append(money_sentence(result, language))
    parts.append(tradeoff_sentence(result, language))
    if regret is not None and len(regret):
        mean = float(regret["weight_share"] @ regret["regret_eur"])
        parts.append(
            plan_word("regret_sentence", language, mean=mean, most=regret["regret_eur"].max())
        )
    parts.append(
        plan_word(
            "method_sentence",
            language,
            paths=s["paths"],
            cost=s["expected_cost_eur"],
            cost_without=s["expected_cost_without_plan_eur"],
            scenarios=red.size,
            gap=s["mip_gap_share"],
        )
    )
    return "\n\n".join(p for p in parts if p)


def money_sentence(result: OptimiseResult, language: str = "nl") -> str:
    """What the plan costs the municipality, against not planning, in one or two sentences."""
    if result.money is None:
        return ""
    years = result.money.with_plan.years
    w = money_total(result, "with_plan", "net_cost")
    wo = money_total(result, "without_plan", "net_cost")
    wp = np.quantile(w, [0.1, 0.5, 0.9]) / MILLION
    op = np.quantile(wo, [0.1, 0.5, 0.9]) / MILLION
    top = ""
    if wp[1] < 0:
        incomes = {
            k: float(np.median(money_total(result, "with_plan", k)))
            for k in ("income_normbedrag", "income_coa_rent", "income_spreidingswet")
        }
        top = max(incomes, key=incomes.get)
    return plan_word(
        "money_sentence",
        language,
        first=years[0],
        last=years[-1],
        w10=float(wp[0]),
        w50=float(wp[1]),
        w90=float(wp[2]),
        o10=float(op[0]),
        o50=float(op[1]),
        o90=float(op[2]),
        top=top,
    )
