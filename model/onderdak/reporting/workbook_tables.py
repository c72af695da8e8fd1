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

from onderdak.core.streams import STREAMS
from onderdak.portfolio.mca import CRITERIA
from onderdak.reporting import i18n
from onderdak.reporting.notes_text import note_text
from onderdak.reporting.plan import MONEY_ROWS
from onderdak.reporting.plan_tables import decide_by_after, money_total, why_text
from onderdak.reporting.scenarios import CHECK_MONTHS

if TYPE_CHECKING:
    from onderdak.pipeline.results import Results
    from onderdak.plan.build import OptimiseResult

SHEETS = (
    "scenario_table",
    "need_table",
    "taakstelling",
    "gap_summary",
    "plan_decisions",
    "plan_money",
    "plan_money_table",
    "budget_per_year",
    "begrotingswijziging",
    "risks",
    "plan_alternatives",
    "plan_tradeoff_table",
    "plan_table",
    "plan_shortfall",
    "alternatives",
    "signposts",
    "register_warnings",
    "key_assumptions",
    "assumptions",
    "mca",
    "mca_weights",
    "wijken",
    "thuis",
    "thuis_shortages",
    "thuis_costs",
    "thuis_services",
)
"""The recorded tables with a sheet name and a source (``sheet.name_<key>``, ``sheet.source_<key>``
in the message catalogs; a name fits Excel's 31 characters)."""
_TITLES = ("budget_per_year", "mca", "mca_weights", "wijken", "thuis_services")
"""Tables recorded for the workbook only, with a title (``sheet.title_<key>``)."""


def words(key: str, language: str = "nl") -> dict[str, str]:
    """Title and source of a table recorded for the workbook only, as keyword arguments."""
    return {
        "title": i18n.text(f"sheet.title_{key}", language),
        "source": sheet_source(key, language),
    }


def sheet_name(key: str, language: str = "nl") -> str | None:
    """The sheet name of a recorded table in the report language (None: not in :data:`SHEETS`)."""
    return i18n.text(f"sheet.name_{key}", language) if key in SHEETS else None


def sheet_source(key: str, language: str = "nl") -> str:
    """Where a sheet's figures come from, when the recorded table does not say ('' unknown)."""
    return i18n.text(f"sheet.source_{key}", language) if key in SHEETS else ""


def scenario_data(results: Results) -> pd.DataFrame:
    """:func:`onderdak.reporting.scenarios.scenario_table` as numbers: per scenario, stream and month
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
    """:func:`onderdak.reporting.plan_tables.decisions_display` as codes and numbers (``brief``: the
    locations the plan uses, without code, present cost and reason, as in the advice). The reason
    in words (:func:`onderdak.reporting.plan_tables.why_text`), its facts left out; with a ``peildatum``
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
    return [
        why_text(c, f, language) if isinstance(c, str) and c else ""
        for c, f in zip(plan["why"], plan["why_facts"], strict=True)
    ]


def plan_table_data(result: OptimiseResult, language: str | None = None) -> pd.DataFrame:
    """The plan per location (``result.tables["plan"]``) for the workbook: the reasons in words
    (:func:`onderdak.reporting.plan_tables.why_text`), without the JSON of their facts."""
    t = result.tables["plan"].copy()
    t["why"] = _why_words(t, language)
    return t.drop(columns=["why_facts"]).reset_index(drop=True)


def assumption_words(
    table: pd.DataFrame, budgets: dict[str, object], language: str | None = None
) -> list[str]:
    """The ``assumption`` column of a budget or money table (codes, ``;``-separated) in words:
    each code through :func:`onderdak.reporting.notes_text.note_text` with the facts of its note in
    the budget of the row's portfolio (``budgets``: portfolio → :class:`onderdak.portfolio.budget.Budget`)."""
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
    """:func:`onderdak.reporting.plan_tables.money_display` as numbers: per line, the total over the horizon
    without and with the plan (median) and the plan's 80% band (€)."""
    rows = []
    for line in MONEY_ROWS:
        without = money_total(result, "without_plan", line)
        with_ = money_total(result, "with_plan", line)
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
    # key suffix of a case setting with a unit (``setting_unit.<suffix>`` in the catalogs), longest first
    "_places_per_1000_persons",
    "_eur_per_place_month",
    "_eur_per_place_year",
    "_eur_per_place_day",
    "_dwellings_per_month",
    "_places_per_unit",
    "_eur_per_year",
    "_eur",
    "_persons",
    "_places",
    "_months",
    "_years",
    "_share",
    "_sd_log",
    "_sd",
    "weights",
)


def setting_unit(key: str, value: object, language: str = "nl") -> str:
    """The unit of a case or scenario setting read from its key (``…_eur_per_year`` → euro per jaar),
    else 'keuze' for a choice and 'getal' for a plain number.

    >>> setting_unit("organisation.cost_per_fte_eur_per_year", "95000.0")
    'euro per jaar'
    >>> setting_unit("landelijk: taakstelling_link", "last_published", "en")
    'choice'
    """
    for suffix in _UNIT_SUFFIXES:
        if key.endswith(suffix):
            return i18n.text(f"setting_unit.{suffix.lstrip('_')}", language)
    try:
        float(str(value))
    except ValueError:
        return i18n.text("setting_unit.is_choice", language)
    kind = "yes_no" if str(value) in ("True", "False") else "number"
    return i18n.text(f"setting_unit.is_{kind}", language)


def assumptions_data(
    table: pd.DataFrame, peildatum: str | None = None, language: str = "nl"
) -> pd.DataFrame:
    """:func:`onderdak.reporting.assumptions.assumptions_table` for the workbook: every row with a unit
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
