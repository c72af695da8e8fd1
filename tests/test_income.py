"""The Rijk's income on the record: normbedrag per realised place-day from the dated table, incentives."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.case.settings import load_case
from onderdak.portfolio.allocation import allocate, fill_order
from onderdak.portfolio.budget import budget
from onderdak.portfolio.income import daily_rates, eur_per_unit_month, incentive
from onderdak.register.locations import capacity, read_register
from onderdak.reporting.notes_text import note_text

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo" / "case.yaml"
HEADER = (
    "id,name,status,kind,streams,capacity_places,occupancy_norm_share,available_from,lead_time_months,"
    "available_until,fixed_opex_eur_per_year,variable_opex_eur_per_place_day,staff_fte\n"
)


@cache
def demo():
    return load_case(DEMO)


def case_at(start: str, months: int, **status_holders):
    case = demo()
    sh = {**case.status_holders.model_dump(), **status_holders}
    return case.with_updates(start=start, horizon_months=months, status_holders=sh)


def run(tmp_path: Path, body: str, need: dict[str, np.ndarray], case):
    path = tmp_path / "reg.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    reg = read_register(path)
    cap = capacity(reg, case.periods, start=case.start)
    alloc = allocate(need, cap, fill_order(reg, cap, "cost"))
    return alloc, budget(case, reg, alloc)


def test_normbedrag_per_realised_place_over_15_october_2022(tmp_path):
    # 100 GOO places of which 60 usable and occupied (occupancy norm 0.6), open in October 2022
    # only; the task is 100 places. The Rijk pays all 100 realised places: 1-14 Oct at EUR 100,
    # 15-31 Oct at EUR 83.
    body = "G,School (fictief),existing,municipal_building,ukraine,100,0.6,01-10-2022,0,31-10-2022,0,0,0\n"
    alloc, b = run(tmp_path, body, {"ukraine": np.full((1, 12), 100.0)}, case_at("2022-03", 12))
    assert alloc.occupied("ukraine")[0, 0, 7] == 60
    assert b.lines["income_normbedrag"][0, 0, 0] == pytest.approx(100 * (14 * 100 + 17 * 83))
    assert not b.notes  # every day from March 2022 to February 2023 has a published rate


def test_realised_places_beyond_the_task_are_not_paid(tmp_path):
    # 100 places realised, a task (need) of 60: 60 places are paid, occupied or not
    body = "G,School (fictief),existing,municipal_building,ukraine,100,1,01-10-2022,0,31-10-2022,0,0,0\n"
    _, b = run(tmp_path, body, {"ukraine": np.full((1, 12), 60.0)}, case_at("2022-01", 12))
    assert b.lines["income_normbedrag"][0, 0, 0] == pytest.approx(60 * (14 * 100 + 17 * 83))


def test_a_shared_location_realises_the_places_other_streams_leave(tmp_path):
    # 20 units for status holders and Ukrainians; 5 held by status holders, so 15 GOO places
    body = "S,Kantoor (fictief),existing,leegstandwet,status_holders;ukraine,20,1,,0,,0,0,0\n"
    need = {"status_holders": np.full((1, 12), 5.0), "ukraine": np.full((1, 12), 30.0)}
    _, b = run(tmp_path, body, need, case_at("2024-01", 12, outflow_incentives=False))
    assert b.lines["income_normbedrag"][0, 0, 0] == pytest.approx(15 * 366 * 61)


def test_a_year_without_a_published_rate_is_carried_forward_and_noted():
    periods = pd.period_range("2025-12", "2027-01", freq="M")
    per_month, notes = eur_per_unit_month("normbedrag", "goo_eur_per_place_day", periods)
    assert per_month[0] == pytest.approx(31 * 44) and per_month[-1] == pytest.approx(31 * 44)
    assert [(n.code, n.years, n.value, n.value_from) for n in notes] == [
        ("carried_forward", (2026, 2027), 44.0, "2025-01-01")
    ]
    assert "2026–2027 is not published" in note_text(notes[0].note(), "en")
    assert "2026–2027 is niet gepubliceerd" in note_text(notes[0].note(), "nl")


def test_poo_is_paid_per_person_month_whatever_the_month_length():
    periods = pd.period_range("2024-01", "2024-03", freq="M")
    per_month, _ = eur_per_unit_month(
        "normbedrag", "poo_eur_per_person_month", periods, per_month=True
    )
    np.testing.assert_allclose(per_month, [92, 92, 92])


def test_daily_rates_fill_gaps_forward_and_the_start_with_the_first_value():
    rows = pd.DataFrame(
        {
            "from": ["2024-01-03", "2024-01-05", "2024-01-07"],
            "until": ["2024-01-04", "2024-01-05", "2024-01-08"],
            "rate": [10.0, np.nan, 30.0],
        }
    )
    rates, notes = daily_rates(rows, "rate", pd.date_range("2024-01-01", "2024-01-09"))
    np.testing.assert_allclose(rates, [10, 10, 10, 10, 10, 10, 30, 30, 30])
    assert sorted(n.code for n in notes) == ["before_first", "carried_forward", "carried_forward"]


@settings(max_examples=30, deadline=None)
@given(places=st.integers(1, 500), task=st.floats(0, 800), share=st.floats(0.1, 1.0))
def test_normbedrag_never_exceeds_the_task_or_the_realised_places(places, task, share):
    """Income / rate is min(places, task) place-days, whatever the occupancy norm."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        body = f"G,School (fictief),existing,lease,ukraine,{places},{share},,0,,0,0,0\n"
        _, b = run(Path(tmp), body, {"ukraine": np.full((1, 12), task)}, case_at("2024-01", 12))
    days = 366
    expected = min(places, task) * days * 61
    # occupied places are float32 in the allocation
    assert b.lines["income_normbedrag"][0, 0, 0] == pytest.approx(expected, rel=1e-6, abs=1e-6)


def test_occupied_places_are_paid_in_full_and_the_rest_of_the_task_spread_over_empty_ones(
    tmp_path,
):
    # task 18; A 10 places full; B 10 places of which 4 usable (norm 0.4); C 10 of which 2 usable.
    # Occupied 10 + 4 + 2 = 16 are paid; the 2 left of the task spread over the 6 + 8 empty places.
    body = (
        "A,School (fictief),existing,lease,ukraine,10,1,,0,,0,10,0\n"
        "B,Kantoor (fictief),existing,lease,ukraine,10,0.4,,0,,0,20,0\n"
        "C,Kerk (fictief),existing,lease,ukraine,10,0.2,,0,,0,30,0\n"
    )
    _, b = run(tmp_path, body, {"ukraine": np.full((1, 12), 18.0)}, case_at("2024-01", 12))
    paid = b.lines["income_normbedrag"][0, :, 0] / (366 * 61)
    np.testing.assert_allclose(paid, [10, 4 + 6 * 2 / 14, 2 + 8 * 2 / 14], rtol=1e-6)
    assert paid.sum() == pytest.approx(18)


# -- status-holder incentives and the flex subsidy -----------------------------------------------


FLEX = (
    # new flex units for status holders, open from Jul 2026 for 15 years (committed Jan 2026)
    "F,Flexwoningen (fictief),planned,flex_units,status_holders,10,1,01-07-2026,6,30-06-2041,0,0,0\n"
)


def test_outflow_incentive_per_status_holder_moving_in_and_the_flex_subsidy(tmp_path):
    need = {"status_holders": np.array([[0.0] * 6 + [4.0] * 3 + [10.0] * 3])}
    case = case_at("2026-01", 12, single_household_share=1.0)  # one person per dwelling
    _, b = run(tmp_path, FLEX, need, case)
    person, sft = incentive("housed_from_coa"), incentive("flex_dwelling_subsidy")
    # 4 move in in July, 6 more in October
    assert b.lines["income_outflow_incentive"][0, 0, 0] == pytest.approx(10 * person.eur)
    assert b.lines["income_flex_subsidy"][0, 0, 0] == pytest.approx(10 * sft.eur)
    (note,) = b.assumptions["income_outflow_incentive"]
    assert note.code == "budget_status_holder_incentives" and note.facts["person_eur"] == person.eur
    assert "uncertain" in note_text(note, "en") and "onzeker" in note_text(note, "nl")
    off = case_at("2026-01", 12, single_household_share=1.0, outflow_incentives=False)
    _, b_off = run(tmp_path, FLEX, need, off)
    assert not b_off.lines["income_outflow_incentive"].any()
    assert not b_off.lines["income_flex_subsidy"].any()


def test_no_flex_subsidy_when_committed_after_the_scheme_or_standing_too_short(tmp_path):
    need = {"status_holders": np.full((1, 12), 10.0)}
    case = case_at("2027-01", 12)  # committed in 2027: the SFT ran to the end of 2026
    _, b = run(tmp_path, FLEX.replace("01-07-2026", "01-07-2027"), need, case)
    assert not b.lines["income_flex_subsidy"].any()
    short = FLEX.replace("30-06-2041", "30-06-2031")  # 5 years < 10
    _, b = run(tmp_path, short, need, case_at("2026-01", 12))
    assert not b.lines["income_flex_subsidy"].any()


def test_incentive_figures_are_dated():
    sft = incentive("flex_dwelling_subsidy")
    assert (sft.eur, sft.min_years) == (14_000, 10)
    assert sft.valid_from == pd.Timestamp("2025-02-03")
    assert sft.valid_until == pd.Timestamp("2026-12-31")
    months = pd.period_range("2025-01", "2027-01", freq="M")
    valid = sft.valid_months(months)
    assert not valid[0] and valid[1] and valid[-2] and not valid[-1]
    assert incentive("housed_from_coa").valid_until is None  # no end date published


def test_financing_after_the_end_of_protection_is_the_case_assumption_from_4_march_2027(tmp_path):
    # 100 GOO places in use all of March 2027: 3 days at the 2025 normbedrag (EUR 44, carried forward),
    # 28 days from 4 March at the case's assumed EUR 30 for the permit regime
    body = "G,School (fictief),existing,municipal_building,ukraine,100,1,01-01-2027,0,,0,0,0\n"
    need = {"ukraine": np.full((1, 1), 100.0)}
    case = case_at("2027-03", 12)
    _, base = run(tmp_path, body, need | {"ukraine": np.full((1, 12), 100.0)}, case)
    regime = case.with_updates(
        ukraine={**case.ukraine.model_dump(), "financing_after_tpd_eur_per_place_day": 30.0}
    )
    _, after = run(tmp_path, body, need | {"ukraine": np.full((1, 12), 100.0)}, regime)
    # the budget year 2027 of this horizon runs March–December: 306 days
    march = 100 * (3 * 44 + 28 * 30)
    assert after.lines["income_normbedrag"][0, 0, 0] == pytest.approx(march + 100 * 30 * 275)
    assert base.lines["income_normbedrag"][0, 0, 0] == pytest.approx(100 * 44 * 306)
    regime_note = after.assumptions["income_normbedrag"][-1]
    assert regime_note.code == "budget_after_tpd" and regime_note.facts["value_eur"] == 30
    assert "4 maart 2027" in note_text(regime_note, "nl")
