"""What a report says about its run on the title page, in the footer and on the deck's first slide:
the notebook's title and the run's metadata (:class:`ReportMeta`), words from ``export.yaml``."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from onderdak.reporting import i18n

NOTEBOOK_TITLES = ("advice", "scenarios", "portfolio", "business_case", "plan", "region")
"""The notebooks with a title (``export.title_<notebook>`` in the message catalogs)."""


WORD_KEYS = (
    "contents",
    "page",
    "of",
    "municipality",
    "region",
    "scenario",
    "date",
    "run",
    "version",
    "fictional",
    "made_with",
)
"""The fixed words of the title page and footer (``export.<key>`` in the message catalogs)."""


def notebook_title(name: str, language: str | None = None) -> str:
    """The title of a notebook's report in the report language (its name when it has none)."""
    return i18n.text(f"export.title_{name}", language) if name in NOTEBOOK_TITLES else name


@dataclass(frozen=True)
class ReportMeta:
    """What the title page, footer and deck say about a run."""

    title: str
    subtitle: str = ""
    municipality: str = ""
    scenario: str = ""
    date: str = ""
    run_id: str = ""
    version: str = ""
    language: str = "nl"
    fictional: bool = False
    notebook: str = ""
    peildatum: str = ""
    pptx_template: str = ""

    def words(self) -> dict[str, str]:
        """Fixed report words in the report language (a region's overview says "Regio")."""
        words = {k: i18n.text(f"export.{k}", self.language) for k in WORD_KEYS}
        if self.notebook == "region":
            words["municipality"] = words["region"]
        return words

    def as_dict(self) -> dict[str, object]:
        """Plain mapping (for the manifest)."""
        return asdict(self)
