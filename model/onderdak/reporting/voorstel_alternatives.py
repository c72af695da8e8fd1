"""The collegevoorstel's section Alternatieven: the recommended plan beside the plan-level
alternatives (no purchases, only extensions) and the business case's, in words, a table and its
data (words from ``messages/<language>/voorstel.yaml``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from onderdak.reporting import voorstel_facts as vf
from onderdak.reporting.business_case import alternative_labels, ranking
from onderdak.reporting.i18n import millions, percent, stream_name, text
from onderdak.reporting.voorstel import join_items, streams_text


def _chances(values: dict[str, float], language: str) -> str:
    return join_items(
        [f"{stream_name(k, language)} {percent(v, 0, language)}" for k, v in values.items()],
        language,
    )


def alternatives(advice: Any, language: str = "nl") -> str:
    """The plan-level alternatives the model computed: nothing (the current locations), the plans
    for other reliability levels, and the forms of the purchase in the business case."""
    if advice.plan is None:
        return ""
    nothing = vf.nothing_to_plan(advice)
    out = [text("voorstel.alt.intro", language, nothing=nothing)]
    chances = vf.stream_chances(advice)
    if advice.plan.money is not None:
        m = vf.money(advice)
        out.append(
            "- "
            + text(
                "voorstel.alt.none",
                language,
                chances=_chances({c["stream"]: c["without"] for c in chances}, language),
                net=m["without_net_p50"],
                p90=m["without_net_p90"],
            )
        )
    plan_cost = float(advice.plan.summary["expected_cost_eur"])
    for key, alt in advice.alternatives.items():
        out.append(
            "- "
            + text(
                "voorstel.alt.restricted",
                language,
                title=text(f"voorstel.alt.name.{key}", language),
                detail=text(f"voorstel.alt.detail.{key}", language, extended=alt["extended"]),
                cost=alt["expected_cost_eur"],
                plan_cost=plan_cost,
                capex=alt["capex_eur"],
                places=alt["places"],
                chances=_chances(alt["chances"], language),
                short=streams_text(alt["short"], language),
            )
        )
    t = advice.plan.tables["tradeoff"]
    asked = max(c["asked"] for c in chances)
    for r in t[t["feasible"]].itertuples():
        if abs(r.reliability_share - asked) < 1e-9 or r.places_opened <= 0:
            continue
        values = {
            c["stream"]: float(getattr(r, f"shortfall_chance_{c['stream']}_share"))
            for c in chances
            if hasattr(r, f"shortfall_chance_{c['stream']}_share")
        }
        out.append(
            "- "
            + text(
                "voorstel.alt.level",
                language,
                level=r.reliability_share,
                capex=r.capex_eur,
                places=r.places_opened,
                chances=_chances(values, language),
            )
        )
    bc = advice.business_case
    if bc is not None:
        order = ranking(bc)
        if len(order) > 1:
            labels = alternative_labels(bc)
            cost = {n: -float(bc.results[n].npv_eur.mean()) for n in order[:2]}
            reg = vf.register(advice)
            name = str(reg.at[bc.location_id, "name"]) if bc.location_id in reg.index else ""
            out.append(
                "- "
                + text(
                    "voorstel.alt.purchase",
                    language,
                    name=name,
                    count=len(order),
                    best=f"'{labels[order[0]]}'",
                    second=f"'{labels[order[1]]}'",
                    gap=cost[order[1]] - cost[order[0]],
                )
            )
    missing = [k for k in ALTERNATIVES if k not in advice.alternatives]
    if nothing:
        out.append(text("voorstel.alt.nothing", language))
        return "\n".join(out[:-1]) + "\n\n" + out[-1]
    if missing:
        out.append(text("voorstel.alt.not_computed", language, missing=missing))
        return "\n".join(out[:-1]) + "\n\n" + out[-1]
    return "\n".join(out)


ALTERNATIVES = ("no_purchases", "extend_only")
"""The plan-level alternatives the advice computes (:func:`onderdak.reporting.advice.plan_alternatives`)."""


def _alternative_rows(advice: Any, language: str) -> tuple[list[str], list[tuple]]:
    """The streams, and per alternative (the plan, doing nothing, the plan-level alternatives):
    its name, expected cost, investment (None: none), chance of a shortfall per stream and the
    streams whose reliability asked it does not reach."""
    summary = advice.plan.summary
    streams = list(summary["streams"])
    chances = {c["stream"]: c for c in vf.stream_chances(advice)}
    rows = [
        (
            text("voorstel.alt.row.plan", language),
            summary["expected_cost_eur"],
            summary["capex_eur"],
            {k: chances[k]["with_plan"] for k in streams},
            [k for k in streams if chances[k]["reached"] < chances[k]["asked"] - 1e-9],
        ),
        (
            text("voorstel.alt.row.none", language),
            summary["expected_cost_without_plan_eur"],
            None,
            {k: chances[k]["without"] for k in streams},
            [k for k in streams if chances[k]["without"] > 1 - chances[k]["asked"] + 1e-9],
        ),
    ]
    if vf.nothing_to_plan(advice):
        rows = rows[1:]
    for key, alt in advice.alternatives.items():
        rows.append(
            (
                text(f"voorstel.alt.name.{key}", language),
                alt["expected_cost_eur"],
                alt["capex_eur"],
                alt["chances"],
                alt["short"],
            )
        )
    return streams, rows


def alternatives_table(advice: Any, language: str = "nl") -> pd.DataFrame:
    """The recommended plan, doing nothing and the plan-level alternatives side by side: expected
    cost (present value, emergency places included), investment and per stream the chance of a
    shortfall, and whether the reliability asked is reached."""
    if advice.plan is None:
        return pd.DataFrame()
    streams, rows = _alternative_rows(advice, language)
    column = lambda c, **f: text(f"voorstel.alt.column.{c}", language, **f)  # noqa: E731
    return pd.DataFrame(
        [
            {
                column("name"): name,
                column("cost"): millions(cost, 1, language),
                column("capex"): "–" if capex is None else millions(capex, 1, language),
                **{column("chance", stream=k): percent(ch.get(k), 0, language) for k in streams},
                column("reached"): text(
                    "voorstel.alt.reached", language, short=streams_text(short, language)
                ),
            }
            for name, cost, capex, ch, short in rows
        ]
    )


def alternatives_data(advice: Any, language: str = "nl") -> pd.DataFrame:
    """:func:`alternatives_table` for the workbook: the euros and shares as numbers."""
    if advice.plan is None:
        return pd.DataFrame()
    streams, rows = _alternative_rows(advice, language)
    return pd.DataFrame(
        [
            {
                "alternative": name,
                "expected_cost_eur": round(float(cost)),
                "capex_eur": None if capex is None else round(float(capex)),
                **{f"shortfall_chance_{k}_share": ch.get(k) for k in streams},
                "reliability_asked_reached": text(
                    "voorstel.alt.reached", language, short=streams_text(short, language)
                ),
            }
            for name, cost, capex, ch, short in rows
        ]
    )
