"""Figures and the Dutch narrative of the investment plan: timeline, trade-off, regret, capacity."""

from __future__ import annotations

import json

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from model.plan_case import OptimiseResult
from model.reporting.notes_text import notes_text
from model.reporting.portfolio import short_name
from model.reporting.style import (
    ACCENT,
    BAND_ALPHA,
    NEUTRAL,
    STREAM_COLOURS,
    euro,
    label,
    number,
    percent,
    period_name,
    stream_name,
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
        "short": "betrouwbaarheid per stroom: aandeel paden zonder enig tekort",
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
        "short": "reliability per stream: share of paths without any shortfall",
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
    """Expected cost and investment against the reliability asked of every stream, one point per level."""
    w = _w(language)
    t = result.tables["tradeoff"]
    t = t[t["feasible"]].sort_values("reliability_share")
    chosen = uniform_level(result)
    fig, ax = plt.subplots()
    ax.plot(
        t["reliability_share"],
        t["expected_cost_eur"] / MILLION,
        "-o",
        color=NEUTRAL,
        label=w["cost_m"],
    )
    ax.plot(
        t["reliability_share"],
        t["capex_eur"] / MILLION,
        "--s",
        color="#7aa6c2",
        label=w["capex_m"],
    )
    pick = t[np.isclose(t["reliability_share"], chosen if chosen is not None else -1.0)]
    if len(pick):
        ax.plot(
            pick["reliability_share"],
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


def decide_by_after(months: pd.Series, peildatum: str) -> pd.Series:
    """Each decide-by month ('YYYY-MM'), or the month after the peildatum when that is later:
    the rule of the besluitpunten and the deck (:func:`model.reporting.besluitpunten.due`). An
    empty month stays empty."""
    from model.reporting.besluitpunten import due

    peil = pd.Period(str(peildatum), freq="M")
    return months.map(
        lambda m: str(due(m, peil)[0]) if isinstance(m, str) and m and m != "nan" else m
    )


def decisions_display(
    result: OptimiseResult,
    language: str = "nl",
    brief: bool = False,
    peildatum: str | None = None,
) -> pd.DataFrame:
    """The decision table for the report: used locations first, columns in the report language.

    ``brief``: only the locations the plan uses, without cost and reasons (the advice; the plan
    report has the whole table). ``peildatum`` ('YYYY-MM'): a decision due before the month
    after it is shown in that month, as in the besluitpunten (:func:`decide_by_after`).
    """
    w = _w(language)
    t = result.tables["plan"].copy()
    if peildatum:
        t["decide_by"] = decide_by_after(t["decide_by"], peildatum)
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
    if brief:  # the advice: locations by name
        columns.pop("location_id")
        columns.pop("cost_pv_eur")
        columns.pop("why")
    else:
        t["why"] = [why_text(c, f, language) for c, f in zip(t["why"], t["why_facts"], strict=True)]
    for col in ("quarter", "decide_by"):  # months and quarters in words
        t[col] = t[col].map(lambda v: period_name(str(v), language) if v and v == v else "")
    return t[list(columns)].rename(columns=columns)


def why_text(codes: str, facts: str | dict, language: str | None = None) -> str:
    """The decision table's reason in words: each code of ``why`` (``;``-separated) through
    ``why.<code>`` of the catalog, with the figures of ``why_facts`` (JSON)."""
    from model.reporting import i18n

    values = json.loads(facts) if isinstance(facts, str) else dict(facts)
    return "; ".join(
        i18n.text(f"why.{code}", language, **values) for code in str(codes).split(";") if code
    )


def uniform_level(result: OptimiseResult) -> float | None:
    """The reliability asked, when every stream is asked the same (else None): the trade-off's
    level of the plan (a stream that cannot reach it is held at what it reaches)."""
    levels = {v["reliability_asked_share"] for v in result.summary["streams"].values()}
    return levels.pop() if len(levels) == 1 else None


def _step_up(result: OptimiseResult) -> tuple[pd.Series, pd.Series] | None:
    """The chosen level and the next cheaper feasible level below it (or the next above)."""
    t = result.tables["tradeoff"]
    chosen = uniform_level(result)
    if t.empty or chosen is None:
        return None
    t = t[t["feasible"]].sort_values("reliability_share")
    here = t[np.isclose(t["reliability_share"], chosen)]
    below = t[t["reliability_share"] < chosen - 1e-9]
    above = t[t["reliability_share"] > chosen + 1e-9]
    if here.empty or (below.empty and above.empty):
        return None
    return (below.iloc[-1], here.iloc[0]) if len(below) else (here.iloc[0], above.iloc[0])


def tradeoff_display(result: OptimiseResult, language: str | None = None) -> pd.DataFrame:
    """The cost–reliability table for the reader: per reliability asked, whether a plan meets it,
    its expected cost, investment, places opened and chance of a shortfall per target group."""
    from model.reporting import i18n

    t = result.tables["tradeoff"]

    def col(key: str, **facts: object) -> str:
        return i18n.text(f"plan.col_{key}", language, **facts)

    def status(row: pd.Series) -> str:
        if not bool(row["feasible"]):
            return col("infeasible")
        return col("optimal" if str(row.get("note", "")).startswith("optimal") else "time_limit")

    out = pd.DataFrame(
        {
            col("reliability"): [i18n.percent(v, 0, language) for v in t["reliability_share"]],
            col("solution"): [status(r) for _, r in t.iterrows()],
            col("expected_cost"): t["expected_cost_eur"],
            col("capex"): t["capex_eur"],
            col("places_opened"): t["places_opened"],
        }
    )
    for c in t.columns:
        if c.startswith("shortfall_chance_") and c.endswith("_share"):
            stream = c.removeprefix("shortfall_chance_").removesuffix("_share")
            out[col("shortfall_chance", stream=stream)] = [
                i18n.percent(v, 1, language) for v in t[c]
            ]
    return out


def tradeoff_sentence(result: OptimiseResult, language: str = "nl") -> str:
    """'Met een extra investering van € … stijgt de betrouwbaarheid van …% naar …%.'"""
    pair = _step_up(result)
    if pair is None:
        return ""
    low, high = pair
    extra = high["capex_eur"] - low["capex_eur"]
    cost = high["expected_cost_eur"] - low["expected_cost_eur"]
    r0, r1 = percent(low["reliability_share"]), percent(high["reliability_share"])
    if language == "en":
        money = (
            f"an extra investment of {euro(extra)}"
            if extra > 0
            else f"{euro(cost)} more expected cost"
        )
        return (
            f"With {money} the reliability of every stream rises from {r0} to {r1} "
            f"(expected cost {euro(cost)} higher)."
        )
    money = (
        f"een extra investering van {euro(extra)}"
        if extra > 0
        else f"{euro(cost)} hogere verwachte kosten"
    )
    return (
        f"Met {money} stijgt de betrouwbaarheid van elke stroom van {r0} naar {r1} "
        f"(verwachte kosten {euro(cost)} hoger)."
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def shortfall_figures(result: OptimiseResult, language: str = "nl") -> dict[str, str]:
    """Per stream, the chance of a shortfall without and with the plan: {'Oekraïners': '99% → 10%'}."""
    return {
        stream_name(stream, language): (
            f"{percent(v['shortfall_chance_without_plan_share'])} → {percent(v['shortfall_chance_share'])}"
        )
        for stream, v in result.summary["streams"].items()
    }


def shortfall_table(result: OptimiseResult) -> pd.DataFrame:
    """Per stream, the one shortfall measure without and with the plan (for the workbook)."""
    s = result.summary
    return pd.DataFrame(
        [
            {
                "stream": stream,
                "window_from": s["shortfall_window_from"],
                "shortfall_chance_without_plan_share": v["shortfall_chance_without_plan_share"],
                "shortfall_chance_with_plan_share": v["shortfall_chance_share"],
                "reliability_share": v["reliability_share"],
                "reliability_asked_share": v["reliability_asked_share"],
                "capacity_max_places": v["capacity_max_places"],
                "need_p90_max_places": v["need_p90_max_places"],
            }
            for stream, v in s["streams"].items()
        ]
    )


def stream_sentences(result: OptimiseResult, language: str = "nl") -> str:
    """Per stream: what the plan adds, the reliability it is made for and the chance of a shortfall."""
    s = result.summary
    window = period_name(s["shortfall_window_from"], language)
    out = []
    for stream, v in s["streams"].items():
        name = stream_name(stream, language)
        name = name[0].upper() + name[1:]
        added = thousands(v["places_added"])
        if language == "en":
            out.append(
                f"{name}: the plan adds up to {added} places and is made for a reliability of "
                f"{percent(v['reliability_share'])}; the chance of a shortfall from {window} to the end "
                f"of the horizon falls from {percent(v['shortfall_chance_without_plan_share'])} without "
                f"the plan to {percent(v['shortfall_chance_share'])} with it."
            )
        else:
            out.append(
                f"{name}: het plan voegt tot {added} plaatsen toe en is gemaakt voor een betrouwbaarheid "
                f"van {percent(v['reliability_share'])}; de kans op een tekort vanaf {window} tot het "
                f"einde van de horizon daalt van {percent(v['shortfall_chance_without_plan_share'])} "
                f"zonder plan naar {percent(v['shortfall_chance_share'])} met plan."
            )
        if v["capacity_max_places"] > v["need_p90_max_places"] + 0.5:
            cap, p90 = thousands(v["capacity_max_places"]), thousands(v["need_p90_max_places"])
            paid = stream in s.get("recourse_streams", [])
            rate = euro(s["recourse_cost_eur_per_place_month"])
            if language == "en":
                out.append(
                    f"It holds up to {cap} places against a highest monthly 90th percentile of need "
                    f"of {p90}: to keep {percent(v['reliability_share'])} of the paths free of a "
                    "shortfall in every month, capacity must lie above the 90th percentile of single "
                    "months"
                    + (
                        f"; beyond that it keeps only places cheaper than the emergency places they "
                        f"save ({rate} per place-month)."
                        if paid
                        else "."
                    )
                )
            else:
                out.append(
                    f"Het houdt tot {cap} plaatsen aan tegen een hoogste maandelijkse 90%-waarde van "
                    f"de behoefte van {p90}: om {percent(v['reliability_share'])} van de paden in elke "
                    "maand zonder tekort te houden, moet de capaciteit boven de 90%-waarde van losse "
                    "maanden liggen"
                    + (
                        f"; daarboven houdt het alleen plaatsen aan die goedkoper zijn dan de "
                        f"noodopvang die ze uitsparen ({rate} per plaats per maand)."
                        if paid
                        else "."
                    )
                )
    return " ".join(out)


def headline(result: OptimiseResult, language: str = "nl") -> tuple[str, dict[str, str]]:
    """Key message and its headline numbers."""
    s, t = result.summary, result.tables["plan"]
    opened = t[t["action"] == "open"]
    gone = t[t["action"].isin(["close", "convert"])]
    figures = shortfall_figures(result, language)
    window = period_name(s["shortfall_window_from"], language)
    if language != "en":
        chances = ", ".join(f"{k} {v}" for k, v in figures.items())
        text = (
            f"Het plan opent {_count(len(opened), 'locatie', 'locaties')} "
            f"({thousands(opened['places'].sum())} plaatsen) voor {euro(s['capex_eur'])} aan "
            f"investeringen en sluit of herbestemt er {len(gone)}. Kans op een tekort vanaf {window}, "
            f"zonder → met plan: {chances}."
        )
        numbers = {
            "Investering": euro(s["capex_eur"]),
            "Verwachte netto kosten (contante waarde)": euro(s["expected_cost_eur"]),
            **{f"Kans op een tekort, {k} (zonder → met plan)": v for k, v in figures.items()},
        }
    else:
        chances = ", ".join(f"{k} {v}" for k, v in figures.items())
        text = (
            f"The plan opens {_count(len(opened), 'location', 'locations')} "
            f"({thousands(opened['places'].sum())} places) for {euro(s['capex_eur'])} of investment "
            f"and closes or converts {len(gone)}. Chance of a shortfall from {window}, without → "
            f"with the plan: {chances}."
        )
        numbers = {
            "Investment": euro(s["capex_eur"]),
            "Expected net cost (present value)": euro(s["expected_cost_eur"]),
            **{f"Chance of a shortfall, {k} (without → with plan)": v for k, v in figures.items()},
        }
    return text, numbers


def _recourse_sentence(s: dict, language: str) -> str:
    """Who pays for need the plan's places cannot hold, per stream (data/reference/stream_accounts.csv)."""
    paid = [stream_name(x, language) for x in s.get("recourse_streams", [])]
    unpaid = [stream_name(x, language) for x in s.get("no_recourse_streams", [])]
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
    parts = []
    if language == "en":
        parts.append(headline(result, "en")[0])
        parts.extend(notes_text(result.notes, "en"))
        parts.append(stream_sentences(result, "en") + " " + _recourse_sentence(s, "en"))
        parts.append(money_sentence(result, "en"))
        parts.append(tradeoff_sentence(result, "en"))
        if regret is not None and len(regret):
            mean = float(regret["weight_share"] @ regret["regret_eur"])
            parts.append(
                f"In hindsight the plan costs on average {euro(mean)} more than the best plan for the "
                f"scenario that comes true (at most {euro(regret['regret_eur'].max())}): the price of "
                "being prepared for more than one future."
            )
        parts.append(
            f"The plan was chosen on all {thousands(s['paths'])} paths: each stream's reliability "
            f"and the expected cost (present value after the market value of bought buildings: "
            f"{euro(s['expected_cost_eur'])}, against {euro(s['expected_cost_without_plan_eur'])} "
            f"without the plan); regret uses {red.size} representative scenarios. The solver's plan "
            f"is within {s['mip_gap_share']:.1%} of the best possible (its proven bound)."
        )
    else:
        parts.append(headline(result, "nl")[0])
        parts.extend(notes_text(result.notes, "nl"))
        parts.append(stream_sentences(result, "nl") + " " + _recourse_sentence(s, "nl"))
        parts.append(money_sentence(result, "nl"))
        parts.append(tradeoff_sentence(result, "nl"))
        if regret is not None and len(regret):
            mean = float(regret["weight_share"] @ regret["regret_eur"])
            parts.append(
                f"Achteraf bezien kost het plan gemiddeld {euro(mean)} meer dan het beste plan voor het "
                f"scenario dat uitkomt (ten hoogste {euro(regret['regret_eur'].max())}): de prijs van "
                "voorbereid zijn op meer dan één toekomst."
            )
        parts.append(
            f"Het plan is gekozen op alle {thousands(s['paths'])} paden: de betrouwbaarheid per "
            f"stroom en de verwachte kosten (contante waarde na de marktwaarde van gekochte panden: "
            f"{euro(s['expected_cost_eur'])}, tegen {euro(s['expected_cost_without_plan_eur'])} "
            f"zonder plan); voor de spijt per scenario dienen {red.size} representatieve scenario's. "
            f"Het gevonden plan ligt binnen {number(100 * s['mip_gap_share'], 1)}% "
            "van het best mogelijke (de bewezen ondergrens van de rekenmethode)."
        )
    return "\n\n".join(p for p in parts if p)


MONEY_ROWS = {
    "nl": {
        "capex": "Investeringen (aankoop, verbouwing, inrichting)",
        "capital_charges": "Kapitaallasten (annuïteit)",
        "running": "Exploitatie (vaste en variabele lasten, personeel)",
        "emergency_recourse": "Noodopvang voor wat de eigen plaatsen niet hebben",
        "closing_cost": "Sluitingskosten",
        "income_normbedrag": "Normbedrag Rijk (gemeentelijke opvang Oekraïners)",
        "income_coa_rent": "Vergoeding COA voor asielplaatsen binnen de taak",
        "income_spreidingswet": "Stimuleringsbijdrage Spreidingswet",
        "income_status_holders": "Uitstroom- en flexbijdragen statushouders",
        "net_cost": "Netto kosten gemeente (kasbasis)",
        "net_cost_capital_basis": "Netto lasten gemeente (begroting: kapitaallasten i.p.v. investeringen)",
    },
    "en": {
        "capex": "Investments (purchase, conversion, furnishing)",
        "capital_charges": "Capital charges (annuity)",
        "running": "Running costs (fixed and variable, staff)",
        "emergency_recourse": "Emergency places for what the own places cannot hold",
        "closing_cost": "Closing costs",
        "income_normbedrag": "Normbedrag (municipal reception of Ukrainians)",
        "income_coa_rent": "COA payment for asylum places within the task",
        "income_spreidingswet": "Spreidingswet incentive",
        "income_status_holders": "Outflow and flex contributions for status holders",
        "net_cost": "Net municipal cost (cash basis)",
        "net_cost_capital_basis": "Net municipal charges (budget: capital charges instead of investments)",
    },
}
_MONEY_PARTS = {
    "running": ("fixed_opex", "variable_opex", "staff_locations", "staff_central"),
    "income_status_holders": ("income_outflow_incentive", "income_flex_subsidy"),
}


def _money_total(result: OptimiseResult, portfolio: str, row: str) -> np.ndarray:
    """Per path, the total over the horizon of one row of the money table."""
    lines = _MONEY_PARTS.get(row, (row,))
    return sum(result.money.total(portfolio, line) for line in lines)


def money_display(result: OptimiseResult, language: str = "nl") -> pd.DataFrame:
    """The plan's money over the horizon: without and with the plan (median), with the plan's 80% band."""
    rows = MONEY_ROWS["en" if language == "en" else "nl"]
    en = language == "en"
    out = []
    for key, name in rows.items():
        without = _money_total(result, "without_plan", key)
        with_ = _money_total(result, "with_plan", key)
        if not (np.abs(without).max() > 0 or np.abs(with_).max() > 0):
            continue
        p10, p50, p90 = np.quantile(with_, [0.1, 0.5, 0.9])
        out.append(
            {
                ("Line" if en else "Post"): name,
                ("Without plan (median)" if en else "Zonder plan (mediaan)"): euro(
                    float(np.median(without))
                ),
                ("With plan (median)" if en else "Met plan (mediaan)"): euro(float(p50)),
                ("With plan, 80% band" if en else "Met plan, 80%-band"): (
                    f"{euro(float(p10))} – {euro(float(p90))}" if p90 - p10 > 1.0 else ""
                ),
            }
        )
    return pd.DataFrame(out)


def money_sentence(result: OptimiseResult, language: str = "nl") -> str:
    """What the plan costs the municipality, against not planning, in one or two sentences."""
    if result.money is None:
        return ""
    years = result.money.with_plan.years
    span = f"{years[0]}–{years[-1]}"
    w = _money_total(result, "with_plan", "net_cost")
    wo = _money_total(result, "without_plan", "net_cost")
    m = lambda x: euro(float(x) / MILLION, 1)  # noqa: E731
    wp = np.quantile(w, [0.1, 0.5, 0.9])
    op = np.quantile(wo, [0.1, 0.5, 0.9])
    surplus = ""
    if wp[1] < 0:
        incomes = {
            k: float(np.median(_money_total(result, "with_plan", k)))
            for k in ("income_normbedrag", "income_coa_rent", "income_spreidingswet")
        }
        top = max(incomes, key=incomes.get)
        surplus = (
            f" The surplus comes from {MONEY_ROWS['en'][top].lower()}."
            if language == "en"
            else f" Het overschot komt uit de post '{MONEY_ROWS['nl'][top].lower()}'."
        )
    if language == "en":
        return (
            f"Net municipal cost {span} with the plan: {m(wp[1])} million (80% band {m(wp[0])}–"
            f"{m(wp[2])} million); without it {m(op[1])} million ({m(op[0])}–{m(op[2])} million), "
            "emergency places for Ukrainians included (the municipality pays those)." + surplus
        )
    return (
        f"Netto kosten voor de gemeente {span} met het plan: {m(wp[1])} mln (80%-band {m(wp[0])}–"
        f"{m(wp[2])} mln); zonder plan {m(op[1])} mln ({m(op[0])}–{m(op[2])} mln), inclusief "
        "noodopvang voor Oekraïners (die betaalt de gemeente)." + surplus
    )
