"""onderdak.io.resources: the repository's folders in a checkout, the packaged copies in an installed wheel."""

from __future__ import annotations

from pathlib import Path

from onderdak.cli.main import main
from onderdak.io import resources
from onderdak.reporting import report_notebooks

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_reads_the_repository_folders():
    assert resources.checkout() == ROOT
    assert resources.reference_dir() == ROOT / "data" / "reference"
    assert resources.notebook_dir() == ROOT / "notebooks" == report_notebooks.NOTEBOOK_DIR
    assert resources.demo_case() == ROOT / "data" / "cases" / "demo" / "case.yaml"
    assert resources.schema_file() == ROOT / "data" / "cases" / "case.schema.json"
    for repo_path in resources.LAYOUT.values():
        assert (ROOT / repo_path).exists(), repo_path
    assert resources.locate("data/cases/demo/case.yaml").resolve() == resources.demo_case()
    assert resources.locate("no/such/case.yaml") == Path("no/such/case.yaml")


def test_an_installed_package_reads_its_packaged_copies(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "onderdak"
    (package / resources.PACKAGED / "demo").mkdir(parents=True)
    (package / resources.PACKAGED / "demo" / "case.yaml").write_text("name: demo\n")
    monkeypatch.setattr(resources, "checkout", lambda: None)
    monkeypatch.setattr(resources.resources, "files", lambda name: package)
    assert resources.demo_case() == package / "_resources" / "demo" / "case.yaml"
    assert resources.reference_dir() == package / "_resources" / "reference"
    # the notebooks' default case path, relative to the repository, finds the packaged demo
    monkeypatch.chdir(tmp_path)
    assert resources.locate("data/cases/demo/case.yaml") == resources.demo_case()
    assert resources.locate("data/cases/other/case.yaml") == Path("data/cases/other/case.yaml")


def test_demo_command_copies_the_case_and_never_overwrites(tmp_path, capsys):
    assert main(["demo", str(tmp_path / "mine")]) == 0
    copied = sorted(p.name for p in (tmp_path / "mine").iterdir())
    assert copied == [
        "amenities.csv",
        "case.yaml",
        "locations.csv",
        "locations.xlsx",
        "wijken.geojson",
    ]
    assert "onderdak validate" in capsys.readouterr().out
    assert main(["demo", str(tmp_path / "mine")]) == 2  # not empty: nothing is touched
    assert "not empty" in capsys.readouterr().err
