"""Generate the FICTIONAL geometry of Gemeente Voorbeeld (GM9999): an outline and 8 wijken in RD New.

Run from the repository root: ``.venv/bin/python data/cases/demo/make_geometry.py``. It rewrites
``wijken.geojson`` next to this script, deterministically (no random numbers). Every name, code,
boundary and population figure is invented.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.ops import unary_union, voronoi_diagram

HERE = Path(__file__).resolve().parent
MUNICIPALITY = ("GM9999", "Voorbeeld")

# code, name, centre (RD New, m), inhabitants (fictional; sum 46,000), town radius (m)
WIJKEN = [
    ("WK999901", "Voorbeeld-Centrum", (146000, 409000), 7800, 1500),
    ("WK999902", "Voorbeeld-Noord", (146000, 411000), 8400, 1500),
    ("WK999903", "Voorbeeld-Zuid", (146000, 407000), 7900, 1500),
    ("WK999904", "Voorbeeld-West/De Vaart", (143500, 409000), 6900, 1500),
    ("WK999905", "Oosterhoek", (150000, 410000), 4600, 1250),
    ("WK999906", "Westveen", (141500, 412500), 3700, 1100),
    ("WK999907", "Ruwaard", (149500, 405500), 4500, 1200),
]
RURAL = ("WK999908", "Buitengebied", 2200)

# A hand-drawn, irregular municipal outline (RD New), clockwise from the north-west.
OUTLINE = [
    (140150, 414300),
    (142600, 414450),
    (144400, 413900),
    (146300, 414100),
    (148200, 413700),
    (150100, 414350),
    (152300, 413900),
    (152450, 412000),
    (151900, 410400),
    (152400, 408700),
    (151800, 406900),
    (152100, 405100),
    (150600, 404150),
    (148700, 404500),
    (147100, 404050),
    (145200, 404600),
    (143300, 404150),
    (141300, 404450),
    (140400, 405600),
    (141000, 407300),
    (140300, 408900),
    (140800, 410600),
    (140100, 412200),
]


def _wobbly(ring: list[tuple[float, float]], amplitude_m: float = 180.0) -> Polygon:
    """The outline with deterministic meanders on every edge, so it looks like a real boundary."""
    points = []
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        length = math.hypot(x1 - x0, y1 - y0)
        nx, ny = -(y1 - y0) / length, (x1 - x0) / length
        steps = max(2, int(length // 250))
        for k in range(steps):
            t = k / steps
            phase = t * length / 1000
            bend = (
                amplitude_m
                * math.sin(math.pi * t)
                * (math.sin(1.3 * phase + x0 / 997) + 0.5 * math.sin(3.7 * phase + y0 / 631))
            )
            points.append((x0 + t * (x1 - x0) + bend * nx, y0 + t * (y1 - y0) + bend * ny))
    return Polygon(points).buffer(0)


def _blob(centre: tuple[float, float], radius_m: float, k: int) -> Polygon:
    """An irregular built-up area around a centre: radius varies between 0.8 and 1.2 times radius_m."""
    ring = []
    for i in range(72):
        a = 2 * math.pi * i / 72
        r = radius_m * (1 + 0.12 * math.sin(2 * a + k) + 0.08 * math.sin(5 * a + 2.3 * k))
        ring.append((centre[0] + r * math.cos(a), centre[1] + r * math.sin(a)))
    return Polygon(ring)


def build() -> dict:
    """The GeoJSON FeatureCollection (RD New) of the municipality and its 8 wijken."""
    outline = shapely.set_precision(_wobbly(OUTLINE), grid_size=1.0)
    centres = [Point(c) for _, _, c, _, _ in WIJKEN]
    core = [_blob(c, r, k) for k, (_, _, c, _, r) in enumerate(WIJKEN)]
    # the town: the four central wijken grown together, the others as separate villages
    town = unary_union(core[:4]).buffer(400).buffer(-400)
    town = unary_union([town, *core[4:]])
    cells = voronoi_diagram(MultiPoint(centres), envelope=outline.envelope.buffer(5000))
    urban = {}
    for code, _, centre, _, _ in WIJKEN:
        cell = next(g for g in cells.geoms if g.contains(Point(centre)))
        urban[code] = shapely.set_precision(cell.intersection(town).intersection(outline), 1.0)
    rural = shapely.set_precision(outline.difference(unary_union(list(urban.values()))), 1.0)
    # the municipality is exactly the union of its wijken (no gaps from rounding)
    municipality = shapely.set_precision(unary_union([*urban.values(), rural]), 1.0)
    features = [_feature(MUNICIPALITY[0], MUNICIPALITY[1], "gemeente", municipality, 46000)]
    for code, name, _, inhabitants, _ in WIJKEN:
        features.append(_feature(code, name, "wijk", urban[code], inhabitants))
    features.append(_feature(RURAL[0], RURAL[1], "wijk", rural, RURAL[2]))
    return {
        "type": "FeatureCollection",
        "name": "wijken_voorbeeld_fictief",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": features,
    }


def _feature(code: str, name: str, rubriek: str, geometry, inhabitants: int) -> dict:
    geom = mapping(geometry)
    return {
        "type": "Feature",
        "properties": {
            "statcode": code,
            "jrstatcode": f"2024{code}",
            "statnaam": name,
            "rubriek": rubriek,
            "gm_code": "GM9999",
            "aantal_inwoners": inhabitants,
            "fictional": True,
        },
        "geometry": json.loads(json.dumps(geom, default=list), parse_int=int, parse_float=_int),
    }


def _int(text: str) -> int:
    return int(round(float(text)))


if __name__ == "__main__":
    out = HERE / "wijken.geojson"
    collection = build()
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    out.write_text(
        text.replace('{"type":"Feature"', '\n{"type":"Feature"') + "\n", encoding="utf-8"
    )
    print(f"wrote {out} ({len(collection['features'])} features)")
