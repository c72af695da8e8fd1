"""'Thuis' per wijk: the demo case's register, wijk demand adding up, shortages; and the settings' rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydantic
import pytest

from onderdak.case.settings import load_case
from onderdak.core.streams import STREAMS
from onderdak.need.simulate import simulate
from onderdak.register.locations import Capacity, load_register
from onderdak.thuis.composition import Residents
from onderdak.thuis.landing import UNPLACED, WIJK_SERVICES, land
from onderdak.thuis.result import thuis_for_run
from onderdak.thuis.services import ALL
from thuis_fixtures import SPLIT, settings

DEMO = "data/cases/demo/case.yaml"


@pytest.fixture(scope="module")
def demo():
    case = load_case(DEMO)
    run = simulate(case, paths=60, seed=7)
    register = load_register(case)
    capacities = {
        "WK999907": {"isk_places": 0, "primary_places": 1_000_000},
        "municipality": {"gp_registrations": 1_000_000, "newcomer_primary_places": 0},
        "WK999999": {"isk_places": 0},
    }
    return case, run, thuis_for_run(case, run.need, register, settings(capacities=capacities))


def test_wijk_demand_sums_to_the_municipal_demand(demo):
    _, _, th = demo
    for stream in STREAMS:
        np.testing.assert_allclose(
            th.landing.persons[stream].sum(axis=1), th.residents.persons[stream], rtol=1e-9
        )
    for service in WIJK_SERVICES:
        np.testing.assert_allclose(
            th.wijk_demand[service].sum(axis=1),
            th.series.get(ALL, service),
            rtol=1e-9,
            atol=1e-9,
        )


def test_wijk_table_rows_add_up_per_period_and_areas_come_from_the_register(demo):
    case, _, th = demo
    register = load_register(case)
    assert set(th.landing.areas) == set(register.table["wijk_code"].dropna()) | {UNPLACED}
    rows = th.wijken.query("measure == 'gp_registrations'").groupby("period")["mean"].sum()
    municipal = th.services.query("stream == 'all' and service == 'gp_registrations'")
    np.testing.assert_allclose(rows.to_numpy(), municipal["mean"].to_numpy(), rtol=1e-9)


def test_asylum_seekers_land_in_the_wijk_of_the_azc(demo):
    _, _, th = demo
    k = th.landing.areas.index("WK999907")  # AZC Ruwaard, the only open asylum location at first
    asylum = th.landing.persons["asylum"]
    assert asylum[:, k, 0].sum() > 0
    assert asylum[:, k, 0] == pytest.approx(asylum[:, :, 0].sum(axis=1))


def test_shortages_follow_the_one_measure(demo):
    _, _, th = demo
    short = th.shortages.set_index(["area", "capacity_field"])["shortage_chance_share"]
    assert short[("WK999907", "isk_places")] == 1.0  # pupils at the AZC, no ISK place there
    assert short[("WK999907", "primary_places")] == 0.0
    assert short[("municipality", "gp_registrations")] == 0.0
    assert short[("WK999999", "isk_places")] == 0.0  # no location there: no demand
    codes = {f.code for f in th.facts}
    assert {"thuis_peak_year", "thuis_shortage", "thuis_default", "thuis_assumption"} <= codes


def test_tables_carry_units_and_bands(demo):
    _, _, th = demo
    for table in (th.composition, th.services, th.wijken):
        assert {"unit", "period", "mean", "p10", "p50", "p90"} <= set(table.columns)
        assert (table["p10"] <= table["p50"] + 1e-9).all()
        assert (table["p50"] <= table["p90"] + 1e-9).all()


def test_landing_micro_case_pro_rata_and_capped():
    periods = pd.period_range("2026-01", periods=1, freq="M", name="period")
    cap = Capacity(
        ids=("A", "B", "C"),
        periods=periods,
        places=np.array([[30.0], [10.0], [20.0]]),
        nominal=np.array([[30.0], [10.0], [20.0]]),
        opening=(periods[0],) * 3,
        closing=(None,) * 3,
        streams=(("ukraine",), ("ukraine",), ("ukraine", "asylum")),
        status=("existing",) * 3,
    )
    zero = np.zeros((1, 1))
    persons = {"ukraine": np.array([[60.0]]), "asylum": np.array([[4.0]]), "status_holders": zero}
    res = Residents(periods, persons, dict(persons), {"status_holders": zero})
    out = land(res, cap, {"A": "W1", "B": "W2", "C": "W2"}, 2.0)
    i = {c: k for k, c in enumerate(out.areas)}
    # Ukrainians: places 30 + 10 + 20/2 = 50 → 30 in W1, 20 in W2, 10 over the places
    assert out.persons["ukraine"][0, i["W1"], 0] == pytest.approx(30.0)
    assert out.persons["ukraine"][0, i["W2"], 0] == pytest.approx(20.0)
    assert out.persons["ukraine"][0, i[UNPLACED], 0] == pytest.approx(10.0)
    assert out.persons["asylum"][0, i["W2"], 0] == pytest.approx(4.0)


def test_settings_refuse_unknown_keys_bad_splits_and_missing_assumptions():
    with pytest.raises(pydantic.ValidationError, match="extra"):
        settings(unknown=1)
    with pytest.raises(pydantic.ValidationError, match="sum to"):
        settings(
            status_holders={
                "minor_share": 0.3,
                "minor_age_split": {**SPLIT, "age_0_3": 0.5},
                "senior_share_of_adults": 0.0,
            }
        )
    with pytest.raises(pydantic.ValidationError, match=r"thuis\.asylum\.employed_share"):
        settings(
            asylum={
                "minor_age_split": SPLIT,
                "senior_share_of_adults": 0.0,
                "newcomer_education_share": 1.0,
            }
        )
    with pytest.raises(pydantic.ValidationError, match=r"thuis\.status_holders\.minor_share"):
        settings(status_holders={"minor_age_split": SPLIT, "senior_share_of_adults": 0.0})
    with pytest.raises(pydantic.ValidationError, match="isk_class_pupils"):
        settings(school={"newcomer_primary_group_pupils": 15})
