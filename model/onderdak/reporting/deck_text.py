"""The words of the deck and its message titles, made from the facts a run recorded.

A slide's title says the finding ("Zonder nieuwe locaties is een tekort vrijwel zeker; met het
plan is de kans 6% voor asielzoekers"), not the topic. The numbers come from the tables the
notebook recorded (``plan_shortfall``, ``plan_table``, ``plan_money``, ``gap_summary``,
``need_table``, ``signposts``, ``key_assumptions``); the words live in the message catalogs
(``messages/<language>/deck.yaml``).
A figure or table recorded with ``message=`` keeps that message as its title.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from onderdak.reporting import i18n
from onderdak.reporting import voorstel_facts as vf
from onderdak.reporting.artefacts import Artefacts
from onderdak.reporting.i18n import LANGUAGES, stream_name
from onderdak.reporting.plan import money_row
from onderdak.reporting.style import period_name

WORD_KEYS = (
    "key",
    "decisions",
    "source",
    "fictional",
    "rows",
    "peildatum",
    "scenario",
    "certain",
    "likely",
    "and",
    "more",
    "less",
    "places",
    "planning_mpp",
    "million",
)
"""The deck's single words (``deck.<key>`` in the message catalogs)."""
ACTIONS = ("open", "keep", "convert", "close", "extend", "reject")
COLUMNS = ("location", "target_group", "decision", "places", "from", "decide_by")
SIGNPOST_COLUMNS = ("signal", "threshold", "then")


def say(key: str, language: str, **facts: Any) -> str:
    """The deck's message ``key`` (``deck.<key>`` in the catalogs) with ``facts`` filled in."""
    return i18n.text(f"deck.{key}", language, **facts)


def words(language: str) -> dict[str, Any]:
    """The deck's words in ``language``: the single words, the actions, the column heads."""
    out: dict[str, Any] = {k: say(k, language) for k in WORD_KEYS}
    out["action"] = {a: say(f"action_{a}", language) for a in ACTIONS}
    out["columns"] = tuple(say(f"col_{c}", language) for c in COLUMNS)
    out["signpost_columns"] = tuple(say(f"sig_{c}", language) for c in SIGNPOST_COLUMNS)
    return out


def number(x: float, language: str, decimals: int = 0) -> str:
    """12.345,6 (Dutch) or 12,345.6 (English), through the one formatter."""
    return i18n.number(x, decimals, language)


def percent(x: float) -> str:
    return i18n.percent(x)


def millions(x: float, language: str) -> str:
    """€ 15,5 mln / €15.5 million (the Dutch space does not break)."""
    return i18n.millions(x, 1, language)


def count_word(n: int, language: str) -> str:
    """A count in words up to twelve ('drie', 'three'), else in figures."""
    return say("count", language, n=int(n))


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def joined(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {say('and', language)} " + items[-1]


def table(artefacts: Artefacts, key: str) -> pd.DataFrame | None:
    """A recorded table by key (None when the run did not record it or it is empty)."""
    entry = next((e for e in artefacts.tables if e["key"] == key), None)
    if entry is None:
        return None
    try:
        frame = artefacts.table(entry)
    except (OSError, ValueError):
        return None
    return frame if len(frame) else None


def text_of(value: Any) -> str:
    """A cell as text ('' for a missing value)."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def month_after(month: str, peildatum: str) -> str:
    """The month a decision is due: ``month``, or the month after the peildatum when later."""
    if not peildatum:
        return month

    return str(vf.due(month, pd.Period(peildatum, freq="M"))[0])


def plan_rows(artefacts: Artefacts) -> pd.DataFrame | None:
    """The plan's locations (``plan_table``: codes and numbers), or None."""
    frame = table(artefacts, "plan_table")
    if frame is None or "action" not in frame:
        return None
    for col in ("decide_by", "quarter", "name", "streams"):
        if col in frame:
            frame[col] = frame[col].map(text_of)
    return frame


def streams_of(cell: str, language: str) -> str:
    """'ukraine:40;asylum:20' → 'Oekraïners, asielzoekers'."""
    names = []
    for part in re.split(r"[;,]", cell or ""):
        code = part.split(":")[0].strip()
        if code and stream_name(code, language) not in names:
            names.append(stream_name(code, language))
    return capital(", ".join(names))


def key_title(artefacts: Artefacts, language: str) -> str | None:
    """The key message as one finding: the shortfall without new locations and with the plan."""
    frame = table(artefacts, "plan_shortfall")
    if frame is None:
        return None
    rows = frame.sort_values("shortfall_chance_without_plan_share", ascending=False)
    worst = float(rows["shortfall_chance_without_plan_share"].iloc[0])
    order = frame.sort_values("shortfall_chance_with_plan_share")
    with_ = joined(
        [
            say(
                "chance_for",
                language,
                p=percent(r.shortfall_chance_with_plan_share),
                stream=stream_name(r.stream, language),
            )
            for r in order.itertuples()
        ],
        language,
    )
    if worst >= 0.95 or worst >= 0.5:
        how = say("certain" if worst >= 0.95 else "likely", language)
        return say("key_title", language, how=how, with_=with_)
    without = joined(
        [
            say(
                "chance_for",
                language,
                p=percent(r.shortfall_chance_without_plan_share),
                stream=stream_name(r.stream, language),
            )
            for r in rows.itertuples()
        ],
        language,
    )
    return say("key_title_chance", language, without=without, with_=with_)


def decision_rows(artefacts: Artefacts, peildatum: str) -> pd.DataFrame | None:
    """The plan's decisions that change something (open, convert, close), by due month."""
    rows = plan_rows(artefacts)
    if rows is None:
        return None
    rows = rows[~rows["action"].isin(["keep", "reject"])].copy()
    if rows.empty:
        return None
    rows["due"] = [
        month_after(m, peildatum) if m else "" for m in rows.get("decide_by", [""] * len(rows))
    ]
    return rows


def decisions_title(artefacts: Artefacts, n: int, language: str, peildatum: str) -> str:
    rows = decision_rows(artefacts, peildatum)
    dated = [] if rows is None else sorted(d for d in rows["due"] if d)
    if dated:
        return say(
            "decisions_title",
            language,
            n=capital(count_word(n, language)),
            month=period_name(dated[0], language),
        )
    return say("decisions_title_plain", language, n=capital(count_word(n, language)))


def plan_title(rows: pd.DataFrame, language: str) -> str:
    opened = rows[rows["action"] == "open"]
    dated = sorted(d for d in rows["due"] if d)
    title = say(
        "plan_title",
        language,
        n=count_word(len(opened), language),
        places=number(float(opened["places"].sum()), language),
        month=period_name(dated[0], language) if dated else "–",
    )
    closed = len(rows) - len(opened)
    if closed:
        head, _, tail = title.partition(";")
        title = (
            head
            + " "
            + say("plan_title_close", language, k=count_word(closed, language))
            + ";"
            + tail
        )
    return title


def money_facts(artefacts: Artefacts, language: str) -> dict[str, float | str] | None:
    """Net cost with and without the plan over the horizon (medians from ``plan_money``)."""
    shown = table(artefacts, "plan_money")
    detail = table(artefacts, "plan_money_table")
    if shown is None:
        return None
    labels = {money_row("net_cost", lang) for lang in LANGUAGES}
    first = shown.columns[0]
    hit = shown[shown[first].astype(str).isin(labels)]
    if hit.empty:
        return None
    row = hit.iloc[0]

    def euros(cell: Any) -> float:
        text = text_of(cell)
        digits = re.sub(r"[^0-9]", "", text)
        value = float(digits) if digits else float("nan")
        return -value if text.strip().startswith(("−", "-")) else value

    facts: dict[str, float | str] = {"without": euros(row.iloc[1]), "with": euros(row.iloc[2])}
    if detail is not None and "year" in detail:
        facts["span"] = f"{int(detail['year'].min())}–{int(detail['year'].max())}"
    return facts


def money_title(artefacts: Artefacts, language: str) -> str | None:
    facts = money_facts(artefacts, language)
    if facts is None:
        return None
    net, without = float(facts["with"]), float(facts["without"])
    span = str(facts.get("span", ""))
    if without != without:
        return say("money_title_plain", language, net=millions(net, language), span=span)
    diff = net - without
    return say(
        "money_title",
        language,
        net=millions(net, language),
        span=span,
        diff=millions(abs(diff), language),
        more=say("more" if diff >= 0 else "less", language),
    )


def risk_lines(artefacts: Artefacts, language: str) -> tuple[str, list[str]]:
    """The risks slide: title and paragraphs (streams short of the reliability, key assumptions)."""
    lines: list[str] = []
    short: list[str] = []
    frame = table(artefacts, "plan_shortfall")
    if frame is not None:
        for r in frame.itertuples():
            lines.append(
                say(
                    "risk_stream",
                    language,
                    Stream=capital(stream_name(r.stream, language)),
                    with_=percent(r.shortfall_chance_with_plan_share),
                    without=percent(r.shortfall_chance_without_plan_share),
                    asked=percent(r.reliability_asked_share),
                    reached=percent(r.reliability_share),
                )
            )
            if r.reliability_share + 1e-9 < r.reliability_asked_share:
                short.append(stream_name(r.stream, language))
    assumptions = table(artefacts, "key_assumptions")
    n = 0
    if assumptions is not None and assumptions.shape[1] >= 4:
        n = len(assumptions)
        for row in assumptions.head(4).itertuples(index=False):
            lines.append(
                say(
                    "assumption",
                    language,
                    name=text_of(row[0]),
                    value=text_of(row[1]),
                    why=text_of(row[3]),
                ).strip()
            )
    if short:
        return say("risks_short", language, streams=joined(short, language)), lines
    return say("risks_ok", language, n=count_word(n, language)), lines


def planning_lines(rows: pd.DataFrame, language: str) -> tuple[str, list[str]]:
    """The next steps: each location decision by the month it is due, then the closures."""
    lines = []
    opened = rows[(rows["action"] == "open") & (rows["due"] != "")].sort_values(["due", "quarter"])
    for due, group in opened.groupby("due", sort=True):
        lines.append(
            say(
                "planning_item",
                language,
                month=capital(period_name(due, language)),
                what=joined(
                    [
                        say(
                            "planning_place",
                            language,
                            name=r.name,
                            places=number(float(r.places), language),
                            quarter=period_name(r.quarter, language),
                        )
                        for r in group.itertuples()
                    ],
                    language,
                ),
            )
        )
    for r in rows[rows["action"] != "open"].sort_values("quarter").itertuples():
        lines.append(
            capital(
                say(
                    "planning_close",
                    language,
                    quarter=period_name(r.quarter, language),
                    name=r.name,
                    action=say(f"action_{r.action}", language) if r.action in ACTIONS else r.action,
                )
            )
        )
    lines.append(say("planning_mpp", language))
    dates = list(opened["due"])  # one per location: "eight more follow" counts decisions
    if not dates:
        return "", lines
    if len(dates) == 1:
        return say("planning_title_one", language, month=period_name(dates[0], language)), lines
    return (
        say(
            "planning_title",
            language,
            month=period_name(dates[0], language),
            last=period_name(dates[-1], language),
            rest=count_word(len(dates) - 1, language),
        ),
        lines,
    )
