"""The 'thuis' wiring: the case section, the run object's stage, and the advice's section in both
languages (its numbers are the thuis tables', its words pass the reader's checklist)."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from checklist import text_problems
from onderdak.core.errors import InputError
from onderdak.pipeline.run import CaseRun
from onderdak.reporting import thuis as th
from onderdak.reporting import thuis_tables as tt
from onderdak.reporting.i18n import text
from onderdak.thuis.result import thuis_for_run

NAMES = ("Voorbeeld-Zuid", "Ruwaard", "ISK", "PIP", "B1-route", "Z-route", "fte")


def _copy(tmp_path, demo_case_path, change):
    folder = tmp_path / "demo"
    shutil.copytree(demo_case_path.parent, folder)
    case = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    change(case)
    (folder / "case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    return folder / "case.yaml"


@pytest.fixture(scope="module")
def demo_run(demo_case_path):
    return CaseRun(demo_case_path, scenarios=["basis"], paths=40)


def _advice(run, thuis):
    names = {"WK999903": "Voorbeeld-Zuid", "WK999907": "Ruwaard"}
    spread = pd.DataFrame({"wijk_code": list(names), "wijk_name": list(names.values())})
    return SimpleNamespace(
        thuis=thuis, scenario="basis", results=SimpleNamespace(place=SimpleNamespace(spread=spread))
    )


def test_the_run_objects_thuis_is_thuis_for_run(demo_run):
    got = demo_run.thuis()
    case = demo_run.case
    direct = thuis_for_run(case, demo_run.need["basis"], demo_run.register, case.thuis)
    for name in ("services", "wijken", "shortages", "composition"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(direct, name))
    assert got.facts == direct.facts
    assert demo_run.thuis("basis") is got  # kept, as the other stages


def test_a_case_without_thuis_names_the_section(tmp_path, demo_case_path):
    path = _copy(tmp_path, demo_case_path, lambda c: c.pop("thuis"))
    run = CaseRun(path, scenarios=["basis"], paths=10)
    assert run.case.thuis is None
    with pytest.raises(InputError, match=r"`thuis:`"):
        run.thuis()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_without_thuis_the_advice_says_so_in_one_sentence(language):
    said = th.section(SimpleNamespace(thuis=None), language)
    assert said == text("thuis.not_computed", language)
    assert "#" not in said and said.count(". ") == 0
    assert th.finances(None, language) == "" and th.signpost_rows(None, language) == []
    assert not text_problems(said, language)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_section_shows_the_thuis_tables_numbers(demo_run, language):
    thuis = demo_run.thuis()
    advice = _advice(demo_run, thuis)
    section = th.section(advice, language)
    assert section.startswith("## " + text("thuis.heading", language))
    peaks = tt.peaks(thuis).set_index("service")
    # the peak-year figures are the model's own facts
    facts = {
        (n.facts["stream"], n.facts["service"]): n.facts
        for n in thuis.facts
        if n.code == "thuis_peak_year"
    }
    for service in ("primary_pupils", "secondary_pupils", "gp_registrations", "employed_persons"):
        fact = facts[("all", service)]
        assert peaks.loc[service, "year"] == fact["year"]
        assert peaks.loc[service, "p50"] == pytest.approx(fact["p50"])
        shown = tt.value_text(fact["p50"], "pupils", language)
        assert f"{shown} " in section and str(fact["year"]) in section, service
    # and the table shows the same medians
    table = tt.peak_display(thuis, language)
    median = table[text("thuis.column.value", language)]
    data = tt.peak_data(thuis, language)
    assert list(median) == [
        tt.value_text(v, u, language) for v, u in zip(data["p50"], peaks["unit"], strict=True)
    ]
    # routes add up to the trajectories in progress (the same year)
    routes = peaks.loc[list(tt.ROUTES)]
    assert (routes["year"] == peaks.loc["in_progress", "year"]).all()
    # the shortages: every area with a chance above zero is named with its chance
    short = thuis.shortages[thuis.shortages["shortage_chance_share"] > 0]
    assert len(short)
    for r in short.itertuples():
        chance = text("thuis.shortage.item", language, area="", what="", chance=r.shortage_chance_share, capacity=r.capacity, peak=r.peak_p90)  # fmt: skip
        assert chance.split(":", 1)[1].split("(")[0].strip() in section
    words = "\n".join(
        [
            section,
            th.assumptions(thuis, language),
            th.finances(thuis, language),
            th.message(thuis, language),
            th.notes(thuis, language),
            *table.astype(str).to_numpy().ravel(),
            *tt.costs_display(thuis, language).columns,
            *tt.shortage_display(thuis, th.wijk_names(advice), language)
            .astype(str)
            .to_numpy()
            .ravel(),
        ]
    )
    assert not text_problems(words, language, NAMES)


def test_without_capacities_there_is_no_shortage_table(tmp_path, demo_case_path):
    path = _copy(tmp_path, demo_case_path, lambda c: c["thuis"].pop("capacities"))
    run = CaseRun(path, scenarios=["basis"], paths=10)
    thuis = run.thuis()
    assert thuis.shortages.empty
    assert not [n for n in thuis.facts if n.code == "thuis_shortage"]
    assert tt.shortage_display(thuis, {}, "nl").empty  # the notebook shows no table for it
    said = th.shortages(thuis, {}, "nl")
    assert said == text("thuis.shortage.no_capacities", "nl")


def test_the_structural_line_leaves_reception_staff_out(demo_run):
    costs = tt.costs_per_year(demo_run.thuis())
    total = costs["thuis_total_eur"]
    assert (total > 0).all()
    # the total is staff plus inburgering on each path; reception staff and school funding apart
    assert (costs["thuis_reception_eur"] > 0).any()
    assert (total <= costs["thuis_total_p90_eur"] + 1e-6).all()
    assert (total >= costs["thuis_total_p10_eur"] - 1e-6).all()


@pytest.mark.slow
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_demo_advice_has_the_thuis_section(demo_advice, language):
    folder = demo_advice(language)
    html = (folder / "advice.html").read_text(encoding="utf-8")
    assert text("thuis.heading", language) in html
    shown = pd.read_csv(folder / "results" / "thuis.csv")
    data = pd.read_csv(folder / "results" / "thuis_data.csv")
    assert len(shown) == len(data) > 5
    first = shown[text("thuis.column.value", language)].iloc[0]
    assert first == tt.value_text(data["p50"].iloc[0], "pupils", language)
    assert (folder / "results" / "thuis_costs.csv").is_file()
    assert (folder / "results" / "thuis_shortages.csv").is_file()
    assert (folder / "figures" / "thuis_school.png").is_file()
