"""A figure's slide title in the deck: its recorded message, or a finding read from the report's
tables (the need, the shortfall risk, the plan's timeline), or its title (words from ``deck.yaml``)."""

from __future__ import annotations

from typing import Any

from onderdak.reporting.artefacts import Artefacts
from onderdak.reporting.deck_text import count_word, number, percent, plan_rows, say, table, text_of
from onderdak.reporting.i18n import stream_name
from onderdak.reporting.style import period_name


def figure_title(entry: dict[str, Any], artefacts: Artefacts, language: str) -> str:
    """A figure's slide title: its recorded message, a finding from the tables, or its title."""
    if entry.get("message"):
        return str(entry["message"])
    made = None
    try:
        made = _FIGURE_MESSAGES.get(entry["key"], lambda a, lang: None)(artefacts, language)
    except (KeyError, ValueError, TypeError, IndexError):
        made = None
    return made or str(entry["title"])


def _need(artefacts: Artefacts, language: str) -> str | None:
    frame = table(artefacts, "need_table")
    if frame is None:
        return None
    frame = frame[(frame["scenario"] == frame["scenario"].iloc[0]) & (frame["unit"] == "places")]
    total = frame.groupby("period")["p50"].sum().sort_index()
    if total.empty:
        return None
    peak = total.idxmax()
    if peak == total.index[0]:
        return say("need_title_now", language, now=number(float(total.iloc[0]), language))
    return say(
        "need_title",
        language,
        now=number(float(total.iloc[0]), language),
        peak=number(float(total.max()), language),
        month=period_name(str(peak), language),
    )


def _gap(artefacts: Artefacts, language: str) -> str | None:
    frame = table(artefacts, "gap_summary")
    if frame is None:
        return None
    now = frame[frame["portfolio"] == "committed"]
    if now.empty:
        return None
    worst = now.sort_values("max_shortfall_probability_share", ascending=False).iloc[0]
    p = float(worst["max_shortfall_probability_share"])
    first = text_of(worst["first_month_risk_over_10pct"])
    if p < 0.1 or not first:
        return say("gap_title_low", language, p=percent(0.1))
    how = (
        say("certain", language)
        if p >= 0.95
        else say("likely", language)
        if p >= 0.5
        else percent(p)
    )
    return say(
        "gap_title",
        language,
        stream=stream_name(str(worst["stream"]), language),
        how=how,
        p=percent(p),
        month=period_name(first, language),
    )


def _timeline(artefacts: Artefacts, language: str) -> str | None:
    rows = plan_rows(artefacts)
    if rows is None:
        return None
    opened = rows[(rows["action"] == "open") & (rows["quarter"] != "")].sort_values("quarter")
    if opened.empty:
        return None
    return say(
        "timeline_title",
        language,
        n=count_word(len(opened), language),
        first=period_name(opened["quarter"].iloc[0], language),
        last=period_name(opened["quarter"].iloc[-1], language),
    )


_FIGURE_MESSAGES = {"need": _need, "shortfall_risk": _gap, "plan_timeline": _timeline}
