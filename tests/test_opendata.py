"""Open-data loaders offline: CBS 83102NED (asylum requests and nareizigers, 1975–2018) through a fake session."""

from __future__ import annotations

import pandas as pd
import pytest

from onderdak.core.errors import InputError
from onderdak.io.opendata import (
    asylum_history_from_rows,
    fetch_cbs_asylum_history,
    read_cbs_asylum_history_csv,
)

ASYLUM_FILE = "cbs_83102ned_asielverzoeken_nationaliteit_1975_2018.csv"


class FakeOData:
    """Serves recorded OData pages in order and records the requests."""

    def __init__(self, pages):
        self.pages, self.calls = pages, []

    def get(self, url, params=None, timeout=None):
        self.calls.append((url, params))
        page = self.pages[len(self.calls) - 1]
        return type("R", (), {"status_code": 200, "json": lambda self: page})()


def typed_pages(csv_path, page_size=1000):
    """The shared StatLine CSV export as TypedDataSet JSON pages (numbers typed, "." → null), paged."""
    frame = pd.read_csv(csv_path, sep=";", dtype=str, encoding="utf-8-sig")
    frame = frame[frame["Nationaliteit"].str.strip() == "T001059"]  # what the $filter asks for
    rows = [
        {
            "ID": int(r["ID"]),
            "Nationaliteit": r["Nationaliteit"],  # padded with spaces, as the API serves it
            "Perioden": r["Perioden"],
            "TotaalAsielverzoekenEnNareizigers_1": (
                None if r["TotaalAsielverzoekenEnNareizigers_1"].strip() == "." else
                int(r["TotaalAsielverzoekenEnNareizigers_1"])
            ),
        }
        for r in frame.to_dict("records")
    ]  # fmt: skip
    pages = [{"value": rows[i : i + page_size]} for i in range(0, len(rows), page_size)]
    for i in range(len(pages) - 1):
        pages[i]["odata.nextLink"] = f"https://opendata.cbs.nl/next/{i + 1}"
    return pages


@pytest.mark.shared
def test_fetch_83102_offline_parses_the_shared_export(shared_data, tmp_path):
    fake = FakeOData(typed_pages(shared_data / ASYLUM_FILE, page_size=20))
    series = fetch_cbs_asylum_history(cache_dir=tmp_path, session=fake)
    assert series.index[0] == 1975 and series.index[-1] == 2018 and len(series) == 44
    assert series[1975] == 390 and series[2015] == 58880 and series[2018] == 30540
    url, params = fake.calls[0]
    assert url.endswith("83102NED/TypedDataSet")
    assert (
        "T001059" in params["$filter"]
        and "TotaalAsielverzoekenEnNareizigers_1" in params["$select"]
    )
    assert len(fake.calls) == 3  # 44 rows in pages of 20, following odata.nextLink
    # the second call reads the cache: no new requests
    again = fetch_cbs_asylum_history(cache_dir=tmp_path, session=FakeOData([]))
    pd.testing.assert_series_equal(series, again)


@pytest.mark.shared
def test_csv_export_reads_to_the_same_series(shared_data, tmp_path):
    from_csv = read_cbs_asylum_history_csv(shared_data / ASYLUM_FILE)
    from_api = fetch_cbs_asylum_history(
        cache_dir=tmp_path, session=FakeOData(typed_pages(shared_data / ASYLUM_FILE))
    )
    pd.testing.assert_series_equal(from_csv, from_api)
    assert from_csv.name == "total_inflow_persons" and from_csv.index.name == "year"


def test_months_are_summed_to_complete_years_and_missing_values_dropped():
    rows = [
        {
            "Nationaliteit": "T001059",
            "Perioden": f"2019MM{m:02d}",
            "TotaalAsielverzoekenEnNareizigers_1": 100,
        }
        for m in range(1, 13)
    ]
    rows += [{"Nationaliteit": "T001059", "Perioden": "2020MM01", "TotaalAsielverzoekenEnNareizigers_1": 50},
             {"Nationaliteit": "T001059", "Perioden": "2018JJ00", "TotaalAsielverzoekenEnNareizigers_1": None},
             {"Nationaliteit": "NAT9276", "Perioden": "2017JJ00", "TotaalAsielverzoekenEnNareizigers_1": 7}]  # fmt: skip
    series = asylum_history_from_rows(rows)
    # 2020 is incomplete, 2018 has no data, the other nationality is not the total
    assert series.to_dict() == {2019: 1200.0}


def test_a_changed_table_is_a_clear_error():
    with pytest.raises(InputError, match="not found; has the table changed"):
        asylum_history_from_rows([{"Nationaliteit": "T001059", "Perioden": "2019JJ00"}])
    with pytest.raises(InputError, match="no yearly total"):
        asylum_history_from_rows(
            [
                {
                    "Nationaliteit": "NAT1",
                    "Perioden": "2019JJ00",
                    "TotaalAsielverzoekenEnNareizigers_1": 3,
                }
            ]
        )


def test_offline_download_says_how_to_work_without_it(tmp_path):
    class Offline:
        def get(self, url, params=None, timeout=None):
            raise ConnectionError("no network")

    with pytest.raises(InputError, match="83102NED .*could not be downloaded") as info:
        fetch_cbs_asylum_history(cache_dir=tmp_path, session=Offline())
    assert "data/reference only" in str(info.value)
