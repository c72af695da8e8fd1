"""Maps and MCA figures: return Figures (never save), draw every wijk and location, Heusden from the real files."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

from onderdak.geo.boundaries import read_boundaries
from onderdak.portfolio.mca import mca_table
from onderdak.reporting.maps import KIND_MARKERS, kind_label, wijk_map
from onderdak.reporting.mca_figures import mca_rank_figure, mca_score_figure
from onderdak.reporting.style import STATUS_COLOURS

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"


def _paths(fig: Figure) -> int:
    """Polygons drawn in the map's first collection (one path per wijk part)."""
    return len(fig.axes[0].collections[0].get_paths())


def test_plain_wijk_map_of_the_demo():
    wijken = read_boundaries(DEMO / "wijken.geojson")
    fig = wijk_map(wijken, title="Gemeente Voorbeeld")
    assert isinstance(fig, Figure) and _paths(fig) == 8  # the GM feature is not a wijk
    assert fig.axes[0].get_title(loc="left") == "Gemeente Voorbeeld"
    plt.close(fig)


def test_spread_map_with_locations_by_kind_and_status():
    wijken = read_boundaries(DEMO / "wijken.geojson", level="wijk")
    spread = pd.DataFrame(
        {
            "wijk_code": wijken["statcode"],
            "places_per_1000_persons": [0, 5, 12, 0, 0, 0, 30, 0],
            "threshold_places_per_1000_persons": 10.0,
            "above_threshold": [False, False, True, False, False, False, True, False],
        }
    )
    locations = pd.DataFrame(
        {
            "x_rd_m": [146000.0, 149500.0, None],
            "y_rd_m": [407000.0, 405500.0, None],
            "kind": ["hotel", "coa_location", "lease"],
            "status": ["existing", "candidate", "planned"],
            "capacity_places": [40, 250, 10],
        },
        index=["a", "b", "c"],
    )
    fig = wijk_map(wijken, spread, locations, language="en")
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert (
        "existing" in legend and "candidate" in legend and "planned" not in legend
    )  # c has no point
    assert "hotel" in legend and "COA location" in legend and "above the threshold" in legend
    points = [c for c in ax.collections if c.get_offsets().shape[0] == 1 and c.get_zorder() == 5]
    assert len(points) == 2
    colours = {tuple(round(v, 3) for v in c.get_facecolor()[0][:3]) for c in points}
    expected = {
        tuple(round(int(STATUS_COLOURS[s][i : i + 2], 16) / 255, 3) for i in (1, 3, 5))
        for s in ("existing", "candidate")
    }
    assert colours == expected
    assert len(fig.axes) == 2  # the map and its colour bar
    plt.close(fig)


def test_every_kind_has_a_marker_and_a_label():
    kinds = ["municipal_building", "purchase", "lease", "hotel", "holiday_park", "flex_units",
             "office_conversion", "leegstandwet", "private_hosts", "coa_location"]  # fmt: skip
    assert set(KIND_MARKERS) == set(kinds)
    assert all(kind_label(k, "nl") != k.replace("_", " ") or k == "hotel" for k in kinds)


def test_mca_figures():
    criteria = pd.DataFrame(
        {
            "cost_eur_per_place_day": [50.0, 70.0, 60.0],
            "quality_score": [3.0, 5.0, 4.0],
            "name": ["A-gebouw", "B", "C"],
        },
        index=pd.Index(["A", "B", "C"], name="id"),
    )
    table = mca_table(criteria, {"cost": 0.6, "quality": 0.4}, draws=200, seed=1)
    bars = mca_score_figure(table)
    assert isinstance(bars, Figure) and len(bars.axes[0].patches) == 6  # 3 options × 2 criteria
    heat = mca_rank_figure(table, language="en")
    assert isinstance(heat, Figure) and "draws" in " ".join(
        t.get_text() for t in heat.axes[0].texts
    )
    plt.close("all")


@pytest.mark.shared
def test_heusden_with_its_11_wijken(shared_data):
    wijken = read_boundaries(
        shared_data / "wijken_2024_heusden_almere_dalfsen_nunspeet.geojson", municipality="GM0797"
    )
    gm = read_boundaries(
        shared_data / "gemeenten_2024_pdok_gegeneraliseerd.geojson", municipality="GM0797"
    )
    fig = wijk_map(wijken, outline=gm.geometry.iloc[0], title="Heusden (GM0797)",
                   note="Kadaster / Centraal Bureau voor de Statistiek, 2024")  # fmt: skip
    assert len(wijken) == 11 and _paths(fig) >= 11
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"Wijk 01 Drunen", "Wijk 05 Vlijmen", "Wijk 10 Heusden"} <= labels
    plt.close(fig)
