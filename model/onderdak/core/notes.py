"""A note the model makes about its own assumptions or choices, as facts: a code and the figures.

The modelling code never writes the sentence; the reporting layer words a note through the message
``note.<code>`` of the catalog in the report language (:func:`onderdak.reporting.notes_text.note_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Note:
    """One note: ``code`` says what it is about, ``facts`` the figures the sentence needs.

    Facts are numbers, codes, months (``YYYY-MM``) and source citations; never words.

    >>> Note.of("normbedrag_carried_forward", first_year=2026, last_year=2030, known_year=2025,
    ...         value_eur=44.0).facts["known_year"]
    2025
    """

    code: str
    facts: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **facts: Any) -> Note:
        """A note with its facts as keywords."""
        return cls(code, dict(facts))


def note_record(note: Note) -> dict[str, Any]:
    """A note as a JSON-ready record: ``{"code": …, **facts}`` (dates as ISO text)."""
    return {"code": note.code, **{k: _plain(v) for k, v in note.facts.items()}}


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
