"""The package as a user gets it: sdist → wheel, installed into a fresh venv outside the repository,
runs `onderdak demo`, `validate`, `run` and `report --notebook scenarios` there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (
    "model",
    "notebooks",
    "data/reference",
    "data/cases/demo",
    "data/cases/case.schema.json",
    "setup.py",
    "pyproject.toml",
    "MANIFEST.in",
    "LICENSE",
    "README.md",
)
"""What the build reads; copied first, so the build writes nothing into the repository."""
PACKAGED = (
    "onderdak/_resources/reference/sources.csv",
    "onderdak/_resources/reference/national_scenarios.yaml",
    "onderdak/_resources/notebooks/scenarios.ipynb",
    "onderdak/_resources/notebooks/advice.ipynb",
    "onderdak/_resources/demo/case.yaml",
    "onderdak/_resources/demo/locations.csv",
    "onderdak/_resources/demo/wijken.geojson",
    "onderdak/_resources/case.schema.json",
    "onderdak/reporting/report.css",
    "onderdak/reporting/templates/report.html.j2",
    "onderdak/reporting/templates/deck.pptx",
)


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600):
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}"
    return done


def _backend(cwd: Path, call: str, out: Path) -> Path:
    """Call a PEP 517 hook of setuptools (what `python -m build` does, without the build package)."""
    code = f"from setuptools import build_meta; print(build_meta.{call}({str(out)!r}))"
    name = _run([sys.executable, "-c", code], cwd).stdout.strip().splitlines()[-1]
    return out / name


def build_wheel_via_sdist(tmp: Path) -> tuple[Path, Path]:
    """The sdist of a copy of the sources, and the wheel built from that sdist: so a folder that
    MANIFEST.in leaves out of the sdist is missing from the wheel too (setup.py then fails)."""
    src, dist = tmp / "src", tmp / "dist"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "_resources")
    for rel in SOURCES:
        if (ROOT / rel).is_dir():
            shutil.copytree(ROOT / rel, src / rel, ignore=skip)
        else:
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / rel, src / rel)
    sdist = _backend(src, "build_sdist", dist)
    with tarfile.open(sdist) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(tmp / "unpacked", filter="data")
        else:  # pragma: no cover
            tar.extractall(tmp / "unpacked")  # our own sdist
    (unpacked,) = (tmp / "unpacked").iterdir()
    return sdist, _backend(unpacked, "build_wheel", dist)


def fresh_venv(tmp: Path, wheel: Path) -> Path:
    """A venv with only the wheel installed in it; the dependencies are the test environment's,
    reached through a .pth file (read after the venv's own site-packages), so nothing is downloaded.
    Returns its bin folder."""
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp)
    python = venv / "bin" / "python"
    own = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp)
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(own.stdout.strip()) / "_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps"]
    _run([*pip, wheel], tmp)
    return venv / "bin"


def test_wheel_installed_outside_the_repository_runs_the_demo(tmp_path):
    assert tuple(map(int, version("setuptools").split(".")[:2])) >= (77, 0), (
        "building needs setuptools>=77 (pyproject.toml); run `make` to update .venv"
    )
    sdist, wheel = build_wheel_via_sdist(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in PACKAGED if n not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if n.startswith(("tests/", "data/", "notebooks/"))]
    assert not [n for n in names if n.startswith("onderdak/_resources/") and n.endswith(".py")]
    with tarfile.open(sdist) as tar:
        assert any(n.endswith("/data/cases/demo/case.yaml") for n in tar.getnames())

    bin_dir = fresh_venv(tmp_path, wheel)
    work = tmp_path / "work"  # the user's folder: not the repository, not the venv
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    # nbconvert's HTML templates are data files of the environment that holds nbconvert (share/
    # jupyter); pip would put them in the venv's own share/ when it installs the dependencies
    env["JUPYTER_PATH"] = str(Path(sysconfig.get_path("data")) / "share" / "jupyter")
    onderdak = bin_dir / "onderdak"

    # a consultant's own model.py in the working folder no longer shadows the package
    (work / "model.py").write_text("raise SystemExit('the working folder shadowed the package')\n")
    where = _run(
        [
            bin_dir / "python",
            "-c",
            "import onderdak, onderdak.io.resources as r; print(onderdak.__file__, r.checkout())",
        ],
        work,
        env,
    ).stdout.split()
    (work / "model.py").unlink()
    assert Path(where[0]).is_relative_to(tmp_path / "venv") and where[1] == "None"

    _run([onderdak, "demo", "demo"], work, env)
    case = work / "demo" / "case.yaml"
    assert sorted(p.name for p in case.parent.iterdir()) == [
        "amenities.csv",
        "case.yaml",
        "locations.csv",
        "locations.xlsx",
        "wijken.geojson",
    ]

    done = _run([onderdak, "validate", "demo/case.yaml"], work, env)
    assert "valid (5 scenario(s)" in done.stdout

    _run(
        [onderdak, "run", "demo/case.yaml", "--out", "out", "--scenario", "basis"]
        + ["--paths", "100", "--no-plan"],
        work,
        env,
    )
    assert (work / "out" / "need.csv").stat().st_size > 0
    assert (work / "out" / "summary.json").is_file()

    _run(
        [onderdak, "report", "demo/case.yaml", "--notebook", "scenarios", "--out", "reports"]
        + ["-p", "paths=100", "--formats", "html,xlsx"],
        work,
        env,
        timeout=900,
    )
    latest = work / "reports" / "latest"
    assert (latest / "scenarios.html").stat().st_size > 10_000
    assert (latest / "tables.xlsx").is_file()
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["package"]["git_commit"] is None  # an installed wheel, not a checkout
    assert Path(manifest["notebook_file"]["path"]).is_relative_to(tmp_path / "venv")
    assert not (ROOT / "model" / "onderdak" / "_resources").exists()
