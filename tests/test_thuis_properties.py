"""Invariants of 'thuis' (hypothesis): no negative demand, mass balance, work within working age, monotone."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from onderdak.core.ensemble import Need
from onderdak.core.streams import STREAMS
from onderdak.thuis.composition import by_age, residents
from onderdak.thuis.defaults import resolve_profile
from onderdak.thuis.services import services
from thuis_fixtures import settings

PATHS, MONTHS = 3, 30
PERIODS = pd.period_range("2026-01", periods=MONTHS, freq="M", name="period")
SETTINGS = settings()
PROFILES = {s: resolve_profile(SETTINGS, s) for s in STREAMS}

level = arrays(float, (PATHS, MONTHS), elements=st.floats(0, 2_000, allow_nan=False))
flow = arrays(float, (PATHS, MONTHS), elements=st.floats(0, 50, allow_nan=False))


def need(ukraine, asylum, housed, waiting) -> Need:
    return Need(
        scenario="p",
        periods=PERIODS,
        streams={"ukraine": ukraine, "asylum": asylum, "status_holders": waiting / 2.0},
        units={"ukraine": "places", "asylum": "places", "status_holders": "dwellings"},
        detail={"housed_regular_persons": housed, "waiting_list_persons": waiting},
    )


def compute(n: Need):
    res = residents(n)
    return res, services(res, PROFILES, SETTINGS, 1.5, 95_000.0).series


@hsettings(max_examples=40, deadline=None)
@given(level, level, flow, flow)
def test_no_negative_demand_and_age_groups_sum_to_the_streams_persons(u, a, housed, grow):
    waiting = np.cumsum(grow, axis=1)
    res, series = compute(need(u, a, housed, waiting))
    for values in series.values():
        assert (values >= -1e-9).all()
    for stream in STREAMS:
        groups = by_age(res.persons[stream], PROFILES[stream])
        np.testing.assert_allclose(sum(groups.values()), res.persons[stream], rtol=1e-9, atol=1e-9)


@hsettings(max_examples=40, deadline=None)
@given(level, level, flow, flow)
def test_persons_in_work_never_exceed_working_age(u, a, housed, grow):
    _, series = compute(need(u, a, housed, np.cumsum(grow, axis=1)))
    for stream in (*STREAMS, "all"):
        assert (
            series[(stream, "employed_persons")] <= series[(stream, "working_age_persons")] + 1e-9
        ).all()


@hsettings(max_examples=40, deadline=None)
@given(level, level, flow, flow, st.floats(1.0, 3.0))
def test_services_are_monotone_in_need(u, a, housed, grow, factor):
    waiting = np.cumsum(grow, axis=1)
    _, low = compute(need(u, a, housed, waiting))
    _, high = compute(need(u * factor, a * factor, housed * factor, waiting * factor))
    for key, values in low.items():
        assert (high[key] >= values - 1e-6).all(), key
    for service in ("primary_pupils", "secondary_pupils", "gp_registrations", "in_progress"):
        stream = "status_holders" if service == "in_progress" else "all"
        assert (high[(stream, service)] >= low[(stream, service)] - 1e-6).all()
