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
from onderdak.reporting.business_case import alternative_labels, ranking
from onderdak.reporting.i18n import catalog, millions, percent, stream_name, text

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


def _join(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {text('voorstel.and', language)} " + items[-1]


def _streams(codes: list[str], language: str) -> str:
    return _join([stream_name(c, language) for c in codes], language)


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


def risks_table(advice: Any, language: str = "nl") -> pd.DataFrame:
    """Kanttekeningen en risico's: each risk with its size and the measure that answers it."""
    rows: list[tuple[str, dict[str, Any]]] = []
    m = vf.money(advice) if advice.plan is not None and advice.plan.money is not None else None
    if m is not None:
        rows.append(
            (
                "inflow",
                {
                    "without": m["without_net_p50"],
                    "without_p90": m["without_net_p90"],
                    "nothing": vf.nothing_to_plan(advice),
                },
            )
        )
    if advice.plan is not None:
        nothing = vf.nothing_to_plan(advice)
        short = [c for c in vf.stream_chances(advice) if c["reached"] < c["asked"] - 1e-9]
        if nothing:
            rows.append(("no_candidates", {}))
        elif short:
            rows.append(
                (
                    "reliability",
                    {
                        "streams": _streams([c["stream"] for c in short], language),
                        "reached": "; ".join(
                            f"{stream_name(c['stream'], language)} {percent(c['reached'], 0, language)}"
                            for c in short
                        ),
                    },
                )
            )
        decisions = vf.decisions(advice)
        overdue = [d["name"] for d in decisions if d["overdue"] and d["action"] == "open"]
        if overdue:
            rows.append(("overdue", {"names": _join(overdue, language)}))
        goo = vf.goo_cost(advice) if advice.plan.money is not None else {}
        if goo:
            rows.append(
                (
                    "normbedrag",
                    {
                        "year": goo["normbedrag_year"],
                        "goo": goo["cost_eur_per_place_day"],
                        "norm": goo["normbedrag_eur_per_place_day"],
                    },
                )
            )
        bought = [d for d in decisions if d["form"] == "buy" and d["action"] == "open"]
        if bought:
            rows.append(
                (
                    "purchase",
                    {
                        "names": _join([d["name"] for d in bought], language),
                        "capex": sum(d["capex_eur"] for d in bought),
                    },
                )
            )
    warnings = advice.portfolio.register.warnings if advice.portfolio.register else []
    if warnings:
        rows.append(("register", {"count": len(warnings)}))
    loads = vf.wijk_loads(advice)
    if loads and len(loads["above"]):
        rows.append(("wijk", {"names": _join(list(loads["above"]["wijk_name"]), language)}))
    cols = [text(f"voorstel.risk.column.{c}", language) for c in ("risk", "size", "measure")]
    return pd.DataFrame(
        [
            [text(f"voorstel.risk.{k}.{c}", language, **f) for c in ("risk", "size", "measure")]
            for k, f in rows
        ],
        columns=cols,
    )


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


def budget_table(advice: Any, language: str = "nl", years: int = 4) -> pd.DataFrame:
    """The multi-year view for the budget amendment: net charges on the municipal budget per year
    (capital charges in place of investments), without and with the plan (medians)."""
    m = vf.money(advice)
    if vf.nothing_to_plan(advice):  # no plan: the current locations' charges only
        cols = [text(f"voorstel.money.column.{c}", language) for c in ("year", "current")]
        rows = [
            [str(y), round(m["net_capital_basis_without_year"][y], -3)] for y in m["years"][:years]
        ]
        return pd.DataFrame(rows, columns=cols)
    cols = [
        text(f"voorstel.money.column.{c}", language)
        for c in ("year", "without", "with", "difference")
    ]
    rows = []
    for y in m["years"][:years]:
        w, p = m["net_capital_basis_without_year"][y], m["net_capital_basis_year"][y]
        rows.append([str(y), round(w, -3), round(p, -3), round(p - w, -3)])
    return pd.DataFrame(rows, columns=cols)


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
                names=_join(permit, language),
            )
        )
    empty = _names_of(decisions, {"leegstandwet"})
    if empty:
        paras.append(
            text(
                "voorstel.legal.leegstandwet",
                language,
                years=int(terms.get("leegstandwet_non_residential", 10)),
                names=_join(empty, language),
            )
        )
    tender = _names_of(decisions, {"office_conversion", "flex_units", "purchase"})
    if tender:
        paras.append(text("voorstel.legal.procurement", language, names=_join(tender, language)))
    rejected = vf.rejected_planned(advice) if advice.plan is not None else []
    if rejected:
        paras.append(text("voorstel.legal.contract", language, names=_join(rejected, language)))
    coa = _names_of(decisions, {"coa_location"})
    if coa:
        paras.append(text("voorstel.legal.coa", language, names=_join(coa, language)))
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
                streams=_streams(d["streams"], language),
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


def _chances(values: dict[str, float], language: str) -> str:
    return _join(
        [f"{stream_name(k, language)} {percent(v, 0, language)}" for k, v in values.items()],
        language,
    )


def alternatives(advice: Any, language: str = "nl") -> str:
    """The plan-level alternatives the model computed: nothing (the current locations), the plans
    for other reliability levels, and the forms of the purchase in the business case."""
    if advice.plan is None:
        return ""
    nothing = vf.nothing_to_plan(advice)
    out = [text("voorstel.alt.intro", language, nothing=nothing)]
    chances = vf.stream_chances(advice)
    if advice.plan.money is not None:
        m = vf.money(advice)
        out.append(
            "- "
            + text(
                "voorstel.alt.none",
                language,
                chances=_chances({c["stream"]: c["without"] for c in chances}, language),
                net=m["without_net_p50"],
                p90=m["without_net_p90"],
            )
        )
    plan_cost = float(advice.plan.summary["expected_cost_eur"])
    for key, alt in advice.alternatives.items():
        out.append(
            "- "
            + text(
                "voorstel.alt.restricted",
                language,
                title=text(f"voorstel.alt.name.{key}", language),
                detail=text(f"voorstel.alt.detail.{key}", language, extended=alt["extended"]),
                cost=alt["expected_cost_eur"],
                plan_cost=plan_cost,
                capex=alt["capex_eur"],
                places=alt["places"],
                chances=_chances(alt["chances"], language),
                short=_streams(alt["short"], language),
            )
        )
    t = advice.plan.tables["tradeoff"]
    asked = max(c["asked"] for c in chances)
    for r in t[t["feasible"]].itertuples():
        if abs(r.reliability_share - asked) < 1e-9 or r.places_opened <= 0:
            continue
        values = {
            c["stream"]: float(getattr(r, f"shortfall_chance_{c['stream']}_share"))
            for c in chances
            if hasattr(r, f"shortfall_chance_{c['stream']}_share")
        }
        out.append(
            "- "
            + text(
                "voorstel.alt.level",
                language,
                level=r.reliability_share,
                capex=r.capex_eur,
                places=r.places_opened,
                chances=_chances(values, language),
            )
        )
    bc = advice.business_case
    if bc is not None:
        order = ranking(bc)
        if len(order) > 1:
            labels = alternative_labels(bc)
            cost = {n: -float(bc.results[n].npv_eur.mean()) for n in order[:2]}
            reg = vf.register(advice)
            name = str(reg.at[bc.location_id, "name"]) if bc.location_id in reg.index else ""
            out.append(
                "- "
                + text(
                    "voorstel.alt.purchase",
                    language,
                    name=name,
                    count=len(order),
                    best=f"'{labels[order[0]]}'",
                    second=f"'{labels[order[1]]}'",
                    gap=cost[order[1]] - cost[order[0]],
                )
            )
    missing = [k for k in ALTERNATIVES if k not in advice.alternatives]
    if nothing:
        out.append(text("voorstel.alt.nothing", language))
        return "\n".join(out[:-1]) + "\n\n" + out[-1]
    if missing:
        out.append(text("voorstel.alt.not_computed", language, missing=missing))
        return "\n".join(out[:-1]) + "\n\n" + out[-1]
    return "\n".join(out)


ALTERNATIVES = ("no_purchases", "extend_only")
"""The plan-level alternatives the advice computes (:func:`onderdak.reporting.advice.plan_alternatives`)."""


def _alternative_rows(advice: Any, language: str) -> tuple[list[str], list[tuple]]:
    """The streams, and per alternative (the plan, doing nothing, the plan-level alternatives):
    its name, expected cost, investment (None: none), chance of a shortfall per stream and the
    streams whose reliability asked it does not reach."""
    summary = advice.plan.summary
    streams = list(summary["streams"])
    chances = {c["stream"]: c for c in vf.stream_chances(advice)}
    rows = [
        (
            text("voorstel.alt.row.plan", language),
            summary["expected_cost_eur"],
            summary["capex_eur"],
            {k: chances[k]["with_plan"] for k in streams},
            [k for k in streams if chances[k]["reached"] < chances[k]["asked"] - 1e-9],
        ),
        (
            text("voorstel.alt.row.none", language),
            summary["expected_cost_without_plan_eur"],
            None,
            {k: chances[k]["without"] for k in streams},
            [k for k in streams if chances[k]["without"] > 1 - chances[k]["asked"] + 1e-9],
        ),
    ]
    if vf.nothing_to_plan(advice):
        rows = rows[1:]
    for key, alt in advice.alternatives.items():
        rows.append(
            (
                text(f"voorstel.alt.name.{key}", language),
                alt["expected_cost_eur"],
                alt["capex_eur"],
                alt["chances"],
                alt["short"],
            )
        )
    return streams, rows


def alternatives_table(advice: Any, language: str = "nl") -> pd.DataFrame:
    """The recommended plan, doing nothing and the plan-level alternatives side by side: expected
    cost (present value, emergency places included), investment and per stream the chance of a
    shortfall, and whether the reliability asked is reached."""
    if advice.plan is None:
        return pd.DataFrame()
    streams, rows = _alternative_rows(advice, language)
    column = lambda c, **f: text(f"voorstel.alt.column.{c}", language, **f)  # noqa: E731
    return pd.DataFrame(
        [
            {
                column("name"): name,
                column("cost"): millions(cost, 1, language),
                column("capex"): "–" if capex is None else millions(capex, 1, language),
                **{column("chance", stream=k): percent(ch.get(k), 0, language) for k in streams},
                column("reached"): text(
                    "voorstel.alt.reached", language, short=_streams(short, language)
                ),
            }
            for name, cost, capex, ch, short in rows
        ]
    )


def alternatives_data(advice: Any, language: str = "nl") -> pd.DataFrame:
    """:func:`alternatives_table` for the workbook: the euros and shares as numbers."""
    if advice.plan is None:
        return pd.DataFrame()
    streams, rows = _alternative_rows(advice, language)
    return pd.DataFrame(
        [
            {
                "alternative": name,
                "expected_cost_eur": round(float(cost)),
                "capex_eur": None if capex is None else round(float(capex)),
                **{f"shortfall_chance_{k}_share": ch.get(k) for k in streams},
                "reliability_asked_reached": text(
                    "voorstel.alt.reached", language, short=_streams(short, language)
                ),
            }
            for name, cost, capex, ch, short in rows
        ]
    )


def words(key: str, language: str = "nl", **facts: Any) -> dict[str, str]:
    """Title, caption (two or three lines saying what the figure shows) and source of a figure."""
    out = artefact_words(key, language)
    out["caption"] = caption(key, language, **facts)
    return out


def show(markdown: str) -> None:
    """Display a section's Markdown (nothing when it is empty)."""
    if markdown:
        display(Markdown(markdown))
