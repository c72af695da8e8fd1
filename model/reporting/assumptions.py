"""The appendix of every advice: each figure the run relied on, with its source and date or marked as an assumption.

It also words the structured notes about the register's running costs (:mod:`model.register_costs`):
costs taken from the sourced reference, costs without a reference, and costs per place-day outside
the sourced band. ``onderdak validate`` prints the same sentences.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import BaseModel

from model import reference
from model.case import Case
from model.inflow import scenario_book

if TYPE_CHECKING:
    from model.locations import Register
    from model.register_costs import RegisterNote

ASSUMPTION = "ASSUMPTION"

NOTE_TEXT = {
    "nl": {
        "at": "{where}rij {row}, locatie {id}",
        "running_cost_from_reference": (
            "{at}: lopende kosten niet ingevuld; Onderdak rekent met de referentie voor {kind} "
            "({stream}): {ref} {per} per dag, band {low}–{high} (bron: {source}); "
            "geboekt als `{field}` = {value}.{staff}"
        ),
        "running_cost_no_reference": (
            "{at}: lopende kosten niet ingevuld en er is geen bronreferentie voor {kind} "
            "({stream}); Onderdak rekent € 0 per jaar. Vul `fixed_opex_eur_per_year` of "
            "`variable_opex_eur_per_place_day` in. ({source})"
        ),
        "running_cost_below_band": (
            "{at}: lopende kosten {value} per plaats per dag ({how}) liggen onder de band "
            "{low}–{high} voor {kind} ({stream}; bron: {source}). Controleer "
            "`fixed_opex_eur_per_year` en `variable_opex_eur_per_place_day`."
        ),
        "running_cost_above_band": (
            "{at}: lopende kosten {value} per plaats per dag ({how}) liggen boven de band "
            "{low}–{high} voor {kind} ({stream}; bron: {source}). Controleer "
            "`fixed_opex_eur_per_year` en `variable_opex_eur_per_place_day`."
        ),
        "per_realised": "per gerealiseerde plaats",
        "per_occupied": "per bezette plaats",
        "staff": " Personeel zit in dit bedrag: geen aparte personeelskosten voor deze locatie.",
        "how_staff": "vaste lasten / (capaciteit × 365) + variabele kosten + personeel; zonder investeringen",
        "how": "vaste lasten / (capaciteit × 365) + variabele kosten; zonder investeringen",
        "subject": "register: {id} {field}",
        "reference": "referentie",
        "warning": "waarschuwing",
        "eur_per_year": "EUR per jaar",
        "eur_per_place_day": "EUR per plaats per dag",
    },
    "en": {
        "at": "{where}row {row}, location {id}",
        "running_cost_from_reference": (
            "{at}: running cost left blank; Onderdak uses the reference for {kind} ({stream}): "
            "{ref} {per} per day, band {low}–{high} (source: {source}); booked as "
            "`{field}` = {value}.{staff}"
        ),
        "running_cost_no_reference": (
            "{at}: running cost left blank and no sourced reference exists for {kind} ({stream}); "
            "Onderdak books €0 a year. Fill in `fixed_opex_eur_per_year` or "
            "`variable_opex_eur_per_place_day`. ({source})"
        ),
        "running_cost_below_band": (
            "{at}: running cost {value} per place-day ({how}) is below the band {low}–{high} for "
            "{kind} ({stream}; source: {source}). Check `fixed_opex_eur_per_year` and "
            "`variable_opex_eur_per_place_day`."
        ),
        "running_cost_above_band": (
            "{at}: running cost {value} per place-day ({how}) is above the band {low}–{high} for "
            "{kind} ({stream}; source: {source}). Check `fixed_opex_eur_per_year` and "
            "`variable_opex_eur_per_place_day`."
        ),
        "per_realised": "per realised place",
        "per_occupied": "per occupied place",
        "staff": " Staff is included in this figure: no separate staff cost for this location.",
        "how_staff": "fixed opex / (capacity × 365) + variable opex + staff; capex excluded",
        "how": "fixed opex / (capacity × 365) + variable opex; capex excluded",
        "subject": "register: {id} {field}",
        "reference": "reference",
        "warning": "warning",
        "eur_per_year": "EUR per year",
        "eur_per_place_day": "EUR per place-day",
    },
}
"""Sentences of the register's cost notes, per language; keys are the notes' codes."""


def _eur(x: float | None, language: str, decimals: int = 2) -> str:
    if x is None:
        return "–"
    s = f"{x:,.{decimals}f}"
    if language == "en":
        return "€" + s
    return "€ " + s.replace(",", "_").replace(".", ",").replace("_", ".")


def register_note_text(note: RegisterNote, language: str = "nl", where: str = "") -> str:
    """One register cost note as a sentence (Dutch by default, English with ``language="en"``).

    Parameters
    ----------
    note : RegisterNote
    language : {"nl", "en"}
    where : str
        File (and sheet) the row is in, e.g. ``"locations.csv"``; prefixed to the row.
    """
    from model.reporting.maps import kind_label
    from model.reporting.style import label

    w = NOTE_TEXT.get(language, NOTE_TEXT["nl"])
    at = w["at"].format(where=f"{where}, " if where else "", row=note.row, id=note.location_id)
    decimals = 0 if note.field == "fixed_opex_eur_per_year" else 2
    per_realised = note.field == "fixed_opex_eur_per_year"
    return w[note.code].format(
        at=at,
        kind=kind_label(note.kind, language),
        stream=label(note.stream, language) if note.stream != "*" else note.stream,
        ref=_eur(note.eur_per_place_day, language),
        per=w["per_realised"] if per_realised else w["per_occupied"],
        low=_eur(note.low_eur_per_place_day, language),
        high=_eur(note.high_eur_per_place_day, language),
        source=note.source,
        field=note.field,
        value=_eur(note.value, language, decimals if note.code.endswith("reference") else 2),
        staff=w["staff"] if note.staff_included and note.code.endswith("reference") else "",
        how=w["how_staff"] if note.staff_included else w["how"],
    )


def _where(register: Register) -> str:
    return register.source.name + (f", sheet '{register.sheet}'" if register.sheet else "")


def register_notes_text(register: Register, language: str = "nl") -> list[str]:
    """Every cost note of a register as a sentence naming file, row and location."""
    return [register_note_text(n, language, _where(register)) for n in register.notes]


def register_notes_table(register: Register, language: str = "nl") -> pd.DataFrame:
    """The register's cost notes as rows of the assumptions appendix (same columns)."""
    w = NOTE_TEXT.get(language, NOTE_TEXT["nl"])
    where = _where(register)
    rows = [
        {
            "onderwerp": w["subject"].format(id=n.location_id, field=n.field),
            "waarde": round(n.value, 2),
            "eenheid": w["eur_per_year"]
            if n.field == "fixed_opex_eur_per_year" and n.code.endswith("reference")
            else w["eur_per_place_day"],
            "bron": n.source,
            "datum": "",
            "betrouwbaarheid": w["reference"]
            if n.code.endswith("from_reference")
            else w["warning"],
            "toelichting": register_note_text(n, language, where),
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
        from model.locations import load_register

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
