"""What in the figures is published and what is modelled: the peildatum, the taakstelling bridge, the
Spreidingswet number per cycle and the Ukrainian premise after March 2027, in Dutch and English."""

from __future__ import annotations

import numpy as np
import pandas as pd

from onderdak.inflow.scenarios import scenario_definition
from onderdak.inflow.taakstelling import half_year_index, half_year_label
from onderdak.pipeline.results import Results
from onderdak.reporting import i18n
from onderdak.reporting.style import euro, number, percent, period_name

SERIES = (
    "first_applications_persons",
    "coa_occupancy_persons",
    "status_holders_in_coa_persons",
    "ukraine_goo_persons",
)
"""The published national series named in the peildatum paragraph (``record_text.series_<key>``)."""


def _t(key: str, language: str, **facts: object) -> str:
    return i18n.text(f"record_text.{key}", language, **facts)


def _signed(x: float) -> str:
    return ("+" if x >= 0 else "−") + number(abs(round(x, -1)))


def record_paragraphs(results: Results, scenario: str, language: str = "nl") -> str:
    """Markdown: the peildatum and what is published, the taakstelling bridge, Spreidingswet, Ukrainians."""
    lang = i18n._lang(language)
    run = results.runs[scenario]
    e, case = run.ensemble, run.case
    until = e.published_until
    series = "; ".join(
        _t(
            "until",
            lang,
            name=_t(f"series_{key}", lang),
            month=period_name(until[key], lang),
        )
        for key in SERIES
        if until.get(key)
    )
    taak = until.get("taakstelling_persons")
    taak_label = (
        _half_year_name(half_year_label(half_year_index(pd.PeriodIndex([taak], freq="M"))[0]), lang)
        if taak
        else "–"
    )
    peildatum = period_name(e.peildatum or case.peildatum, lang)
    parts = [_t("peil", lang, peildatum=peildatum, series=series, taak=taak_label)]
    link = e.taakstelling_link
    first = link.get("first_modelled")
    if first:
        parts.append(
            _t(
                "bridge",
                lang,
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
            _t(
                "cycle",
                lang,
                start=period_name(cycle["cycle_start"], lang),
                how=_t(cycle["source"], lang, places=places),
            )
        )
    after = scenario_definition(e.national_scenario)["ukraine_after_tpd"]
    lo, hi = after["transition_months"]
    months = str(lo) if lo == hi else f"{lo}–{hi}"
    leave = case.inflow.ukraine_return_share
    leave = after["leave_share"] if leave is None else leave
    if after["move_on_share"] > 0:
        text = _t(
            "ukraine",
            lang,
            leave=percent(leave),
            move=percent(after["move_on_share"]),
            months=months,
        )
        dwellings = run.need.detail["ukraine_moved_on_dwellings"][:, -1]
        persons = run.need.detail["ukraine_moved_on_persons"][:, -1]
        low, mid, high = np.quantile(dwellings, [0.1, 0.5, 0.9])
        if mid >= 0.5:
            text += " " + _t(
                "moved_on",
                lang,
                municipality=case.municipality.name,
                month=period_name(str(run.need.periods[-1]), lang),
                persons=number(np.median(persons)),
                dwellings=number(mid),
                low=number(low),
                high=number(high),
            )
    else:
        text = _t("ukraine_early", lang, leave=percent(leave), months=months)
    financing = case.ukraine.financing_after_tpd_eur_per_place_day
    if financing is None:
        text += " " + _t("financing_none", lang)
    else:
        text += " " + _t("financing", lang, value=euro(financing))
    parts.append(text)
    return "\n\n".join(parts)


def _half_year_name(label: str, language: str) -> str:
    """'2025-II' → 'tweede halfjaar 2025' ('the second half of 2025')."""
    year, half = label.split("-")
    return _t("half_year", language, year=year, half=half)
