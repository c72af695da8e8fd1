"""Running costs of register rows: sourced defaults for blank costs, and a plausibility check per place-day.

The reference is ``data/reference/running_costs_by_kind.csv``: per location kind and stream a
default running cost per place-day, the sourced band around it, whether it is charged per realised
place-day (booked as ``fixed_opex_eur_per_year``) or per occupied place-day (booked as
``variable_opex_eur_per_place_day``), and whether it includes staff. Every default used and every
row outside its band becomes a :class:`RegisterNote` (a code and the figures; the reporting layer
words it, see :func:`onderdak.reporting.register_text.note_text`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from onderdak.case.locations import OrganisationSettings
from onderdak.io.reference import table

DAYS_PER_YEAR = 365.0
"""Days per year in costs per place-day (the sources' own /365)."""

COST_FIELDS = ("fixed_opex_eur_per_year", "variable_opex_eur_per_place_day")
"""The running-cost columns of the register; blank in both means: take the reference."""

RECEPTION_STREAMS = frozenset({"ukraine", "asylum"})


@dataclass(frozen=True)
class RegisterNote:
    """A structured remark about one register row (words belong to the reporting layer).

    Attributes
    ----------
    code : str
        ``running_cost_from_reference`` (blank running cost filled from the reference),
        ``running_cost_no_reference`` (blank, and no sourced reference exists: booked as 0),
        ``running_cost_below_band`` / ``running_cost_above_band`` (modelled cost per place-day
        outside the sourced band).
    location_id : str
    row : int
        Spreadsheet row (header is row 1), 0 when unknown.
    field : str
        Register column the note is about.
    value : float
        The value used (``*_from_reference``: in the unit of ``field``; band notes: modelled
        EUR per place-day; ``*_no_reference``: 0).
    kind, stream : str
        Location kind and the stream whose reference was used.
    eur_per_place_day : float or None
        The reference per place-day (None: no reference).
    low_eur_per_place_day, high_eur_per_place_day : float or None
        The sourced band.
    source : str
        ``"source, date"`` of the reference row, or its note when no reference exists.
    staff_included : bool
        The reference includes staff (the location's staff line is then 0 unless the register
        gives ``staff_fte``); for band notes: staff cost was added to the modelled figure.
    """

    code: str
    location_id: str
    row: int
    field: str
    value: float
    kind: str
    stream: str
    eur_per_place_day: float | None = None
    low_eur_per_place_day: float | None = None
    high_eur_per_place_day: float | None = None
    source: str = ""
    staff_included: bool = False


@dataclass(frozen=True)
class CostReference:
    """One row of running_costs_by_kind.csv that applies to a location."""

    kind: str
    stream: str
    eur_per_place_day: float | None
    low: float | None
    high: float | None
    per_realised_place: bool
    includes_staff: bool
    source: str
    note: str


def _num(value: object) -> float | None:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def cost_reference(kind: str, streams: tuple[str, ...]) -> CostReference | None:
    """The reference row for a location: exact (kind, stream), then (kind, *), then (*, stream).

    The location's streams are tried in register order; the first with a value wins, else the
    first matching row without a value (its note says why), else None.
    """
    t = table("running_costs_by_kind")
    found: list[CostReference] = []
    for stream in streams:
        for k, s in ((kind, stream), (kind, "*"), ("*", stream)):
            hit = t[(t["kind"] == k) & (t["stream"] == s)]
            if hit.empty:
                continue
            r = hit.iloc[0]
            found.append(
                CostReference(
                    kind=kind,
                    stream=stream,
                    eur_per_place_day=_num(r["eur_per_place_day"]),
                    low=_num(r["low_eur_per_place_day"]),
                    high=_num(r["high_eur_per_place_day"]),
                    per_realised_place=r["charged_per"] == "realised_place",
                    includes_staff=str(r["includes_staff"]).strip().lower() == "yes",
                    source=f"{r['source']}, {r['date']}",
                    note=str(r["note"]),
                )
            )
            break
    with_value = [f for f in found if f.eur_per_place_day is not None]
    return with_value[0] if with_value else (found[0] if found else None)


def fill_running_costs(
    table_: pd.DataFrame, rows: dict[str, int]
) -> tuple[pd.DataFrame, list[RegisterNote]]:
    """Fill blank running costs from the reference; blank cells that stay blank become 0.

    A row's running cost is blank when both ``COST_FIELDS`` are empty (NaN); a given 0 counts as
    given, and one given field leaves the other at 0.

    Parameters
    ----------
    table_ : pandas.DataFrame
        Register table indexed by id; blank cost cells are NaN.
    rows : dict
        Location id -> spreadsheet row.

    Returns
    -------
    (pandas.DataFrame, list of RegisterNote)
        A copy with the costs filled (and ``staff_fte`` 0 where the reference includes staff and the
        register gave none), and one note per location filled or without a reference.
    """
    t = table_.copy()
    notes: list[RegisterNote] = []
    for loc_id, row in t.iterrows():
        if not all(pd.isna(row[c]) for c in COST_FIELDS):
            continue  # the register gives a running cost
        streams = tuple(str(row["streams"]).split(";"))
        ref = cost_reference(str(row["kind"]), streams)
        where = {"location_id": str(loc_id), "row": rows.get(loc_id, 0), "kind": str(row["kind"])}
        if ref is None or ref.eur_per_place_day is None:
            notes.append(
                RegisterNote(
                    "running_cost_no_reference",
                    field="fixed_opex_eur_per_year",
                    value=0.0,
                    stream=ref.stream if ref else streams[0],
                    source=(ref.note + f" ({ref.source})") if ref else "",
                    **where,
                )
            )
            continue
        if ref.per_realised_place:
            field = "fixed_opex_eur_per_year"
            value = ref.eur_per_place_day * float(row["capacity_places"]) * DAYS_PER_YEAR
        else:
            field = "variable_opex_eur_per_place_day"
            value = ref.eur_per_place_day
        t.at[loc_id, field] = value
        staff = ref.includes_staff and pd.isna(row["staff_fte"])
        if staff:
            t.at[loc_id, "staff_fte"] = 0.0
        notes.append(
            RegisterNote(
                "running_cost_from_reference",
                field=field,
                value=value,
                stream=ref.stream,
                eur_per_place_day=ref.eur_per_place_day,
                low_eur_per_place_day=ref.low,
                high_eur_per_place_day=ref.high,
                source=ref.source,
                staff_included=staff,
                **where,
            )
        )
    for c in COST_FIELDS:
        t[c] = t[c].fillna(0.0)
    return t, notes


def running_cost_eur_per_place_day(
    row: pd.Series,
    *,
    include_staff: bool,
    manager_fte: float = 1.0,
    staff_fte_per_100_residents: float = 1.5,
    cost_per_fte_eur_per_year: float = 95_000.0,
) -> float:
    """Modelled running cost of a location per place-day at full occupancy (EUR), capex excluded.

    ``fixed_opex_eur_per_year / (capacity_places × 365) + variable_opex_eur_per_place_day``, plus,
    with ``include_staff``, the staff the budget adds: ``staff_fte`` (else, for reception
    locations other than COA's, ``manager_fte`` plus ``staff_fte_per_100_residents`` per 100
    residents) × ``cost_per_fte_eur_per_year`` per place-day.

    Examples
    --------
    >>> row = pd.Series({"capacity_places": 100, "fixed_opex_eur_per_year": 365_000.0,
    ...                  "variable_opex_eur_per_place_day": 20.0, "staff_fte": 0.0,
    ...                  "kind": "lease", "streams": "ukraine"})
    >>> running_cost_eur_per_place_day(row, include_staff=False)
    30.0
    """
    places = float(row["capacity_places"])
    if places <= 0:
        return math.nan
    per_day = float(row["fixed_opex_eur_per_year"]) / (places * DAYS_PER_YEAR) + float(
        row["variable_opex_eur_per_place_day"]
    )
    if include_staff:
        fte = row["staff_fte"]
        streams = set(str(row["streams"]).split(";"))
        if pd.isna(fte):
            reception = row["kind"] != "coa_location" and bool(streams & RECEPTION_STREAMS)
            fte = (manager_fte + staff_fte_per_100_residents * places / 100.0) if reception else 0.0
        per_day += float(fte) * cost_per_fte_eur_per_year / (places * DAYS_PER_YEAR)
    return per_day


def plausibility_notes(
    table_: pd.DataFrame, rows: dict[str, int], organisation: object | None = None
) -> list[RegisterNote]:
    """A note per location whose modelled running cost per place-day lies outside its sourced band.

    Parameters
    ----------
    table_ : pandas.DataFrame
        Register table (costs filled).
    rows : dict
        Location id -> spreadsheet row.
    organisation : OrganisationSettings, optional
        Staff norms and cost per FTE (default: the case defaults). Staff is added to the modelled
        cost only when the reference includes staff (the G4 figure is all-in).

    Notes
    -----
    Capex (purchase, conversion, furnishing) is left out: a purchase is largely recovered as market
    value, so an annuity of the price would overstate the cost, and the sources quote running cost.
    """
    if organisation is None:
        organisation = OrganisationSettings()
    out: list[RegisterNote] = []
    for loc_id, row in table_.iterrows():
        ref = cost_reference(str(row["kind"]), tuple(str(row["streams"]).split(";")))
        if ref is None or ref.low is None or ref.high is None:
            continue
        per_day = running_cost_eur_per_place_day(
            row,
            include_staff=ref.includes_staff,
            manager_fte=organisation.location_manager_fte_per_location,
            staff_fte_per_100_residents=organisation.staff_fte_per_100_residents,
            cost_per_fte_eur_per_year=organisation.cost_per_fte_eur_per_year,
        )
        if not np.isfinite(per_day) or ref.low - 1e-9 <= per_day <= ref.high + 1e-9:
            continue
        out.append(
            RegisterNote(
                "running_cost_below_band" if per_day < ref.low else "running_cost_above_band",
                location_id=str(loc_id),
                row=rows.get(loc_id, 0),
                field="fixed_opex_eur_per_year + variable_opex_eur_per_place_day",
                value=per_day,
                kind=str(row["kind"]),
                stream=ref.stream,
                eur_per_place_day=ref.eur_per_place_day,
                low_eur_per_place_day=ref.low,
                high_eur_per_place_day=ref.high,
                source=ref.source,
                staff_included=ref.includes_staff,
            )
        )
    return out


__all__ = [
    "COST_FIELDS",
    "CostReference",
    "RegisterNote",
    "cost_reference",
    "fill_running_costs",
    "plausibility_notes",
    "running_cost_eur_per_place_day",
]
