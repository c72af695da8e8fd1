"""Spread: places per 1,000 inhabitants per wijk by hand, distances to amenities, the demo case, Almere's 71 wijken."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.core.errors import InputError
from onderdak.geo.boundaries import read_boundaries
from onderdak.geo.kerncijfers import municipality_wijken, read_kwb_file
from onderdak.geo.points import assign_wijken
from onderdak.geo.population import wijk_population
from onderdak.geo.spread import distance_table, population_warnings, read_amenities, spread_table

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo"


def _locations(rows):
    return pd.DataFrame(rows, columns=["id", "wijk_code", "capacity_places", "status"]).set_index(
        "id"
    )


def test_spread_by_hand():
    population = pd.Series({"WK000101": 4000.0, "WK000102": 2000.0, "WK000103": 500.0})
    locs = _locations(
        [
            ("a", "WK000101", 40, "existing"),
            ("b", "WK000101", 20, "planned"),
            ("c", "WK000102", 30, "candidate"),
            ("d", None, 99, "existing"),  # outside the municipality: not in any wijk
            ("e", "WK000103", 6, "existing"),
        ]
    )
    t = spread_table(locs, population, 10.0, wijk_names={"WK000101": "Centrum"}).set_index(
        "wijk_code"
    )
    assert t.loc["WK000101", "places_counted"] == 60
    assert t.loc["WK000101", "places_per_1000_persons"] == pytest.approx(15.0)  # 60 / 4,000 × 1,000
    assert bool(t.loc["WK000101", "above_threshold"])
    assert t.loc["WK000102", "places_per_1000_persons"] == 0.0  # candidates not counted
    assert t.loc["WK000102", "places_per_1000_persons_with_candidates"] == pytest.approx(15.0)
    assert t.loc["WK000103", "places_per_1000_persons"] == pytest.approx(12.0)
    assert (
        t.loc["WK000101", "wijk_name"] == "Centrum" and t.loc["WK000101", "locations_counted"] == 2
    )
    assert t["places_counted"].sum() == 66  # d is outside
    all_statuses = spread_table(
        locs, population, 10.0, statuses=("existing", "planned", "candidate")
    )
    assert all_statuses["places_counted"].sum() == 96


def test_spread_refuses_unknown_wijk_codes():
    with pytest.raises(InputError, match="WK999999"):
        spread_table(
            _locations([("a", "WK999999", 10, "existing")]), pd.Series({"WK000101": 10.0}), 5
        )


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 2),
            st.integers(0, 500),
            st.sampled_from(["existing", "planned", "candidate"]),
        ),
        min_size=0,
        max_size=30,
    )
)
def test_spread_conserves_places(rows):
    codes = ["WK000101", "WK000102", "WK000103"]
    population = pd.Series([1000.0, 2500.0, 400.0], index=codes)
    locs = _locations([(f"L{i}", codes[w], c, s) for i, (w, c, s) in enumerate(rows)])
    t = spread_table(locs, population, 10.0)
    counted = sum(c for _, c, s in rows if s != "candidate")
    assert t["places_counted"].sum() == counted
    assert t[["places_existing", "places_planned", "places_candidate"]].to_numpy().sum() == sum(
        c for _, c, _ in rows
    )
    assert np.allclose(
        t["places_per_1000_persons"],
        np.round(t["places_counted"] / population.to_numpy() * 1000, 3),
    )


def test_distances_by_hand(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text(
        "kind,name,x,y\nSchool,S1,150300,400400\nschool,S2,150000,401000\nHuisarts,H1,150000,400000\n",
        encoding="utf-8",
    )
    amenities = read_amenities(csv)
    assert list(amenities["kind"]) == ["school", "school", "gp"]
    points = pd.DataFrame(
        {"x_rd_m": [150000.0, np.nan], "y_rd_m": [400000.0, np.nan]},
        index=pd.Index(["a", "b"], name="id"),
    )
    d = distance_table(points, amenities)
    assert list(d["kind"]) == ["gp", "school"] and list(d["location_id"]) == ["a", "a"]
    assert d.loc[d["kind"] == "school", "distance_m"].item() == 500.0  # 3-4-5 triangle
    assert d.loc[d["kind"] == "school", "nearest_amenity"].item() == "S1"
    assert d.loc[d["kind"] == "gp", "distance_m"].item() == 0.0


def test_amenities_file_errors(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("kind,name,x\nschool,S1,150300\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns missing: y"):
        read_amenities(csv)
    csv.write_text("kind,name,x,y\nschool,S1,52.1,5.1\n", encoding="utf-8")
    with pytest.raises(InputError, match="a.csv"):
        read_amenities(csv)


def test_demo_case_place(demo_case_path):
    from onderdak.case.settings import load_case
    from onderdak.geo.spread import place_for_case

    case = load_case(demo_case_path)
    if not case.path(case.locations).exists():
        pytest.skip("demo register not written yet")
    from onderdak.register.locations import read_register

    register = read_register(case.path(case.locations))
    place = place_for_case(case, register.table)
    assert len(place.spread) == 8 and place.spread["population_persons"].sum() == 46_000
    counted = register.table[register.table["status"].isin(["existing", "planned"])][
        "capacity_places"
    ].sum()
    assert place.spread["places_counted"].sum() == counted
    assert place.distances is not None and set(place.distances["kind"]) == {
        "school",
        "gp",
        "supermarket",
        "station",
    }
    assert len(place.distances) == 4 * len(register.table)


@pytest.mark.shared
def test_almere_spread_with_71_wijken(shared_data):
    """A register of 50 locations in Almere's 71 wijken, inhabitants per wijk from CBS 85984NED.

    Eight of Almere's wijken have no inhabitants (CBS counts 0): their places per 1,000 are not
    defined and they are never above the threshold. The area-based estimate, kept as a labelled
    fallback, misplaces more inhabitants than Almere has (sum of |estimate - CBS| is 121%).
    """
    wijken = read_boundaries(
        shared_data / "wijken_2024_heusden_almere_dalfsen_nunspeet.geojson", municipality="GM0034"
    )
    assert len(wijken) == 71
    cbs = municipality_wijken(
        read_kwb_file(shared_data / "kwb2024_85984NED_gm_wijk_leeftijd.csv"), "GM0034"
    )
    population = wijk_population(wijken, cbs)
    assert population.sum() == 226_505 and cbs.attrs["municipality_population_persons"] == 226_500
    empty = list(population.index[population == 0])
    assert len(empty) == 8
    area = wijk_population(wijken, "area", 226_500)
    assert area.attrs["estimate"] and area.attrs["method"].startswith("estimate")
    assert (area - population).abs().sum() / population.sum() > 1.0
    warnings = population_warnings(population, 229_574, cbs)  # the case: CBS 1 January 2025
    assert len(warnings) == 1 and empty[0] in warnings[0] and "not defined" in warnings[0]
    rng = np.random.default_rng(7)
    chosen = wijken.sample(50, random_state=7) if len(wijken) >= 50 else wijken
    pts = chosen.geometry.representative_point()
    register = pd.DataFrame(
        {
            "x": pts.x.to_numpy(),
            "y": pts.y.to_numpy(),
            "capacity_places": rng.integers(10, 200, size=50),
            "status": rng.choice(["existing", "planned", "candidate"], size=50),
            "wijk_code": chosen["statcode"].to_numpy(),
        },
        index=pd.Index([f"A{i:02d}" for i in range(50)], name="id"),
    )
    assignment = assign_wijken(register, wijken)
    assert (
        assignment.outside == [] and (assignment.table["wijk_code"] == register["wijk_code"]).all()
    )
    located = register[["capacity_places", "status"]].join(assignment.table[["wijk_code"]])
    table = spread_table(
        located,
        population,
        10.0,
        wijk_names=dict(zip(wijken["statcode"], wijken["statnaam"], strict=True)),
    )
    assert len(table) == 71
    assert (
        table["places_counted"].sum()
        == register.loc[register["status"] != "candidate", "capacity_places"].sum()
    )
    assert (table["population_method"].str.contains("Kerncijfers wijken en buurten")).all()
    uninhabited = table[table["wijk_code"].isin(empty)]
    assert uninhabited["places_per_1000_persons"].isna().all()
    assert not uninhabited["above_threshold"].any()
    inhabited = table[~table["wijk_code"].isin(empty)]
    assert inhabited["places_per_1000_persons"].notna().all()


def test_population_warnings_by_hand():
    counted = pd.Series({"WK000101": 600.0, "WK000102": 400.0})
    counted.attrs.update(method="CBS Kerncijfers wijken en buurten (w.csv)", estimate=False)
    assert population_warnings(counted, 1_020, None) == []  # 2% off: within the tolerance
    table = pd.DataFrame()
    table.attrs["municipality_population_persons"] = 1_001.0
    (far,) = population_warnings(counted, 1_100, table)  # 9% off
    assert (
        "w.csv" in far and "1,000" in far and "1,001" in far and "1,100" in far and "-9.1%" in far
    )
    estimate = pd.Series({"WK000101": 550.0, "WK000102": 550.0})
    estimate.attrs.update(method="estimate: municipal population spread by area", estimate=True)
    (label,) = population_warnings(estimate, 1_100, "area")
    assert "estimate" in label and "not a count" in label and "cbs_85984" in label
