"""The narrative of the business-case report: key message, outcome, flexibility, sensitivity, a
recommendation and its caveats. The words are in the message catalogs
(``messages/<language>/business_case_narrative.yaml``); this module gathers the facts."""

from __future__ import annotations

import math

import numpy as np

from onderdak.business_case.evaluate import BusinessCase
from onderdak.reporting import i18n
from onderdak.reporting.business_case import (
    COMPONENT_GROUP,
    GROUPS,
    alternative_labels,
    eur_millions,
    input_name,
    metric_value,
    percent,
    ranking,
)

_K = "business_case_narrative."


def _text(key: str, language: str | None, **facts: object) -> str:
    return i18n.text(_K + key, language, **facts)


def _finite(x: float) -> float | None:
    """The value, or None when it is not a finite number (the message then leaves its clause out)."""
    return float(x) if np.isfinite(x) else None


def owned(bc: BusinessCase) -> bool:
    """Whether the municipality already has the building (the register's status ``existing``)."""
    row = bc.location
    return row is not None and str(row.get("status")) == "existing"


def shortfall_text(bc: BusinessCase, language: str = "nl") -> str:
    """Who bears what an alternative cannot hold, by the one account per stream (one clause)."""
    share = np.asarray(bc.inputs.municipal_recourse_share, dtype=float)
    who = "municipality" if np.all(share == 1) else "coa" if np.all(share == 0) else "split"
    return _text("shortfall", language, who=who, rate=bc.inputs.recourse_eur_per_place_day)


def flexibility_sentence(bc: BusinessCase, language: str = "nl") -> str:
    """The value of flexibility explained in one sentence, with its bound."""
    f = bc.flexibility
    return _text(
        "flexibility",
        language,
        years=bc.inputs.years,
        bound=f.bound_eur,
        bounded=f.bounded_share,
    )


def headline(bc: BusinessCase, language: str = "nl") -> tuple[str, dict[str, str]]:
    """The key message and up to four headline numbers."""
    best = ranking(bc)[0]
    rule = bc.location_alternative
    buy_cost = -metric_value(bc, rule, "npv_eur")
    text = _text(
        "headline",
        language,
        best=alternative_labels(bc, language)[best],
        chance=metric_value(bc, best, "probability_cheapest_share"),
        owned=owned(bc),
        cost=buy_cost,
        years=bc.inputs.years,
    )
    chance = metric_value(bc, rule, "probability_cheapest_share") + metric_value(
        bc, bc.fixed_alternative, "probability_cheapest_share"
    )
    covering = metric_value(bc, rule, "normbedrag_cost_covering_eur_per_place_day")
    numbers = {
        _text("key_cost", language, owned=owned(bc)): eur_millions(buy_cost),
        _text("key_chance", language, owned=owned(bc)): percent(chance),
        _text("key_flexibility", language): eur_millions(bc.flexibility.mean_eur),
        _text("key_covering", language): _text("covering", language, covering=_finite(covering)),
    }
    return text, numbers


def _top_drivers(bc: BusinessCase, language: str, n: int = 3) -> str:
    parts = [
        _text("driver", language, name=input_name(p, language), swing=s)
        for p, s in zip(bc.tornado["parameter"][:n], bc.tornado["swing_eur"][:n], strict=False)
    ]
    return _text("drivers", language, parts=parts)


def _reuse_name(bc: BusinessCase, language: str) -> str:
    reuse = bc.results[bc.location_alternative].alternative.reuse
    if reuse is None:
        return _text("no_reuse", language)
    key = f"reuse.{reuse.option}"
    return i18n.text(key, language) if key in i18n.catalog(i18n._lang(language)) else reuse.option


def narrative(bc: BusinessCase, language: str = "nl") -> str:
    """The business case in words (Markdown): what was compared, what came out, a recommendation and its caveats."""
    case, row = bc.case, bc.location
    rule, fixed = bc.location_alternative, bc.fixed_alternative
    order = ranking(bc)
    best = order[0]
    labels = alternative_labels(bc, language)
    reuse_name = _reuse_name(bc, language)
    f = bc.flexibility
    cost = {n: -metric_value(bc, n, "npv_eur") for n in order}
    covering = metric_value(bc, rule, "normbedrag_cost_covering_eur_per_place_day")
    hotel_f = (
        metric_value(bc, "hotel", "break_even_occupancy_factor")
        if "hotel" in bc.results
        else math.nan
    )
    is_owned = owned(bc)
    intro = _text(
        "intro",
        language,
        municipality=case.municipality.name if case is not None else "",
        fictional=bool(getattr(case, "fictional", False)),
        owned=is_owned,
        name=bc.location_name,
        places=f"{row['capacity_places']:.0f}",
        price=None if is_owned else float(row["purchase_price_eur"]),
    )
    compare = _text(
        "compare",
        language,
        n=len(order),
        need=f"{float(bc.inputs.need_places.mean()):.0f}",
        years=bc.inputs.years,
        paths=bc.inputs.paths,
        scenario=case.scenario if case is not None else "basis",
        shortfall=shortfall_text(bc, language),
        price_year=getattr(case, "price_year", ""),
        rate=bc.inputs.discount_rate_share,
    )
    better = (
        f.best_label.removeprefix("rule_").removesuffix("m")
        if f.best_label not in ("rule", "fixed")
        else None
    )
    lines = [
        intro + " " + compare,
        "",
        _text(
            "outcome",
            language,
            best=labels[best],
            cost_best=cost[best],
            p10=metric_value(bc, best, "net_present_cost_eur", "p10"),
            p90=metric_value(bc, best, "net_present_cost_eur", "p90"),
            chance_best=metric_value(bc, best, "probability_cheapest_share"),
            owned=is_owned,
            cost_rule=cost[rule],
            cost_fixed=cost[fixed],
        ),
        "",
        _text(
            "flexibility_value",
            language,
            reuse=reuse_name,
            rule_months=bc.results[rule].alternative.rule_months,
            flex=f.mean_eur,
            positive=f.probability_positive_share,
            better=better,
            best_eur=f.best_eur,
            perfect=f.perfect_foresight_eur,
            sentence=flexibility_sentence(bc, language),
        ),
        "",
        _text(
            "sensitivity",
            language,
            owned=is_owned,
            drivers=_top_drivers(bc, language),
            covering=_finite(covering),
            normbedrag=bc.last_normbedrag_eur_per_place_day,
            hotel=_finite(hotel_f),
        ),
        "",
        _text("advice", language) + " " + _recommendation(bc, order, cost, reuse_name, language),
        "",
        _text("caveats", language),
        *[f"- {c}" for c in _caveats(bc, language)],
    ]
    return "\n".join(lines)


def _recommendation(
    bc: BusinessCase,
    order: list[str],
    cost: dict[str, float],
    reuse_name: str,
    language: str = "nl",
) -> str:
    rule, fixed = bc.location_alternative, bc.fixed_alternative
    labels = alternative_labels(bc, language)
    best = order[0]
    f = bc.flexibility
    chance_buy = metric_value(bc, rule, "probability_cheapest_share") + metric_value(
        bc, fixed, "probability_cheapest_share"
    )
    if best in (rule, fixed):
        months = bc.results[rule].alternative.rule_months
        if f.best_label.startswith("rule_"):
            months = int(f.best_label.removeprefix("rule_").removesuffix("m"))
        runner_up = next(n for n in order if n not in (rule, fixed))
        return _text(
            "recommend",
            language,
            owned=owned(bc),
            name=bc.location_name,
            flexible=f.mean_eur >= 0,
            reuse=reuse_name,
            months=months,
            saving=cost[runner_up] - cost[best],
            runner_up=labels[runner_up],
            chance=chance_buy,
            p90=metric_value(bc, best, "net_present_cost_eur", "p90"),
            driver=_worst_paths_driver(bc, best, language),
        )
    return _text(
        "recommend_other",
        language,
        owned=owned(bc),
        best=labels[best],
        saving=cost[rule] - cost[best],
        chance=chance_buy,
    )


def _worst_paths_driver(bc: BusinessCase, name: str, language: str = "nl") -> str:
    """The cost group that weighs most on the 10% of paths where ``name`` is dearest (in words)."""
    r = bc.results[name]
    worst = r.npv_eur <= np.quantile(r.npv_eur, 0.1)
    totals = {g: 0.0 for g in GROUPS}
    for comp, values in r.component_npv_eur.items():
        totals[COMPONENT_GROUP[comp]] += float(values[worst].mean() - values.mean())
    return _text(f"risk_{min(totals, key=lambda g: totals[g])}", language)


def _caveats(bc: BusinessCase, language: str = "nl") -> list[str]:
    keys = ["horizon", "normbedrag", "user_figures", "not_included", "rule"]
    if getattr(bc.case, "fictional", False):
        keys.append("fictional")
    return [_text(f"caveat_{k}", language) for k in keys]
