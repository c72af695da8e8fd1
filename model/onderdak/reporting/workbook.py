"""Write every table a report run recorded into one XLSX workbook for consultants.

Sheet and column names are in the report language (:mod:`onderdak.reporting.workbook_tables`,
:mod:`onderdak.reporting.columns`); codes become the report's words, months and quarters real dates,
numbers keep a number format. The first sheet lists the tables with their units and sources, the
last ("Kolommen") documents every column of every sheet: its unit and meaning.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from onderdak.io.office_files import defuse_formulas, fix_zip_times
from onderdak.reporting import i18n
from onderdak.reporting.artefacts import Artefacts
from onderdak.reporting.columns import Column, column, unit_words
from onderdak.reporting.report_meta import ReportMeta
from onderdak.reporting.tablefmt import header_label
from onderdak.reporting.workbook_tables import sheet_name, sheet_source
from onderdak.reporting.workbook_values import NUMBER_FORMATS, convert, date_format

NAVY = "1F3A5F"
MAX_WIDTH = 60  # characters; longer texts wrap
_BAD_SHEET_CHARS = re.compile(r"[\[\]\*\?/\\:]")
_WORDS = (
    "index",
    "columns",
    "sheet",
    "title",
    "rows",
    "unit",
    "source",
    "csv",
    "run",
    "scenario",
    "date",
    "column",
    "one_unit",
    "meaning",
    "computed",
    "columns_title",
)
"""The words of the contents and column sheets (``workbook.<key>`` in the message catalogs)."""


def _sheet_name(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name)[:31].strip() or "tabel"
    name, k = base, 1
    while name.lower() in used:
        k += 1
        name = f"{base[: 31 - len(str(k)) - 1]} {k}"
    used.add(name.lower())
    return name


def _plain_format(series: pd.Series) -> str | None:
    """The number format of a column the dictionary does not know."""
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    if str(series.name).endswith("_share"):
        return "0.0%"
    values = series.dropna().abs()
    if pd.api.types.is_integer_dtype(series) or (len(values) and (values % 1 == 0).all()):
        return "#,##0"
    return "#,##0.0" if len(values) and values.median() >= 10 else "#,##0.00"


def _format(entry: Column, series: pd.Series) -> str | None:
    """The number format of a known column: its kind's, with decimals only where the data has them."""
    kind = entry.kind
    if kind not in NUMBER_FORMATS:
        return None
    values = pd.to_numeric(series, errors="coerce").dropna()
    if kind == "num" and len(values) and (values % 1 == 0).all():
        return "#,##0"
    if kind == "share" and len(values) and ((values * 100) % 1 > 1e-9).any():
        return "0.0%"
    return NUMBER_FORMATS[kind]


def _value_format(v: object) -> str | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return "#,##0" if float(v).is_integer() else "#,##0.00##"


def _shown_length(v: object) -> int:
    """About how many characters a cell shows (numbers with separators and a € sign)."""
    if isinstance(v, dt.datetime):
        return 10
    if isinstance(v, int | float) and not isinstance(v, bool):
        return len(f"{v:,.1f}") + 2
    return len(str(v))


def _width(header: str, cells: list[object]) -> float:
    """A column's width in characters: its longest header word or cell (of the first 200 rows)."""
    lengths = [len(w) for w in header.split()]
    lengths += [_shown_length(v) for v in cells[:200] if v is not None]
    return min(max(10, max(lengths, default=8) + 2), MAX_WIDTH)


def _lines(text: str, width: float, bold: bool = False) -> int:
    """Lines a text takes when wrapped in a column of ``width`` characters (bold: a little wider)."""
    lines, used, size = 1, 0.0, 1.1 if bold else 0.95
    for word in text.split():
        n = (len(word) + 1) * size
        if used and used + n > width:
            lines, used = lines + 1, 0.0
        used += n
    return lines


def _cells(
    frame: pd.DataFrame, key: str, units: dict[str, str], language: str
) -> list[tuple[str, str, str, str | None, str | None, list[object]]]:
    """Per column: header, unit and meaning (for "Kolommen"), kind, number format and the cells."""
    out = []
    for name in frame.columns:
        entry = column(str(name), key)
        if entry is None:  # not in the dictionary: name and unit as recorded, no meaning
            unit = units.get(str(name), "")
            cells = [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in frame[name]]  # fmt: skip
            out.append(
                (header_label(str(name), unit), unit, "", None, _plain_format(frame[name]), cells)
            )
            continue
        out.append(
            (
                entry.label(language),
                unit_words(entry.unit, language),
                entry.about(language),
                entry.kind,
                _format(entry, frame[name]),
                convert(frame[name], entry.kind, language),
            )
        )
    return out


def _write_frame(
    ws, frame: pd.DataFrame, key: str, units: dict[str, str], language: str
) -> list[tuple[str, str, str]]:
    """Write one table; returns per column (header, unit, meaning) for the "Kolommen" sheet."""
    columns = _cells(frame, key, units, language)
    ws.append([c[0] for c in columns])
    for cell, (_, _, _, kind, _, _) in zip(ws[1], columns, strict=True):
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=NAVY)
        right = kind in NUMBER_FORMATS and kind not in ("value", "local_value", "date")
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="right" if right else "left")  # fmt: skip
    for row in zip(*(c[5] for c in columns), strict=True):
        ws.append(list(row))
    wrap = Alignment(wrap_text=True, vertical="top")
    heights = {1: 1}  # row → lines of its longest wrapped text
    for j, (header, _, _, kind, fmt, cells) in enumerate(columns, start=1):
        recorded = frame.iloc[:, j - 1].tolist()
        width = _width(header, cells)
        ws.column_dimensions[get_column_letter(j)].width = width
        heights[1] = max(heights[1], _lines(header, width, bold=True))
        for i, v in enumerate(cells, start=2):
            if v is None or isinstance(v, bool):
                continue
            if isinstance(v, str):
                if len(v) > width:  # long texts wrap in their column, not over the next one
                    ws.cell(i, j).alignment = wrap
                    heights[i] = max(heights.get(i, 1), _lines(v, width))
                continue
            if kind in ("value", "local_value"):
                ws.cell(i, j).number_format = _value_format(v)
            elif isinstance(v, dt.datetime) and kind not in ("month", "quarter"):
                ws.cell(i, j).number_format = date_format(recorded[i - 2])
            elif fmt:
                ws.cell(i, j).number_format = fmt
    top = Alignment(vertical="top")
    for i, n in heights.items():
        if n > 1:
            ws.row_dimensions[i].height = 15 * min(n, 12)
        if i > 1:  # the other cells of a row with a wrapped text start at its top too
            for j in range(1, len(columns) + 1):  # not ws[i]: it scans the whole sheet each time
                cell = ws.cell(i, j)
                if not cell.alignment.wrap_text:
                    cell.alignment = top
    ws.freeze_panes = "A2"
    if len(frame.columns):
        ws.auto_filter.ref = ws.dimensions
    return [c[:3] for c in columns]


def _head(ws, row: int, heads: list[str]) -> None:
    for j, h in enumerate(heads, start=1):
        c = ws.cell(row, j, h)
        c.font, c.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=NAVY)


_NOT_MEASURES = ("text", "month", "quarter", "half_year", "year", "date", "yes_no", "rank")


def _units_of(documented: list[tuple[str, str, str]], language: str) -> str:
    """The units of a sheet's figures for the contents sheet (its time and text columns left out)."""
    skip = {unit_words(u, language) for u in _NOT_MEASURES}
    units = sorted({u for _, u, _ in documented if u and u not in skip})
    return ", ".join(units) or unit_words("text", language)


def write_workbook(artefacts: Artefacts, path: str | Path, meta: ReportMeta) -> Path:
    """Write all recorded tables to an XLSX: contents, one sheet per table, then the column dictionary.

    Parameters
    ----------
    artefacts : Artefacts
        From :func:`onderdak.reporting.collect.read_artefacts`.
    path : str or Path
        The workbook to write.
    meta : ReportMeta
        Title, scenario, date, run id and language.

    Returns
    -------
    Path
        ``path``.
    """
    language = meta.language if meta.language in i18n.LANGUAGES else "nl"
    words = {k: i18n.text(f"workbook.{k}", language) for k in _WORDS}
    wb = Workbook()
    index = wb.active
    index.title = words["index"]
    index["A1"] = meta.title
    index["A1"].font = Font(bold=True, size=14, color=NAVY)
    facts = [
        (words["scenario"], meta.scenario),
        (words["date"], meta.date),
        (words["run"], meta.run_id),  # the inputs' fingerprint, not the folder's time stamp
    ]
    for i, (k, v) in enumerate(facts, start=2):
        index.cell(i, 1, k).font = Font(color="5F6B7A")
        index.cell(i, 2, v)
    top = len(facts) + 3
    _head(index, top, [words[k] for k in ("sheet", "title", "rows", "unit", "source", "csv")])
    used = {words["index"].lower(), words["columns"].lower()}
    dictionary: list[tuple[str, str, str, str]] = []
    for i, entry in enumerate(artefacts.tables, start=top + 1):
        frame = artefacts.data(entry)
        key = entry["key"]
        name = _sheet_name(sheet_name(key, language) or entry.get("title") or key, used)
        documented = _write_frame(
            wb.create_sheet(name), frame, key, dict(entry.get("units") or {}), language
        )
        dictionary += [(name, *d) for d in documented]
        link = index.cell(i, 1, name)
        link.hyperlink = f"#'{name}'!A1"
        link.font = Font(color="1F5FA8", underline="single")
        index.cell(i, 2, entry.get("title") or key)
        index.cell(i, 3, len(frame)).number_format = "#,##0"
        index.cell(i, 4, _units_of(documented, language))
        index.cell(i, 5, entry.get("source") or sheet_source(key, language) or words["computed"])
        index.cell(i, 6, entry.get("data_file") or entry.get("file") or "")
    last = top + len(artefacts.tables) + 1
    link = index.cell(last, 1, words["columns"])
    link.hyperlink = f"#'{words['columns']}'!A1"
    link.font = Font(color="1F5FA8", underline="single")
    index.cell(last, 2, words["columns_title"])
    for letter, width in zip("ABCDEF", (28, 60, 8, 36, 60, 34), strict=True):
        index.column_dimensions[letter].width = width
    cols = wb.create_sheet(words["columns"])
    _head(cols, 1, [words["sheet"], words["column"], words["one_unit"], words["meaning"]])
    for row in dictionary:
        cols.append(list(row))
    for letter, width in zip("ABCD", (28, 40, 30, 90), strict=True):
        cols.column_dimensions[letter].width = width
    cols.freeze_panes = "A2"
    cols.auto_filter.ref = cols.dimensions
    stamp = dt.datetime(2000, 1, 1)
    wb.properties.creator = "Onderdak"
    wb.properties.title = meta.title
    wb.properties.created = wb.properties.modified = stamp
    path = Path(path)
    defuse_formulas(wb)  # a location named "=HYPERLINK(…)" stays text
    wb.save(path)
    return fix_zip_times(path)
