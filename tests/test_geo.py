"""Boundaries: CBS/PDOK formats, repair or refusal of invalid geometry, PDOK loader offline, demo geometry, real files."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, box, mapping

from onderdak.core.errors import InputError
from onderdak.geo.boundaries import RD_NEW, load_pdok, municipality_outline, read_boundaries
from onderdak.io.opendata import cached_json, wfs_features

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"
DEMO_CENTRES = {
    "WK999901": (146000, 409000),
    "WK999902": (146000, 411000),
    "WK999903": (146000, 407000),
    "WK999904": (143500, 409000),
    "WK999905": (150000, 410000),
    "WK999906": (141500, 412500),
    "WK999907": (149500, 405500),
}


def _write(tmp_path: Path, features: list[dict], crs: str = "urn:ogc:def:crs:EPSG::28992") -> Path:
    path = tmp_path / "b.geojson"
    collection = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs}}}
    collection["features"] = features
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def _feature(code: str, geom, **props) -> dict:
    return {
        "type": "Feature",
        "properties": {"statcode": code, "statnaam": code, **props},
        "geometry": mapping(geom),
    }


# --- the demo geometry ------------------------------------------------------------------------
def test_demo_wijken_tile_the_municipality_and_hold_their_centres():
    b = read_boundaries(DEMO / "wijken.geojson")
    wijken = b[b["level"] == "wijk"]
    assert list(wijken["statcode"]) == [f"WK99990{i}" for i in range(1, 9)]
    assert wijken["population_persons"].sum() == 46_000
    assert b.crs == RD_NEW and b.geometry.is_valid.all()
    outline = municipality_outline(b, "GM9999")
    union = shapely.union_all(wijken.geometry.to_numpy())
    assert union.symmetric_difference(outline).area < 1.0  # no gaps (m²)
    assert wijken.geometry.area.sum() - union.area < 10.0  # no overlaps beyond rounding (m²)
    x0, y0, x1, y1 = outline.bounds
    assert 139_500 <= x0 and x1 <= 153_000 and 403_500 <= y0 and y1 <= 415_000
    assert outline.area < 0.95 * (x1 - x0) * (y1 - y0)  # not a rectangle
    geoms = wijken.set_index("statcode").geometry
    for code, centre in DEMO_CENTRES.items():
        assert geoms[code].contains(Point(centre).buffer(600)), code
    for rural in [(151000, 413000), (142000, 405000)]:
        assert geoms["WK999908"].contains(Point(rural))


def test_demo_generator_is_reproducible(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_geometry", DEMO / "make_geometry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = json.loads((DEMO / "wijken.geojson").read_text(encoding="utf-8"))
    assert module.build() == committed


# --- reading, filtering, repair ------------------------------------------------------------------
def test_cbs_wijkbuurtkaart_columns_and_level_filter(tmp_path):
    features = [
        {"type": "Feature", "properties": {"wijkcode": "WK079701", "wijknaam": "Drunen", "gemeentecode": "GM0797",
                                           "aantal_inwoners": 19000}, "geometry": mapping(box(140000, 410000, 141000, 411000))},
        {"type": "Feature", "properties": {"wijkcode": "WK079702", "wijknaam": "Elshout", "gemeentecode": "GM0797",
                                           "aantal_inwoners": -99999999}, "geometry": mapping(box(141000, 410000, 142000, 411000))},
    ]  # fmt: skip
    b = read_boundaries(_write(tmp_path, features), level="wijk", municipality="GM0797")
    assert list(b["statcode"]) == ["WK079701", "WK079702"]
    assert list(b["statnaam"]) == ["Drunen", "Elshout"]
    assert b["population_persons"].iloc[0] == 19000 and b["population_persons"].isna().iloc[1]
    with pytest.raises(InputError, match="no gemeente"):
        read_boundaries(_write(tmp_path, features), level="gemeente")


def test_invalid_geometry_is_repaired_and_reported(tmp_path):
    bowtie = shapely.Polygon(
        [(140000, 410000), (141000, 411000), (141000, 410000), (140000, 411000)]
    )
    assert not bowtie.is_valid
    path = _write(
        tmp_path,
        [_feature("WK999901", bowtie), _feature("WK999902", box(141000, 410000, 142000, 411000))],
    )
    b = read_boundaries(path)
    assert b.geometry.is_valid.all()
    assert b.geometry.iloc[0].area == pytest.approx(500_000, rel=1e-6)  # two triangles
    assert any("repaired 1" in w and "WK999901" in w for w in b.attrs["warnings"])
    with pytest.raises(InputError, match="invalid geometries") as err:
        read_boundaries(path, repair=False)
    assert "WK999901" in str(err.value) and "Self-intersection" in str(err.value)


def test_unrepairable_geometry_and_bad_codes_are_refused(tmp_path):
    flat = shapely.Polygon([(140000, 410000), (141000, 410000), (142000, 410000)])  # no area
    with pytest.raises(InputError, match="cannot be repaired"):
        read_boundaries(_write(tmp_path, [_feature("WK999901", flat)]))
    with pytest.raises(InputError, match="not a CBS code"):
        read_boundaries(
            _write(tmp_path, [_feature("Centrum", box(140000, 410000, 141000, 411000))])
        )
    with pytest.raises(InputError, match="no column with CBS codes"):
        read_boundaries(_write(tmp_path, [{"type": "Feature", "properties": {"naam": "x"},
                                           "geometry": mapping(box(140000, 410000, 141000, 411000))}]))  # fmt: skip
    with pytest.raises(InputError, match="not found"):
        read_boundaries(tmp_path / "missing.geojson")


def test_wgs84_input_and_missing_crs_are_handled(tmp_path):
    rd = gpd.GeoSeries([box(140000, 410000, 141000, 411000)], crs=RD_NEW)
    wgs = rd.to_crs("EPSG:4326").iloc[0]
    b = read_boundaries(
        _write(tmp_path, [_feature("WK999901", wgs)], crs="urn:ogc:def:crs:OGC:1.3:CRS84")
    )
    assert b.geometry.iloc[0].area == pytest.approx(1e6, rel=1e-3)
    path = tmp_path / "nocrs.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [_feature("WK999901", rd.iloc[0])]})
    )
    b = read_boundaries(path)  # RD coordinates without a crs member: guessed and said so
    assert b.geometry.iloc[0].area == pytest.approx(1e6)
    assert any("assumed EPSG:28992" in w for w in b.attrs["warnings"])


def test_geopackage_layers(tmp_path):
    frame = gpd.GeoDataFrame(
        {"statcode": ["WK999901"], "statnaam": ["A"]},
        geometry=[box(140000, 410000, 141000, 411000)],
        crs=RD_NEW,
    )
    path = tmp_path / "k.gpkg"
    frame.to_file(path, layer="wijken")
    frame.assign(statcode="GM9999").to_file(path, layer="gemeenten")
    assert list(read_boundaries(path, level="wijk")["statcode"]) == ["WK999901"]
    with pytest.raises(InputError, match="several layers"):
        read_boundaries(path)


# --- PDOK, offline --------------------------------------------------------------------------------
class FakeWFS:
    """Serves recorded features like the PDOK WFS: count/startIndex paging, GeoJSON in RD New."""

    def __init__(self, features: list[dict], cap: int | None = None):
        self.features, self.cap = features, cap
        self.calls: list[dict] = []

    def get(self, url, params=None, timeout=None):
        self.calls.append({"url": url, **(params or {})})
        start, count = int(params["startIndex"]), int(params["count"])
        count = min(count, self.cap or count)
        page = {"type": "FeatureCollection", "features": self.features[start : start + count]}
        if self.cap:
            page["numberMatched"] = len(self.features)
        return type("Response", (), {"status_code": 200, "json": lambda self: page})()


class Offline:
    def get(self, *args, **kwargs):
        raise ConnectionError("no network")


def _recorded(path: Path) -> list[dict]:
    frame = gpd.read_file(path).to_crs(RD_NEW)
    return json.loads(frame.to_json())["features"]


def test_pdok_loader_pages_caches_and_filters(tmp_path):
    fake = FakeWFS(_recorded(DEMO / "wijken.geojson"))
    b = load_pdok("wijk", 2024, municipality="GM9999", cache_dir=tmp_path, session=fake)
    assert len(b) == 8 and b.crs == RD_NEW
    assert fake.calls[0]["typeNames"] == "gebiedsindelingen:wijk_gegeneraliseerd"
    assert "2024" in fake.calls[0]["url"] and fake.calls[0]["srsName"] == "EPSG:28992"
    assert b.attrs["source"].endswith("(Kadaster / Centraal Bureau voor de Statistiek, 2024)")
    again = load_pdok("wijk", 2024, municipality="GM9999", cache_dir=tmp_path, session=Offline())
    assert again.geometry.equals(b.geometry)  # from the cache, no network
    pages = wfs_features(
        "https://example.org/wfs", "x", page_size=4, cache_dir=tmp_path / "p", session=fake
    )
    assert len(pages) == 9 and [c["startIndex"] for c in fake.calls[-3:]] == [0, 4, 8]
    capped = FakeWFS(
        fake.features, cap=2
    )  # a server that serves fewer than asked, with numberMatched
    pages = wfs_features("https://example.org/wfs", "y", cache_dir=tmp_path / "q", session=capped)
    assert len(pages) == 9 and [c["startIndex"] for c in capped.calls] == [0, 2, 4, 6, 8]


def test_offline_without_cache_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="Are you online"):
        load_pdok("gemeente", 2024, cache_dir=tmp_path, session=Offline())
    bad = type("S", (), {"get": lambda self, *a, **k: type("R", (), {"status_code": 404})()})()
    with pytest.raises(InputError, match="HTTP 404"):
        cached_json("https://example.org", {"a": 1}, cache_dir=tmp_path, session=bad)


# --- real data -------------------------------------------------------------------------------------
@pytest.mark.shared
def test_real_municipalities_2024_and_wijken(shared_data):
    gm = read_boundaries(shared_data / "gemeenten_2024_pdok_gegeneraliseerd.geojson")
    assert len(gm) == 342 and set(gm["level"]) == {"gemeente"}
    assert {"GM0797", "GM0034", "GM0148", "GM0302"} <= set(gm["statcode"])
    assert gm.geometry.is_valid.all() and gm.attrs["warnings"] == []
    wk = read_boundaries(shared_data / "wijken_2024_cartomap_wgs84.geojson")
    assert len(wk) == 3393 and wk.geometry.is_valid.all()
    assert any("repaired" in w for w in wk.attrs["warnings"])  # the file has invalid rings
    assert "statnaam" in wk.columns and (wk["statnaam"].str.len() > 0).all()  # from `name`
    old = read_boundaries(shared_data / "gemeenten_2023_cartomap_wgs84.geojson")
    assert len(old) == 342 and old.geometry.is_valid.all()


@pytest.mark.shared
def test_real_pdok_response_recorded_from_shared_file(shared_data, tmp_path):
    features = _recorded(shared_data / "wijken_2024_heusden_almere_dalfsen_nunspeet.geojson")
    for f in features:  # PDOK names the column statnaam; the cartomap copy says name
        f["properties"]["statnaam"] = f["properties"].pop("name")
    heusden = load_pdok(
        "wijk", 2024, municipality="GM0797", cache_dir=tmp_path, session=FakeWFS(features)
    )
    assert len(heusden) == 11 and heusden["statnaam"].iloc[0] == "Wijk 01 Drunen"
    outline = municipality_outline(heusden, "GM0797")
    gm = read_boundaries(
        shared_data / "gemeenten_2024_pdok_gegeneraliseerd.geojson", municipality="GM0797"
    )
    official = gm.geometry.iloc[0]
    assert (
        outline.intersection(official).area / official.area > 0.95
    )  # simplified wijken ≈ the municipality
