"""The data flows one way (DESIGN.md): the model computes, the reporting layer words and draws, the
command line does I/O. No module of the model imports the reporting layer, at module level or inside
a function (a function-level import would only hide the cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

MODEL = Path(__file__).resolve().parents[1] / "model"
ABOVE_REPORTING = {"cli.py", "batch.py", "__main__.py"}
"""The command line and the batch runner start reports: they sit above the reporting layer."""


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def test_no_model_module_imports_the_reporting_layer():
    offenders = {
        path.name: sorted(m for m in _imports(path) if m.startswith("model.reporting"))
        for path in sorted(MODEL.glob("*.py"))
        if path.name not in ABOVE_REPORTING
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"model modules importing the reporting layer: {offenders}"


def test_the_reporting_layer_does_not_import_the_command_line():
    offenders = {
        path.name: sorted(m for m in _imports(path) if m in ("model.cli", "model.batch"))
        for path in sorted((MODEL / "reporting").glob("*.py"))
    }
    assert not {k: v for k, v in offenders.items() if v}
