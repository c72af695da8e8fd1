"""The sections of the advice as a collegevoorstel, in the order a municipality uses: aanleiding,
beoogd effect, besluitpunten and arguments, kanttekeningen en risico's (each with a measure),
financiën, juridisch kader, communicatie en participatie, planning en vervolg, alternatieven.

Every word comes from the message catalogs (``messages/<language>/voorstel.yaml``, through
:func:`onderdak.reporting.i18n.text`); every number from :mod:`onderdak.reporting.voorstel_facts`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.display import Markdown, display

from onderdak.io import reference
from onderdak.reporting import voorstel_facts as vf
from onderdak.reporting.advice_text import words as artefact_words
from onderdak.reporting.besluitpunten import _taakstelling, next_mpp, peildatum
from onderdak.reporting.i18n import catalog, stream_name, text

SECTIONS = (
    "aanleiding",
    "effect",
    "argumenten",
    "risico",
    "financien",
    "juridisch",
    "communicatie",
    "planning",
    "alternatieven",
    "bijlage",
    "begrippen",
)
"""The sections of the collegevoorstel, in their order (a test checks the report keeps it)."""


def heading(key: str, language: str = "nl") -> str:
    """'## Aanleiding' (with the section's introduction when it has one)."""
    out = f"## {text(f'voorstel.heading.{key}', language)}"

    if f"voorstel.intro.{key}" in catalog(language):
        out += "\n\n" + text(f"voorstel.intro.{key}", language)
    return out


def section(key: str, language: str = "nl") -> None:
    display(Markdown(heading(key, language)))


def caption(key: str, language: str = "nl", **facts: Any) -> str:
    """Two or three lines saying what a figure shows."""
    return text(f"voorstel.caption.{key}", language, **facts)


def join_items(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {text('voorstel.and', language)} " + items[-1]


def streams_text(codes: list[str], language: str) -> str:
    return join_items([stream_name(c, language) for c in codes], language)


def aanleiding(advice: Any, language: str = "nl") -> str:
    """Why the college must decide: the need now, the locations that run out, the shortfall."""
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]

    paras = [
        text(
            "voorstel.aanleiding.need",
            language,
            peil=vf.peildatum(advice),
            name=advice.case.municipality.name,
            ukraine=s["ukraine"]["start_p50"],
            asylum=s["asylum"]["start_p50"],
            task=_taakstelling(advice) or 0,
        )
    ]
    ending = vf.ending(advice)
    if ending:
        items = [text("voorstel.aanleiding.ending_item", language, **e) for e in ending]
        paras.append(text("voorstel.aanleiding.ending", language, items="; ".join(items)))
    if advice.plan is not None:
        risks = [
            text(
                "voorstel.aanleiding.risk",
                language,
                stream=c["stream"],
                without=c["without"],
                start=c["from"],
                now=c["now"],
            )
            for c in vf.stream_chances(advice)
            if c["without"] >= 0.5
        ]
        if risks:
            paras.append(" ".join(risks))
    paras.append(text("voorstel.aanleiding.close", language, nothing=vf.nothing_to_plan(advice)))
    return "\n\n".join(paras)


def effect(advice: Any, language: str = "nl") -> str:
    """What the plan achieves: per stream the one shortfall measure without → with the plan, and
    the GOO cost per place-day against the normbedrag."""
    if advice.plan is None:
        return ""
    end = str(advice.portfolio.need.periods[-1].year)
    chances = vf.stream_chances(advice)
    if vf.nothing_to_plan(advice):
        return text("voorstel.effect.nothing", language, chances=chances)
    lines = [
        text(
            "voorstel.effect.intro",
            language,
            name=advice.case.municipality.name,
            end=end,
            asked=max(c["asked"] for c in chances),
        )
    ]
    lines += [
        "- " + text("voorstel.effect.stream", language, allowed=1 - c["asked"], **c)
        for c in chances
    ]
    out = "\n".join(lines)
    for c in chances:
        if c["reached"] < c["asked"] - 1e-9:
            out += "\n\n" + text(
                "voorstel.effect.short", language, close=c["reached"] >= c["asked"] - 0.05, **c
            )
    if advice.plan.money is not None:
        goo = vf.goo_cost(advice)
        if goo:
            out += "\n\n" + text(
                "voorstel.effect.money",
                language,
                goo=goo["cost_eur_per_place_day"],
                norm=goo["normbedrag_eur_per_place_day"],
                norm_year=goo["normbedrag_year"],
            )
    return out


def finances(advice: Any, language: str = "nl") -> str:
    """The financial paragraph of the proposed plan: investment, incidental and structural
    charges, capital charges, cover and the budget amendment."""
    if advice.plan is None or advice.plan.money is None:
        return ""

    m = vf.money(advice)
    years = f"{m['years'][0]}–{m['years'][-1]}"
    if vf.nothing_to_plan(advice):
        return text(
            "voorstel.money.current",
            language,
            years=years,
            net=m["without_net_p50"],
            p90=m["without_net_p90"],
            emergency=m["emergency"],
            normbedrag=m["income_normbedrag"],
            coa=m["income_coa_rent"],
            month=peildatum(advice) + vf.REGISTER_THEN_BUDGET,
        )
    first = [d["decide"] for d in vf.decisions(advice) if d["action"] == "open"]
    month = min(first) if first else peildatum(advice) + 1
    return "\n\n".join(
        [
            text(
                "voorstel.money.intro",
                language,
                capex=m["capex_eur"],
                extra=m["capex_extra_eur"],
                years=years,
                net=m["net_p50"],
                p10=m["net_p10"],
                p90=m["net_p90"],
                without=m["without_net_p50"],
                without_p90=m["without_net_p90"],
            ),
            text(
                "voorstel.money.incidental",
                language,
                closing=m["closing_cost"],
                emergency=m["emergency"],
            ),
            text(
                "voorstel.money.structural",
                language,
                charges=m["capital_charges_eur_per_year"],
                charge_years=m["capital_charge_years"],
                rate=m["discount_rate_share"],
                structural=m["structural_eur_per_year"],
            ),
            text(
                "voorstel.money.cover",
                language,
                normbedrag=m["income_normbedrag"],
                coa=m["income_coa_rent"],
                spreiding=m["income_spreidingswet"],
            ),
            text("voorstel.money.amendment", language, month=month),
        ]
    )


def _names_of(decisions: list[dict[str, Any]], kinds: set[str]) -> list[str]:
    return [d["name"] for d in decisions if d["kind"] in kinds and d["action"] == "open"]


def legal(advice: Any, language: str = "nl") -> str:
    """The legal frame: Spreidingswet, Omgevingswet, Leegstandwet, procurement, ending a planned
    contract, COA; the terms from the reference data (legal_terms)."""
    terms = reference.table("legal_terms").set_index("kind")["max_years"]
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    paras = [
        text(
            "voorstel.legal.spreidingswet",
            language,
            cycle=int(terms.get("spreidingswet_cycle", 2)),
            asylum=s["asylum"]["start_p50"],
        )
    ]
    decisions = vf.decisions(advice) if advice.plan is not None else []
    permit = _names_of(decisions, {"office_conversion", "flex_units", "purchase", "holiday_park"})
    if permit:
        paras.append(
            text(
                "voorstel.legal.omgevingswet",
                language,
                bopa_years=int(terms.get("kruimelgeval", 10)),
                names=join_items(permit, language),
            )
        )
    empty = _names_of(decisions, {"leegstandwet"})
    if empty:
        paras.append(
            text(
                "voorstel.legal.leegstandwet",
                language,
                years=int(terms.get("leegstandwet_non_residential", 10)),
                names=join_items(empty, language),
            )
        )
    tender = _names_of(decisions, {"office_conversion", "flex_units", "purchase"})
    if tender:
        paras.append(
            text("voorstel.legal.procurement", language, names=join_items(tender, language))
        )
    rejected = vf.rejected_planned(advice) if advice.plan is not None else []
    if rejected:
        paras.append(
            text("voorstel.legal.contract", language, names=join_items(rejected, language))
        )
    coa = _names_of(decisions, {"coa_location"})
    if coa:
        paras.append(text("voorstel.legal.coa", language, names=join_items(coa, language)))
    return "\n\n".join(paras)


def communication(advice: Any, language: str = "nl") -> str:
    """The wijken whose places per 1,000 inhabitants exceed the threshold, now and with the plan,
    and what the municipality does there."""
    loads = vf.wijk_loads(advice)
    if not loads:
        return ""
    out = [text("voorstel.wijk.intro", language, threshold=loads["threshold"])]
    above = loads["above"]
    if len(above):
        out.append(
            "\n".join(
                "- "
                + text(
                    "voorstel.wijk.item",
                    language,
                    name=r.wijk_name,
                    now=r.now,
                    now_times=r.now_times,
                    plan=r.with_plan,
                    plan_times=r.plan_times,
                    nothing=vf.nothing_to_plan(advice),
                )
                for r in above.itertuples()
            )
        )
        out.append(text("voorstel.wijk.measure", language))
    else:
        out.append(text("voorstel.wijk.none", language))
    return "\n\n".join(out)


def planning(advice: Any, language: str = "nl") -> str:
    """The decision dates as a timeline list, with the budget amendment, the signposts and the MPP."""
    peil = peildatum(advice)
    items: list[tuple[pd.Period, str, bool]] = []
    decisions = vf.decisions(advice) if advice.plan is not None else []
    for d in decisions:
        if d["action"] == "open":
            what = text(
                "voorstel.planning.open",
                language,
                name=d["name"],
                form=text(f"voorstel.form.{d['form']}", language),
                places=d["places"],
                streams=streams_text(d["streams"], language),
                quarter=d["quarter"],
            )
        else:
            what = text("voorstel.planning.close", language, name=d["name"], quarter=d["quarter"])
        items.append((d["decide"], what, d["overdue"]))
    first = min((d["decide"] for d in decisions if d["action"] == "open"), default=peil + 1)
    if vf.nothing_to_plan(advice):  # the register first, the budget with the plan on it
        items.append((peil + 3, text("voorstel.planning.register", language), False))
        first = peil + vf.REGISTER_THEN_BUDGET
    items.append((first, text("voorstel.planning.budget", language), False))
    items.append((peil + 6, text("voorstel.planning.signposts", language), False))
    items.append((next_mpp(peil), text("voorstel.planning.mpp", language), False))
    items.sort(key=lambda x: x[0])
    lines = [text("voorstel.planning.intro", language)] + [
        "- " + text("voorstel.planning.item", language, month=m, what=w, overdue=o)
        for m, w, o in items
    ]
    return "\n".join(lines)


def words(key: str, language: str = "nl", **facts: Any) -> dict[str, str]:
    """Title, caption (two or three lines saying what the figure shows) and source of a figure."""
    out = artefact_words(key, language)
    out["caption"] = caption(key, language, **facts)
    return out


def show(markdown: str) -> None:
    """Display a section's Markdown (nothing when it is empty)."""
    if markdown:
        display(Markdown(markdown))
