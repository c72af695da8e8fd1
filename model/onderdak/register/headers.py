"""Register headers with units: a typed header ("Capaciteit (plaatsen)", "Huur per jaar (€)") matched to its column and unit."""

from __future__ import annotations

from onderdak.register.terms import COLUMNS, lookup, normalise

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
