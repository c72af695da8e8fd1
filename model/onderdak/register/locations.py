"""The location register (CSV or Excel) read, validated and checked, and the usable places it offers per month.

A register is one row a location (see DESIGN.md, "Locations"). Dutch headers and values, decimal
commas and Dutch dates are accepted (the alias tables are in :mod:`onderdak.register.terms`); every row is
validated with pydantic and all problems of a file are reported at once, each naming file, sheet,
spreadsheet row, column and value. Blank running costs take the sourced reference of the location's
kind (:mod:`onderdak.register.costs`), each recorded as a structured note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from onderdak.core.errors import InputError
from onderdak.core.streams import STREAMS
from onderdak.register.cells import read_cells
from onderdak.register.checks import RegisterWarning, closed_warnings, register_warnings
from onderdak.register.costs import RegisterNote, fill_running_costs, plausibility_notes
from onderdak.register.rows import COLUMN_ORDER, header_score, map_headers, validate_rows

if TYPE_CHECKING:
    from onderdak.case.locations import OrganisationSettings
    from onderdak.case.settings import Case

__all__ = [
    "Capacity",
    "Register",
    "capacity",
    "load_register",
    "read_register",
    "register_warnings",
]


@dataclass(frozen=True)
class Register:
    """A validated location register.

    Attributes
    ----------
    table : pandas.DataFrame
        One row a location, indexed by ``id``, with the English columns of the register contract
        (``streams`` and ``reuse_options`` as ``;``-separated canonical names, dates as datetime64,
        empty optional numbers NaN, empty money 0, blank running costs from the reference).
    warnings : list of RegisterWarning
        Points to check, as codes and facts (worded by ``onderdak.reporting.register_text`` for
        ``onderdak validate`` and the report).
    notes : list of RegisterNote
        Structured remarks on costs: running costs taken from the reference (or without one) and
        running costs per place-day outside the sourced band (:mod:`onderdak.register.costs`); the
        reporting layer words them.
    source : pathlib.Path
        The file read.
    sheet : str or None
        The Excel sheet read (None for CSV).
    rows : dict
        Location id -> spreadsheet row number (header row included), for messages.
    closed : tuple of str
        Locations whose ``available_until`` lies before the case's start: not in ``table``, so they
        count nowhere (capacity, plan, spread, choice, money); the warnings name them.
    """

    table: pd.DataFrame
    warnings: list[RegisterWarning]
    source: Path
    sheet: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    notes: list[RegisterNote] = field(default_factory=list)
    closed: tuple[str, ...] = ()

    def streams(self, location_id: str) -> tuple[str, ...]:
        """The streams one location serves, in the order of the register."""
        return tuple(self.table.at[location_id, "streams"].split(";"))


def read_register(
    path: str | Path,
    sheet: str | None = None,
    *,
    start: str | pd.Period | None = None,
    organisation: OrganisationSettings | None = None,
    header_row: int | None = None,
) -> Register:
    """Read, validate and check a location register.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (``,``, ``;`` or tab separated; UTF-8 or Windows-1252) or ``.xlsx`` file.
    sheet : str, optional
        Excel sheet; default the visible sheet named ``locaties``/``locations``/``register``, else
        the one visible sheet that holds a register. Hidden sheets are read only when named.
    start : str or pandas.Period, optional
        First month of the case (``YYYY-MM``). When given, planned and candidate openings that ignore
        their lead time are added to the warnings.
    organisation : OrganisationSettings, optional
        Staff norms for the plausibility check of running costs (default: the case defaults).
    header_row : int, optional
        Spreadsheet row of the header; default the first row that names the register's columns
        (title rows above it are skipped).

    Returns
    -------
    Register

    Raises
    ------
    InputError
        Listing every problem of the file: personal-data columns, missing or duplicated columns, and
        each invalid cell with file, sheet, row, column and value.
    """
    path = Path(path)
    cells = read_cells(path, sheet, header_row, header_score)
    where = path.name + (f", sheet '{cells.sheet}'" if cells.sheet else "")
    mapped = map_headers(cells.headers, cells.rows, where)
    ignored = mapped.ignored
    records, problems = validate_rows(
        cells.rows, mapped.columns, where, cells.headers, mapped.percent
    )
    if problems:
        raise InputError(f"{path}: the location register has {len(problems)} problem(s)", problems)
    if not records:
        raise InputError(f"{path}: the location register has no locations")
    rows = {r["id"]: n for n, r in records}
    table = _typed(pd.DataFrame([r for _, r in records], columns=list(COLUMN_ORDER)))
    closed = closed_before(table, start)
    closed_said = closed_warnings(table, closed, start)
    table, notes = fill_running_costs(table.drop(index=list(closed)), rows)
    notes += plausibility_notes(table, rows, organisation)
    register = Register(
        table=table,
        warnings=[],
        source=path,
        sheet=cells.sheet,
        rows=rows,
        notes=notes,
        closed=closed,
    )
    register.warnings.extend(cells.notes)
    if cells.header_row != 1:
        register.warnings.append(
            RegisterWarning("header_row", facts={"where": where, "row": cells.header_row})
        )
    register.warnings.extend(
        RegisterWarning("unknown_column", facts={"where": where, "column": h}) for h in ignored
    )
    register.warnings.extend(closed_said)
    register.warnings.extend(register_warnings(register, start))
    if not len(table):
        raise InputError(
            f"{path}: every location of the register closed before the start ({start}); "
            "check `available_until` (beschikbaar tot)"
        )
    return register


def closed_before(table: pd.DataFrame, start: str | pd.Period | None) -> tuple[str, ...]:
    """Ids of locations whose last open month (:func:`closing_month`) lies before ``start``."""
    if start is None:
        return ()
    first = pd.Period(start, freq="M")
    return tuple(
        str(i)
        for i, row in table.iterrows()
        if (last := closing_month(row)) is not None and last < first
    )


TEXT_COLUMNS = (
    "id",
    "name",
    "status",
    "kind",
    "streams",
    "address",
    "crs",
    "wijk_code",
    "reuse_options",
    "notes",
)
DATE_COLUMNS = ("available_from", "available_until")
INT_COLUMNS = ("capacity_places", "lead_time_months")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes whatever the cells held: text (missing NaN), datetime64, int64, Int64 priority, float64."""
    out = {}
    for c in frame.columns:
        values = frame[c].tolist()
        if c in TEXT_COLUMNS:
            out[c] = pd.Series(values, dtype="str")
        elif c in DATE_COLUMNS:
            out[c] = pd.to_datetime(pd.Series(values, dtype=object))
        elif c in INT_COLUMNS:
            out[c] = pd.Series(values, dtype="int64")
        elif c == "priority":
            out[c] = pd.Series(values, dtype="Int64")
        else:
            out[c] = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    return pd.DataFrame(out).set_index("id")


def load_register(case: Case) -> Register:
    """The register a case points at (``case.locations``), read with the case's start month.

    Raises
    ------
    InputError
        If the case has no register or it is invalid.
    """
    if not case.locations:
        raise InputError(
            f"{case.source or case.name}: the case names no location register (field `locations`)"
        )
    return read_register(
        case.path(case.locations),
        case.locations_sheet,
        start=case.start,
        organisation=case.organisation,
        header_row=case.locations_header_row,
    )


@dataclass(frozen=True)
class Capacity:
    """Usable places (or dwellings) per location per month.

    Attributes
    ----------
    ids : tuple of str
        Location ids, in register order (axis 0 of ``places``).
    periods : pandas.PeriodIndex
        Months (axis 1 of ``places``).
    places : numpy.ndarray
        Shape (locations, months): ``capacity_places × occupancy_norm_share`` while open, else 0.
    nominal : numpy.ndarray
        Shape (locations, months): ``capacity_places`` while open, else 0.
    opening : tuple of pandas.Period or None
        First open month per location (None: not open within the horizon).
    closing : tuple of pandas.Period or None
        Last open month per location (None: open to the end of the horizon or never open).
    streams : tuple of tuple of str
        Streams each location serves.
    status : tuple of str
    """

    ids: tuple[str, ...]
    periods: pd.PeriodIndex
    places: np.ndarray
    nominal: np.ndarray
    opening: tuple[pd.Period | None, ...]
    closing: tuple[pd.Period | None, ...]
    streams: tuple[tuple[str, ...], ...]
    status: tuple[str, ...]

    def serving(self, stream: str) -> np.ndarray:
        """Indices of the locations that serve ``stream``."""
        return np.array([i for i, s in enumerate(self.streams) if stream in s], dtype=np.intp)

    def by_stream(self, stream: str, status: Iterable[str] | None = None) -> np.ndarray:
        """Usable places per month open to ``stream`` (a shared location counts in full for each stream)."""
        keep = set(status) if status is not None else None
        idx = [i for i in self.serving(stream) if keep is None or self.status[i] in keep]
        return self.places[idx].sum(axis=0) if idx else np.zeros(len(self.periods))


def opening_month(row: pd.Series, start: pd.Period, lead_time: bool = True) -> pd.Period:
    """The first month a location is open.

    An ``available_from`` that is not the first of a month opens the location the next month.
    Planned and candidate locations open no earlier than ``start + lead_time_months`` (with
    ``lead_time=True``); existing ones from ``available_from`` (empty: from before the start).
    """
    begin = row["available_from"]
    month = start if pd.isna(begin) else pd.Period(begin, freq="M") + (0 if begin.day == 1 else 1)
    if lead_time and row["status"] in ("planned", "candidate"):
        month = max(month, start + int(row["lead_time_months"]))
    return month


def closing_month(row: pd.Series) -> pd.Period | None:
    """The last month a location is open: the month of ``available_until`` if that is the month's last day, else the month before."""
    end = row["available_until"]
    if pd.isna(end):
        return None
    month = pd.Period(end, freq="M")
    return month if end.day == month.days_in_month else month - 1


def capacity(
    register: Register,
    periods: pd.PeriodIndex,
    *,
    start: str | pd.Period | None = None,
    statuses: Iterable[str] | None = None,
    lead_time: bool = True,
) -> Capacity:
    """Usable places per location and month.

    Parameters
    ----------
    register : Register
    periods : pandas.PeriodIndex
        The monthly horizon (``case.periods``).
    start : str or pandas.Period, optional
        Month the lead times count from; default ``periods[0]``.
    statuses : iterable of str, optional
        Statuses to include (default all: existing, planned and candidate).
    lead_time : bool
        Open planned and candidate locations no earlier than start + lead time (default True).

    Returns
    -------
    Capacity
        Open from the opening month through the closing month; usable places are
        ``capacity_places × occupancy_norm_share``.
    """
    first = pd.Period(start, freq="M") if start is not None else periods[0]
    keep = set(statuses) if statuses is not None else {"existing", "planned", "candidate"}
    t = register.table[register.table["status"].isin(keep)]
    months = periods.asi8
    places = np.zeros((len(t), len(periods)))
    nominal = np.zeros_like(places)
    opening: list[pd.Period | None] = []
    closing: list[pd.Period | None] = []
    for i, (_, row) in enumerate(t.iterrows()):
        open_m, close_m = opening_month(row, first, lead_time), closing_month(row)
        is_open = months >= open_m.ordinal
        if close_m is not None:
            is_open &= months <= close_m.ordinal
        nominal[i] = np.where(is_open, float(row["capacity_places"]), 0.0)
        places[i] = nominal[i] * float(row["occupancy_norm_share"])
        opening.append(periods[is_open.argmax()] if is_open.any() else None)
        closing.append(
            periods[len(months) - 1 - is_open[::-1].argmax()]
            if is_open.any() and not is_open[-1]
            else None
        )
    streams = tuple(tuple(s.split(";")) for s in t["streams"])
    unknown = {s for ss in streams for s in ss} - set(STREAMS)
    if unknown:  # pragma: no cover - the reader refuses these
        raise InputError(f"{register.source}: unknown streams {sorted(unknown)}")
    return Capacity(
        ids=tuple(t.index),
        periods=periods,
        places=places,
        nominal=nominal,
        opening=tuple(opening),
        closing=tuple(closing),
        streams=streams,
        status=tuple(t["status"]),
    )
