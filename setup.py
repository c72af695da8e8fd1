"""Build step: copy the top-level data folders into ``onderdak/_resources/`` of the wheel.

The repository keeps ``notebooks/``, ``data/reference/``, ``data/cases/demo/`` and the case schema
at the top level (the layout is fixed); an installed wheel reads them through ``onderdak.io.resources``.
An editable install reads the repository's folders directly, so nothing is copied for it.
Everything else is in ``pyproject.toml``; ``MANIFEST.in`` puts the same folders in the sdist.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _layout() -> dict[str, str]:
    """``onderdak.io.resources.LAYOUT``, read from the file (the package is not importable while building)."""
    spec = importlib.util.spec_from_file_location("_layout", ROOT / "model" / "onderdak" / "io" / "resources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LAYOUT


RESOURCES = _layout()
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "*.py")


class BuildWithResources(build_py):
    """``build_py`` that also copies :data:`RESOURCES` into ``<build>/onderdak/_resources``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "onderdak" / "_resources"
        for name, source in RESOURCES.items():
            src, dst = ROOT / source, target / name
            if not src.exists():
                raise FileNotFoundError(f"{src}: needed in the wheel (onderdak/_resources/{name})")
            if src.is_dir():
                shutil.copytree(src, dst, ignore=SKIP, dirs_exist_ok=True)
            else:
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)


setup(cmdclass={"build_py": BuildWithResources})
