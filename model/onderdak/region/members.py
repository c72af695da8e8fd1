"""The municipalities of a region: every entry of a region file, or the runs of a batch ``summary.csv``
(those that succeeded with the case, scenario, paths and seed their ``manifest.json`` records; failed
runs as missing)."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from onderdak.core.errors import InputError
from onderdak.io import resources
from onderdak.region.file import jobs_for_region


@dataclass(frozen=True)
class Member:
    """One municipality of a region: where its case is and how its run went."""

    label: str
    case: Path
    scenario: str | None = None
    paths: int | None = None
    seed: int | None = None
    status: str = "ok"  # ok | failed | invalid
    folder: str = ""
    message: str = ""


# -- members ------------------------------------------------------------------------------------
def read_members(source: str | Path) -> list[Member]:
    """The municipalities of a region file (``.yaml``) or a batch ``summary.csv``."""
    source = Path(source)
    if not source.is_file():
        raise InputError(f"{source}: region file or batch summary not found")
    if source.suffix.lower() == ".csv":
        return _members_from_summary(source)
    return _members_from_region(source)


def _members_from_region(path: Path) -> list[Member]:
    _, jobs = jobs_for_region(path)
    members = []
    for job in jobs:
        values = dict(job.parameters)
        members.append(
            Member(
                job.label,
                job.case,
                job.scenario,
                _int(values.get("paths"), path, "paths"),
                _int(values.get("seed"), path, "seed"),
            )
        )
    return members


def _int(text: str | None, where: Path, name: str) -> int | None:
    if text in (None, "", "none"):
        return None
    try:
        value = int(str(text))
    except ValueError:
        raise InputError(
            f"{where.name}, parameter `{name}`: {text!r} is not a whole number"
        ) from None
    return None if value < 0 else value


def _members_from_summary(path: Path) -> list[Member]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "case" not in rows[0] or "status" not in rows[0]:
        raise InputError(f"{path}: not a batch summary (columns `case` and `status` expected)")
    members = []
    for row in rows:
        if row.get("folder"):
            row["folder"] = str(_found(row["folder"], path))
        case = _found(row["case"], path)
        label = row.get("label") or case.parent.name
        scenario = row.get("scenario") or None
        if row["status"] != "ok":
            members.append(
                Member(
                    label,
                    case,
                    scenario,
                    status=row["status"],
                    folder=row.get("folder", ""),
                    message=row.get("message", ""),
                )
            )
            continue
        manifest_file = Path(row.get("folder", "")) / "manifest.json"
        if not manifest_file.is_file():
            members.append(
                Member(
                    label,
                    case,
                    scenario,
                    status="missing",
                    folder=row.get("folder", ""),
                    message=f"run folder without manifest.json ({manifest_file.parent})",
                )
            )
            continue
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        members.append(
            Member(
                label,
                Path(manifest.get("case") or case),
                manifest.get("scenario") or scenario,
                _run_paths(manifest, row.get("notebook", "")),
                manifest.get("seed"),
                folder=row.get("folder", ""),
            )
        )
    return members


def _found(text: str, summary: Path) -> Path:
    """A path from a summary: as written (absolute, or relative to the working folder of the
    batch), else relative to the repository (``onderdak`` is usually run from there)."""
    return resources.locate(text) if text else Path(text)


def _run_paths(manifest: Mapping, notebook: str) -> int | None:
    """Paths of a run: its parameter as the run used it (the manifest records the notebook's
    default too), else the case's (None)."""
    for key in ("parameters", "parameters_effective"):
        given = (manifest.get(key) or {}).get("paths")
        if isinstance(given, int) and given > 0:
            return given
    return None
