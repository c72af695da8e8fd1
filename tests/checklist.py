"""The reader's checklist shared by the advice test and the message-catalog test (issue 15): code
values, machine words and the words of each language that must not show in the other.
"""

from __future__ import annotations

import re

CODES = (
    "ukraine",
    "asylum",
    "status_holders",
    "places",
    "dwellings",
    "persons",
    "nieuwe_crisis",
    "einde_tijdelijke_bescherming",
    "existing",
    "planned",
    "candidate",
    "committed",
    "with_candidates",
)
"""Code values of the model; in a table cell of either language, or anywhere in Dutch text."""

ENGLISH_WORDS = (
    "the", "and", "with", "without", "shortfall", "places", "homes", "municipality", "location",
    "locations", "cost", "costs", "source", "assumption", "unless", "per year", "running",
    "staff", "need", "reception", "budget basis", "row", "sheet", "check", "warning",
)  # fmt: skip
DUTCH_WORDS = (
    "de", "het", "een", "en", "van", "voor", "zonder", "plaatsen", "kosten", "locatie",
    "locaties", "gemeente", "tekort", "behoefte", "woningen", "bijlage", "aanname", "aannames",
    "bron", "rij", "waarschuwing", "besluit", "uiterlijk", "kwartaal", "mediaan", "eigen",
    "registratie", "landelijk", "halfjaarlijks", "jaarlijks", "zodra", "bekend", "per jaar",
    "betrouwbaarheid", "onderwerp", "waarde", "eenheid", "toelichting", "fictief",
)  # fmt: skip
ALLOWED = (
    # terms of art with a legal meaning, in both languages (each in the glossary)
    "Spreidingswet", "Leegstandwet", "Omgevingswet", "normbedrag", "taakstelling", "COA", "GOO",
    "MPP", "IBT", "Rijk",
)  # fmt: skip

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ISO_MONTH = re.compile(r"\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])\b")
QUARTER_CODE = re.compile(r"\b(?:19|20)\d\dQ[1-4]\b")
PLURAL_S = re.compile(r"\w\((?:s|en|'s|e)\)")
FILE_PATH = re.compile(
    r"[\w.-]+\.(?:csv|xlsx|yaml|yml|json|py|ipynb|geojson)\b|\bdata/reference\b|\bresults/\w"
)
MACHINE = re.compile(r"\b(?:AANNAME|ASSUMPTION|NPV|MILP|HiGHS|k-medoids|p10|p50|p90)\b|`")
SOFTWARE_ACTOR = re.compile(r"\bOnderdak (?:opent|rekent|books|opens|uses|gebruikt)\b")


def _words(text: str, words: tuple[str, ...]) -> list[str]:
    found = []
    for w in words:
        for m in re.finditer(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text):
            found.append(text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " "))
    return found


def text_problems(text: str, language: str, names: tuple[str, ...] = ()) -> list[str]:
    """Every checklist item a visible text fails: snake_case, ISO months, quarter codes, "(s)"
    plurals, file paths, machine words, the software as actor, and words of the other language
    (``names``, the case's proper names, and the legal terms in :data:`ALLOWED` are left out)."""
    out: list[str] = []

    def hits(kind: str, pattern: re.Pattern[str]) -> None:
        for m in pattern.finditer(text):
            ctx = text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ")
            out.append(f"{kind}: {m.group(0)!r} in …{ctx}…")

    hits("snake_case", SNAKE)
    hits("ISO month", ISO_MONTH)
    hits("quarter code", QUARTER_CODE)
    hits("'(s)' plural", PLURAL_S)
    hits("file path", FILE_PATH)
    hits("machine word", MACHINE)
    hits("software as actor", SOFTWARE_ACTOR)
    stripped = text
    for name in sorted(names, key=len, reverse=True):
        stripped = stripped.replace(name, " ")
    for term in ALLOWED:
        stripped = stripped.replace(term, " ")
    if language == "en":
        out += [f"Dutch word: …{c}…" for c in _words(stripped, DUTCH_WORDS)]
    else:
        out += [f"code word: …{c}…" for c in _words(stripped, CODES)]
        out += [f"English word: …{c}…" for c in _words(stripped, ENGLISH_WORDS)]
    return out
