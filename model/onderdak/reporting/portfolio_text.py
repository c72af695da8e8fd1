"""The Dutch (or English) words of the portfolio report: key message and narrative, generated from the numbers."""

from __future__ import annotations

import numpy as np

from onderdak.core.streams import STREAMS
from onderdak.portfolio.analysis import PortfolioAnalysis
from onderdak.reporting import i18n
from onderdak.reporting.i18n import label, millions
from onderdak.reporting.portfolio import assumptions
from onderdak.reporting.style import percent


def _unit_months(unit: str, language: str) -> str:
    return i18n.text("portfolio_text.unit_months", language, unit=unit)


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
    if risky.empty:
        text = i18n.text("portfolio_text.headline_covered", language)
    else:
        text = i18n.text(
            "portfolio_text.headline_risk", language, stream=risky.index[0], month=risky.iloc[0]
        )
    years = f"{analysis.need.periods[0].year}–{analysis.need.periods[-1].year}"
    text += " " + i18n.text(
        "portfolio_text.headline_money",
        language,
        years=years,
        p10=money["net_cost_p10"],
        p50=money["net_cost_p50"],
        p90=money["net_cost_p90"],
    )
    numbers: dict[str, str] = {}
    for stream in [x for x in STREAMS if x in s.loc["committed"].index][:3]:
        key = i18n.text("portfolio_text.number_risk", language, stream=stream)
        numbers[key] = percent(s.loc[("committed", stream), "max_shortfall_probability_share"])
    numbers[i18n.text("portfolio_text.number_net_cost", language)] = (
        f"{millions(money['net_cost_p50'])}"
    )
    return text, numbers


def narrative(analysis: PortfolioAnalysis, language: str = "nl") -> str:
    """A short narrative (Markdown) generated from the numbers: per stream the gap, then the money and the caveats."""
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
        text = i18n.text(
            "portfolio_text.stream_need",
            language,
            name=label(stream, language),
            unit=unit,
            start=q[1, 0],
            end=q[1, 1],
            low=q[0, 1],
            high=q[2, 1],
            cap_start=cap0[0],
            cap_end=cap0[-1],
        )
        if c["first_month_risk_over_10pct"]:
            text += " " + i18n.text(
                "portfolio_text.stream_risk",
                language,
                month=c["first_month_risk_over_10pct"],
                max_share=c["max_shortfall_probability_share"],
                shortfall=c["shortfall_unit_months_mean"],
                shortfall_candidates=w["shortfall_unit_months_mean"],
                months=months,
            )
        else:
            text += " " + i18n.text("portfolio_text.stream_no_risk", language)
        text += " " + i18n.text(
            "portfolio_text.stream_empty",
            language,
            empty=c["empty_unit_months_mean"],
            months=months,
        )
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
    paras.append(
        i18n.text(
            "portfolio_text.money",
            language,
            years=years,
            costs=money["costs_total_mean"],
            income=money["income_total_mean"],
            p10=money["net_cost_p10"],
            p50=money["net_cost_p50"],
            p90=money["net_cost_p90"],
        )
        + (
            " " + i18n.text("portfolio_text.money_goo", language, cost=goo_cost, norm=norm)
            if goo_days > 0
            else ""
        )
    )
    notes = assumptions(analysis)
    if notes:
        paras.append(i18n.text("portfolio_text.assumptions", language, n=len(notes)))
    if analysis.register.warnings or analysis.register.notes:
        n = len(analysis.register.warnings) + len(analysis.register.notes)
        paras.append(i18n.text("portfolio_text.register_points", language, n=n))
    return "\n\n".join(paras)
