"""The region file: one entry per municipality of a region, each a report run (a :class:`Job`).

A region file lists the municipalities::

    name: regio-voorbeeld          # optional: names the batch and overview folders
    title: Regio Voorbeeld         # optional: the region as the overview names it
    notebook: scenarios            # default notebook of every entry
    parameters: {paths: 500}       # default parameters of every entry
    municipalities:
      - case: ../cases/demo/case.yaml     # relative to the region file
        scenario: hoog                    # optional
        parameters: {language: en}        # merged over the defaults
    overview: true                 # default: after the runs, the regional overview (region.ipynb)

The batch runner (:mod:`onderdak.cli.batch`) runs the jobs; the regional overview reads its members
from the same file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from onderdak.case.settings import read_yaml
from onderdak.core.errors import InputError


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    case: str = Field(description="Case file, relative to the region file.")
    scenario: str | None = None
    notebook: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    name: str | None = Field(
        default=None, description="Label in the summary (default: the case file's folder)."
    )


class RegionFile(BaseModel):
    """A region file: defaults plus one entry per municipality."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(
        default=None,
        description="Short name (letters, digits, - and _): batch and overview folders.",
    )
    title: str | None = Field(default=None, description="The region as the overview names it.")
    notebook: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    municipalities: list[_Entry] = Field(min_length=1)
    overview: bool = Field(default=True, description="Run the regional overview after the runs.")


@dataclass(frozen=True)
class Region:
    """A region file read: its name, title, jobs and whether to build the overview."""

    file: Path
    name: str
    title: str | None
    jobs: list[Job]
    overview: bool = True
    language: str | None = None


@dataclass(frozen=True)
class Job:
    """One report run of a batch."""

    case: Path
    scenario: str | None = None
    notebook: str | None = None
    parameters: tuple[tuple[str, str], ...] = ()
    label: str = ""


def _text(value: Any) -> str:
    """A YAML value as ``-p`` text the runner parses back to the same value."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def job_parameters(values: Mapping[str, Any], as_text: bool) -> tuple[tuple[str, str], ...]:
    return tuple((k, v if as_text else _text(v)) for k, v in values.items())


def jobs_for_region(
    region: str | Path, notebook: str | None = None, parameters: Mapping[str, str] | None = None
) -> tuple[str, list[Job]]:
    """The batch name and one job per municipality of a region file (command-line values win)."""
    spec = read_region(region, notebook, parameters)
    return spec.name, spec.jobs


def read_region(
    region: str | Path, notebook: str | None = None, parameters: Mapping[str, str] | None = None
) -> Region:
    """A region file, validated: one job per municipality (command-line values win)."""
    region = Path(region)
    try:
        spec = RegionFile.model_validate(read_yaml(region))
    except ValidationError as exc:
        problems = [
            f"{region.name}, field `{'.'.join(str(p) for p in e['loc'])}`: {e['msg']}"
            for e in exc.errors()
        ]
        raise InputError(f"{region}: the region file is not valid", problems) from None
    jobs = []
    for entry in spec.municipalities:
        case = Path(entry.case)
        case = case if case.is_absolute() else (region.parent / case)
        if not case.is_file():
            raise InputError(f"{region.name}: case file {entry.case!r} not found ({case})")
        values = {k: _text(v) for k, v in {**spec.parameters, **entry.parameters}.items()}
        values.update(parameters or {})
        jobs.append(
            Job(
                case,
                entry.scenario,
                notebook or entry.notebook or spec.notebook,
                tuple(values.items()),
                entry.name or case.parent.name,
            )
        )
    name = spec.name or region.stem
    if not all(c.isalnum() or c in "-_" for c in name):
        raise InputError(
            f"{region.name}, field `name`: {name!r} must use only letters, digits, '-' and '_' "
            "(it names the report folder)"
        )
    language = (parameters or {}).get("language") or spec.parameters.get("language")
    return Region(region, name, spec.title, jobs, spec.overview, language and str(language))
