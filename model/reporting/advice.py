"""The bestuurlijk advies: one computation of every stage for a case, its key message and the decisions asked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from model.business_case import BusinessCase, load_business_case
from model.portfolio import PortfolioAnalysis, analyse_portfolio
from model.reporting.portfolio_text import horizon_money
from model.reporting.style import euro, label
from model.results import Results, resolve_case_path, run_case


@dataclass
class Advice:
    """Everything the advice shows, computed once: scenarios, portfolio, business case (and plan)."""

    scenario: str
    results: Results
    portfolio: PortfolioAnalysis
    business_case: BusinessCase | None
    plan: Any = None

    @property
    def case(self):
        return self.results.runs[self.scenario].case


def prepare_advice(case_path: str | Path, scenario: str = "basis", paths: int = 1000, seed: int = -1) -> Advice:
    """Run every stage of the pipeline for the advice (all scenarios; portfolio and money for ``scenario``)."""
    case_path = resolve_case_path(case_path)
    results = run_case(case_path, paths=paths, seed=seed)
    run = results.runs[scenario]
    portfolio = analyse_portfolio(run.case, run.need, results.register)
    bc = None
    if getattr(run.case, "business_case", None) is not None and run.case.business_case.location_id:
        bc = load_business_case(case_path, None, scenario, paths, seed)
    return Advice(scenario=scenario, results=results, portfolio=portfolio, business_case=bc)


def _n(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".")


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _risk(advice: Advice, portfolio: str = "committed") -> tuple[str, float, str]:
    """The stream with the highest shortfall probability, that probability and its first risky month."""
    s = advice.portfolio.tables["gap_summary"]
    s = s[s["portfolio"] == portfolio].set_index("stream")
    stream = str(s["max_shortfall_probability_share"].astype(float).idxmax())
    return stream, float(s.loc[stream, "max_shortfall_probability_share"]), str(s.loc[stream, "first_month_risk_over_10pct"])


def headline(advice: Advice, language: str = "nl") -> tuple[str, dict[str, str]]:
    """The key message of the advice and its three figures that matter."""
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    places_now = s["ukraine"]["start_p50"] + s["asylum"]["start_p50"]
    stream, p_short, first = _risk(advice)
    p_with = _risk(advice, "with_candidates")[1]
    money = horizon_money(advice.portfolio)
    name = advice.case.municipality.name
    years = f"{advice.portfolio.need.periods[0].year}–{advice.portfolio.need.periods[-1].year}"
    stream_nl = label(stream, language).split(" (")[0].lower()
    if language == "en":
        text = (
            f"{name} needs about {_n(places_now)} reception places now. With the current and planned locations the "
            f"chance of a shortfall for {stream_nl} reaches {_pct(p_short)}"
            + (f", first above 10% in {first}" if first else "")
            + f"; with the candidate locations it falls to {_pct(p_with)}. Net cost {years}: "
            f"{euro(money['net_cost_p50'] / 1e6, 1)} million (median)."
        )
        keys = ("Reception places needed now", f"Max. chance of shortfall ({stream_nl})", f"Net municipal cost {years}")
    else:
        text = (
            f"{name} heeft nu ongeveer {_n(places_now)} opvangplaatsen nodig. Met de huidige en geplande locaties loopt de "
            f"kans op een tekort voor {stream_nl} op tot {_pct(p_short)}"
            + (f", voor het eerst boven 10% in {first}" if first else "")
            + f"; met de kandidaat-locaties daalt die naar {_pct(p_with)}. Netto kosten {years}: "
            f"{euro(money['net_cost_p50'] / 1e6, 1)} mln (mediaan)."
        )
        keys = ("Opvangplaatsen nodig nu", f"Max. kans op tekort ({stream_nl})", f"Netto kosten gemeente {years}")
    numbers = {
        keys[0]: _n(places_now),
        keys[1]: f"{_pct(p_short)} → {_pct(p_with)}",
        keys[2]: f"{euro(money['net_cost_p50'] / 1e6, 1)} mln",
    }
    return text, numbers


def decision_points(advice: Advice, language: str = "nl") -> list[str]:
    """The besluitpunten asked of the college, derived from the numbers of this run."""
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    reg = advice.portfolio.register.table
    candidates = reg[reg["status"] == "candidate"]
    _, p_short, _ = _risk(advice)
    p_with = _risk(advice, "with_candidates")[1]
    money = horizon_money(advice.portfolio)
    items = [
        (
            f"Kennis te nemen van de behoefte: nu {_n(s['ukraine']['start_p50'])} plaatsen voor Oekraïners, "
            f"{_n(s['asylum']['start_p50'])} asielplaatsen (Spreidingswet) en in {advice.portfolio.need.periods[-1].year} "
            f"{_n(s['status_holders']['end_p50'])} extra woningen voor statushouders (mediaan)."
        ),
        (
            f"In te stemmen met het voorbereiden van {len(candidates)} kandidaat-locaties "
            f"({_n(candidates['capacity_places'].sum())} plaatsen), waarmee de kans op een tekort daalt van "
            f"{_pct(p_short)} naar {_pct(p_with)}."
        ),
    ]
    bc = advice.business_case
    if bc is not None:
        from model.reporting.business_case import alternative_labels, ranking

        best = alternative_labels(bc)[ranking(bc)[0]]
        items.append(
            f"Voor locatie {bc.location_id} te kiezen voor het alternatief '{best}' en de herbestemming na de opvang "
            f"nu al vast te leggen (zie business case)."
        )
    items.append(
        f"Een netto budget te reserveren van {euro(money['net_cost_p50'] / 1e6, 1)} mln over de periode "
        f"(80%-band {euro(money['net_cost_p10'] / 1e6, 1)}–{euro(money['net_cost_p90'] / 1e6, 1)} mln), na de vergoeding van het Rijk."
    )
    items.append("De signaalwaarden in dit advies halfjaarlijks te laten rapporteren en het advies na elke MPP te herijken.")
    return items  # the formal text of besluitpunten is Dutch, also in an English report


def risk_by_stream(advice: Advice) -> dict[str, float]:
    """Highest monthly shortfall probability per stream for the committed portfolio."""
    s = advice.portfolio.tables["gap_summary"]
    s = s[s["portfolio"] == "committed"]
    return {str(r.stream): float(np.round(r.max_shortfall_probability_share, 3)) for r in s.itertuples()}
