"""The workbook's tables: numbers and codes behind the report's text tables, and the consultant's sheets.

The report shows compact text ("236 (228–248)", "€ 12.000.000"); the workbook holds the same table
as numbers (median, P10, P90 in their own columns) so that a consultant can compute with it. The
notebook passes these frames as ``show_table(..., data=...)`` or records them with ``record_table``.
:data:`SHEETS` names every sheet in both languages and says where its figures come from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model import STREAMS
from model.mca import CRITERIA
from model.reporting.plan import MONEY_ROWS, _money_total, decide_by_after
from model.reporting.scenarios import CHECK_MONTHS

if TYPE_CHECKING:
    from model.optimise import OptimiseResult
    from model.results import Results

_ENSEMBLE = (
    "Onderdak-ensemble van de landelijke instroom (MPP-scenario's, IND, CBS, COA)",
    "Onderdak ensemble of the national inflow (MPP scenarios, IND, CBS, COA)",
)
_REGISTER = (
    "Locatieregister van de gemeente (casusbestand)",
    "The municipality's location register (case file)",
)
_PLAN = (
    "Onderdak-optimalisatie op het locatieregister",
    "Onderdak optimisation on the location register",
)
_MONEY = (
    "Onderdak-begroting op het locatieregister; normbedrag, COA-vergoeding en Spreidingswet-bijdragen uit de referentiegegevens",
    "Onderdak budget on the location register; normbedrag, COA payment and Spreidingswet contributions from the reference data",
)

SHEETS: dict[str, tuple[str, str, tuple[str, str]]] = {
    # key → (Dutch sheet name, English sheet name, (Dutch source, English source)); names ≤ 31 characters
    "scenario_table": ("Behoefte per scenario", "Need per scenario", _ENSEMBLE),
    "need_table": ("Behoefte per maand", "Need per month", _ENSEMBLE),
    "taakstelling": ("Taakstelling", "Housing target", ("Onderdak-ensemble; taakstelling volgens de verdeling naar inwoners (BZK)", "Onderdak ensemble; housing target by share of inhabitants (BZK)")),
    "gap_summary": ("Tekortrisico", "Shortfall risk", ("Onderdak-ensemble tegen de bestaande en geplande locaties", "Onderdak ensemble against existing and planned locations")),
    "plan_decisions": ("Besluiten per locatie", "Decisions per location", _PLAN),
    "plan_money": ("Geld van het plan", "The plan's money", _MONEY),
    "plan_money_table": ("Geld per jaar en post", "Money per year and line", _MONEY),
    "budget_per_year": ("Begroting per jaar", "Budget per year", _MONEY),
    "begrotingswijziging": ("Begrotingswijziging", "Budget amendment", _MONEY),
    "risks": ("Risico's en maatregelen", "Risks and measures", ("Onderdak-ensemble en -begroting; maatregelen uit het voorstel", "Onderdak ensemble and budget; measures from the proposal")),
    "plan_alternatives": ("Plan en alternatieven", "Plan and alternatives", _PLAN),
    "plan_tradeoff_table": ("Kosten en betrouwbaarheid", "Cost and reliability", _PLAN),
    "plan_table": ("Plan per locatie", "Plan per location", _PLAN),
    "plan_shortfall": ("Kans op tekort", "Shortfall chance", ("Onderdak-ensemble; aandeel paden met in ten minste één maand een tekort", "Onderdak ensemble; share of paths short in at least one month")),
    "alternatives": ("Alternatieven", "Alternatives", ("Onderdak-ensemble; kosten uit het locatieregister en de casus, hotel en flexwoningen uit de referentiegegevens", "Onderdak ensemble; costs from the register and the case, hotel and flex units from the reference data")),
    "signposts": ("Signaalwaarden", "Signposts", ("IND, CBS, Rijksoverheid (MPP) en COA; drempels uit het Onderdak-ensemble", "IND, CBS, Dutch government (MPP) and COA; thresholds from the Onderdak ensemble")),
    "register_warnings": ("Waarschuwingen register", "Register warnings", _REGISTER),
    "key_assumptions": ("Uitgangspunten begroting", "Budget assumptions", ("Referentiegegevens (met bron en datum) en het casusbestand", "Reference data (with source and date) and the case file")),
    "assumptions": ("Alle aannames en bronnen", "All assumptions and sources", ("Referentiegegevens (bron en datum per regel), casusbestand en scenarioboek", "Reference data (source and date per row), case file and scenario book")),
    "mca": ("MCA per locatie", "MCA per location", ("Multicriteria-analyse op het locatieregister; gewichten uit het casusbestand", "Multi-criteria analysis on the location register; weights from the case file")),
    "mca_weights": ("MCA-gewichten", "MCA weights", ("Casusbestand (mca.weights)", "Case file (mca.weights)")),
    "wijken": ("Wijken", "Districts", ("Wijkgrenzen en inwoners uit het casusbestand (CBS); plaatsen uit het locatieregister", "District boundaries and inhabitants from the case file (CBS); places from the location register")),
}  # fmt: skip

_TITLES = {
    "budget_per_year": ("Begroting per jaar: kosten, inkomsten en netto, zonder en met plan", "Budget per year: costs, income and net, without and with the plan"),
    "mca": ("Multicriteria-analyse: waarden, scores en rang per locatie", "Multi-criteria analysis: values, scores and rank per location"),
    "mca_weights": ("Gewichten van de multicriteria-analyse", "Weights of the multi-criteria analysis"),
    "wijken": ("Plaatsen per 1.000 inwoners per wijk", "Places per 1,000 inhabitants per district"),
}  # fmt: skip


def words(key: str, language: str = "nl") -> dict[str, str]:
    """Title and source of a table recorded for the workbook only, as keyword arguments."""
    en = language == "en"
    return {"title": _TITLES[key][en], "source": SHEETS[key][2][en]}


def sheet_name(key: str, language: str = "nl") -> str | None:
    """The sheet name of a recorded table in the report language (None: not in :data:`SHEETS`)."""
    entry = SHEETS.get(key)
    return None if entry is None else entry[language == "en"]


def sheet_source(key: str, language: str = "nl") -> str:
    """Where a sheet's figures come from, when the recorded table does not say ('' unknown)."""
    entry = SHEETS.get(key)
    return "" if entry is None else entry[2][language == "en"]


def scenario_data(results: Results) -> pd.DataFrame:
    """:func:`model.reporting.scenarios.scenario_table` as numbers: per scenario, stream and month
    (the start, January 2027, January 2030 and the end) the median need and its 80% band."""
    rows = []
    for name, run in results.runs.items():
        labels = list(run.need.periods.strftime("%Y-%m"))
        months = [labels[0], *[m for m in CHECK_MONTHS if m in labels], labels[-1]]
        for stream in STREAMS:
            values = run.need.streams[stream]
            for month in months:
                p10, p50, p90 = np.quantile(values[:, labels.index(month)], [0.1, 0.5, 0.9])
                rows.append(
                    {
                        "scenario": name,
                        "stream": stream,
                        "unit": run.need.units[stream],
                        "period": month,
                        "p50": round(float(p50), 1),
                        "p10": round(float(p10), 1),
                        "p90": round(float(p90), 1),
                    }
                )
    return pd.DataFrame(rows)


def decisions_data(
    result: OptimiseResult,
    brief: bool = False,
    language: str | None = None,
    peildatum: str | None = None,
) -> pd.DataFrame:
    """:func:`model.reporting.plan.decisions_display` as codes and numbers (``brief``: the
    locations the plan uses, without code, present cost and reason, as in the advice). The reason
    in words (:func:`model.reporting.plan.why_text`), its facts left out; with a ``peildatum``
    ('YYYY-MM') a decision due before it falls in the month after it, as in the besluitpunten."""
    t = result.tables["plan"].copy()
    columns = ["location_id", "name", "action", "quarter", "decide_by", "places", "capex_eur"]
    columns += ["cost_pv_eur", "why"]
    if brief:
        t = t[t["action"] != "reject"]
        columns = [c for c in columns if c not in ("location_id", "cost_pv_eur", "why")]
    else:
        t["why"] = _why_words(t, language)
    if peildatum:
        t["decide_by"] = decide_by_after(t["decide_by"], peildatum)
    return t[columns].reset_index(drop=True)


def _why_words(plan: pd.DataFrame, language: str | None) -> list[str]:
    from model.reporting.plan import why_text

    return [
        why_text(c, f, language) if isinstance(c, str) and c else ""
        for c, f in zip(plan["why"], plan["why_facts"], strict=True)
    ]


def plan_table_data(result: OptimiseResult, language: str | None = None) -> pd.DataFrame:
    """The plan per location (``result.tables["plan"]``) for the workbook: the reasons in words
    (:func:`model.reporting.plan.why_text`), without the JSON of their facts."""
    t = result.tables["plan"].copy()
    t["why"] = _why_words(t, language)
    return t.drop(columns=["why_facts"]).reset_index(drop=True)


def assumption_words(
    table: pd.DataFrame, budgets: dict[str, object], language: str | None = None
) -> list[str]:
    """The ``assumption`` column of a budget or money table (codes, ``;``-separated) in words:
    each code through :func:`model.reporting.notes_text.note_text` with the facts of its note in
    the budget of the row's portfolio (``budgets``: portfolio → :class:`model.budget.Budget`)."""
    from model.reporting.notes_text import note_text

    notes = {
        name: {n.code: n for ns in b.assumptions.values() for n in ns}  # type: ignore[attr-defined]
        for name, b in budgets.items()
    }
    cache: dict[tuple[str, str], str] = {}
    out = []
    for portfolio, codes in zip(table["portfolio"], table["assumption"], strict=True):
        codes = "" if not isinstance(codes, str) else codes
        key = (str(portfolio), codes)
        if key not in cache:
            known = notes.get(str(portfolio), {})
            cache[key] = " ".join(
                note_text(known[c], language) if c in known else c for c in codes.split(";") if c
            )
        out.append(cache[key])
    return out


def money_table_data(result: OptimiseResult, language: str | None = None) -> pd.DataFrame:
    """The plan's money per year and line (``result.money.table``) for the workbook: the
    assumptions behind each line in words instead of their codes."""
    t = result.money.table.copy()
    budgets = {"without_plan": result.money.without, "with_plan": result.money.with_plan}
    t["assumption"] = assumption_words(t, budgets, language)
    return t


def money_data(result: OptimiseResult) -> pd.DataFrame:
    """:func:`model.reporting.plan.money_display` as numbers: per line, the total over the horizon
    without and with the plan (median) and the plan's 80% band (€)."""
    rows = []
    for line in MONEY_ROWS:
        without = _money_total(result, "without_plan", line)
        with_ = _money_total(result, "with_plan", line)
        if not (np.abs(without).max() > 0 or np.abs(with_).max() > 0):
            continue
        p10, p50, p90 = np.quantile(with_, [0.1, 0.5, 0.9])
        rows.append(
            {
                "line": line,
                "without_plan_p50_eur": round(float(np.median(without))),
                "with_plan_p50_eur": round(float(p50)),
                "with_plan_p10_eur": round(float(p10)),
                "with_plan_p90_eur": round(float(p90)),
            }
        )
    return pd.DataFrame(rows)


def budget_data(result: OptimiseResult) -> pd.DataFrame:
    """Per portfolio (without, with the plan) and year: costs, income and net cost (mean over the
    paths, cash basis; net = costs − income), the net cost's 80% band and the net charges on the
    budget basis (capital charges instead of investments)."""
    t = result.money.table
    mean = t.pivot_table(index=["portfolio", "year"], columns="line", values="mean_eur")
    net = t[t["line"] == "net_cost"].set_index(["portfolio", "year"])
    out = pd.DataFrame(
        {
            "costs_eur": mean["costs_total"].round(),
            "income_eur": mean["income_total"].round(),
        }
    )
    out["net_cost_eur"] = out["costs_eur"] - out["income_eur"]
    out["net_cost_p10_eur"] = net["p10_eur"].round()
    out["net_cost_p90_eur"] = net["p90_eur"].round()
    if "net_cost_capital_basis" in mean:
        out["net_cost_capital_basis_eur"] = mean["net_cost_capital_basis"].round()
    out = out.reset_index()
    first = out["portfolio"].map({"without_plan": 0, "with_plan": 1}).fillna(2)
    return (
        out.assign(_first=first)
        .sort_values(["_first", "year"])
        .drop(columns="_first")
        .reset_index(drop=True)
    )


def mca_data(mca: pd.DataFrame) -> pd.DataFrame:
    """Per option, best first: its criterion values, the score per criterion, the total score, its
    rank and how stable that rank is under other weights (the weights: :func:`mca_weights`)."""
    used = [k for k in CRITERIA if f"score_{k}" in mca]
    columns = [
        "name",
        "status",
        "kind",
        "wijk_code",
        *[CRITERIA[k].column for k in used if CRITERIA[k].column in mca],
        *[f"score_{k}" for k in used],
        "score",
        "rank",
        *[c for c in ("rank_mean", "rank_first_share", "rank_kept_share") if c in mca],
    ]
    return mca.sort_values("rank")[[c for c in columns if c in mca]].reset_index(drop=True)


def mca_weights(mca: pd.DataFrame, directions: dict[str, str] | None = None) -> pd.DataFrame:
    """Per criterion of the MCA: its weight (together 100%), whether lower or higher is better,
    and the column of the MCA sheet that holds its values."""
    rows = [
        {
            "criterion": k,
            "weight_share": float(mca[f"weight_{k}_share"].iloc[0]),
            "direction": (directions or {}).get(k, CRITERIA[k].direction),
            "criterion_column": CRITERIA[k].column,
        }
        for k in CRITERIA
        if f"weight_{k}_share" in mca and len(mca)
    ]
    return pd.DataFrame(
        rows, columns=["criterion", "weight_share", "direction", "criterion_column"]
    )


def wijk_data(spread: pd.DataFrame) -> pd.DataFrame:
    """Per wijk: inhabitants, places (existing, planned, candidate), places per 1,000 inhabitants
    with and without the candidates, the threshold and whether the wijk lies above it."""
    columns = [
        "wijk_name",
        "wijk_code",
        "population_persons",
        "locations_counted",
        "places_existing",
        "places_planned",
        "places_candidate",
        "places_counted",
        "places_per_1000_persons",
        "places_per_1000_persons_with_candidates",
        "threshold_places_per_1000_persons",
        "above_threshold",
    ]
    return spread[[c for c in columns if c in spread]].reset_index(drop=True)


_UNIT_SUFFIXES = (
    # key suffix → (Dutch, English) unit of a case setting, longest first
    ("_places_per_1000_persons", ("plaatsen per 1.000 inwoners", "places per 1,000 inhabitants")),
    ("_eur_per_place_month", ("euro per plaats per maand", "euro per place per month")),
    ("_eur_per_place_year", ("euro per plaats per jaar", "euro per place per year")),
    ("_eur_per_place_day", ("euro per plaats per dag", "euro per place per day")),
    ("_dwellings_per_month", ("woningen per maand", "dwellings per month")),
    ("_places_per_unit", ("plaatsen per woning", "places per unit")),
    ("_eur_per_year", ("euro per jaar", "euro per year")),
    ("_eur", ("euro", "euro")),
    ("_persons", ("personen", "persons")),
    ("_places", ("plaatsen", "places")),
    ("_months", ("maanden", "months")),
    ("_years", ("jaren", "years")),
    ("_share", ("aandeel", "share")),
    ("_sd_log", ("standaardafwijking (log)", "standard deviation (log)")),
    ("_sd", ("standaardafwijking", "standard deviation")),
    ("weights", ("aandeel per criterium", "share per criterion")),
)


def setting_unit(key: str, value: object, language: str = "nl") -> str:
    """The unit of a case or scenario setting read from its key (``…_eur_per_year`` → euro per jaar),
    else 'keuze' for a choice and 'getal' for a plain number.

    >>> setting_unit("organisation.cost_per_fte_eur_per_year", "95000.0")
    'euro per jaar'
    >>> setting_unit("landelijk: taakstelling_link", "last_published", "en")
    'choice'
    """
    en = language == "en"
    for suffix, words in _UNIT_SUFFIXES:
        if key.endswith(suffix):
            return words[en]
    try:
        float(str(value))
    except ValueError:
        return "choice" if en else "keuze"
    return (
        ("yes/no" if en else "ja/nee")
        if str(value) in ("True", "False")
        else ("number" if en else "getal")
    )


def assumptions_data(
    table: pd.DataFrame, peildatum: str | None = None, language: str = "nl"
) -> pd.DataFrame:
    """:func:`model.reporting.assumptions.assumptions_table` for the workbook: every row with a unit
    (read from the setting's key where the table has none) and a date (the case file's settings
    and the register's figures, which carry none, hold on the ``peildatum``, 'YYYY-MM')."""
    out = table.copy()
    unit = out["eenheid"].fillna("").astype(str)
    value = out["waarde"].fillna("").astype(str)
    missing = (unit == "") & (value != "")
    out.loc[missing, "eenheid"] = [
        setting_unit(k, v, language)
        for k, v in zip(out.loc[missing, "onderwerp"], value[missing], strict=True)
    ]
    if peildatum:  # the case file's and the register's own figures hold on the peildatum
        out.loc[out["datum"].fillna("").astype(str) == "", "datum"] = peildatum
    return out
