"""The fixed words of the deck, in Dutch and English (the sentences of its message titles).

Placeholders in braces are filled by :mod:`model.reporting.deck_text` with numbers, months and
names formatted for the report language.
"""

from __future__ import annotations

from typing import Any

WORDS: dict[str, dict[str, Any]] = {
    "nl": {
        "key": "Kernboodschap",
        "decisions": "Besluitpunten",
        "source": "Bron",
        "fictional": "Fictieve gegevens — uitsluitend ter demonstratie",
        "rows": "rijen meer in het Excel-bestand",
        "peildatum": "peildatum",
        "scenario": "scenario",
        "action": {
            "open": "openen",
            "keep": "behouden",
            "convert": "herbestemmen",
            "close": "sluiten",
            "extend": "verlengen",
            "reject": "niet nodig",
        },
        "columns": ("Locatie", "Doelgroep", "Besluit", "Plaatsen", "Vanaf", "Besluit uiterlijk"),
        "signpost_columns": ("Signaal", "Drempel", "Dan"),
        "numbers": ("nul één twee drie vier vijf zes zeven acht negen tien elf twaalf".split()),
        "certain": "vrijwel zeker",
        "likely": "waarschijnlijk",
        "and": "en",
        "key_title": "Zonder nieuwe locaties is een tekort {how}; met het plan is de kans {with_}",
        "key_title_chance": (
            "Zonder nieuwe locaties is de kans op een tekort {without}; met het plan {with_}"
        ),
        "chance_for": "{p} voor {stream}",
        "decisions_title": "{n} besluitpunten voor het college; het eerste locatiebesluit is nodig in {month}",
        "decisions_title_plain": "{n} besluitpunten voor het college",
        "plan_title": (
            "Het plan opent {n} locaties met {places} plaatsen; het eerste besluit is nodig in {month}"
        ),
        "plan_title_close": " en herbestemt of sluit er {k}",
        "money_title": (
            "Met het plan kost de opvang de gemeente netto {net} over {span}, {diff} {more} dan "
            "zonder plan"
        ),
        "more": "meer",
        "less": "minder",
        "money_title_plain": "Met het plan kost de opvang de gemeente netto {net} over {span}",
        "risks_short": (
            "Voor {streams} haalt het plan de gevraagde betrouwbaarheid niet: aanvullende locaties "
            "zijn nodig"
        ),
        "risks_ok": "Het plan haalt de gevraagde betrouwbaarheid; de begroting rust op {n} aannames",
        "risk_stream": (
            "{Stream}: kans op een tekort met het plan {with_} (zonder plan {without}); "
            "gevraagde betrouwbaarheid {asked}, gehaald {reached}"
        ),
        "assumption": "Aanname: {name}, {value}. {why}",
        "signposts_title": "{n} signaalwaarden zeggen wanneer het plan moet worden bijgesteld",
        "planning_title": "Het eerste besluit is nodig in {month}; tot {last} volgen er nog {rest}",
        "planning_title_one": "Het besluit over de locatie is nodig in {month}",
        "planning_item": "{month}: besluit over het openen van {what}",
        "planning_place": "{name} ({places} plaatsen, {quarter})",
        "planning_close": "{quarter}: {name} {action}",
        "planning_mpp": "Na elke MPP (april en september): het advies herijken met de nieuwe cijfers",
        "places": "plaatsen",
        "need_title": "Nu zijn ongeveer {now} plaatsen nodig; in de mediaan hoogstens {peak} ({month})",
        "need_title_now": "Nu zijn ongeveer {now} plaatsen nodig; in de mediaan ligt de behoefte daarna lager",
        "gap_title": (
            "Met de huidige locaties is een tekort voor {stream} {how} ({p}), voor het eerst in "
            "{month}"
        ),
        "gap_title_low": "Met de huidige locaties blijft de kans op een tekort onder {p}",
        "timeline_title": "Het plan opent {n} locaties tussen {first} en {last}",
        "million": "mln",
    },
    "en": {
        "key": "Key message",
        "decisions": "Decisions",
        "source": "Source",
        "fictional": "Fictional data — for demonstration only",
        "rows": "more rows in the Excel file",
        "peildatum": "reference date",
        "scenario": "scenario",
        "action": {
            "open": "open",
            "keep": "keep",
            "convert": "repurpose",
            "close": "close",
            "extend": "extend",
            "reject": "not needed",
        },
        "columns": ("Location", "Target group", "Decision", "Places", "From", "Decide by"),
        "signpost_columns": ("Signal", "Threshold", "Then"),
        "numbers": "zero one two three four five six seven eight nine ten eleven twelve".split(),
        "certain": "almost certain",
        "likely": "likely",
        "and": "and",
        "key_title": "Without new locations a shortfall is {how}; with the plan the chance is {with_}",
        "key_title_chance": (
            "Without new locations the chance of a shortfall is {without}; with the plan {with_}"
        ),
        "chance_for": "{p} for {stream}",
        "decisions_title": "{n} decisions for the executive board; the first location decision is due in {month}",
        "decisions_title_plain": "{n} decisions for the executive board",
        "plan_title": (
            "The plan opens {n} locations with {places} places; the first decision is due in {month}"
        ),
        "plan_title_close": " and repurposes or closes {k}",
        "money_title": (
            "With the plan, reception costs the municipality {net} net over {span}, {diff} {more} "
            "than without it"
        ),
        "more": "more",
        "less": "less",
        "money_title_plain": "With the plan, reception costs the municipality {net} net over {span}",
        "risks_short": (
            "For {streams} the plan does not reach the reliability asked: further locations are "
            "needed"
        ),
        "risks_ok": "The plan reaches the reliability asked; the budget rests on {n} assumptions",
        "risk_stream": (
            "{Stream}: chance of a shortfall with the plan {with_} (without it {without}); "
            "reliability asked {asked}, reached {reached}"
        ),
        "assumption": "Assumption: {name}, {value}. {why}",
        "signposts_title": "{n} signposts say when the plan needs to change",
        "planning_title": "The first decision is due in {month}; until {last} {rest} more follow",
        "planning_title_one": "The decision on the location is due in {month}",
        "planning_item": "{month}: decide on opening {what}",
        "planning_place": "{name} ({places} places, {quarter})",
        "planning_close": "{quarter}: {action} {name}",
        "planning_mpp": "After every MPP (April and September): recalibrate the advice on the new figures",
        "places": "places",
        "need_title": "About {now} places are needed now; in the median at most {peak} ({month})",
        "need_title_now": "About {now} places are needed now; in the median the need is lower after that",
        "gap_title": (
            "With the current locations a shortfall for {stream} is {how} ({p}), first in {month}"
        ),
        "gap_title_low": "With the current locations the chance of a shortfall stays below {p}",
        "timeline_title": "The plan opens {n} locations between {first} and {last}",
        "million": "million",
    },
}
