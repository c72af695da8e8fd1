"""Warnings about a valid location register, as facts: a code, the location and the figures.

The reporting layer words them in the report language (``onderdak.reporting.register_text`` renders
``register.<code>`` of the message catalog); the model never writes the sentence. Input errors that
stop a run are not warnings: they stay :class:`onderdak.core.errors.InputError` messages for the terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from onderdak.io.reference import citation, scalar

if TYPE_CHECKING:
    from onderdak.register.locations import Register

LEGAL_TERM_KEYS = {
    "leegstandwet": "leegstandwet_max_years_non_residential",
    "flex_units": "flex_standing_years_max",
    "holiday_park": "kruimelgeval_max_years",
}
"""Kinds whose use is limited in time by law or practice -> key in data/reference/sources.csv (the
catalog words what limits it: ``register.term_<kind>``)."""


@dataclass(frozen=True)
class RegisterWarning:
    """One warning about the register.

    Attributes
    ----------
    code : str
        What is the matter: ``closed_before_start``, ``ends_before_start``, ``no_end_date``,
        ``legal_term_exceeded``, ``coa_without_asylum``, ``lead_time_ignored``, ``header_row``,
        ``unknown_column``, ``hidden_sheet_read``, ``hidden_sheets_skipped``.
    location_id : str
        Register id of the location ('' for a warning about the file).
    name : str
        Name of the location ('' for a warning about the file).
    facts : Mapping[str, Any]
        The figures the message needs: dates as ``datetime.date``, months as ``YYYY-MM``, years as
        floats, file, sheet and column names as given.
    """

    code: str
    location_id: str = ""
    name: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)


def _day(value: pd.Timestamp) -> dt.date:
    return pd.Timestamp(value).date()


def _month(value: Any) -> str:
    return str(pd.Period(value, freq="M"))


def closed_warnings(
    table: pd.DataFrame, closed: tuple[str, ...], start: Any
) -> list[RegisterWarning]:
    """A warning per location closed before the case's start (it counts nowhere)."""
    return [
        RegisterWarning(
            "closed_before_start",
            str(i),
            str(table.at[i, "name"]),
            {
                "until": _day(table.at[i, "available_until"]),
                "start": _month(start),
                "still_existing": table.at[i, "status"] == "existing",
            },
        )
        for i in closed
    ]


def register_warnings(
    register: Register, start: str | pd.Period | None = None
) -> list[RegisterWarning]:
    """Warnings about a valid register: legal terms exceeded, lead times ignored, closed locations.

    Parameters
    ----------
    register : Register
    start : str or pandas.Period, optional
        First month of the case; without it the lead-time and closed-location checks are skipped.
        A *planned* location whose ``available_from`` lies before ``start + lead_time_months`` is
        reported (it opens later than the register says). For a candidate, ``available_from`` is when
        the building can be had, so opening at ``start + lead_time_months`` is the rule, not a warning.

    Returns
    -------
    list of RegisterWarning
        The limits come from data/reference (keys in ``LEGAL_TERM_KEYS``).
    """
    out: list[RegisterWarning] = []
    t = register.table
    first = None if start is None else pd.Period(start, freq="M")
    for loc_id, row in t.iterrows():
        at = {"location_id": str(loc_id), "name": str(row["name"])}
        if row["kind"] in LEGAL_TERM_KEYS:
            key = LEGAL_TERM_KEYS[row["kind"]]
            max_years = float(scalar(key))
            begin = row["available_from"]
            if pd.isna(begin) and first is not None:
                begin = first.start_time
            if pd.isna(row["available_until"]):
                out.append(
                    RegisterWarning(
                        "no_end_date", **at, facts={"kind": row["kind"], "max_years": max_years}
                    )
                )
            elif not pd.isna(begin):
                years = (row["available_until"] - begin).days / 365.25
                if years > max_years + 1e-9:
                    facts = {
                        "kind": row["kind"],
                        "until": _day(row["available_until"]),
                        "begin": _day(begin),
                        "years": years,
                        "max_years": max_years,
                        "source": citation(key),
                    }
                    out.append(RegisterWarning("legal_term_exceeded", **at, facts=facts))
        if row["kind"] == "coa_location" and "asylum" not in row["streams"].split(";"):
            out.append(RegisterWarning("coa_without_asylum", **at))
        if first is None:
            continue
        if row["status"] == "planned":  # a candidate's available_from is when it can be had
            earliest = first + int(row["lead_time_months"])
            if (
                not pd.isna(row["available_from"])
                and pd.Period(row["available_from"], freq="M") < earliest
            ):
                facts = {
                    "available_from": _day(row["available_from"]),
                    "lead_time_months": int(row["lead_time_months"]),
                    "start": str(first),
                    "opens": str(earliest),
                }
                out.append(RegisterWarning("lead_time_ignored", **at, facts=facts))
        if (
            not pd.isna(row["available_until"])
            and pd.Period(row["available_until"], freq="M") <= first
        ):
            out.append(
                RegisterWarning(
                    "ends_before_start", **at, facts={"until": _day(row["available_until"])}
                )
            )
    return out
