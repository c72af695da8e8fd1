"""Write every table a report run recorded into one XLSX workbook, with units in the column headers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from model.reporting.artefacts import Artefacts
from model.reporting.export import ReportMeta, defuse_formulas, fix_zip_times

NAVY = "1F3A5F"
TINT = "F2F5F9"
_BAD_SHEET_CHARS = re.compile(r"[\[\]\*\?/\\:]")
_WORDS = {
    "nl": {
        "index": "Inhoud",
        "sheet": "Blad",
        "title": "Tabel",
        "rows": "Rijen",
        "unit": "Eenheden",
        "source": "Bron",
        "csv": "CSV",
        "run": "Run",
        "scenario": "Scenario",
        "date": "Datum",
    },
    "en": {
        "index": "Contents",
        "sheet": "Sheet",
        "title": "Table",
        "rows": "Rows",
        "unit": "Units",
        "source": "Source",
        "csv": "CSV",
        "run": "Run",
        "scenario": "Scenario",
        "date": "Date",
    },
}


def header_label(column: str, unit: str | None) -> str:
    """The XLSX header of a column: ``need_places [plaatsen]`` (the unit in brackets when known)."""
    return f"{column} [{unit}]" if unit else str(column)


def _sheet_name(key: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", key)[:31] or "tabel"
    name, k = base, 1
    while name.lower() in used or name.lower() in ("inhoud", "contents"):
        k += 1
        name = f"{base[: 31 - len(str(k)) - 1]}_{k}"
    used.add(name.lower())
    return name


def _cell_value(v: object) -> object:
    if v is None or (pd.api.types.is_scalar(v) and pd.isna(v)):
        return None
    if isinstance(v, pd.Period | pd.Timestamp):
        return str(v)
    if hasattr(v, "item") and not isinstance(v, str):
        return v.item()
    return v


def _number_format(series: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    if pd.api.types.is_integer_dtype(series):
        return "#,##0"
    name = str(series.name)
    if name.endswith("_share"):
        return "0.0%"
    values = series.dropna().abs()
    if len(values) and (values % 1 == 0).all():
        return "#,##0"
    return "#,##0.0" if len(values) and values.median() >= 10 else "#,##0.00"


def _write_frame(ws, frame: pd.DataFrame, units: dict[str, str]) -> None:
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=NAVY)
    ws.append([header_label(str(c), units.get(str(c))) for c in frame.columns])
    for cell in ws[1]:
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    for rec in frame.itertuples(index=False, name=None):
        ws.append([_cell_value(v) for v in rec])
    for j, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(j)
        fmt = _number_format(frame[column])
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
        width = max(
            [len(str(ws.cell(1, j).value))] + [len(str(v)) for v in frame[column].head(200)]
        )
        ws.column_dimensions[letter].width = min(max(10, width + 2), 48)
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = ws.dimensions


def write_workbook(artefacts: Artefacts, path: str | Path, meta: ReportMeta) -> Path:
    """Write all recorded tables to an XLSX: a contents sheet, then one sheet per table.

    Parameters
    ----------
    artefacts : Artefacts
        From :func:`model.reporting.collect.read_artefacts`.
    path : str or Path
        The workbook to write.
    meta : ReportMeta
        Title, scenario, date and run id for the contents sheet.

    Returns
    -------
    Path
        ``path``.
    """
    words = _WORDS.get(meta.language, _WORDS["nl"])
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
    heads = [
        words["sheet"],
        words["title"],
        words["rows"],
        words["unit"],
        words["source"],
        words["csv"],
    ]
    for j, h in enumerate(heads, start=1):
        c = index.cell(top, j, h)
        c.font, c.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=NAVY)
    used: set[str] = set()
    for i, entry in enumerate(artefacts.tables, start=top + 1):
        frame = artefacts.table(entry)
        units = dict(entry.get("units") or {})
        name = _sheet_name(entry["key"], used)
        ws = wb.create_sheet(name)
        _write_frame(ws, frame, units)
        link = index.cell(i, 1, name)
        link.hyperlink = f"#'{name}'!A1"
        link.font = Font(color="1F5FA8", underline="single")
        index.cell(i, 2, entry.get("title") or entry["key"])
        index.cell(i, 3, len(frame))
        index.cell(i, 4, ", ".join(sorted(set(units.values()))))
        index.cell(i, 5, entry.get("source") or "")
        index.cell(i, 6, entry.get("file") or "")
    for letter, width in zip("ABCDEF", (22, 48, 8, 22, 28, 30), strict=True):
        index.column_dimensions[letter].width = width
    stamp = dt.datetime(2000, 1, 1)
    wb.properties.creator = "Onderdak"
    wb.properties.title = meta.title
    wb.properties.created = wb.properties.modified = stamp
    path = Path(path)
    defuse_formulas(wb)  # a location named "=HYPERLINK(…)" stays text
    wb.save(path)
    return fix_zip_times(path)
