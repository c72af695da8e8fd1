"""Output folders written atomically: a new folder beside the old one, swapped in whole on success;
and single files the same way (:func:`fresh_file`).

A command's output folder is new, empty, or an earlier output of the same command (it holds one of
the command's mark files, e.g. ``summary.json``); anything else is refused before any work. A
failure leaves the old folder as it was and no temporary folder behind.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from onderdak.core.errors import InputError

RESULTS_MARK = "summary.json"
"""The file every results folder holds: a folder with it may be replaced by a new run."""


def check_output(out: Path, marks: Sequence[str] = (RESULTS_MARK,)) -> None:
    """Refuse, before any work, an output folder a command may not replace.

    ``out`` may be new, empty, or an earlier output of the same command (holding one of ``marks``,
    e.g. ``summary.json``); a file, a folder with other contents, or a place that cannot be
    written is refused (InputError).
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not any((out / m).is_file() for m in marks):
        raise InputError(
            f"--out {out}: the folder holds other files and no {' or '.join(marks)}; the command "
            "replaces its folder whole, so give a new or empty folder (or an earlier one of its own)"
        )
    parent = _existing_parent(out)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"--out {out}: {parent} cannot be written (permission denied)")


def _existing_parent(path: Path) -> Path:
    p = path.absolute().parent
    while not p.exists():
        p = p.parent
    return p


@contextlib.contextmanager
def fresh_folder(out: Path, marks: Sequence[str] = (RESULTS_MARK,)) -> Iterator[Path]:
    """A new temporary folder beside ``out`` to write into; swapped in for ``out`` whole on success.

    Nothing of an earlier output stays beside the new one (an old plan.csv after a ``--no-plan``
    run); a failure (an exception inside the block, a full disk) leaves ``out`` as it was and no
    temporary folder. Temporary folders of killed runs (``.<out>.partial-<pid>-…`` whose process
    no longer runs) are removed first.

    Raises
    ------
    InputError
        ``out`` may not be replaced (:func:`check_output`) or cannot be written.
    """
    out = Path(out)
    check_output(out, marks)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise InputError(f"--out {out}: cannot be written ({exc.strerror or exc})") from None
    old = None
    try:
        yield tmp
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}-{tmp.name.rsplit('-', 1)[-1]}"
            os.replace(out, old)
        os.replace(tmp, out)
    except OSError as exc:
        if old is not None and not out.exists():
            os.replace(old, out)  # put the last good output back
            old = None
        raise InputError(
            f"--out {out}: could not be written ({exc.strerror or exc}); the folder is as it was"
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _clean_stale(out: Path) -> None:
    """Remove ``.<out>.partial-<pid>-*`` / ``.old-<pid>-*`` folders whose process no longer runs."""
    for p in out.parent.glob(f".{glob.escape(out.name)}.*-*-*"):
        kind, _, rest = p.name[len(out.name) + 2 :].partition("-")
        pid = rest.split("-", 1)[0]
        if kind not in ("partial", "old") or not pid.isdigit() or _running(int(pid)):
            continue
        if kind == "old" and not out.exists():
            os.replace(p, out)  # killed between the two renames: the last good results come back
        else:
            shutil.rmtree(p, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextlib.contextmanager
def fresh_file(path: str | Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write into, renamed to ``path`` on success and removed on
    failure. Its name is its own (process and call), so that readers see the old file or the whole
    new one, also when several processes write the same file at once (a shared download cache)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(3)}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()  # only there when the block failed
