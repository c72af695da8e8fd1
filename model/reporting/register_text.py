"""The register's warnings in words: each :class:`model.register_warnings.RegisterWarning` through
the message ``register.<code>`` of the catalog, in the report language."""

from __future__ import annotations

from model.register_warnings import RegisterWarning
from model.reporting import i18n


def warning_text(warning: RegisterWarning, language: str | None = None) -> str:
    """One warning as a sentence naming the location (or the file), in ``language`` (default: the
    report language).

    >>> from model.register_warnings import RegisterWarning
    >>> warning_text(RegisterWarning("coa_without_asylum", "L03", "Azc Noord"), "en")
    'L03 Azc Noord: a COA location without the asylum target group'
    """
    facts = dict(warning.facts)
    if "kind" in facts:
        facts["term"] = i18n.text(f"register.term_{facts['kind']}", language)
    at = f"{warning.location_id} {warning.name}".strip()
    return i18n.text(f"register.{warning.code}", language, at=at, **facts)


def warnings_text(warnings: list[RegisterWarning], language: str | None = None) -> list[str]:
    """Every warning of a register as a sentence, in order."""
    return [warning_text(w, language) for w in warnings]
