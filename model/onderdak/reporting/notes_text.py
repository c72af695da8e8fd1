"""The model's notes in words: each :class:`onderdak.core.notes.Note` through the message ``note.<code>``
of the catalog (``messages/<language>/notes.yaml``), in the report language."""

from __future__ import annotations

from collections.abc import Iterable

from onderdak.core.notes import Note
from onderdak.reporting import i18n


def note_text(note: Note | str, language: str | None = None) -> str:
    """One note as a sentence in ``language`` (default: the report language); a note the model
    still gives as text is returned as it is."""
    if isinstance(note, str):
        return note
    return i18n.text(f"note.{note.code}", language, **note.facts)


def notes_text(notes: Iterable[Note | str], language: str | None = None) -> list[str]:
    """Every note as a sentence, in order."""
    return [note_text(n, language) for n in notes]
