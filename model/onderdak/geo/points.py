"""Location and amenity points in RD New (from RD New or WGS84 coordinates) and the wijk each lies in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from onderdak.core.errors import InputError
from onderdak.geo.boundaries import RD_NEW, WGS84

CRS_ALIASES = {
    "epsg:28992": RD_NEW, "28992": RD_NEW, "rd": RD_NEW, "rd new": RD_NEW, "rd_new": RD_NEW, "rijksdriehoek": RD_NEW,
    "epsg:4326": WGS84, "4326": WGS84, "wgs84": WGS84, "wgs 84": WGS84, "crs84": WGS84,
}  # fmt: skip
# plausible coordinates in the Netherlands (with a margin)
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
WGS84_BOUNDS = (2.5, 50.5, 7.5, 54.0)


def location_points(table: pd.DataFrame, source: str = "register") -> gpd.GeoDataFrame:
    """Locations with coordinates as points in RD New; rows without x or y are left out.

    ``table`` is indexed by location id with columns ``x``, ``y`` and optionally ``crs``
    (EPSG:28992 by default, or EPSG:4326 with x = longitude, y = latitude).
    Returns columns ``x_rd_m``, ``y_rd_m`` and a point geometry (RD New).
    Implausible coordinates for the Netherlands (e.g. swapped lon/lat) are an InputError.
    """
    for col in ("x", "y"):
        if col not in table.columns:
            raise InputError(f"{source}: column `{col}` is missing")
    x = pd.to_numeric(table["x"], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(table["y"], errors="coerce").to_numpy(dtype=float)
    raw_crs = table["crs"] if "crs" in table.columns else pd.Series(RD_NEW, index=table.index)
    has = ~(np.isnan(x) | np.isnan(y))
    crs = np.array(
        [_crs(c, i, source) for i, c in zip(table.index, raw_crs, strict=True)], dtype=object
    )
    problems = []
    for i in np.flatnonzero(has):
        box = RD_BOUNDS if crs[i] == RD_NEW else WGS84_BOUNDS
        if not (box[0] <= x[i] <= box[2] and box[1] <= y[i] <= box[3]):
            hint = _hint(x[i], y[i], crs[i])
            problems.append(
                f"location {table.index[i]!r}: x={x[i]:g}, y={y[i]:g} is not in the Netherlands in {crs[i]}{hint}"
            )
    if problems:
        raise InputError(f"{source}: implausible coordinates", problems)
    xr, yr = x.copy(), y.copy()
    wgs = has & (crs == WGS84)
    if wgs.any():
        from pyproj import Transformer

        to_rd = Transformer.from_crs(WGS84, RD_NEW, always_xy=True)
        xr[wgs], yr[wgs] = to_rd.transform(x[wgs], y[wgs])
    ids = table.index[has]
    return gpd.GeoDataFrame(
        {"x_rd_m": xr[has], "y_rd_m": yr[has]},
        index=pd.Index(ids, name=table.index.name or "id"),
        geometry=gpd.points_from_xy(xr[has], yr[has]),
        crs=RD_NEW,
    )


def _crs(value: Any, row: Any, source: str) -> str:
    if (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or pd.isna(value)
        or str(value).strip() == ""
    ):
        return RD_NEW
    crs = CRS_ALIASES.get(str(value).strip().lower())
    if crs is None:
        raise InputError(
            f"{source}, location {row!r}, column `crs`: {value!r} is not EPSG:28992 (RD New) or EPSG:4326 (WGS84)"
        )
    return crs


def _hint(x: float, y: float, crs: str) -> str:
    if (
        crs == WGS84
        and WGS84_BOUNDS[1] <= x <= WGS84_BOUNDS[3]
        and WGS84_BOUNDS[0] <= y <= WGS84_BOUNDS[2]
    ):
        return " (x and y look swapped: x is longitude, y latitude)"
    if crs == RD_NEW and abs(x) <= 180 and abs(y) <= 90:
        return " (these look like WGS84 degrees: set crs to EPSG:4326)"
    if crs == WGS84 and max(abs(x), abs(y)) > 360:
        return " (these look like RD New metres: set crs to EPSG:28992)"
    return ""


@dataclass
class Assignment:
    """Locations assigned to wijken: ``table`` indexed by id, ids ``outside`` the municipality, warnings."""

    table: pd.DataFrame
    outside: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def assign_wijken(
    table: pd.DataFrame,
    wijken: gpd.GeoDataFrame,
    outline: BaseGeometry | None = None,
    source: str = "register",
) -> Assignment:
    """The wijk of every location, by point-in-polygon where it has coordinates.

    Parameters
    ----------
    table
        Register table indexed by id with ``x``, ``y``, optional ``crs`` and ``wijk_code``.
    wijken
        Wijk boundaries (from :func:`read_boundaries`, level 'wijk'), RD New.
    outline
        The municipality; default the union of the wijken.

    Returns
    -------
    Assignment
        ``table`` columns: ``x_rd_m``, ``y_rd_m``, ``wijk_code`` (the one used), ``wijk_name``,
        ``wijk_code_register``, ``wijk_code_geometry``, ``inside_municipality`` (NA without
        coordinates), ``assigned_by`` ('coordinates', 'register' or 'none'). Coordinates win over
        the register's wijk code; a disagreement, an unknown code and a location outside the
        municipality are reported. Outside locations get no wijk.
    """
    wijken = wijken[wijken["level"] == "wijk"] if "level" in wijken.columns else wijken
    names = dict(zip(wijken["statcode"], wijken["statnaam"], strict=True))
    outline = outline if outline is not None else shapely.union_all(wijken.geometry.to_numpy())
    points = location_points(table, source)
    hits = gpd.sjoin(
        points[["geometry"]], wijken[["statcode", "geometry"]], how="left", predicate="intersects"
    )
    hits = (
        hits.reset_index()
        .sort_values([hits.index.name or "index", "statcode"])
        .drop_duplicates(hits.index.name or "index")
    )
    found = pd.Series(hits["statcode"].to_numpy(), index=hits[hits.columns[0]].to_numpy())
    inside_pts = pd.Series(
        shapely.intersects(outline, points.geometry.to_numpy()), index=points.index
    )
    register = (
        table["wijk_code"] if "wijk_code" in table.columns else pd.Series(pd.NA, index=table.index)
    )
    rows, outside, warnings = [], [], []
    for loc in table.index:
        reg = (
            None
            if pd.isna(register[loc]) or str(register[loc]).strip() == ""
            else str(register[loc]).strip().upper()
        )
        label = f"location {loc!r}" + (
            f" ({table.at[loc, 'name']})" if "name" in table.columns else ""
        )
        if reg is not None and reg not in names:
            warnings.append(
                f"{source}, {label}: wijk_code {reg} is not a wijk of the boundary file"
            )
        if loc in points.index:
            geo = found.get(loc)
            geo = None if pd.isna(geo) else geo
            inside = bool(inside_pts[loc])
            if not inside:
                d = shapely.distance(outline, points.geometry[loc])
                outside.append(loc)
                warnings.append(
                    f"{source}, {label}: lies outside the municipality ({d:,.0f} m from its boundary)"
                )
                code, how = None, "coordinates"
            elif geo is None:
                code, how = (reg, "register") if reg in names else (None, "none")
                warnings.append(
                    f"{source}, {label}: inside the municipality but in no wijk of the boundary file"
                )
            else:
                code, how = geo, "coordinates"
                if reg is not None and reg != geo:
                    warnings.append(
                        f"{source}, {label}: register says {reg} but the coordinates lie in {geo} ({names[geo]}); using {geo}"
                    )
            x, y = points.at[loc, "x_rd_m"], points.at[loc, "y_rd_m"]
        else:
            geo, inside, x, y = None, pd.NA, np.nan, np.nan
            code, how = (reg, "register") if reg in names else (None, "none")
            if how == "none":
                warnings.append(
                    f"{source}, {label}: no coordinates and no known wijk_code; not on the map or in the spread"
                )
        rows.append((loc, x, y, code, names.get(code), reg, geo, inside, how))
    out = pd.DataFrame(
        rows,
        columns=[
            "id",
            "x_rd_m",
            "y_rd_m",
            "wijk_code",
            "wijk_name",
            "wijk_code_register",
            "wijk_code_geometry",
            "inside_municipality",
            "assigned_by",
        ],
    ).set_index("id")
    out.index.name = table.index.name or "id"
    out["inside_municipality"] = out["inside_municipality"].astype("boolean")
    return Assignment(out, outside, warnings)
