"""Municipality, wijk and buurt boundaries in CBS/PDOK format, read from files or PDOK, in RD New.

Boundaries come from a GeoJSON or GeoPackage file (``statcode`` like ``GM0797``, ``WK079701``,
``BU07970100``; the CBS wijk- en buurtkaart column names are accepted too) or, for users who are
online, from the PDOK WFS of the CBS gebiedsindelingen with a cache. Everything is returned in
RD New (EPSG:28992, metres). Invalid geometries are repaired with ``make_valid`` (and reported)
or refused with a message naming the features.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from onderdak.core.errors import InputError
from onderdak.io.opendata import PDOK_GEBIEDSINDELINGEN, wfs_features

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
Level = Literal["gemeente", "wijk", "buurt"]
PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
CODE = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")  # Amsterdam: WK0363AA

# first column found wins: a CBS wijken layer has wijkcode *and* gemeentecode
CODE_COLUMNS = (
    "statcode",
    "buurtcode",
    "bu_code",
    "wijkcode",
    "wk_code",
    "gemeentecode",
    "gm_code",
)
NAME_COLUMNS = (
    "statnaam",
    "buurtnaam",
    "bu_naam",
    "wijknaam",
    "wk_naam",
    "gemeentenaam",
    "gm_naam",
    "name",
    "naam",
)
POPULATION_COLUMNS = (
    "population_persons",
    "aantal_inwoners",
    "aantalinwoners",
    "aant_inw",
    "inwoners",
)


def read_boundaries(
    path: str | Path,
    *,
    level: Level | None = None,
    municipality: str | None = None,
    layer: str | None = None,
    repair: bool = True,
) -> gpd.GeoDataFrame:
    """Boundaries from a GeoJSON or GeoPackage in CBS/PDOK format, in RD New.

    Parameters
    ----------
    path
        GeoJSON (``.geojson``/``.json``) or GeoPackage (``.gpkg``) file.
    level
        Keep only this level ('gemeente', 'wijk', 'buurt'); None keeps all.
    municipality
        Keep only features of this municipality (``GM0797``: statcodes with digits 0797).
    layer
        GeoPackage layer; default: the only layer, or the one named after ``level``.
    repair
        Repair invalid geometries with ``make_valid`` (listed in ``attrs['warnings']``);
        False refuses them with an InputError.

    Returns
    -------
    GeoDataFrame
        Columns ``statcode``, ``statnaam``, ``level``, ``gm_code``, ``population_persons``
        (NaN where the file has none), ``geometry`` (RD New), sorted by statcode.
        ``attrs['warnings']`` lists repairs and guesses; ``attrs['source']`` is the file name, with
        the file's ``"attribution"`` (a GeoJSON foreign member) in brackets when it has one.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: boundary file not found")
    try:
        frame = gpd.read_file(path, layer=_pick_layer(path, layer, level))
    except InputError:
        raise
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise InputError(f"{path.name}: not a readable GeoJSON/GeoPackage ({exc})") from None
    out = normalise_boundaries(
        frame, path.name, level=level, municipality=municipality, repair=repair
    )
    attribution = _attribution(path)
    if attribution:  # shown under the map: "Kadaster / Centraal Bureau voor de Statistiek, 2024"
        out.attrs["source"] = f"{path.name} ({attribution})"
    return out


def _attribution(path: Path) -> str:
    """The top-level ``"attribution"`` member of a GeoJSON file (a foreign member), if it has one."""
    if path.suffix.lower() not in (".geojson", ".json"):
        return ""
    with path.open(encoding="utf-8", errors="replace") as f:
        head = f.read(4096)
    match = re.search(r'"attribution"\s*:\s*"([^"]{1,200})"', head)
    return match.group(1) if match else ""


def _pick_layer(path: Path, layer: str | None, level: Level | None) -> str | None:
    if layer is not None or path.suffix.lower() != ".gpkg":
        return layer
    import pyogrio

    names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    if len(names) == 1:
        return names[0]
    wanted = [n for n in names if level and level in n.lower()]
    if len(wanted) >= 1:
        return sorted(wanted, key=len)[0]
    raise InputError(f"{path.name}: several layers ({', '.join(names)}); name one with `layer`")


def normalise_boundaries(
    frame: gpd.GeoDataFrame,
    source: str,
    *,
    level: Level | None = None,
    municipality: str | None = None,
    repair: bool = True,
) -> gpd.GeoDataFrame:
    """CBS/PDOK boundaries in the standard columns and RD New (see :func:`read_boundaries`)."""
    warnings: list[str] = []
    lower = {str(c).lower(): c for c in frame.columns}
    code_col = next((lower[c] for c in CODE_COLUMNS if c in lower), None)
    if code_col is None:
        raise InputError(
            f"{source}: no column with CBS codes (statcode, wijkcode, gemeentecode ...); "
            f"columns are: {', '.join(map(str, frame.columns))}"
        )
    name_col = next((lower[c] for c in NAME_COLUMNS if c in lower), None)
    pop_col = next((lower[c] for c in POPULATION_COLUMNS if c in lower), None)
    codes = frame[code_col].astype("string").str.strip().str.upper()
    bad = [
        f"feature {i + 1} ({c!r})" for i, c in enumerate(codes) if pd.isna(c) or not CODE.match(c)
    ]
    if bad:
        raise InputError(
            f"{source}, column `{code_col}`: not a CBS code like GM0797/WK079701", bad[:10]
        )
    out = gpd.GeoDataFrame(
        {
            "statcode": codes.to_numpy(dtype=object),
            "statnaam": (frame[name_col].astype("string") if name_col else codes).to_numpy(
                dtype=object
            ),
            "level": [PREFIX[c[:2]] for c in codes],
            "gm_code": ["GM" + c[2:6] for c in codes],
            "population_persons": _population(frame[pop_col]) if pop_col else np.nan,
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    if level is not None:
        out = out[out["level"] == level]
    if municipality is not None:
        if not re.match(r"^GM\d{4}$", municipality):
            raise InputError(f"{municipality!r} is not a municipality code like GM0797")
        out = out[out["gm_code"] == municipality]
    if out.empty:
        what = " ".join(x for x in (level, municipality) if x) or "features"
        raise InputError(f"{source}: no {what} found")
    dupes = sorted(out.loc[out["statcode"].duplicated(), "statcode"].unique())
    if dupes:
        raise InputError(f"{source}: codes occur more than once: {', '.join(dupes[:10])}")
    out = _to_rd(out, source, warnings)
    out = _valid(out, source, repair, warnings)
    out = out.sort_values("statcode", kind="stable").reset_index(drop=True)
    out.attrs["warnings"] = warnings
    out.attrs["source"] = source
    return out


def _population(values: pd.Series) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    return np.where(numbers < 0, np.nan, numbers)  # CBS codes secret/missing as -99999999


def _to_rd(frame: gpd.GeoDataFrame, source: str, warnings: list[str]) -> gpd.GeoDataFrame:
    xmin, ymin, xmax, ymax = frame.total_bounds
    looks_projected = max(abs(xmin), abs(xmax), abs(ymin), abs(ymax)) > 360
    if frame.crs is None or (frame.crs.is_geographic and looks_projected):
        guess = RD_NEW if looks_projected else WGS84
        warnings.append(
            f"{source}: no usable CRS in the file; assumed {guess} from the coordinates"
        )
        frame = frame.set_crs(guess, allow_override=True)
    return frame.to_crs(RD_NEW)


def _valid(
    frame: gpd.GeoDataFrame, source: str, repair: bool, warnings: list[str]
) -> gpd.GeoDataFrame:
    geoms = frame.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        raise InputError(
            f"{source}: features without geometry", list(frame["statcode"][missing])[:10]
        )
    kinds = set(shapely.get_type_id(geoms)) - {3, 6, 7}  # Polygon, MultiPolygon, GeometryCollection
    if kinds:
        raise InputError(f"{source}: boundaries must be polygons (found points or lines)")
    invalid = ~shapely.is_valid(geoms)
    if not invalid.any():
        return frame
    codes = list(frame["statcode"][invalid])
    if not repair:
        reasons = [
            f"{c}: {shapely.is_valid_reason(g)}" for c, g in zip(codes, geoms[invalid], strict=True)
        ]
        raise InputError(
            f"{source}: {len(codes)} invalid geometries (repair them, or allow repair)",
            reasons[:10],
        )
    fixed = [_polygonal(shapely.make_valid(g)) for g in geoms[invalid]]
    failed = [c for c, g in zip(codes, fixed, strict=True) if g.is_empty]
    if failed:
        raise InputError(f"{source}: invalid geometries that cannot be repaired", failed[:10])
    geoms = geoms.copy()
    geoms[invalid] = fixed
    warnings.append(
        f"{source}: repaired {len(codes)} invalid geometries ({', '.join(codes[:5])}{' …' if len(codes) > 5 else ''})"
    )
    return frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygon parts of a repaired geometry (make_valid may add stray lines or points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def load_pdok(
    level: Level = "wijk",
    year: int = 2024,
    *,
    municipality: str | None = None,
    cache_dir: str | Path | None = None,
    session: Any = None,
    refresh: bool = False,
) -> gpd.GeoDataFrame:
    """Boundaries from the PDOK WFS of the CBS gebiedsindelingen (generalised layers), cached.

    Parameters
    ----------
    level, year
        Layer ``gebiedsindelingen:{level}_gegeneraliseerd`` of that year's service.
    municipality
        Keep only this municipality's features (filtered locally; the whole layer is cached).
    cache_dir, session, refresh
        See :func:`onderdak.io.opendata.cached_json`.
    """
    url = PDOK_GEBIEDSINDELINGEN.format(year=year)
    type_name = f"gebiedsindelingen:{level}_gegeneraliseerd"
    features = wfs_features(url, type_name, cache_dir=cache_dir, session=session, refresh=refresh)
    if not features:
        raise InputError(f"PDOK {type_name} {year}: no features returned")
    frame = gpd.GeoDataFrame.from_features(features, crs=RD_NEW)
    out = normalise_boundaries(
        frame, f"PDOK {type_name} {year}", level=level, municipality=municipality
    )
    out.attrs["source"] += f" (Kadaster / Centraal Bureau voor de Statistiek, {year})"
    return out


def municipality_outline(boundaries: gpd.GeoDataFrame, code: str | None = None) -> BaseGeometry:
    """The municipality's outline: its GM feature when present, else the union of its wijken/buurten."""
    gm = boundaries[boundaries["level"] == "gemeente"]
    if code is not None:
        gm = gm[gm["statcode"] == code]
    if len(gm) == 1:
        return gm.geometry.iloc[0]
    parts = boundaries[boundaries["level"] != "gemeente"]
    if code is not None:
        parts = parts[parts["gm_code"] == code]
    if parts.empty:
        raise InputError(f"no boundary of municipality {code or ''} found".replace("  ", " "))
    return shapely.union_all(parts.geometry.to_numpy())
