"""The manifest of a report run: parameters, hashes of the case and all data, version, seed, timings."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from onderdak.core.version import __version__
from onderdak.io import resources

REFERENCE_DIR = resources.reference_dir()
MANIFEST_FILE = "manifest.json"


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_SKIP_DIRS = {"reports", "__pycache__", "node_modules", "failed"}


def _tree_hashes(folder: Path, max_depth: int = 3) -> dict[str, str]:
    """Hashes of the files under ``folder`` (hidden files, report folders and deep trees skipped)."""
    if not folder.is_dir():
        return {}
    out = {}
    for root, dirs, files in os.walk(folder):
        rel_root = Path(root).relative_to(folder)
        depth = len(rel_root.parts)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and d not in _SKIP_DIRS and depth + 1 < max_depth
        )
        for name in sorted(files):
            if not name.startswith("."):
                out[(rel_root / name).as_posix()] = sha256_file(Path(root) / name)
    return dict(sorted(out.items()))


def data_hashes(case_file: str | Path, register: str | Path | None = None) -> dict[str, Any]:
    """SHA-256 of the case file, its register, every other file in its folder and every reference file.

    Parameters
    ----------
    case_file : str or Path
        The case YAML.
    register : str or Path, optional
        The location register the case names.

    Returns
    -------
    dict
        ``case_file`` and ``register`` as ``{"path", "sha256"}``, ``case_folder`` and
        ``reference`` as ``{relative path: sha256}``, and ``combined``: one hash over all of them.
    """
    case_file = Path(case_file).resolve()
    out: dict[str, Any] = {"case_file": {"path": str(case_file), "sha256": sha256_file(case_file)}}
    if register is not None and Path(register).is_file():
        out["register"] = {"path": str(Path(register).resolve()), "sha256": sha256_file(register)}
    else:
        out["register"] = None
    out["case_folder"] = _tree_hashes(case_file.parent)
    out["reference"] = _tree_hashes(REFERENCE_DIR)
    out["combined"] = hashlib.sha256(json.dumps(out, sort_keys=True).encode()).hexdigest()
    return out


def git_commit() -> str | None:
    """The commit of the source tree (with ``+dirty`` when it has changes), or None outside git.

    None for an installed wheel too (its version is in the manifest), even inside someone's repository.
    """
    root = resources.checkout()
    if root is None:
        return None
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        changes = subprocess.run(  # the code and data the run reads; reports are its output
            ["git", "-C", str(root), "status", "--porcelain", "--", *TRACKED],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    if not head:
        return None
    return f"{head}+dirty" if changes else head


TRACKED = ("model", "notebooks", "data", "pyproject.toml", "requirements.lock")
"""What a run depends on in a checkout: a change there makes its commit ``+dirty``."""


def dependency_versions() -> dict[str, str]:
    """The installed version of every package Onderdak depends on (its declared requirements)."""
    from importlib.metadata import PackageNotFoundError, requires, version

    out = {}
    try:
        declared = requires("onderdak") or []
    except PackageNotFoundError:
        return out
    for req in declared:
        if "extra ==" in req:
            continue
        name = re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0]
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "missing"
    return dict(sorted(out.items()))


def output_hashes(folder: str | Path) -> dict[str, str]:
    """SHA-256 of every file a run wrote (except the manifest itself)."""
    folder = Path(folder)
    return {k: v for k, v in _tree_hashes(folder).items() if k != MANIFEST_FILE}


def build_manifest(
    *,
    run_id: str,
    notebook: str,
    notebook_file: str | Path,
    case_file: str | Path,
    scenario: str | None,
    register: str | Path | None,
    parameters: Mapping[str, Any],
    effective: Mapping[str, Any] | None = None,
    rerun: Mapping[str, Any] | None = None,
    seed: int | None,
    timings_s: Mapping[str, float],
    peildatum: str | None = None,
    started_utc: str,
    finished_utc: str,
    kernel_name: str,
    folder: str | Path,
    meta: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of a finished run (see module docstring); all values JSON-serialisable."""
    return {
        "run_id": run_id,
        "notebook": notebook,
        "notebook_file": {
            "path": str(Path(notebook_file).resolve()),
            "sha256": sha256_file(notebook_file),
        },
        "case": str(Path(case_file).resolve()),
        "scenario": scenario,
        "parameters": dict(parameters),
        # every parameter of the notebook as the run used it (its defaults included)
        "parameters_effective": dict(effective if effective is not None else parameters),
        "argv": list(sys.argv),
        # what `onderdak rerun` passes to run the same report again
        "rerun": dict(rerun or {}),
        "seed": seed,
        "peildatum": peildatum,  # reproduce with ONDERDAK_PEILDATUM=<this> when the case leaves it open
        "hashes": data_hashes(case_file, register),
        "package": {"name": "onderdak", "version": __version__, "git_commit": git_commit()},
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "kernel": kernel_name,
            "packages": dependency_versions(),
        },
        "started_utc": started_utc,
        "finished_utc": finished_utc,
        "timings_s": {k: round(v, 3) for k, v in timings_s.items()},
        "report": dict(meta or {}),
        "outputs": output_hashes(folder),
    }


def write_manifest(folder: str | Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest.json`` into the run folder."""
    path = Path(folder) / MANIFEST_FILE
    path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    return path
