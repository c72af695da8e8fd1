"""What users may type in a location register: Dutch aliases of columns and values, Dutch numbers and dates.

All alias tables of the register live here, in one place. Keys are *normalised* spellings
(lower case, accents removed, every run of other characters replaced by ``_``), so
"Capaciteit (plaatsen)", "capaciteit plaatsen" and "CAPACITEIT_PLAATSEN" are all the same header.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "code", "locatie_id", "locatiecode", "nr", "nummer"),
    "name": ("name", "naam", "locatie", "locatienaam", "naam_locatie"),
    "status": ("status",),
    "kind": ("kind", "soort", "type", "soort_locatie", "vorm"),
    "streams": ("streams", "doelgroepen", "doelgroep"),
    "capacity_places": (
        "capacity_places",
        "capaciteit_plaatsen",
        "capaciteit",
        "plaatsen",
        "aantal_plaatsen",
    ),
    "occupancy_norm_share": (
        "occupancy_norm_share",
        "bezettingsnorm",
        "bezettingsgraad",
        "bezettingsnorm_aandeel",
    ),
    "gbo_m2": ("gbo_m2", "gbo"),
    "available_from": (
        "available_from",
        "beschikbaar_vanaf",
        "vanaf",
        "startdatum",
        "ingangsdatum",
    ),
    "lead_time_months": (
        "lead_time_months",
        "doorlooptijd_maanden",
        "doorlooptijd",
        "voorbereidingstijd_maanden",
    ),
    "available_until": ("available_until", "beschikbaar_tot", "tot", "einddatum"),
    "address": ("address", "adres"),
    "x": ("x", "x_rd", "rd_x"),
    "y": ("y", "y_rd", "rd_y"),
    "crs": ("crs", "coordinatenstelsel", "epsg"),
    "wijk_code": ("wijk_code", "wijkcode", "wijk"),
    "purchase_price_eur": (
        "purchase_price_eur",
        "aankoopprijs_eur",
        "aankoopprijs",
        "koopprijs_eur",
    ),
    "conversion_capex_eur": (
        "conversion_capex_eur",
        "verbouwingskosten_eur",
        "verbouwingskosten",
        "verbouwing_eur",
    ),
    "furnishing_capex_eur": (
        "furnishing_capex_eur",
        "inrichtingskosten_eur",
        "inrichtingskosten",
        "inrichting_eur",
    ),
    "fixed_opex_eur_per_year": (
        "fixed_opex_eur_per_year",
        "vaste_lasten_eur_per_jaar",
        "vaste_lasten",
        "vaste_kosten_eur_per_jaar",
    ),
    "variable_opex_eur_per_place_day": (
        "variable_opex_eur_per_place_day",
        "variabele_kosten_eur_per_plaatsdag",
        "variabele_kosten",
        "variabele_kosten_eur_per_plaats_per_dag",
    ),
    "closing_cost_eur": (
        "closing_cost_eur",
        "sluitingskosten_eur",
        "sluitingskosten",
        "herstelkosten_eur",
    ),
    "market_value_eur": ("market_value_eur", "marktwaarde_eur", "marktwaarde"),
    "coa_rent_eur_per_place_year": (
        "coa_rent_eur_per_place_year",
        "coa_huur_eur_per_plaats_jaar",
        "coa_huur_eur_per_plaats_per_jaar",
        "coa_huur",
    ),
    "reuse_options": ("reuse_options", "hergebruik", "hergebruiksopties", "herbestemming"),
    "quality_score": ("quality_score", "kwaliteit", "kwaliteitsscore"),
    "risk_score": ("risk_score", "risico", "risicoscore"),
    "priority": ("priority", "prioriteit", "volgorde"),
    "staff_fte": ("staff_fte", "personeel_fte", "fte"),
    "notes": ("notes", "opmerkingen", "opmerking", "toelichting", "notities"),
}
"""English column name -> accepted (normalised) headers, English name first."""

STATUSES: dict[str, tuple[str, ...]] = {
    "existing": ("existing", "bestaand", "bestaande", "in_gebruik"),
    "planned": ("planned", "gepland", "geplande", "besloten"),
    "candidate": ("candidate", "kandidaat", "optie"),
}

KINDS: dict[str, tuple[str, ...]] = {
    "municipal_building": (
        "municipal_building",
        "gemeentelijk_gebouw",
        "gemeentelijk_vastgoed",
        "eigen_gebouw",
    ),
    "purchase": ("purchase", "aankoop", "koop"),
    "lease": ("lease", "huur", "gehuurd"),
    "hotel": ("hotel",),
    "holiday_park": ("holiday_park", "vakantiepark", "recreatiepark", "camping"),
    "flex_units": (
        "flex_units",
        "flexwoningen",
        "flexwoning",
        "flex",
        "modulaire_woningen",
        "tijdelijke_woningen",
    ),
    "office_conversion": ("office_conversion", "kantoortransformatie", "transformatie", "kantoor"),
    "leegstandwet": ("leegstandwet", "tijdelijk_gebruik", "tijdelijke_verhuur"),
    "private_hosts": ("private_hosts", "particuliere_opvang", "gastgezinnen", "poo"),
    "coa_location": ("coa_location", "coa_locatie", "azc", "coa"),
}

STREAM_NAMES: dict[str, tuple[str, ...]] = {
    "ukraine": ("ukraine", "oekraine", "oekrainers", "oekraiense_ontheemden", "goo"),
    "asylum": ("asylum", "asiel", "asielzoekers", "asielopvang"),
    "status_holders": ("status_holders", "statushouders", "vergunninghouders"),
}

REUSE_OPTIONS: dict[str, tuple[str, ...]] = {
    "social_housing": (
        "social_housing",
        "sociale_huur",
        "sociale_huurwoningen",
        "sociale_woningbouw",
    ),
    "starter_homes": ("starter_homes", "starterswoningen", "starters"),
    "student_housing": (
        "student_housing",
        "studentenhuisvesting",
        "studentenwoningen",
        "studenten",
    ),
    "community": ("community", "maatschappelijk", "maatschappelijk_vastgoed", "gemeenschap"),
    "sale": ("sale", "verkoop", "verkopen"),
    "relocate_units": ("relocate_units", "verplaatsen", "herplaatsen"),
    "demolish": ("demolish", "sloop", "slopen"),
}

CRS_NAMES: dict[str, tuple[str, ...]] = {
    "EPSG:28992": ("epsg_28992", "28992", "rd", "rd_new", "rijksdriehoek", "amersfoort_rd_new"),
    "EPSG:4326": ("epsg_4326", "4326", "wgs84", "wgs_84", "lat_lon", "gps"),
}

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


def normalise(text: object) -> str:
    """Lower case, accents removed, runs of other characters as ``_``: the key of every alias table."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Alias -> canonical name for one of the tables above."""
    return {alias: canonical for canonical, aliases in table.items() for alias in aliases}


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


# -- headers with units ---------------------------------------------------------------------------

UNIT_TOKENS = frozenset(
    {
        "eur",
        "euro",
        "euros",
        "pct",
        "procent",
        "percent",
        "m2",
        "per",
        "jaar",
        "year",
        "maand",
        "maanden",
        "month",
        "months",
        "dag",
        "day",
        "plaats",
        "place",
        "plaatsdag",
        "k",
        "keur",
        "mln",
        "miljoen",
        "duizend",
        "x1000",
        "1000",
        "x",
        "incl",
        "excl",
        "btw",
        "vat",
    }
)
"""Words of a header that state a unit, not what the column is (compared, never ignored)."""

PERCENT_TOKENS = frozenset({"pct", "procent", "percent"})


def header_key(header: object) -> str:
    """:func:`normalise` that keeps units: ``€`` → ``eur``, ``%`` → ``pct``, ``/`` → ``per``.

    >>> header_key("Vaste lasten (€/jaar)")
    'vaste_lasten_eur_per_jaar'
    >>> header_key("Bezettingsnorm (%)")
    'bezettingsnorm_pct'
    """
    s = str(header).replace("€", " eur ").replace("%", " pct ").replace("/", " per ")
    return normalise(s)


def _tokens(key: str) -> tuple[str, ...]:
    return tuple(t for t in key.split("_") if t)


def _base(tokens: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t for t in tokens if t not in UNIT_TOKENS)


def match_header(header: object) -> tuple[str | None, bool, str | None]:
    """The register column a header means, whether it is in percent, and why a near match is refused.

    Returns ``(column, percent, refusal)``: ``column`` is the English name (None when unknown);
    ``percent`` is True for a share column headed in percent (``Bezettingsnorm (%)``: a cell 95 is
    0.95); ``refusal`` explains a header that names a known column in a unit Onderdak does not read
    (``Koopprijs (k€)``, ``Vaste lasten per maand (€)``), so that it is never silently ignored.

    >>> match_header("Vaste lasten (€ per jaar)")[0]
    'fixed_opex_eur_per_year'
    >>> match_header("Verbouwing (€)")[0]
    'conversion_capex_eur'
    >>> match_header("Koopprijs (k€)")[2] is not None
    True
    """
    key = header_key(header)
    if not key:
        return None, False, None
    aliases = lookup(COLUMNS)
    if key in aliases:
        return aliases[key], False, None
    tokens = _tokens(key)
    by_set = {frozenset(_tokens(a)): c for a, c in aliases.items()}
    if frozenset(tokens) in by_set:
        return by_set[frozenset(tokens)], False, None
    base, units = _base(tokens), frozenset(tokens) & UNIT_TOKENS
    if not base:
        return None, False, None
    for canonical, names in COLUMNS.items():
        if not any(_base(_tokens(a)) == base for a in names):
            continue
        if units & PERCENT_TOKENS and canonical.endswith("_share") and units <= PERCENT_TOKENS:
            return canonical, True, None
        allowed = frozenset().union(*(frozenset(_tokens(a)) & UNIT_TOKENS for a in names))
        if units <= allowed:
            return canonical, False, None
        return (
            None,
            False,
            (
                f"looks like `{canonical}` but gives the unit as "
                f"{' '.join(t for t in tokens if t in UNIT_TOKENS)!r}; Onderdak reads `{canonical}` in "
                f"{_unit_words(canonical)}: convert the column and name it `{names[1] if len(names) > 1 else canonical}`"
            ),
        )
    return None, False, None


def _unit_words(canonical: str) -> str:
    if canonical.endswith("_eur_per_year"):
        return "euros per year"
    if canonical.endswith("_eur_per_place_day"):
        return "euros per place-day"
    if canonical.endswith("_eur_per_place_year"):
        return "euros per place per year"
    if canonical.endswith("_eur"):
        return "euros"
    if canonical.endswith("_share"):
        return "a share 0–1 (or percent with a % header)"
    if canonical.endswith("_m2"):
        return "m²"
    if canonical.endswith("_months"):
        return "months"
    return "its own unit"


# -- personal data by content ----------------------------------------------------------------------

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
