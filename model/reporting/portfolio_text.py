"""The Dutch (or English) words of the portfolio report: key message and narrative, generated from the numbers."""

from __future__ import annotations

import numpy as np

from model import STREAMS
from model.portfolio import PortfolioAnalysis
from model.reporting.i18n import millions
from model.reporting.portfolio import assumptions
from model.reporting.style import euro, label, percent, period_name, stream_name, thousands

UNIT_MONTHS = {
    "nl": {"places": "plaatsmaanden", "dwellings": "woningmaanden"},
    "en": {"places": "place-months", "dwellings": "dwelling-months"},
}


def _unit_months(unit: str, language: str) -> str:
    return UNIT_MONTHS.get(language, UNIT_MONTHS["nl"]).get(unit, f"{unit}-months")


def horizon_money(analysis: PortfolioAnalysis, portfolio: str = "committed") -> dict[str, float]:
    """Net cost, costs and income over the whole horizon: mean and 10/50/90% across paths (EUR)."""
    b = analysis.runs[portfolio].budget
    out: dict[str, float] = {}
    for line in ("costs_total", "income_total", "net_cost"):
        per_path = b.portfolio_total(line).sum(axis=1)
        out[f"{line}_mean"] = float(per_path.mean())
        for q in (0.10, 0.50, 0.90):
            out[f"{line}_p{round(q * 100)}"] = float(np.quantile(per_path, q))
    return out


def headline(analysis: PortfolioAnalysis, language: str = "nl") -> tuple[str, dict[str, str]]:
    """The key message of the portfolio report and up to four headline numbers."""
    s = analysis.tables["gap_summary"].set_index(["portfolio", "stream"])
    money = horizon_money(analysis)
    first = s.loc["committed"]["first_month_risk_over_10pct"]
    risky = first[first != ""].sort_values()
    en = language == "en"
    if risky.empty:
        text = (
            "The existing and planned locations cover the need in nine of ten simulated futures throughout the horizon."
            if en
            else "De bestaande en geplande locaties dekken de behoefte in negen van de tien gesimuleerde toekomsten over de hele periode."
        )
    else:
        stream, month = risky.index[0], risky.iloc[0]
        text = (
            f"With the existing and planned locations the chance of a shortfall in a month for {stream_name(stream, language)} exceeds 10% from {period_name(month, language)}."
            if en
            else f"Met de bestaande en geplande locaties is de kans op een tekort in een maand voor {stream_name(stream, language)} vanaf {period_name(month, language)} groter dan 10%."
        )
    years = f"{analysis.need.periods[0].year}–{analysis.need.periods[-1].year}"
    text += (
        f" Net cost to the municipality {years}: {euro(money['net_cost_p50'] / 1e6, 1)} million (80% band {euro(money['net_cost_p10'] / 1e6, 1)}–{euro(money['net_cost_p90'] / 1e6, 1)} million)."
        if en
        else f" Netto kosten voor de gemeente {years}: {millions(money['net_cost_p50'])} (80%-band {euro(money['net_cost_p10'] / 1e6, 1)}–{millions(money['net_cost_p90'])})."
    )
    numbers: dict[str, str] = {}
    for stream in [x for x in STREAMS if x in s.loc["committed"].index][:3]:
        key = (
            f"Hoogste kans op een tekort in één maand, {stream_name(stream, language)}"
            if not en
            else f"Highest chance of a shortfall in one month, {stream_name(stream, language)}"
        )
        numbers[key] = percent(s.loc[("committed", stream), "max_shortfall_probability_share"])
    numbers["Netto kosten (mediaan)" if not en else "Net cost (median)"] = (
        f"{millions(money['net_cost_p50'])}"
    )
    return text, numbers


def narrative(analysis: PortfolioAnalysis, language: str = "nl") -> str:
    """A short narrative (Markdown) generated from the numbers: per stream the gap, then the money and the caveats."""
    en = language == "en"
    s = analysis.tables["gap_summary"].set_index(["portfolio", "stream"])
    g = analysis.tables["gap"]
    need = analysis.need
    paras = []
    for stream in [x for x in STREAMS if x in need.streams]:
        unit = label(need.units.get(stream, "places"), language)
        months = _unit_months(need.units.get(stream, "places"), language)
        q = np.quantile(need.streams[stream][:, [0, -1]], [0.1, 0.5, 0.9], axis=0)
        c, w = s.loc[("committed", stream)], s.loc[("with_candidates", stream)]
        cap0 = g[(g["portfolio"] == "committed") & (g["stream"] == stream)]["capacity"].to_numpy()
        name = label(stream, language)
        if en:
            text = (
                f"**{name}.** Need starts at {thousands(q[1, 0])} {unit} and ends at {thousands(q[1, 1])} "
                f"(80% band {thousands(q[0, 1])}–{thousands(q[2, 1])}); existing and planned capacity goes from "
                f"{thousands(cap0[0])} to {thousands(cap0[-1])}. "
            )
            text += (
                f"The chance of a shortfall in a single month first exceeds 10% in {period_name(c['first_month_risk_over_10pct'], language)} "
                f"(at most {percent(c['max_shortfall_probability_share'])} in one month); expected shortfall over the horizon "
                f"{thousands(c['shortfall_unit_months_mean'])} {months}, "
                f"{thousands(w['shortfall_unit_months_mean'])} with all candidates."
                if c["first_month_risk_over_10pct"]
                else "The chance of a shortfall stays below 10% in every month."
            )
            text += f" Paid-for empty capacity: {thousands(c['empty_unit_months_mean'])} {months}."
        else:
            text = (
                f"**{name}.** De behoefte begint bij {thousands(q[1, 0])} {unit} en eindigt bij {thousands(q[1, 1])} "
                f"(80%-band {thousands(q[0, 1])}–{thousands(q[2, 1])}); de capaciteit van bestaande en geplande locaties "
                f"gaat van {thousands(cap0[0])} naar {thousands(cap0[-1])}. "
            )
            text += (
                f"De kans op een tekort in één maand is voor het eerst groter dan 10% in {period_name(c['first_month_risk_over_10pct'], language)} "
                f"(hoogstens {percent(c['max_shortfall_probability_share'])} in één maand); het verwachte tekort over de hele periode is "
                f"{thousands(c['shortfall_unit_months_mean'])} {months}, met alle kandidaten "
                f"{thousands(w['shortfall_unit_months_mean'])}."
                if c["first_month_risk_over_10pct"]
                else "De kans op een tekort blijft elke maand onder 10%."
            )
            text += f" Betaalde leegstand: {thousands(c['empty_unit_months_mean'])} {months}."
        paras.append(text)
    money = horizon_money(analysis)
    years = f"{need.periods[0].year}–{need.periods[-1].year}"
    locs = analysis.tables["locations"]
    goo = locs[
        (locs["portfolio"] == "committed")
        & (locs["streams"] == "ukraine")
        & (locs["kind"] != "private_hosts")
    ]
    goo_days = goo["occupied_place_days_mean"].sum()
    goo_cost = goo["cost_eur_per_occupied_place_day"].mul(
        goo["occupied_place_days_mean"]
    ).sum() / max(goo_days, 1e-9)
    ref = analysis.tables["cost_comparison"].set_index("key")["eur_per_place_day"]
    norm = float(ref.get("goo_normbedrag_2025", np.nan))
    if en:
        paras.append(
            f"**Money ({years}, existing and planned locations).** Costs {euro(money['costs_total_mean'] / 1e6, 1)} million, "
            f"income from the Rijk and COA {euro(money['income_total_mean'] / 1e6, 1)} million, net cost "
            f"{euro(money['net_cost_p50'] / 1e6, 1)} million (80% band {euro(money['net_cost_p10'] / 1e6, 1)}–{euro(money['net_cost_p90'] / 1e6, 1)} million)."
            + (
                f" Municipal reception of Ukrainians costs {euro(goo_cost)} per occupied place-day against a normbedrag of {euro(norm)}."
                if goo_days > 0
                else ""
            )
        )
    else:
        paras.append(
            f"**Geld ({years}, bestaande en geplande locaties).** Kosten {millions(money['costs_total_mean'])}, "
            f"inkomsten van Rijk en COA {millions(money['income_total_mean'])}, netto kosten "
            f"{millions(money['net_cost_p50'])} (80%-band {euro(money['net_cost_p10'] / 1e6, 1)}–{millions(money['net_cost_p90'])})."
            + (
                f" De gemeentelijke opvang van Oekraïners kost {euro(goo_cost)} per bezette plaatsdag, tegen een normbedrag van {euro(norm)}."
                if goo_days > 0
                else ""
            )
        )
    notes = assumptions(analysis)
    if notes:
        paras.append(
            f"The budget rests on {_count(len(notes), 'assumption', 'assumptions')}; see the "
            "appendix."
            if en
            else f"De begroting rust op {_count(len(notes), 'aanname', 'aannames')}; zie de bijlage."
        )
    if analysis.register.warnings or analysis.register.notes:
        n = len(analysis.register.warnings) + len(analysis.register.notes)
        paras.append(
            f"The location register gives {_count(n, 'point', 'points')} to check; see the section "
            "on risks."
            if en
            else f"Het locatieregister geeft {_count(n, 'punt', 'punten')} om te controleren; zie "
            "de paragraaf over risico's."
        )
    return "\n\n".join(paras)


def _count(n: int, one: str, many: str) -> str:
    """'1 aanname', '13 aannames': a count with its noun in the right number."""
    return f"{n} {one if n == 1 else many}"
