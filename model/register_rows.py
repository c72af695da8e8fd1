"""The cells of a register file (CSV or Excel) and their validation, row by row, into typed locations.

Every problem of every row is collected (not only the first) with the spreadsheet row number a user
sees (the header is row 1 when it is the first line), the column as the user named it and the value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from model.errors import InputError
from model.register_terms import (
    COLUMNS,
    CRS_NAMES,
    KINDS,
    PERSON_WORDS,
    REUSE_OPTIONS,
    STATUSES,
    STREAM_NAMES,
    is_empty,
    is_personal_data_header,
    looks_like_bsn,
    lookup,
    normalise,
    parse_choice,
    parse_date,
    parse_list,
    parse_number,
)

PERSONAL_DATA_MESSAGE = (
    "Onderdak works on counts of places and dwellings, never on persons: remove the column(s) with "
    "personal data (residents' names, BSN, dates of birth) from the register and keep them out of it"
)
"""Why a register with personal data is refused."""

SHEET_NAMES = ("locaties", "locations", "register", "locatieregister", "locatie_register")
"""Sheets read by default (normalised names), before falling back to the first sheet."""


@dataclass(frozen=True)
class Cells:
    """The raw contents of a register: headers and (spreadsheet row number, values) per non-empty row."""

    headers: list[str]
    rows: list[tuple[int, list[object]]]
    sheet: str | None


def read_cells(path: Path, sheet: str | None = None) -> Cells:
    """Headers and rows of a ``.csv`` or ``.xlsx`` register; blank rows and rows starting with ``#`` skipped.

    Raises
    ------
    InputError
        If the file is missing, of another type, unreadable, or the sheet does not exist.
    """
    if not path.is_file():
        raise InputError(f"{path}: location register not found")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _excel_cells(path, sheet)
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            raise InputError(f"{path.name}: a CSV file has no sheets (got sheet '{sheet}')")
        return _csv_cells(path)
    raise InputError(f"{path.name}: a location register must be a .csv or .xlsx file")


def _keep(values: list[object]) -> bool:
    if all(is_empty(v) for v in values):
        return False
    first = next(v for v in values if not is_empty(v))
    return not (isinstance(first, str) and first.lstrip().startswith("#"))


def _split_header(numbered: list[tuple[int, list[object]]], path: Path, sheet: str | None) -> Cells:
    kept = [(n, v) for n, v in numbered if _keep(v)]
    if not kept:
        raise InputError(f"{path.name}: the location register is empty")
    (_, header), body = kept[0], kept[1:]
    headers = ["" if is_empty(h) else str(h).strip() for h in header]
    return Cells(headers=headers, rows=body, sheet=sheet)


def _csv_cells(path: Path) -> Cells:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # what Dutch Excel writes as "CSV"
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise InputError(f"{path.name}: the location register is empty")
    delimiter = max((";", ",", "\t"), key=lambda d: _count_outside_quotes(lines[0], d))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered: list[tuple[int, list[object]]] = []
    previous = 0
    try:
        for values in reader:
            numbered.append((previous + 1, list(values)))  # row where the record starts
            previous = reader.line_num
    except csv.Error as exc:
        raise InputError(f"{path.name}, row {previous + 1}: not valid CSV ({exc})") from None
    return _split_header(numbered, path, None)


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _excel_cells(path: Path, sheet: str | None) -> Cells:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(f"{path.name}: cannot read the Excel file ({exc})") from None
    try:
        names = book.sheetnames
        if sheet is None:
            sheet = next((n for n in names if normalise(n) in SHEET_NAMES), names[0])
        elif sheet not in names:
            raise InputError(f"{path.name}: no sheet '{sheet}'; the file has: {', '.join(names)}")
        numbered = [
            (n, list(v)) for n, v in enumerate(book[sheet].iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    cells = _split_header(numbered, path, sheet)
    width = len(cells.headers)  # a sheet's rows are as wide as its widest row: drop empty overhang
    rows = [(n, v[:width] if all(is_empty(x) for x in v[width:]) else v) for n, v in cells.rows]
    return Cells(headers=cells.headers, rows=rows, sheet=sheet)


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
            raise ValueError(f"is not {what}")
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
Euro = Annotated[float, _number(0, what="an amount in euros ≥ 0")]
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
    capacity_places: Annotated[int, _number(0, integer=True, what="a whole number of places ≥ 0")]
    occupancy_norm_share: Annotated[
        float, _number(0, 1, lo_open=True, what="a share above 0 and at most 1 (e.g. 0,9 or 90%)")
    ] = 1.0
    gbo_m2: Annotated[float, _number(0, what="a floor area in m² ≥ 0")] | None = None
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
    fixed_opex_eur_per_year: Euro | None = None  # blank: the reference (model.register_costs)
    variable_opex_eur_per_place_day: Euro | None = None
    closing_cost_eur: Euro = 0.0
    market_value_eur: Euro | None = None
    coa_rent_eur_per_place_year: Euro = 0.0
    reuse_options: Annotated[tuple[str, ...], _listed(REUSE_OPTIONS, "reuse option")] = ()
    quality_score: Score | None = None
    risk_score: Score | None = None
    priority: (
        Annotated[int, _number(1, integer=True, what="a whole number ≥ 1 (1 is filled first)")]
        | None
    ) = None
    staff_fte: Annotated[float, _number(0, what="a number of FTE ≥ 0")] | None = None
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


def validate_rows(
    rows: list[tuple[int, list[object]]],
    columns: dict[str, int],
    where: str,
    headers: list[str] | None = None,
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
        given = {col: v for col, v in raw.items() if not is_empty(v)}
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


def map_headers(
    headers: list[str], rows: list[tuple[int, list[object]]], where: str
) -> tuple[dict[str, int], list[str]]:
    """English column -> position in a row, and the unknown headers (ignored).

    Raises
    ------
    InputError
        For columns holding personal data (all of them listed, with the reason), for missing
        required columns (named in English and Dutch) and for two headers meaning the same column.
    """
    aliases = lookup(COLUMNS)
    personal = [h for h in headers if h and is_personal_data_header(h)]
    columns: dict[str, int] = {}
    problems: list[str] = []
    ignored: list[str] = []
    for i, header in enumerate(headers):
        if not header or header in personal:
            continue
        key = aliases.get(normalise(header))
        if key is None:
            values = [str(r[i]) for _, r in rows if i < len(r) and not is_empty(r[i])]
            if _holds_personal_data(header, values):
                personal.append(header)
            else:
                ignored.append(header)
        elif key in columns:
            problems.append(
                f"{where}: columns `{headers[columns[key]]}` and `{header}` both mean `{key}`; keep one"
            )
        else:
            columns[key] = i
    if personal:
        raise InputError(
            f"{where}: refused. {PERSONAL_DATA_MESSAGE}", [f"column `{h}`" for h in personal]
        )
    for key in REQUIRED:
        if key not in columns:
            dutch = next((a for a in COLUMNS[key] if a != key), key)
            problems.append(f"{where}: required column `{key}` (Dutch: `{dutch}`) is missing")
    if problems:
        raise InputError(f"{where}: the location register is not valid", problems)
    return columns, ignored


def _holds_personal_data(header: str, values: list[str]) -> bool:
    """An unknown column of text about persons, or of numbers that pass the BSN eleven-test."""
    if not values:
        return False
    if sum(looks_like_bsn(v) for v in values) >= max(1, len(values) // 2):
        return True
    words = set(normalise(header).split("_"))
    textual = [v for v in values if any(ch.isalpha() for ch in v)]
    return bool(words & PERSON_WORDS) and len(textual) >= max(1, len(values) // 2)
