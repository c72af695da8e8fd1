"""The fixed words of the advice: the report title, figure and table titles, captions and sources,
and the glossary, from the message catalogs (``messages/<language>/advice.yaml``).

The notebook asks for them by key, so a report in English (``language: en``) has English titles,
captions and sources throughout. The section headings are the collegevoorstel's
(:mod:`model.reporting.voorstel`).
"""

from __future__ import annotations

from IPython.display import Markdown, display

from model.reporting.i18n import catalog, text

FIELDS = ("title", "caption", "source")


def words(key: str, language: str = "nl") -> dict[str, str]:
    """Title, caption and source of a figure or table of the advice, as keyword arguments."""
    messages = catalog(language)
    return {
        field: text(f"advice.artefact.{key}.{field}", language)
        for field in FIELDS
        if f"advice.artefact.{key}.{field}" in messages
    }


def title(language: str = "nl") -> None:
    """Display the report title (``# …``) in the report language."""
    display(Markdown(f"# {text('advice.title', language)}"))


def no_plan(reason: str, language: str = "nl") -> str:
    """Why the advice has no plan."""
    return text("advice.no_plan", language, reason=reason or "–")


def glossary_markdown(language: str = "nl") -> str:
    """The glossary of the advice as a Markdown list: **term**: explanation."""
    keys = sorted(k for k in catalog(language) if k.startswith("advice.glossary."))
    return "\n".join(f"- {text(k, language)}" for k in keys)


def glossary(language: str = "nl") -> None:
    """Display the glossary (terms of art of the advice) in the report language."""
    display(Markdown(glossary_markdown(language)))
