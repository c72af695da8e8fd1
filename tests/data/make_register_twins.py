"""Write the Dutch twins of the demo register: an Excel file and a Windows-1252 ``;`` CSV with Dutch headers.

Run from the repository root: ``.venv/bin/python tests/data/make_register_twins.py``. The twins must
read to the same table as data/cases/demo/locations.csv (tests/test_locations.py checks this).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from onderdak.register.terms import COLUMNS, KINDS, REUSE_OPTIONS, STATUSES

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "cases" / "demo" / "locations.csv"
EXCEL = ROOT / "data" / "cases" / "demo" / "locations.xlsx"
DUTCH_CSV = ROOT / "tests" / "data" / "locaties_nl.csv"

DUTCH_STREAMS = {"ukraine": "Oekraïne", "asylum": "asiel", "status_holders": "statushouders"}


def dutch(table: dict[str, tuple[str, ...]], value: str) -> str:
    """The first Dutch alias of a canonical value."""
    return next((a for a in table[value] if a != value), value)


def dutch_number(text: str, decimals_always: bool = False) -> str:
    """'2350000' -> '2.350.000'; '0.95' -> '0,95'; '' stays ''."""
    if not text:
        return ""
    x = float(text)
    if x.is_integer() and not decimals_always:
        return f"{int(x):,}".replace(",", ".")
    return f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def dutch_date(text: str) -> str:
    return dt.date.fromisoformat(text).strftime("%d-%m-%Y") if text else ""


def rows() -> tuple[list[str], list[dict[str, str]]]:
    with SOURCE.open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def translated(row: dict[str, str]) -> dict[str, object]:
    out: dict[str, object] = dict(row)
    out["status"] = dutch(STATUSES, row["status"])
    out["kind"] = dutch(KINDS, row["kind"])
    out["streams"] = "; ".join(DUTCH_STREAMS[s] for s in row["streams"].split(";"))
    out["reuse_options"] = ";".join(
        dutch(REUSE_OPTIONS, r) for r in row["reuse_options"].split(";") if r
    )
    return out


def write_excel(header: list[str], data: list[dict[str, str]]) -> None:
    book = openpyxl.Workbook()
    info = book.active
    info.title = "Toelichting"
    info["A1"] = (
        "Locatieregister Gemeente Voorbeeld (fictief). Eén rij per locatie; zie tabblad Locaties."
    )
    sheet = book.create_sheet("Locaties")
    sheet.append([dutch(COLUMNS, c) if c not in ("x", "y", "crs") else c for c in header])
    for i, row in enumerate(data):
        values = translated(row)
        cells: list[object] = []
        for c in header:
            v = values[c]
            if c in ("available_from", "available_until") and v:
                # alternate real Excel dates and Dutch text dates
                v = dt.datetime.fromisoformat(str(v)) if i % 2 else dutch_date(str(v))
            elif (
                c.endswith("_eur")
                or c.endswith("_per_year")
                or c.endswith("_place_day")
                or c == "occupancy_norm_share"
            ):
                v = dutch_number(str(v)) if i % 2 == 0 else (float(v) if v else None)
            elif c in ("capacity_places", "lead_time_months", "priority", "x", "y", "gbo_m2") and v:
                v = int(float(v)) if float(v).is_integer() else float(v)
            cells.append(None if v == "" else v)
        sheet.append(cells)
    book.save(EXCEL)


def write_dutch_csv(header: list[str], data: list[dict[str, str]]) -> None:
    with DUTCH_CSV.open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow([dutch(COLUMNS, c) if c not in ("x", "y", "crs") else c for c in header])
        for row in data:
            values = translated(row)
            out = []
            for c in header:
                v = str(values[c])
                if c in ("available_from", "available_until"):
                    v = dutch_date(v)
                elif (
                    c.endswith("_eur")
                    or c.endswith("_per_year")
                    or c.endswith("_place_day")
                    or c == "occupancy_norm_share"
                ):
                    v = dutch_number(v, decimals_always=c.endswith("_eur"))
                out.append(v.replace("€", "EUR"))
            writer.writerow(out)


if __name__ == "__main__":
    header, data = rows()
    write_excel(header, data)
    write_dutch_csv(header, data)
    print(f"wrote {EXCEL.relative_to(ROOT)} and {DUTCH_CSV.relative_to(ROOT)}")
