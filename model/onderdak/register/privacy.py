"""Personal data in a register, found by header and by content: BSNs, dates of birth, residents' names.

Onderdak works on counts. A register column whose header names personal data, whose cells pass the
BSN eleven-test, look like dates of birth or like persons' names, and any free-text cell holding a
BSN, is refused with the column, the row and the reason; the value itself is never repeated.
"""

from __future__ import annotations

import datetime as dt

from onderdak.register.headers import header_key
from onderdak.register.personal_data import (
    NAME_WORDS,
    PERSON_WORDS,
    bsn_in_text,
    is_personal_data_header,
    is_strong_person_name,
    looks_like_birth_date,
    looks_like_bsn,
    looks_like_person_name,
)
from onderdak.register.values import is_empty

BIRTH_WORDS = frozenset({"geb", "gebdatum", "geboortedatum", "geboren", "dob", "birth", "birthday"})

FREE_TEXT = ("id", "name", "address", "notes")
"""Register columns of free text, searched cell by cell for a BSN."""


def _mostly(flags: list[bool]) -> bool:
    return bool(flags) and sum(flags) >= max(1, (len(flags) + 1) // 2)


def column_reason(header: str, values: list[object], known: str | None) -> str | None:
    """Why one column holds personal data (None: it does not).

    Parameters
    ----------
    header : str
        The header as typed (may be empty).
    values : list
        The column's non-empty cells.
    known : str or None
        The register column the header names (then only a free-text column's content is checked
        for BSNs), None for an unknown column.
    """
    if header and is_personal_data_header(header):
        return ""  # the header says it: no further reason needed
    words = set(header_key(header).split("_")) if header else set()
    if known is not None and known not in FREE_TEXT:
        return None
    if known is None and words & BIRTH_WORDS:
        return "the header names a date of birth"
    texts = [str(v) for v in values if not isinstance(v, dt.date | dt.datetime)]
    if _mostly([looks_like_bsn(t) for t in texts]) and len(texts) >= (len(values) + 1) // 2:
        return "its cells are nine-digit numbers that pass the BSN eleven-test"
    if known is not None:
        return None
    if _mostly([looks_like_birth_date(v) for v in values]):
        return "its cells are dates that look like dates of birth (before 16 years ago, not the 1st of a month)"
    if _mostly([looks_like_person_name(t) for t in texts]):
        named = bool(words & (NAME_WORDS | PERSON_WORDS)) or not header
        strong = sum(is_strong_person_name(t) for t in texts) >= max(1, len(texts) // 3)
        if named or strong:
            return "its cells look like persons' names"
    return None


def personal_data_problems(
    headers: list[str],
    rows: list[tuple[int, list[object]]],
    columns: dict[str, int],
    where: str,
) -> tuple[list[str], list[str]]:
    """(columns refused by their header, problems found in the content), each naming where.

    The first list holds ``column `X``` entries for headers that name personal data; the second
    ``file, row N, column `X`: reason`` entries for content (BSN-like numbers, dates of birth,
    names, a BSN inside free text).
    """
    by_header: list[str] = []
    by_content: list[str] = []
    known = {i: c for c, i in columns.items()}
    width = max([len(headers)] + [len(v) for _, v in rows])
    for i in range(width):
        header = headers[i] if i < len(headers) else ""
        label = f"column `{header}`" if header else f"column {_letter(i)} (no header)"
        cells = [(n, v[i]) for n, v in rows if i < len(v) and not is_empty(v[i])]
        reason = column_reason(header, [v for _, v in cells], known.get(i))
        if reason == "":
            by_header.append(label)
            continue
        if reason is not None:
            first = cells[0][0] if cells else 0
            by_content.append(f"{where}, {label} (from row {first}): {reason}")
            continue
        if i in known and known[i] not in FREE_TEXT:
            continue
        hits = [n for n, v in cells if isinstance(v, str) and bsn_in_text(v)]
        if hits:
            rows_text = ", ".join(map(str, hits[:5])) + (" …" if len(hits) > 5 else "")
            by_content.append(
                f"{where}, row {rows_text}, {label}: the text holds a BSN (nine digits that pass "
                "the eleven-test, or 'BSN' before a number)"
            )
    return by_header, by_content


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)
