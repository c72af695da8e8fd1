"""The advice's one-page summary of the assumptions its budget rests on, in the report language.

The full table (every sourced default and every assumption, :func:`model.reporting.assumptions.
assumptions_table`) goes to the workbook; this page names the dozen figures that move the money,
says of each whether it is a published figure or an assumption ('aanname') and why it matters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from model.reporting.assumptions import ASSUMPTION
from model.reporting.style import euro, number, percent, period_name, thousands

Row = tuple[str, dict[str, str], Callable[[Any, str], str], dict[str, str]]


def _field(case: Any, path: str) -> tuple[Any, bool]:
    """The case's value at a dotted path, and whether its description marks it as an assumption."""
    obj = case
    *parents, name = path.split(".")
    for p in parents:
        obj = getattr(obj, p)
    info = type(obj).model_fields[name]
    return getattr(obj, name), ASSUMPTION in (info.description or "")


def _eur_day(v: float | None, language: str) -> str:
    return f"{euro(v, 2)} {'per place-day' if language == 'en' else 'per plaats per dag'}"


CASE_ROWS: tuple[Row, ...] = (
    (
        "ukraine.financing_after_tpd_eur_per_place_day",
        {
            "nl": "Vergoeding Rijk voor Oekraïners na 4 maart 2027",
            "en": "National compensation for Ukrainians after 4 March 2027",
        },
        lambda v, lang: (
            (
                "the last published normbedrag carried forward"
                if lang == "en"
                else "laatst gepubliceerde normbedrag loopt door"
            )
            if v is None
            else _eur_day(v, lang)
        ),
        {
            "nl": "De grootste inkomstenpost; de nieuwe regeling is nog niet gepubliceerd.",
            "en": "The largest income; the new scheme has not been published.",
        },
    ),
    (
        "discount_rate_real_share",
        {"nl": "Discontovoet (reëel, per jaar)", "en": "Discount rate (real, per year)"},
        lambda v, lang: number(100 * v, 1) + "%",
        {
            "nl": "Weegt kosten en opbrengsten over de jaren; bepaalt de contante waarden.",
            "en": "Weighs costs and income over the years; sets the present values.",
        },
    ),
    (
        "optimise.capital_charge_years",
        {"nl": "Afschrijvingstermijn aankopen", "en": "Depreciation period of purchases"},
        lambda v, lang: f"{v} {'years' if lang == 'en' else 'jaar'}",
        {
            "nl": "Bepaalt de kapitaallasten in de begroting.",
            "en": "Sets the capital charges in the budget.",
        },
    ),
    (
        "organisation.cost_per_fte_eur_per_year",
        {"nl": "Kosten per fte (personeel opvang)", "en": "Cost per FTE (reception staff)"},
        lambda v, lang: euro(v) + (" per year" if lang == "en" else " per jaar"),
        {
            "nl": "Personeel is een groot deel van de exploitatie.",
            "en": "Staff is a large part of the running costs.",
        },
    ),
    (
        "municipality.ses_correction_share",
        {
            "nl": "Sociaaleconomische correctie Spreidingswet",
            "en": "Socio-economic correction (Spreidingswet)",
        },
        lambda v, lang: number(v, 2),
        {
            "nl": "Bepaalt het aantal asielplaatsen zolang het verdeelbesluit ontbreekt.",
            "en": "Sets the number of asylum places until the distribution is published.",
        },
    ),
    (
        "status_holders.regular_supply_dwellings_per_month",
        {
            "nl": "Reguliere woningen voor statushouders",
            "en": "Regular homes for status holders",
        },
        lambda v, lang: number(v, 1) + (" per month" if lang == "en" else " per maand"),
        {
            "nl": "Bepaalt hoeveel extra woningen (flex) nodig zijn.",
            "en": "Sets how many extra (flex) homes are needed.",
        },
    ),
    (
        "status_holders.outflow_incentives",
        {
            "nl": "Uitstroompremie statushouders geboekt",
            "en": "Outflow incentive for status holders booked",
        },
        lambda v, lang: ("yes" if v else "no") if lang == "en" else ("ja" if v else "nee"),
        {
            "nl": "Inkomsten die alleen gelden zolang de regeling loopt.",
            "en": "Income that holds only while the scheme runs.",
        },
    ),
    (
        "optimise.reliability_share",
        {
            "nl": "Gevraagde betrouwbaarheid per doelgroep",
            "en": "Reliability asked per target group",
        },
        lambda v, lang: percent(v),
        {
            "nl": "Een bestuurlijke keuze: hoger kost meer plaatsen en geld.",
            "en": "An administrative choice: higher costs more places and money.",
        },
    ),
)


def _running_cost_value(outside: int, filled: int, language: str) -> str:
    """'9 locaties buiten de bronband; 2 uit de referentie' (a part left out when it is zero)."""
    en = language == "en"
    one, many = ("location", "locations") if en else ("locatie", "locaties")
    parts = []
    if outside:
        where = "outside the sourced band" if en else "buiten de bronband"
        parts.append(f"{outside} {one if outside == 1 else many} {where}")
    if filled:
        where = "taken from the reference" if en else "uit de referentie"
        parts.append(f"{filled} {one if filled == 1 else many} {where}")
    return "; ".join(parts)


def key_assumptions(advice: Any, language: str = "nl") -> pd.DataFrame:
    """The figures the advice's budget rests on: one row each, with its value and its status.

    Columns (in the report language): the figure, its value, its status ('aanname' or 'bron') and
    why it matters. Rows: the normbedrag and its continuation, the cost of emergency places, the
    running costs of the register, and the case's settings that move the money most.
    """
    from model.finance import normbedrag_per_month

    en = language == "en"
    case = advice.case
    assumed, sourced = ("assumption", "published") if en else ("aanname", "bron")
    rows: list[tuple[str, str, str, str]] = []
    norm = normbedrag_per_month(advice.portfolio.need.periods)
    table = pd.DataFrame(norm_table()).dropna(subset=["goo_eur_per_place_day"])
    last = table.iloc[-1]
    later = [y for y in norm.assumed_years if y > int(last["year"])]
    rows.append(
        (
            "Normbedrag GOO (Oekraïners)",
            _eur_day(float(last["goo_eur_per_place_day"]), language) + (f" ({int(last['year'])})"),
            assumed if later else sourced,
            (
                f"Published up to {int(last['year'])}; carried forward for {later[0]}–{later[-1]}."
                if en
                else f"Gepubliceerd tot en met {int(last['year'])}; voor {later[0]}–{later[-1]} "
                "doorgetrokken."
            )
            if later
            else (
                "Published for every year of the horizon."
                if en
                else "Gepubliceerd voor de hele periode."
            ),
        )
    )
    plan = advice.plan
    if plan is not None:
        rate = plan.summary["recourse_cost_eur_per_place_month"]
        rows.append(
            (
                "Emergency places (hotel)" if en else "Noodopvang (hotel)",
                euro(rate) + (" per place-month" if en else " per plaats per maand"),
                assumed,
                "What a COA hotel place cost the Rijk in 2024 (low confidence); outside the normbedrag."
                if en
                else "Wat een COA-hotelplaats het Rijk in 2024 kostte (lage zekerheid); valt buiten "
                "het normbedrag.",
            )
        )
    register = advice.portfolio.register
    notes = [n for n in getattr(register, "notes", []) if n.code.endswith("band")]
    filled = [n for n in getattr(register, "notes", []) if n.code.endswith("reference")]
    if notes or filled:
        rows.append(
            (
                "Running costs per location" if en else "Lopende kosten per locatie",
                _running_cost_value(len(notes), len(filled), language),
                assumed,
                "From the location register; check them before the budget is set."
                if en
                else "Uit het locatieregister; controleren voordat de begroting wordt vastgesteld.",
            )
        )
    for path, name, fmt, why in CASE_ROWS:
        try:
            value, is_assumption = _field(case, path)
        except (AttributeError, KeyError):
            continue
        rows.append(
            (
                name["en" if en else "nl"],
                fmt(value, language),
                assumed if is_assumption else sourced,
                why["en" if en else "nl"],
            )
        )
    columns = (
        ("Figure", "Value", "Status", "Why it matters")
        if en
        else ("Uitgangspunt", "Waarde", "Status", "Waarom het telt")
    )
    return pd.DataFrame(rows, columns=list(columns))


def norm_table() -> pd.DataFrame:
    """The published normbedrag per year (data/reference)."""
    from model.reference import table as reference_table

    return reference_table("normbedrag")


def summary_sentence(advice: Any, table: pd.DataFrame, language: str = "nl") -> str:
    """'Van de 11 uitgangspunten zijn er 10 aannames; …': how much of the budget rests on assumptions."""
    n = len(table)
    k = int((table.iloc[:, 2] == ("assumption" if language == "en" else "aanname")).sum())
    p = period_name(str(advice.case.peildatum), language)
    if language == "en":
        return (
            f"The budget rests on these {n} figures; {k} of them are assumptions (no published "
            f"figure as of {p}) and can be changed in the case. The workbook of this advice holds "
            "every figure with its source and date."
        )
    return (
        f"De begroting rust op deze {thousands(n)} uitgangspunten; {thousands(k)} daarvan zijn "
        f"aannames (geen gepubliceerd cijfer op peildatum {p}) en in de casus aan te passen. Het "
        "werkboek bij dit advies bevat elk cijfer met bron en datum."
    )


def _names(ids: list[str], table: pd.DataFrame, language: str) -> str:
    """'Hotel De Poort, Kantoor Stationsweg en De Linde': location names for ids, in a sentence."""
    names = [str(table.at[i, "name"]) if i in table.index else str(i) for i in ids]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + (" and " if language == "en" else " en ") + names[-1]


def register_points(advice: Any, language: str = "nl") -> str:
    """The location register's warnings and cost notes in one or two sentences, by location name
    (the full list is in the workbook)."""
    import re

    register = advice.portfolio.register
    table = register.table
    notes = list(getattr(register, "notes", []))
    low = [n.location_id for n in notes if n.code == "running_cost_below_band"]
    high = [n.location_id for n in notes if n.code == "running_cost_above_band"]
    filled = [n.location_id for n in notes if n.code.endswith("reference")]
    other = []
    for w in getattr(register, "warnings", []):
        m = re.match(r"\s*(\w+)\b", str(w))
        if m and m.group(1) in table.index and m.group(1) not in other:
            other.append(m.group(1))
    en = language == "en"
    parts = []
    if low:
        parts.append(
            f"the running costs of {_names(low, table, language)} lie below the sourced band"
            if en
            else f"de lopende kosten van {_names(low, table, language)} liggen onder de bronband"
        )
    if high:
        parts.append(
            f"those of {_names(high, table, language)} above it"
            if en
            else f"die van {_names(high, table, language)} erboven"
        )
    if filled:
        parts.append(
            f"for {_names(filled, table, language)} the running costs are taken from the reference"
            if en
            else f"voor {_names(filled, table, language)} zijn de lopende kosten uit de referentie "
            "genomen"
        )
    if other:
        parts.append(
            f"the availability or term of {_names(other, table, language)} needs a check"
            if en
            else f"de beschikbaarheid of termijn van {_names(other, table, language)} vraagt een "
            "controle"
        )
    if not parts:
        return ""
    lead = (
        "Before the budget is set, the location register asks for checks: "
        if en
        else "Voordat de begroting wordt vastgesteld, vraagt het locatieregister om controle: "
    )
    tail = (
        ". The workbook of this advice lists every point per location."
        if en
        else ". Het werkboek bij dit advies noemt elk punt per locatie."
    )
    return lead + "; ".join(parts) + tail
