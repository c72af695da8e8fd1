"""Where the files the code reads live: the repository's folders in a checkout, the packaged copies in a wheel.

The repository keeps ``notebooks/``, ``data/reference/``, ``data/cases/demo/`` and
``data/cases/case.schema.json`` at the top level; building the wheel copies them into
``onderdak/_resources/`` (see ``setup.py``). Every other module asks this one for those paths.
"""

from __future__ import annotations

import shutil
from functools import cache
from importlib import resources
from pathlib import Path

PACKAGED = "_resources"
"""Folder inside the package that holds the copies in a built wheel or sdist install."""

LAYOUT = {
    "reference": "data/reference",
    "notebooks": "notebooks",
    "demo": "data/cases/demo",
    "case.schema.json": "data/cases/case.schema.json",
}
"""Name inside ``onderdak/_resources/`` → path in the repository (``setup.py`` copies them so)."""

DEMO_SKIP = ("*.py", ".*")
"""Files of the demo folder that are not part of the case (the geometry generator)."""


@cache
def checkout() -> Path | None:
    """The repository root when the package runs from a source checkout (or an editable install).

    Returns
    -------
    Path or None
        The folder holding ``pyproject.toml``, ``model/onderdak/`` and ``data/reference/``; None for an
        installed wheel.
    """
    root = Path(__file__).resolve().parents[3]
    marks = (root / "pyproject.toml", root / LAYOUT["reference"] / "sources.csv")
    return root if all(p.is_file() for p in marks) else None


def _location(name: str) -> Path:
    root = checkout()
    if root is not None:
        return root / LAYOUT[name]
    packaged = resources.files("onderdak").joinpath(PACKAGED, name)
    if not isinstance(packaged, Path):  # e.g. a zip import: the runner and pandas need real files
        raise RuntimeError(f"onderdak must be installed as files, not as {type(packaged).__name__}")
    return packaged


def reference_dir() -> Path:
    """Folder of the sourced national reference figures (``data/reference``)."""
    return _location("reference")


def notebook_dir() -> Path:
    """Folder of the report notebook templates (``notebooks``)."""
    return _location("notebooks")


def demo_dir() -> Path:
    """Folder of the fictional demo case "Gemeente Voorbeeld" (``data/cases/demo``)."""
    return _location("demo")


def demo_case() -> Path:
    """The demo case file (``data/cases/demo/case.yaml``)."""
    return demo_dir() / "case.yaml"


def schema_file() -> Path:
    """The committed JSON schema of a case file (``data/cases/case.schema.json``)."""
    return _location("case.schema.json")


def locate(path: str | Path) -> Path:
    """A path as given when it exists or is absolute, else one of the repository paths above.

    Parameters
    ----------
    path : str or Path
        E.g. ``data/cases/demo/case.yaml``, the default of the notebooks' ``case_path``.

    Returns
    -------
    Path
        In a checkout: relative to the repository root when it exists there. In an installed
        wheel: the packaged copy when the path starts with one of the folders in :data:`LAYOUT`.
        Otherwise ``path`` unchanged (the caller reports it as not found).
    """
    p = Path(path)
    if p.exists() or p.is_absolute():
        return p
    root = checkout()
    if root is not None:
        return root / p if (root / p).exists() else p
    for name, repo_path in LAYOUT.items():
        prefix = Path(repo_path)
        if p == prefix or prefix in p.parents:
            candidate = _location(name) / p.relative_to(prefix)
            if candidate.exists():
                return candidate
    return p


def copy_demo(target: str | Path) -> Path:
    """Copy the demo case into a new (or empty) folder, to run or to start a case from.

    Parameters
    ----------
    target : str or Path
        Folder to create; it must not exist or be empty.

    Returns
    -------
    Path
        The copied ``case.yaml``.

    Raises
    ------
    FileExistsError
        When ``target`` holds files already (nothing is overwritten).
    """
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(17, "folder exists and is not empty", str(target))
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(demo_dir().iterdir()):
        if source.is_file() and not any(source.match(p) for p in DEMO_SKIP):
            shutil.copyfile(source, target / source.name)  # not the mode (may be read-only)
    return target / "case.yaml"
