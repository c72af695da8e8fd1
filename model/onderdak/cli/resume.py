"""``--resume``: which jobs of a batch ran before, successfully, on the same inputs.

Every batch writes ``jobs.json`` beside its ``summary.csv``: per job what was asked (case,
scenario, notebook, parameters, formats, PDF or not), its status and run folder. A job is skipped
when the newest earlier batch under the same report root that ran the same request succeeded and
the run's ``manifest.json`` (:mod:`onderdak.reporting.manifest`) still matches today's inputs:

- the combined hash of the case file, its register, every file in the case folder (wijken,
  population files) and the reference data (``hashes.combined``);
- the code: the package version and, in a checkout, the git commit; a run made from a checkout
  with uncommitted changes (``+dirty``) is never reused, as its code cannot be told apart;
- the notebook file (its hash), when the run had one.

Anything unknown (no manifest, an unreadable one, a file gone) means the job runs again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from onderdak.region.file import Job

JOBS_FILE = "jobs.json"


def request(job: Job, formats: Sequence[str] | None = None, no_pdf: bool = False) -> dict[str, Any]:
    """What a job asks for, as JSON-ready values (equal requests ask for the same run)."""
    return {
        "case": str(Path(job.case).resolve()),
        "scenario": job.scenario,
        "notebook": job.notebook,
        "parameters": [list(p) for p in job.parameters],
        "formats": list(formats) if formats is not None else None,
        "no_pdf": bool(no_pdf),
    }


def write_jobs(path: Path, entries: Sequence[tuple[Mapping[str, Any], str, str]]) -> None:
    """``jobs.json``: per job its request, status and run folder (absolute)."""
    rows = [
        {**req, "status": status, "folder": str(Path(folder).resolve()) if folder else ""}
        for req, status, folder in entries
    ]
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def previous_runs(root: Path, before: Path | None = None) -> list[dict[str, Any]]:
    """The entries of every earlier batch's ``jobs.json`` under ``root/batches``, newest first."""
    found = []
    for jobs in sorted((root / "batches").glob(f"*/{JOBS_FILE}"), reverse=True):
        if before is not None and jobs.parent == before:
            continue
        try:
            found.extend(json.loads(jobs.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return found


def unchanged_run(req: Mapping[str, Any], previous: Sequence[Mapping[str, Any]]) -> str | None:
    """The run folder of the newest earlier run of ``req`` if it succeeded on today's inputs."""
    keys = ("case", "scenario", "notebook", "parameters", "formats", "no_pdf")
    for entry in previous:
        if all(entry.get(k) == req[k] for k in keys):
            folder = entry.get("folder") or ""
            if entry.get("status") != "ok" or not folder:
                return None
            return folder if inputs_unchanged(Path(folder)) else None
    return None


def inputs_unchanged(folder: Path) -> bool:
    """Whether the run in ``folder`` had the inputs, code and notebook there are today."""
    from onderdak.core.version import __version__
    from onderdak.reporting.manifest import MANIFEST_FILE, data_hashes, git_commit, sha256_file

    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        hashes = manifest["hashes"]
        package = manifest["package"]
        register = (hashes.get("register") or {}).get("path")
        if data_hashes(manifest["case"], register)["combined"] != hashes["combined"]:
            return False
        if not same_code(
            package.get("version"), package.get("git_commit"), __version__, git_commit()
        ):
            return False
        notebook = manifest.get("notebook_file")
        if notebook and sha256_file(notebook["path"]) != notebook["sha256"]:
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


def same_code(version: Any, commit: Any, today_version: Any, today_commit: Any) -> bool:
    """Whether a run made with ``version`` and ``commit`` counts as made by today's code: the same
    package version and git commit, and not from a checkout with uncommitted changes (``+dirty``),
    whose code cannot be told apart."""
    return (
        version == today_version
        and commit == today_commit
        and not str(commit or "").endswith("+dirty")
    )
