"""Figures, tables and text of the regional overview (notebooks/region.ipynb), Dutch by default."""

from __future__ import annotations

import pandas as pd

from onderdak.region.overview import RISK_SHARE, RegionOverview
from onderdak.reporting import i18n
from onderdak.reporting.style import (
    thousands,
)

WORD_KEYS = (
    "municipality",
    "total",
    "population",
    "pop_share",
    "agreed",
    "goo_need",
    "spreidingswet",
    "reception_band",
    "region_share",
    "own_need",
    "available",
    "surplus",
    "risk",
    "task",
    "housed",
    "realised",
    "realisation",
    "backlog_start",
    "backlog_end",
    "places",
    "persons",
    "need_band",
    "need_median",
    "capacity",
    "share_marker",
)
"""The words of the tables and figures (``region.w_<key>`` in the message catalogs)."""


def _t(key: str, language: str | None, **facts: object) -> str:
    return i18n.text(f"region.{key}", language, **facts)


def words(language: str) -> dict[str, str]:
    return {k: _t(f"w_{k}", language) for k in WORD_KEYS}


def _n(x: float) -> str:
    return "–" if pd.isna(x) else thousands(x)


def heading(key: str, ov: RegionOverview, language: str = "nl") -> str:
    """A section heading (Markdown ``##``) in the report language, with the year or half-year."""
    return "## " + _t(key, language, year=ov.year, half=ov.half_year)


def titles(ov: RegionOverview, language: str = "nl") -> dict[str, str]:
    """Captions of the overview's figures and tables, and their source line."""
    y, h = ov.year, ov.half_year
    return {
        "need": _t("title_need", language, year=y),
        "places": _t("title_places", language, year=y),
        "taakstelling": _t("title_taakstelling", language, half=h),
        "places_figure": _t("title_places_figure", language, year=y),
        "taakstelling_figure": _t("title_taakstelling_figure", language, half=h),
        "tidy": _t("title_tidy", language),
        "places_caption": _t("caption_places", language, year=y),
        "taakstelling_caption": _t("caption_taakstelling", language),
        "source": _t("source", language),
    }


def _missing_names(ov: RegionOverview) -> list[str]:
    return list(ov.missing["label"]) if len(ov.missing) else []


def _without_register(ov: RegionOverview) -> list[str]:
    m = ov.municipalities
    return [short_name(x) for x in m.loc[m["reception_capacity_places"].isna(), "municipality"]]


def headline(ov: RegionOverview, language: str = "nl") -> tuple[str, dict[str, str]]:
    """The key message and its headline numbers."""
    t, m = ov.total, ov.municipalities
    n, k = int(m["reception_capacity_places"].notna().sum()), ov.at_risk
    missing, unregistered = _missing_names(ov), _without_register(ov)
    need, cap = _n(t["reception_need_places_p50"]), _n(t["reception_capacity_places"])
    band = f"{_n(t['reception_need_places_p10'])}–{_n(t['reception_need_places_p90'])}"
    text = _t(
        "headline",
        language,
        name=ov.name,
        year=ov.year,
        need=need,
        band=band,
        n=n,
        cap=cap,
        k=k,
        risk=RISK_SHARE,
        unregistered=unregistered,
        missing=missing,
    )
    numbers = {
        _t("key_need", language, year=ov.year): _t("number_places", language, n=need),
        _t("key_available", language, year=ov.year): _t("number_places", language, n=cap),
        _t("key_at_risk", language, risk=RISK_SHARE): _t("number_of", language, k=k, n=n),
        _t("key_backlog", language, half=ov.half_year): _t(
            "number_persons", language, n=_n(t["backlog_end_persons"])
        ),
    }
    return text, numbers


def _risk_sentence(ov: RegionOverview, language: str) -> str:
    m = ov.municipalities.dropna(subset=["reception_capacity_places"])
    if m.empty:
        return ""
    risky = m.sort_values("shortfall_probability_share", ascending=False).iloc[0]
    short = m.sort_values("reception_surplus_places").iloc[0]
    gap = -short["reception_surplus_places"]
    return _t(
        "risk_sentence",
        language,
        risky=risky["municipality"],
        risky_share=risky["shortfall_probability_share"],
        gap=gap,
        short=short["municipality"],
        gap_places=_n(gap),
    )


def narrative(ov: RegionOverview, language: str = "nl") -> str:
    """A short Markdown summary: what is compared, where the risk is, the taakstelling, who is missing."""
    m, t, missing = ov.municipalities, ov.total, ov.missing
    parts = [
        _t(
            "narrative_compare",
            language,
            count=len(m),
            name=ov.name,
            population=_n(t["population_persons"]),
            year=ov.year,
            half=ov.half_year,
            month=pd.Period(ov.reference_month, freq="M"),
        ),
        _risk_sentence(ov, language),
        _t(
            "narrative_taakstelling",
            language,
            half=ov.half_year,
            task=_n(t["taakstelling_persons"]),
            housed=_n(t["housed_persons"]),
            share=t["realisation_share"],
            backlog_start=_n(t["backlog_start_persons"]),
            backlog_end=_n(t["backlog_end_persons"]),
        ),
    ]
    if len(missing):
        names = "; ".join(f"{r.label} ({r.status}: {r.message})" for r in missing.itertuples())
        parts.append(_t("narrative_missing", language, names=names))
    return "\n\n".join(p for p in parts if p)


def method(ov: RegionOverview, language: str = "nl") -> str:
    """How the figures are defined (Markdown)."""
    return _t("method", language, year=ov.year)


# -- tables -------------------------------------------------------------------------------------
def _with_total(ov: RegionOverview) -> pd.DataFrame:
    rows = ov.municipalities.sort_values("population_persons").reset_index(drop=True)
    total = ov.total.to_frame().T
    total["municipality"] = None
    return pd.concat([rows, total], ignore_index=True)


def short_name(name: str) -> str:
    """A municipality's name without the word 'Gemeente' (tables and figures say it in the header)."""
    for prefix in ("Gemeente ", "gemeente ", "Municipality of "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _names(frame: pd.DataFrame, language: str) -> list[str]:
    return [
        short_name(n) if isinstance(n, str) else words(language)["total"]
        for n in frame["municipality"]
    ]


def need_table(ov: RegionOverview, language: str = "nl") -> tuple[pd.DataFrame, dict[str, str]]:
    """Per municipality (and the region): inhabitants, GOO agreed and need, Spreidingswet, reception total."""
    w, f = words(language), _with_total(ov)
    band = [
        f"{_n(a)} ({_n(b)}–{_n(c)})"
        for a, b, c in zip(
            f["reception_need_places_p50"],
            f["reception_need_places_p10"],
            f["reception_need_places_p90"],
            strict=True,
        )
    ]
    table = pd.DataFrame(
        {
            w["municipality"]: _names(f, language),
            w["population"]: f["population_persons"].astype(float).round(),
            w["pop_share"]: (100 * f["population_share_of_region"].astype(float)).round(),
            w["agreed"]: f["ukraine_agreed_places"].astype(float).round(),
            w["goo_need"]: f["ukraine_need_places_p50"].astype(float).round(),
            w["spreidingswet"]: f["asylum_spreidingswet_places_p50"].astype(float).round(),
            w["reception_band"]: band,
        }
    )
    units = {
        w["pop_share"]: "%",
        w["agreed"]: w["places"],
        w["goo_need"]: w["places"],
        w["spreidingswet"]: w["places"],
        w["reception_band"]: w["places"],
    }
    return table, units


def places_table(ov: RegionOverview, language: str = "nl") -> tuple[pd.DataFrame, dict[str, str]]:
    """Per municipality: its population share of the regional need, own need, places available, gap, risk."""
    w, f = words(language), _with_total(ov)
    table = pd.DataFrame(
        {
            w["municipality"]: _names(f, language),
            w["region_share"]: f["region_share_places"].astype(float).round(),
            w["own_need"]: f["reception_need_places_p50"].astype(float).round(),
            w["available"]: f["reception_capacity_places"].astype(float).round(),
            w["surplus"]: f["reception_surplus_places"].astype(float).round(),
            w["risk"]: (100 * f["shortfall_probability_share"].astype(float)).round(),
        }
    )
    units = {c: w["places"] for c in table.columns[1:5]} | {w["risk"]: "%"}
    return table, units


def taakstelling_table(
    ov: RegionOverview, language: str = "nl"
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Per municipality: taakstelling of the half-year, persons housed (model), realisation, backlog."""
    w, f = words(language), _with_total(ov)
    table = pd.DataFrame(
        {
            w["municipality"]: _names(f, language),
            w["task"]: f["taakstelling_persons"].astype(float).round(),
            w["housed"]: f["housed_persons"].astype(float).round(),
            w["realisation"]: (100 * f["realisation_share"].astype(float)).round(),
            w["backlog_start"]: f["backlog_start_persons"].astype(float).round(),
            w["backlog_end"]: f["backlog_end_persons"].astype(float).round(),
            w["realised"]: [_realised_text(r, language) for r in f.itertuples()],
        }
    )
    units = {c: w["persons"] for c in table.columns[1:-1]} | {w["realisation"]: "%"}
    return table, units


def _realised_text(row, language: str) -> str:
    """'2025-II: 24 van 30 (80%)' from the case's realised figures, or '–' when it has none."""
    half = getattr(row, "realised_half_year", "") or ""
    if not isinstance(half, str) or not half:
        return "–"
    return _t(
        "realised",
        language,
        half=half,
        housed=_n(row.realised_housed_persons),
        task=_n(row.realised_taakstelling_persons),
        share=row.realised_share,
    )


def tidy_table(ov: RegionOverview) -> pd.DataFrame:
    """Every figure of the overview, one row per municipality plus the region (units in column names)."""
    f = _with_total(ov)
    f["municipality"] = f["municipality"].fillna("region")
    f.insert(0, "year", ov.year)
    f.insert(1, "half_year", ov.half_year)
    return f
