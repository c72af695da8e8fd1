"""The numbers of the advice's 'thuis' section: each service in its peak year with the 80% band,
the structural charges per year, and the tables the report shows and the workbook holds.

Every figure is read from :class:`onderdak.thuis.result.Thuis` the way its ``thuis_peak_year`` facts
are made (:func:`onderdak.thuis.result.yearly`: a stock's yearly mean, a flow's yearly sum), so the
text, the table and the facts agree. Words: :mod:`onderdak.reporting.thuis`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from onderdak.reporting import i18n
from onderdak.thuis.composition import BANDS
from onderdak.thuis.result import Thuis, peak_year, yearly
from onderdak.thuis.services import ALL, UNITS

SH = "status_holders"
ROWS = (
    (ALL, "primary_pupils"),
    (ALL, "secondary_pupils"),
    (ALL, "newcomer_primary_pupils"),
    (ALL, "isk_pupils"),
    (ALL, "gp_registrations"),
    (SH, "in_progress"),
    (SH, "in_progress_b1"),
    (SH, "in_progress_onderwijs"),
    (SH, "in_progress_z"),
    (ALL, "employed_persons"),
    (SH, "fte_taakstelling"),
    (SH, "fte_inburgering"),
    ("ukraine", "fte_reception"),
    (ALL, "staff_cost_eur_per_month"),
    (SH, "inburgering_cost_eur_per_month"),
    (ALL, "school_funding_eur_per_month"),
)
"""The services of the section's table, in their order (those computed)."""

GROUPS = {"newcomer_primary_pupils": "newcomer_primary_groups", "isk_pupils": "isk_classes"}
"""Pupils in newcomers' education → the groups or classes they fill."""

ROUTES = ("in_progress_b1", "in_progress_onderwijs", "in_progress_z")


def periods(thuis: Thuis) -> pd.PeriodIndex:
    return thuis.residents.periods


def _unit(service: str) -> str:
    unit = UNITS[service]
    return "eur_per_year" if unit == "eur_per_month" else unit


def peak(thuis: Thuis, stream: str, service: str, year: int | None = None) -> dict:
    """One service in the year of its highest median (or in ``year``): year, p10, p50, p90 of the
    yearly value (a stock's mean over the year, a flow's or money's sum), and its unit."""
    values = thuis.series.get(stream, service)
    found = peak_year(values, periods(thuis), UNITS[service], year)
    return {"stream": stream, "service": service, "unit": _unit(service), **found}


def peaks(thuis: Thuis) -> pd.DataFrame:
    """Every service of :data:`ROWS` that was computed, in its peak year; the routes in the year
    of the peak of all trajectories (so they add up), groups and classes beside their pupils."""
    rows = []
    series = thuis.series.series
    total_year = peak(thuis, SH, "in_progress")["year"] if (SH, "in_progress") in series else None
    for stream, service in ROWS:
        if (stream, service) not in series:
            continue
        row = peak(thuis, stream, service, total_year if service in ROUTES else None)
        group = GROUPS.get(service)
        if group and (ALL, group) in series:
            row["groups_p50"] = peak(thuis, ALL, group, row["year"])["p50"]
        rows.append(row)
    return pd.DataFrame(rows)


def staff_fte(thuis: Thuis) -> dict:
    """FTE for the taakstelling and inburgering together, in the year of their highest median."""
    series = thuis.series.series
    parts = [series[(SH, s)] for s in ("fte_taakstelling", "fte_inburgering") if (SH, s) in series]
    if not parts:
        return {}
    return peak_year(sum(parts), periods(thuis), "fte")


def costs_per_year(thuis: Thuis) -> pd.DataFrame:
    """Per calendar year the structural charges of 'thuis' in euros (medians over the paths):
    staff for the taakstelling and inburgering, inburgering trajectories, their total with its 80%
    band; beside it the funding of newcomers' education (the schools') and the reception staff
    (already in the locations' running costs)."""
    series = thuis.series.series

    def per_year(stream: str, service: str) -> tuple[np.ndarray, np.ndarray | None]:
        if (stream, service) not in series:
            return np.asarray(sorted(set(periods(thuis).year))), None
        return yearly(series[(stream, service)], periods(thuis), "eur_per_month")

    years, staff = per_year(ALL, "staff_cost_eur_per_month")
    _, inburgering = per_year(SH, "inburgering_cost_eur_per_month")
    _, school = per_year(ALL, "school_funding_eur_per_month")
    _, reception = per_year(ALL, "reception_staff_cost_eur_per_month")
    zero = np.zeros((1, len(years)))
    total = (staff if staff is not None else zero) + (
        inburgering if inburgering is not None else zero
    )
    q = np.quantile(total, BANDS, axis=0)

    def p50(values: np.ndarray | None) -> np.ndarray:
        return np.full(len(years), np.nan) if values is None else np.median(values, axis=0)

    return pd.DataFrame(
        {
            "year": years.astype(int),
            "thuis_staff_eur": p50(staff),
            "thuis_inburgering_eur": p50(inburgering),
            "thuis_total_eur": q[1],
            "thuis_total_p10_eur": q[0],
            "thuis_total_p90_eur": q[2],
            "thuis_school_eur": p50(school),
            "thuis_reception_eur": p50(reception),
        }
    )


def rounded_eur(x: float) -> float:
    """An amount as the report writes it: to the nearest thousand euros (the workbook keeps euros)."""
    return float(round(x, -3))


def value_text(x: float, unit: str, language: str) -> str:
    """A figure in the report: euros to the thousand, FTE with one decimal, counts whole."""
    if unit == "eur_per_year":
        return i18n.euro(rounded_eur(x), 0, language)
    return i18n.number(x, 1 if unit == "fte" else 0, language)


def peak_display(thuis: Thuis, language: str = "nl") -> pd.DataFrame:
    """The section's table for the reader: service, peak year, median, 80% band, unit."""
    t = peaks(thuis)

    def col(key: str) -> str:
        return i18n.text(f"thuis.column.{key}", language)

    return pd.DataFrame(
        {
            col("what"): [i18n.text(f"thuis.service.{s}", language) for s in t["service"]],
            col("year"): t["year"].astype(str),
            col("value"): [
                value_text(v, u, language) for v, u in zip(t["p50"], t["unit"], strict=True)
            ],
            col("band"): [
                f"{value_text(lo, u, language)}–{value_text(hi, u, language)}"
                for lo, hi, u in zip(t["p10"], t["p90"], t["unit"], strict=True)
            ],
            col("unit"): [i18n.text(f"thuis.unit.{u}", language) for u in t["unit"]],
        }
    )


def peak_data(thuis: Thuis, language: str = "nl") -> pd.DataFrame:
    """The same table as numbers for the workbook."""
    t = peaks(thuis)
    return pd.DataFrame(
        {
            "thuis_service": [i18n.text(f"thuis.service.{s}", language) for s in t["service"]],
            "thuis_year": t["year"],
            "p50": t["p50"],
            "p10": t["p10"],
            "p90": t["p90"],
            "thuis_unit": [i18n.text(f"thuis.unit.{u}", language) for u in t["unit"]],
        }
    )


def area_name(area: str, names: dict[str, str], language: str = "nl", capital: bool = False) -> str:
    """A wijk's name (its code when unknown), 'de hele gemeente' or 'buiten de locaties'."""
    if area in ("municipality", "unplaced"):
        words = i18n.text(f"thuis.area.{area}", language)
        return words[:1].upper() + words[1:] if capital else words
    return names.get(area, area)


def shortage_data(thuis: Thuis, names: dict[str, str], language: str = "nl") -> pd.DataFrame:
    """Per area and capacity given: the service, the capacity, the highest demand (P90) and the
    chance of a shortage; the largest chance first."""
    s = thuis.shortages.sort_values(["shortage_chance_share", "area"], ascending=[False, True])
    return pd.DataFrame(
        {
            "thuis_area": [area_name(a, names, language, capital=True) for a in s["area"]],
            "thuis_service": [i18n.text(f"thuis.service.{v}", language) for v in s["service"]],
            "thuis_capacity": s["capacity"].to_numpy(),
            "thuis_peak_p90": s["peak_p90"].to_numpy(),
            "thuis_shortage_chance_share": s["shortage_chance_share"].to_numpy(),
        }
    )


def shortage_display(thuis: Thuis, names: dict[str, str], language: str = "nl") -> pd.DataFrame:
    d = shortage_data(thuis, names, language)
    keys = ("area", "what", "capacity", "peak", "chance")
    out = pd.DataFrame(
        {
            i18n.text(f"thuis.column.{k}", language): d[c]
            for k, c in zip(keys, d.columns, strict=True)
        }
    )
    cap, pk, ch = (i18n.text(f"thuis.column.{k}", language) for k in keys[2:])
    out[cap] = out[cap].map(lambda v: i18n.number(v, 0, language))
    out[pk] = out[pk].map(lambda v: i18n.number(v, 0, language))
    out[ch] = out[ch].map(lambda v: i18n.percent(v, 0, language))
    return out


COST_COLUMNS = ("staff", "inburgering", "total", "total_band", "school", "reception")


def costs_display(thuis: Thuis, language: str = "nl") -> pd.DataFrame:
    """:func:`costs_per_year` for the reader: amounts in euros, the band as text."""
    c = costs_per_year(thuis)
    eur = lambda v: i18n.euro(rounded_eur(v), 0, language)  # noqa: E731
    values = {
        "staff": c["thuis_staff_eur"].map(eur),
        "inburgering": c["thuis_inburgering_eur"].map(eur),
        "total": c["thuis_total_eur"].map(eur),
        "total_band": [
            f"{eur(lo)}–{eur(hi)}"
            for lo, hi in zip(c["thuis_total_p10_eur"], c["thuis_total_p90_eur"], strict=True)
        ],
        "school": c["thuis_school_eur"].map(eur),
        "reception": c["thuis_reception_eur"].map(eur),
    }
    out = pd.DataFrame({i18n.text("voorstel.money.column.year", language): c["year"].astype(str)})
    for key in COST_COLUMNS:
        if not c[_COST_DATA[key]].isna().all():
            out[i18n.text(f"thuis.column.{key}", language)] = values[key]
    return out


_COST_DATA = {
    "staff": "thuis_staff_eur",
    "inburgering": "thuis_inburgering_eur",
    "total": "thuis_total_eur",
    "total_band": "thuis_total_p10_eur",
    "school": "thuis_school_eur",
    "reception": "thuis_reception_eur",
}


def costs_data(thuis: Thuis) -> pd.DataFrame:
    """:func:`costs_per_year` without the lines not computed (for the workbook)."""
    c = costs_per_year(thuis)
    return c[[col for col in c.columns if not c[col].isna().all()]]


def services_data(thuis: Thuis, language: str = "nl") -> pd.DataFrame:
    """The tidy monthly services table for the workbook: target group, service and unit in words."""
    s = thuis.services
    return pd.DataFrame(
        {
            "stream": [
                i18n.text("thuis.stream.all", language) if v == ALL else v for v in s["stream"]
            ],
            "thuis_service": [i18n.text(f"thuis.service.{v}", language) for v in s["service"]],
            "thuis_unit": [i18n.text(f"thuis.unit.{v}", language) for v in s["unit"]],
            "period": s["period"],
            "mean": s["mean"],
            "p10": s["p10"],
            "p50": s["p50"],
            "p90": s["p90"],
        }
    )
