"""One language mechanism for every report: words in per-language message catalogs, numbers,
money, percentages and dates through one locale-aware formatter (Babel).

A report is in one language (Dutch by default, or English), set once per kernel with
:func:`set_language` (``collect.set_language`` does it for a report run). Words live in the message
catalogs ``messages/nl/*.yaml`` and ``messages/en/*.yaml`` beside this module (one file per topic): each key holds a Jinja2
template over the facts the model returns (numbers, codes, dates), never the other way round.
:func:`text` renders a key in the report language; the filters below (``number``, ``euro``,
``mln``, ``pct``, ``figure``, ``period``, ``stream``, ``label``, ``date``, ``cite``) format the facts
inside a template, so a number is written the same way in a sentence, a table and a slide; ``t``
renders another message (a term of the catalog inside a sentence).

The two catalogs hold the same keys (a test checks it, and that no Dutch word is in the English
catalog and no English word in the Dutch one).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from babel.dates import format_date
from babel.numbers import format_decimal

LANGUAGES = ("nl", "en")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
CATALOG_DIR = Path(__file__).with_name("messages")
DASH = "–"  # a missing value

_SPACES = re.compile(r"[ \t\r\n]+")  # not the non-breaking space between € and its number

_state = {"language": "nl"}


def set_language(language: str | None) -> None:
    """The report language for every word and number formatted below: ``"nl"`` (default) or
    ``"en"``."""
    _state["language"] = "en" if language == "en" else "nl"


def current() -> str:
    """The report language set by :func:`set_language`."""
    return _state["language"]


def _lang(language: str | None) -> str:
    return current() if language is None else ("en" if language == "en" else "nl")


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


# --- numbers, money, percentages, dates -----------------------------------------------------------


def number(x: float, decimals: int = 0, language: str | None = None) -> str:
    """12.345,6 in Dutch, 12,345.6 in English; "–" for a missing value."""
    if _missing(x):
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(x, format=pattern, locale=LOCALES[_lang(language)])


def euro(x: float, decimals: int = 0, language: str | None = None) -> str:
    """€ 1.234.567 (Dutch) or €1,234,567 (English); a negative amount is −€ 1.234. The Dutch space
    does not break, so a line never ends in a bare €."""
    if _missing(x):
        return DASH
    lang = _lang(language)
    space = "" if lang == "en" else "\u00a0"
    return ("−€" if x < 0 else "€") + space + number(abs(x), decimals, lang)


def millions(x: float, decimals: int = 1, language: str | None = None) -> str:
    """€ 15,5 mln (Dutch) or €15.5 million (English)."""
    if _missing(x):
        return DASH
    lang = _lang(language)
    amount = euro(x / 1e6, decimals, lang)
    return f"{amount}\u00a0mln" if lang == "nl" else f"{amount}\u00a0million"


def percent(x: float, decimals: int = 0, language: str | None = None) -> str:
    """A share as a percentage: 0.125 → 12% (13% with rounding half up is not used: Babel rounds
    half to even, as every other number here); "–" for a missing value."""
    if _missing(x):
        return DASH
    return number(100 * x, decimals, language) + "%"


def figure(x: Any, language: str | None = None) -> str:
    """A parameter's value as given: a whole number without decimals, else up to two; text as it
    is (``figure(4000.0)`` → 4.000, ``figure(2.5)`` → 2,5 in Dutch)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if _missing(x):
        return DASH
    decimals = 0 if float(x).is_integer() else (1 if round(x, 1) == round(x, 2) else 2)
    return number(x, decimals, language)


def date(day: dt.date, language: str | None = None) -> str:
    """6 december 2026 (Dutch) or 6 December 2026 (English)."""
    return format_date(day, format="long", locale=LOCALES[_lang(language)])


def month(year: int, month_number: int, language: str | None = None) -> str:
    """december 2026 (Dutch) or December 2026 (English)."""
    return format_date(
        dt.date(year, month_number, 1), format="LLLL y", locale=LOCALES[_lang(language)]
    )


def period(value: Any, language: str | None = None) -> str:
    """A model period as words: '2029-01' → 'januari 2029', '2029Q3' → '3e kwartaal 2029'
    ('January 2029', 'Q3 2029' in English); a pandas Period or a date too; other text as given."""
    lang = _lang(language)
    if isinstance(value, dt.date):
        return month(value.year, value.month, lang)
    freqstr = getattr(value, "freqstr", None)
    if freqstr is not None:  # pandas Period
        if freqstr.startswith("Q"):
            value = f"{value.year}Q{value.quarter}"
        else:
            return month(value.year, value.month, lang)
    text_ = str(value)
    if len(text_) >= 7 and text_[4] == "-" and text_[:4].isdigit() and text_[5:7].isdigit():
        return month(int(text_[:4]), int(text_[5:7]), lang)
    if len(text_) == 6 and text_[4] == "Q" and text_[:4].isdigit() and text_[5] in "1234":
        return f"Q{text_[5]} {text_[:4]}" if lang == "en" else f"{text_[5]}e kwartaal {text_[:4]}"
    return text_


_CITED_DATE = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])(?:-(\d\d))?\b")


def cite(source: str, language: str | None = None) -> str:
    """A source citation with its dates in words: 'nhnieuws 2025-03' → 'nhnieuws maart 2025',
    'hbpmedia 2025-11-27' → 'hbpmedia 27 november 2025'."""
    lang = _lang(language)

    def words(m: re.Match[str]) -> str:
        year, month_number = int(m.group(1)), int(m.group(2))
        if m.group(3):
            try:
                return date(dt.date(year, month_number, int(m.group(3))), lang)
            except ValueError:
                return m.group(0)
        return month(year, month_number, lang)

    return _CITED_DATE.sub(words, str(source))


# --- message catalogs -----------------------------------------------------------------------------


@cache
def catalog(language: str) -> dict[str, str]:
    """The message catalog of a language: key → Jinja2 template text, from every
    ``messages/<language>/*.yaml`` (one file per topic; a key defined twice is an error)."""
    lang = _lang(language)
    out: dict[str, str] = {}
    for path in sorted((CATALOG_DIR / lang).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if str(key) in out:
                raise ValueError(
                    f"message {key!r} defined twice in the {lang} catalog ({path.name})"
                )
            out[str(key)] = str(value).strip()
    return out


def _filters(lang: str) -> dict[str, Any]:
    return {
        "number": lambda x, d=0: number(x, d, lang),
        "euro": lambda x, d=0: euro(x, d, lang),
        "mln": lambda x, d=1: millions(x, d, lang),
        "pct": lambda x, d=0: percent(x, d, lang),
        "figure": lambda x: figure(x, lang),
        "cite": lambda x: cite(x, lang),
        "period": lambda x: period(x, lang),
        "date": lambda x: date(x, lang),
        "stream": lambda x: stream_name(x, lang),
        "label": lambda x: label(x, lang),
    }


# --- words of the glossary ----------------------------------------------------------------------

GLOSSARY = (
    "ukraine",
    "asylum",
    "status_holders",
    "places",
    "dwellings",
    "persons",
    "existing",
    "planned",
    "candidate",
    "period",
    "median",
    "band_80",
    "band_90",
    "need",
    "capacity",
    "shortfall",
    "laag",
    "midden",
    "hoog",
    "nieuwe_crisis",
    "einde_tijdelijke_bescherming",
    "basis",
)
"""The terms with a label (``label.<key>`` in the message catalogs): streams, units, statuses,
scenarios."""


def label(key: str, language: str = "nl") -> str:
    """The report label of a term (stream, unit, status, scenario) in the report language."""
    return text(f"label.{key}", language) if key in GLOSSARY else key.replace("_", " ")


STREAM_NAMES = ("ukraine", "asylum", "status_holders")
"""The streams with a name (``stream.<code>`` in the message catalogs)."""


def stream_name(stream: str, language: str = "nl") -> str:
    """The stream inside a sentence: 'asielzoekers', 'Oekraïners', 'status holders'."""
    return text(f"stream.{stream}", language) if stream in STREAM_NAMES else stream


@cache
def _environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
    )
    env.filters.update(_filters(lang))
    env.globals["t"] = lambda key, **facts: text(key, lang, **facts)
    return env


@cache
def _template(lang: str, key: str) -> jinja2.Template:
    messages = catalog(lang)
    if key not in messages:
        raise KeyError(f"no message {key!r} in the {lang} catalog ({CATALOG_DIR / lang})")
    return _environment(lang).from_string(messages[key])


def text(key: str, language: str | None = None, /, **facts: Any) -> str:
    """The message ``key`` in the report language, with ``facts`` filled in.

    A missing key or a missing fact raises (a report never shows a half-filled sentence)."""
    lang = _lang(language)
    return _SPACES.sub(" ", _template(lang, key).render(**facts)).strip()
