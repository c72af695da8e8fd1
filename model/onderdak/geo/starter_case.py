"""A starter case for any Dutch municipality from public data: ``onderdak init GM0797``.

The folder it writes is a case of its own, like ``data/cases/oss``: ``case.yaml`` with a comment on
every figure (its public source, or ASSUMPTION where none is public), the municipality's wijken
(CBS/Kadaster wijk boundaries 2024), their inhabitants and age groups (CBS 85984NED, Kerncijfers
wijken en buurten 2024) and an empty location register with Dutch headers (``locaties.xlsx``) for
the project leader to fill in. Until the register is filled the case names none, so ``onderdak
report`` writes the need per stream (the scenarios report); the advice needs the register.

Online the figures come from CBS OData and the PDOK WFS through the file cache of
:mod:`onderdak.io.opendata`; offline (``--from DIR``) from the exported files in DIR, with the names of
``../shared/data``: ``kwb2024_85984NED_gm_wijk_leeftijd.csv`` (file 8),
``wijken_2024_cartomap_wgs84.geojson`` (file 3) and, for the inhabitants on 1 January 2025,
``regionale_kerncijfers_70072NED_2025_gemeenten.csv`` (file 10).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from onderdak.core.errors import InputError
from onderdak.geo.boundaries import load_pdok
from onderdak.geo.population import fetch_cbs_population
from onderdak.io.office_files import fix_zip_times
from onderdak.io.opendata import fetch_kwb_rows

KWB_FILE = "kwb2024_85984NED_gm_wijk_leeftijd.csv"
WIJKEN_FILE = "wijken_2024_cartomap_wgs84.geojson"
POPULATION_FILE = "regionale_kerncijfers_70072NED_2025_gemeenten.csv"
KWB_YEAR, POPULATION_YEAR = 2024, 2025
REGISTER_FILE = "locaties.xlsx"
PRICE_YEAR = 2026  # the price year of the reference costs (data/reference, as the example cases)

# the register's columns with their Dutch header (an alias onderdak.register.terms accepts) and help
REGISTER_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "code", "Korte unieke code, bijvoorbeeld L01."),
    ("name", "naam", "Naam van de locatie zoals het college haar kent."),
    ("status", "status", "bestaand, gepland of kandidaat (existing, planned, candidate)."),
    ("kind", "soort", "Soort locatie, bijvoorbeeld hotel, flexwoningen, kantoortransformatie."),
    ("streams", "doelgroepen", "Oekraïners, asielzoekers en/of statushouders, gescheiden door ;"),
    ("capacity_places", "capaciteit_plaatsen", "Aantal plaatsen (woningen bij statushouders)."),
    ("available_from", "beschikbaar_vanaf", "Eerste dag in gebruik (dd-mm-jjjj)."),
    ("available_until", "beschikbaar_tot", "Laatste dag in gebruik; leeg als onbepaald."),
    ("address", "adres", "Adres; in de openbare versie van het advies verborgen."),
    ("wijk_code", "wijkcode", "CBS-wijkcode (WK……), als er geen coördinaten zijn."),
    ("purchase_price_eur", "aankoopprijs_eur", "Bij aankoop: de koopprijs in euro."),
    ("conversion_capex_eur", "verbouwingskosten_eur", "Verbouwing of transformatie, euro."),
    ("fixed_opex_eur_per_year", "vaste_lasten_eur_per_jaar", "Huur, onderhoud, beheer per jaar."),
    (
        "variable_opex_eur_per_place_day",
        "variabele_kosten_eur_per_plaatsdag",
        "Kosten per bezette plaats per dag (begeleiding, beveiliging, energie).",
    ),
    ("quality_score", "kwaliteitsscore", "Oordeel over de kwaliteit, 1 (slecht) tot 5 (goed)."),
    ("risk_score", "risicoscore", "Oordeel over het risico, 1 (laag) tot 5 (hoog)."),
    ("notes", "opmerkingen", "Bron van de gegevens en wat nog niet bekend is."),
)


@dataclass(frozen=True)
class Municipality:
    """What the public data say of one municipality."""

    code: str
    name: str
    population_kwb: int  # 1 January 2024, CBS 85984NED
    population: int | None  # 1 January 2025, CBS 70072NED (None when not found)
    wijken: int


def municipality_code(text: str) -> str:
    """'GM0797', 'gm797' or '797' → 'GM0797'; anything else is refused."""
    m = re.fullmatch(r"(?:GM)?(\d{1,4})", text.strip(), flags=re.IGNORECASE)
    if not m:
        raise InputError(f"init: {text!r} is not a CBS municipality code (GM followed by 4 digits)")
    return f"GM{int(m.group(1)):04d}"


def init_case(
    code: str,
    folder: str | Path | None = None,
    *,
    source_dir: str | Path | None = None,
    cache_dir: str | Path | None = None,
    session: Any = None,
    force: bool = False,
) -> Path:
    """Write a starter case for municipality ``code`` into ``folder`` (default ``./<code>``).

    Parameters
    ----------
    code
        CBS municipality code, e.g. ``GM0797`` (Heusden).
    folder
        Where the case goes; it must be new or empty (or ``force``: an earlier starter case there is
        replaced). Written whole or not at all.
    source_dir
        Offline: the folder with the exported CBS/PDOK files (module docstring); else online.
    cache_dir, session
        For the online downloads (:func:`onderdak.io.opendata.cached_json`).

    Returns
    -------
    Path of the written ``case.yaml``.
    """
    code = municipality_code(code)
    out = Path(folder) if folder is not None else Path(code.lower())
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not force)):
        raise InputError(
            f"init: {out} exists and is not empty; give a new folder with --dir, or --force to "
            "replace it"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        if source_dir is not None:
            muni, files = _offline(code, Path(source_dir), tmp)
        else:
            muni, files = _online(code, tmp, cache_dir=cache_dir, session=session)
        write_register_template(tmp / REGISTER_FILE)
        (tmp / "case.yaml").write_text(case_text(muni, files), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out / "case.yaml"


# --- offline: exported files ------------------------------------------------------------------------


def _offline(code: str, source: Path, out: Path) -> tuple[Municipality, dict[str, str]]:
    digits = code[2:]
    kwb_path, wijken_path = source / KWB_FILE, source / WIJKEN_FILE
    for path in (kwb_path, wijken_path):
        if not path.is_file():
            raise InputError(f"init --from {source}: {path.name} not found there")
    raw = kwb_path.read_bytes()
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    lines = raw.split(newline)
    mine = [
        line for line in lines[1:] if f'"{code}'.encode() in line or f'"WK{digits}'.encode() in line
    ]
    gm = [line for line in mine if f'"{code}'.encode() in line]
    if not gm:
        raise InputError(f"init: {code} is not a municipality of 2024 in {kwb_path.name}")
    fields = next(csv.reader(io.StringIO(gm[0].decode("utf-8")), delimiter=";"))
    name, kwb_population = fields[0].strip(), int(fields[5])
    kwb_name = f"kwb{KWB_YEAR}_{code.lower()}.csv"
    (out / kwb_name).write_bytes(newline.join([lines[0], *mine]) + newline)

    source_geo = json.loads(wijken_path.read_text(encoding="utf-8"))
    features = [
        f
        for f in source_geo["features"]
        if str(f["properties"].get("statcode", "")).startswith(f"WK{digits}")
    ]
    if not features:
        raise InputError(f"init: no wijken of {code} in {wijken_path.name}")
    wijken_name = f"wijken_{code.lower()}_{KWB_YEAR}.geojson"
    _write_geojson(out / wijken_name, features, f"{WIJKEN_FILE}, WK{digits}xx only")

    population = _population_from_file(source / POPULATION_FILE, name)
    muni = Municipality(code, name, kwb_population, population, len(features))
    return muni, {
        "wijken": wijken_name,
        "wijken_source": f"CBS/Kadaster wijk_gegeneraliseerd {KWB_YEAR} (cartomap extract)",
        "kwb": kwb_name,
        "population_source": f"CBS StatLine 70072NED, {name}, 1 januari {POPULATION_YEAR}",
    }


def _population_from_file(path: Path, name: str) -> int | None:
    """Inhabitants on 1 January 2025 from a StatLine export of 70072NED (rows by name only)."""
    if not path.is_file():
        return None
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if len(row) > 2 and row[1].removesuffix(" (gemeente)").strip() == name and row[2]:
                return int(row[2])
    return None


def _write_geojson(path: Path, features: list[dict[str, Any]], origin: str) -> None:
    collection = {
        "type": "FeatureCollection",
        "name": path.stem,
        "source": origin,
        "attribution": f"Kadaster / Centraal Bureau voor de Statistiek, {KWB_YEAR}",
        "features": features,
    }
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")


# --- online: CBS OData and PDOK, cached -------------------------------------------------------------


def _online(
    code: str, out: Path, *, cache_dir: Any = None, session: Any = None
) -> tuple[Municipality, dict[str, str]]:
    rows, names = fetch_kwb_rows(code, cache_dir=cache_dir, session=session)
    gm = [r for r in rows if str(r.get("WijkenEnBuurten", "")).strip() == code]
    if not gm:
        raise InputError(f"init: CBS 85984NED has no municipality {code} (a code of 2024?)")
    kwb_name = f"kwb{KWB_YEAR}_{code.lower()}.json"
    (out / kwb_name).write_text(json.dumps({"value": rows}, ensure_ascii=False), encoding="utf-8")
    name = names.get(code, code)
    wijken = load_pdok("wijk", KWB_YEAR, municipality=code, cache_dir=cache_dir, session=session)
    wijken_name = f"wijken_{code.lower()}_{KWB_YEAR}.geojson"
    wijken.to_crs(4326).to_file(out / wijken_name, driver="GeoJSON")
    try:  # all municipalities in one cached answer (a national run asks 342 times)
        table = fetch_cbs_population(POPULATION_YEAR, cache_dir=cache_dir, session=session)
        found = table.loc[table["statcode"] == code, "population_persons"]
        population = int(found.iloc[0]) if len(found) else None
    except InputError:
        population = None  # the 2024 figure of 85984NED is used, and the case says so
    muni = Municipality(code, name, int(gm[0]["AantalInwoners_5"]), population, len(wijken))
    return muni, {
        "wijken": wijken_name,
        "wijken_source": f"PDOK CBS gebiedsindelingen {KWB_YEAR}, wijk_gegeneraliseerd",
        "kwb": kwb_name,
        "population_source": f"CBS StatLine 70072NED, 1 januari {POPULATION_YEAR}",
    }


def warm_cache(cache_dir: str | Path | None = None, session: Any = None) -> Any:
    """Fetch what every municipality's starter case shares, once (the PDOK gemeente and wijk layers
    and the CBS population), into the download cache, so that many :func:`init_case` calls at once
    read it from there; returns the municipalities of :data:`KWB_YEAR` (PDOK, RD New)."""
    municipalities = load_pdok("gemeente", KWB_YEAR, cache_dir=cache_dir, session=session)
    load_pdok("wijk", KWB_YEAR, cache_dir=cache_dir, session=session)
    try:
        fetch_cbs_population(POPULATION_YEAR, cache_dir=cache_dir, session=session)
    except InputError:
        pass  # each case then says it uses the 2024 figure of 85984NED, as init does
    return municipalities


# --- the register template and the case file -------------------------------------------------------


def write_register_template(path: Path) -> None:
    """An empty location register with Dutch headers, and a sheet explaining every column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Locaties"
    for j, (_, header, _) in enumerate(REGISTER_COLUMNS, 1):
        cell = sheet.cell(row=1, column=j, value=header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(j)].width = max(14, len(header) + 2)
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet("Toelichting")
    help_sheet.append(["Kolom", "Betekenis"])
    for _, header, meaning in REGISTER_COLUMNS:
        help_sheet.append([header, meaning])
    help_sheet["A1"].font = help_sheet["B1"].font = Font(bold=True)
    help_sheet.column_dimensions["A"].width = 36
    help_sheet.column_dimensions["B"].width = 80
    book.save(path)
    fix_zip_times(path)  # the same template is the same bytes (a rerun's inputs are unchanged)


def case_text(m: Municipality, files: dict[str, str], price_year: int = PRICE_YEAR) -> str:
    """case.yaml of a starter case: every figure with its public source or ASSUMPTION."""
    if m.population is not None:
        population = f"{m.population}    # {files['population_source']}"
    else:
        population = (
            f"{m.population_kwb}    # CBS 85984NED, 1 januari {KWB_YEAR} (70072NED {POPULATION_YEAR} "
            "not found: update it)"
        )
    title = f"Opvang en huisvesting — Gemeente {m.name}"
    return f"""# Gemeente {m.name} ({m.code}): a starter case written by `onderdak init` from public data.
# Every figure says where it comes from; what is not public is left to the model's sourced
# defaults (data/reference) or marked ASSUMPTION. Fill in the location register ({REGISTER_FILE})
# and set `locations: {REGISTER_FILE}` below for the advice; until then `onderdak report` writes the
# need per target group (the scenarios report).
name: {m.code.lower()}
title: {json.dumps(title, ensure_ascii=False)}
fictional: false
language: nl
municipality:
  name: {json.dumps("Gemeente " + m.name, ensure_ascii=False)}
  code: {m.code}
  population_persons: {population}
  ses_correction_share: 1.0    # ASSUMPTION: the SES-WOA correction of the Spreidingswet is not filled in; set the municipality's factor
peildatum: null                # null: the current month; national figures published up to it are used as they are
start: null                    # null: the horizon starts at the peildatum
horizon_months: 120
price_year: {price_year}              # money in euros at prices of this year (the reference data's)
seed: {int(m.code[2:]) * 1000 + 2026}
paths: 2000
inflow:
  national_scenario: midden
ukraine:
  agreed_places: null          # not filled in: the population share of the national GOO task (formula)
asylum:
  published_places: null       # the municipality's Spreidingswet number, when published; else the formula
status_holders:
  backlog_persons_at_start: 0  # ASSUMPTION: set the achterstand (+) or voorsprong (−) on the taakstelling
  realised: []                 # not filled in: realised housing per half-year from the provincial monitor
locations: null                # fill in {REGISTER_FILE} and put its name here
geo:
  wijken: {files["wijken"]}    # {files["wijken_source"]}; "Kadaster / Centraal Bureau voor de Statistiek, {KWB_YEAR}"
  wijk_population_source: {files["kwb"]}    # CBS 85984NED, 1 januari {KWB_YEAR}: {m.wijken} wijken
  spread_threshold_places_per_1000_persons: 10   # ASSUMPTION: a choice of the college; no national norm
mca:
  # quality and risk are a consultant's judgement (register columns kwaliteitsscore, risicoscore):
  # weight 0 until every location is scored
  weights: {{cost: 0.35, quality: 0, scale: 0.10, speed: 0.20, reuse: 0.15, load: 0.20, risk: 0}}
scenarios:
  laag:
    inflow: {{national_scenario: laag}}
  hoog:
    inflow: {{national_scenario: hoog}}
  nieuwe_crisis:
    inflow: {{national_scenario: nieuwe_crisis}}
  einde_tijdelijke_bescherming:
    inflow: {{national_scenario: einde_tijdelijke_bescherming}}
"""
