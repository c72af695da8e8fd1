"""CBS population: the StatLine CSV export, the OData API offline, joining names to codes, inhabitants per wijk."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from onderdak.core.errors import InputError
from onderdak.geo.boundaries import RD_NEW, read_boundaries
from onderdak.geo.population import (
    _largest_remainder,
    fetch_cbs_population,
    join_to_codes,
    municipal_population,
    normalise_name,
    read_statline_csv,
    wijk_population,
)

STATLINE = (
    '\ufeff"Regionale kerncijfers Nederland"\r\n""\r\n"";"";"Onderwerp"\r\n'
    '"";"";"Bevolking|Bevolkingssamenstelling op 1 januari|Totale bevolking";"Milieu|Oppervlakte|Land"\r\n'
    '"Regio\'s";"Perioden";"aantal";"km²"\r\n'
    '"Utrecht (gemeente)";"2023";"367984";"94,33"\r\n'
    '"Heusden";"2023";"45830";"79,49"\r\n'
    '"Aalburg";"2023";"";""\r\n'
    '"Súdwest-Fryslân";"2023";"90883";"."\r\n'
    '"Bron: CBS"\r\n'
)
MUNIS = pd.DataFrame(
    {
        "statcode": ["GM0344", "GM0797", "GM1900"],
        "statnaam": ["Utrecht", "Heusden", "SÃºdwest-FryslÃ¢n"],
    }
)


@pytest.fixture
def statline(tmp_path):
    path = tmp_path / "70072ned.csv"
    path.write_bytes(STATLINE.encode("utf-8"))
    return path


def test_statline_export_is_parsed(statline):
    frame = read_statline_csv(statline)
    assert list(frame.columns) == ["Regio's", "Perioden", "Totale bevolking", "Land"]
    assert len(frame) == 4  # footer dropped
    assert frame["Land"].iloc[0] == pytest.approx(94.33)  # decimal comma
    assert np.isnan(frame["Land"].iloc[3])  # "." = no value
    assert frame.attrs["units"]["Land"] == "km²"
    pop = municipal_population(frame)
    assert list(pop["region"]) == [
        "Utrecht (gemeente)",
        "Heusden",
        "Súdwest-Fryslân",
    ]  # dissolved dropped
    assert list(pop["year"]) == [2023, 2023, 2023]


def test_join_handles_suffix_and_mojibake(statline):
    pop = municipal_population(read_statline_csv(statline))
    joined = join_to_codes(pop, MUNIS).set_index("statcode")
    assert joined.loc["GM0344", "population_persons"] == 367_984
    assert joined.loc["GM0344", "matched_on"] == "name without suffix"
    assert joined.loc["GM1900", "population_persons"] == 90_883  # mis-encoded name repaired
    assert joined.loc["GM0797", "matched_on"] == "name"


def test_unmatched_municipalities_are_an_error_not_a_silent_gap(statline):
    pop = municipal_population(read_statline_csv(statline))
    munis = pd.concat([MUNIS, pd.DataFrame({"statcode": ["GM1234"], "statnaam": ["Nieuwstad"]})])
    with pytest.raises(InputError, match="no inhabitants for 1 of 4") as err:
        join_to_codes(pop, munis)
    assert "GM1234 Nieuwstad" in str(err.value)
    partial = join_to_codes(pop, munis, require_all=False)
    assert partial.set_index("statcode").loc["GM1234", "matched_on"] == "none"
    aliased = join_to_codes(
        pd.concat([pop, pd.DataFrame({"region": ["Oudstad"], "population_persons": [10.0]})]),
        munis,
        aliases={"Oudstad": "GM1234"},
    )
    assert aliased.set_index("statcode").loc["GM1234", "matched_on"] == "alias"


def test_bare_name_fallback_only_when_unique():
    pop = pd.DataFrame(
        {
            "region": ["Hengelo (O.)", "Bergen (L.)", "Bergen (NH.)"],
            "population_persons": [1.0, 2.0, 3.0],
        }
    )
    munis = pd.DataFrame(
        {
            "statcode": ["GM0164", "GM0893", "GM0373"],
            "statnaam": ["Hengelo", "Bergen", "Bergen (NH.)"],
        }
    )
    joined = join_to_codes(pop, munis).set_index("statcode")["population_persons"]
    assert joined["GM0164"] == 1.0 and joined["GM0373"] == 3.0 and joined["GM0893"] == 2.0
    assert normalise_name("  's-Gravenhage (gemeente) ") == "'s-gravenhage"


class FakeOData:
    def __init__(self, pages):
        self.pages, self.calls = pages, []

    def get(self, url, params=None, timeout=None):
        self.calls.append((url, params))
        page = self.pages[len(self.calls) - 1]
        return type("R", (), {"status_code": 200, "json": lambda self: page})()


def test_cbs_api_offline_with_paging_and_padded_codes(tmp_path):
    pages = [
        {"value": [{"RegioS": "GM0797  ", "Perioden": "2023JJ00", "TotaleBevolking_1": 45830}],
         "odata.nextLink": "https://opendata.cbs.nl/next"},
        {"value": [{"RegioS": "GM0034  ", "Perioden": "2023JJ00", "TotaleBevolking_1": 222825},
                   {"RegioS": "GM0001  ", "Perioden": "2023JJ00", "TotaleBevolking_1": None}]},
    ]  # fmt: skip
    fake = FakeOData(pages)
    out = fetch_cbs_population(2023, cache_dir=tmp_path, session=fake)
    assert list(out["statcode"]) == ["GM0034", "GM0797"] and list(out["population_persons"]) == [
        222825,
        45830,
    ]
    url, params = fake.calls[0]
    assert "70072ned/TypedDataSet" in url and "2023JJ00" in params["$filter"]
    assert "TotaleBevolking_1" in params["$select"]
    assert fake.calls[1][0] == "https://opendata.cbs.nl/next"
    joined = join_to_codes(
        out.rename(columns={"statcode": "region"}),
        pd.DataFrame({"statcode": ["GM0034", "GM0797"], "statnaam": ["Almere", "Heusden"]}),
    )
    assert set(joined["matched_on"]) == {"code"}


def _wijken():
    return gpd.GeoDataFrame(
        {
            "statcode": ["WK000101", "WK000102", "WK000103"],
            "population_persons": [100.0, np.nan, 50.0],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 3000, 1000), box(0, 1000, 1000, 2000)],
        crs=RD_NEW,
    )


def test_wijk_population_sources(tmp_path):
    area = wijk_population(_wijken(), "area", 1000)
    assert list(area) == [250, 500, 250] and area.attrs["method"].startswith("estimate")
    equal = wijk_population(_wijken(), "equal", 1000)
    assert equal.sum() == 1000 and sorted(equal) == [333, 333, 334]
    with pytest.raises(InputError, match="no inhabitants for 1 wijken"):
        wijk_population(_wijken(), "file")
    csv = tmp_path / "w.csv"
    csv.write_text("statcode,population_persons\nWK000101,10\nWK000102,20\nWK000103,30\n")
    assert list(wijk_population(_wijken(), str(csv))) == [10, 20, 30]
    with pytest.raises(InputError, match="municipal population is needed"):
        wijk_population(_wijken(), "area")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.01, 1e6), min_size=1, max_size=80), st.integers(1, 10_000_000))
def test_largest_remainder_sums_exactly(basis, total):
    whole = _largest_remainder(np.array(basis), total)
    assert whole.sum() == total and (whole >= 0).all()
    assert np.all(np.abs(whole - np.array(basis) / sum(basis) * total) < 1.0 + 1e-9)


@pytest.mark.shared
def test_real_cbs_2023_joins_all_342_municipalities_of_2024(shared_data):
    frame = read_statline_csv(shared_data / "cbs_70072ned_bevolking_2023_gemeenten.csv")
    assert len(frame) == 727
    pop = municipal_population(frame, year=2023)
    assert len(pop) == 342 and pop["population_persons"].sum() == 17_811_291
    gm = read_boundaries(shared_data / "gemeenten_2024_pdok_gegeneraliseerd.geojson")
    joined = join_to_codes(pop, gm)
    assert len(joined) == 342 and joined["population_persons"].notna().all()
    assert joined["population_persons"].sum() == 17_811_291
    by_code = joined.set_index("statcode")["population_persons"]
    assert by_code["GM0797"] == 45_830 and by_code["GM0034"] == 222_825
    assert by_code["GM0148"] == 29_612 and by_code["GM0302"] == 28_731
    suffixed = joined[joined["matched_on"] == "name without suffix"]
    assert set(suffixed["statnaam"]) == {"'s-Gravenhage", "Groningen", "Utrecht"}
    # the 2023 cartomap file: mis-encoded names, "Hengelo" without "(O.)": all 342 still join
    old = read_boundaries(shared_data / "gemeenten_2023_cartomap_wgs84.geojson")
    assert join_to_codes(pop, old)["population_persons"].notna().all()
