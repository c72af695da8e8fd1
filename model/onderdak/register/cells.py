"""The raw cells of a register file: its encoding, its sheet and its header row found or named.

A consultant's file often has a title row above the header, a hidden sheet left from last year,
or a CSV saved by Excel in Windows-1252 or UTF-16. This module reads such files as they are, and
refuses (never guesses silently) when the choice is not clear: the message lists the sheets and
the first rows it saw, and says which case field names the choice (``locations_sheet``,
``locations_header_row``).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from onderdak.core.errors import InputError
from onderdak.register.checks import RegisterWarning
from onderdak.register.terms import normalise
from onderdak.register.values import is_empty

SHEET_NAMES = ("locaties", "locations", "register", "locatieregister", "locatie_register")
"""Sheets read by default (normalised names)."""

HEADER_SEARCH_ROWS = 30
"""Non-blank rows searched for the header row."""

Score = Callable[[list[object]], tuple[int, bool]]
"""A row -> (number of cells naming a register column, whether every required column is named)."""


@dataclass(frozen=True)
class Cells:
    """The raw contents of a register: headers and (spreadsheet row number, values) per non-empty row."""

    headers: list[str]
    rows: list[tuple[int, list[object]]]
    sheet: str | None
    header_row: int = 1
    notes: list[RegisterWarning] = field(default_factory=list)


def read_cells(
    path: Path, sheet: str | None = None, header_row: int | None = None, score: Score | None = None
) -> Cells:
    """Headers and rows of a ``.csv`` or ``.xlsx`` register; blank rows and rows starting with ``#`` skipped.

    Parameters
    ----------
    path : Path
    sheet : str, optional
        Excel sheet; default the one visible sheet that holds a register (see :func:`_choose_sheet`).
    header_row : int, optional
        Spreadsheet row (1-based) of the header; default the first row that names the register's
        columns (``score``), so title rows above the header are skipped.
    score : callable, optional
        Scores a row as a header; default: the first non-blank row is the header.

    Raises
    ------
    InputError
        If the file is missing, of another type, unreadable, the sheet does not exist or is not
        clear, or no header row is found.
    """
    if path.is_dir():
        raise InputError(f"{path}: is a folder; `locations` must name a .csv or .xlsx file")
    if not path.is_file():
        raise InputError(f"{path}: location register not found")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _excel_cells(path, sheet, header_row, score)
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            raise InputError(f"{path.name}: a CSV file has no sheets (got sheet '{sheet}')")
        text, notes = decode(path)
        cells = _split_header(_csv_rows(text, path), path, None, header_row, score)
        return Cells(cells.headers, cells.rows, None, cells.header_row, notes)
    raise InputError(f"{path.name}: a location register must be a .csv or .xlsx file")


def decode(path: Path) -> tuple[str, list[RegisterWarning]]:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 (BOM or not) or Windows-1252."""
    raw = path.read_bytes()
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), []
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path.name}: starts as {codec} but is not ({exc.reason})"
                ) from None
    if raw[:200].count(b"\x00") > len(raw[:200]) // 4:  # UTF-16 without a BOM
        codec = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
        try:
            return raw.decode(codec), []
        except UnicodeDecodeError:
            raise InputError(
                f"{path.name}: not readable as text (UTF-8, UTF-16 or Windows-1252)"
            ) from None
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw:
        raise InputError(f"{path.name}: not a text file (a CSV in UTF-8, UTF-16 or Windows-1252)")
    return raw.decode("cp1252", errors="replace"), []  # what Dutch Excel writes as "CSV"


def _csv_rows(text: str, path: Path) -> list[tuple[int, list[object]]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise InputError(f"{path.name}: the location register is empty")
    sample = lines[:HEADER_SEARCH_ROWS]
    delimiter = max(
        (";", ",", "\t"), key=lambda d: max(_count_outside_quotes(ln, d) for ln in sample)
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered: list[tuple[int, list[object]]] = []
    previous = 0
    try:
        for values in reader:
            numbered.append((previous + 1, list(values)))  # row where the record starts
            previous = reader.line_num
    except csv.Error as exc:
        raise InputError(f"{path.name}, row {previous + 1}: not valid CSV ({exc})") from None
    return numbered


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _keep(values: list[object]) -> bool:
    if all(is_empty(v) for v in values):
        return False
    first = next(v for v in values if not is_empty(v))
    return not (isinstance(first, str) and first.lstrip().startswith("#"))


def _shown(values: list[object]) -> str:
    cells = [str(v) for v in values if not is_empty(v)][:6]
    text = " | ".join(c[:30] for c in cells)
    return text + (" | …" if len([v for v in values if not is_empty(v)]) > 6 else "")


def find_header(kept: list[tuple[int, list[object]]], score: Score | None) -> int | None:
    """Index in ``kept`` of the header: the first row naming every required column, else the row
    naming the most columns (at least two), else None."""
    if score is None:
        return 0
    best, best_n = None, 1
    for i, (_, values) in enumerate(kept[:HEADER_SEARCH_ROWS]):
        n, complete = score(values)
        if complete:
            return i
        if n > best_n:
            best, best_n = i, n
    return best


def _split_header(
    numbered: list[tuple[int, list[object]]],
    path: Path,
    sheet: str | None,
    header_row: int | None,
    score: Score | None,
) -> Cells:
    where = path.name + (f", sheet '{sheet}'" if sheet else "")
    kept = [(n, v) for n, v in numbered if _keep(v)]
    if not kept:
        raise InputError(f"{where}: the location register is empty")
    if header_row is not None:
        index = next((i for i, (n, _) in enumerate(kept) if n == header_row), None)
        if index is None:
            raise InputError(
                f"{where}: `locations_header_row: {header_row}` is a blank row or beyond the last "
                f"row ({numbered[-1][0]})"
            )
    else:
        index = find_header(kept, score)
        if index is None:
            seen = "\n".join(f"  row {n}: {_shown(v)}" for n, v in kept[:5])
            raise InputError(
                f"{where}: no header row found: no row among the first {HEADER_SEARCH_ROWS} names the "
                "register's columns (id/code, naam, status, soort, doelgroepen, capaciteit_plaatsen). "
                f"The first rows are:\n{seen}\nName the header row in the case file with "
                "`locations_header_row: N`"
                + ("" if sheet is None else " or choose another sheet with `locations_sheet:`")
            )
    header_number, header = kept[index]
    headers = ["" if is_empty(h) else str(h).strip() for h in header]
    return Cells(headers=headers, rows=kept[index + 1 :], sheet=sheet, header_row=header_number)


def _excel_cells(
    path: Path, sheet: str | None, header_row: int | None, score: Score | None
) -> Cells:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(
            f"{path.name}: cannot read the Excel file ({type(exc).__name__}: {exc})"
        ) from None
    notes: list[RegisterWarning] = []
    try:
        sheets = {ws.title: ws for ws in book.worksheets}  # chart sheets hold no cells
        names = list(sheets)
        hidden = {n for n, ws in sheets.items() if ws.sheet_state != "visible"}
        listing = ", ".join(f"'{n}'" + (" (hidden)" if n in hidden else "") for n in names)

        def grid(name: str, limit: int | None = None) -> list[tuple[int, list[object]]]:
            rows = islice(sheets[name].iter_rows(values_only=True), limit)
            return [(i, list(v)) for i, v in enumerate(rows, start=1)]

        if sheet is not None:
            if sheet not in names:
                raise InputError(f"{path.name}: no sheet '{sheet}'; the file has: {listing}")
            if sheet in hidden:
                notes.append(
                    RegisterWarning("hidden_sheet_read", facts={"file": path.name, "sheet": sheet})
                )
        else:
            heads = {n: grid(n, 3 * HEADER_SEARCH_ROWS) for n in names if n not in hidden}
            sheet = _choose_sheet(path, names, hidden, heads, listing, score)
            if hidden:
                skipped = [n for n in names if n in hidden]
                facts = {"file": path.name, "hidden": skipped, "sheet": sheet}
                notes.append(RegisterWarning("hidden_sheets_skipped", facts=facts))
        numbered = grid(sheet)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            f"{path.name}: cannot read the Excel file ({type(exc).__name__}: {exc})"
        ) from None
    finally:
        book.close()
    try:
        cells = _split_header(numbered, path, sheet, header_row, score)
    except InputError as exc:
        raise InputError(f"{exc}\nThe file's sheets: {listing}") from None
    width = len(cells.headers)  # a sheet's rows are as wide as its widest row: drop empty overhang
    rows = [(n, v[:width] if all(is_empty(x) for x in v[width:]) else v) for n, v in cells.rows]
    return Cells(cells.headers, rows, sheet, cells.header_row, notes)


def _choose_sheet(
    path: Path,
    names: list[str],
    hidden: set[str],
    grids: dict[str, list[tuple[int, list[object]]]],
    listing: str,
    score: Score | None,
) -> str:
    """The one visible sheet that is a register: a register name, else the one with a header.

    Hidden sheets are never chosen without the case naming them; two candidate sheets are refused.
    """
    visible = [n for n in names if n not in hidden]
    named = [n for n in visible if normalise(n) in SHEET_NAMES]
    if len(named) == 1:
        return named[0]

    def is_register(name: str) -> bool:
        kept = [(n, v) for n, v in grids[name] if _keep(v)]
        if not kept or score is None:
            return bool(kept)
        i = find_header(kept, score)
        return i is not None and score(kept[i][1])[1]

    pool = named or visible
    found = [n for n in pool if is_register(n)]
    if len(found) == 1:
        return found[0]
    if not found and len(pool) == 1:
        return pool[0]  # its own message (no header, missing columns) follows
    why = "several sheets hold a register" if found else "no visible sheet holds a register"
    raise InputError(
        f"{path.name}: {why}; the file has: {listing}. Name the sheet in the case file with "
        "`locations_sheet: <name>` (a hidden sheet is only read when named)"
    )
