"""Location points: RD New and WGS84, point-in-polygon on a hand-drawn case, outside and mismatched locations reported."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import box

from onderdak.core.errors import InputError
from onderdak.geo.boundaries import RD_NEW, read_boundaries
from onderdak.geo.points import assign_wijken, location_points

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"


@pytest.fixture
def two_wijken() -> gpd.GeoDataFrame:
    """Two 1 km squares side by side: WK999901 west, WK999902 east."""
    return gpd.GeoDataFrame(
        {
            "statcode": ["WK999901", "WK999902"],
            "statnaam": ["West", "Oost"],
            "level": ["wijk", "wijk"],
        },
        geometry=[box(150000, 400000, 151000, 401000), box(151000, 400000, 152000, 401000)],
        crs=RD_NEW,
    )


def _register(rows: list[tuple]) -> pd.DataFrame:
    cols = ["id", "name", "x", "y", "crs", "wijk_code"]
    return pd.DataFrame(rows, columns=cols).set_index("id")


def test_point_in_polygon_by_hand(two_wijken):
    to_wgs = Transformer.from_crs(RD_NEW, "EPSG:4326", always_xy=True)
    lon, lat = to_wgs.transform(150250.0, 400750.0)  # inside West
    reg = _register(
        [
            ("a", "centre west", 150500, 400500, "EPSG:28992", "WK999901"),
            ("b", "east, register says west", 151500, 400200, "EPSG:28992", "WK999901"),
            ("c", "on the shared edge", 151000, 400500, None, None),
            ("d", "outside", 153000, 400500, "EPSG:28992", "WK999902"),
            ("e", "no coordinates", None, None, None, "WK999902"),
            ("f", "wgs84", lon, lat, "EPSG:4326", None),
            ("g", "nothing", None, None, None, None),
        ]
    )
    out = assign_wijken(reg, two_wijken)
    t = out.table
    assert t.loc["a", "wijk_code"] == "WK999901" and t.loc["a", "assigned_by"] == "coordinates"
    assert t.loc["b", "wijk_code"] == "WK999902"  # coordinates win over the register
    assert any("'b'" in w and "register says WK999901" in w for w in out.warnings)
    assert t.loc["c", "wijk_code"] == "WK999901"  # boundary: lowest code, deterministic
    assert out.outside == ["d"] and pd.isna(t.loc["d", "wijk_code"])
    assert not t.loc["d", "inside_municipality"]
    assert any("'d'" in w and "outside the municipality (1,000 m" in w for w in out.warnings)
    assert t.loc["e", "wijk_code"] == "WK999902" and t.loc["e", "assigned_by"] == "register"
    assert pd.isna(t.loc["e", "inside_municipality"])
    assert t.loc["f", "wijk_code"] == "WK999901"
    assert t.loc["f", "x_rd_m"] == pytest.approx(150250.0, abs=0.01)
    assert t.loc["g", "assigned_by"] == "none" and any("'g'" in w for w in out.warnings)
    assert list(t.index) == list(reg.index)


def test_unknown_register_code_is_reported(two_wijken):
    out = assign_wijken(_register([("a", "x", None, None, None, "WK123456")]), two_wijken)
    assert any("WK123456 is not a wijk" in w for w in out.warnings)


def test_implausible_coordinates_are_refused_with_a_hint():
    swapped = _register([("a", "x", 52.1, 5.1, "EPSG:4326", None)])
    with pytest.raises(InputError, match="look swapped"):
        location_points(swapped)
    degrees_as_rd = _register([("a", "x", 5.1, 52.1, "EPSG:28992", None)])
    with pytest.raises(InputError, match="set crs to EPSG:4326"):
        location_points(degrees_as_rd)
    with pytest.raises(InputError, match="EPSG:28992 \\(RD New\\) or EPSG:4326"):
        location_points(_register([("a", "x", 150000, 400000, "EPSG:3857", None)]))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(149_500, 152_500), st.floats(399_500, 401_500)), min_size=1, max_size=20
    )
)
def test_assignment_matches_an_independent_rule(points):
    """Property: a point gets WK999901 iff 150000 ≤ x ≤ 151000, WK999902 iff 151000 < x ≤ 152000, in y range."""
    wijken = gpd.GeoDataFrame(
        {"statcode": ["WK999901", "WK999902"], "statnaam": ["W", "O"]},
        geometry=[box(150000, 400000, 151000, 401000), box(151000, 400000, 152000, 401000)],
        crs=RD_NEW,
    )
    reg = pd.DataFrame(
        {"x": [p[0] for p in points], "y": [p[1] for p in points]},
        index=pd.Index([f"L{i}" for i in range(len(points))], name="id"),
    )
    t = assign_wijken(reg, wijken).table
    x, y = reg["x"].to_numpy(), reg["y"].to_numpy()
    in_y = (y >= 400000) & (y <= 401000)
    expected = np.where(in_y & (x >= 150000) & (x <= 151000), "WK999901",
                        np.where(in_y & (x > 151000) & (x <= 152000), "WK999902", None))  # fmt: skip
    assert list(t["wijk_code"].astype(object).where(t["wijk_code"].notna(), None)) == list(expected)


def test_demo_register_locations_lie_in_their_wijk():
    path = DEMO / "locations.csv"
    if not path.exists():
        pytest.skip("data/cases/demo/locations.csv not written yet")
    from onderdak.register.locations import read_register

    register = read_register(path)
    wijken = read_boundaries(DEMO / "wijken.geojson", level="wijk")
    out = assign_wijken(register.table, wijken)
    assert out.outside == []
    mismatch = out.table[out.table["wijk_code"] != out.table["wijk_code_register"]]
    assert mismatch.empty, mismatch[["wijk_code", "wijk_code_register"]]
    assert out.warnings == []
