"""`onderdak init`: a starter case for a real municipality from public data, tested offline on the
shared CBS/PDOK exports (issue 16)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pytest
import yaml
from openpyxl import load_workbook

from onderdak.case.settings import load_case_file
from onderdak.cli.main import main
from onderdak.geo.starter_case import REGISTER_COLUMNS, municipality_code
from onderdak.register.locations import load_register
from onderdak.register.terms import COLUMNS, normalise

pytestmark = pytest.mark.shared


@pytest.fixture
def heusden(tmp_path: Path, shared_data: Path) -> Path:
    assert (
        main(["init", "GM0797", "--dir", str(tmp_path / "heusden"), "--from", str(shared_data)])
        == 0
    )
    return tmp_path / "heusden" / "case.yaml"


def test_the_starter_case_holds_the_public_figures(heusden: Path, shared_data: Path):
    case = next(iter(load_case_file(heusden).values()))
    # the published figures of ../shared/data/README.md: Heusden 46,365 inhabitants on 1 January
    # 2025 (70072NED), 46,026 on 1 January 2024 (85984NED), wijken summing to 46,030
    assert case.municipality.name == "Gemeente Heusden"
    assert case.municipality.code == "GM0797"
    assert case.municipality.population_persons == 46365
    assert case.locations is None
    folder = heusden.parent
    geo = json.loads((folder / "wijken_gm0797_2024.geojson").read_text(encoding="utf-8"))
    codes = sorted(f["properties"]["statcode"] for f in geo["features"])
    with (folder / "kwb2024_gm0797.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))[1:]
    wijk_rows = [r for r in rows if r[3].strip().startswith("WK")]
    assert codes == sorted(r[3].strip() for r in wijk_rows)  # every wijk has its inhabitants
    assert sum(int(r[5]) for r in wijk_rows) == 46030
    assert [r[5] for r in rows if r[3].strip() == "GM0797"] == ["46026"]
    text = heusden.read_text(encoding="utf-8")
    assert text.count("ASSUMPTION") >= 3  # the figures that are not public say so


def test_the_starter_case_validates_and_its_register_template_takes_dutch_rows(heusden: Path):
    assert main(["validate", str(heusden)]) == 0
    folder = heusden.parent
    book = load_workbook(folder / "locaties.xlsx")
    sheet = book["Locaties"]
    headers = [c.value for c in sheet[1]]
    assert all(
        normalise(h) in COLUMNS[key]
        for (key, _, _), h in zip(REGISTER_COLUMNS, headers, strict=True)
    )
    assert {r[0].value for r in book["Toelichting"].iter_rows(min_row=2)} == set(headers)
    values = {
        "code": "L01",
        "naam": "Sporthal De Kamp",
        "status": "kandidaat",
        "soort": "flexwoningen",
        "doelgroepen": "Oekraïners;asielzoekers",
        "capaciteit_plaatsen": 60,
        "beschikbaar_vanaf": "01-07-2027",
        "wijkcode": "WK079701",
    }
    sheet.append([values.get(h) for h in headers])
    book.save(folder / "locaties.xlsx")
    case = yaml.safe_load(heusden.read_text(encoding="utf-8"))
    case["locations"] = "locaties.xlsx"
    heusden.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(heusden)]) == 0
    register = load_register(next(iter(load_case_file(heusden).values())))
    row = register.table.loc["L01"]
    assert (row["capacity_places"], row["status"]) == (60, "candidate")
    assert row["streams"] == "ukraine;asylum"


def test_init_refuses_what_it_cannot_write_and_leaves_nothing_behind(
    tmp_path: Path, shared_data: Path, capsys
):
    assert main(["init", "GM9999", "--dir", str(tmp_path / "x"), "--from", str(shared_data)]) == 2
    assert "GM9999" in capsys.readouterr().err
    assert main(["init", "Heusden", "--dir", str(tmp_path / "y"), "--from", str(shared_data)]) == 2
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", "GM0797", "--dir", str(taken), "--from", str(shared_data)]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # no half-written folder
    assert (taken / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_municipality_codes():
    assert municipality_code("gm797") == "GM0797"
    assert municipality_code(" 0828 ") == "GM0828"


@pytest.mark.slow
def test_init_then_report_runs_offline(heusden: Path, tmp_path: Path):
    """A new user's two steps: `onderdak init` and `onderdak report` (the scenarios report while
    the register is empty)."""
    out = tmp_path / "reports"
    args = ["report", str(heusden), "--out", str(out), "-p", "paths=100", "--formats", "html"]
    assert main(args) == 0
    (folder,) = [p for p in out.iterdir() if p.is_dir() and "scenarios" in p.name]
    html = (folder / "scenarios.html").read_text(encoding="utf-8")
    assert "Heusden" in html


class _Services:
    """CBS OData and the PDOK WFS as they answer, served from the shared exports (no network)."""

    def __init__(self, shared: Path):
        from onderdak.geo.boundaries import RD_NEW
        from onderdak.geo.kerncijfers import read_kwb_file

        kwb = read_kwb_file(shared / "kwb2024_85984NED_gm_wijk_leeftijd.csv")
        mine = kwb[kwb["statcode"].str.endswith("0797") | kwb["statcode"].str.startswith("WK0797")]
        self.rows = [
            {"WijkenEnBuurten": f"{r.statcode:<10}", "AantalInwoners_5": int(r.population_persons)}
            for r in mine.itertuples()
        ]
        self.labels = [{"Key": f"{r.statcode:<10}", "Title": r.name} for r in mine.itertuples()]
        frame = gpd.read_file(shared / "wijken_2024_cartomap_wgs84.geojson").to_crs(RD_NEW)
        self.features = json.loads(frame.to_json())["features"]  # the whole layer, as PDOK
        self.population = [
            {"RegioS": "GM0797    ", "Perioden": "2025JJ00", "TotaleBevolking_1": 46365}
        ]
        self.calls: list[str] = []

    def get(self, url, params=None, timeout=None):
        self.calls.append(url)
        params = params or {}
        if "wfs" in url:
            start, count = int(params["startIndex"]), int(params["count"])
            page = {"type": "FeatureCollection", "features": self.features[start : start + count]}
        elif url.endswith("85984NED/TypedDataSet"):
            page = {"value": self.rows}
        elif url.endswith("85984NED/WijkenEnBuurten"):
            page = {"value": self.labels}
        elif "70072ned" in url.lower():
            page = {"value": self.population}
        else:
            raise AssertionError(f"unexpected request {url}")
        return type("R", (), {"status_code": 200, "json": lambda self: page})()


def test_online_the_same_case_as_offline_from_the_services_answers(
    tmp_path: Path, shared_data: Path, heusden: Path
):
    from onderdak.geo.starter_case import init_case

    services = _Services(shared_data)
    online = init_case(
        "GM0797", tmp_path / "online", cache_dir=tmp_path / "cache", session=services
    )
    assert any("wfs" in c for c in services.calls) and any("85984NED" in c for c in services.calls)
    assert main(["validate", str(online)]) == 0
    a = next(iter(load_case_file(online).values()))
    b = next(iter(load_case_file(heusden).values()))
    assert a.municipality.population_persons == b.municipality.population_persons == 46365
    from onderdak.geo.spread import case_geography

    geo_a, geo_b = case_geography(a), case_geography(b)
    assert geo_a.population.sort_index().to_dict() == geo_b.population.sort_index().to_dict()
    assert len(geo_a.wijken) == len(geo_b.wijken) == 11  # the same wijken with the same inhabitants
    again = _Services(shared_data)  # a second run reads the cache, not the services
    init_case("GM0797", tmp_path / "again", cache_dir=tmp_path / "cache", session=again)
    assert again.calls == []


def test_the_same_municipality_gives_the_same_bytes(heusden: Path, shared_data: Path):
    """A starter case written again is byte for byte the same (the register template carries no
    time of writing), so `onderdak national --resume` sees unchanged inputs."""
    import time

    folder = heusden.parent
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    time.sleep(1.1)  # a time stamp would now differ
    again = ["init", "GM0797", "--dir", str(folder), "--from", str(shared_data), "--force"]
    assert main(again) == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
