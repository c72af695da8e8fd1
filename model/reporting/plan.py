"""Figures and the Dutch narrative of the investment plan: timeline, trade-off, regret, capacity."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from model.plan_case import OptimiseResult
from model.reporting.portfolio import short_name
from model.reporting.style import (
    ACCENT,
    BAND_ALPHA,
    NEUTRAL,
    STREAM_COLOURS,
    euro,
    label,
    percent,
    thousands,
)

MILLION = 1e6
ACTION_COLOURS = {"keep": "#2f4b7c", "open": "#3a8f5c", "close": ACCENT, "convert": "#d9822b"}
WORDS = {
    "nl": {
        "keep": "behouden",
        "open": "openen",
        "close": "sluiten",
        "convert": "herbestemmen",
        "reject": "niet gebruiken",
        "decide_by": "besluit uiterlijk",
        "quarter": "kwartaal",
        "places": "plaatsen",
        "cost_m": "verwachte netto kosten (mln €, contante waarde)",
        "capex_m": "investering (mln €)",
        "short": "kans op een tekort (alle paden)",
        "chosen": "gekozen",
        "regret_m": "spijt (mln €)",
        "scenario": "scenario's, van lage naar hoge behoefte (breedte: gewicht)",
        "expected": "verwacht",
        "capacity": "capaciteit van het plan",
        "median": "behoefte, mediaan",
        "band": "behoefte, 80%- en 90%-band",
    },
    "en": {
        "keep": "keep",
        "open": "open",
        "close": "close",
        "convert": "convert",
        "reject": "not used",
        "decide_by": "decide by",
        "quarter": "quarter",
        "places": "places",
        "cost_m": "expected net cost (€ m, present value)",
        "capex_m": "investment (€ m)",
        "short": "chance of a shortfall (all paths)",
        "chosen": "chosen",
        "regret_m": "regret (€ m)",
        "scenario": "scenarios, from low to high need (width: weight)",
        "expected": "expected",
        "capacity": "capacity of the plan",
        "median": "need, median",
        "band": "need, 80% and 90% band",
    },
}


def _w(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["nl"])


def plan_timeline(result: OptimiseResult, language: str = "nl") -> Figure:
    """Gantt chart: each location used by the plan, in service per quarter, coloured by action.

    A diamond marks the month a decision to open must be taken (opening quarter minus lead time).
    """
    w = _w(language)
    table = result.tables["plan"]
    used = table[table["action"] != "reject"].iloc[::-1]
    p = result.portfolio
    index = {loc: i for i, loc in enumerate(p.ids)}
    starts = p.quarters.start_time
    width = np.diff(np.r_[starts.to_numpy(), p.quarters[-1].end_time.to_datetime64()])
    fig, ax = plt.subplots(figsize=(9.0, 0.45 * len(used) + 1.6))
    for row_no, (_, row) in enumerate(used.iterrows()):
        i = index[row["location_id"]]
        on = np.flatnonzero(result.plan.in_service[i])
        if len(on):
            ax.barh(
                row_no,
                width[on].sum(),
                left=starts[on[0]],
                height=0.6,
                color=ACTION_COLOURS[row["action"]],
            )
        if row["decide_by"]:
            when = pd.Period(row["decide_by"], freq="M").start_time
            ax.plot([when], [row_no], marker="D", color=NEUTRAL, markersize=5)
    ax.set_yticks(
        range(len(used)), [f"{r.location_id} {short_name(r.name, 40)}" for r in used.itertuples()]
    )
    ax.set_xlim(starts[0], p.quarters[-1].end_time)
    ax.grid(axis="y", visible=False)
    handles = [
        Patch(color=c, label=w[a]) for a, c in ACTION_COLOURS.items() if a in set(used["action"])
    ]
    handles.append(
        plt.Line2D([], [], marker="D", color=NEUTRAL, linestyle="", label=w["decide_by"])
    )
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(handles))
    fig.tight_layout()
    return fig


def capacity_vs_need(result: OptimiseResult, language: str = "nl") -> Figure:
    """Per stream: the plan's capacity per quarter against the quarterly need of all paths (bands)."""
    w = _w(language)
    need = result.need
    x = need.quarters.start_time
    fig, axes = plt.subplots(1, len(need.streams), figsize=(9.0, 3.6), sharey=False, squeeze=False)
    for si, (ax, stream) in enumerate(zip(axes[0], need.streams, strict=True)):
        values = need.places[:, :, si]
        q = np.quantile(values, [0.05, 0.10, 0.5, 0.90, 0.95], axis=0)
        colour = STREAM_COLOURS.get(stream, NEUTRAL)
        ax.fill_between(x, q[0], q[4], step="post", color=colour, alpha=BAND_ALPHA[0], lw=0)
        ax.fill_between(
            x, q[1], q[3], step="post", color=colour, alpha=BAND_ALPHA[1], lw=0, label=w["band"]
        )
        ax.step(x, q[2], where="post", color=colour, lw=1.2, label=w["median"])
        ax.step(
            x,
            result.plan.capacity_places[si],
            where="post",
            color="black",
            lw=2,
            label=w["capacity"],
        )
        ax.set_title(label(stream, language), fontsize=10)
        ax.xaxis.set_major_locator(mdates.YearLocator(2))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.yaxis.set_major_formatter(FuncFormatter(thousands))
        ax.set_ylabel(w["places"])
    axes[0][0].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def tradeoff_figure(result: OptimiseResult, language: str = "nl") -> Figure:
    """Expected cost and investment against the chance of a shortfall, one point per reliability level."""
    w = _w(language)
    t = result.tables["tradeoff"]
    t = t[t["feasible"]].sort_values("shortfall_probability_share")
    chosen = result.summary["reliability_share"]
    fig, ax = plt.subplots()
    ax.plot(
        t["shortfall_probability_share"],
        t["expected_cost_eur"] / MILLION,
        "-o",
        color=NEUTRAL,
        label=w["cost_m"],
    )
    ax.plot(
        t["shortfall_probability_share"],
        t["capex_eur"] / MILLION,
        "--s",
        color="#7aa6c2",
        label=w["capex_m"],
    )
    for r in t.itertuples():
        ax.annotate(
            f"{r.reliability_share:.0%}",
            (r.shortfall_probability_share, r.expected_cost_eur / MILLION),
            textcoords="offset points",
            xytext=(4, 6),
            fontsize=8,
        )
    pick = t[np.isclose(t["reliability_share"], chosen)]
    if len(pick):
        ax.plot(
            pick["shortfall_probability_share"],
            pick["expected_cost_eur"] / MILLION,
            "o",
            ms=12,
            mfc="none",
            mec=ACCENT,
            mew=2,
            label=w["chosen"],
        )
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(w["short"])
    ax.set_ylabel("mln €")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def regret_figure(result: OptimiseResult, language: str = "nl") -> Figure:
    """Regret per reduced scenario (plan cost minus hindsight-best cost), bars as wide as their weight."""
    w = _w(language)
    r = result.tables["regret"].sort_values("need_place_months")
    widths = r["weight_share"].to_numpy()
    left = np.r_[0.0, np.cumsum(widths)[:-1]]
    fig, ax = plt.subplots()
    ax.bar(
        left,
        r["regret_eur"] / MILLION,
        width=widths,
        align="edge",
        color="#7aa6c2",
        edgecolor="white",
    )
    mean = float(r["weight_share"] @ r["regret_eur"]) / MILLION
    ax.axhline(mean, color=ACCENT, lw=1.5, label=f"{w['expected']}: {euro(mean * MILLION)}")
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(w["scenario"])
    ax.set_ylabel(w["regret_m"])
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def decisions_display(
    result: OptimiseResult, language: str = "nl", brief: bool = False
) -> pd.DataFrame:
    """The decision table for the report: used locations first, columns in the report language.

    ``brief``: only the locations the plan uses, without cost and reasons (the advice; the plan
    report has the whole table).
    """
    w = _w(language)
    t = result.tables["plan"].copy()
    if brief:
        t = t[t["action"] != "reject"]
    t["action"] = t["action"].map(lambda a: w.get(a, a))
    nl = language != "en"
    columns = {
        "location_id": "id",
        "name": "naam" if nl else "name",
        "action": "actie" if nl else "action",
        "quarter": "kwartaal" if nl else "quarter",
        "decide_by": w["decide_by"],
        "places": "plaatsen" if nl else "places",
        "capex_eur": "investering (€)" if nl else "investment (€)",
        "cost_pv_eur": "kosten (€, contante waarde)" if nl else "cost (€, present value)",
        "why": "waarom" if nl else "why",
    }
    if brief:
        columns.pop("cost_pv_eur")
        columns.pop("why")
    return t[list(columns)].rename(columns=columns)


def _step_up(result: OptimiseResult) -> tuple[pd.Series, pd.Series] | None:
    """The chosen level and the next cheaper feasible level below it (or the next above)."""
    t = result.tables["tradeoff"]
    if t.empty:
        return None
    t = t[t["feasible"]].sort_values("reliability_share")
    chosen = result.summary["reliability_share"]
    here = t[np.isclose(t["reliability_share"], chosen)]
    below = t[t["reliability_share"] < chosen - 1e-9]
    above = t[t["reliability_share"] > chosen + 1e-9]
    if here.empty or (below.empty and above.empty):
        return None
    return (below.iloc[-1], here.iloc[0]) if len(below) else (here.iloc[0], above.iloc[0])


def tradeoff_sentence(result: OptimiseResult, language: str = "nl") -> str:
    """'Met een extra investering van € … daalt de kans op een tekort van …% naar …%.'"""
    pair = _step_up(result)
    if pair is None:
        return ""
    low, high = pair
    extra = high["capex_eur"] - low["capex_eur"]
    cost = high["expected_cost_eur"] - low["expected_cost_eur"]
    p0, p1 = (
        percent(low["shortfall_probability_share"]),
        percent(high["shortfall_probability_share"]),
    )
    r0, r1 = percent(low["reliability_share"]), percent(high["reliability_share"])
    if language == "en":
        money = (
            f"an extra investment of {euro(extra)}"
            if extra > 0
            else f"{euro(cost)} more expected cost"
        )
        return (
            f"With {money} the chance of a shortfall falls from {p0} to {p1} "
            f"(reliability {r0} → {r1}; expected cost {euro(cost)} higher)."
        )
    money = (
        f"een extra investering van {euro(extra)}"
        if extra > 0
        else f"{euro(cost)} hogere verwachte kosten"
    )
    return (
        f"Met {money} daalt de kans op een tekort van {p0} naar {p1} "
        f"(betrouwbaarheid {r0} → {r1}; verwachte kosten {euro(cost)} hoger)."
    )


def headline(result: OptimiseResult, language: str = "nl") -> tuple[str, dict[str, str]]:
    """Key message and its headline numbers."""
    s, t = result.summary, result.tables["plan"]
    opened = t[t["action"] == "open"]
    gone = t[t["action"].isin(["close", "convert"])]
    nl = language != "en"
    if nl:
        text = (
            f"Het plan opent {len(opened)} locatie(s) ({thousands(opened['places'].sum())} plaatsen) voor "
            f"{euro(s['capex_eur'])} aan investeringen en sluit of herbestemt er {len(gone)}; de kans op een "
            f"tekort is dan {percent(s['shortfall_probability_share'])}."
        )
        numbers = {
            "Investering": euro(s["capex_eur"]),
            "Verwachte netto kosten": euro(s["expected_cost_eur"]),
            "Kans op een tekort": percent(s["shortfall_probability_share"]),
            "Betrouwbaarheid (doel)": percent(s["reliability_share"]),
        }
    else:
        text = (
            f"The plan opens {len(opened)} location(s) ({thousands(opened['places'].sum())} places) for "
            f"{euro(s['capex_eur'])} of investment and closes or converts {len(gone)}; the chance of a "
            f"shortfall is then {percent(s['shortfall_probability_share'])}."
        )
        numbers = {
            "Investment": euro(s["capex_eur"]),
            "Expected net cost": euro(s["expected_cost_eur"]),
            "Chance of a shortfall": percent(s["shortfall_probability_share"]),
            "Reliability (target)": percent(s["reliability_share"]),
        }
    return text, numbers


RECOURSE_NAMES = {
    "nl": {"ukraine": "Oekraïners", "asylum": "asielzoekers", "status_holders": "statushouders"},
    "en": {"ukraine": "Ukrainians", "asylum": "asylum seekers", "status_holders": "status holders"},
}


def _recourse_sentence(s: dict, language: str) -> str:
    """Who pays for need the plan's places cannot hold, per stream (data/reference/stream_accounts.csv)."""
    names = RECOURSE_NAMES["en" if language == "en" else "nl"]
    paid = [names.get(x, x) for x in s.get("recourse_streams", [])]
    unpaid = [names.get(x, x) for x in s.get("no_recourse_streams", [])]
    cost = euro(s["recourse_cost_eur_per_place_month"])
    out = []
    if language == "en":
        kind = "hotel" if s["recourse"] == "hotel" else "emergency"
        if paid:
            out.append(
                f"What the portfolio lacks for {' and '.join(paid)} the municipality buys as {kind} "
                f"places at {cost} per place-month."
            )
        if unpaid:
            out.append(
                f"For {' and '.join(unpaid)} a shortfall costs the municipality no hotel bill (COA bears "
                "the reception): it is a task not met, which the reliability target limits."
            )
        return " ".join(out)
    kind = "hotels" if s["recourse"] == "hotel" else "noodopvang"
    if paid:
        out.append(
            f"Wat ontbreekt voor {' en '.join(paid)} vangt de gemeente op in {kind} "
            f"à {cost} per plaats per maand."
        )
    if unpaid:
        out.append(
            f"Voor {' en '.join(unpaid)} betaalt de gemeente bij een tekort geen hotel (het "
            "COA draagt de opvang): het is een taak die niet gehaald wordt, begrensd door de gevraagde "
            "betrouwbaarheid."
        )
    return " ".join(out)


def narrative(result: OptimiseResult, language: str = "nl") -> str:
    """The plan in a few paragraphs (Markdown), every number taken from the result."""
    s = result.summary
    red = result.reduction
    regret = result.tables.get("regret")
    requested = s.get("requested_reliability_share", s["reliability_share"])
    measure_nl = "scenario's" if s["reliability_measure"] == "scenarios" else "scenario-maanden"
    measure_en = "scenarios" if s["reliability_measure"] == "scenarios" else "scenario-months"
    parts = []
    if language == "en":
        parts.append(headline(result, "en")[0])
        parts.extend(result.notes[:1] if result.summary["reliability_share"] < requested else [])
        parts.append(
            f"The plan meets need without shortfall in at least {percent(s['reliability_share'])} of the "
            f"{measure_en} (counted from {s['reliability_from_quarter']}, the first quarter a new location can "
            f"open); on all {thousands(s['paths'])} paths the chance of a shortfall somewhere in the horizon is "
            f"{percent(s['shortfall_probability_share'])} and {percent(s['shortfall_month_share'])} of the months are short. "
            + _recourse_sentence(s, "en")
        )
        parts.append(tradeoff_sentence(result, "en"))
        if regret is not None and len(regret):
            mean = float(regret["weight_share"] @ regret["regret_eur"])
            parts.append(
                f"In hindsight the plan costs on average {euro(mean)} more than the best plan for the "
                f"scenario that comes true (at most {euro(regret['regret_eur'].max())}): the price of "
                "being prepared for more than one future."
            )
        parts.append(
            f"The plan was computed on {red.size} representative scenarios (k-medoids) of "
            f"{thousands(s['paths'])} paths; the expected cost is taken over all paths "
            f"({euro(s['expected_cost_eur'])}; on the representatives alone {euro(s['expected_cost_reduced_eur'])})."
        )
    else:
        parts.append(headline(result, "nl")[0])
        parts.extend(result.notes[:1] if result.summary["reliability_share"] < requested else [])
        parts.append(
            f"Het plan dekt de behoefte zonder tekort in ten minste {percent(s['reliability_share'])} van de "
            f"{measure_nl} (geteld vanaf {s['reliability_from_quarter']}, het eerste kwartaal waarin een nieuwe "
            f"locatie open kan); over alle {thousands(s['paths'])} paden is de kans op een tekort ergens in de "
            f"horizon {percent(s['shortfall_probability_share'])} en is {percent(s['shortfall_month_share'])} van de "
            f"maanden krap. " + _recourse_sentence(s, "nl")
        )
        parts.append(tradeoff_sentence(result, "nl"))
        if regret is not None and len(regret):
            mean = float(regret["weight_share"] @ regret["regret_eur"])
            parts.append(
                f"Achteraf bezien kost het plan gemiddeld {euro(mean)} meer dan het beste plan voor het "
                f"scenario dat uitkomt (ten hoogste {euro(regret['regret_eur'].max())}): de prijs van "
                "voorbereid zijn op meer dan één toekomst."
            )
        parts.append(
            f"Het plan is berekend op {red.size} representatieve scenario's (k-medoids) uit "
            f"{thousands(s['paths'])} paden; de verwachte kosten gelden voor alle paden "
            f"({euro(s['expected_cost_eur'])}; op de representatieve scenario's alleen "
            f"{euro(s['expected_cost_reduced_eur'])})."
        )
    parts.extend(result.notes[1:] if s["reliability_share"] < requested else result.notes)
    return "\n\n".join(p for p in parts if p)
