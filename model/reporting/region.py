"""Figures, tables and text of the regional overview (notebooks/region.ipynb), Dutch by default."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from model.region import RISK_SHARE, RegionOverview
from model.reporting.style import (
    ACCENT,
    NEUTRAL,
    STATUS_COLOURS,
    STREAM_COLOURS,
    label,
    month_name,
    percent,
    thousands,
)

WORDS = {
    "nl": {
        "municipality": "Gemeente",
        "total": "Regio",
        "population": "Inwoners",
        "pop_share": "Aandeel in de regio",
        "agreed": "GOO afgesproken",
        "goo_need": "GOO-behoefte",
        "spreidingswet": "Spreidingswet",
        "reception_band": "Opvang totaal (80%-band)",
        "region_share": "Aandeel regionale behoefte",
        "own_need": "Eigen behoefte",
        "available": "Beschikbaar",
        "surplus": "Overschot (+) / tekort (−)",
        "risk": "Kans op tekort",
        "task": "Taakstelling",
        "housed": "Gehuisvest (model)",
        "realised": "Laatst gerealiseerd",
        "realisation": "Realisatie",
        "backlog_start": "Achterstand begin",
        "backlog_end": "Achterstand eind",
        "places": "plaatsen",
        "persons": "personen",
        "h_need": "Behoefte en taak per gemeente",
        "h_places": "Plaatsen tegenover het aandeel",
        "h_taak": "Taakstelling statushouders",
        "h_method": "Werkwijze",
        "need_band": "behoefte opvang (80%-band)",
        "need_median": "behoefte (mediaan)",
        "capacity": "beschikbaar (bestaand en gepland)",
        "share_marker": "aandeel regionale behoefte (naar inwoners)",
        "risk_axis": "kans op een tekort in {year}",
        "places_axis": "opvangplaatsen (gemiddeld in {year})",
        "task_bar": "taakstelling {half} (mediaan)",
        "housed_bar": "gehuisvest in {half} (model, mediaan)",
        "backlog_marker": "achterstand eind {half} (mediaan)",
    },
    "en": {
        "municipality": "Municipality",
        "total": "Region",
        "population": "Inhabitants",
        "pop_share": "Share of the region",
        "agreed": "GOO agreed",
        "goo_need": "GOO need",
        "spreidingswet": "Dispersal act",
        "reception_band": "Reception total (80% band)",
        "region_share": "Share of regional need",
        "own_need": "Own need",
        "available": "Available",
        "surplus": "Surplus (+) / shortfall (−)",
        "risk": "Shortfall probability",
        "task": "Housing target",
        "housed": "Housed (model)",
        "realised": "Last realised",
        "realisation": "Realised",
        "backlog_start": "Backlog at start",
        "backlog_end": "Backlog at end",
        "places": "places",
        "persons": "persons",
        "h_need": "Need and task per municipality",
        "h_places": "Places against the share",
        "h_taak": "Housing status holders (taakstelling)",
        "h_method": "Method",
        "need_band": "reception need (80% band)",
        "need_median": "need (median)",
        "capacity": "available (existing and planned)",
        "share_marker": "share of regional need (by inhabitants)",
        "risk_axis": "probability of a shortfall in {year}",
        "places_axis": "reception places (mean over {year})",
        "task_bar": "target {half} (median)",
        "housed_bar": "housed in {half} (model, median)",
        "backlog_marker": "backlog at end of {half} (median)",
    },
}


def _w(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["nl"])


def _n(x: float) -> str:
    return "–" if pd.isna(x) else thousands(x)


def _month(period: str, language: str) -> str:
    p = pd.Period(period, freq="M")
    return f"{month_name(p.month, language)} {p.year}"


def heading(key: str, ov: RegionOverview, language: str = "nl") -> str:
    """A section heading (Markdown ``##``) in the report language, with the year or half-year."""
    w = _w(language)
    suffix = {
        "h_need": f" in {ov.year}",
        "h_places": f" in {ov.year}",
        "h_taak": f" {ov.half_year}",
    }
    return f"## {w[key]}{suffix.get(key, '')}"


def titles(ov: RegionOverview, language: str = "nl") -> dict[str, str]:
    """Captions of the overview's figures and tables, and their source line."""
    y, h = ov.year, ov.half_year
    if language == "en":
        return {
            "need": f"Need and task per municipality, {y}",
            "places": f"Places against the share, {y}",
            "taakstelling": f"Housing status holders, {h}",
            "places_figure": f"Reception places against need and share, {y}",
            "taakstelling_figure": f"Housing target and progress, {h}",
            "tidy": "Regional overview, all figures",
            "places_caption": (
                f"Need: mean over {y}, median and 80% band; shortfall probability: a shortfall in GOO or "
                f"asylum in some month of {y} (places are not interchangeable between the groups)."
            ),
            "taakstelling_caption": "Percentages: persons housed as a share of the target (model result).",
            "source": "Onderdak ensemble per municipality; location registers of the case files",
        }
    return {
        "need": f"Behoefte en taak per gemeente, {y}",
        "places": f"Plaatsen tegenover het aandeel, {y}",
        "taakstelling": f"Taakstelling statushouders, {h}",
        "places_figure": f"Opvangplaatsen tegenover behoefte en aandeel, {y}",
        "taakstelling_figure": f"Taakstelling en voortgang, {h}",
        "tidy": "Regionaal overzicht, alle cijfers",
        "places_caption": (
            f"Behoefte: gemiddelde over {y}, mediaan en 80%-band; kans op een tekort: een tekort voor GOO "
            f"of asiel in enige maand van {y} (plaatsen zijn niet uitwisselbaar tussen de doelgroepen)."
        ),
        "taakstelling_caption": "Percentages: gehuisveste personen als deel van de taakstelling (modeluitkomst).",
        "source": "Onderdak-ensemble per gemeente; locatieregisters uit de casusbestanden",
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
    if language == "en":
        text = (
            f"In {ov.year} {ov.name} is expected to need {need} reception places (80% band {band})"
        )
        text += (
            f" and has {cap} available; {k} of {n} municipalities run a probability above "
            f"{RISK_SHARE:.0%} of a shortfall."
            if n
            else "; without location registers, places available and shortfall risk are not computed."
        )
        if n and unregistered:
            text += f" Without a location register: {', '.join(unregistered)}."
        if missing:
            text += f" Missing from this overview (run failed): {', '.join(missing)}."
        numbers = {
            f"Need {ov.year} (median)": f"{need} places",
            f"Available {ov.year}": f"{cap} places",
            f"Municipalities with shortfall risk > {RISK_SHARE:.0%}": f"{k} of {n}",
            f"Backlog end of {ov.half_year}": f"{_n(t['backlog_end_persons'])} persons",
        }
        return text, numbers
    text = f"{ov.name} heeft in {ov.year} naar verwachting {need} opvangplaatsen nodig (80%-band {band})"
    text += (
        f" en heeft er {cap} beschikbaar; {k} van {n} gemeenten lopen een kans van meer dan "
        f"{100 * RISK_SHARE:.0f}% op een tekort."
        if n
        else "; zonder locatieregisters zijn de beschikbare plaatsen en de kans op een tekort niet berekend."
    )
    if n and unregistered:
        text += f" Zonder locatieregister: {', '.join(unregistered)}."
    if missing:
        text += f" Niet in dit overzicht (run mislukt): {', '.join(missing)}."
    numbers = {
        f"Behoefte {ov.year} (mediaan)": f"{need} plaatsen",
        f"Beschikbaar {ov.year}": f"{cap} plaatsen",
        f"Gemeenten met kans op tekort > {100 * RISK_SHARE:.0f}%": f"{k} van {n}",
        f"Achterstand eind {ov.half_year}": f"{_n(t['backlog_end_persons'])} personen",
    }
    return text, numbers


def _risk_sentence(ov: RegionOverview, language: str) -> str:
    m = ov.municipalities.dropna(subset=["reception_capacity_places"])
    if m.empty:
        return ""
    risky = m.sort_values("shortfall_probability_share", ascending=False).iloc[0]
    short = m.sort_values("reception_surplus_places").iloc[0]
    gap = -short["reception_surplus_places"]
    if language == "en":
        return (
            f"The highest shortfall probability is in {risky['municipality']} "
            f"({percent(risky['shortfall_probability_share'])}). "
            + (
                f"The largest shortfall of places against its own need is in {short['municipality']} "
                f"({_n(gap)} places too few)."
                if gap > 0
                else "Every municipality has at least as many places as its median need."
            )
            + " Places for GOO and for asylum seekers are not interchangeable, so a municipality "
            "with enough places in total can still fall short for one group."
        )
    return (
        f"De grootste kans op een tekort heeft {risky['municipality']} "
        f"({percent(risky['shortfall_probability_share'])}). "
        + (
            f"Het grootste tekort aan plaatsen ten opzichte van de eigen behoefte heeft "
            f"{short['municipality']} ({_n(gap)} plaatsen te weinig)."
            if gap > 0
            else "Elke gemeente heeft minstens zoveel plaatsen als haar mediane behoefte."
        )
        + " Plaatsen voor Oekraïners (GOO) en voor asielzoekers zijn niet uitwisselbaar: een gemeente "
        "met genoeg plaatsen in totaal kan voor één doelgroep toch tekortkomen."
    )


def narrative(ov: RegionOverview, language: str = "nl") -> str:
    """A short Markdown summary: what is compared, where the risk is, the taakstelling, who is missing."""
    m, t, missing = ov.municipalities, ov.total, ov.missing
    if language == "en":
        parts = [
            f"This overview compares **{len(m)} municipalities** of {ov.name}, together "
            f"{_n(t['population_persons'])} inhabitants, in **{ov.year}**; the taakstelling is shown "
            f"for **{ov.half_year}** (reference month {_month(ov.reference_month, 'en')}).",
            _risk_sentence(ov, language),
            f"In {ov.half_year} the municipalities must house {_n(t['taakstelling_persons'])} status "
            f"holders; in the model {_n(t['housed_persons'])} are housed in regular social rent "
            f"({percent(t['realisation_share'])}), and the backlog moves from "
            f"{_n(t['backlog_start_persons'])} to {_n(t['backlog_end_persons'])} persons.",
        ]
        if len(missing):
            names = "; ".join(f"{r.label} ({r.status}: {r.message})" for r in missing.itertuples())
            parts.append(f"**Missing** (their run failed, see the batch summary): {names}.")
        return "\n\n".join(p for p in parts if p)
    parts = [
        f"Dit overzicht vergelijkt **{len(m)} gemeenten** van {ov.name}, samen "
        f"{_n(t['population_persons'])} inwoners, in **{ov.year}**; de taakstelling staat er voor "
        f"**{ov.half_year}** (peilmaand {_month(ov.reference_month, 'nl')}).",
        _risk_sentence(ov, language),
        f"In {ov.half_year} moeten de gemeenten samen {_n(t['taakstelling_persons'])} statushouders "
        f"huisvesten; in het model krijgen er {_n(t['housed_persons'])} een reguliere sociale "
        f"huurwoning ({percent(t['realisation_share'])}) en loopt de achterstand van "
        f"{_n(t['backlog_start_persons'])} naar {_n(t['backlog_end_persons'])} personen.",
    ]
    if len(missing):
        names = "; ".join(f"{r.label} ({r.status}: {r.message})" for r in missing.itertuples())
        parts.append(f"**Ontbreekt** (run mislukt, zie het batchoverzicht): {names}.")
    return "\n\n".join(p for p in parts if p)


def method(ov: RegionOverview, language: str = "nl") -> str:
    """How the figures are defined (Markdown)."""
    if language == "en":
        return (
            f"Need is the mean over the months of {ov.year} per simulated path; tables show the median "
            "and the 80% band. The region's figures are the sums of the municipalities' (one seed: the "
            "municipalities share the national paths). Available places are the existing and planned "
            "locations open to GOO or asylum, each counted once. The share of regional need divides the "
            "region's need by inhabitants. The shortfall probability is the share of paths with a "
            f"shortfall in some month of {ov.year}. Housed persons are a model result (the regular "
            "allocation in the case file); the last column of the taakstelling table gives the latest "
            "realised half-year as the municipality reported it (the housed status holders in its case file)."
        )
    return (
        f"De behoefte is per gesimuleerd pad het gemiddelde over de maanden van {ov.year}; de tabellen "
        "tonen de mediaan en de 80%-band. De cijfers van de regio zijn de sommen van die van de "
        "gemeenten (één seed: de gemeenten delen de landelijke paden). Beschikbaar zijn de bestaande en "
        "geplande locaties voor GOO of asiel, elk één keer geteld. Het aandeel in de regionale behoefte "
        "verdeelt de behoefte van de regio naar inwonertal. De kans op een tekort is het aandeel paden "
        f"met in enige maand van {ov.year} een tekort. Gehuisvest is een modeluitkomst (de reguliere "
        "toewijzing uit het casusbestand); de laatste kolom van de taakstellingstabel geeft het laatst "
        "gerealiseerde halfjaar zoals de gemeente dat opgaf (de gehuisveste statushouders in het casusbestand)."
    )


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
        short_name(n) if isinstance(n, str) else _w(language)["total"]
        for n in frame["municipality"]
    ]


def need_table(ov: RegionOverview, language: str = "nl") -> tuple[pd.DataFrame, dict[str, str]]:
    """Per municipality (and the region): inhabitants, GOO agreed and need, Spreidingswet, reception total."""
    w, f = _w(language), _with_total(ov)
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
    w, f = _w(language), _with_total(ov)
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
    w, f = _w(language), _with_total(ov)
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
    of = "of" if language == "en" else "van"
    return (
        f"{half}: {_n(row.realised_housed_persons)} {of} {_n(row.realised_taakstelling_persons)} "
        f"({percent(row.realised_share)})"
    )


def tidy_table(ov: RegionOverview) -> pd.DataFrame:
    """Every figure of the overview, one row per municipality plus the region (units in column names)."""
    f = _with_total(ov)
    f["municipality"] = f["municipality"].fillna("region")
    f.insert(0, "year", ov.year)
    f.insert(1, "half_year", ov.half_year)
    return f


# -- figures ------------------------------------------------------------------------------------
def places_figure(ov: RegionOverview, language: str = "nl") -> Figure:
    """Per municipality: reception need (80% band, median) against places available and its share; shortfall risk."""
    import matplotlib.pyplot as plt

    w = _w(language)
    m = ov.municipalities.sort_values("population_persons").reset_index(drop=True)
    y = np.arange(len(m))
    fig, (ax, axr) = plt.subplots(
        1, 2, figsize=(10, 1.8 + 0.7 * len(m)), sharey=True, gridspec_kw={"width_ratios": [3, 1]}
    )
    lo, hi = m["reception_need_places_p10"], m["reception_need_places_p90"]
    ax.barh(
        y,
        hi - lo,
        left=lo,
        height=0.45,
        color=STREAM_COLOURS["ukraine"],
        alpha=0.3,
        label=w["need_band"],
    )
    ax.scatter(
        m["reception_need_places_p50"],
        y,
        marker="|",
        s=500,
        color=STREAM_COLOURS["ukraine"],
        linewidths=2.5,
        label=w["need_median"],
        zorder=3,
    )
    ax.scatter(
        m["reception_capacity_places"],
        y,
        marker="D",
        s=55,
        color=STATUS_COLOURS["existing"],
        label=w["capacity"],
        zorder=4,
    )
    ax.scatter(
        m["region_share_places"],
        y,
        marker="o",
        s=60,
        facecolors="none",
        edgecolors=NEUTRAL,
        linewidths=1.5,
        label=w["share_marker"],
        zorder=4,
    )
    ax.set_yticks(y, [short_name(n) for n in m["municipality"]])
    ax.set_xlim(left=0)
    ax.xaxis.set_major_formatter(FuncFormatter(thousands))
    ax.set_xlabel(w["places_axis"].format(year=ov.year))
    ax.grid(axis="y", visible=False)
    risk = m["shortfall_probability_share"].fillna(0)
    axr.barh(y, risk, height=0.45, color=[ACCENT if r > RISK_SHARE else NEUTRAL for r in risk])
    axr.axvline(RISK_SHARE, color=ACCENT, ls="--", lw=1)
    axr.set_xlim(0, 1)
    axr.set_xticks([0, RISK_SHARE, 1])
    axr.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axr.set_xlabel(w["risk_axis"].format(year=ov.year))
    axr.grid(axis="y", visible=False)
    for yi, r in zip(y, risk, strict=True):
        inside = r > 0.75
        axr.text(
            r - 0.03 if inside else r + 0.03,
            yi,
            percent(r),
            va="center",
            fontsize=9,
            ha="right" if inside else "left",
            color="white" if inside else "black",
        )
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8)
    fig.tight_layout(rect=(0, 0.16 if len(m) < 4 else 0.12, 1, 1))
    return fig


def taakstelling_figure(ov: RegionOverview, language: str = "nl") -> Figure:
    """Per municipality: taakstelling of the half-year, persons housed (model) and the backlog at its end."""
    import matplotlib.pyplot as plt

    w = _w(language)
    m = ov.municipalities.sort_values("population_persons").reset_index(drop=True)
    x = np.arange(len(m))
    fig, ax = plt.subplots(figsize=(10, 4.0))
    colour = STREAM_COLOURS["status_holders"]
    ax.bar(
        x - 0.2,
        m["taakstelling_persons"],
        width=0.38,
        color=colour,
        label=w["task_bar"].format(half=ov.half_year),
    )
    ax.bar(
        x + 0.2,
        m["housed_persons"],
        width=0.38,
        color=colour,
        alpha=0.45,
        label=w["housed_bar"].format(half=ov.half_year),
    )
    ax.scatter(
        x,
        m["backlog_end_persons"],
        color=ACCENT,
        marker="o",
        s=45,
        zorder=3,
        label=w["backlog_marker"].format(half=ov.half_year),
    )
    for xi, housed, share in zip(x, m["housed_persons"], m["realisation_share"], strict=True):
        ax.text(xi + 0.2, housed, percent(share), ha="center", va="bottom", fontsize=9)
    ax.axhline(0, color=NEUTRAL, lw=0.8)
    ax.set_xticks(x, [short_name(n) for n in m["municipality"]])
    ax.set_ylabel(label("persons", language))
    ax.yaxis.set_major_formatter(FuncFormatter(thousands))
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig
