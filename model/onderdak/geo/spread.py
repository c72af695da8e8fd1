"""Spread over the neighbourhoods: reception places per 1,000 inhabitants per wijk against a threshold, and distances to amenities.

Distances are straight lines in RD New (metres), not walking routes: a first screen of whether a
site is near a school, a GP, a supermarket and a station, which the consultant checks on site.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from onderdak.core.errors import InputError
from onderdak.geo.boundaries import load_pdok, municipality_outline, read_boundaries
from onderdak.geo.kerncijfers import load_cbs_wijken, read_kwb_file
from onderdak.geo.points import Assignment, assign_wijken, location_points
from onderdak.geo.population import wijk_population

if TYPE_CHECKING:
    from onderdak.case.settings import Case

STATUSES = ("existing", "planned", "candidate")
AMENITY_KINDS = {
    "school": ("school", "basisschool", "onderwijs", "voortgezet_onderwijs"),
    "gp": ("gp", "huisarts", "huisartsenpraktijk", "gezondheidscentrum"),
    "supermarket": ("supermarket", "supermarkt", "winkel"),
    "station": ("station", "treinstation", "ov", "bushalte"),
}
PDOK_YEAR = 2024  # wijken of the year of CBS 85984NED (Kerncijfers wijken en buurten 2024)
WIJK_TOTAL_TOLERANCE_SHARE = 0.03  # wijk figures of 1 January of an earlier year may lag by 1–2 %


# --- amenities and distances ---------------------------------------------------------------------
def read_amenities(path: str | Path) -> pd.DataFrame:
    """Amenities from a CSV with ``kind, name, x, y`` (and optional ``crs``), in RD New.

    Kinds 'school', 'gp', 'supermarket', 'station' (Dutch aliases such as 'huisarts',
    'supermarkt' accepted); other kinds are kept as written (lower case).

    Returns columns ``kind``, ``name``, ``x_rd_m``, ``y_rd_m``.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: amenities file not found")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python")
    table.columns = [c.strip().lower() for c in table.columns]
    missing = [c for c in ("kind", "name", "x", "y") if c not in table.columns]
    if missing:
        raise InputError(
            f"{path.name}: columns missing: {', '.join(missing)} (need kind, name, x, y)"
        )
    table.index = pd.RangeIndex(2, len(table) + 2, name="row")  # row numbers as in a spreadsheet
    for col in ("x", "y"):
        table[col] = table[col].str.replace(",", ".", regex=False)
    bad = table.index[(table["x"].str.strip() == "") | (table["y"].str.strip() == "")]
    if len(bad):
        raise InputError(f"{path.name}: rows without coordinates: {', '.join(map(str, bad[:10]))}")
    points = location_points(table, source=path.name)
    alias = {a: kind for kind, names in AMENITY_KINDS.items() for a in names}
    kinds = table["kind"].str.strip().str.lower().str.replace(" ", "_")
    return pd.DataFrame(
        {
            "kind": [alias.get(k, k) for k in kinds],
            "name": table["name"].str.strip().to_numpy(),
            "x_rd_m": points["x_rd_m"].to_numpy(),
            "y_rd_m": points["y_rd_m"].to_numpy(),
        }
    )


def distance_table(points: pd.DataFrame, amenities: pd.DataFrame) -> pd.DataFrame:
    """Straight-line distance from every location to the nearest amenity of every kind.

    Parameters
    ----------
    points
        Locations indexed by id with ``x_rd_m``, ``y_rd_m`` (RD New, m); rows with NaN skipped.
    amenities
        From :func:`read_amenities`.

    Returns
    -------
    DataFrame
        Tidy: ``location_id``, ``kind``, ``nearest_amenity``, ``distance_m`` (rounded to 1 m),
        sorted by location (register order) and kind.
    """
    pts = points[["x_rd_m", "y_rd_m"]].dropna()
    xy = pts.to_numpy(dtype=float)
    parts = []
    for kind, group in amenities.groupby("kind", sort=True):
        tree = cKDTree(group[["x_rd_m", "y_rd_m"]].to_numpy(dtype=float))
        dist, idx = tree.query(xy, k=1)
        parts.append(
            pd.DataFrame(
                {
                    "location_id": pts.index.to_numpy(),
                    "kind": kind,
                    "nearest_amenity": group["name"].to_numpy()[idx],
                    "distance_m": np.round(dist, 0),
                    "_order": np.arange(len(pts)),
                }
            )
        )
    columns = ["location_id", "kind", "nearest_amenity", "distance_m"]
    if not parts or pts.empty:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True).sort_values(["_order", "kind"], kind="stable")
    return out[columns].reset_index(drop=True)


# --- places per 1,000 inhabitants --------------------------------------------------------------
def spread_table(
    locations: pd.DataFrame,
    population: pd.Series,
    threshold_places_per_1000_persons: float,
    *,
    wijk_names: Mapping[str, str] | None = None,
    statuses: Iterable[str] = ("existing", "planned"),
) -> pd.DataFrame:
    """Reception places per 1,000 inhabitants per wijk, against the user's threshold.

    Parameters
    ----------
    locations
        Indexed by id with ``wijk_code`` (NA: not in a wijk, e.g. outside the municipality),
        ``capacity_places`` and ``status`` (existing | planned | candidate).
    population
        Inhabitants per wijk code (:func:`onderdak.geo.population.wijk_population`); every wijk in it
        gets a row, also wijken without locations.
    threshold_places_per_1000_persons
        Places per 1,000 inhabitants above which a wijk is flagged (ASSUMPTION set by the user).
    wijk_names
        Wijk code -> name for the table.
    statuses
        Statuses counted in ``places_counted`` (default existing and planned).

    Returns
    -------
    DataFrame
        One row per wijk (sorted by code): ``wijk_code``, ``wijk_name``, ``population_persons``,
        ``locations_counted``, ``places_existing``, ``places_planned``, ``places_candidate``,
        ``places_counted``, ``places_per_1000_persons``, ``places_per_1000_persons_with_candidates``,
        ``threshold_places_per_1000_persons``, ``above_threshold``, ``population_method``.
        A wijk with 0 inhabitants has no places per 1,000 (NaN) and is never above the threshold.
    """
    statuses = tuple(statuses)
    unknown_status = sorted(set(statuses) - set(STATUSES))
    if unknown_status:
        raise InputError(f"spread: unknown statuses {unknown_status}; use {', '.join(STATUSES)}")
    codes = pd.Index(population.index, name="wijk_code")
    in_wijk = locations[locations["wijk_code"].notna()]
    stray = sorted(set(in_wijk["wijk_code"]) - set(codes))
    if stray:
        ids = [str(i) for i in in_wijk.index[in_wijk["wijk_code"].isin(stray)]]
        raise InputError(
            f"spread: wijk codes not in the boundary file: {', '.join(stray)}",
            [f"location {i}" for i in ids[:10]],
        )
    capacity = pd.to_numeric(in_wijk["capacity_places"], errors="coerce").fillna(0.0)
    frame = pd.DataFrame(
        {"wijk_code": in_wijk["wijk_code"], "status": in_wijk["status"], "places": capacity}
    )
    by_status = pd.DataFrame(
        {
            s: frame.loc[frame["status"] == s, "places"].groupby(frame["wijk_code"]).sum()
            for s in STATUSES
        }
    )
    by_status = by_status.reindex(index=codes).astype(float).fillna(0.0)
    counted_mask = frame["status"].isin(statuses)
    count = frame[counted_mask].groupby("wijk_code").size().reindex(codes, fill_value=0)
    pop = population.astype(float).to_numpy()
    counted = by_status[list(statuses)].sum(axis=1).to_numpy() if statuses else np.zeros(len(codes))
    total = by_status.sum(axis=1).to_numpy()
    inhabited = pop > 0  # CBS counts 0 inhabitants in some industrial and rural wijken
    per_1000 = np.divide(counted * 1000.0, pop, out=np.full(len(pop), np.nan), where=inhabited)
    per_1000_all = np.divide(total * 1000.0, pop, out=np.full(len(pop), np.nan), where=inhabited)
    names = wijk_names or {}
    return pd.DataFrame(
        {
            "wijk_code": codes.to_numpy(),
            "wijk_name": [names.get(c, "") for c in codes],
            "population_persons": pop,
            "locations_counted": count.to_numpy(dtype=int),
            "places_existing": by_status["existing"].to_numpy(),
            "places_planned": by_status["planned"].to_numpy(),
            "places_candidate": by_status["candidate"].to_numpy(),
            "places_counted": counted,
            "places_per_1000_persons": np.round(per_1000, 3),
            "places_per_1000_persons_with_candidates": np.round(per_1000_all, 3),
            "threshold_places_per_1000_persons": float(threshold_places_per_1000_persons),
            "above_threshold": np.nan_to_num(per_1000) > threshold_places_per_1000_persons,
            "population_method": population.attrs.get("method", "given"),
        }
    )


# --- the case's geography ---------------------------------------------------------------------
@dataclass
class Geography:
    """A case's wijken (with inhabitants), the municipal outline and the amenities."""

    wijken: gpd.GeoDataFrame
    outline: BaseGeometry
    population: pd.Series
    amenities: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def wijk_names(self) -> dict[str, str]:
        """Wijk code -> name."""
        return dict(zip(self.wijken["statcode"], self.wijken["statnaam"], strict=True))


@dataclass
class Place:
    """Where the locations are: wijk assignment, spread per wijk, distances to amenities."""

    geography: Geography
    assignment: Assignment
    spread: pd.DataFrame
    distances: pd.DataFrame | None
    threshold_places_per_1000_persons: float

    @property
    def warnings(self) -> list[str]:
        """Everything the user should read: repairs, estimates, outside or mismatched locations."""
        return [*self.geography.warnings, *self.assignment.warnings]


def case_geography(case: Case) -> Geography | None:
    """The geography of a case from its ``geo`` section; None when it names no wijken file."""
    geo = case.geo
    if geo.wijken is None:
        return None
    code = case.municipality.code
    if geo.wijken == "pdok":  # online once, then the cache; the year of CBS 85984NED
        boundaries = load_pdok("wijk", PDOK_YEAR, municipality=code)
    else:
        boundaries = read_boundaries(case.path(geo.wijken), municipality=code)
    wijken = boundaries[boundaries["level"] == "wijk"].reset_index(drop=True)
    if wijken.empty:
        raise InputError(f"{geo.wijken}: no wijken (statcode WK{code[2:]}xx) of {code}")
    if geo.municipality_boundary is not None:
        outline = municipality_outline(read_boundaries(case.path(geo.municipality_boundary)), code)
    else:
        outline = municipality_outline(boundaries, code)
    source = geo.wijk_population_source
    if source == "cbs_85984":
        source_table: str | pd.DataFrame = load_cbs_wijken(code)
    elif source.lower().endswith((".csv", ".json")):
        source_table = read_kwb_file(case.path(source))
    else:
        source_table = source
    population = wijk_population(wijken, source_table, case.municipality.population_persons)
    warnings = list(boundaries.attrs.get("warnings", []))
    warnings += population_warnings(population, case.municipality.population_persons, source_table)
    amenities = read_amenities(case.path(geo.amenities)) if geo.amenities else None
    return Geography(wijken, outline, population, amenities, warnings)


def population_warnings(
    population: pd.Series, case_population_persons: float, table: str | pd.DataFrame
) -> list[str]:
    """What the user should know about the inhabitants per wijk: an estimate, or a total that differs.

    Parameters
    ----------
    population
        From :func:`onderdak.geo.population.wijk_population`.
    case_population_persons
        ``municipality.population_persons`` of the case.
    table
        The source given to ``wijk_population`` (a table carries ``attrs['source']`` and, for
        CBS 85984NED, ``attrs['municipality_population_persons']``).

    Returns
    -------
    list of str
        A warning when the figures are an estimate, when the wijken sum to more than 3 % away from
        the case's population, and naming the wijken without inhabitants.
    """
    method = population.attrs.get("method", "")
    if population.attrs.get("estimate"):
        return [
            f"inhabitants per wijk are an {method}, not a count: the places per 1,000 inhabitants "
            "per wijk are indicative; give geo.wijk_population_source: cbs_85984"
        ]
    out = []
    total = float(population.sum())
    if abs(total - case_population_persons) > WIJK_TOTAL_TOLERANCE_SHARE * case_population_persons:
        gm = getattr(table, "attrs", {}).get("municipality_population_persons")
        row = f" (its municipality row: {gm:,.0f})" if gm == gm and gm is not None else ""
        out.append(
            f"{method}: the wijken sum to {total:,.0f} inhabitants{row}, the case says "
            f"{case_population_persons:,.0f} ({(total / case_population_persons - 1):+.1%}); "
            "check municipality.population_persons and the year of the wijk figures"
        )
    empty = [str(c) for c in population.index[population == 0]]
    if empty:
        out.append(
            f"{method}: wijken without inhabitants ({', '.join(empty)}): their places per 1,000 "
            "inhabitants are not defined"
        )
    return out


def place_for_case(case: Case, register_table: pd.DataFrame) -> Place | None:
    """Assignment, spread and distances for a case's register; None without a wijken file.

    ``register_table`` is ``read_register(...).table`` (indexed by id). The spread counts the
    statuses in ``case.geo.spread_statuses`` against ``case.geo.spread_threshold_places_per_1000_persons``.
    """
    geography = case_geography(case)
    if geography is None:
        return None
    assignment = assign_wijken(register_table, geography.wijken, geography.outline)
    located = register_table[["capacity_places", "status"]].join(assignment.table[["wijk_code"]])
    threshold = case.geo.spread_threshold_places_per_1000_persons
    spread = spread_table(
        located,
        geography.population,
        threshold,
        wijk_names=geography.wijk_names,
        statuses=case.geo.spread_statuses,
    )
    distances = None
    if geography.amenities is not None:
        distances = distance_table(assignment.table, geography.amenities)
    return Place(geography, assignment, spread, distances, threshold)
