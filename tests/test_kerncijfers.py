"""CBS 85984NED (Kerncijfers wijken en buurten 2024): inhabitants and age groups per wijk from the shared exports and, offline, from the API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from onderdak.core.errors import InputError
from onderdak.geo.boundaries import read_boundaries
from onderdak.geo.kerncijfers import (
    AGE_GROUPS,
    COLUMNS,
    load_cbs_wijken,
    municipality_wijken,
    read_kwb_file,
)
from onderdak.geo.population import wijk_population

KWB_CSV = "kwb2024_85984NED_gm_wijk_leeftijd.csv"  # shared/data file 8
KWB_JSON = "kwb2024_85984NED_niquedegraaff_stripped_gm_wk.json"  # shared/data file 9
SUBSET = "wijken_2024_heusden_almere_dalfsen_nunspeet.geojson"  # shared/data file 4
# Heusden (GM0797), CBS 85984NED, 1 January 2024, read off file 8 by hand:
# code: (inhabitants, 0-15, 15-25, 25-45, 45-65, 65+)
HEUSDEN = {
    "WK079701": (18280, 2745, 1915, 4010, 5170, 4445),  # Wijk 01 Drunen
    "WK079705": (15785, 2545, 1560, 4050, 4285, 3345),  # Wijk 05 Vlijmen
    "WK079706": (95, 15, 15, 15, 30, 15),  # Wijk 06 Doeveren
    "WK079711": (2715, 405, 315, 755, 770, 475),  # Wijk 11 Oudheusden
}


@pytest.fixture(scope="module")
def kwb(shared_data):
    return read_kwb_file(shared_data / KWB_CSV)


@pytest.mark.shared
def test_heusden_wijken_carry_the_exact_cbs_figures(kwb):
    heusden = municipality_wijken(kwb, "GM0797")
    assert list(heusden.columns) == list(COLUMNS)
    assert len(heusden) == 11 and heusden["statcode"].is_monotonic_increasing
    by_code = heusden.set_index("statcode")
    for code, figures in HEUSDEN.items():
        assert tuple(by_code.loc[code, ["population_persons", *AGE_GROUPS]]) == figures, code
    assert by_code.loc["WK079701", "name"] == "Wijk 01 Drunen"  # padded text stripped
    assert heusden.attrs["municipality_population_persons"] == 46_026  # the gemeente row
    assert heusden["population_persons"].sum() == 46_030  # wijk figures are rounded to 5
    assert "Kerncijfers wijken en buurten" in heusden.attrs["method"]


@pytest.mark.shared
def test_every_municipality_adds_up_to_its_cbs_row(kwb, shared_data):
    gm = kwb[kwb["level"] == "gemeente"].set_index("statcode")
    wijken = kwb[kwb["level"] == "wijk"]
    assert len(gm) == 342 and len(wijken) == 3393
    assert kwb.loc[kwb["statcode"] == "NL00", "population_persons"].item() == 17_942_942
    assert gm["population_persons"].sum() == 17_942_942
    # at gemeente level the five age groups add up to the total exactly
    assert (gm[list(AGE_GROUPS)].sum(axis=1) == gm["population_persons"]).all()
    # the wijken of every gemeente add up to its row but for CBS rounding (at most 61 persons, 0.31%)
    sums = wijken.groupby("gm_code")["population_persons"].sum()
    assert set(sums.index) == set(gm.index)
    gap = (sums - gm["population_persons"]).abs()
    assert gap.max() == 61 and (gap / gm["population_persons"]).max() < 0.0031
    # a second, independent extract of 85984NED (file 9, no age groups) agrees code by code
    other = read_kwb_file(shared_data / KWB_JSON).set_index("statcode")
    assert len(other) == 3735 and other[list(AGE_GROUPS)].isna().all().all()
    both = kwb.set_index("statcode")["population_persons"].reindex(other.index)
    assert (both == other["population_persons"]).all()


def _typed_rows(table: pd.DataFrame, municipality: str) -> tuple[list[dict], list[dict]]:
    """The shared export as the OData TypedDataSet serves it: codes padded, numbers typed, no names."""
    keys = ["k_0Tot15Jaar_8", "k_15Tot25Jaar_9", "k_25Tot45Jaar_10", "k_45Tot65Jaar_11", "k_65JaarOfOuder_12"]  # fmt: skip
    mine = table[table["gm_code"] == municipality]
    rows = [
        {
            "ID": i,
            "WijkenEnBuurten": f"{r.statcode:<10}",
            "AantalInwoners_5": int(r.population_persons),
            **{k: int(getattr(r, a)) for k, a in zip(keys, AGE_GROUPS, strict=True)},
        }
        for i, r in enumerate(mine.itertuples())
    ]
    labels = [{"Key": f"{r.statcode:<10}", "Title": r.name} for r in mine.itertuples()]
    return rows, labels


class FakeOData:
    """Serves recorded OData answers in order and records the requests."""

    def __init__(self, pages):
        self.pages, self.calls = pages, []

    def get(self, url, params=None, timeout=None):
        self.calls.append((url, params))
        page = self.pages[len(self.calls) - 1]
        return type("R", (), {"status_code": 200, "json": lambda self: page})()


@pytest.mark.shared
def test_online_loader_offline_reads_the_same_figures_and_caches(kwb, tmp_path):
    rows, labels = _typed_rows(kwb, "GM0797")
    pages = [
        {"value": rows[:5], "odata.nextLink": "https://opendata.cbs.nl/next/1"},
        {"value": rows[5:]},
        {"value": labels},
    ]
    fake = FakeOData(pages)
    online = load_cbs_wijken("GM0797", cache_dir=tmp_path, session=fake)
    url, params = fake.calls[0]
    assert url.endswith("85984NED/TypedDataSet")
    assert "startswith(WijkenEnBuurten,'WK0797')" in params["$filter"]
    assert "AantalInwoners_5" in params["$select"] and "k_65JaarOfOuder_12" in params["$select"]
    assert fake.calls[1][0] == "https://opendata.cbs.nl/next/1"
    assert fake.calls[2][0].endswith("85984NED/WijkenEnBuurten")
    offline = municipality_wijken(kwb, "GM0797")
    pd.testing.assert_frame_equal(online, offline, check_like=False)
    assert online.attrs["municipality_population_persons"] == 46_026
    assert "85984NED" in online.attrs["method"]
    # a second call reads the cache: no request at all
    again = load_cbs_wijken("GM0797", cache_dir=tmp_path, session=FakeOData([]))
    pd.testing.assert_frame_equal(again, online)


def test_offline_without_cache_says_how_to_work_with_an_export(tmp_path):
    class Offline:
        def get(self, *args, **kwargs):
            raise ConnectionError("no network")

    with pytest.raises(InputError, match="85984NED .*could not be downloaded") as err:
        load_cbs_wijken("GM0828", cache_dir=tmp_path, session=Offline())
    assert "export table 85984NED from StatLine" in str(err.value)
    with pytest.raises(InputError, match="not a municipality code"):
        load_cbs_wijken("0828", cache_dir=tmp_path, session=Offline())


@pytest.mark.shared
def test_wijken_must_join_to_the_boundaries_both_ways(kwb, shared_data, tmp_path):
    boundaries = read_boundaries(shared_data / SUBSET, level="wijk", municipality="GM0797")
    heusden = municipality_wijken(kwb, "GM0797")
    population = wijk_population(boundaries, heusden)
    assert population.to_dict() == heusden.set_index("statcode")["population_persons"].to_dict()
    assert not population.attrs["estimate"]
    # a wijk in the boundaries but not in the table, named with both files
    short = heusden[heusden["statcode"] != "WK079706"]
    short.attrs.update(heusden.attrs)
    with pytest.raises(InputError, match="differ") as err:
        wijk_population(boundaries, short)
    assert f"WK079706: in {SUBSET}, not in {KWB_CSV}" in str(err.value)
    # a wijk in the table but not in the boundaries (e.g. boundaries of another year)
    with pytest.raises(InputError) as err:
        wijk_population(boundaries[boundaries["statcode"] != "WK079711"], heusden)
    assert f"WK079711: in {KWB_CSV}, not in {SUBSET}" in str(err.value)
    # a secret / missing figure is not silently zero
    secret = heusden.copy()
    secret.loc[secret["statcode"] == "WK079708", "population_persons"] = np.nan
    with pytest.raises(InputError, match="no inhabitants for 1 wijken") as err:
        wijk_population(boundaries, secret)
    assert "WK079708" in str(err.value)


def test_a_bad_cell_names_file_row_and_column(tmp_path):
    path = tmp_path / "kwb.csv"
    path.write_text(
        '"Wijken en buurten";"Regioaanduiding/Codering (code)";"Bevolking/Aantal inwoners (aantal)"\n'
        '"Oss";"GM0828    ";94634\n"Centrum";"WK082800  ";"zes"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"kwb.csv, row 3, column `Bevolking/Aantal inwoners"):
        read_kwb_file(path)
    path.write_text("statcode,name\nWK082800,Centrum\n", encoding="utf-8")
    with pytest.raises(InputError, match="no inhabitants column"):
        read_kwb_file(path)
    with pytest.raises(InputError, match="not found"):
        read_kwb_file(tmp_path / "missing.csv")


def test_a_plain_csv_and_a_wijk_without_inhabitants(tmp_path):
    path = tmp_path / "wijken.csv"
    path.write_text("statcode,population_persons\nWK000101,100\nWK000102,0\n", encoding="utf-8")
    table = read_kwb_file(path)
    assert list(table["population_persons"]) == [100, 0] and table.attrs["method"] == "wijken.csv"
    with pytest.raises(InputError, match="no wijken .* of GM0002"):
        municipality_wijken(table, "GM0002")


@pytest.mark.shared
def test_cbs_85984_by_name_asks_the_loader_for_the_boundaries_municipality(
    kwb, shared_data, monkeypatch
):
    import onderdak.geo.population

    asked = []
    monkeypatch.setattr(
        onderdak.geo.population,
        "load_cbs_wijken",
        lambda code: asked.append(code) or municipality_wijken(kwb, code),
    )
    boundaries = read_boundaries(shared_data / SUBSET, level="wijk", municipality="GM0302")
    population = wijk_population(boundaries, "cbs_85984")
    assert asked == ["GM0302"] and population.sum() == 29_075  # Nunspeet, 2 wijken
