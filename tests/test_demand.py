"""Municipal need: hand-computed shares, carry-over of backlog, household conversion, Spreidingswet cycles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.case.settings import load_case
from onderdak.core.ensemble import Ensemble
from onderdak.need.demand import (
    asylum_places,
    asylum_sources,
    persons_per_dwelling,
    population_share,
    status_holder_need,
    ukraine_places,
)


@pytest.fixture()
def case(demo_case_path):
    base = load_case(demo_case_path)
    m = base.municipality.model_copy(
        update={"national_population_persons": 18_000_000, "ses_correction_share": 1.0}
    )
    return base.with_updates(municipality=m.model_dump(), horizon_months=24, start="2026-01")


def _ensemble(case, **series) -> Ensemble:
    return Ensemble(
        scenario="t", national_scenario="midden", periods=case.periods, series=series, seed=0
    )


def test_population_share_taakstelling_hand_computed(case):
    # a municipality of 46,000 in a country of 18,000,000 gets 33.2 persons of 13,000
    share = population_share(case)
    assert share == pytest.approx(46_000 / 18_000_000)
    monthly = np.full((1, case.horizon_months), 13_000 / 6) * share
    out = status_holder_need(case, monthly, case.periods)
    first_half = out["taakstelling_half_year_persons"][0, 0]
    assert first_half == pytest.approx(33.22, abs=0.01)


def test_backlog_carries_over_and_converts_to_dwellings(case):
    size = persons_per_dwelling(case)  # 2/3 singles, rest 3.5 persons → 1.8333
    assert size == pytest.approx(0.667 * 1 + 0.333 * 3.5, abs=0.01)
    supply = case.status_holders.regular_supply_dwellings_per_month * size
    task = np.full((1, case.horizon_months), supply + 3.0)  # 3 persons a month more than the supply
    out = status_holder_need(case, task, case.periods)
    start = case.status_holders.backlog_persons_at_start
    expected_backlog = start + 3.0 * np.arange(1, case.horizon_months + 1)
    np.testing.assert_allclose(out["backlog_persons"][0], expected_backlog)
    np.testing.assert_allclose(out["need_dwellings"][0], expected_backlog / size)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0, 50), min_size=6, max_size=36),
    st.floats(-20, 40),
    st.floats(0, 10),
)
def test_status_holder_mass_balance(task, backlog0, supply_dwellings):
    from onderdak.case.municipality import StatusHolderSettings

    class _C:  # the minimum of a Case that status_holder_need reads
        status_holders = StatusHolderSettings(
            backlog_persons_at_start=backlog0, regular_supply_dwellings_per_month=supply_dwellings
        )

    periods = pd.period_range("2026-01", periods=len(task), freq="M")
    t = np.array([task])
    out = status_holder_need(_C, t, periods)
    # backlog_end = backlog_start + assigned - housed, every month
    prev = np.concatenate([[backlog0], out["backlog_persons"][0, :-1]])
    np.testing.assert_allclose(
        out["backlog_persons"][0], prev + t[0] - out["housed_regular_persons"][0], atol=1e-9
    )
    assert (out["housed_regular_persons"] >= 0).all()
    assert (out["need_dwellings"] >= 0).all()


def test_ukraine_agreed_number_overrides_the_share(case):
    national = np.full((3, case.horizon_months), 90_000.0)
    national[:, 12:] = 45_000.0
    ens = _ensemble(case, ukraine_goo_places=national)
    default = ukraine_places(case, ens, population_share(case))
    assert default[0, 0] == pytest.approx(90_000 * 46_000 / 18_000_000)
    agreed = case.with_updates(ukraine={"agreed_places": 150})
    out = ukraine_places(agreed, ens, population_share(case))
    assert out[0, 0] == pytest.approx(150) and out[0, 12] == pytest.approx(75)


def test_asylum_fixed_per_cycle_and_published_override(case):
    required = np.linspace(80_000, 120_000, case.horizon_months)[None, :].repeat(2, axis=0)
    ens = _ensemble(case, coa_required_places=required)
    share = population_share(case)
    out = asylum_places(case, ens, share)
    # 2026 lies in the cycle starting 2025-01: the published national 96,000 applies
    assert out[0, 0] == pytest.approx(96_000 * share)
    assert np.ptp(out[:, :12]) == pytest.approx(0.0)
    published = case.with_updates(asylum={"published_places": 300})
    assert asylum_places(published, ens, share)[0, 5] == 300
    # from 2027-01 cycle 2: the published national 88,000 by formula, or the municipality's own number
    assert out[0, 12] == pytest.approx(88_000 * share)
    assert asylum_sources(case, case.periods)[1] == {
        "cycle_start": "2027-01",
        "source": "formula_national_target",
        "places": 88_000 * share,
    }
    cycle_2 = case.with_updates(
        asylum={"published_places": 300, "published_cycles": {"2027-01": 120}}
    )
    out2 = asylum_places(cycle_2, ens, share)
    assert out2[0, 11] == 300 and out2[0, 12] == 120
    assert [s["source"] for s in asylum_sources(cycle_2, case.periods)] == [
        "published_municipal"
    ] * 2
    # no national target published for cycle 3: the simulated national need, marked as such
    far = case.with_updates(start="2028-06")
    sources = asylum_sources(far, far.periods)
    assert sources[-1]["source"] == "formula_simulated" and sources[-1]["places"] is None
