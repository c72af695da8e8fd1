"""The advice's 'thuis' section in words: school places, GP registrations, inburgering, work and
staff in their peak year, the chance of a shortage against the capacities the municipality gave,
the assumptions, the structural line in the financial paragraph and the signposts.

Numbers from :mod:`onderdak.reporting.thuis_tables`; words from the message catalogs
(``messages/<language>/thuis.yaml``). A case without a ``thuis:`` section gets one sentence saying
how to add it, and no empty section.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from onderdak.core.streams import STREAMS
from onderdak.reporting import i18n
from onderdak.reporting import thuis_tables as tt
from onderdak.reporting.i18n import text
from onderdak.thuis.result import Thuis

ARTEFACTS = ("thuis", "thuis_school", "thuis_shortages", "thuis_costs")
FIELDS = ("title", "caption", "source")


def words(key: str, language: str = "nl") -> dict[str, str]:
    """Title, caption and source of one of the section's tables or figures."""
    return {f: text(f"thuis.artefact.{key}.{f}", language) for f in FIELDS}


def wijk_names(advice: Any) -> dict[str, str]:
    """Wijk code → name, from the case's geography (empty without one)."""
    place = getattr(advice.results, "place", None)
    spread = getattr(place, "spread", None)
    if spread is None or "wijk_code" not in spread or "wijk_name" not in spread:
        return {}
    return {str(c): str(n) for c, n in zip(spread["wijk_code"], spread["wijk_name"], strict=True)}


def lower_first(words: str) -> str:
    """'Leerlingen in de ISK' → 'leerlingen in de ISK' (a service's name inside a sentence)."""
    return words[:1].lower() + words[1:]


def _item(row: pd.Series, language: str) -> str:
    def fmt(x: float) -> str:
        return tt.value_text(x, row["unit"], language)

    facts = {
        "what": text(f"thuis.service.{row['service']}", language),
        "value": fmt(row["p50"]) + " " + text("thuis.unit." + row["unit"], language),
        "year": row["year"],
        "low": fmt(row["p10"]),
        "high": fmt(row["p90"]),
    }
    if pd.notna(row.get("groups_p50", float("nan"))):
        kind = "isk" if row["service"] == "isk_pupils" else "newcomer_primary"
        groups = text(f"thuis.groups.{kind}", language, n=row["groups_p50"])
        return text("thuis.item_groups", language, groups=groups, **facts)
    return text("thuis.item", language, **facts)


def key_figures(thuis: Thuis, scenario: str, language: str = "nl") -> str:
    """The figures that matter for the college, each in its peak year with the 80% band."""
    t = tt.peaks(thuis).set_index("service", drop=False)
    lines = [text("thuis.intro", language, scenario=scenario)]
    school = ("primary_pupils", "secondary_pupils", "newcomer_primary_pupils", "isk_pupils")
    shown = [s for s in (*school, "gp_registrations", "employed_persons") if s in t.index]
    lines += ["- " + _item(t.loc[s], language) for s in shown]
    out = "\n".join(lines)
    if {"in_progress", *tt.ROUTES} <= set(t.index):
        n = {s: i18n.number(t.loc[s, "p50"], 0, language) for s in ("in_progress", *tt.ROUTES)}
        out += "\n\n" + text(
            "thuis.routes",
            language,
            total=n["in_progress"],
            year=t.loc["in_progress", "year"],
            low=i18n.number(t.loc["in_progress", "p10"], 0, language),
            high=i18n.number(t.loc["in_progress", "p90"], 0, language),
            b1=n["in_progress_b1"],
            onderwijs=n["in_progress_onderwijs"],
            z=n["in_progress_z"],
        )
    fte = tt.staff_fte(thuis)
    if fte and "staff_cost_eur_per_month" in t.index:
        cost = t.loc["staff_cost_eur_per_month"]
        reception = t.loc["fte_reception", "p50"] if "fte_reception" in t.index else 0.0
        out += "\n\n" + text(
            "thuis.staff",
            language,
            fte=fte["p50"],
            fte_year=fte["year"],
            cost=tt.rounded_eur(cost["p50"]),
            low=tt.rounded_eur(cost["p10"]),
            high=tt.rounded_eur(cost["p90"]),
            reception=reception,
        )
    return out


def shortages(thuis: Thuis, names: dict[str, str], language: str = "nl") -> str:
    """The chance of a shortage per area and capacity given (the reception shortfall's words);
    one sentence when no capacities were given."""
    s = thuis.shortages
    if s.empty:
        return text("thuis.shortage.no_capacities", language)
    short = s[s["shortage_chance_share"] > 0].sort_values(
        ["shortage_chance_share", "area"], ascending=[False, True]
    )
    paras = []
    if len(short):
        items = [
            "- "
            + text(
                "thuis.shortage.item",
                language,
                area=tt.area_name(r.area, names, language, capital=True),
                what=lower_first(text(f"thuis.service.{r.service}", language)),
                chance=r.shortage_chance_share,
                capacity=r.capacity,
                peak=r.peak_p90,
            )
            for r in short.itertuples()
        ]
        paras.append("\n".join([text("thuis.shortage.intro", language), *items]))
    fine = s[s["shortage_chance_share"] <= 0]
    if len(fine):
        parts = [
            f"{tt.area_name(area, names, language)} ("
            + ", ".join(lower_first(text(f"thuis.service.{v}", language)) for v in rows["service"])
            + ")"
            for area, rows in fine.groupby("area", sort=True)
        ]
        paras.append(text("thuis.shortage.none", language, items="; ".join(parts)))
    if len(short):
        paras.append(text("thuis.shortage.measure", language))
    return "\n\n".join(paras)


def _value(field: str, value: Any, language: str) -> str:
    """An assumption's value in words: shares as percentages, months, euros, plain numbers; a
    split or a per-route figure as its parts."""
    kind = (
        "eur"
        if "eur" in field
        else "months"
        if "months" in field
        else "share"
        if "share" in field or "split" in field
        else "number"
    )
    if isinstance(value, dict):
        return ", ".join(
            f"{text(f'thuis.part.{k}', language)} {text(f'thuis.value.{kind}', language, v=v)}"
            for k, v in value.items()
        )
    return text(f"thuis.value.{kind}", language, v=value)


def assumptions(thuis: Thuis, language: str = "nl") -> str:
    """The figures without a source the section rests on, each with the case's value."""
    lines = [text("thuis.assumptions.intro", language)]
    for note in thuis.facts:
        if note.code != "thuis_assumption":
            continue
        parts = str(note.facts["field"]).split(".")
        stream = parts[1] if len(parts) > 2 and parts[1] in STREAMS else ""
        field = parts[-1]
        lines.append(
            "- "
            + text(
                "thuis.assumption",
                language,
                what=text(f"thuis.field.{field}", language),
                stream=stream,
                value=_value(field, note.facts["value"], language),
            )
        )
    return "\n".join(lines)


def section(advice: Any, language: str = "nl") -> str:
    """The section's heading and text; without a ``thuis:`` section one sentence saying how to add
    it (no heading, no empty section)."""
    if advice.thuis is None:
        return text("thuis.not_computed", language)
    return "\n\n".join(
        [
            f"## {text('thuis.heading', language)}",
            key_figures(advice.thuis, advice.scenario, language),
            shortages(advice.thuis, wijk_names(advice), language),
        ]
    )


def finances(thuis: Thuis | None, language: str = "nl") -> str:
    """The structural line of 'thuis' in the financial paragraph: staff and inburgering per year,
    apart from the reception budget (whose staff is already in the locations' running costs)."""
    if thuis is None:
        return ""
    c = tt.costs_per_year(thuis)
    if c["thuis_total_eur"].max() <= 0:
        return ""
    top = c.loc[c["thuis_total_eur"].idxmax()]
    first = c.iloc[0]
    return text(
        "thuis.money",
        language,
        inburgering=not c["thuis_inburgering_eur"].isna().all(),
        first=tt.rounded_eur(first["thuis_total_eur"]),
        first_year=int(first["year"]),
        peak=tt.rounded_eur(top["thuis_total_eur"]),
        peak_year=int(top["year"]),
        low=tt.rounded_eur(top["thuis_total_p10_eur"]),
        high=tt.rounded_eur(top["thuis_total_p90_eur"]),
        reception=tt.rounded_eur(
            0.0 if pd.isna(first["thuis_reception_eur"]) else first["thuis_reception_eur"]
        ),
        school=None
        if c["thuis_school_eur"].isna().all()
        else tt.rounded_eur(c["thuis_school_eur"].max()),
    )


def _newcomer_places(thuis: Thuis) -> tuple[int, float]:
    """(year, median places) of newcomers' education (primary and ISK together) at its peak."""
    t = tt.peaks(thuis).set_index("service")
    parts = [s for s in ("newcomer_primary_pupils", "isk_pupils") if s in t.index]
    if not parts:
        return 0, 0.0
    year = int(t.loc[parts[-1], "year"])
    total = sum(tt.peak(thuis, tt.ALL, s, year)["p50"] for s in parts)
    return year, total


def message(thuis: Thuis, language: str = "nl") -> str:
    """The slide's finding: the newcomers' school places needed, and the largest chance of a
    shortage of them where a capacity was given."""
    year, total = _newcomer_places(thuis)
    s = thuis.shortages
    school = s[s["service"].isin(["newcomer_primary_pupils", "isk_pupils"])]
    chance = float(school["shortage_chance_share"].max()) if len(school) else 0.0
    return text("thuis.message", language, year=year, newcomers=total, chance=chance)


def notes(thuis: Thuis, language: str = "nl") -> str:
    """What a presenter says with the slide."""
    t = tt.peaks(thuis).set_index("service")

    def p50(service: str, column: str = "p50") -> float:
        return float(t.loc[service, column]) if service in t.index else 0.0

    return text(
        "thuis.notes",
        language,
        primary=p50("primary_pupils"),
        secondary=p50("secondary_pupils"),
        groups=p50("newcomer_primary_pupils", "groups_p50"),
        classes=p50("isk_pupils", "groups_p50"),
        fte=tt.staff_fte(thuis).get("p50", 0.0),
    )


SIGNPOSTS = ("children", "isk")
SIGNPOST_FIELDS = ("signal", "source", "when", "threshold", "step")


def signpost_rows(thuis: Thuis | None, language: str = "nl") -> list[dict[str, str]]:
    """The signposts of 'thuis' (fields as :mod:`onderdak.reporting.signposts`): the school-age
    children among the newcomers (threshold: the P90 of the first year's highest month) and the
    waiting list for newcomers' education."""
    if thuis is None:
        return []
    series = thuis.series.series
    pupils = sum(series[(tt.ALL, s)] for s in ("primary_pupils", "secondary_pupils"))
    first_year = pupils[:, : min(12, pupils.shape[1])].max(axis=1)
    facts = {"p90": float(pd.Series(first_year).quantile(0.9))}
    return [
        {f: text(f"thuis.signpost.{key}.{f}", language, **facts) for f in SIGNPOST_FIELDS}
        for key in SIGNPOSTS
    ]
