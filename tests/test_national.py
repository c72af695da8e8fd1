"""`onderdak national`: starter cases from ../shared/data, run, and the national overview."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from onderdak.cli.main import main
from onderdak.core.errors import InputError
from onderdak.region.national import national_overview, province_totals, read_provinces

pytestmark = pytest.mark.shared

FOUR = "GM0797,GM0034,GM0148,GM0302"  # Heusden, Almere, Dalfsen, Nunspeet (shared/data/README.md)


@pytest.fixture(scope="module")
def provinces(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("prov") / "provinces.csv"
    path.write_text(
        "code,province\nGM0797,Noord-Brabant\nGM0034,Flevoland\nGM0148,Overijssel\n"
        "GM0302,Gelderland\n",
        encoding="utf-8",
    )
    return path


def _run(out: Path, shared: Path, *extra: str) -> int:
    return main(
        [
            "national",
            "--from",
            str(shared),
            "--out",
            str(out),
            "--paths",
            "100",
            "--workers",
            "2",
            "--no-progress",
            *extra,
        ]
    )


def test_four_municipalities_on_dask_the_overview_and_its_files(
    tmp_path, shared_data, provinces, capsys
):
    pytest.importorskip("distributed")
    out = tmp_path / "nl"
    code = _run(
        out,
        shared_data,
        "--municipalities",
        FOUR,
        "--executor",
        "dask",
        "--provinces",
        str(provinces),
    )
    assert code == 0, capsys.readouterr().err
    assert "4 of 4 municipalities computed" in capsys.readouterr().out
    table = pd.read_csv(out / "municipalities.csv")
    assert list(table["code"]) == ["GM0034", "GM0148", "GM0302", "GM0797"]
    heusden = table.set_index("code").loc["GM0797"]
    assert heusden["population_persons"] == 46365  # CBS 70072NED, 1 January 2025 (README)
    for s in ("ukraine", "asylum", "status_holders"):
        assert math.isclose(
            heusden[f"{s}_need_per_1000_persons"],
            heusden[f"{s}_need_p50"] / 46365 * 1000,
            rel_tol=1e-4,
        )
    # starter cases have no register: no shortfall risk, no net cost (said in the summary)
    assert table["shortfall_probability_share"].isna().all()
    assert table["net_cost_eur_p50"].isna().all()
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "4 gemeenten hebben nog geen locatieregister" in summary
    assert "kennen de sociaaleconomische correctie (SES-WOA)" in summary  # why the map is even
    need = pd.read_csv(out / "need.csv")
    assert len(need) == 4 * 5 * 3  # municipalities × scenarios × streams
    prov = pd.read_csv(out / "provinces.csv").set_index("province")
    assert prov.loc["Flevoland", "municipalities"] == 1
    assert prov["population_persons"].sum() == table["population_persons"].sum()
    book = load_workbook(out / "national.xlsx", read_only=True)
    assert book.sheetnames == ["Gemeenten", "Behoefte per scenario", "Provincies", "Ontbrekend"]
    headers = next(book["Gemeenten"].iter_rows(max_row=1, values_only=True))
    assert "Asielzoekers (plaatsen per 1.000 inwoners)" in headers
    assert (out / "need_map.png").stat().st_size > 20_000
    for code in FOUR.lower().split(","):
        assert (out / "results" / code / "need.csv").is_file()
        assert (out / "cases" / code / "case.yaml").is_file()


def test_a_failing_municipality_is_named_and_the_rest_kept(
    tmp_path, shared_data, capsys, monkeypatch
):
    from onderdak.region import national

    real = national.init_case

    def broken_for_dalfsen(code, *args, **kwargs):
        if code == "GM0148":
            raise InputError("init: GM0148 broken on purpose")
        return real(code, *args, **kwargs)

    monkeypatch.setattr(national, "init_case", broken_for_dalfsen)
    out = tmp_path / "nl"
    with monkeypatch.context() as m:
        m.setattr("onderdak.cli.executors.local_pool", _threads)
        code = _run(out, shared_data, "--municipalities", "GM0797,GM0148", "--language", "en")
    err = capsys.readouterr().err
    assert code == 2 and "GM0148: invalid: init: GM0148 broken on purpose" in err
    assert list(pd.read_csv(out / "municipalities.csv")["code"]) == ["GM0797"]
    with open(out / "missing.csv", encoding="utf-8") as fh:
        assert next(csv.DictReader(fh))["code"] == "GM0148"
    assert (
        "Not computed (see the sheet of missing municipalities): GM0148."
        in (out / "summary.md").read_text()
    )


def _threads(workers):
    """The built-in pool as threads: the monkeypatched init_case stays in force."""
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(workers)


def test_limit_and_unknown_municipalities(tmp_path, shared_data, capsys, monkeypatch):
    assert _run(tmp_path / "a", shared_data, "--municipalities", "GM9999") == 2
    assert "GM9999 not among the 2024 municipalities" in capsys.readouterr().err
    assert _run(tmp_path / "b", shared_data, "--limit", "0") == 2
    import requests

    def offline(*a, **k):
        raise requests.ConnectionError("no network")

    monkeypatch.setattr(requests, "get", offline)
    monkeypatch.setenv("ONDERDAK_CACHE", str(tmp_path / "empty-cache"))
    assert main(["national", "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert "could not be downloaded" in err and "give --from DIR" in err


def test_province_totals_add_up_and_the_membership_file_is_checked(tmp_path):
    table = pd.DataFrame(
        {
            "code": ["GM1", "GM2", "GM3"],
            "province": ["A", "A", "B"],
            "population_persons": [1000, 3000, 2000],
            "ukraine_need_p50": [5.0, 15.0, 10.0],
            "asylum_need_p50": [4.0, 12.0, 8.0],
            "status_holders_need_p50": [1.0, 3.0, 2.0],
            "taakstelling_persons": [2.0, 6.0, 0.0],
            "housed_persons": [1.0, 3.0, 0.0],
            "backlog_end_persons": [1.0, 3.0, 0.0],
        }
    )
    totals = province_totals(table).set_index("province")
    assert totals.loc["A", "municipalities"] == 2
    assert totals.loc["A", "ukraine_need_p50"] == 20.0
    assert totals.loc["A", "ukraine_need_per_1000_persons"] == 5.0  # 20 places / 4,000 × 1,000
    assert totals.loc["A", "housed_share_of_task"] == 0.5
    assert math.isnan(totals.loc["B", "housed_share_of_task"])  # no task: no share
    bad = tmp_path / "p.csv"
    bad.write_text("code,province\nGM1,A\ngm1,B\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 3, column `code`: GM1 is named twice"):
        read_provinces(bad)
    bad.write_text("gemeente,provincie\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs the columns"):
        read_provinces(bad)


def test_an_overview_without_any_success_names_them_all():
    ov = national_overview(
        [
            {"code": "GM2", "status": "failed", "message": "x\ny"},
            {"code": "GM1", "status": "invalid"},
        ],
        2026,
        "2026-II",
    )
    assert ov.municipalities.empty and list(ov.missing["code"]) == ["GM1", "GM2"]
    assert list(ov.missing["message"]) == ["", "x"]


@pytest.mark.slow
def test_each_municipality_gets_its_scenarios_report_on_one_kept_kernel(
    tmp_path, shared_data, capsys
):
    """--report scenarios on the built-in pool with one worker: both reports are made, on the
    worker's one kernel, and the overview's table points at them."""
    out = tmp_path / "nl"
    code = _run(
        out,
        shared_data,
        "--municipalities",
        "GM0797,GM0148",
        "--workers",
        "1",
        "--report",
        "scenarios",
    )
    assert code == 0, capsys.readouterr().err
    assert "2 scenarios reports" in capsys.readouterr().out
    table = pd.read_csv(out / "municipalities.csv", keep_default_na=False).set_index("code")
    for gm in ("GM0148", "GM0797"):
        folder = out / table.loc[gm, "report"]
        assert table.loc[gm, "report"] == f"reports/{gm.lower()}/latest"
        html = (folder / "scenarios.html").read_text(encoding="utf-8")
        assert table.loc[gm, "municipality"] in html
        assert not (folder / "scenarios.pdf").exists()  # HTML only unless --formats says more
    assert "2 van de 2 gemaakt" in (out / "summary.md").read_text(encoding="utf-8")
    jobs = pd.read_csv(out / "jobs.csv")
    assert list(jobs["report_status"]) == ["ok", "ok"]
    assert jobs["worker"].nunique() == 1 and list(jobs["kernels_started"]) == [1, 1]


def test_a_failing_report_is_named_and_its_municipality_kept(
    tmp_path, shared_data, capsys, monkeypatch
):
    from onderdak.core.errors import ReportError
    from onderdak.reporting import runner

    def no_report(case, *args, **kwargs):
        raise ReportError(f"scenarios.ipynb failed for {Path(case).parent.name} on purpose")

    monkeypatch.setattr(runner, "run_report", no_report)
    monkeypatch.setattr("onderdak.cli.executors.local_pool", _threads)
    out = tmp_path / "nl"
    code = _run(
        out, shared_data, "--municipalities", "GM0148", "--report", "scenarios", "--language", "en"
    )
    assert code == 1
    assert "GM0148: failed: scenarios.ipynb failed for gm0148 on purpose" in capsys.readouterr().err
    table = pd.read_csv(out / "municipalities.csv", keep_default_na=False)
    assert list(table["code"]) == ["GM0148"] and list(table["report"]) == [""]
    missing = pd.read_csv(out / "missing.csv")
    assert missing.to_dict("records") == [
        {
            "code": "GM0148",
            "status": "report_failed",
            "message": "scenarios.ipynb failed for gm0148 on purpose",
        }
    ]
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "No report (see the sheet of missing municipalities): GM0148." in summary
    assert "Not computed" not in summary
    sheet = load_workbook(out / "national.xlsx", read_only=True)["Missing"]
    assert list(sheet.iter_rows(min_row=2, values_only=True))[0][1] == "report failed"


def test_the_advice_is_refused_for_starter_cases(tmp_path, shared_data, capsys):
    assert _run(tmp_path / "a", shared_data, "--limit", "1", "--report", "advice") == 2
    assert "a starter case has no location register" in capsys.readouterr().err


def _clean_checkout(monkeypatch):
    """The code as a clean checkout (a working copy with changes is never resumed)."""
    monkeypatch.setattr(
        "onderdak.cli.national_resume._code", lambda: {"version": "1", "commit": "abc"}
    )


def test_shards_then_resume_compute_each_municipality_once_and_write_the_overview(
    tmp_path, shared_data, capsys, monkeypatch
):
    """Two array tasks (--shard 1/2, 2/2) each compute their municipality and write no overview;
    --resume then computes nothing again and writes it; another --paths computes anew."""
    from onderdak.region import national

    computed: list[str] = []
    real = national.CaseRun

    def counted(case, *args, **kwargs):
        computed.append(Path(case).parent.name)
        return real(case, *args, **kwargs)

    monkeypatch.setattr(national, "CaseRun", counted)
    monkeypatch.setattr("onderdak.cli.executors.local_pool", _threads)
    _clean_checkout(monkeypatch)
    out = tmp_path / "nl"
    two = ("--municipalities", "GM0797,GM0148")
    for k in ("1/2", "2/2"):
        assert _run(out, shared_data, *two, "--shard", k) == 0
        assert "no overview for one shard" in capsys.readouterr().out
    assert sorted(computed) == ["gm0148", "gm0797"]
    assert not (out / "municipalities.csv").exists()
    assert (out / "jobs-shard-1-of-2.csv").is_file() and (out / "jobs-shard-2-of-2.csv").is_file()

    assert _run(out, shared_data, *two, "--resume") == 0
    assert "(2 unchanged since an earlier run, not computed again)" in capsys.readouterr().out
    assert sorted(computed) == ["gm0148", "gm0797"]  # nothing computed again
    table = pd.read_csv(out / "municipalities.csv")
    assert list(table["code"]) == ["GM0148", "GM0797"]
    assert list(pd.read_csv(out / "jobs.csv")["resumed"]) == [True, True]
    prov = pd.read_csv(out / "provinces.csv")  # the 2024 division of data/reference by default
    assert list(prov["province"]) == ["Noord-Brabant", "Overijssel"]

    computed.clear()  # another question: computed anew
    assert (
        main(
            [
                "national",
                "--from",
                str(shared_data),
                "--out",
                str(out),
                "--paths",
                "50",
                "--no-progress",
                *two,
                "--resume",
            ]
        )
        == 0
    )
    assert sorted(computed) == ["gm0148", "gm0797"]


def test_a_resumed_answer_is_not_used_when_the_inputs_changed(tmp_path, shared_data, monkeypatch):
    from onderdak.cli import national_resume as kept

    monkeypatch.setattr("onderdak.cli.executors.local_pool", _threads)
    _clean_checkout(monkeypatch)
    out = tmp_path / "nl"
    assert _run(out, shared_data, "--municipalities", "GM0148") == 0
    case = out / "cases" / "gm0148" / "case.yaml"
    asked = kept.request(2026, "2026-II", 100, None, None)
    assert kept.saved(out, "GM0148", asked, kept.inputs(case)) is not None
    changed = dict(kept.inputs(case), data="another hash")  # a changed case folder or reference
    assert kept.saved(out, "GM0148", asked, changed) is None
    dirty = dict(kept.inputs(case), commit="abc+dirty")
    assert kept.saved(out, "GM0148", asked, dirty) is None
    assert kept.saved(out, "GM0148", dict(asked, year=2027), kept.inputs(case)) is None


def test_the_province_of_every_2024_municipality(shared_data):
    """data/reference's division covers exactly the municipalities of the PDOK 2024 boundaries,
    12 provinces, with the municipalities per province of 2024."""
    from onderdak.cli.national import municipality_codes
    from onderdak.region.national import reference_provinces

    provinces = reference_provinces()
    assert sorted(provinces) == municipality_codes(shared_data)
    counts = pd.Series(provinces).value_counts().to_dict()
    assert counts == {
        "Noord-Brabant": 56,
        "Gelderland": 51,
        "Zuid-Holland": 50,
        "Noord-Holland": 44,
        "Limburg": 31,
        "Utrecht": 26,
        "Overijssel": 25,
        "Fryslân": 18,
        "Zeeland": 13,
        "Drenthe": 12,
        "Groningen": 10,
        "Flevoland": 6,
    }
    assert provinces["GM0034"] == "Flevoland" and provinces["GM0797"] == "Noord-Brabant"


class _Services:
    """PDOK's WFS and CBS's OData as they answer, for any municipality, from the shared exports."""

    def __init__(self, shared: Path):
        import json
        import re

        import geopandas as gpd

        from onderdak.geo.boundaries import RD_NEW
        from onderdak.geo.kerncijfers import read_kwb_file

        self.re = re.compile(r"GM(\d{4})")
        self.kwb = read_kwb_file(shared / "kwb2024_85984NED_gm_wijk_leeftijd.csv")

        def layer(name):
            frame = gpd.read_file(shared / name).to_crs(RD_NEW)
            return json.loads(frame.to_json())["features"]

        self.layers = {
            "gemeente": layer("gemeenten_2024_pdok_gegeneraliseerd.geojson"),
            "wijk": layer("wijken_2024_cartomap_wgs84.geojson"),
        }
        self.calls: list[str] = []

    def _rows(self, params):
        digits = self.re.search(params["$filter"]).group(1)
        kwb = self.kwb[self.kwb["statcode"].str.fullmatch(f"(GM|WK){digits}.*")]
        return kwb

    def get(self, url, params=None, timeout=None):
        self.calls.append(url)
        params = params or {}
        if "wfs" in url:
            features = self.layers[params["typeNames"].split(":")[1].split("_")[0]]
            start, count = int(params["startIndex"]), int(params["count"])
            page = {"type": "FeatureCollection", "features": features[start : start + count]}
        elif url.endswith("85984NED/TypedDataSet"):
            page = {
                "value": [
                    {
                        "WijkenEnBuurten": f"{r.statcode:<10}",
                        "AantalInwoners_5": int(r.population_persons),
                    }
                    for r in self._rows(params).itertuples()
                ]
            }
        elif url.endswith("85984NED/WijkenEnBuurten"):
            page = {
                "value": [
                    {"Key": f"{r.statcode:<10}", "Title": r.name}
                    for r in self._rows(params).itertuples()
                ]
            }
        elif "70072ned" in url.lower():
            page = {"value": []}  # no population of 2025: the cases take 85984NED's, and say so
        else:
            raise AssertionError(f"unexpected request {url}")
        return type("R", (), {"status_code": 200, "json": lambda self: page})()


def test_without_from_it_downloads_once_and_then_runs_offline_from_the_cache(
    tmp_path, shared_data, capsys, monkeypatch
):
    import requests

    services = _Services(shared_data)
    monkeypatch.setenv("ONDERDAK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(requests, "get", services.get)
    monkeypatch.setattr("onderdak.cli.executors.local_pool", _threads)
    args = ["national", "--municipalities", "GM0797,GM0148", "--paths", "100", "--no-progress"]
    assert main([*args, "--out", str(tmp_path / "online")]) == 0, capsys.readouterr().err
    assert any("wfs" in c for c in services.calls) and any("85984NED" in c for c in services.calls)
    online = pd.read_csv(tmp_path / "online" / "municipalities.csv")
    assert (tmp_path / "online" / "need_map.png").stat().st_size > 20_000

    def offline(*a, **k):
        raise requests.ConnectionError("no network")

    monkeypatch.setattr(requests, "get", offline)  # a second run: the cache, no network
    assert main([*args, "--out", str(tmp_path / "cached")]) == 0, capsys.readouterr().err
    cached = pd.read_csv(tmp_path / "cached" / "municipalities.csv")
    pd.testing.assert_frame_equal(online, cached)
    assert list(cached["code"]) == ["GM0148", "GM0797"]
    kwb = services.kwb.set_index("statcode")["population_persons"]  # what the service answered
    assert list(cached["population_persons"]) == [int(kwb["GM0148"]), int(kwb["GM0797"])]
