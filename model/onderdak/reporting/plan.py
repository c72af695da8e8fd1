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

from onderdak.plan.build import OptimiseResult
from onderdak.reporting import i18n
from onderdak.reporting.i18n import label, stream_name
from onderdak.reporting.notes_text import notes_text
from onderdak.reporting.style import (
    ACCENT,
    BAND_ALPHA,
    NEUTRAL,
    STREAM_COLOURS,
    euro,
    period_name,
    short_name,
    thousands,
)
from onderdak.reporting.voorstel_facts import due

MILLION = 1e6
ACTION_COLOURS = {"keep": "#2f4b7c", "open": "#3a8f5c", "close": ACCENT, "convert": "#d9822b"}
WORD_KEYS = (
    "keep",
    "open",
    "close",
    "convert",
    "reject",
    "decide_by",
    "quarter",
    "places",
    "cost_m",
    "capex_m",
    "short",
    "chosen",
    "regret_m",
    "scenario",
    "capacity",
    "median",
    "band",
    "mln",
)
"""The words of the figures and tables (``plan.w_<key>`` in the message catalogs)."""
ACTION_WORDS = ("keep", "open", "close", "convert", "reject")


def _t(key: str, language: str | None, **facts: object) -> str:
    return i18n.text(f"plan.{key}", language, **facts)


def _w(language: str) -> dict[str, str]:
    return {k: _t(f"w_{k}", language) for k in WORD_KEYS}


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
    ax.set_yticks(range(len(used)), [short_name(r.name, 34) for r in used.itertuples()], fontsize=8)
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
    ax.set_ylabel(w["mln"])
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
    ax.axhline(mean, color=ACCENT, lw=1.5, label=_t("w_expected", language, amount=mean * MILLION))
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(w["scenario"])
    ax.set_ylabel(w["regret_m"])
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def decide_by_after(months: pd.Series, peildatum: str) -> pd.Series:
    """Each decide-by month ('YYYY-MM'), or the month after the peildatum when that is later:
    the rule of the besluitpunten and the deck (:func:`onderdak.reporting.voorstel_facts.due`). An
    empty month stays empty."""
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
    columns = {
        "location_id": "id",
        "name": _t("dcol_name", language),
        "action": _t("dcol_action", language),
        "quarter": _t("dcol_quarter", language),
        "decide_by": w["decide_by"],
        "places": _t("dcol_places", language),
        "capex_eur": _t("dcol_capex", language),
        "cost_pv_eur": _t("dcol_cost_pv", language),
        "why": _t("dcol_why", language),
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
    return _t(
        "tradeoff_sentence",
        language,
        extra=high["capex_eur"] - low["capex_eur"],
        cost=high["expected_cost_eur"] - low["expected_cost_eur"],
        low=low["reliability_share"],
        high=high["reliability_share"],
    )


def _chances(result: OptimiseResult, language: str) -> list[tuple[str, str]]:
    """Per stream (code), the chance of a shortfall without → with the plan: '99% → 10%'."""
    return [
        (
            stream,
            _t(
                "chance_figures",
                language,
                without=v["shortfall_chance_without_plan_share"],
                with_plan=v["shortfall_chance_share"],
            ),
        )
        for stream, v in result.summary["streams"].items()
    ]


def shortfall_figures(result: OptimiseResult, language: str = "nl") -> dict[str, str]:
    """Per stream, the chance of a shortfall without and with the plan: {'Oekraïners': '99% → 10%'}."""
    return {stream_name(stream, language): v for stream, v in _chances(result, language)}


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
    out = []
    for stream, v in s["streams"].items():
        out.append(
            _t(
                "stream_sentence",
                language,
                stream=stream,
                added=v["places_added"],
                reliability=v["reliability_share"],
                window=s["shortfall_window_from"],
                without=v["shortfall_chance_without_plan_share"],
                with_plan=v["shortfall_chance_share"],
            )
        )
        if v["capacity_max_places"] > v["need_p90_max_places"] + 0.5:
            out.append(
                _t(
                    "stream_capacity",
                    language,
                    capacity=v["capacity_max_places"],
                    p90=v["need_p90_max_places"],
                    reliability=v["reliability_share"],
                    paid=stream in s.get("recourse_streams", []),
                    rate=s["recourse_cost_eur_per_place_month"],
                )
            )
    return " ".join(out)


def headline(result: OptimiseResult, language: str = "nl") -> tuple[str, dict[str, str]]:
    """Key message and its headline numbers."""
    s, t = result.summary, result.tables["plan"]
    opened = t[t["action"] == "open"]
    gone = t[t["action"].isin(["close", "convert"])]
    chances = _chances(result, language)
    text = _t(
        "headline",
        language,
        opened=len(opened),
        places=opened["places"].sum(),
        capex=s["capex_eur"],
        gone=len(gone),
        window=s["shortfall_window_from"],
        chances=chances,
    )
    numbers = {
        _t("num_capex", language): euro(s["capex_eur"]),
        _t("num_cost", language): euro(s["expected_cost_eur"]),
        **{_t("num_chance", language, stream=k): v for k, v in chances},
    }
    return text, numbers


def _recourse_sentence(s: dict, language: str) -> str:
    """Who pays for need the plan's places cannot hold, per stream (data/reference/stream_accounts.csv)."""
    paid = list(s.get("recourse_streams", []))
    unpaid = list(s.get("no_recourse_streams", []))
    out = []
    if paid:
        out.append(
            _t(
                "recourse_paid",
                language,
                streams=paid,
                recourse=s["recourse"],
                cost=s["recourse_cost_eur_per_place_month"],
            )
        )
    if unpaid:
        out.append(_t("recourse_unpaid", language, streams=unpaid))
    return " ".join(out)


def narrative(result: OptimiseResult, language: str = "nl") -> str:
    """The plan in a few paragraphs (Markdown), every number taken from the result."""
    s = result.summary
    red = result.reduction
    regret = result.tables.get("regret")
    parts = [headline(result, language)[0]]
    parts.extend(notes_text(result.notes, language))
    parts.append(stream_sentences(result, language) + " " + _recourse_sentence(s, language))
    parts.append(money_sentence(result, language))
    parts.append(tradeoff_sentence(result, language))
    if regret is not None and len(regret):
        mean = float(regret["weight_share"] @ regret["regret_eur"])
        parts.append(_t("regret_sentence", language, mean=mean, most=regret["regret_eur"].max()))
    parts.append(
        _t(
            "method_sentence",
            language,
            paths=s["paths"],
            cost=s["expected_cost_eur"],
            cost_without=s["expected_cost_without_plan_eur"],
            scenarios=red.size,
            gap=s["mip_gap_share"],
        )
    )
    return "\n\n".join(p for p in parts if p)


MONEY_ROWS = (
    "capex",
    "capital_charges",
    "running",
    "emergency_recourse",
    "closing_cost",
    "income_normbedrag",
    "income_coa_rent",
    "income_spreidingswet",
    "income_status_holders",
    "net_cost",
    "net_cost_capital_basis",
)
"""The rows of the money table (``plan.money_<row>`` in the message catalogs)."""


def money_row(row: str, language: str | None = None) -> str:
    """The name of a row of the money table in the report language."""
    return _t(f"money_{row}", language)


def action_word(action: str, language: str | None = None) -> str:
    """A plan action (keep, open, close, convert, reject) in the report language; other codes as
    given."""
    return _t(f"w_{action}", language) if action in ACTION_WORDS else action


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
    out = []
    for key in MONEY_ROWS:
        without = _money_total(result, "without_plan", key)
        with_ = _money_total(result, "with_plan", key)
        if not (np.abs(without).max() > 0 or np.abs(with_).max() > 0):
            continue
        p10, p50, p90 = np.quantile(with_, [0.1, 0.5, 0.9])
        out.append(
            {
                _t("mcol_line", language): money_row(key, language),
                _t("mcol_without", language): euro(float(np.median(without))),
                _t("mcol_with", language): euro(float(p50)),
                _t("mcol_band", language): (
                    _t("money_band", language, low=float(p10), high=float(p90))
                    if p90 - p10 > 1.0
                    else ""
                ),
            }
        )
    return pd.DataFrame(out)


def money_sentence(result: OptimiseResult, language: str = "nl") -> str:
    """What the plan costs the municipality, against not planning, in one or two sentences."""
    if result.money is None:
        return ""
    years = result.money.with_plan.years
    w = _money_total(result, "with_plan", "net_cost")
    wo = _money_total(result, "without_plan", "net_cost")
    wp = np.quantile(w, [0.1, 0.5, 0.9]) / MILLION
    op = np.quantile(wo, [0.1, 0.5, 0.9]) / MILLION
    top = ""
    if wp[1] < 0:
        incomes = {
            k: float(np.median(_money_total(result, "with_plan", k)))
            for k in ("income_normbedrag", "income_coa_rent", "income_spreidingswet")
        }
        top = max(incomes, key=incomes.get)
    return _t(
        "money_sentence",
        language,
        first=years[0],
        last=years[-1],
        w10=float(wp[0]),
        w50=float(wp[1]),
        w90=float(wp[2]),
        o10=float(op[0]),
        o50=float(op[1]),
        o90=float(op[2]),
        top=top,
    )
