"""The national scenarios: their definitions and shared parameters from data/reference/national_scenarios.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from onderdak.io import reference

SCENARIO_FILE = "national_scenarios.yaml"


@lru_cache(maxsize=1)
def scenario_book() -> dict[str, Any]:
    """The national scenario definitions from data/reference/national_scenarios.yaml."""
    path = Path(reference.REFERENCE_DIR) / SCENARIO_FILE
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def scenario_definition(name: str) -> dict[str, Any]:
    """A scenario's definition with its ``base`` scenario filled in."""
    book = scenario_book()["scenarios"]
    spec = dict(book[name])
    if "base" in spec:
        merged = dict(book[spec["base"]])
        merged.update({k: v for k, v in spec.items() if k != "base"})
        spec = merged
    return spec


def scenario_meta(key: str) -> Any:
    return scenario_book()["meta"][key]["value"]
