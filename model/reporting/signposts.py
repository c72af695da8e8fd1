"""Signposts for the advice: which published figure to watch, when, and which step it triggers, with thresholds from the ensemble."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.reporting.style import thousands
from model.results import Results


def signposts(results: Results, scenario: str, language: str = "nl") -> pd.DataFrame:
    """A monitoring table whose thresholds are the 90th percentiles of the chosen scenario.

    Columns: signaal, bron, wanneer, drempel, stap (English: signal, source, when, threshold, step).
    A figure above its threshold means the world is moving outside the band the plan was built for,
    and names the step prepared for that case.
    """
    run = results.runs[scenario]
    ens, need = run.ensemble, run.need
    year = slice(0, min(12, len(need.periods)))
    first_p90 = np.quantile(ens["first_applications_persons"][:, year].sum(axis=1) / 12 * 3, 0.9)
    goo_p90 = np.quantile(ens["ukraine_goo_persons"][:, year].mean(axis=1), 0.9)
    goo_p10 = np.quantile(ens["ukraine_goo_persons"][:, year].mean(axis=1), 0.1)
    ua_p90 = np.quantile(need.streams["ukraine"][:, year].max(axis=1), 0.9)
    backlog_p90 = np.quantile(need.detail["backlog_persons"][:, 5], 0.9)
    rows = [
        {
            "signaal": "Eerste asielaanvragen, landelijk (kwartaal)",
            "bron": "IND Asieltrends / CBS",
            "wanneer": "elk kwartaal",
            "drempel": f"meer dan {thousands(first_p90)} per kwartaal",
            "stap": "Kandidaat-locaties voor asiel in voorbereiding nemen; COA-gesprek over extra plaatsen",
        },
        {
            "signaal": "MPP (voorjaar en najaar)",
            "bron": "Rijksoverheid, MPP-brief",
            "wanneer": "april en september",
            "drempel": "midden-scenario buiten de 80%-band van dit advies",
            "stap": "Scenario's herijken en het advies opnieuw laten doorrekenen",
        },
        {
            "signaal": "Oekraïners in gemeentelijke opvang, landelijk",
            "bron": "TK-verzamelbrief opvang Oekraïne",
            "wanneer": "halfjaarlijks",
            "drempel": f"boven {thousands(goo_p90)} of onder {thousands(goo_p10)} personen",
            "stap": "Boven: volgende kandidaat-locatie openen; onder: tijdelijke locatie afbouwen of herbestemmen",
        },
        {
            "signaal": "Bezetting eigen GOO-locaties",
            "bron": "eigen registratie",
            "wanneer": "maandelijks",
            "drempel": f"meer dan 95% twee maanden achtereen, of behoefte boven {thousands(ua_p90)} plaatsen",
            "stap": "Reservecapaciteit (hotel/vakantiepark) afroepen; besluit over aankoop versnellen",
        },
        {
            "signaal": "Achterstand taakstelling statushouders",
            "bron": "provincie (IBT), eigen registratie",
            "wanneer": "einde van elk halfjaar",
            "drempel": f"meer dan {thousands(backlog_p90)} personen",
            "stap": "Flexwoningen of transformatie naar voren halen; afspraken met corporatie herzien",
        },
        {
            "signaal": "Besluit over tijdelijke bescherming na 4 maart 2027",
            "bron": "Raad van de EU / Rijksoverheid",
            "wanneer": "zodra bekend (verwacht 2026)",
            "drempel": "geen verlenging of nationaal vervolgregime",
            "stap": "Scenario 'einde tijdelijke bescherming' als basis nemen; herbestemming van GOO-locaties voorbereiden",
        },
        {
            "signaal": "Normbedrag GOO",
            "bron": "Rijksoverheid (per 1 januari)",
            "wanneer": "jaarlijks",
            "drempel": "lager dan het bedrag in de begroting",
            "stap": "Begroting en business cases bijwerken; duurste locaties eerst afbouwen",
        },
    ]
    if language == "en":
        return _english(rows, first_p90, goo_p10, goo_p90, ua_p90, backlog_p90)
    return pd.DataFrame(rows)


def _english(
    rows: list[dict[str, str]], first_p90, goo_p10, goo_p90, ua_p90, backlog_p90
) -> pd.DataFrame:
    """The same signposts (same thresholds) in English."""
    text = [
        (
            "First asylum applications, national (quarter)",
            "IND Asylum trends / CBS",
            "every quarter",
            f"more than {thousands(first_p90)} per quarter",
            "Prepare candidate locations for asylum; talk to COA about extra places",
        ),
        (
            "MPP (spring and autumn)",
            "Government, MPP letter",
            "April and September",
            "middle scenario outside this advice's 80% band",
            "Recalibrate the scenarios and have the advice recomputed",
        ),
        (
            "Ukrainians in municipal reception, national",
            "Parliamentary letter on Ukraine reception",
            "half-yearly",
            f"above {thousands(goo_p90)} or below {thousands(goo_p10)} persons",
            "Above: open the next candidate location; below: wind down or repurpose a temporary location",
        ),
        (
            "Occupancy of own GOO locations",
            "own records",
            "monthly",
            f"above 95% for two months running, or need above {thousands(ua_p90)} places",
            "Call on reserve capacity (hotel/holiday park); bring the purchase decision forward",
        ),
        (
            "Backlog of the status-holder housing target",
            "province (IBT), own records",
            "end of each half-year",
            f"more than {thousands(backlog_p90)} persons",
            "Bring flex homes or conversions forward; revisit agreements with the housing corporation",
        ),
        (
            "Decision on temporary protection after 4 March 2027",
            "Council of the EU / government",
            "when known (expected 2026)",
            "no extension or national follow-up regime",
            "Take the 'end of temporary protection' scenario as base; prepare reuse of GOO locations",
        ),
        (
            "GOO normbedrag",
            "Government (each 1 January)",
            "yearly",
            "lower than the amount in the budget",
            "Update the budget and business cases; wind down the most expensive locations first",
        ),
    ]
    assert len(text) == len(rows)
    return pd.DataFrame(text, columns=["signal", "source", "when", "threshold", "step"])
