"""Personal data recognised in one register header or one value: BSNs, dates of birth, persons' names."""

from __future__ import annotations

import datetime as dt
import re

from onderdak.register.terms import normalise
from onderdak.register.values import parse_date

PERSONAL_DATA_WORDS = frozenset(
    {
        "bsn",
        "burgerservicenummer",
        "geboortedatum",
        "geboorte",
        "geboren",
        "birth",
        "birthdate",
        "dob",
        "voornaam",
        "voornamen",
        "achternaam",
        "familienaam",
        "surname",
        "firstname",
        "lastname",
        "vreemdelingennummer",
        "v_nummer",
        "vnummer",
        "bewoner",
        "resident",
    }
)
"""Header words that mark a column of personal data (refused: Onderdak works on counts)."""


PERSON_WORDS = frozenset(
    {"bewoners", "residents", "persoon", "person", "gast", "guest", "bewoner", "resident"}
)


NAME_WORDS = frozenset({"naam", "namen", "name", "names"})


COUNT_WORDS = frozenset({"aantal", "number", "count", "n"})


def is_personal_data_header(header: str) -> bool:
    """True if a column header names personal data (a resident's name, BSN, date of birth)."""
    key = normalise(header)
    words = set(key.split("_"))
    if words & COUNT_WORDS:
        return False  # "aantal_bewoners" is a count, not a person
    if key in PERSONAL_DATA_WORDS or words & (PERSONAL_DATA_WORDS - {"bewoner", "resident"}):
        return True
    if "date_of_birth" in key or "geboorte" in key:
        return True
    return bool(words & NAME_WORDS and words & PERSON_WORDS)


def looks_like_bsn(value: str) -> bool:
    """True for nine digits that pass the BSN eleven-test (elfproef)."""
    digits = re.sub(r"[\s.]", "", value)
    if not re.fullmatch(r"\d{9}", digits) or digits == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


_NINE_DIGITS = re.compile(r"(?<![\d.])(\d(?:[ .]?\d){8})(?![\d.]?\d)")


_BSN_WORD = re.compile(r"\b(bsn|burgerservicenummer|sofinummer|sofi)\b\W*\d", re.I)


def bsn_in_text(value: object) -> bool:
    """True if free text holds a BSN: nine digits that pass the eleven-test, or 'BSN' before a number.

    >>> bsn_in_text("fam. Kovalenko (BSN 123456782)")
    True
    >>> bsn_in_text("capaciteit 120, sinds 2022")
    False
    """
    s = str(value)
    if _BSN_WORD.search(s):
        return True
    return any(looks_like_bsn(m.group(1)) for m in _NINE_DIGITS.finditer(s))


TUSSENVOEGSELS = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "ten",
        "ter",
        "te",
        "in",
        "t",
        "la",
        "le",
        "du",
        "von",
        "el",
        "al",
        "bin",
    }
)


PERSON_PREFIXES = frozenset(
    {"fam", "familie", "dhr", "mevr", "mw", "mr", "mrs", "ms", "heer", "mevrouw"}
)


BUILDING_WORDS = frozenset(
    {
        "school",
        "basisschool",
        "hal",
        "sporthal",
        "hotel",
        "park",
        "kantoor",
        "stadskantoor",
        "gebouw",
        "locatie",
        "opvang",
        "azc",
        "coa",
        "woningen",
        "units",
        "paviljoen",
        "kazerne",
        "klooster",
        "fictief",
        "straat",
        "laan",
        "weg",
        "plein",
        "markt",
        "vleugel",
        "centrum",
        "camping",
        "huis",
        "boerderij",
        "kerk",
        "flex",
        "hostel",
        "pand",
        "complex",
        "terrein",
        "unit",
        "blok",
        "wijk",
        "stichting",
        "vereniging",
        "bv",
        "nv",
        "gemeente",
        "woningcorporatie",
        "woonstichting",
        "corporatie",
        "groep",
        "holding",
        "beheer",
        "vastgoed",
        "provincie",
        "rijksvastgoedbedrijf",
        "makelaar",
        "makelaardij",
        "bouw",
        "projecten",
        "ontwikkeling",
        "partners",
    }
)
"""Words that make text the name of a building or an organisation, not of a person."""


def looks_like_person_name(value: object) -> bool:
    """True for text shaped like a person's name: 'Olena Kovalenko', 'J. de Vries', 'fam. Bakr'.

    >>> looks_like_person_name("Olena Kovalenko"), looks_like_person_name("Sporthal De Brug")
    (True, False)
    """
    s = str(value).strip()
    if not s or any(ch.isdigit() for ch in s) or len(s) > 60:
        return False
    words = [w for w in re.split(r"[\s,]+", s) if w]
    if not 1 < len(words) <= 5:
        return False
    keys = [normalise(w) for w in words]
    if any(k in BUILDING_WORDS for k in keys):
        return False
    if keys[0] in PERSON_PREFIXES:
        return True
    core = [w for w, k in zip(words, keys, strict=True) if k not in TUSSENVOEGSELS]
    return len(core) >= 2 and all(
        re.fullmatch(r"[A-ZÀ-Þ][a-zà-ÿ'’-]+|[A-Z]\.(?:[A-Z]\.)*", w) for w in core
    )


def is_strong_person_name(value: object) -> bool:
    """A person's name with a sign of one: an initial, a tussenvoegsel or a prefix such as 'fam.'.

    >>> is_strong_person_name("J. de Vries"), is_strong_person_name("Heijmans Vastgoed")
    (True, False)
    """
    if not looks_like_person_name(value):
        return False
    keys = [normalise(w) for w in str(value).split()]
    initials = re.search(r"\b[A-Z]\.", str(value)) is not None
    return initials or keys[0] in PERSON_PREFIXES or any(k in TUSSENVOEGSELS for k in keys[1:-1])


def looks_like_birth_date(value: object, today: dt.date | None = None) -> bool:
    """True for a full date between 1900 and 16 years ago that is not the first of a month.

    Building dates (available from, bought on) are mostly recent or the first of a month;
    a column of such old, scattered dates is read as dates of birth.
    """
    today = today or dt.date.today()
    try:
        d = parse_date(value)
    except (ValueError, OverflowError):
        return False
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{1,2}\s*", value):
        return False  # a month, not a day
    return dt.date(1900, 1, 1) <= d <= today.replace(year=today.year - 16) and d.day != 1
