"""The register's warnings and cost notes in words: each
:class:`onderdak.register.checks.RegisterWarning` and :class:`onderdak.register.costs.RegisterNote`
through the message ``register.<code>`` of the catalog, in the report language.

A report names the location (id and name) and leaves file names and spreadsheet rows out; the
``validate`` command, which a consultant reads to correct the file, asks for them (``with_file``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from onderdak.register.checks import RegisterWarning
from onderdak.register.costs import RegisterNote
from onderdak.reporting import i18n
from onderdak.reporting.maps import kind_label

if TYPE_CHECKING:
    from onderdak.register.locations import Register


def warning_text(
    warning: RegisterWarning, language: str | None = None, with_file: bool = False
) -> str:
    """One warning as a sentence naming the location (or the file), in ``language`` (default: the
    report language).

    >>> from onderdak.register.checks import RegisterWarning
    >>> warning_text(RegisterWarning("coa_without_asylum", "L03", "Azc Noord"), "en")
    'L03 Azc Noord: a COA location without the asylum target group'
    """
    facts = dict(warning.facts)
    if not with_file:  # the register, not its file name
        the_register = i18n.text("register.the_register", language)
        facts.update({k: the_register for k in ("where", "file") if k in facts})
    if "kind" in facts:
        facts["term"] = i18n.text(f"register.term_{facts['kind']}", language)
    at = f"{warning.location_id} {warning.name}".strip()
    return i18n.text(f"register.{warning.code}", language, at=at, **facts)


def warnings_text(
    warnings: list[RegisterWarning], language: str | None = None, with_file: bool = False
) -> list[str]:
    """Every warning of a register as a sentence, in order."""
    return [warning_text(w, language, with_file) for w in warnings]


def note_text(
    note: RegisterNote, language: str | None = None, name: str = "", where: str = ""
) -> str:
    """One cost note of the register as a sentence naming the location (``name``), and the file
    and row when ``where`` (the file) is given."""
    lang = i18n.current() if language is None else language
    at = f"{note.location_id} {name}".strip()
    if where:
        at = i18n.text("register.at_row", lang, where=where, row=note.row, at=at)
    return i18n.text(
        f"register.{note.code}",
        lang,
        at=at,
        kind=kind_label(note.kind, lang),
        stream=note.stream,
        ref=note.eur_per_place_day,
        low=note.low_eur_per_place_day,
        high=note.high_eur_per_place_day,
        source=note.source,
        field=note.field,
        value=note.value,
        per_realised=note.field == "fixed_opex_eur_per_year",
        staff=note.staff_included,
    )


def notes_text(
    register: Register, language: str | None = None, with_file: bool = False
) -> list[str]:
    """Every cost note of a register as a sentence, in order."""
    where = ""
    if with_file:
        where = register.source.name + (f", sheet '{register.sheet}'" if register.sheet else "")
    names = register.table["name"].astype(str).to_dict()
    return [note_text(n, language, names.get(n.location_id, ""), where) for n in register.notes]
