"""Run folders: unique run ids, a hidden folder per run in progress, the ``latest`` pointer."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import time
from pathlib import Path

from onderdak.core.errors import ReportError

PARTIAL_PREFIX = ".partial-"
FAILED_PREFIX = "failed-"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_run_id(
    notebook: str, scenario: str | None, digest: str, now: dt.datetime | None = None
) -> str:
    """``20261123T101500Z-scenarios-hoog-1a2b3c-9f0e``: time, notebook, scenario, input hash, random."""
    stamp = (now or utc_now()).strftime("%Y%m%dT%H%M%SZ")
    parts = (
        [stamp, notebook] + ([scenario] if scenario else []) + [digest[:6], secrets.token_hex(2)]
    )
    return "-".join(parts)


def latest_run(root: str | Path) -> Path | None:
    """The newest good run folder under a report root (via ``latest``), or None."""
    root = Path(root)
    link = root / "latest"
    if link.is_symlink() or link.is_dir():
        return link.resolve() if link.exists() else None
    text_file = root / "latest.txt"
    if text_file.is_file():
        target = root / text_file.read_text(encoding="utf-8").strip()
        return target if target.is_dir() else None
    return None


def point_latest(root: Path, run_id: str) -> None:
    current = latest_run(root)
    if current is not None and current.name > run_id:
        return  # a newer run finished first
    tmp = root / f".latest-{run_id}"
    try:
        os.symlink(run_id, tmp)
        os.replace(tmp, root / "latest")
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        (root / "latest.txt").write_text(run_id + "\n", encoding="utf-8")


def claim_folder(root: Path, notebook: str, scenario: str | None, digest: str) -> tuple[str, Path]:
    for _ in range(20):
        run_id = new_run_id(notebook, scenario, digest)
        tmp = root / f"{PARTIAL_PREFIX}{run_id}"
        if (root / run_id).exists():
            continue
        try:
            tmp.mkdir(parents=True)
        except FileExistsError:
            continue
        return run_id, tmp
    raise ReportError(f"{root}: could not claim a unique run folder")  # pragma: no cover


def remove_partial(root: str | Path, older_than_s: float = 24 * 3600) -> list[Path]:
    """Delete ``.partial-*`` folders left by killed runs older than ``older_than_s``; returns them."""
    removed = []
    for p in Path(root).glob(f"{PARTIAL_PREFIX}*"):
        if time.time() - p.stat().st_mtime > older_than_s:
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed
