"""environment.yml (conda) lists the same dependencies as pyproject.toml (pip)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].strip().lower().replace("_", "-")


def _all_dependencies() -> list[str]:
    """The dependencies and every extra's, without the extras that name the project itself."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [d for deps in project["optional-dependencies"].values() for d in deps]
    return project["dependencies"] + [d for d in extras if _name(d) != project["name"]]


def test_environment_yml_matches_pyproject():
    pip_deps = _all_dependencies()
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [
        d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")
    ]
    assert sorted(map(_name, conda)) == sorted(map(_name, pip_deps))
    assert {_name(d): d for d in conda} == {_name(d): d.replace(" ", "") for d in pip_deps}
    pip_section = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pip_section == [["-e ."]], "environment.yml installs the package itself (pip: -e .)"


def test_extras_split_by_purpose():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert {_name(d) for d in extras["lab"]} == {"jupyterlab"}
    assert {_name(d) for d in extras["test"]} >= {"pytest", "pytest-xdist", "hypothesis"}
    assert "numpy-financial" in {_name(d) for d in extras["test"]}  # used only by tests


def test_lock_pins_every_dependency():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").lower().replace("_", "-")
    for dep in _all_dependencies():
        assert f"\n{_name(dep)}==" in "\n" + lock, (
            f"{_name(dep)} is not pinned in requirements.lock"
        )


OPTIONAL_IMPORTS = {"psutil", "dask", "distributed"}
"""Imported inside a try (a fallback exists, or a clear error names the extra: `onderdak[dask]`),
so not a required dependency."""


def test_every_imported_distribution_is_declared():
    imported = set()
    for path in (ROOT / "model").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"onderdak"} - OPTIONAL_IMPORTS
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(d) for d in project["dependencies"]}
    owners = packages_distributions()
    undeclared = {
        module: owners.get(module)
        for module in sorted(third_party)
        if not declared & {_name(d) for d in owners.get(module, [module])}
    }
    assert not undeclared, (
        f"model/ imports these, pyproject.toml does not declare them: {undeclared}"
    )
