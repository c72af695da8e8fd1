"""The bestuurlijk advies: one computation of every stage for a case, its key message and the decisions asked."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from onderdak.business_case.evaluate import BusinessCase, load_business_case
from onderdak.io import resources
from onderdak.pipeline.results import Results, run_case
from onderdak.portfolio.analysis import PortfolioAnalysis, analyse_portfolio
from onderdak.reporting.portfolio_text import horizon_money


@dataclass
class Advice:
    """Everything the advice shows, computed once: scenarios, portfolio, business case (and plan)."""

    scenario: str
    results: Results
    portfolio: PortfolioAnalysis
    business_case: BusinessCase | None
    plan: Any = None  # onderdak.plan.build.OptimiseResult
    plan_error: str = ""  # the code of the InfeasibleError when no plan exists ('' when one does)
    plan_error_facts: dict[str, Any] = field(default_factory=dict)  # its facts, for the words
    alternatives: dict[str, dict[str, Any]] = field(default_factory=dict)  # plan_alternatives

    @property
    def case(self):
        return self.results.runs[self.scenario].case


ALTERNATIVE_SECONDS = 10.0
"""Time limit of each plan-level alternative's solve (the recommended plan has the case's)."""

PURCHASE_FORMS = ("buy", "build")
"""What the alternative "no purchases" leaves out: buildings bought and units built."""

ADVICE_LEVELS = (0.5, 0.8)
"""Reliability levels of the advice's trade-off, besides the case's own (the plan notebook shows all)."""


def prepare_advice(
    case_path: str | Path,
    scenario: str = "basis",
    paths: int = 1000,
    seed: int | None = None,
    plan: bool = True,
    language: str | None = None,
    openbaar: bool = False,
) -> Advice:
    """Run every stage of the pipeline for the advice (all scenarios; portfolio, plan and money for ``scenario``).

    The plan is the optimisation of :func:`onderdak.plan.build.optimise_case` for the advice's scenario,
    with the trade-off over a few reliability levels (no regret: the plan report has it). When the
    reliability asked cannot be reached, the plan is made for the most that can and says so; when no
    plan is possible at all (e.g. a budget too small), ``plan_error`` and ``plan_error_facts`` say
    why as a code and its facts (worded by :func:`onderdak.reporting.advice_text.no_plan`)."""
    from onderdak.core.errors import InfeasibleError
    from onderdak.plan.build import optimise_case

    if openbaar:  # the public variant: computed on a copy without candidates' addresses
        from onderdak.reporting.openbaar import public_copy

        public = public_copy(case_path, language or "nl")
        return prepare_advice(public, scenario, paths, seed, plan, language)
    case_path = resources.locate(case_path)
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
            advice.plan_error, advice.plan_error_facts = exc.code, exc.facts
    if advice.plan is not None:
        advice.alternatives = plan_alternatives(run.case, run.need, results.register, language)
    return advice


def _alternative_candidates(table: Any) -> dict[str, set[str]]:
    """Per plan-level alternative the candidates it may not use: "no_purchases" leaves out the
    buildings bought and the units built; "extend_only" every candidate that does not extend a
    current location (an AZC's contract after its end date). An alternative that would leave out
    nothing, or everything, is not made."""
    from onderdak.reporting.voorstel_facts import BUY_ACTIONS, extensions

    candidates = table[table["status"] == "candidate"]
    ids = {str(i) for i in candidates.index}
    bought = {
        str(i) for i, k in candidates["kind"].items() if BUY_ACTIONS.get(str(k)) in PURCHASE_FORMS
    }
    extend = extensions(table) & ids
    out = {}
    if bought and bought != ids:
        out["no_purchases"] = bought
    if extend and extend != ids:
        out["extend_only"] = ids - extend
    return out


def plan_alternatives(
    case: Any, need: Any, register: Any, language: str | None = None
) -> dict[str, dict[str, Any]]:
    """The plan-level alternatives: the cheapest plan without purchases and the one that only
    extends the current locations, each one extra solve (time-limited, no trade-off, no money) on
    the same register with the other candidates forbidden. Per alternative the expected cost
    (present value, as the recommended plan's), the investment, the places opened, per stream the
    chance of a shortfall, the streams for which the reliability asked is not reached, the
    extensions it keeps and the seconds taken."""
    from onderdak.core.errors import InfeasibleError
    from onderdak.plan.build import optimise_case
    from onderdak.reporting.voorstel_facts import extensions

    table = register.table
    out: dict[str, dict[str, Any]] = {}
    for name, forbidden in _alternative_candidates(table).items():
        keep = set(case.optimise.must_keep)
        settings = case.optimise.model_copy(
            update={
                "forbidden": sorted({*case.optimise.forbidden, *(forbidden - keep)}),
                "time_limit_seconds": min(ALTERNATIVE_SECONDS, case.optimise.time_limit_seconds),
            }
        )
        started = time.perf_counter()
        try:
            result = optimise_case(
                case.model_copy(update={"optimise": settings}),
                need,
                table,
                levels=[],
                regret=False,
                language=language,
                fallback=True,
                money=False,
            )
        except InfeasibleError:
            continue
        streams = result.summary["streams"]
        opened = result.tables["plan"]
        opened = opened[opened["action"] == "open"]
        out[name] = {
            "expected_cost_eur": float(result.summary["expected_cost_eur"]),
            "capex_eur": float(result.summary["capex_eur"]),
            "places": float(opened["places"].sum()),
            "names": [str(n) for n in opened["name"]],
            "chances": {k: float(v["shortfall_chance_share"]) for k, v in streams.items()},
            "short": [
                k
                for k, v in streams.items()
                if v["reliability_share"] < v["reliability_asked_share"] - 1e-9
            ],
            "extended": sorted(str(table.at[i, "name"]) for i in extensions(table) - forbidden),
            "seconds": round(time.perf_counter() - started, 1),
        }
    return out


def _risk(advice: Advice, portfolio: str = "committed") -> tuple[str, float, str]:
    """Without a plan: the stream with the highest chance of a shortfall in a single month (the
    portfolio analysis's monthly profile, :mod:`onderdak.portfolio.allocation`), that chance and its first month over 10%."""
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
    :mod:`onderdak.need.shortfall`), that chance and the chance with the plan."""
    streams = advice.plan.summary["streams"]
    stream = max(streams, key=lambda k: streams[k]["shortfall_chance_without_plan_share"])
    v = streams[stream]
    return stream, v["shortfall_chance_without_plan_share"], v["shortfall_chance_share"]


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
    (emergency places included, :mod:`onderdak.plan.money`), or the committed portfolio's when there
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


def plan_headline(advice: Advice, language: str = "nl") -> tuple[str, dict[str, str]]:
    """Page 1 with a plan: peildatum and report date, the need now, per stream the one shortfall
    measure without → with the plan, the plan's investment and net cost (its money table) and
    the GOO cost per place-day against the normbedrag; the tiles are the same figures."""
    from onderdak.reporting import voorstel_facts as vf
    from onderdak.reporting.i18n import millions, percent, text

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
    from onderdak.reporting import voorstel_facts as vf
    from onderdak.reporting.i18n import millions, number, percent, text

    if advice.plan is not None and getattr(advice.plan, "money", None) is not None:
        if money_facts(advice)["with_plan"]:
            return plan_headline(advice, language)
    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    places_now = s["ukraine"]["start_p50"] + s["asylum"]["start_p50"]
    money = money_facts(advice)
    years = f"{advice.portfolio.need.periods[0].year}–{advice.portfolio.need.periods[-1].year}"
    if advice.plan is not None:
        f = plan_facts(advice)
        stream, p_short, p_with = _plan_chances(advice)
        nothing = vf.nothing_to_plan(advice)
        chances = vf.stream_chances(advice)
        now = vf.window_now(advice)
        risk = text(
            "advice.key.risk_plan",
            language,
            window=f["window"],
            stream=stream,
            chance=p_short,
            n=len(f["opened"]),
            places=f["places"],
            capex=f["capex_eur"],
            chances=chances,
            nothing=nothing,
            now=now,
        )
        key = text(
            "advice.tile.risk_plan",
            language,
            window=f["window"],
            stream=stream,
            nothing=nothing,
            now=now,
        )
        value = (
            percent(p_short, 0, language)
            if nothing
            else f"{percent(p_short, 0, language)} → {percent(p_with, 0, language)}"
        )
    else:
        stream, p_short, first = _risk(advice)
        p_cand = _risk(advice, "with_candidates")[1]
        risk = text(
            "advice.key.risk_portfolio",
            language,
            stream=stream,
            chance=p_short,
            first=first if first and first != "nan" else "",
            with_candidates=p_cand,
        )
        key = text("advice.tile.risk_portfolio", language, stream=stream)
        value = f"{percent(p_short, 0, language)} → {percent(p_cand, 0, language)}"
    cost = text(
        "advice.key.cost",
        language,
        planned=bool(money["with_plan"]),
        years=years,
        net=money["p50"],
        without=money.get("without_p50", 0.0),
        without_p90=money.get("without_p90", 0.0),
        emergency=money.get("emergency_p50", 0.0),
        show_emergency=money.get("emergency_p50", 0.0) > 0.1 * max(money["p50"], 1.0),
    )
    sentence = " ".join(
        [
            text("advice.key.dates", language, peil=vf.peildatum(advice), today=vf.report_date()),
            text(
                "advice.key.need", language, name=advice.case.municipality.name, places=places_now
            ),
            risk,
            cost,
        ]
    )
    numbers = {
        text("advice.tile.places_now", language): number(places_now, 0, language),
        key: value,
        text("advice.tile.cost", language, years=years, planned=bool(money["with_plan"])): millions(
            money["p50"], 1, language
        ),
    }
    return sentence, numbers


def purchases_in_plan(advice: Advice) -> list[str]:
    """Ids of the candidate buildings the recommended plan buys (purchase, conversion, own or flex
    units); planned locations are decided already."""
    if advice.plan is None:
        return []
    from onderdak.business_case.options import BUY_KINDS

    reg = advice.portfolio.register.table  # indexed by id
    buy = reg.index[(reg["status"] == "candidate") & reg["kind"].isin(BUY_KINDS)]
    return [i for i in plan_facts(advice)["opened"]["location_id"] if i in buy]


def decision_points(advice: Advice, language: str = "nl") -> list[str]:
    """The besluitpunten: decisions of the college and proposals to the raad, each with a date
    after the peildatum and an argument (:mod:`onderdak.reporting.besluitpunten`)."""
    from onderdak.reporting.besluitpunten import decision_points as points

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
    from onderdak.reporting.i18n import text

    s = advice.results.summary["scenarios"][advice.scenario]["streams"]
    if key == "need":
        rows = [{"stream": k, **s[k]} for k in ("ukraine", "asylum", "status_holders")]
        return text(
            "advice.notes.need", language, rows=rows, end=advice.portfolio.need.periods[-1].year
        )
    if key in ("capacity_need", "shortfall_risk"):
        t = advice.portfolio.tables["gap_summary"]
        t = t[t["portfolio"] == "committed"]
        rows = [
            {
                "stream": str(r.stream),
                "chance": float(r.max_shortfall_probability_share),
                "first": str(r.first_month_risk_over_10pct or "").replace("nan", ""),
            }
            for r in t.itertuples()
        ]
        return text("advice.notes.risk", language, rows=rows)
    if key in ("plan_timeline", "plan_tradeoff") and advice.plan is not None:
        from onderdak.reporting.voorstel_facts import nothing_to_plan

        if nothing_to_plan(advice):
            return ""
        from onderdak.reporting.besluitpunten import _chances
        from onderdak.reporting.plan import tradeoff_sentence

        f = plan_facts(advice)
        opened = [{"name": r.name, "quarter": r.quarter} for r in f["opened"].itertuples()]
        out = text(
            "advice.notes.plan",
            language,
            opened=opened,
            capex=f["capex_eur"],
            chances=_chances(advice),
        )
        return out + (
            " " + tradeoff_sentence(advice.plan, language) if key == "plan_tradeoff" else ""
        )
    if key == "budget":
        money = horizon_money(advice.portfolio)
        return text(
            "advice.notes.budget",
            language,
            net=money["net_cost_p50"],
            p10=money["net_cost_p10"],
            p90=money["net_cost_p90"],
            income=money["income_total_p50"],
        )
    if key in ("npv_distributions", "tornado") and advice.business_case is not None:
        from onderdak.reporting.business_case_narrative import headline as bc_headline

        return bc_headline(advice.business_case, language)[0]
    if key == "map" and advice.results.place is not None:
        spread = advice.results.place.spread
        col = next((c for c in spread.columns if "per_1000" in c), None)
        if col is not None and len(spread):
            top = spread.sort_values(col, ascending=False).iloc[0]
            name = top.get("wijk_name", top.get("wijk_code", ""))
            return text("advice.notes.map", language, name=name, load=float(top[col]))
    if key == "mca":
        mca = advice.results.tables.get("mca")
        if mca is not None and len(mca) and "score" in mca:
            best = mca.sort_values("score", ascending=False).iloc[0]
            return text(
                "advice.notes.mca", language, name=best.get("name", best.get("location_id", ""))
            )
    return ""
