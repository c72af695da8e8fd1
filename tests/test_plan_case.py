"""Tests of the plan glue: register to Portfolio (onderdak.plan.inputs), tables (onderdak.plan.tables),
optimise_case and the files (onderdak.plan.build), the CLI and the report template."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from onderdak.case.optimise import OptimiseSettings
from onderdak.case.settings import Case
from onderdak.cli.main import main
from onderdak.core.ensemble import Need
from onderdak.core.errors import InfeasibleError
from onderdak.plan.build import optimise_case, write_plan_tables
from onderdak.plan.inputs import (
    natural_breaks,
    portfolio_from_register,
    recourse_cost_eur_per_place_month,
)
from onderdak.plan.reduction import quarterly_need
from onderdak.register.locations import load_register
from onderdak.reporting.notes_text import note_text
from onderdak.reporting.plan_text import narrative

START = "2026-01"
MONTHS = 24


def register() -> pd.DataFrame:
    """Existing lease and COA location, a hotel option, a purchase (lead 9 months), flex units."""
    rows = [
        dict(
            id="E1",
            name="Bestaand",
            status="existing",
            kind="lease",
            streams="ukraine",
            capacity_places=40,
            occupancy_norm_share=1.0,
            available_from="2022-01-01",
            lead_time_months=0,
            available_until="2026-12-31",
            wijk_code="WK1",
            fixed_opex_eur_per_year=120_000,
            variable_opex_eur_per_place_day=25,
            closing_cost_eur=10_000,
            market_value_eur=0,
            coa_rent_eur_per_place_year=0,
            reuse_options="",
            quality_score=3,
        ),
        dict(
            id="E2",
            name="AZC",
            status="existing",
            kind="coa_location",
            streams="asylum",
            capacity_places=40,
            occupancy_norm_share=1.0,
            available_from="2021-01-01",
            lead_time_months=0,
            available_until=None,
            wijk_code="WK3",
            fixed_opex_eur_per_year=10_000,
            variable_opex_eur_per_place_day=0,
            coa_rent_eur_per_place_year=500,
            reuse_options="demolish",
            quality_score=3,
        ),
        dict(
            id="H1",
            name="Hotel",
            status="candidate",
            kind="hotel",
            streams="ukraine",
            capacity_places=30,
            occupancy_norm_share=1.0,
            available_from="2026-01-01",
            lead_time_months=1,
            available_until=None,
            wijk_code="WK1",
            fixed_opex_eur_per_year=0,
            variable_opex_eur_per_place_day=82,
            closing_cost_eur=0,
            market_value_eur=0,
            coa_rent_eur_per_place_year=0,
            reuse_options="",
            quality_score=2,
        ),
        dict(
            id="P1",
            name="Aankoop",
            status="candidate",
            kind="purchase",
            streams="ukraine;asylum",
            capacity_places=80,
            occupancy_norm_share=0.95,
            available_from="2026-02-15",
            lead_time_months=9,
            available_until=None,
            wijk_code="WK2",
            purchase_price_eur=1_500_000,
            conversion_capex_eur=300_000,
            furnishing_capex_eur=100_000,
            fixed_opex_eur_per_year=90_000,
            variable_opex_eur_per_place_day=28,
            closing_cost_eur=0,
            market_value_eur=1_400_000,
            coa_rent_eur_per_place_year=4_000,
            reuse_options="demolish;starter_homes",
            quality_score=4,
        ),
        dict(
            id="F1",
            name="Flex",
            status="planned",
            kind="flex_units",
            streams="status_holders",
            capacity_places=20,
            occupancy_norm_share=1.0,
            available_from="2026-01-01",
            lead_time_months=6,
            available_until=None,
            wijk_code="WK3",
            fixed_opex_eur_per_year=30_000,
            variable_opex_eur_per_place_day=0,
            quality_score=4,
        ),
    ]
    t = pd.DataFrame(rows).set_index("id")
    for c in ("available_from", "available_until"):
        t[c] = pd.to_datetime(t[c])
    return t


def need(paths: int = 40, seed: int = 1) -> Need:
    rng = np.random.default_rng(seed)
    periods = pd.period_range(START, periods=MONTHS, freq="M", name="period")
    ukraine = (
        50
        + rng.normal(0, 8, (paths, 1))
        + np.linspace(0, 20, MONTHS)[None] * rng.uniform(0, 1, (paths, 1))
    )
    asylum = 20 + rng.normal(0, 4, (paths, MONTHS)).cumsum(axis=1) * 0.3
    streams = {
        "ukraine": ukraine,
        "asylum": np.maximum(asylum, 0),
        "status_holders": np.ones((paths, MONTHS)),
    }
    return Need(
        "basis",
        periods,
        streams,
        {"ukraine": "places", "asylum": "places", "status_holders": "dwellings"},
    )


def case(**optimise) -> Case:
    base = {"reduced_scenarios": 8, "reliability_levels": [0.0, 0.5, 0.9], "mip_gap_share": 1e-4}
    return Case.model_validate(
        {
            "name": "toets",
            "municipality": {
                "name": "Gemeente Toets",
                "code": "GM9998",
                "population_persons": 30_000,
            },
            "start": START,
            "horizon_months": MONTHS,
            "price_year": 2026,
            "seed": 7,
            "optimise": {**base, **optimise},
        }
    )


def test_recourse_costs_come_from_the_reference():
    # hotel: what a COA hotel place cost the Rijk in 2024, ~EUR 91,000 a year (not the KHN EUR 75)
    assert recourse_cost_eur_per_place_month(OptimiseSettings()) == pytest.approx(91_000 / 12)
    emergency = OptimiseSettings(recourse="emergency")
    assert recourse_cost_eur_per_place_month(emergency) == pytest.approx(69_400 / 12)
    own = OptimiseSettings(recourse_cost_eur_per_place_month=1234.0)
    assert recourse_cost_eur_per_place_month(own) == 1234.0


def test_natural_breaks_keep_an_outlier_apart():
    values = np.array([9.0, 12, 22, 26, 28, 30, 82])
    assert natural_breaks(values, np.ones(7), 2).tolist() == [0, 0, 0, 0, 0, 0, 1]
    assert natural_breaks(values, np.ones(7), 1).tolist() == [0] * 7
    assert natural_breaks(np.array([5.0, 5.0]), np.ones(2), 3).tolist() == [0, 0]


def test_portfolio_from_register_reads_time_money_and_streams():
    nq = quarterly_need(need().streams, need().periods, ["ukraine", "asylum"])
    p = portfolio_from_register(register(), nq, START, MONTHS, 0.0, OptimiseSettings())
    assert p.ids == ("E1", "E2", "H1", "P1")  # F1 serves only status holders
    assert p.existing.tolist() == [True, True, False, False]
    assert p.end_quarter.tolist() == [4, 8, 8, 8]  # E1 until end 2026
    # H1: lead 1 month: 2026-02, first whole quarter 2026Q2; P1: 2026-03 (15 Feb) + 9 months: 2026Q4
    assert p.earliest_quarter.tolist() == [0, 0, 1, 3]
    assert p.capex_eur.tolist() == [0.0, 0.0, 0.0, 1_900_000.0]
    assert p.capacity_places.tolist() == pytest.approx([40.0, 40.0, 30.0, 76.0])
    assert p.serves.tolist() == [[True, False], [False, True], [True, False], [True, True]]
    assert p.reuse == ("", "", "", "starter_homes")
    assert p.cost_class[2, 0] != p.cost_class[0, 0]  # the hotel keeps a class of its own
    # asylum: P1 at 28·30.4 − 4,000/12 per place-month, E2 at −500/12: two classes
    rate = p.class_cost_eur_per_place_month[:, 1, 0]
    assert rate[p.cost_class[3, 1]] == pytest.approx(28 * 30.4 - 4000 / 12)
    assert rate[p.cost_class[1, 1]] == pytest.approx(-500 / 12)


def test_optimise_case_tables_are_consistent_and_files_byte_identical(tmp_path):
    result = optimise_case(case(), need(), register(), reliability=0.5)
    plan = result.tables["plan"]
    assert set(plan["action"]) <= {"open", "keep", "close", "convert", "reject"}
    assert plan["location_id"].tolist().count("E1") == 1 and "status" in plan
    opened = plan[plan["action"] == "open"]
    assert (opened["decide_by"] != "").all() and (opened["quarter"] != "").all()
    tradeoff = result.tables["tradeoff"]
    assert tradeoff["reliability_share"].tolist() == [0.0, 0.5, 0.9]
    feasible = tradeoff[tradeoff["feasible"]]
    assert (np.diff(feasible["objective_eur"]) >= -1.0).all()  # more certainty never costs less
    regret = result.tables["regret"]
    assert (regret["regret_eur"] >= 0).all()
    assert regret["weight_share"].sum() == pytest.approx(1.0, abs=1e-5)
    s = result.summary
    assert s["objective_eur"] == pytest.approx(s["expected_cost_eur"], rel=0.02, abs=2_000)
    for stream, v in s["streams"].items():  # the one measure: every path, its own window
        assert v["shortfall_chance_share"] <= 0.5 + 1e-9, stream
        assert v["shortfall_chance_share"] <= v["shortfall_chance_without_plan_share"] + 1e-9
    a, b = tmp_path / "a", tmp_path / "b"
    write_plan_tables(result, a)
    write_plan_tables(optimise_case(case(), need(), register(), reliability=0.5), b)
    for name in ("plan.csv", "tradeoff.csv", "regret.csv", "optimise.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_unreachable_reliability_raises_or_falls_back_with_a_note():
    with pytest.raises(InfeasibleError, match="capex budget"):
        optimise_case(
            case(), need(), register(), reliability=0.5, budget_eur=0.0, levels=[], regret=False
        )
    result = optimise_case(
        case(),
        need(),
        register(),
        reliability=1.0,
        budget_eur=0.0,
        levels=[],
        regret=False,
        fallback=True,
    )
    streams = result.summary["streams"]
    lowered = [k for k, v in streams.items() if v["reliability_share"] < 1.0]
    assert lowered, streams
    for k in lowered:
        v = streams[k]
        assert v["reliability_asked_share"] == 1.0
        # the plan keeps at least the reliability it is made for (the one measure, every path)
        assert v["shortfall_chance_share"] <= 1.0 - v["reliability_share"] + 1e-9
    said = [n for n in result.notes if n.code == "plan_reliability_lowered"]
    assert sorted(n.facts["stream"] for n in said) == sorted(lowered)
    assert all(n.facts["asked"] == 1.0 and n.facts["reached"] < 1.0 for n in said)
    assert result.notes[0].code == "plan_reliability_lowered"
    text = note_text(result.notes[0], "nl")
    assert (
        text.startswith("Voor ") and "betrouwbaarheid van 100%" in text and "niet haalbaar" in text
    )
    assert "a reliability of 100% cannot be reached" in note_text(result.notes[0], "en")


def test_cli_writes_the_three_tables_and_refuses_bad_input(tmp_path, demo_case_path, capsys):
    out = tmp_path / "plan"
    args = [
        "optimise",
        str(demo_case_path),
        "--paths",
        "40",
        "--reliability",
        "0.1",
        "--out",
        str(out),
        "--no-regret",
    ]
    assert main(args) == 0
    assert {"plan.csv", "tradeoff.csv", "optimise.json"} <= {f.name for f in out.iterdir()}
    assert main(["optimise", str(demo_case_path), "--reliability", "1.5"]) == 2
    assert "--reliability 1.5" in capsys.readouterr().err


@pytest.mark.slow
def test_plan_report_runs_end_to_end(tmp_path, tiny_case):
    out = tmp_path / "reports"
    code = main(["report", str(tiny_case), "--notebook", "plan", "--out", str(out)])
    assert code == 0
    html = next(out.rglob("plan.html")).read_text(encoding="utf-8")
    assert "Traceback" not in html and "Investeringsplan" in html
    assert "kans op een tekort" in html


@pytest.mark.slow
def test_demo_plan_sizes_each_stream_to_its_need_and_earns_nothing_on_empty_places(
    demo_case_path,
):
    """Issue 13: no stream's capacity above its p90 need by more than one location's worth, and
    no income from asylum places beyond the task (the one account, model/onderdak/plan/money.py)."""
    from onderdak.case.settings import load_case
    from onderdak.need.simulate import simulate

    case = load_case(demo_case_path)
    run = simulate(case, paths=400)
    result = optimise_case(case, run.need, levels=[], regret=False, fallback=True)
    p = result.portfolio
    text = narrative(result, "nl")
    for si, stream in enumerate(p.streams):
        v = result.summary["streams"][stream]
        largest = p.capacity_places[p.serves[:, si]].max()
        assert v["shortfall_chance_share"] <= 1.0 - v["reliability_share"] + 1e-9, stream
        if p.recourse_rates(si)[0] == 0:  # no hotel bill to save: the band and one location at most
            assert v["capacity_max_places"] <= v["need_p90_max_places"] + largest, stream
        elif v["capacity_max_places"] > v["need_p90_max_places"] + largest:  # says why
            assert "goedkoper zijn dan de noodopvang die ze uitsparen" in text, stream
    money = result.money
    rate = money.with_plan.lines["income_coa_rent"]  # (paths, locations, years)
    task_place_days = (run.need.streams["asylum"] * run.need.periods.days_in_month.to_numpy()).sum(
        axis=1
    )
    reg = load_register(case).table
    top_rate = reg["coa_rent_eur_per_place_year"].max() / 365.25
    assert (rate.sum(axis=(1, 2)) <= top_rate * task_place_days + 1.0).all()
    with_plan = money.with_plan.portfolio_total("net_cost").sum(axis=1)
    assert np.median(with_plan) > 0  # the plan costs the municipality money; no paper surplus


def test_the_reasons_are_codes_worded_in_the_report_language():
    from onderdak.reporting.plan_tables import why_text

    facts = {"quarter": "2028Q3", "opex_eur": 12000.0, "reuse": "sale"}
    assert why_text("close;convert", facts, "nl") == (
        "vanaf 3e kwartaal 2028 niet meer nodig bij de gekozen betrouwbaarheid; bespaart "
        "€\u00a012.000 per jaar; daarna verkoop"
    )
    assert why_text("close;convert", facts, "en").endswith("saves €12,000 per year; then sale")
    keep = '{"until": "2036Q4", "with_plan": 0.01, "without": 0.4}'
    assert why_text("keep_needed", keep, "en") == (
        "needed until Q4 2036; without it the chance of a shortfall is 40% instead of 1%"
    )
