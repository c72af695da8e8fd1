"""Tests of the money: hand-computed micro cases, reference rates, and location sums equal to portfolio totals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.case.settings import load_case
from onderdak.portfolio.allocation import allocate, fill_order
from onderdak.portfolio.budget import budget
from onderdak.portfolio.ledger import COST_LINES, INCOME_LINES, budget_table
from onderdak.register.locations import capacity, read_register
from onderdak.reporting.notes_text import note_text

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo" / "case.yaml"
HEADER = (
    "id,name,status,kind,streams,capacity_places,occupancy_norm_share,available_from,lead_time_months,available_until,"
    "purchase_price_eur,conversion_capex_eur,furnishing_capex_eur,fixed_opex_eur_per_year,"
    "variable_opex_eur_per_place_day,closing_cost_eur,coa_rent_eur_per_place_year,staff_fte\n"
)
NO_STAFF = {
    "project_leader_fte": 1.0,
    "secretary_fte": 0.0,
    "location_manager_fte_per_location": 0.0,
    "staff_fte_per_100_residents": 0.0,
    "cost_per_fte_eur_per_year": 100_000.0,
}


def make_case(months: int = 12, **organisation: float):
    return load_case(DEMO).with_updates(
        horizon_months=months, organisation={**NO_STAFF, **organisation}
    )


def run(tmp_path: Path, body: str, need: dict[str, np.ndarray], case=None):
    path = tmp_path / "reg.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    reg = read_register(path)
    case = case or make_case(next(iter(need.values())).shape[1])
    cap = capacity(reg, case.periods)
    alloc = allocate(need, cap, fill_order(reg, cap, "cost"))
    return case, reg, alloc, budget(case, reg, alloc)


TWO = (
    # A: existing municipal building, 10 places, 36,500 EUR a year fixed, 10 EUR per place-day
    "A,School (fictief),existing,municipal_building,ukraine,10,1,,0,,0,0,0,36500,10,0,0,\n"
    # B: bought from July, 150,000 capex, 12,000 a year fixed, 20 EUR per place-day
    "B,Kantoor (fictief),candidate,purchase,ukraine,10,1,01-07-2026,0,,100000,40000,10000,12000,20,0,0,\n"
)


def test_two_locations_hand_computed(tmp_path):
    need = {"ukraine": np.full((1, 12), 15.0)}
    case, reg, alloc, b = run(tmp_path, TWO, need)
    assert list(b.years) == [2026]
    # A is cheaper and always full (10 places x 365 days); B takes 5 places Jul-Dec (184 days)
    np.testing.assert_allclose(b.lines["variable_opex"][0, :, 0], [10 * 365 * 10, 5 * 184 * 20])
    np.testing.assert_allclose(b.lines["fixed_opex"][0, :, 0], [36_500, 6_000])
    np.testing.assert_allclose(b.lines["capex"][0, :, 0], [0, 150_000])
    # normbedrag 2026 not published: the 2025 value (44 EUR per place-day) is carried forward. It is
    # paid per realised place up to the task (the need, 15): Jul-Dec 20 places are realised for a
    # task of 15, all 15 occupied, so B's 5 empty places are not paid
    np.testing.assert_allclose(b.lines["income_normbedrag"][0, :, 0], [44 * 3650, 44 * 920])
    codes = [n.code for n in b.assumptions["income_normbedrag"]]
    assert codes[0] == "budget_realised_places" and set(codes[1:]) == {"rate_carried_forward"}
    assert "niet gepubliceerd" in note_text(b.assumptions["income_normbedrag"][1], "nl")
    assert [(n.code, n.years, n.value) for n in b.notes if n.column == "goo_eur_per_place_day"] == [
        ("carried_forward", (2026,), 44.0)
    ]
    np.testing.assert_allclose(b.portfolio_total("staff_central"), [[100_000]])
    net = 36_500 + 36_500 + 18_400 + 6_000 + 150_000 + 100_000 - 44 * (3650 + 920)
    np.testing.assert_allclose(b.portfolio_total("net_cost"), [[net]])
    np.testing.assert_allclose(alloc.shortfall["ukraine"][0], [5] * 6 + [0] * 6)
    table = budget_table(b, portfolio="test")
    row = table[(table["scope"] == "portfolio") & (table["line"] == "income_normbedrag")].iloc[0]
    assert row["mean_eur"] == pytest.approx(44 * 4570)
    assert row["assumption"].startswith("budget_realised_places;rate_carried_forward")
    assert row["p10_eur"] == row["p90_eur"] == row["mean_eur"]


def test_staff_per_location_and_per_resident(tmp_path):
    need = {"ukraine": np.full((1, 12), 15.0)}
    case = make_case(12, location_manager_fte_per_location=1.0, staff_fte_per_100_residents=2.0)
    _, _, _, b = run(tmp_path, TWO, need, case)
    resident_years = np.array([3650, 920]) / 365.25
    expected = (np.array([1.0, 0.5]) + 0.02 * resident_years) * 100_000
    np.testing.assert_allclose(b.lines["staff_locations"][0, :, 0], expected)
    # an explicit staff_fte replaces the norm
    body = TWO.replace("0,36500,10,0,0,\n", "0,36500,10,0,0,0.25\n", 1)
    _, _, _, b = run(tmp_path, body, need, case)
    assert b.lines["staff_locations"][0, 0, 0] == pytest.approx(0.25 * 100_000)


def test_asylum_income_coa_rent_and_spreidingswet(tmp_path):
    body = (
        # durable: >100 places, no end date -> 5,000 EUR per place when it opens (March)
        "C,Zorgcentrum (fictief),candidate,purchase,asylum,120,1,01-03-2026,0,,0,0,0,0,0,0,1000,\n"
        # not durable: 80 places -> 2,500 EUR per place; existing AZC gets no incentive
        "D,Paviljoen (fictief),planned,lease,asylum,80,1,01-01-2026,0,31-12-2027,0,0,0,0,0,0,0,\n"
        "E,AZC (fictief),existing,coa_location,asylum,300,1,,0,,0,0,0,0,0,0,500,\n"
    )
    _, _, _, b = run(tmp_path, body, {"asylum": np.full((2, 24), 100.0)})
    # a location of 120 places for 2 years only is not durable, even when the horizon ends first
    short = body.replace("01-03-2026,0,,", "01-03-2026,0,28-02-2028,", 1)
    _, _, _, b2 = run(tmp_path, short, {"asylum": np.full((2, 24), 100.0)})
    assert b2.lines["income_spreidingswet"][0, 0, 0] == pytest.approx(120 * 2_500)
    np.testing.assert_allclose(b.lines["income_spreidingswet"][0, :, 0], [600_000, 200_000, 0])
    np.testing.assert_allclose(b.lines["income_spreidingswet"][0, :, 1], 0)
    # the COA pays for the 100 places of the task, whichever location holds them: not for 500 built
    occupied_days = 100 * 365  # 2026
    rent = b.lines["income_coa_rent"][:, :, 0].sum(axis=1)
    assert (rent > 500 * occupied_days / 365.25 - 1e-6).all()
    assert (rent < 1000 * occupied_days / 365.25 + 1e-6).all()
    (note,) = b.assumptions["income_spreidingswet"]
    assert note.code == "budget_spreidingswet_first_months"
    assert note_text(note, "nl").startswith("Aanname: nieuwe asielplaatsen")


def test_coa_rent_is_paid_only_for_places_within_the_task(tmp_path):
    body = "E,AZC (fictief),existing,coa_location,asylum,300,1,,0,,0,0,0,0,0,0,500,\n"
    _, _, _, b = run(tmp_path, body, {"asylum": np.full((1, 12), 100.0)})
    # 300 places, a task of 100: 100 places × 365 days × 500 / 365.25 per place-year
    assert b.lines["income_coa_rent"][0, 0, 0] == pytest.approx(100 * 365 * 500 / 365.25)
    (note,) = b.assumptions["income_coa_rent"]
    assert "beyond it earn nothing" in note_text(note, "en")
    assert "plaatsen daarboven leveren niets op" in note_text(note, "nl")


def test_private_hosts_earn_the_poo_amount_per_person_month(tmp_path):
    body = "P,Gastgezinnen (fictief),existing,private_hosts,ukraine,20,1,,0,,0,0,0,0,0,0,0,\n"
    _, _, _, b = run(tmp_path, body, {"ukraine": np.full((1, 12), 20.0)})
    assert b.lines["income_normbedrag"][0, 0, 0] == pytest.approx(20 * 12 * 48)


def test_closing_cost_in_the_month_after_closing(tmp_path):
    body = "H,Hotel (fictief),existing,hotel,ukraine,10,1,,0,31-12-2026,0,0,0,0,80,5000,0,\n"
    _, _, _, b = run(tmp_path, body, {"ukraine": np.full((1, 24), 10.0)})
    np.testing.assert_allclose(b.lines["closing_cost"][0, 0], [0, 5000])
    np.testing.assert_allclose(b.lines["variable_opex"][0, 0], [10 * 365 * 80, 0])


# -- properties: money adds up from location to portfolio ----------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    level=st.floats(0, 400),
    spread=st.floats(0, 150),
    seed=st.integers(0, 2**16),
)
def test_location_money_adds_up_to_the_portfolio(level, spread, seed):
    case = load_case(DEMO).with_updates(horizon_months=24)
    from onderdak.register.locations import load_register

    reg = load_register(case)
    rng = np.random.default_rng(seed)
    need = {
        s: np.maximum(level + spread * rng.standard_normal((5, 24)), 0)
        for s in ("ukraine", "asylum", "status_holders")
    }
    cap = capacity(reg, case.periods, start=case.start)
    b = budget(case, reg, allocate(need, cap, fill_order(reg, cap)))
    for line in COST_LINES + INCOME_LINES:
        np.testing.assert_allclose(b.portfolio_total(line), b.location_total(line).sum(axis=1))
    costs = sum(
        np.broadcast_to(b.portfolio_total(k), (5, 2)) for k in COST_LINES
    ) + b.portfolio_total("staff_central")
    income = sum(np.broadcast_to(b.portfolio_total(k), (5, 2)) for k in INCOME_LINES)
    np.testing.assert_allclose(b.portfolio_total("net_cost"), costs - income)
    table = budget_table(b)
    loc = table[table["scope"] == "location"].groupby(["year", "line"])["mean_eur"].sum()
    port = table[table["scope"] == "portfolio"].set_index(["year", "line"])["mean_eur"]
    for line in COST_LINES + INCOME_LINES + ("income_total",):
        np.testing.assert_allclose(
            loc.xs(line, level="line"), port.xs(line, level="line"), rtol=1e-9, atol=1e-6
        )


@pytest.mark.parametrize(
    ("stream", "row"),
    [
        # a municipal GOO location: normbedrag per place, staff by the norm
        (
            "ukraine",
            "G,School (fictief),existing,municipal_building,ukraine,40,1,,0,,0,0,0,12000,10,0,0,\n",
        ),
        # an asylum location rented to the COA: COA rent per place within the task
        ("asylum", "Z,Paviljoen (fictief),existing,lease,asylum,40,1,,0,,0,0,0,12000,10,0,3650,\n"),
    ],
)
def test_optimiser_and_budget_book_the_same_account(tmp_path, stream, row):
    """Cross-check: the optimiser's cost of a plan that keeps the location all year equals the
    budget's net cost of that location (fixed and variable opex, staff, income from the Rijk)."""
    from onderdak.plan.build import current_portfolio_plan
    from onderdak.plan.inputs import portfolio_from_register, ukraine_income_eur_per_place_month
    from onderdak.plan.problem import evaluate
    from onderdak.plan.reduction import quarterly_need

    need = {stream: np.full((1, 12), 30.0)}
    case = make_case(12, location_manager_fte_per_location=1.0, staff_fte_per_100_residents=1.5)
    case, reg, alloc, b = run(tmp_path, row, need, case)
    budget_net = float(b.location_total("net_cost").sum())
    nq = quarterly_need(need, case.periods, [stream])
    income = {}
    if stream == "ukraine":
        income["ukraine"], _ = ukraine_income_eur_per_place_month(case.periods, nq)
    settings = case.optimise.model_copy(update={"streams": [stream]})
    p = portfolio_from_register(
        reg.table, nq, case.start, 12, 0.0, settings, income, case.organisation
    )
    milp_cost = evaluate(current_portfolio_plan(p), nq.places).expected_cost_eur
    # by hand: 12,000 fixed + 10 € × 30 places × 365 days + a manager (100,000) + 0.015 FTE per
    # resident × 30 residents × 100,000 − income (44 € normbedrag or 10 € COA rent per place-day)
    per_day = 44.0 if stream == "ukraine" else 10.0
    by_hand = 12_000 + 10 * 30 * 365 + 100_000 + 0.015 * 30 * 100_000 - per_day * 30 * 365
    assert budget_net == pytest.approx(by_hand, rel=0.002)
    assert milp_cost == pytest.approx(budget_net, rel=0.002)
