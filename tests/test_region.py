"""Tests of onderdak.region.overview and the regional overview: shares, aggregation, members, the notebook end to end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from onderdak.core.errors import InputError
from onderdak.region import overview as region
from onderdak.reporting import region as rep
from onderdak.reporting import region_figures as figs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "cases" / "regio-voorbeeld" / "region.yaml"
TODAY = dt.date(2026, 11, 23)

CASE_YAML = """\
name: {name}
fictional: true
municipality: {{name: Gemeente {title}, code: GM999{code}, population_persons: {population}, region: Regio Test}}
start: 2026-01
price_year: 2026
seed: 7
paths: 40
status_holders: {{backlog_persons_at_start: {backlog}, regular_supply_dwellings_per_month: {supply}}}
locations: locations.csv
"""
REGISTER = """\
id,name,status,kind,streams,capacity_places,available_from,quality_score,risk_score
A1,Opvang {name},existing,municipal_building,ukraine,{places},2024-01-01,3,2
A2,AZC {name},existing,coa_location,asylum,{azc},2024-01-01,3,2
"""


def write_case(
    folder: Path,
    name: str,
    population: int,
    places: int = 50,
    azc: int = 0,
    backlog: float = 0.0,
    supply: float = 1.0,
    code: int = 1,
) -> Path:
    """A small fictional municipality (40 paths) with a two-location register."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "locations.csv").write_text(
        REGISTER.format(name=name, places=places, azc=azc), encoding="utf-8"
    )
    path = folder / "case.yaml"
    path.write_text(
        CASE_YAML.format(
            name=name,
            title=name.title(),
            code=code,
            population=population,
            backlog=backlog,
            supply=supply,
        ),
        encoding="utf-8",
    )
    return path


def write_region(folder: Path, entries: list[str], extra: str = "") -> Path:
    path = folder / "region.yaml"
    lines = ["name: regio-test", "title: Regio Test", extra] + ["municipalities:"]
    lines += [f"  - case: {e}" for e in entries]
    path.write_text("\n".join(line for line in lines if line) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> region.RegionOverview:
    """Two municipalities alike but for population (10,000 and 30,000) and their registers."""
    folder = tmp_path_factory.mktemp("twins")
    write_case(folder / "klein", "klein", 10_000, places=10, code=1)
    write_case(folder / "groot", "groot", 30_000, places=400, azc=300, code=2)
    path = write_region(folder, ["klein/case.yaml", "groot/case.yaml"])
    return region.region_overview(path, year=2027, half_year="2026-II", today=TODAY)


# -- shares (hand-computed) ---------------------------------------------------------------------
def test_population_shares_are_population_over_the_region():
    pop = pd.Series([10_000, 30_000, 60_000])
    assert region.population_shares(pop).tolist() == pytest.approx([0.1, 0.3, 0.6])
    shares = region.share_of_total(500, pop)
    assert shares.tolist() == pytest.approx([50, 150, 300])
    assert shares.sum() == pytest.approx(500)
    with pytest.raises(InputError, match="no inhabitants"):
        region.population_shares(pd.Series([0, 0]))


def test_need_scales_with_population_and_the_region_sums(twins):
    m = twins.municipalities.set_index("label")
    small, big = m.loc["klein"], m.loc["groot"]
    # same seed, same national paths: each stream is the population share of the same national need
    for col in (
        "ukraine_need_places_p50",
        "asylum_spreidingswet_places_p50",
        "taakstelling_persons",
    ):
        assert big[col] == pytest.approx(3 * small[col], rel=1e-9), col
    assert m["population_share_of_region"].tolist() == pytest.approx([0.25, 0.75])
    total = twins.total
    assert total["population_persons"] == 40_000
    assert total["reception_need_places_p50"] == pytest.approx(m["reception_need_places_p50"].sum())
    assert m["region_share_places"].sum() == pytest.approx(total["reception_need_places_p50"])
    assert small["region_share_places"] == pytest.approx(0.25 * total["reception_need_places_p50"])
    assert total["reception_capacity_places"] == pytest.approx(10 + 400 + 300)
    assert small["reception_surplus_places"] == pytest.approx(
        10 - small["reception_need_places_p50"]
    )


def test_shortfall_risk_and_taakstelling_progress(twins):
    m = twins.municipalities.set_index("label")
    # ten GOO places and no asylum location: certain shortfall; the big one has room to spare
    assert m.loc["klein", "shortfall_probability_share"] == 1.0
    assert m.loc["groot", "shortfall_probability_share"] < 0.5
    assert twins.at_risk == 1
    for _, row in m.iterrows():
        assert 0 <= row["realisation_share"] <= 1 + 1e-9
        # backlog at the end = backlog at the start + task − housed (medians: only roughly)
        assert row["backlog_end_persons"] == pytest.approx(
            row["backlog_start_persons"] + row["taakstelling_persons"] - row["housed_persons"],
            abs=0.35 * row["taakstelling_persons"] + 1,
        )
    assert twins.year == 2027 and twins.half_year == "2026-II" and twins.name == "Regio Test"


def test_defaults_follow_the_reference_month(tmp_path):
    write_case(tmp_path / "a", "a", 10_000)
    path = write_region(tmp_path, ["a/case.yaml"])
    members = region.read_members(path)
    assert region.reference_period(members, today=TODAY) == pd.Period("2026-11", "M")
    assert region.reference_period(members, today=dt.date(2040, 1, 1)) == pd.Period("2035-12", "M")
    assert region.reference_period(members, "2027-03") == pd.Period("2027-03", "M")
    with pytest.raises(InputError, match="outside the horizon"):
        region.region_overview(path, year=2040, today=TODAY)


def test_members_from_a_batch_summary(tmp_path):
    case = write_case(tmp_path / "a", "a", 10_000)
    run = tmp_path / "reports" / "run1"
    run.mkdir(parents=True)
    (run / "manifest.json").write_text(
        json.dumps(
            {
                "case": str(case),
                "scenario": None,
                "seed": 11,
                "notebook": "scenarios",
                "parameters": {"paths": 30},
            }
        ),
        encoding="utf-8",
    )
    summary = tmp_path / "summary.csv"
    summary.write_text(
        "label,case,scenario,notebook,status,seconds,folder,message,log\n"
        f"a,{case},,scenarios,ok,1.0,{run},,\n"
        f"b,{tmp_path / 'b' / 'case.yaml'},,scenarios,failed,1.0,{tmp_path / 'failed-x'},cell 3 failed,\n",
        encoding="utf-8",
    )
    a, b = region.read_members(summary)
    assert (a.label, a.status, a.paths, a.seed) == ("a", "ok", 30, 11)
    assert (b.label, b.status, b.message) == ("b", "failed", "cell 3 failed")
    overview = region.region_overview(summary, today=TODAY)
    assert overview.municipalities["label"].tolist() == ["a"]
    assert overview.missing["label"].tolist() == ["b"]
    assert overview.municipalities["paths"].tolist() == [30]
    text, _ = rep.headline(overview)
    assert "Niet in dit overzicht (run mislukt): b." in text
    with pytest.raises(InputError, match="not a batch summary"):
        bad = tmp_path / "bad.csv"
        bad.write_text("x,y\n1,2\n", encoding="utf-8")
        region.read_members(bad)


# -- report text and figures --------------------------------------------------------------------
def test_tables_have_a_region_row_and_text_is_in_the_report_language(twins):
    table, units = rep.places_table(twins, "nl")
    assert table.iloc[-1, 0] == "Regio" and table.iloc[0, 0] == "Klein"
    assert units["Kans op tekort"] == "%"
    nl, numbers = rep.headline(twins, "nl")
    assert nl.startswith("Regio Test heeft in 2027 naar verwachting")
    assert "1 van 2 gemeenten lopen een kans van meer dan 50% op een tekort" in nl
    en, numbers_en = rep.headline(twins, "en")
    assert "1 of 2 municipalities" in en and "places" in numbers_en["Need 2027 (median)"]
    english = en + rep.narrative(twins, "en") + rep.method(twins, "en")
    for dutch in (" gemeenten ", " plaatsen", " behoefte", " heeft ", "achterstand"):
        assert dutch not in english, dutch
    for builder in (rep.need_table, rep.places_table, rep.taakstelling_table):
        assert builder(twins, "en")[0].iloc[-1, 0] == "Region"
    tidy = rep.tidy_table(twins)
    assert tidy["municipality"].tolist()[-1] == "region" and set(tidy["year"]) == {2027}


def test_figures_show_every_municipality(twins):
    fig = figs.places_figure(twins, "nl")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Klein", "Groot"]
    fig = figs.taakstelling_figure(twins, "en")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["Klein", "Groot"]
    assert np.isfinite(twins.municipalities["reception_need_places_p90"]).all()


def test_the_example_region_is_valid():
    members = region.read_members(EXAMPLE)
    assert [m.label for m in members] == ["beekveld", "heidebroek", "voorbeeld", "havenstad"]
    assert all(m.paths == 300 for m in members)


# -- the notebook end to end --------------------------------------------------------------------
@pytest.mark.slow
def test_region_notebook_runs_on_a_region_file_in_english(tmp_path):
    from onderdak.reporting.runner import run_report

    a = write_case(tmp_path / "a", "noord", 12_000, code=1)
    write_case(tmp_path / "b", "zuid", 24_000, places=200, azc=120, code=2)
    path = write_region(tmp_path, ["a/case.yaml", "b/case.yaml"])
    params = {
        "region": str(path),
        "language": "en",
        "year": 2027,
        "half_year": "2026-II",
        "reference_month": "2026-11",
    }
    result = run_report(
        a, "region", params, out=tmp_path / "out", formats=("html", "xlsx"), from_text=False
    )
    html = (result.folder / "region.html").read_text(encoding="utf-8")
    assert "Traceback" not in html and "Regional overview" in html
    assert "Region" in html and "Noord" in html and "Zuid" in html
    assert "Kernboodschap" not in html and "gemeenten" not in html and "plaatsen" not in html
    tidy = pd.read_csv(result.folder / "results" / "region_overview.csv")
    assert tidy["label"].tolist()[:2] == ["a", "b"]
    assert (result.folder / "figures" / "places_figure.png").stat().st_size > 10_000


def test_overview_row_from_an_analysed_portfolio_matches(tmp_path):
    """A report that has analysed the portfolio already (the advice) gets the same row."""
    from onderdak.case.settings import load_case
    from onderdak.need.simulate import simulate
    from onderdak.portfolio.analysis import analyse_portfolio

    path = write_case(tmp_path / "a", "a", 20_000, places=60, azc=50)
    fresh = region.municipality_figures(region.Member("a", path), 2027, "2026-II")
    case = load_case(path)
    need = simulate(case).need
    committed = analyse_portfolio(case, need).runs["committed"]
    row = region.overview_row(case, need, 2027, "2026-II", committed, label="a")
    assert row.keys() == fresh.keys()
    for key, value in fresh.items():
        assert row[key] == (
            pytest.approx(value, nan_ok=True) if isinstance(value, float) else value
        )


# -- realised taakstelling from the case file ---------------------------------------------------
def test_latest_realised_half_year_is_reported_and_added_only_when_comparable():
    from onderdak.case.settings import load_case

    demo = load_case(Path(__file__).resolve().parents[1] / "data" / "cases" / "demo" / "case.yaml")
    got = region._realised(demo)  # the demo reports 2025-I and 2025-II; the latest counts
    assert got["realised_half_year"] == "2025-II"
    assert (got["realised_taakstelling_persons"], got["realised_housed_persons"]) == (48.0, 45.0)
    assert got["realised_share"] == pytest.approx(45 / 48)
    none = region._realised(
        demo.model_copy(
            update={"status_holders": demo.status_holders.model_copy(update={"realised": []})}
        )
    )
    assert none["realised_half_year"] == "" and np.isnan(none["realised_share"])

    def table(halves):
        return pd.DataFrame(
            {
                "paths": 10,
                "housed_persons": [5.0, 10.0],
                "taakstelling_persons": [10.0, 10.0],
                "shortfall_probability_share": 0.5,
                "population_persons": [1, 3],
                "realised_half_year": halves,
                "realised_taakstelling_persons": [20.0, 30.0],
                "realised_housed_persons": [10.0, 30.0],
                "realised_share": [0.5, 1.0],
            }
        )

    same = region._region_total(table(["2025-II", "2025-II"]))
    assert same["realised_half_year"] == "2025-II" and same["realised_share"] == pytest.approx(
        40 / 50
    )
    mixed = region._region_total(table(["2025-I", "2025-II"]))
    assert mixed["realised_half_year"] == "" and np.isnan(mixed["realised_housed_persons"])
    assert (
        rep._realised_text(
            pd.Series(
                {
                    "realised_half_year": "2025-II",
                    "realised_housed_persons": 45.0,
                    "realised_taakstelling_persons": 48.0,
                    "realised_share": 45 / 48,
                }
            ),
            "nl",
        )
        == "2025-II: 45 van 48 (94%)"
    )
