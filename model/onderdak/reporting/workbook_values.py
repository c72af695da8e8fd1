"""Cells of the workbook: codes as their report words, months and quarters as dates, numbers with a format.

One function per concern: :func:`code_word` turns a code of a vocabulary into the word the report
uses (``ukraine`` → ``Oekraïners``), :func:`convert` turns a recorded column into the values the
workbook writes, :data:`NUMBER_FORMATS` gives the Excel number format of a column's kind.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import pandas as pd
from babel.numbers import get_decimal_symbol, get_group_symbol

from onderdak.portfolio.mca import CRITERIA
from onderdak.reporting import i18n
from onderdak.reporting.columns import column
from onderdak.reporting.i18n import STREAM_NAMES, label, stream_name
from onderdak.reporting.maps import kind_label
from onderdak.reporting.mca_figures import criterion_label
from onderdak.reporting.plan import MONEY_ROWS, action_word, money_row

NUMBER_FORMATS = {
    "int": "#,##0",
    "year": "0",
    "num": "#,##0.0",
    "eur": "€ #,##0",
    "eur_m": "€ #,##0.00",
    "eur_day": "€ #,##0.00",
    "share": "0%",
    "score": "0.00",
    "value": "#,##0.###",
    "month": "mmm yyyy",
    "quarter": "mmm yyyy",
    "date": "d mmm yyyy",
}
"""The Excel number format of a column kind (:class:`onderdak.reporting.columns.Column`)."""

_VOCABULARY: dict[str, tuple[str, ...]] = {
    "portfolio": (
        "committed",
        "with_candidates",
        "with_plan",
        "without_plan",
    ),
    "level": (
        "national",
        "municipal",
        "municipal_backlog_end",
    ),
    "source": (
        "model",
        "published",
    ),
    "note": (
        "optimal",
        "infeasible",
    ),
    "direction": (
        "min",
        "max",
    ),
    "line": (
        "fixed_opex",
        "variable_opex",
        "staff_locations",
        "staff_central",
        "income_outflow_incentive",
        "income_flex_subsidy",
        "costs_total",
        "income_total",
    ),
}
"""The codes of each vocabulary with a word (``code.<vocabulary>.<code>`` in the message catalogs)."""


def code_word(vocabulary: str, code: object, language: str = "nl") -> object:
    """The report word of a code (the value itself when it is not a known code).

    >>> code_word("stream", "asylum"), code_word("portfolio", "with_plan", "en")
    ('Asielzoekers', 'with the plan')
    """
    if not isinstance(code, str):
        return code
    lang = language if language in i18n.LANGUAGES else "nl"
    if vocabulary == "stream":
        if code not in STREAM_NAMES:
            return code
        name = stream_name(code, lang)
        return name[:1].upper() + name[1:]
    if vocabulary in ("scenario", "unit", "status"):
        return label(code, lang)
    if vocabulary == "kind":
        return kind_label(code, lang)
    if vocabulary == "action":
        return action_word(code, lang)
    if vocabulary == "criterion":
        crit = CRITERIA.get(code)
        return code if crit is None else criterion_label(code, lang)
    if vocabulary == "column":
        entry = column(code)
        return code if entry is None else entry.label(lang)
    if vocabulary == "line" and code in MONEY_ROWS:
        return money_row(code, lang)
    if vocabulary == "streams":  # "ukraine:66.5;asylum:20" → "Oekraïners 66,5; asielzoekers 20"
        parts = [p.split(":", 1) for p in code.split(";") if p]
        return "; ".join(
            f"{code_word('stream', s.strip(), language)} {_decimal(n.strip(), language)}"
            if n
            else str(s)
            for s, n in (p if len(p) == 2 else (p[0], "") for p in parts)
        )
    if code in _VOCABULARY.get(vocabulary, ()):
        return i18n.text(f"code.{vocabulary}.{code}", lang)
    return code


@cache
def _symbols(language: str) -> tuple[str, str]:
    """The grouping and the decimal mark of the report language ('.' and ',' in Dutch)."""
    locale = i18n.LOCALES[language if language in i18n.LANGUAGES else "nl"]
    return get_group_symbol(locale), get_decimal_symbol(locale)


def _decimal(text: str, language: str) -> str:
    return text.replace(".", _symbols(language)[1])


_MONTH = re.compile(r"^((?:19|20)\d\d)-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^((?:19|20)\d\d)-(0[1-9]|1[0-2])-(\d\d)$")
_QUARTER = re.compile(r"^((?:19|20)\d\d)Q([1-4])$")
_HALF = re.compile(r"^((?:19|20)\d\d)-(I|II)$")


def month_date(value: object) -> object:
    """'2035-12' → 1 December 2035 (a date; other values as given)."""
    m = _MONTH.match(str(value))
    return dt.datetime(int(m[1]), int(m[2]), 1) if m else value


def quarter_date(value: object) -> object:
    """'2026Q4' → 1 October 2026, the quarter's first day (other values as given)."""
    m = _QUARTER.match(str(value))
    return dt.datetime(int(m[1]), 3 * int(m[2]) - 2, 1) if m else value


_YEAR = re.compile(r"^((?:19|20)\d\d)$")


def date_format(value: object) -> str:
    """The number format of a recorded date: a day ('2024-11-13'), a month ('2024-11') or a year."""
    text = str(value)
    if _DAY.match(text):
        return NUMBER_FORMATS["date"]
    return "yyyy" if _YEAR.match(text) else NUMBER_FORMATS["month"]


def day_date(value: object) -> object:
    """'2024-11-13' → a date; '2024-11' → its first day; '2025' → 1 January; other text as given."""
    text = str(value)
    m = _DAY.match(text)
    if m:
        return dt.datetime(int(m[1]), int(m[2]), int(m[3]))
    m = _YEAR.match(text)
    if m:
        return dt.datetime(int(m[1]), 1, 1)
    return month_date(text)


def half_year_words(value: object, language: str = "nl") -> object:
    """'2026-II' → '2e halfjaar 2026' ('H2 2026' in English)."""
    m = _HALF.match(str(value))
    if not m:
        return value
    n = 1 if m[2] == "I" else 2
    return i18n.text("code.half_year", language, n=n, year=m[1])


def number_or_text(value: object) -> object:
    """A number when the text reads as one ('47.43' → 47.43), 'True'/'False' a yes/no value."""
    if not isinstance(value, str):
        return value
    if value in ("True", "False"):
        return value == "True"
    try:
        x = float(value)
    except ValueError:
        return value
    return int(x) if x.is_integer() and abs(x) < 1e15 else x


def _local(language: str) -> re.Pattern[str]:
    """A number in the report language's notation: '1.250,5' in Dutch, '1,250.5' in English."""
    group, decimal = (re.escape(c) for c in _symbols(language))
    return re.compile(
        rf"^-?\d{{1,3}}(?:{group}\d{{3}})*(?:{decimal}\d+)?$|^-?\d+(?:{decimal}\d+)?$"
    )


def local_number_or_text(value: object, language: str = "nl") -> object:
    """A number written in the report's notation ('1,05' or '1.250' in Dutch) as a number; other
    text as given."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not _local(language).match(text):
        return value
    group, decimal = _symbols(language)
    return number_or_text(text.replace(group, "").replace(decimal, "."))


def convert(series: pd.Series, kind: str, language: str = "nl") -> list[object]:
    """The cells of one column as the workbook writes them (None for a missing value)."""
    out = []
    for v in series.tolist():
        if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
            out.append(None)
            continue
        if kind.startswith("code:"):
            v = code_word(kind[5:], v, language)
        elif kind == "month":
            v = month_date(v)
        elif kind == "quarter":
            v = quarter_date(v)
        elif kind == "date":
            v = day_date(v)
        elif kind == "half_year":
            v = half_year_words(v, language)
        elif kind == "value":
            v = number_or_text(v)
        elif kind == "local_value":
            v = local_number_or_text(v, language)
        elif kind == "bool":
            v = bool(v) if not isinstance(v, str) else v.lower() in ("true", "1", "ja", "yes")
        elif hasattr(v, "item"):
            v = v.item()
        out.append(v)
    return out
