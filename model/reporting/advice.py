"""The bestuurlijk advies: one computation of every stage for a case, its key message and the decisions asked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from model.business_case import BusinessCase, load_business_case
from model.portfolio import PortfolioAnalysis, analyse_portfolio
from model.reporting.portfolio_text import horizon_money
from model.reporting.style import euro, label, percent, period_name, stream_name, thousands
from model.results import Results, resolve_case_path, run_case


@dataclass
class Advice:
    """Everything the advice shows, computed once: scenarios, portfolio, business case (and plan)."""

    scenario: str
    results: Results
    portfolio: PortfolioAnalysis
    business_case: BusinessCase | None
    plan: Any = None  # model.plan_case.OptimiseResult
    plan_error: str = ""

    @property
    def case(self):
        return self.results.runs[self.scenario].case


ADVICE_LEVELS = (0.5, 0.8)
"""Reliability levels of the advice's trade-off, besides the case's own (the plan notebook shows all)."""


def prepare_advice(
    case_path: str | Path,
    scenario: str = "basis",
    paths: int = 1000,
    seed: int = -1,
    plan: bool = True,
    language: str | None = None,
    openbaar: bool = False,
) -> Advice:
    """Run every stage of the pipeline for the advice (all scenarios; portfolio, plan and money for ``scenario``).

    The plan is the optimisation of :func:`model.plan_case.optimise_case` for the advice's scenario,
    with the trade-off over a few reliability levels (no regret: the plan report has it). When the
    reliability asked cannot be reached, the plan is made for the most that can and says so; when no
    plan is possible at all (e.g. a budget too small), ``plan_error`` says why.
    """
    from model.errors import InfeasibleError
    from model.plan_case import optimise_case

    if openbaar:  # the public variant: computed on a copy without candidates' addresses
        from model.reporting.openbaar import public_copy

        public = public_copy(case_path, language or "nl")
        return prepare_advice(public, scenario, paths, seed, plan, language)
    case_path = resolve_case_path(case_path)
    results = run_case(
        case_path, paths=paths, seed=seed, money=False
    )  # money: for `scenario` below
    run = results.runs[scenario]
    portfolio = analyse_portfolio(run.case, run.need, results.register)
    bc = None
    if getattr(run.case, "business_case", None) is not None and run.case.business_case.location_id:
        bc = load_business_case(case_path, None, scenario, paths, seed)
    advice = Advice(scenario=scenario, results=results, portfolio=portfolio, business_case=bc)
    if plan and results.register is not None:
        rel = run.case.optimise.reliability_share
        levels = sorted({*ADVICE_LEVELS, rel})
        try:
            advice.plan = optimise_case(
                run.case,
                run.need,
                results.register,
                levels=levels,
                regret=False,
                language=language,
                fallback=True,
            )
        except InfeasibleError as exc:
            advice.plan_error = str(exc)
    return advice


def _risk(advice: Advice, portfolio: str = "committed") -> tuple[str, float, str]:
    """Without a plan: the stream with the highest chance of a shortfall in a single month (the
    portfolio analysis's monthly profile, :mod:`model.gap`), that chance and its first month over 10%."""
    s = advice.portfolio.tables["gap_summary"]
    s = s[s["portfolio"] == portfolio].set_index("stream")
    stream = str(s["max_shortfall_probability_share"].astype(float).idxmax())
    return (
        stream,
        float(s.loc[stream, "max_shortfall_probability_share"]),
        str(s.loc[stream, "first_month_risk_over_10pct"]),
    )


def _plan_chances(advice: Advice) -> tuple[str, float, float]:
    """With a plan: the stream with the highest chance of a shortfall without it (the one measure,
    :mod:`model.shortfall`), that chance and the chance with the plan."""
    streams = advice.plan.summary["streams"]
    stream = max(streams, key=lambda k: streams[k]["shortfall_chance_without_plan_share"])
    v = streams[stream]
    return stream, v["shortfall_chance_without_plan_share"], v["shortfall_chance_share"]


def _chances_text(advice: Advice, language: str) -> str:
    """'Oekraïners 99% → 10%, asielzoekers 100% → 6%' (without → with the plan)."""
    from model.reporting.plan import shortfall_figures

    return ", ".join(f"{k} {v}" for k, v in shortfall_figures(advice.plan, language).items())


def _without_text(advice: Advice, language: str) -> str:
    """'Oekraïners 100%, asielzoekers 100%': the chance of a shortfall without a plan."""
    streams = advice.plan.summary["streams"]
    return ", ".join(
        f"{stream_name(k, language)} {percent(v['shortfall_chance_without_plan_share'])}"
        for k, v in streams.items()
    )


def plan_facts(advice: Advice) -> dict[str, Any]:
    """What the plan asks: locations opened and given up, investment, first decision date."""
    t = advice.plan.tables["plan"]
    opened = t[t["action"] == "open"].sort_values("quarter")
    gone = t[t["action"].isin(["close", "convert"])]
    decide = [d for d in opened["decide_by"].astype(str) if d and d != "nan"]
    streams = advice.plan.summary["streams"]
    return {
        "opened": opened,
        "gone": gone,
        "capex_eur": float(advice.plan.summary["capex_eur"]),
        "places": float(opened["places"].sum()),
        "first_decision": min(decide) if decide else "",
        "window": str(advice.plan.summary["shortfall_window_from"]),
        "candidates": int((~advice.plan.portfolio.existing).sum()),
        "short_of_target": [
            k for k, v in streams.items() if v["reliability_share"] < v["reliability_asked_share"]
        ],
    }


def money_facts(advice: Advice) -> dict[str, float]:
    """Net municipal cost over the horizon, 10/50/90% over the paths: with the plan and without it
    (emergency places included, :mod:`model.plan_money`), or the committed portfolio's when there
    is no plan (``with_plan`` False)."""
    money = getattr(advice.plan, "money", None) if advice.plan is not None else None
    if money is None:
        m = horizon_money(advice.portfolio)
        return {"with_plan": False, **{k: m[f"net_cost_{k}"] for k in ("p10", "p50", "p90")}}
    f = plan_facts(advice)
    # a plan that opens nothing because the register holds nothing new is no plan: the money is
    # that of the current locations (emergency places included)
    planned = not (f["opened"].empty and not f["candidates"])
    out: dict[str, float] = {"with_plan": planned}
    for name, portfolio in (
        ("", "with_plan" if planned else "without_plan"),
        ("without_", "without_plan"),
    ):
        per_path = money.total(portfolio, "net_cost")
        for q in (10, 50, 90):
            out[f"{name}p{q}"] = float(np.quantile(per_path, q / 100))
        out[f"{name}emergency_p50"] = float(np.median(money.total(portfolio, "emergency_recourse")))
    return out


def _locations(n: int, language: str) -> str:
    if language == "en":
        return f"{n} location" + ("" if n == 1 else "s")
    return f"{n} locatie" + ("" if n == 1 else "s")


def plan_headline(advice: Advice, language: str = "nl") -> tuple[str, dict[str, str]]:
    """Page 1 with a plan: peildatum and report date, the need now, per stream the one shortfall
    measure without → with the plan, the plan's investment and net cost (its money table) and
    the GOO cost per place-day against the normbedrag; the tiles are the same figures."""
    from model.reporting import voorstel_facts as vf
    from model.reporting.i18n import millions, percent, text

    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    money = money_facts(advice)
    f = plan_facts(advice)
    years = f"{advice.portfolio.need.periods[0].year}–{advice.portfolio.need.periods[-1].year}"
    chances = vf.stream_chances(advice)
    parts = [
        text("advice.key.dates", language, peil=vf.peildatum(advice), today=vf.report_date()),
        text(
            "advice.key.need",
            language,
            name=advice.case.municipality.name,
            places=s["ukraine"]["start_p50"] + s["asylum"]["start_p50"],
        ),
        *(text("advice.key.stream", language, start=c["from"], **c) for c in chances),
        text(
            "advice.key.plan",
            language,
            n=len(f["opened"]),
            places=f["places"],
            capex=f["capex_eur"],
            years=years,
            net=money["p50"],
            without=money["without_p50"],
            without_p90=money["without_p90"],
        ),
    ]
    goo = vf.goo_cost(advice)
    if goo:
        parts.append(
            text(
                "advice.key.goo",
                language,
                goo=goo["cost_eur_per_place_day"],
                norm=goo["normbedrag_eur_per_place_day"],
            )
        )
    numbers = {
        text("advice.tile.stream", language, stream=c["stream"]): (
            f"{percent(c['without'], 0, language)} → {percent(c['with_plan'], 0, language)}"
        )
        for c in chances
    }
    numbers[text("advice.tile.net", language, years=years)] = millions(money["p50"], 1, language)
    numbers[text("advice.tile.capex", language)] = millions(f["capex_eur"], 1, language)
    return " ".join(parts), numbers


def headline(advice: Advice, language: str = "nl") -> tuple[str, dict[str, str]]:
    """The key message of the advice and its figures that matter."""
    if advice.plan is not None and getattr(advice.plan, "money", None) is not None:
        if money_facts(advice)["with_plan"]:
            return plan_headline(advice, language)
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    places_now = s["ukraine"]["start_p50"] + s["asylum"]["start_p50"]
    money = money_facts(advice)
    name = advice.case.municipality.name
    years = f"{advice.portfolio.need.periods[0].year}–{advice.portfolio.need.periods[-1].year}"
    net = f"{euro(money['p50'] / 1e6, 1)}"
    en = language == "en"
    m = lambda x: euro(x / 1e6, 1)  # noqa: E731
    if money["with_plan"]:
        cost_en = (
            f"Net municipal cost {years} with the plan: {net} million (median; without it "
            f"{m(money['without_p50'])} million, but {m(money['without_p90'])} million in the "
            "heaviest tenth of futures, emergency places included)"
        )
        cost_nl = (
            f"Netto kosten gemeente {years} met het plan: {net} mln (mediaan; zonder plan "
            f"{m(money['without_p50'])} mln, maar {m(money['without_p90'])} mln in het zwaarste "
            "tiende van de toekomsten, noodopvang meegerekend)"
        )
        key_en, key_nl = (
            f"Net municipal cost {years}, with plan",
            f"Netto kosten gemeente {years}, met plan",
        )
    else:
        cost_en = f"Net cost of the current portfolio {years}: {net} million (median)" + (
            f", of which {m(money['emergency_p50'])} million emergency places"
            if money.get("emergency_p50", 0.0) > 0.1 * max(money["p50"], 1.0)
            else ""
        )
        cost_nl = f"Netto kosten huidige portefeuille {years}: {net} mln (mediaan)" + (
            f", waarvan {m(money['emergency_p50'])} mln noodopvang"
            if money.get("emergency_p50", 0.0) > 0.1 * max(money["p50"], 1.0)
            else ""
        )
        key_en, key_nl = f"Net municipal cost {years}", f"Netto kosten gemeente {years}"
    if advice.plan is not None:
        f = plan_facts(advice)
        stream, p_short, p_with = _plan_chances(advice)
        window = period_name(f["window"], language)
        word = stream_name(stream, language)
        if en:
            risk = (
                f"Without new locations the chance of a shortfall from {window} on is "
                f"{percent(p_short)} for {word}; the recommended plan opens "
                f"{_locations(len(f['opened']), 'en')} ({thousands(f['places'])} places, investment "
                f"{euro(f['capex_eur'] / 1e6, 1)} million). Chance of a shortfall without → with the "
                f"plan: {_chances_text(advice, 'en')}"
            )
            key = f"Chance of a shortfall from {window} ({word}), without → with plan"
        else:
            risk = (
                f"Zonder nieuwe locaties is de kans op een tekort vanaf {window} {percent(p_short)} "
                f"voor {word}; het aanbevolen plan opent {_locations(len(f['opened']), 'nl')} "
                f"({thousands(f['places'])} plaatsen, investering {euro(f['capex_eur'] / 1e6, 1)} mln). "
                f"Kans op een tekort zonder → met plan: {_chances_text(advice, 'nl')}"
            )
            key = f"Kans op een tekort vanaf {window} ({word}), zonder → met plan"
        if f["opened"].empty and not f["candidates"]:  # nothing to plan with
            risk = (
                f"Without new locations the chance of a shortfall from {window} on is "
                f"{percent(p_short)} for {word}, and the location register holds no candidate "
                "location a plan could open: it is probably incomplete"
                if en
                else f"Zonder nieuwe locaties is de kans op een tekort vanaf {window} "
                f"{percent(p_short)} voor {word}, en het locatieregister bevat geen "
                "kandidaat-locatie die een plan kan openen: het is waarschijnlijk onvolledig"
            )
        value = f"{percent(p_short)} → {percent(p_with)}"
    else:
        stream, p_short, first = _risk(advice)
        p_cand = _risk(advice, "with_candidates")[1]
        word = stream_name(stream, language)
        if en:
            risk = (
                f"With the current and planned locations the chance of a shortfall in a single month "
                f"reaches {percent(p_short)} for {word}"
                + (f", first above 10% in {period_name(first, 'en')}" if first else "")
                + f"; with the candidate locations it falls to {percent(p_cand)}"
            )
            key = f"Highest chance of a shortfall in one month ({word}), now → with candidates"
        else:
            risk = (
                f"Met de huidige en geplande locaties loopt de kans op een tekort in één maand voor "
                f"{word} op tot {percent(p_short)}"
                + (f", voor het eerst boven 10% in {period_name(first, 'nl')}" if first else "")
                + f"; met de kandidaat-locaties daalt die naar {percent(p_cand)}"
            )
            key = f"Hoogste kans op een tekort in één maand ({word}), nu → met kandidaten"
        value = f"{percent(p_short)} → {percent(p_cand)}"
    if en:
        text = (
            f"{name} needs about {thousands(places_now)} reception places now. {risk}. {cost_en}."
        )
        keys = ("Reception places needed now", key, key_en)
        unit = "million"
    else:
        text = f"{name} heeft nu ongeveer {thousands(places_now)} opvangplaatsen nodig. {risk}. {cost_nl}."
        keys = ("Opvangplaatsen nodig nu", key, key_nl)
        unit = "mln"
    numbers = {keys[0]: thousands(places_now), keys[1]: value, keys[2]: f"{net} {unit}"}
    return text, numbers


def purchases_in_plan(advice: Advice) -> list[str]:
    """Ids of the candidate buildings the recommended plan buys (purchase, conversion, own or flex
    units); planned locations are decided already."""
    if advice.plan is None:
        return []
    from model.business_case_inputs import BUY_KINDS

    reg = advice.portfolio.register.table  # indexed by id
    buy = reg.index[(reg["status"] == "candidate") & reg["kind"].isin(BUY_KINDS)]
    return [i for i in plan_facts(advice)["opened"]["location_id"] if i in buy]


def decision_points(advice: Advice, language: str = "nl") -> list[str]:
    """The besluitpunten: decisions of the college and proposals to the raad, each with a date
    after the peildatum and an argument (:mod:`model.reporting.besluitpunten`)."""
    from model.reporting.besluitpunten import decision_points as points

    return points(advice, language)


def risk_by_stream(advice: Advice) -> dict[str, float]:
    """Highest monthly shortfall probability per stream for the committed portfolio."""
    s = advice.portfolio.tables["gap_summary"]
    s = s[s["portfolio"] == "committed"]
    return {
        str(r.stream): float(np.round(r.max_shortfall_probability_share, 3)) for r in s.itertuples()
    }


def speaker_notes(advice: Advice, key: str, language: str = "nl") -> str:
    """What a presenter says with a figure of the advice: its numbers, in one or two sentences."""
    en = language == "en"
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    end = advice.portfolio.need.periods[-1].year
    if key == "need":
        parts = []
        for stream in ("ukraine", "asylum", "status_holders"):
            v = s[stream]
            name = label(stream, language).split(" (")[0]
            parts.append(
                f"{name}: {'now' if en else 'nu'} {thousands(v['start_p50'])}, {end} {thousands(v['end_p50'])} "
                f"({'80% band' if en else '80%-band'} {thousands(v['end_p10'])}–{thousands(v['end_p90'])})"
            )
        return "; ".join(parts) + "."
    if key in ("capacity_need", "shortfall_risk"):
        t = advice.portfolio.tables["gap_summary"]
        t = t[t["portfolio"] == "committed"]
        parts = []
        for r in t.itertuples():
            name = label(str(r.stream), language).split(" (")[0]
            first = str(r.first_month_risk_over_10pct or "")
            when = (
                f", {'first above 10% in' if en else 'voor het eerst boven 10% in'} {period_name(first, language)}"
                if first and first != "nan"
                else ""
            )
            parts.append(f"{name}: max. {percent(float(r.max_shortfall_probability_share))}{when}")
        lead = (
            "Highest chance of a shortfall in a single month with the current portfolio — "
            if en
            else "Hoogste kans op een tekort in één maand met de huidige portefeuille — "
        )
        return lead + "; ".join(parts) + "."
    if key in ("plan_timeline", "plan_tradeoff") and advice.plan is not None:
        from model.reporting.plan import tradeoff_sentence

        f = plan_facts(advice)
        opened = ", ".join(
            f"{r.name} ({period_name(r.quarter, language)})" for r in f["opened"].itertuples()
        )
        text = (
            f"The plan opens {opened}; investment {euro(f['capex_eur'])}; chance of a shortfall without → with the plan: {_chances_text(advice, 'en')}."
            if en
            else f"Het plan opent {opened}; investering {euro(f['capex_eur'])}; kans op een tekort zonder → met plan: {_chances_text(advice, 'nl')}."
        )
        return text + (
            " " + tradeoff_sentence(advice.plan, language) if key == "plan_tradeoff" else ""
        )
    if key == "budget":
        money = horizon_money(advice.portfolio)
        return (
            f"Net cost over the horizon {euro(money['net_cost_p50'] / 1e6, 1)} million (80% band "
            f"{euro(money['net_cost_p10'] / 1e6, 1)}–{euro(money['net_cost_p90'] / 1e6, 1)} million); income from the "
            f"national government {euro(money['income_total_p50'] / 1e6, 1)} million."
            if en
            else f"Netto kosten over de horizon {euro(money['net_cost_p50'] / 1e6, 1)} mln (80%-band "
            f"{euro(money['net_cost_p10'] / 1e6, 1)}–{euro(money['net_cost_p90'] / 1e6, 1)} mln); vergoeding van het Rijk "
            f"{euro(money['income_total_p50'] / 1e6, 1)} mln."
        )
    if key in ("npv_distributions", "tornado") and advice.business_case is not None:
        from model.reporting.business_case_narrative import headline as bc_headline

        return bc_headline(advice.business_case, language)[0]
    if key == "map" and advice.results.place is not None:
        spread = advice.results.place.spread
        col = next((c for c in spread.columns if "per_1000" in c), None)
        if col is not None and len(spread):
            top = spread.sort_values(col, ascending=False).iloc[0]
            name = top.get("wijk_name", top.get("wijk_code", ""))
            return (
                f"Highest load: {name}, {top[col]:.1f} places per 1,000 inhabitants."
                if en
                else f"Hoogste belasting: {name}, {str(round(float(top[col]), 1)).replace('.', ',')} plaatsen per 1.000 inwoners."
            )
    if key == "mca":
        mca = advice.results.tables.get("mca")
        if mca is not None and len(mca) and "score" in mca:
            best = mca.sort_values("score", ascending=False).iloc[0]
            return (
                f"Highest score: {best.get('name', best.get('location_id', ''))}."
                if en
                else f"Hoogste score: {best.get('name', best.get('location_id', ''))}."
            )
    return ""
