"""Run a report again from its manifest, and say whether it came out the same.

``onderdak rerun reports/demo/latest/manifest.json --verify`` runs the same notebook on the same
case with the same parameters, scenario, formats and peildatum (the manifest's ``rerun`` section),
then compares: the inputs (case, register, every file of the case folder and of the reference data),
the code version, and the outputs. The figures the report shows (``results/*.csv`` and the
figures) must be byte-identical; the HTML, PDF, deck and workbook carry the run's id and date and
are not compared.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onderdak.core.errors import InputError
from onderdak.reporting.manifest import MANIFEST_FILE
from onderdak.reporting.runner import run_report

COMPARED = ("results/", "figures/")
"""Output folders whose files must be byte-identical on a rerun."""


@dataclass
class Verification:
    """What differs between a run and its rerun."""

    inputs_changed: list[str] = field(default_factory=list)
    code: tuple[Any, Any] | None = None  # (before, now) when the code version differs
    outputs_differ: list[str] = field(default_factory=list)
    outputs_compared: int = 0
    folder: Path | None = None

    @property
    def same(self) -> bool:
        return not self.outputs_differ and self.outputs_compared > 0


def read_manifest(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"rerun: {path} not found (give a run's manifest.json or its folder)"
        ) from None
    except ValueError as exc:
        raise InputError(f"rerun: {path} is not a manifest ({exc})") from None
    if not isinstance(manifest, dict) or not manifest.get("rerun"):
        raise InputError(
            f"rerun: {path} has no `rerun` section (written by an older Onderdak); run the report "
            "again with `onderdak report`"
        )
    return manifest


@contextmanager
def _peildatum(value: str | None):
    """The run's peildatum for the rerun (a case that leaves it open takes the current month)."""
    old = os.environ.get("ONDERDAK_PEILDATUM")
    if value:
        os.environ["ONDERDAK_PEILDATUM"] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("ONDERDAK_PEILDATUM", None)
        else:
            os.environ["ONDERDAK_PEILDATUM"] = old


def rerun(path: str | Path, out: str | Path | None = None) -> Verification:
    """Run the report of manifest ``path`` again (into ``out``, default the same report root) and
    compare it with the first run."""
    before = read_manifest(path)
    spec = before["rerun"]
    root = Path(out) if out is not None else Path(path).resolve().parent.parent
    with _peildatum(before.get("peildatum")):
        result = run_report(
            spec["case"],
            spec["notebook"],
            spec.get("parameters") or {},
            out=root,
            scenario=spec.get("scenario"),
            formats=spec.get("formats"),
            from_text=False,
            pptx_template=spec.get("pptx_template"),
        )
    after = read_manifest(result.folder / MANIFEST_FILE)
    return compare(before, after, result.folder)


def compare(
    before: dict[str, Any], after: dict[str, Any], folder: Path | None = None
) -> Verification:
    """Inputs, code and outputs of two manifests of the same report."""
    out = Verification(folder=folder)
    h0, h1 = before.get("hashes", {}), after.get("hashes", {})
    for key in ("case_file", "register"):
        if (h0.get(key) or {}).get("sha256") != (h1.get(key) or {}).get("sha256"):
            out.inputs_changed.append(key)
    for group in ("case_folder", "reference"):
        a, b = h0.get(group, {}), h1.get(group, {})
        out.inputs_changed += [
            f"{group}/{k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)
        ]
    v0, v1 = before.get("package", {}), after.get("package", {})
    if (v0.get("version"), v0.get("git_commit")) != (v1.get("version"), v1.get("git_commit")):
        out.code = (v0, v1)
    o0, o1 = before.get("outputs", {}), after.get("outputs", {})
    keys = sorted(k for k in set(o0) | set(o1) if k.startswith(COMPARED))
    out.outputs_compared = len(keys)
    out.outputs_differ = [k for k in keys if o0.get(k) != o1.get(k)]
    return out
