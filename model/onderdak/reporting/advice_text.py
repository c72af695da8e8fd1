"""The fixed words of the advice: the report title, figure and table titles, captions and sources,
and the glossary, from the message catalogs (``messages/<language>/advice.yaml``).

The notebook asks for them by key, so a report in English (``language: en``) has English titles,
captions and sources throughout. The section headings are the collegevoorstel's
(:mod:`onderdak.reporting.voorstel`).
"""

from __future__ import annotations

from typing import Any

from IPython.display import Markdown, display

from onderdak.reporting.i18n import catalog, text

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


def plan_error_text(code: str, facts: dict | None = None, language: str = "nl") -> str:
    """Why no plan exists, in words: the code of a :class:`onderdak.core.errors.InfeasibleError` through
    ``advice.plan_error.<code>``, with its facts (the reliability asked per stream, the
    constraints that bind and their figures)."""
    facts = dict(facts or {})

    def levels(shares: dict) -> str:
        return ", ".join(
            text("advice.plan_error.level", language, stream=s, share=v) for s, v in shares.items()
        )

    words = {k: v for k, v in facts.items() if k not in ("levels", "groups", "reachable")}
    words.setdefault("min_capex_eur", None)
    if code == "binding":  # each group that binds, with its figures
        groups = [
            text(
                f"advice.plan_error.group.{g}",
                language,
                **words,
                reachable=levels(facts.get("reachable") or {}),
            )
            for g in facts.get("groups", [])
        ]
    else:  # groups that bind only together: their names
        groups = [text(f"advice.plan_error.name.{g}", language) for g in facts.get("groups", [])]
    return text(
        f"advice.plan_error.{code or 'no_plan'}",
        language,
        **words,
        levels=levels(facts.get("levels") or {}),
        groups="; ".join(groups),
        count=len(groups),
    )


def no_plan(advice: Any, language: str = "nl") -> str:
    """Why the advice has no plan (its :class:`onderdak.core.errors.InfeasibleError`'s code and facts)."""
    return text(
        "advice.no_plan",
        language,
        reason=plan_error_text(advice.plan_error, advice.plan_error_facts, language),
    )


def glossary_markdown(language: str = "nl") -> str:
    """The glossary of the advice as a Markdown list: **term**: explanation."""
    keys = sorted(k for k in catalog(language) if k.startswith("advice.glossary."))
    return "\n".join(f"- {text(k, language)}" for k in keys)


def glossary(language: str = "nl") -> None:
    """Display the glossary (terms of art of the advice) in the report language."""
    display(Markdown(glossary_markdown(language)))
