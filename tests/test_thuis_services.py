"""Hand-computed micro cases for every 'thuis' service (onderdak.thuis.services)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from onderdak.core.ensemble import Need
from onderdak.io import reference
from onderdak.thuis.composition import Residents, residents
from onderdak.thuis.defaults import resolve_profile
from onderdak.thuis.services import ALL, services
from thuis_fixtures import settings

MONTHS = 40
PERIODS = pd.period_range("2026-01", periods=MONTHS, freq="M", name="period")
SPLIT = {"age_0_3": 0.25, "age_4_11": 0.5, "age_12_17": 0.25}


def zeros() -> np.ndarray:
    return np.zeros((1, MONTHS))


def make(ukraine=0.0, asylum=0.0, status_arrivals=None) -> Residents:
    arrivals = zeros() if status_arrivals is None else status_arrivals
    status = np.cumsum(arrivals, axis=1)
    persons = {
        "ukraine": zeros() + ukraine,
        "asylum": zeros() + asylum,
        "status_holders": status,
    }
    return Residents(
        periods=PERIODS,
        persons=persons,
        at_locations={k: v.copy() for k, v in persons.items()},
        arrivals={"status_holders": arrivals},
    )


def micro_settings(**status):
    sh = {"minor_share": 0.0, "minor_age_split": SPLIT, "senior_share_of_adults": 0.0}
    sh.update(status)
    return settings(
        ukraine={
            "minor_share": 0.4,
            "minor_age_split": SPLIT,
            "senior_share_of_adults": 0.1,
            "newcomer_education_share": 1.0,
        },
        status_holders=sh,
        permit_to_housing_months=0,
        inburgering={
            "intake_share": 0.5,
            "intake_delay_months": 2,
            "pip_delay_months": 1,
            "route_shares": {"b1": 0.6, "onderwijs": 0.1, "z": 0.3},
            "route_months": {"b1": 30, "onderwijs": 24, "z": 18},
            "cost_eur_per_trajectory": {"b1": 10000, "onderwijs": 20000, "z": 5000},
        },
    )


def run(res: Residents, s) -> dict:
    profiles = {st: resolve_profile(s, st) for st in ("ukraine", "asylum", "status_holders")}
    return services(res, profiles, s, 1.5, 90_000.0).series


def test_100_ukrainians_give_20_primary_pupils_in_2_groups_and_10_isk_pupils_in_1_class():
    out = run(make(ukraine=100.0), micro_settings())
    # 100 × 0.4 minors × 0.5 aged 4-11 = 20 pupils, all newcomers; groups of 15 → ⌈20/15⌉ = 2
    assert out[("ukraine", "primary_pupils")][0, 0] == pytest.approx(20.0)
    assert out[("ukraine", "newcomer_primary_pupils")][0, 0] == pytest.approx(20.0)
    assert out[(ALL, "newcomer_primary_groups")][0, 0] == 2
    # 100 × 0.4 × 0.25 = 10 ISK pupils; classes of 16 → 1
    assert out[(ALL, "isk_pupils")][0, 0] == pytest.approx(10.0)
    assert out[(ALL, "isk_classes")][0, 0] == 1
    assert out[(ALL, "regular_primary_pupils")][0, 0] == pytest.approx(0.0)


def test_school_funding_is_pupils_times_rate_per_month():
    s = micro_settings()
    s = s.model_copy(
        update={
            "school": s.school.model_copy(
                update={"newcomer_primary_eur_per_pupil_year": 1200, "isk_eur_per_pupil_year": 2400}
            )
        }
    )
    out = run(make(ukraine=100.0), s)
    # (20 × 1200 + 10 × 2400) / 12 = 4000
    assert out[(ALL, "school_funding_eur_per_month")][0, 0] == pytest.approx(4000.0)


def test_gp_registrations_count_every_resident_of_registering_streams():
    out = run(make(ukraine=100.0, asylum=50.0), micro_settings())
    assert out[(ALL, "gp_registrations")][0, 0] == pytest.approx(150.0)
    s = micro_settings()
    s = s.model_copy(update={"asylum": s.asylum.model_copy(update={"gp_registration": False})})
    assert run(make(ukraine=100.0, asylum=50.0), s)[(ALL, "gp_registrations")][0, 0] == 100.0


def test_ukrainian_work_is_working_age_times_the_cbs_share():
    out = run(make(ukraine=100.0), micro_settings())
    working = 100 * 0.6 * 0.9  # adults 0.6, of whom 10% aged 67+
    assert out[("ukraine", "working_age_persons")][0, 0] == pytest.approx(working)
    share = reference.table("thuis_work").query("stream == 'ukraine' and default")
    assert out[("ukraine", "employed_persons")][0, 0] == pytest.approx(
        working * float(share["employed_share"].iloc[0])
    )


def test_status_holders_work_follows_the_cbs_curve_by_years_since_the_permit():
    arrivals = zeros()
    arrivals[0, 0] = 12.0
    out = run(make(status_arrivals=arrivals), micro_settings())
    employed = out[("status_holders", "employed_persons")][0]
    assert employed[0] == 0.0
    assert employed[12] == pytest.approx(12 * 0.078)  # 1 year: 7.8% (cohort 2021)
    assert employed[30] == pytest.approx(12 * 0.20)  # 2.5 years: 20% (cohort 2019)
    assert employed[36] == pytest.approx(12 * 0.31)  # 3 years: 31% (cohort 2020)


def test_inburgering_intake_pip_routes_and_cost_by_hand():
    arrivals = zeros()
    arrivals[0, 0] = 10.0  # all aged 18-66; half start a trajectory
    out = run(make(status_arrivals=arrivals), micro_settings())
    intakes = out[("status_holders", "brede_intakes_started")][0]
    assert intakes[2] == pytest.approx(5.0) and intakes.sum() == pytest.approx(5.0)
    assert out[("status_holders", "pip_started")][0, 3] == pytest.approx(5.0)
    b1 = out[("status_holders", "in_progress_b1")][0]
    assert b1[2] == 0 and b1[3] == pytest.approx(3.0) and b1[32] == pytest.approx(3.0)
    assert b1[33] == 0
    z = out[("status_holders", "in_progress_z")][0]
    assert z[20] == pytest.approx(1.5) and z[21] == 0
    cost = out[("status_holders", "inburgering_cost_eur_per_month")][0]
    assert cost[3] == pytest.approx(3 * 10000 + 0.5 * 20000 + 1.5 * 5000)


def test_fte_and_their_cost_by_hand():
    arrivals = zeros()
    arrivals[0, 0] = 10.0
    out = run(make(ukraine=200.0, status_arrivals=arrivals), micro_settings())
    # 10 housed in a month = 120 a year × 1 FTE per 100 a year
    assert out[("status_holders", "fte_taakstelling")][0, 0] == pytest.approx(1.2)
    # 5 trajectories in progress × 2 FTE per 100
    assert out[("status_holders", "fte_inburgering")][0, 3] == pytest.approx(0.1)
    assert out[(ALL, "staff_cost_eur_per_month")][0, 3] == pytest.approx(0.1 * 90_000 / 12)
    # GOO: 200 residents × 1.5 per 100, shown as a separate cost line
    assert out[("ukraine", "fte_reception")][0, 0] == pytest.approx(3.0)
    assert out[(ALL, "reception_staff_cost_eur_per_month")][0, 0] == pytest.approx(22_500.0)


def test_status_holder_pupils_are_newcomers_for_24_months():
    arrivals = zeros()
    arrivals[0, 0] = 100.0
    out = run(make(status_arrivals=arrivals), micro_settings(minor_share=0.4))
    newcomer = out[("status_holders", "newcomer_primary_pupils")][0]
    regular = out[("status_holders", "regular_primary_pupils")][0]
    assert newcomer[23] == pytest.approx(20.0) and regular[23] == 0
    assert newcomer[24] == 0 and regular[24] == pytest.approx(20.0)


def test_residents_from_need_count_persons_not_places():
    ones = np.ones((2, 3))
    need = Need(
        scenario="x",
        periods=PERIODS[:3],
        streams={"ukraine": ones * 100, "asylum": ones * 100, "status_holders": ones * 5},
        units={"ukraine": "places", "asylum": "places", "status_holders": "dwellings"},
        detail={
            "housed_regular_persons": ones * 2,
            "waiting_list_persons": ones * 11,
            "ukraine_moved_on_persons": ones * 7,
        },
    )
    res = residents(need)
    assert res.persons["ukraine"][0, 0] == pytest.approx(100 * 0.994 + 7)
    assert res.at_locations["ukraine"][0, 0] == pytest.approx(99.4)
    assert res.persons["asylum"][0, 0] == pytest.approx(91.0)
    assert res.persons["status_holders"][0].tolist() == pytest.approx([13, 15, 17])
    assert res.arrivals["status_holders"][0].tolist() == pytest.approx([13, 2, 2])
