"""The appendix of every advice: each figure the run relied on, with its source and date or marked as an assumption.

The register's notes about running costs (:mod:`onderdak.register.costs`: costs taken from the sourced
reference, costs without a reference, costs per place-day outside the sourced band) come first,
worded by :mod:`onderdak.reporting.register_text` as ``onderdak validate`` words them (there with the
file and row).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import BaseModel

from onderdak.case.settings import Case
from onderdak.inflow.scenarios import scenario_book
from onderdak.io import reference
from onderdak.register.locations import load_register
from onderdak.reporting.i18n import text
from onderdak.reporting.register_text import note_text

if TYPE_CHECKING:
    from onderdak.register.costs import RegisterNote
    from onderdak.register.locations import Register

ASSUMPTION = "ASSUMPTION"


def register_notes_table(register: Register, language: str = "nl") -> pd.DataFrame:
    """The register's cost notes as rows of the assumptions appendix (same columns), each worded
    by :func:`onderdak.reporting.register_text.note_text`: the location by code and name, its fields
    in words, no file or row (``onderdak validate`` names those)."""
    names = register.table["name"].astype(str).to_dict()

    def subject(n: RegisterNote) -> str:
        fields = [text(f"register.field.{f.strip()}", language) for f in n.field.split("+")]
        joined = f" {text('register.appendix.and', language)} ".join(fields)
        at = f"{n.location_id} {names.get(n.location_id, '')}".strip()
        return text("register.appendix.subject", language, at=at, fields=joined)

    rows = [
        {
            "onderwerp": subject(n),
            "waarde": round(n.value, 2),
            "eenheid": text(
                "register.appendix.eur_per_year"
                if n.field == "fixed_opex_eur_per_year" and n.code.endswith("reference")
                else "register.appendix.eur_per_place_day",
                language,
            ),
            "bron": n.source,
            "datum": "",
            "betrouwbaarheid": text(
                "register.appendix.reference"
                if n.code.endswith("from_reference")
                else "register.appendix.warning",
                language,
            ),
            "toelichting": note_text(n, language, names.get(n.location_id, "")),
        }
        for n in register.notes
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


COLUMNS = ["onderwerp", "waarde", "eenheid", "bron", "datum", "betrouwbaarheid", "toelichting"]


def _case_assumptions(model: BaseModel, prefix: str = "") -> list[dict[str, Any]]:
    """Fields of the case whose description marks them as an assumption, with the value used."""
    rows = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            rows.extend(_case_assumptions(value, path + "."))
            continue
        text = info.description or ""
        if ASSUMPTION in text:
            rows.append(
                {
                    "onderwerp": path,
                    "waarde": value,
                    "eenheid": "",
                    "bron": "aanname (instelbaar in het casusbestand)",
                    "datum": "",
                    "betrouwbaarheid": "aanname",
                    "toelichting": text.replace(ASSUMPTION, "AANNAME"),
                }
            )
    return rows


def _scenario_assumptions() -> list[dict[str, Any]]:
    book = scenario_book()
    rows = []
    for section in ("meta", "uncertainty"):
        for key, item in book[section].items():
            items = item.items() if key == "initial_state" else [(key, item)]
            for name, entry in items:
                if not isinstance(entry, dict) or "basis" not in entry:
                    continue
                assumption = ASSUMPTION in entry["basis"]
                rows.append(
                    {
                        "onderwerp": f"landelijk: {name}",
                        "waarde": entry.get("value"),
                        "eenheid": "",
                        "bron": "aanname (data/reference/national_scenarios.yaml)"
                        if assumption
                        else entry["basis"],
                        "datum": "2026-11-23",
                        "betrouwbaarheid": "aanname" if assumption else "afgeleid",
                        "toelichting": entry["basis"].replace(ASSUMPTION, "AANNAME"),
                    }
                )
    return rows


def _wijk_population_rows(case: Case) -> list[dict[str, Any]]:
    """Where the inhabitants per wijk of the spread come from; the area/equal estimate marked as such."""
    source = case.geo.wijk_population_source
    if case.geo.wijken is None:
        return []
    estimate = source in ("area", "equal")
    bron = {
        "cbs_85984": "CBS StatLine 85984NED, Kerncijfers wijken en buurten 2024 (opendata.cbs.nl)",
        "file": f"aantal inwoners in het wijkenbestand {case.geo.wijken}",
        "area": "schatting: het inwonertal van de gemeente naar oppervlakte over de wijken verdeeld",
        "equal": "schatting: het inwonertal van de gemeente gelijk over de wijken verdeeld",
    }.get(source, f"bestand {source} (casusbestand)")
    return [
        {
            "onderwerp": "geo.wijk_population_source",
            "waarde": source,
            "eenheid": "inwoners per wijk",
            "bron": bron,
            "datum": "2024-01-01" if source == "cbs_85984" else "",
            "betrouwbaarheid": "schatting" if estimate else "bron",
            "toelichting": (
                "AANNAME: geen telling maar een schatting; de plaatsen per 1.000 inwoners per wijk "
                "zijn indicatief. Gebruik CBS 85984NED (cbs_85984)."
                if estimate
                else "Inwoners per wijk voor de plaatsen per 1.000 inwoners (spreiding)."
            ),
        }
    ]


def assumptions_table(
    case: Case, register: Register | None = None, language: str | None = None
) -> pd.DataFrame:
    """Every sourced default (data/reference) and every assumption of the case and the scenarios.

    Columns: onderwerp, waarde, eenheid, bron, datum, betrouwbaarheid, toelichting. Sourced figures
    carry their source and date; figures without a source are marked 'aanname'. The register's cost
    notes (running costs taken from the reference, or outside the sourced band) come first.

    Parameters
    ----------
    case : Case
    register : Register, optional
        Default: the case's register, if it names one.
    language : {"nl", "en"}, optional
        Of the register notes; default the report language (``ONDERDAK_LANGUAGE``), else the case's.
    """
    language = language or os.environ.get("ONDERDAK_LANGUAGE") or case.language
    if register is None and case.locations:
        register = load_register(case)
    sources = reference.load_sources()
    scalars = sources[sources["value"] != ""]
    sourced = pd.DataFrame(
        {
            "onderwerp": scalars["key"],
            "waarde": scalars["value"],
            "eenheid": scalars["unit"],
            "bron": scalars["source"],
            "datum": scalars["date"],
            "betrouwbaarheid": scalars["confidence"],
            "toelichting": scalars["note"],
        }
    )
    series = sources[sources["file"] != ""]
    files = pd.DataFrame(
        {
            "onderwerp": "reeks: " + series["file"],
            "waarde": "",
            "eenheid": series["unit"],
            "bron": series["source"],
            "datum": series["date"],
            "betrouwbaarheid": series["confidence"],
            "toelichting": series["note"],
        }
    )
    assumed = pd.DataFrame(
        _case_assumptions(case) + _wijk_population_rows(case) + _scenario_assumptions()
    )
    frames = [assumed, sourced, files]
    if register is not None and register.notes:
        frames.insert(0, register_notes_table(register, language))
    out = pd.concat(frames, ignore_index=True)
    out["waarde"] = out["waarde"].astype(str)
    return out.reset_index(drop=True)
