"""Maps without web tiles: the municipality, wijken shaded by places per 1,000 inhabitants, locations by kind and status."""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke
from shapely.geometry.base import BaseGeometry

from onderdak.reporting import i18n
from onderdak.reporting.i18n import label
from onderdak.reporting.style import ACCENT, NEUTRAL, STATUS_COLOURS, short_name

if TYPE_CHECKING:
    from onderdak.geo.spread import Place

KIND_MARKERS = {
    "municipal_building": "s",
    "purchase": "D",
    "lease": "^",
    "hotel": "P",
    "holiday_park": "v",
    "flex_units": "h",
    "office_conversion": "p",
    "leegstandwet": "<",
    "private_hosts": "*",
    "coa_location": "o",
}
KIND_LABELS = tuple(KIND_MARKERS)
"""The location kinds with a label (``maps.kind_<kind>`` in the message catalogs)."""
TEXT_KEYS = ("per_1000", "threshold", "above", "status", "kind", "km", "title")
"""The words of the map (``maps.<key>`` in the message catalogs)."""
SHADES = "YlOrBr"  # sequential, distinct from the blue status colours of the markers


def kind_label(kind: str, language: str = "nl") -> str:
    """The report label of a location kind."""
    if kind in KIND_LABELS:
        return i18n.text(f"maps.kind_{kind}", language)
    return kind.replace("_", " ")


def _text(language: str) -> dict[str, str]:
    return {k: i18n.text(f"maps.{k}", language) for k in TEXT_KEYS}


def wijk_map(
    wijken: gpd.GeoDataFrame,
    spread: pd.DataFrame | None = None,
    locations: pd.DataFrame | None = None,
    *,
    outline: BaseGeometry | None = None,
    threshold_places_per_1000_persons: float | None = None,
    title: str | None = None,
    note: str | None = None,
    labels: bool = True,
    language: str = "nl",
) -> Figure:
    """A map of the municipality's wijken, optionally shaded by spread and with the locations.

    Parameters
    ----------
    wijken
        Boundaries with ``statcode``, ``statnaam``, geometry (RD New), e.g. from
        :func:`onderdak.geo.boundaries.read_boundaries`.
    spread
        :func:`onderdak.geo.spread.spread_table`; shades wijken by ``places_per_1000_persons`` and
        outlines those ``above_threshold`` in the accent colour. None: plain wijken.
    locations
        Indexed by id with ``x_rd_m``, ``y_rd_m`` (RD New, m), ``kind``, ``status`` and optional
        ``capacity_places`` (marker area); rows without coordinates are skipped.
    outline
        The municipal boundary, drawn heavier; default the union of the wijken.
    threshold_places_per_1000_persons
        Marked on the colour bar; default from ``spread``.
    title, note
        Title (default "Opvangplaatsen per wijk") and a source line under the map.
    labels
        Write wijk names at a point inside each wijk.
    """
    text = _text(language)
    wijken = wijken[wijken["level"] == "wijk"] if "level" in wijken.columns else wijken
    fig, ax = plt.subplots(figsize=(9.5, 6.4))
    ax.set_aspect("equal")
    ax.set_axis_off()
    if spread is not None:
        values = spread.set_index("wijk_code")["places_per_1000_persons"].reindex(
            wijken["statcode"]
        )
        vmax = float(np.nanmax(values.to_numpy())) if values.notna().any() else 1.0
        if (
            threshold_places_per_1000_persons is None
            and "threshold_places_per_1000_persons" in spread
        ):
            threshold_places_per_1000_persons = float(
                spread["threshold_places_per_1000_persons"].iloc[0]
            )
        vmax = max(vmax, threshold_places_per_1000_persons or 0.0, 1e-9) * 1.05
        norm = Normalize(0.0, vmax)
        cmap = colormaps[SHADES]
        colours = [
            cmap(norm(v)) if np.isfinite(v) else "#f2f2f2" for v in values.to_numpy(dtype=float)
        ]
        wijken.plot(ax=ax, color=colours, edgecolor="#8c8c8c", linewidth=0.6)
        above = (
            spread.set_index("wijk_code")["above_threshold"]
            .reindex(wijken["statcode"])
            .fillna(False)
        )
        flagged = wijken[above.to_numpy(dtype=bool)]
        if len(flagged):
            flagged.plot(ax=ax, facecolor="none", edgecolor=ACCENT, linewidth=2.0, hatch="//")
        mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
        bar = fig.colorbar(
            mappable, ax=ax, orientation="horizontal", shrink=0.45, pad=0.03, aspect=30
        )
        bar.set_label(text["per_1000"], fontsize=9)
        if threshold_places_per_1000_persons is not None:
            bar.ax.axvline(threshold_places_per_1000_persons, color=ACCENT, linewidth=2)
            bar.ax.text(threshold_places_per_1000_persons, 1.15, text["threshold"], color=ACCENT,
                        ha="center", fontsize=8, transform=bar.ax.get_xaxis_transform())  # fmt: skip
    else:
        wijken.plot(ax=ax, color="#eef2f6", edgecolor="#9aa7b4", linewidth=0.8)
    shape = outline if outline is not None else wijken.geometry.union_all()
    gpd.GeoSeries([shape], crs=wijken.crs).boundary.plot(ax=ax, color=NEUTRAL, linewidth=1.6)
    if labels:
        _labels(ax, wijken)
    handles = _locations(ax, locations, language) if locations is not None else []
    if spread is not None and spread["above_threshold"].any():
        handles.append(Patch(facecolor="none", edgecolor=ACCENT, hatch="//", label=text["above"]))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                  frameon=False, borderaxespad=0.0)  # fmt: skip
    _scale_bar(ax, text["km"])
    ax.set_title(title or text["title"])
    key = _key(locations)
    if key:
        fig.text(0.01, -0.02, key, fontsize=6.5, color="#333333", va="top", wrap=True)
    if note:
        fig.text(0.01, 0.01, note, fontsize=7, color=NEUTRAL)
    fig.tight_layout()
    return fig


def _labels(ax: plt.Axes, wijken: gpd.GeoDataFrame) -> None:
    many = len(wijken) > 25
    for name, geom in zip(wijken["statnaam"], wijken.geometry, strict=True):
        if many and geom.area < np.median(wijken.geometry.area):
            continue  # keep a crowded map readable: label the larger wijken only
        point = geom.representative_point()
        # above the markers, with a white halo: a location never hides its wijk's name
        ax.annotate(str(name), (point.x, point.y), ha="center", va="center", fontsize=6 if many else 7,
                    color="#222222", zorder=8, path_effects=[withStroke(linewidth=2.5, foreground="white")])  # fmt: skip


def _key(locations: pd.DataFrame | None) -> str:
    """'1 Stadskantoor, vleugel B · 2 Gastgezinnen …': the numbers on the map and their names."""
    if locations is None or "name" not in locations:
        return ""
    pts = locations.dropna(subset=["x_rd_m", "y_rd_m"])
    names = [short_name(str(n), 60).replace("\n", " ") for n in pts["name"]]
    entries = [f"{k} {n}" for k, n in enumerate(names, 1)]
    return "\n".join(textwrap.wrap("  ·  ".join(entries), 150))


def _locations(ax: plt.Axes, locations: pd.DataFrame, language: str) -> list:
    pts = locations.dropna(subset=["x_rd_m", "y_rd_m"])
    size = (
        20 + 0.8 * pd.to_numeric(pts["capacity_places"], errors="coerce").fillna(0).clip(upper=300)
        if "capacity_places" in pts
        else pd.Series(50.0, index=pts.index)
    )
    for (kind, status), group in pts.groupby(["kind", "status"], sort=True):
        ax.scatter(group["x_rd_m"], group["y_rd_m"], s=size[group.index], marker=KIND_MARKERS.get(kind, "o"),
                   color=STATUS_COLOURS.get(status, NEUTRAL), edgecolor="black", linewidth=0.6, zorder=5)  # fmt: skip
    for number, (x, y) in enumerate(zip(pts["x_rd_m"], pts["y_rd_m"], strict=True), 1):
        ax.annotate(str(number), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=6,
                    fontweight="bold", zorder=7, path_effects=[withStroke(linewidth=2, foreground="white")])  # fmt: skip
    text = _text(language)
    handles: list = [Patch(color="none", label=text["status"])]
    for status in STATUS_COLOURS:
        if (pts["status"] == status).any():
            handles.append(Line2D([], [], marker="o", ls="", color=STATUS_COLOURS[status],
                                  markeredgecolor="black", label=label(status, language)))  # fmt: skip
    handles.append(Patch(color="none", label=text["kind"]))
    for kind in KIND_MARKERS:
        if (pts["kind"] == kind).any():
            handles.append(Line2D([], [], marker=KIND_MARKERS[kind], ls="", color="white",
                                  markeredgecolor="black", label=kind_label(kind, language)))  # fmt: skip
    return handles


def _scale_bar(ax: plt.Axes, unit: str) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    raw = (x1 - x0) / 5
    length = max(s for s in (100, 200, 500, 1000, 2000, 5000, 10000, 20000) if s <= max(raw, 100))
    x, y = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    ax.plot([x, x + length], [y, y], color="black", linewidth=3, solid_capstyle="butt")
    ax.text(
        x + length / 2, y + 0.015 * (y1 - y0), f"{length / 1000:g} {unit}", ha="center", fontsize=8
    )


def place_map(
    place: Place,
    register_table: pd.DataFrame,
    language: str = "nl",
    title: str | None = None,
    note: str | None = None,
) -> Figure:
    """The case map: wijken shaded by spread, the locations of the register, the threshold.

    ``note`` is the source line (for CBS boundaries: "Kadaster / Centraal Bureau voor de
    Statistiek, <jaar>"); default names the boundary file.
    """
    if note is None:
        source = str(place.geography.wijken.attrs.get("source", ""))
        if re.search(r"\.(geojson|json|gpkg|shp|zip)\b", source):  # a file of the case: no path
            note = i18n.text("maps.boundaries_case", language)
        else:
            note = i18n.text("maps.boundaries", language, source=source)
    columns = [c for c in ("kind", "status", "capacity_places", "name") if c in register_table]
    pts = register_table[columns].join(place.assignment.table[["x_rd_m", "y_rd_m"]])
    return wijk_map(
        place.geography.wijken,
        place.spread,
        pts,
        outline=place.geography.outline,
        threshold_places_per_1000_persons=place.threshold_places_per_1000_persons,
        title=title,
        note=note,
        language=language,
    )
