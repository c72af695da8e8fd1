"""Values as users type them in a register: Dutch numbers and dates, lists and choices by their aliases."""

from __future__ import annotations

import datetime as dt
import math
import re

from onderdak.register.terms import lookup, normalise


def is_empty(value: object) -> bool:
    """True for None, NaN and blank text: an empty cell."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


_THOUSANDS_DOTS = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+")


def parse_number(value: object) -> float:
    """A number as a Dutch or English user types it.

    ``"1.250.000,50"``, ``"1250000,5"``, ``"1,250,000.50"``, ``"€ 45"``, ``"90%"`` (→ 0.9) and numbers
    from Excel cells are accepted. A single dot followed by exactly three digits after a non-zero
    leading group (``"1.250"``) is read as a thousands dot, Dutch style; ``"0.125"`` stays 0.125.
    """
    if isinstance(value, bool):
        raise ValueError("is not a number")
    if isinstance(value, int | float):
        try:
            x = float(value)
        except OverflowError:
            raise ValueError("is not a finite number") from None
        if not math.isfinite(x):
            raise ValueError("is not a finite number")
        return x
    s = str(value).strip().lower().replace("\u2212", "-").replace("€", "").replace("eur", "")
    s = s.replace(" ", "")
    s = s.replace("\u00a0", "").replace("_", "")
    percent = s.endswith("%")
    s = s.rstrip("%")
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")  # 1.250.000,50
        else:
            s = s.replace(",", "")  # 1,250,000.50
    elif "," in s:
        s = s.replace(",", "") if s.count(",") > 1 else s.replace(",", ".")
    elif s.count(".") > 1 or _THOUSANDS_DOTS.fullmatch(s):
        s = s.replace(".", "")
    try:
        x = float(s)
    except ValueError:
        raise ValueError("is not a number") from None
    if not math.isfinite(x):
        raise ValueError("is not a finite number")
    return x / 100.0 if percent else x


_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: object) -> dt.date:
    """A date as typed: ``dd-mm-jjjj`` (also with / or .), ISO ``jjjj-mm-dd``, ``jjjj-mm``, or an Excel date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:  # an Excel serial day number (1954-2119)
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError("is not a date (use dd-mm-jjjj)")
    s = str(value).strip()
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", s)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", s)
        if m:
            return dt.date(int(m[1]), int(m[2]), 1)
    except ValueError:
        raise ValueError("is not an existing date") from None
    raise ValueError("is not a date (use dd-mm-jjjj or jjjj-mm-dd)")


def parse_list(value: object, table: dict[str, tuple[str, ...]], what: str) -> tuple[str, ...]:
    """Canonical names from a list typed as ``a;b``, ``a, b``, ``a|b`` or ``a/b`` (aliases accepted)."""
    if is_empty(value):
        return ()
    aliases = lookup(table)
    out: list[str] = []
    for part in re.split(r"[;,|/+]|\s+en\s+|\s+and\s+", str(value)):
        if not part.strip():
            continue
        key = normalise(part)
        if key not in aliases:
            raise ValueError(
                f"contains {part.strip()!r}, which is not a known {what}; use {options(table)}"
            )
        if aliases[key] not in out:
            out.append(aliases[key])
    return tuple(out)


def parse_choice(value: object, table: dict[str, tuple[str, ...]], what: str) -> str:
    """The canonical name of one value typed in English or Dutch."""
    key = normalise(value)
    aliases = lookup(table)
    if key not in aliases:
        raise ValueError(f"is not a known {what}; use {options(table)}")
    return aliases[key]


def options(table: dict[str, tuple[str, ...]]) -> str:
    """'existing (bestaand), planned (gepland), …': the accepted values with their first Dutch alias."""
    parts = []
    for canonical, aliases in table.items():
        dutch = next((a for a in aliases if a != canonical), None)
        parts.append(f"{canonical} ({dutch})" if dutch else canonical)
    return ", ".join(parts)
