"""The report notebooks: which there are, where their templates live, how one is named on the
command line and which formats it exports (by default and as asked)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from onderdak.core.errors import InputError
from onderdak.io import resources

NOTEBOOK_DIR = resources.notebook_dir()


NOTEBOOKS = ("scenarios", "portfolio", "business_case", "plan", "advice", "region")


FORMATS = ("html", "pdf", "pptx", "xlsx")


FULL_EXPORTS = {"advice": FORMATS, "region": FORMATS}
"""Formats per notebook by default; notebooks not listed get HTML and XLSX."""


def default_notebook() -> str:
    """The notebook ``onderdak report`` runs without ``--notebook``: the advice once it exists."""
    return "advice" if (NOTEBOOK_DIR / "advice.ipynb").exists() else "scenarios"


def resolve_notebook(notebook: str | Path | None) -> tuple[str, Path]:
    """``(name, path)`` of a notebook given by name (``notebooks/<name>.ipynb``) or by path."""
    text = str(notebook or default_notebook())
    path = Path(text) if text.endswith(".ipynb") else NOTEBOOK_DIR / f"{text}.ipynb"
    if not path.is_file():
        known = sorted(p.stem for p in NOTEBOOK_DIR.glob("*.ipynb"))
        raise InputError(
            f"notebook {text!r} not found ({path}); available: {', '.join(known) or 'none'}"
        )
    return path.stem, path.resolve()


def read_template(path: Path) -> nbformat.NotebookNode:
    """A notebook template, or an InputError naming the file when it is not a readable notebook."""
    try:
        return nbformat.read(str(path), 4)
    except Exception as exc:  # nbformat raises JSON, validation, encoding and OS errors
        raise InputError(
            f"{path}: not a readable Jupyter notebook ({type(exc).__name__}: {str(exc)[:200]})"
        ) from None


def default_formats(name: str) -> tuple[str, ...]:
    """The export formats of a notebook when none are asked for."""
    return FULL_EXPORTS.get(name, ("html", "xlsx"))


def parse_formats(text: str | None) -> tuple[str, ...] | None:
    """``"html,pdf"`` → ``("html", "pdf")``; ``"none"`` → ``()``; None → None (the default)."""
    if text is None:
        return None
    formats = tuple(
        f.strip().lower() for f in text.split(",") if f.strip() and f.strip().lower() != "none"
    )
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(
            f"--formats: unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    return formats
