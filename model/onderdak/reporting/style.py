"""One house style for every figure: colours per stream and status, Dutch labels via the glossary."""

from __future__ import annotations

import re
import textwrap

import matplotlib.pyplot as plt

from onderdak.reporting import i18n

# Importing this module changes nothing in matplotlib: a consultant's own notebook keeps its backend
# and style. A report's setup (collect.set_language) applies the house style; the report runner
# starts its kernels with the Agg backend (onderdak.reporting.runner).

STREAM_COLOURS = {"ukraine": "#1f5fa8", "asylum": "#d9822b", "status_holders": "#3a8f5c"}
STATUS_COLOURS = {"existing": "#2f4b7c", "planned": "#7aa6c2", "candidate": "#bfbfbf"}
ACCENT = "#b22d2d"  # shortfall, risk
NEUTRAL = "#555555"
BAND_ALPHA = (0.18, 0.32)  # outer (p05–p95), inner (p10–p90)

MONTH_NAMES = {
    language: tuple(i18n.month(2000, m, language).split(" ")[0] for m in range(1, 13))
    for language in i18n.LANGUAGES
}
"""Month names per report language, from the one formatter (Babel): 'januari' …, 'January' …."""


def month_name(month: int, language: str = "nl") -> str:
    """The name of a month (1–12) in the report language."""
    return MONTH_NAMES.get(language, MONTH_NAMES["nl"])[month - 1]


def period_name(period: str, language: str = "nl") -> str:
    """'2029-01' → 'januari 2029', '2029Q3' → '3e kwartaal 2029' ('January 2029', 'Q3 2029' in
    English); other text is returned as given."""
    return i18n.period(str(period), language)


def apply() -> None:
    """Set the house style for matplotlib (idempotent)."""
    plt.rcParams.update(
        {
            "figure.figsize": (8.0, 4.2),
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "legend.frameon": False,
        }
    )


def set_number_language(language: str | None) -> None:
    """Separators of every number formatted below: Dutch (12.345,6; default) or English (12,345.6).

    One report is in one language, so the kernel of a report run sets it once (through
    :func:`onderdak.reporting.collect.set_language`); the formatter is :mod:`onderdak.reporting.i18n`.
    """
    i18n.set_language(language)


def number(x: float, decimals: int = 0) -> str:
    """12.345,6 in Dutch, 12,345.6 in English (the language set by :func:`set_number_language`)."""
    return i18n.number(x, decimals)


def thousands(x: float, _pos: object = None) -> str:
    """A whole number with thousands separators: 12.345 (Dutch) or 12,345 (English)."""
    return number(x, 0)


def percent(x: float) -> str:
    """A share as a whole percentage: 0.125 → 12% (and "–" for a missing value)."""
    return i18n.percent(x)


def euro(x: float, decimals: int = 0) -> str:
    """€ 1.234.567 (Dutch) or €1,234,567 (English); the Dutch space does not break (a line never
    ends in a bare €)."""
    return i18n.euro(x, decimals)


def short_name(name: str, width: int = 40) -> str:
    """A location name for an axis label: without the '(fictief)' marker, on two lines of at most
    ``width`` characters (broken between words; cut with '…' only beyond two lines)."""
    name = re.sub(r"\s*\(fictief\)", "", name)
    name = re.sub(r";\s*fictief\)", ")", name).strip()
    lines = textwrap.wrap(name, width) or [name]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder=" …")]
    return "\n".join(lines)
