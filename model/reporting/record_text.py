"""What in the figures is published and what is modelled: the peildatum, the taakstelling bridge, the
Spreidingswet number per cycle and the Ukrainian premise after March 2027, in Dutch and English."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.inflow import half_year_index, half_year_label, scenario_definition
from model.reporting.style import euro, number, percent, period_name
from model.results import Results

SERIES = {
    "nl": {
        "first_applications_persons": "asielinstroom",
        "coa_occupancy_persons": "bezetting COA",
        "status_holders_in_coa_persons": "statushouders in het COA",
        "ukraine_goo_persons": "Oekraïners in de gemeentelijke opvang",
    },
    "en": {
        "first_applications_persons": "asylum inflow",
        "coa_occupancy_persons": "COA occupancy",
        "status_holders_in_coa_persons": "status holders in COA",
        "ukraine_goo_persons": "Ukrainians in municipal reception",
    },
}

TEXT = {
    "nl": {
        "peil": "**Peildatum {peildatum}.** Tot dan gelden de gepubliceerde landelijke cijfers zoals "
        "ze zijn; daarna rekent het model verder vanaf de laatst gepubliceerde stand. Gepubliceerd: {series}; "
        "de landelijke taakstelling tot en met het {taak}.",
        "until": "{name} tot en met {month}",
        "bridge": "De landelijke taakstelling voor het {first} komt in het model uit op ongeveer {value} personen, "
        "tegen {published} voor het {last} (de laatst gepubliceerde). Het verschil komt van de nareizigers "
        "({nareis}) en de vergunningen ({permits}) in de peilperiode; de verhouding tussen het gepubliceerde "
        "getal en de eigen rekensom van het model ({ratio}) loopt door in de latere halfjaren.",
        "cycle": "Spreidingswet, cyclus vanaf {start}: {how}.",
        "published_municipal": "het gepubliceerde aantal van de gemeente, {places} plaatsen",
        "formula_national_target": "geen gemeentelijk getal gepubliceerd; de formule (inwonersaandeel × "
        "sociaaleconomische correctie × landelijk doel) geeft {places} plaatsen, een terugvaloptie",
        "formula_simulated": "geen gemeentelijk of landelijk getal gepubliceerd; de formule op de "
        "gesimuleerde landelijke behoefte, een terugvaloptie",
        "ukraine": "Oekraïners: na 4 maart 2027 krijgt iedereen een verblijfsvergunning voor drie jaar en "
        "betalen bewoners zelf huur en zorgverzekering. Het model laat in dit scenario gemiddeld {leave} "
        "vertrekken en {move} doorstromen naar een gewone woning, gespreid over {months} maanden "
        "(aannames); de rest blijft in de opvangplekken.",
        "moved_on": " In {municipality} stromen zo tot {month} ongeveer {persons} Oekraïners door "
        "naar een gewone woning: zo'n {dwellings} woningen (80%-band {low}–{high}) die op de lokale "
        "woningmarkt terechtkomen, niet in de opvang.",
        "ukraine_early": "Oekraïners, scenario vroeg einde: de bescherming vervalt op 4 maart 2027 zonder "
        "verblijfsvergunning; gemiddeld {leave} vertrekt binnen {months} maanden (aanname).",
        "financing": " De financiering door het Rijk na maart 2027 is nog niet bekend: de gemeente rekent "
        "met {value} per gerealiseerde plek per dag (aanname).",
        "financing_none": " De financiering door het Rijk na maart 2027 is nog niet bekend: het laatst "
        "gepubliceerde normbedrag loopt door (aanname).",
    },
    "en": {
        "peil": "**Reference month {peildatum}.** Up to it the published national figures hold as "
        "they are; after it the model continues from the last published state. Published: {series}; the "
        "national housing target up to and including {taak}.",
        "until": "{name} up to {month}",
        "bridge": "The national housing target for {first} comes out at about {value} persons in the model, "
        "against {published} for {last} (the last published). The difference comes from nareizigers "
        "({nareis}) and permits ({permits}) in the reference window; the ratio of the published number to "
        "the model's own calculation ({ratio}) carries on into later half-years.",
        "cycle": "Spreidingswet, cycle from {start}: {how}.",
        "published_municipal": "the municipality's published number, {places} places",
        "formula_national_target": "no municipal number published; the formula (population share × "
        "socio-economic correction × national target) gives {places} places, a fallback",
        "formula_simulated": "neither a municipal nor a national number published; the formula on the "
        "simulated national need, a fallback",
        "ukraine": "Ukrainians: after 4 March 2027 everyone receives a three-year residence permit and "
        "residents pay their own rent and health insurance. In this scenario the model lets on average "
        "{leave} leave and {move} move on to ordinary housing, spread over {months} months (assumptions); "
        "the rest stays in the reception places.",
        "moved_on": " In {municipality} about {persons} Ukrainians thus move on to ordinary housing by "
        "{month}: some {dwellings} dwellings (80% band {low}–{high}) that land on the local housing "
        "market, not in reception.",
        "ukraine_early": "Ukrainians, early-end scenario: protection ends on 4 March 2027 without a "
        "residence permit; on average {leave} leave within {months} months (assumption).",
        "financing": " What the Rijk pays after March 2027 is not yet known: the municipality assumes "
        "{value} per realised place per day (assumption).",
        "financing_none": " What the Rijk pays after March 2027 is not yet known: the last published "
        "normbedrag is carried forward (assumption).",
    },
}


def _signed(x: float) -> str:
    return ("+" if x >= 0 else "−") + number(abs(round(x, -1)))


def record_paragraphs(results: Results, scenario: str, language: str = "nl") -> str:
    """Markdown: the peildatum and what is published, the taakstelling bridge, Spreidingswet, Ukrainians."""
    lang = "en" if language == "en" else "nl"
    w = TEXT[lang]
    run = results.runs[scenario]
    e, case = run.ensemble, run.case
    until = e.published_until
    series = "; ".join(
        w["until"].format(name=name, month=period_name(until[key], lang))
        for key, name in SERIES[lang].items()
        if until.get(key)
    )
    taak = until.get("taakstelling_persons")
    taak_label = (
        _half_year_name(half_year_label(half_year_index(pd.PeriodIndex([taak], freq="M"))[0]), lang)
        if taak
        else "–"
    )
    peildatum = period_name(e.peildatum or case.peildatum, lang)
    parts = [w["peil"].format(peildatum=peildatum, series=series, taak=taak_label)]
    link = e.taakstelling_link
    first = link.get("first_modelled")
    if first:
        parts.append(
            w["bridge"].format(
                first=_half_year_name(first["half_year"], lang),
                value=number(round(first["mean_persons"], -2)),
                published=number(link["persons"]),
                last=_half_year_name(link["half_year"], lang),
                nareis=_signed(first["change_from_nareizigers_persons"]),
                permits=_signed(first["change_from_permits_persons"]),
                ratio=number(link["ratio_median"], 2),
            )
        )
    cycles = results.summary["scenarios"][scenario].get("spreidingswet", [])
    # later cycles without any published number read as one: "from January 2029: the formula …"
    cycles = [
        c
        for i, c in enumerate(cycles)
        if not (i and c["source"] == "formula_simulated" == cycles[i - 1]["source"])
    ]
    for cycle in cycles:
        places = number(cycle["places"]) if cycle["places"] is not None else ""
        parts.append(
            w["cycle"].format(
                start=period_name(cycle["cycle_start"], lang),
                how=w[cycle["source"]].format(places=places),
            )
        )
    after = scenario_definition(e.national_scenario)["ukraine_after_tpd"]
    lo, hi = after["transition_months"]
    months = str(lo) if lo == hi else f"{lo}–{hi}"
    leave = case.inflow.ukraine_return_share
    leave = after["leave_share"] if leave is None else leave
    if after["move_on_share"] > 0:
        text = w["ukraine"].format(
            leave=percent(leave), move=percent(after["move_on_share"]), months=months
        )
        dwellings = run.need.detail["ukraine_moved_on_dwellings"][:, -1]
        persons = run.need.detail["ukraine_moved_on_persons"][:, -1]
        low, mid, high = np.quantile(dwellings, [0.1, 0.5, 0.9])
        if mid >= 0.5:
            text += w["moved_on"].format(
                municipality=case.municipality.name,
                month=period_name(str(run.need.periods[-1]), lang),
                persons=number(np.median(persons)),
                dwellings=number(mid),
                low=number(low),
                high=number(high),
            )
    else:
        text = w["ukraine_early"].format(leave=percent(leave), months=months)
    financing = case.ukraine.financing_after_tpd_eur_per_place_day
    if financing is None:
        text += w["financing_none"]
    else:
        text += w["financing"].format(value=euro(financing))
    parts.append(text)
    return "\n\n".join(parts)


def _half_year_name(label: str, language: str) -> str:
    """'2025-II' → 'tweede halfjaar 2025' ('the second half of 2025')."""
    year, half = label.split("-")
    if language == "en":
        return f"the {'second' if half == 'II' else 'first'} half of {year}"
    return f"{'tweede' if half == 'II' else 'eerste'} halfjaar {year}"
