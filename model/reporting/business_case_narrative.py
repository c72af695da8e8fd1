"""The Dutch narrative of the business-case report: key message, outcome, flexibility, sensitivity, a recommendation and its caveats."""

from __future__ import annotations

import math

import numpy as np

from model.business_case import BusinessCase
from model.reporting.business_case import (
    COMPONENT_GROUP,
    GROUPS,
    TORNADO_LABELS,
    alternative_labels,
    eur_millions,
    metric_value,
    percent,
    ranking,
    rate_text,
)
from model.reporting.style import euro, number, thousands

RISK_PHRASES = {
    "capex": "hogere aankoop- en verbouwkosten",
    "opex": "exploitatiekosten",
    "recourse": "hotelplaatsen wanneer de behoefte terugkomt nadat het pand is omgebouwd",
    "reimbursement": "minder rijksvergoeding doordat de behoefte wegvalt terwijl de vaste lasten doorlopen",
    "end": "een lagere restwaarde",
    "reuse": "het hergebruik (verbouwing en opbrengsten)",
}
REUSE_LABELS = {
    "social_housing": "sociale huurwoningen",
    "starter_homes": "starterswoningen",
    "student_housing": "studentenwoningen",
    "community": "maatschappelijk gebruik",
    "sale": "verkoop",
    "relocate_units": "verplaatsen van de units",
    "demolish": "sloop",
}


def owned(bc: BusinessCase) -> bool:
    """Whether the municipality already has the building (the register's status ``existing``)."""
    row = bc.location
    return row is not None and str(row.get("status")) == "existing"


def shortfall_text(bc: BusinessCase, language: str = "nl") -> str:
    """Who bears what an alternative cannot hold, by the one account per stream (one clause)."""
    share = np.asarray(bc.inputs.municipal_recourse_share, dtype=float)
    rate = euro(bc.inputs.recourse_eur_per_place_day)
    if language == "en":
        if np.all(share == 1):
            return f"goes to the municipality's emergency option (hotel places at {rate} per place-day, outside the normbedrag)"
        if np.all(share == 0):
            return "stays with the COA: places short against the task, no cost to the municipality"
        return (
            f"goes, for Ukrainians, to the municipality's emergency option ({rate} per place-day) and stays, "
            "for the other groups, with the COA (places short, no municipal cost)"
        )
    if np.all(share == 1):
        return f"gaat naar de noodoptie van de gemeente (hotelplaatsen à {rate} per plaats-dag, buiten het normbedrag)"
    if np.all(share == 0):
        return "blijft bij het COA: plaatsen tekort tegenover de taak, geen kosten voor de gemeente"
    return (
        f"gaat voor Oekraïners naar de noodoptie van de gemeente ({rate} per plaats-dag) en blijft voor de "
        "andere doelgroepen bij het COA (plaatsen tekort, geen kosten voor de gemeente)"
    )


def flexibility_sentence(bc: BusinessCase, language: str = "nl") -> str:
    """The value of flexibility explained in one sentence, with its bound."""
    f, years = bc.flexibility, bc.inputs.years
    if language == "en":
        text = (
            f"The value of flexibility is what the decision rule gains over the fixed plan on the same paths; it "
            f"never exceeds what the building itself costs over {years} years ({eur_millions(f.bound_eur)} on average), "
            "since a plan that fell further behind would do better to take a second, identical building"
        )
        if f.bounded_share > 0:
            text += f" (that bound holds the difference back on {percent(f.bounded_share)} of the paths)"
        return text + "."
    text = (
        f"De waarde van flexibiliteit is wat de beslisregel op dezelfde paden oplevert tegenover het vaste plan; "
        f"ze is nooit groter dan wat het pand zelf over {years} jaar kost (gemiddeld {eur_millions(f.bound_eur)}), "
        "want wie verder achter zou raken kan beter een tweede, gelijk pand nemen"
    )
    if f.bounded_share > 0:
        text += f" (die grens houdt het verschil tegen op {percent(f.bounded_share)} van de paden)"
    return text + "."


def headline(bc: BusinessCase, language: str = "nl") -> tuple[str, dict[str, str]]:
    """The key message and up to four headline numbers."""
    best = ranking(bc)[0]
    rule = bc.location_alternative
    buy_cost = -metric_value(bc, rule, "npv_eur")
    if language == "en":
        text = (
            f"Cheapest in expectation: {alternative_labels(bc, 'en')[best]} (cheapest on {percent(metric_value(bc, best, 'probability_cheapest_share'))} of paths). "
            f"{'Keeping' if owned(bc) else 'Buying'} with the decision rule costs {eur_millions(buy_cost)} net present over {bc.inputs.years} years."
        )
        keys = (
            "Net present cost of keeping" if owned(bc) else "Net present cost of buying",
            "Chance keeping is cheapest" if owned(bc) else "Chance buying is cheapest",
            "Value of flexibility",
            "Cost-covering normbedrag",
        )
    else:
        text = (
            f"In verwachting het goedkoopst: {alternative_labels(bc, 'nl')[best]} (goedkoopst op {percent(metric_value(bc, best, 'probability_cheapest_share'))} van de paden). "
            f"{'Behouden' if owned(bc) else 'Kopen'} met de beslisregel kost netto contant {eur_millions(buy_cost)} over {bc.inputs.years} jaar."
        )
        keys = (
            "Netto contante kosten behouden" if owned(bc) else "Netto contante kosten kopen",
            "Kans dat behouden het goedkoopst is"
            if owned(bc)
            else "Kans dat kopen het goedkoopst is",
            "Waarde van flexibiliteit",
            "Kostendekkend normbedrag",
        )
    chance = metric_value(bc, rule, "probability_cheapest_share") + metric_value(
        bc, bc.fixed_alternative, "probability_cheapest_share"
    )
    covering = metric_value(bc, rule, "normbedrag_cost_covering_eur_per_place_day")
    numbers = {
        keys[0]: eur_millions(buy_cost),
        keys[1]: percent(chance),
        keys[2]: eur_millions(bc.flexibility.mean_eur),
        keys[3]: "n.v.t."
        if not np.isfinite(covering)
        else euro(covering) + ("/plaats-dag" if language != "en" else "/place-day"),
    }
    return text, numbers


def _top_drivers(bc: BusinessCase, language: str, n: int = 3) -> str:
    names = TORNADO_LABELS["en" if language == "en" else "nl"]
    parts = [
        f"{names.get(p, p).lower()} ({eur_millions(s)})"
        for p, s in zip(bc.tornado["parameter"][:n], bc.tornado["swing_eur"][:n], strict=False)
    ]
    return (
        ", ".join(parts[:-1]) + (" en " if language != "en" else " and ") + parts[-1]
        if len(parts) > 1
        else "".join(parts)
    )


def narrative(bc: BusinessCase, language: str = "nl") -> str:
    """The business case in words (Markdown): what was compared, what came out, a recommendation and its caveats."""
    if language == "en":
        return _narrative_en(bc)
    case, row = bc.case, bc.location
    rule, fixed = bc.location_alternative, bc.fixed_alternative
    order = ranking(bc)
    best = order[0]
    labels = alternative_labels(bc, language)
    reuse = bc.results[rule].alternative.reuse
    reuse_name = (
        REUSE_LABELS.get(reuse.option, reuse.option) if reuse is not None else "geen hergebruik"
    )
    need_mean = float(bc.inputs.need_places.mean())
    fictional = " (fictief)" if getattr(case, "fictional", False) else ""
    municipality = case.municipality.name if case is not None else "De gemeente"
    scenario = case.scenario if case is not None else "basis"
    f = bc.flexibility
    n_rule = bc.results[rule].alternative.rule_months
    cost = {n: -metric_value(bc, n, "npv_eur") for n in order}
    covering = metric_value(bc, rule, "normbedrag_cost_covering_eur_per_place_day")
    hotel_f = (
        metric_value(bc, "hotel", "break_even_occupancy_factor")
        if "hotel" in bc.results
        else math.nan
    )
    verb, verb_lower = ("Behouden", "behouden") if owned(bc) else ("Kopen", "kopen")
    intro = (
        f"{municipality}{fictional} heeft **{bc.location_name}** al ({row['capacity_places']:.0f} plaatsen; de "
        f"aankoop is een gedane uitgave en telt niet mee) en weegt af: behouden, hergebruiken of verkopen. "
        if owned(bc)
        else f"{municipality}{fictional} overweegt **{bc.location_name}** te kopen voor opvang "
        f"({row['capacity_places']:.0f} plaatsen; aankoopprijs {eur_millions(float(row['purchase_price_eur']))}). "
    )
    lines = [
        intro
        + f"We vergelijken {len(order)} manieren om dezelfde behoefte op te vangen — gemiddeld {need_mean:.0f} plaatsen "
        f"die de rest van de portefeuille niet kan bieden — over {bc.inputs.years} jaar, op {thousands(bc.inputs.paths)} paden "
        f"van scenario *{scenario}*. Wat een alternatief niet kan bieden (vóór de opening, na een termijn of na "
        f"omschakeling) {shortfall_text(bc)}; alle bedragen zijn netto contant in prijzen van "
        f"{getattr(case, 'price_year', '')} (reëel {rate_text(bc.inputs.discount_rate_share)} per jaar).",
        "",
        f"**Uitkomst.** In verwachting het goedkoopst is *{labels[best]}*: {eur_millions(cost[best])} netto contante kosten "
        f"(80%-band {eur_millions(metric_value(bc, best, 'net_present_cost_eur', 'p10'))} tot "
        f"{eur_millions(metric_value(bc, best, 'net_present_cost_eur', 'p90'))}); het is op "
        f"{percent(metric_value(bc, best, 'probability_cheapest_share'))} van de paden de goedkoopste keuze. "
        f"{verb} met de beslisregel kost {eur_millions(cost[rule])}, {verb_lower} met een vaste omschakeldatum {eur_millions(cost[fixed])}.",
        "",
        f"**Waarde van flexibiliteit.** De beslisregel — omschakelen naar {reuse_name} zodra de behoefte "
        f"{n_rule} maanden achtereen door de rest van de portefeuille kan worden opgevangen — is in verwachting "
        f"{eur_millions(f.mean_eur)} waard ten opzichte van het vaste plan (beter op {percent(f.probability_positive_share)} "
        f"van de paden). "
        + (
            f"Een regel met een andere wachttijd ({f.best_label.replace('rule_', '').replace('m', ' maanden')}) "
            f"doet het beter: {eur_millions(f.best_eur)} ten opzichte van het vaste plan. "
            if f.best_label not in ("rule", "fixed")
            else ""
        )
        + f"Met volmaakte voorkennis zou het hoogstens {eur_millions(f.perfect_foresight_eur)} zijn. "
        + flexibility_sentence(bc),
        "",
        f"**Gevoeligheid.** De uitkomst van {verb_lower} hangt het meest af van {_top_drivers(bc, 'nl')} "
        f"(verschil tussen laag en hoog). "
        + (
            f"{verb} is kostendekkend bij een normbedrag van {euro(covering)} per plaats-dag "
            f"(nu aangenomen: {euro(bc.last_normbedrag_eur_per_place_day)}). "
            if np.isfinite(covering)
            else ""
        )
        + (
            f"Tegenover hotelplaatsen is {verb_lower} voordeliger zolang de bezetting boven {hotel_f:.0%} van de verwachte ligt."
            if np.isfinite(hotel_f)
            else ""
        ),
        "",
        "**Advies.** " + _recommendation(bc, order, cost, reuse_name),
        "",
        "**Kanttekeningen.**",
        *[f"- {c}" for c in _caveats(bc)],
    ]
    return "\n".join(lines)


def _recommendation(
    bc: BusinessCase, order: list[str], cost: dict[str, float], reuse_name: str
) -> str:
    rule, fixed = bc.location_alternative, bc.fixed_alternative
    labels = alternative_labels(bc, "nl")
    best = order[0]
    f = bc.flexibility
    chance_buy = metric_value(bc, rule, "probability_cheapest_share") + metric_value(
        bc, fixed, "probability_cheapest_share"
    )
    if best in (rule, fixed):
        months = bc.results[rule].alternative.rule_months
        if f.best_label.startswith("rule_"):
            months = int(f.best_label.removeprefix("rule_").removesuffix("m"))
        plan = (
            f"en leg vooraf vast dat het pand naar {reuse_name} gaat zodra de behoefte "
            f"{months} maanden onder de rest van de portefeuille blijft"
            if f.mean_eur >= 0
            else f"en houd vast aan het vaste plan (omschakelen naar {reuse_name} op de geplande datum)"
        )
        runner_up = next(n for n in order if n not in (rule, fixed))
        return (
            f"{'Behoud' if owned(bc) else 'Koop'} {bc.location_name} {plan}. {'Behouden' if owned(bc) else 'Kopen'} is in verwachting {eur_millions(cost[runner_up] - cost[best])} "
            f"goedkoper dan het beste andere alternatief (*{labels[runner_up]}*) en op {percent(chance_buy)} van de "
            f"paden de goedkoopste keuze. Het risico: in het duurste tiende van de paden kost het meer dan "
            f"{eur_millions(metric_value(bc, best, 'net_present_cost_eur', 'p90'))}, vooral door "
            f"{_worst_paths_driver(bc, best)}."
        )
    return (
        f"{'Behouden' if owned(bc) else 'Kopen'} is in verwachting niet de goedkoopste weg: *{labels[best]}* is "
        f"{eur_millions(cost[rule] - cost[best])} goedkoper en {'behouden' if owned(bc) else 'kopen'} is slechts op "
        f"{percent(chance_buy)} van de paden de goedkoopste keuze. {'Behoud' if owned(bc) else 'Koop'} alleen als "
        f"andere overwegingen (kwaliteit, snelheid, zeggenschap, woningbouwopgave na de opvang) dat verschil waard zijn, "
        f"of als de aannames in de gevoeligheidsanalyse gunstiger uitvallen."
    )


def _worst_paths_driver(bc: BusinessCase, name: str) -> str:
    """The cost group that weighs most on the 10% of paths where ``name`` is dearest (Dutch label)."""
    r = bc.results[name]
    worst = r.npv_eur <= np.quantile(r.npv_eur, 0.1)
    totals = {g: 0.0 for g in GROUPS}
    for comp, values in r.component_npv_eur.items():
        totals[COMPONENT_GROUP[comp]] += float(values[worst].mean() - values.mean())
    return RISK_PHRASES[min(totals, key=lambda g: totals[g])]


def _caveats(bc: BusinessCase) -> list[str]:
    out = [
        "Na het einde van de simulatie geldt een aanname over de behoefte (zie de lijst van aannames); "
        "bij een horizon van 30 jaar weegt die zwaar.",
        "Het normbedrag voor 2026 en later is niet gepubliceerd; de laatst bekende waarde is doorgetrokken.",
        "Verbouwkosten, huurinkomsten en waarden na hergebruik zijn aannames van de gebruiker: voor "
        "ombouw per m² en voor sociaal hergebruik zijn geen gepubliceerde cijfers gevonden.",
        "Niet meegenomen: ambtelijke organisatiekosten (zie het portefeuillerapport), overdrachtsbelasting "
        "en financieringslasten, tenzij ze in de aankoopprijs of de exploitatie zijn opgenomen.",
        "De beslisregel gebruikt alleen wat de gemeente op dat moment weet: de behoefte tot nu en de "
        "geplande portefeuille (aflopende contracten); geen voorkennis van de toekomstige behoefte.",
    ]
    if getattr(bc.case, "fictional", False):
        out.append(
            "Dit is een fictieve demonstratiecasus: alle namen, prijzen en aantallen zijn verzonnen."
        )
    return out


def _narrative_en(bc: BusinessCase) -> str:
    order = ranking(bc)
    best, rule = order[0], bc.location_alternative
    labels = alternative_labels(bc, "en")
    f = bc.flexibility
    return "\n".join(
        [
            f"We compare {len(order)} ways to meet the same need as {'keeping' if owned(bc) else 'buying'} "
            f"**{bc.location_name}**, over {bc.inputs.years} years on {number(bc.inputs.paths)} paths; what an "
            f"alternative cannot hold {shortfall_text(bc, 'en')}.",
            "",
            f"Cheapest in expectation: *{labels[best]}*, net present cost {eur_millions(-metric_value(bc, best, 'npv_eur'))}; "
            f"{'keeping' if owned(bc) else 'buying'} with the decision rule costs {eur_millions(-metric_value(bc, rule, 'npv_eur'))}.",
            "",
            f"The decision rule is worth {eur_millions(f.mean_eur)} against the fixed plan (best rule: {eur_millions(f.best_eur)}; "
            f"perfect foresight at most {eur_millions(f.perfect_foresight_eur)}). {flexibility_sentence(bc, 'en')} "
            f"Largest drivers: {_top_drivers(bc, 'en')}.",
            "",
            "Caveats: need after the simulated horizon, the normbedrag after 2025 and all reuse figures are assumptions.",
        ]
    )
