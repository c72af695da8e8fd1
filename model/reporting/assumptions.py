"""The appendix of every advice: each figure the run relied on, with its source and date or marked as an assumption."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import BaseModel

from model import reference
from model.case import Case
from model.inflow import scenario_book

ASSUMPTION = "ASSUMPTION"


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
                        "bron": "aanname (data/reference/national_scenarios.yaml)" if assumption else entry["basis"],
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


def assumptions_table(case: Case) -> pd.DataFrame:
    """Every sourced default (data/reference) and every assumption of the case and the scenarios.

    Columns: onderwerp, waarde, eenheid, bron, datum, betrouwbaarheid, toelichting. Sourced figures
    carry their source and date; figures without a source are marked 'aanname'.
    """
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
    out = pd.concat([assumed, sourced, files], ignore_index=True)
    out["waarde"] = out["waarde"].astype(str)
    return out.reset_index(drop=True)
