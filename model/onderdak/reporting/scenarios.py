"""Figures, tables and the Dutch narrative of the scenarios report (national drivers and municipal need)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from onderdak.core.streams import STREAMS
from onderdak.need.simulate import ScenarioRun
from onderdak.pipeline.results import Results
from onderdak.reporting import i18n
from onderdak.reporting.i18n import label
from onderdak.reporting.style import (
    ACCENT,
    BAND_ALPHA,
    NEUTRAL,
    STREAM_COLOURS,
    period_name,
    thousands,
)

SCENARIO_COLOURS = {
    "laag": "#6a9f58",
    "basis": "#1f5fa8",
    "midden": "#1f5fa8",
    "hoog": "#d9822b",
    "nieuwe_crisis": "#b22d2d",
    "einde_tijdelijke_bescherming": "#7b5ea7",
}

DRIVERS = (
    "first_applications_persons",
    "coa_required_places",
    "ukraine_goo_persons",
    "taakstelling_persons",
)
"""The national drivers of the driver fans, titled by ``scenarios.driver_<driver>``."""


def _fan(ax, x, values: np.ndarray, colour: str, language: str, bands: bool = True) -> None:
    q = np.quantile(values, [0.05, 0.10, 0.50, 0.90, 0.95], axis=0)
    if bands:
        ax.fill_between(
            x, q[0], q[4], color=colour, alpha=BAND_ALPHA[0], lw=0, label=label("band_90", language)
        )
        ax.fill_between(
            x, q[1], q[3], color=colour, alpha=BAND_ALPHA[1], lw=0, label=label("band_80", language)
        )
    ax.plot(x, q[2], color=colour, lw=2, label=label("median", language))


def _x(periods: pd.PeriodIndex) -> np.ndarray:
    return periods.to_timestamp().to_numpy()


def driver_fans(results: Results, scenario: str, language: str = "nl") -> Figure:
    """Fan charts of four national drivers for one scenario, with other scenarios' medians as lines."""
    run = results.runs[scenario]
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.4), sharex=True)
    x = _x(run.ensemble.periods)
    titles = {d: i18n.text(f"scenarios.driver_{d}", language) for d in DRIVERS}
    for ax, (driver, title) in zip(axes.flat, titles.items(), strict=True):
        _fan(ax, x, run.ensemble[driver], SCENARIO_COLOURS.get(scenario, NEUTRAL), language)
        for name, other in results.runs.items():
            if name != scenario:
                ax.plot(
                    x,
                    np.median(other.ensemble[driver], axis=0),
                    lw=1,
                    ls="--",
                    color=SCENARIO_COLOURS.get(name, NEUTRAL),
                    label=label(name, language),
                )
        ax.set_title(title, fontsize=10)
        ax.yaxis.set_major_formatter(FuncFormatter(thousands))
        ax.set_ylim(bottom=0)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 4), fontsize=8)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def need_fans(results: Results, scenario: str, language: str = "nl") -> Figure:
    """Municipal need per stream: bands for one scenario, medians of the other scenarios dashed."""
    run = results.runs[scenario]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.8), sharex=True)
    x = _x(run.need.periods)
    for ax, stream in zip(axes, STREAMS, strict=True):
        _fan(ax, x, run.need.streams[stream], STREAM_COLOURS[stream], language)
        for name, other in results.runs.items():
            if name != scenario:
                ax.plot(
                    x,
                    np.median(other.need.streams[stream], axis=0),
                    lw=1,
                    ls="--",
                    color=SCENARIO_COLOURS.get(name, NEUTRAL),
                    label=label(name, language),
                )
        ax.set_title(label(stream, language), fontsize=10)
        ax.set_ylabel(label(run.need.units[stream], language))
        ax.set_ylim(bottom=0)
        ax.tick_params(axis="x", labelrotation=45)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 4), fontsize=8)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig


def taakstelling_table(results: Results, scenario: str) -> pd.DataFrame:
    """Municipal taakstelling and backlog per half-year (persons), p10/p50/p90."""
    t = results.tables["taakstelling"]
    t = t[(t["scenario"] == scenario) & (t["months_in_horizon"] == 6)]
    wide = t.pivot(index="half_year", columns="level", values=["p10", "p50", "p90"])
    out = pd.DataFrame(
        {
            "halfjaar": wide.index,
            "taakstelling_nl_personen_p50": wide[("p50", "national")].to_numpy(),
            "taakstelling_gemeente_personen_p10": wide[("p10", "municipal")].to_numpy(),
            "taakstelling_gemeente_personen_p50": wide[("p50", "municipal")].to_numpy(),
            "taakstelling_gemeente_personen_p90": wide[("p90", "municipal")].to_numpy(),
            "achterstand_eind_personen_p50": wide[("p50", "municipal_backlog_end")].to_numpy(),
        }
    )
    return out.round(1).reset_index(drop=True)


def taakstelling_display(results: Results, scenario: str, language: str = "nl") -> pd.DataFrame:
    """:func:`taakstelling_table` for the reader: half-years and column headers in words."""
    t = taakstelling_table(results, scenario)
    columns = {
        "halfjaar": "half_year",
        "taakstelling_nl_personen_p50": "national_p50",
        "taakstelling_gemeente_personen_p10": "municipal_p10",
        "taakstelling_gemeente_personen_p50": "municipal_p50",
        "taakstelling_gemeente_personen_p90": "municipal_p90",
        "achterstand_eind_personen_p50": "backlog_p50",
    }
    t["halfjaar"] = t["halfjaar"].map(lambda h: half_year_name(h, language))
    return t.rename(
        columns={c: i18n.text(f"scenarios.col_{k}", language) for c, k in columns.items()}
    )


def half_year_name(half_year: str, language: str = "nl") -> str:
    """'2027-I' → '1e halfjaar 2027' ('first half of 2027' in English); other text as given."""
    year, _, half = str(half_year).partition("-")
    if not year.isdigit() or half not in ("I", "II"):
        return str(half_year)
    return i18n.text("scenarios.half_year", language, year=int(year), half=len(half))


def taakstelling_bars(results: Results, scenario: str, language: str = "nl") -> Figure:
    """Municipal taakstelling per half-year (median with 80% band) and the backlog at its end."""
    t = taakstelling_table(results, scenario)
    fig, ax = plt.subplots(figsize=(10, 3.8))
    pos = np.arange(len(t))
    med = t["taakstelling_gemeente_personen_p50"]
    err = [
        med - t["taakstelling_gemeente_personen_p10"],
        t["taakstelling_gemeente_personen_p90"] - med,
    ]
    ax.bar(
        pos,
        med,
        color=STREAM_COLOURS["status_holders"],
        yerr=err,
        capsize=3,
        ecolor=NEUTRAL,
        label=i18n.text("scenarios.w_taakstelling", language),
    )
    ax.plot(
        pos,
        t["achterstand_eind_personen_p50"],
        color=ACCENT,
        marker="o",
        lw=1.5,
        label=i18n.text("scenarios.w_backlog", language),
    )
    ax.set_xticks(pos, t["halfjaar"], rotation=45)
    ax.set_ylabel(label("persons", language))
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


CHECK_MONTHS = ("2027-01", "2030-01")


def scenario_table(results: Results) -> pd.DataFrame:
    """Per scenario and stream: median need (80% band) at the start, in 2027, 2030 and at the end."""
    rows = []
    for name, run in results.runs.items():
        labels = list(run.need.periods.strftime("%Y-%m"))
        months = [labels[0], *[m for m in CHECK_MONTHS if m in labels], labels[-1]]
        for stream in STREAMS:
            v = run.need.streams[stream]
            row = {"scenario": name, "doelgroep": stream, "eenheid": run.need.units[stream]}
            for m in months:
                col = v[:, labels.index(m)]
                q10, q50, q90 = np.quantile(col, [0.1, 0.5, 0.9])
                row[m] = f"{thousands(q50)} ({thousands(q10)}–{thousands(q90)})"
            rows.append(row)
    return pd.DataFrame(rows)


def scenario_display(results: Results, language: str = "nl") -> pd.DataFrame:
    """:func:`scenario_table` for the reader: scenario, target group and unit in words, months named."""
    t = scenario_table(results)
    t["scenario"] = t["scenario"].map(lambda v: label(v, language))
    t["doelgroep"] = t["doelgroep"].map(lambda v: label(v, language).split(" (")[0])
    t["eenheid"] = t["eenheid"].map(lambda v: label(v, language))
    names = {
        "scenario": i18n.text("scenarios.col_scenario", language),
        "doelgroep": i18n.text("scenarios.col_target_group", language),
        "eenheid": i18n.text("scenarios.col_unit", language),
    }
    names.update({c: period_name(c, language) for c in t.columns if c not in names})
    return t.rename(columns=names)


def backtest_figure(table: pd.DataFrame, mpp: pd.DataFrame, language: str = "nl") -> Figure:
    """Rolling-origin forecasts (80% and 95% intervals) against outcomes, with published MPP ranges."""
    fig, ax = plt.subplots(figsize=(10, 4))
    x = table["target_year"].to_numpy()
    ax.fill_between(
        x,
        table["p025"],
        table["p975"],
        color=NEUTRAL,
        alpha=0.15,
        lw=0,
        label=i18n.text("scenarios.w_interval", language, pct=95),
    )
    ax.fill_between(
        x,
        table["p10"],
        table["p90"],
        color=NEUTRAL,
        alpha=0.3,
        lw=0,
        label=i18n.text("scenarios.w_interval", language, pct=80),
    )
    ax.plot(
        x,
        table["observed_persons"],
        "o-",
        color="black",
        label=i18n.text("scenarios.w_outcome", language),
    )
    ax.plot(
        x,
        table["naive_persons"],
        ":",
        color=NEUTRAL,
        label=i18n.text("scenarios.w_naive", language),
    )
    ranged = mpp.dropna(subset=["high_persons"])
    for i, (_, r) in enumerate(ranged.iterrows()):
        lo = r["low_persons"] if not pd.isna(r["low_persons"]) else r["high_persons"]
        ax.vlines(
            r["for_year"] + 0.08 * (i % 4 - 1.5),
            lo,
            r["high_persons"],
            color=ACCENT,
            lw=3,
            alpha=0.7,
            label=i18n.text("scenarios.w_mpp_range", language) if i == 0 else None,
        )
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(thousands))
    ax.set_ylabel(i18n.text("scenarios.w_inflow_axis", language))
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def narrative(
    results: Results, scenario: str, backtest_scores: dict[str, float], language: str = "nl"
) -> str:
    """A short narrative generated from the numbers (Markdown), Dutch by default."""
    run: ScenarioRun = results.runs[scenario]
    s = results.summary["scenarios"][scenario]["streams"]
    case = run.case
    ua, asy, sh = s["ukraine"], s["asylum"], s["status_holders"]
    end = period_name(str(run.need.periods[-1]), language)
    cov80 = backtest_scores["coverage_80_share"] * 100
    n = int(backtest_scores.get("forecasts", 0))
    inside = round(backtest_scores["coverage_80_share"] * n)
    lo = backtest_scores.get("coverage_80_ci_low_share", float("nan")) * 100
    hi = backtest_scores.get("coverage_80_ci_high_share", float("nan")) * 100
    skill = backtest_scores["skill_share"]
    # a verdict on the width only when the coverage differs significantly from 80% (binomial test)
    significant = backtest_scores.get("coverage_80_p_value", 1.0) < 0.05
    verdict = ("wide" if cov80 > 80 else "narrow") if significant else ""
    facts = {
        "scenario": scenario,
        "national": results.summary["scenarios"][scenario]["national_scenario"],
        "municipality": case.municipality.name,
        "end": end,
        "ua": ua,
        "asy": asy,
        "sh": sh,
    }
    need = i18n.text("scenarios.narrative_need", language, **facts)
    backtest = i18n.text(
        "scenarios.narrative_backtest",
        language,
        inside=inside,
        n=n,
        cov80=cov80,
        lo=lo,
        hi=hi,
        verdict=verdict,
        skill=skill,
    )
    return need + "\n\n" + backtest


def headline(results: Results, scenario: str, language: str = "nl") -> tuple[str, dict[str, str]]:
    """The key message and its headline numbers for the first page."""
    s = results.summary["scenarios"][scenario]["streams"]
    name = results.runs[scenario].case.municipality.name
    end = str(results.runs[scenario].need.periods[-1])[:4]
    facts = {
        "name": name,
        "end": end,
        "ua": s["ukraine"],
        "asy": s["asylum"],
        "sh": s["status_holders"],
    }
    text = i18n.text("scenarios.headline", language, **facts)
    keys = [i18n.text(f"scenarios.key_{k}", language, end=end) for k in ("ua", "asy", "sh")]
    numbers = {
        keys[0]: i18n.text("scenarios.number_places", language, n=s["ukraine"]["start_p50"]),
        keys[1]: i18n.text("scenarios.number_places", language, n=s["asylum"]["start_p50"]),
        keys[2]: i18n.text(
            "scenarios.number_range",
            language,
            p10=s["status_holders"]["end_p10"],
            p50=s["status_holders"]["end_p50"],
            p90=s["status_holders"]["end_p90"],
        ),
    }
    return text, numbers
