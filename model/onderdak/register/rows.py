"""The cells of a register file (CSV or Excel) and their validation, row by row, into typed locations.

Every problem of every row is collected (not only the first) with the spreadsheet row number a user
sees (the header is row 1 when it is the first line), the column as the user named it and the value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from onderdak.core.errors import InputError
from onderdak.register.headers import match_header
from onderdak.register.personal_data import is_personal_data_header
from onderdak.register.privacy import personal_data_problems
from onderdak.register.terms import (
    COLUMNS,
    CRS_NAMES,
    KINDS,
    REUSE_OPTIONS,
    STATUSES,
    STREAM_NAMES,
    normalise,
)
from onderdak.register.values import is_empty, parse_choice, parse_date, parse_list, parse_number

PERSONAL_DATA_MESSAGE = (
    "Onderdak works on counts of places and dwellings, never on persons: remove the column(s) with "
    "personal data (residents' names, BSN, dates of birth) from the register and keep them out of it"
)
"""Why a register with personal data is refused."""

# -- typed fields ---------------------------------------------------------------------------------


def _number(
    lo: float | None = None,
    hi: float | None = None,
    *,
    integer: bool = False,
    lo_open: bool = False,
    what: str,
):
    def parse(value: object) -> float | int:
        x = parse_number(value)
        if integer and abs(x - round(x)) > 1e-9:
            raise ValueError(f"is not {what}")
        if lo is not None and (x < lo or (lo_open and x == lo)):
            raise ValueError(f"is not {what}")
        if hi is not None and x > hi:
            if hi < 1000:
                raise ValueError(f"is not {what}")
            raise ValueError(f"is more than {hi:,.0f}: not plausible as {what}")
        return int(round(x)) if integer else x

    return BeforeValidator(parse)


def _choice(table: dict[str, tuple[str, ...]], what: str):
    return BeforeValidator(lambda v: parse_choice(v, table, what))


def _listed(table: dict[str, tuple[str, ...]], what: str):
    return BeforeValidator(lambda v: parse_list(v, table, what))


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as 7 in Excel arrives as 7.0
    if isinstance(value, dt.datetime | dt.date):
        raise ValueError("is a date, not text")
    return str(value).strip()


def _wijk(value: object) -> str:
    s = _text(value).upper().replace(" ", "")
    if len(s) != 8 or not s.startswith("WK") or not s[2:].isdigit():
        raise ValueError("is not a CBS wijk code like WK079701")
    return s


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
MAX_EUR = 1e11
"""Largest amount a register cell may hold (EUR 100 billion: beyond any municipal budget)."""
MAX_PLACES = 100_000
"""Largest capacity of one location (Ter Apel, the largest, has about 2,000 places)."""
Euro = Annotated[float, _number(0, MAX_EUR, what="an amount in euros ≥ 0")]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
Score = Annotated[float, _number(1, 5, what="a score from 1 to 5")]


class LocationRow(BaseModel):
    """One row of the register, after parsing what the user typed (types and ranges checked)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Text
    name: Text
    status: Annotated[Literal["existing", "planned", "candidate"], _choice(STATUSES, "status")]
    kind: Annotated[str, _choice(KINDS, "kind of location")]
    streams: Annotated[
        tuple[str, ...], _listed(STREAM_NAMES, "stream (doelgroep)"), Field(min_length=1)
    ]
    capacity_places: Annotated[
        int, _number(0, MAX_PLACES, integer=True, what="a whole number of places ≥ 0")
    ]
    occupancy_norm_share: Annotated[
        float, _number(0, 1, lo_open=True, what="a share above 0 and at most 1 (e.g. 0,9 or 90%)")
    ] = 1.0
    gbo_m2: Annotated[float, _number(0, 1e7, what="a floor area in m² ≥ 0")] | None = None
    available_from: Date | None = None
    lead_time_months: Annotated[
        int, _number(0, 240, integer=True, what="a whole number of months ≥ 0")
    ] = 0
    available_until: Date | None = None
    address: Annotated[str, BeforeValidator(_text)] | None = None
    x: Annotated[float, _number(what="a coordinate")] | None = None
    y: Annotated[float, _number(what="a coordinate")] | None = None
    crs: Annotated[str, _choice(CRS_NAMES, "coordinate system")] = "EPSG:28992"
    wijk_code: Annotated[str, BeforeValidator(_wijk)] | None = None
    purchase_price_eur: Euro = 0.0
    conversion_capex_eur: Euro = 0.0
    furnishing_capex_eur: Euro = 0.0
    fixed_opex_eur_per_year: Euro | None = None  # blank: the reference (onderdak.register.costs)
    variable_opex_eur_per_place_day: Euro | None = None
    closing_cost_eur: Euro = 0.0
    market_value_eur: Euro | None = None
    coa_rent_eur_per_place_year: Euro = 0.0
    reuse_options: Annotated[tuple[str, ...], _listed(REUSE_OPTIONS, "reuse option")] = ()
    quality_score: Score | None = None
    risk_score: Score | None = None
    priority: (
        Annotated[int, _number(1, 1e6, integer=True, what="a whole number ≥ 1 (1 is filled first)")]
        | None
    ) = None
    staff_fte: Annotated[float, _number(0, 10_000, what="a number of FTE ≥ 0")] | None = None
    notes: Annotated[str, BeforeValidator(_text)] | None = None


FIELDS = tuple(LocationRow.model_fields)
COLUMN_ORDER = FIELDS
"""Columns of ``Register.table`` (``id`` becomes the index)."""
REQUIRED = tuple(k for k, f in LocationRow.model_fields.items() if f.is_required())
"""Columns a register must have."""


def _problems_of(
    row: int, where: str, exc: ValidationError, headers: dict[str, str], raw: dict[str, Any]
) -> list[str]:
    out = []
    for err in exc.errors():
        col = str(err["loc"][0]) if err["loc"] else ""
        header = headers.get(col, col)
        named = f"column `{header}`" + (f" ({col})" if normalise(header) != col else "")
        if err["type"] == "missing" or (col in raw and is_empty(raw[col])):
            out.append(f"{where}, row {row}, {named}: required, but the cell is empty")
            continue
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] in ("too_short",) and col == "streams":
            msg = "names no stream; use ukraine (oekraine), asylum (asiel) or status_holders (statushouders)"
        shown = raw.get(col, err.get("input"))
        if isinstance(shown, dt.datetime):
            shown = shown.strftime("%d-%m-%Y")
        out.append(f"{where}, row {row}, {named}: {shown!r} {msg}")
    return out


def _cross_checks(row: int, where: str, loc: LocationRow, headers: dict[str, str]) -> list[str]:
    out = []

    def at(col: str) -> str:
        return f"{where}, row {row}, column `{headers.get(col, col)}`"

    if loc.available_from and loc.available_until and loc.available_until <= loc.available_from:
        out.append(
            f"{at('available_until')}: {loc.available_until:%d-%m-%Y} is not after available_from {loc.available_from:%d-%m-%Y}"
        )
    if (loc.x is None) != (loc.y is None):
        out.append(f"{at('x' if loc.x is None else 'y')}: give both x and y, or neither")
    elif loc.x is not None and loc.y is not None:
        if loc.crs == "EPSG:28992" and not (0 <= loc.x <= 300_000 and 289_000 <= loc.y <= 629_000):
            out.append(
                f"{at('x')}: ({loc.x:g}, {loc.y:g}) is not in the Netherlands in RD New (EPSG:28992); set `crs` if these are WGS84"
            )
        if loc.crs == "EPSG:4326" and not (3.0 <= loc.x <= 7.5 and 50.5 <= loc.y <= 54.0):
            out.append(
                f"{at('x')}: ({loc.x:g}, {loc.y:g}) is not in the Netherlands as longitude, latitude (EPSG:4326)"
            )
    return out


def _from_percent(value: object) -> object:
    """A cell of a column headed in percent: 95 or "95" is 0.95; "95%" and 0.95 stay as they are."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return value
    try:
        x = parse_number(value)
    except ValueError:
        return value
    return x / 100.0 if x > 1 else x


def validate_rows(
    rows: list[tuple[int, list[object]]],
    columns: dict[str, int],
    where: str,
    headers: list[str] | None = None,
    percent: frozenset[str] = frozenset(),
) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Validate every row; return (row number, clean record) pairs and every problem found.

    Parameters
    ----------
    rows : list of (int, list)
        Spreadsheet row number and the row's cells.
    columns : dict
        English column name -> position of that column in a row.
    where : str
        File (and sheet) for messages.
    headers : list of str, optional
        The headers as typed, so messages name the column the way the user does.
    percent : frozenset of str
        Share columns headed in percent: a number above 1 is divided by 100 (95 → 0.95).
    """
    shown = {col: (headers[i] if headers else col) for col, i in columns.items()}
    records: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    first_row: dict[str, int] = {}
    for number, values in rows:
        if headers and len(values) > len(headers):
            problems.append(
                f"{where}, row {number}: {len(values)} cells but {len(headers)} columns; a decimal "
                "comma in a comma-separated file? Put such values in quotes or separate with ;"
            )
            continue
        raw = {col: (values[i] if i < len(values) else None) for col, i in columns.items()}
        given = {
            col: (_from_percent(v) if col in percent else v)
            for col, v in raw.items()
            if not is_empty(v)
        }
        try:
            loc = LocationRow.model_validate(given)
        except ValidationError as exc:
            problems.extend(_problems_of(number, where, exc, shown, raw))
            continue
        problems.extend(_cross_checks(number, where, loc, shown))
        if loc.id in first_row:
            problems.append(
                f"{where}, row {number}, column `{shown['id']}`: id {loc.id!r} is used before, in row {first_row[loc.id]}"
            )
            continue
        first_row[loc.id] = number
        record = loc.model_dump()
        record["streams"] = ";".join(loc.streams)
        record["reuse_options"] = ";".join(loc.reuse_options)
        records.append((number, record))
    return records, problems


@dataclass(frozen=True)
class HeaderMap:
    """How a register's headers map to its columns."""

    columns: dict[str, int]
    """English column name -> position in a row."""
    ignored: list[str]
    """Unknown headers (ignored, with a warning)."""
    percent: frozenset[str] = frozenset()
    """Share columns headed in percent (``Bezettingsnorm (%)``): a cell 95 means 0.95."""


def header_score(values: list[object]) -> tuple[int, bool]:
    """A row as a header: how many cells name a register column, and whether all required ones do."""
    found = {match_header(v)[0] for v in values if isinstance(v, str) and v.strip()}
    found.discard(None)
    return len(found), all(k in found for k in REQUIRED)


def map_headers(headers: list[str], rows: list[tuple[int, list[object]]], where: str) -> HeaderMap:
    """The register columns the headers name, after refusing personal data and unreadable units.

    Headers are matched with their units kept (:func:`onderdak.register.headers.match_header`):
    ``Vaste lasten (€ per jaar)`` is ``fixed_opex_eur_per_year``; ``Koopprijs (k€)`` is refused,
    not ignored.

    Raises
    ------
    InputError
        For personal data (by header: every column listed; by content: column, row and reason),
        for missing required columns (named in English and Dutch), for two headers meaning the
        same column and for a known column in a unit Onderdak does not read.
    """
    columns: dict[str, int] = {}
    percent: set[str] = set()
    problems: list[str] = []
    ignored: list[str] = []
    for i, header in enumerate(headers):
        if not header:
            continue
        key, in_percent, refusal = match_header(header)
        if refusal is not None:
            problems.append(f"{where}: column `{header}` {refusal}")
        elif key is None:
            ignored.append(header)
        elif key in columns:
            problems.append(
                f"{where}: columns `{headers[columns[key]]}` and `{header}` both mean `{key}`; keep one"
            )
        else:
            columns[key] = i
            if in_percent:
                percent.add(key)
    by_header, by_content = personal_data_problems(headers, rows, columns, where)
    if by_header or by_content:
        raise InputError(f"{where}: refused. {PERSONAL_DATA_MESSAGE}", by_header + by_content)
    ignored = [h for h in ignored if not is_personal_data_header(h)]
    for key in REQUIRED:
        if key not in columns:
            dutch = next((a for a in COLUMNS[key] if a != key), key)
            problems.append(f"{where}: required column `{key}` (Dutch: `{dutch}`) is missing")
    if problems:
        raise InputError(f"{where}: the location register is not valid", problems)
    return HeaderMap(columns, ignored, frozenset(percent))
