"""``onderdak national --resume`` and ``--shard K/N``: a municipality's answer kept beside its results.

Every municipality that ran writes ``results/<code>/answer.json``: its row of the overview, its
need per scenario, its report's outcome, what was asked (year, half-year, paths, report, formats)
and the inputs it ran on: the combined hash of its starter case folder and the reference data
(:func:`onderdak.reporting.manifest.data_hashes`), the package version and the git commit. With
``--resume`` a job rewrites the starter case (as every run does, from ``--from``) and, when the
saved answer asked the same and its inputs are the same, returns that answer instead of computing
it again. A checkout with uncommitted changes (``+dirty``) is never reused, as in ``onderdak batch
--resume``; anything unreadable means the municipality runs again.

``--shard K/N`` runs every N-th municipality from the K-th on and writes no overview (N array
tasks would write it at once); once every shard has finished, ``--resume`` over all
municipalities computes nothing again and writes the overview.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from onderdak.cli.resume import same_code
from onderdak.io.atomic import fresh_file
from onderdak.region.national import municipality_folder

ANSWER_FILE = "answer.json"


def request(
    year: int,
    half_year: str,
    paths: int | None,
    notebook: str | None,
    formats: tuple[str, ...] | None,
) -> dict[str, Any]:
    """What a municipality's job is asked, as JSON-ready values."""
    return {
        "year": int(year),
        "half_year": half_year,
        "paths": paths,
        "report": notebook,
        "formats": list(formats) if formats is not None else None,
    }


@cache
def _code() -> dict[str, str | None]:
    from onderdak.core.version import __version__
    from onderdak.reporting.manifest import git_commit

    return {"version": __version__, "commit": git_commit()}


def inputs(case_file: str | Path) -> dict[str, Any]:
    """The inputs a municipality runs on: its case folder with the reference data, and the code."""
    from onderdak.reporting.manifest import data_hashes

    return {"data": data_hashes(case_file)["combined"], **_code()}


def _file(work: str | Path, code: str) -> Path:
    return municipality_folder(work, "results", code) / ANSWER_FILE


def save(
    work: str | Path,
    code: str,
    answer: Mapping[str, Any],
    asked: Mapping[str, Any],
    used: Mapping[str, Any],
) -> None:
    """Write the answer of a municipality that ran (atomically: :func:`~onderdak.io.atomic.fresh_file`)."""
    path = _file(work, code)
    if not path.parent.is_dir():
        return
    body = {"request": dict(asked), "inputs": dict(used), "answer": dict(answer)}
    with fresh_file(path) as tmp:
        tmp.write_text(json.dumps(body, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def saved(
    work: str | Path, code: str, asked: Mapping[str, Any], used: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The kept answer of ``code`` when it asked ``asked`` and ran well (its report too) on the
    inputs ``used`` (:func:`inputs`: the same data, the same code, :func:`~onderdak.cli.resume.same_code`);
    else None."""
    try:
        body = json.loads(_file(work, code).read_text(encoding="utf-8"))
        answer, then = body["answer"], body["inputs"]
        if body["request"] != dict(asked) or answer.get("status") != "ok":
            return None
        if then["data"] != used["data"] or not same_code(
            then["version"], then["commit"], used["version"], used["commit"]
        ):
            return None
        report = answer.get("report")
        if report is not None and (
            report.get("status") != "ok" or not Path(report.get("folder", "")).is_dir()
        ):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return answer


def forget(work: str | Path, code: str) -> None:
    """Remove a kept answer (before a municipality runs again)."""
    with contextlib.suppress(OSError):
        _file(work, code).unlink()
