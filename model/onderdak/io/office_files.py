"""The XLSX and PPTX files we write (reports, a starter case's register template), safe and
reproducible: text that looks like a formula stays text, and the same content is the same bytes
(fixed member dates and order)."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV/formula injection)."""


ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The date every member of an XLSX or PPTX we write carries, so the same report is the same bytes."""


def defuse_formulas(book) -> int:
    """Make every text cell of an openpyxl workbook that starts like a formula plain text.

    A register cell such as ``=HYPERLINK("http://…","Klik hier")`` is stored as text with Excel's
    quote prefix (shown as typed, never evaluated, also after editing). Returns the cells changed.
    """
    changed = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str) and v.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fix_zip_times(path: str | Path) -> Path:
    """Rewrite a zip container (XLSX, PPTX) with fixed member dates and order: same content, same bytes."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.zip-tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = _CORE_DATES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(fixed, data)
    os.replace(tmp, path)
    return path
