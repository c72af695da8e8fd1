"""Business case: a building worked out by hand over three years, properties of the alternatives, the demo end to end."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from onderdak.business_case.alternatives import (
    Alternative,
    BusinessCaseInputs,
    Evaluator,
    evaluate_alternatives,
    expected_npv,
    probability_cheapest,
)
from onderdak.business_case.evaluate import (
    TABLE_COLUMNS,
    business_case_tables,
    run_business_case,
    summary_table,
    write_business_case,
)
from onderdak.business_case.inputs import business_case_inputs
from onderdak.business_case.options import build_alternatives
from onderdak.case.settings import load_case
from onderdak.cli.main import main
from onderdak.core.ensemble import Need
from onderdak.core.errors import InputError
from onderdak.finance.cashflow import npv
from onderdak.finance.reuse import ReuseSpec
from onderdak.register.locations import load_register
from onderdak.reporting import kernel
from onderdak.reporting.notes_text import notes_text

ROOT = Path(__file__).resolve().parents[1]
PERIODS = pd.period_range("2026-01", periods=36, freq="M")  # 2026, 2027 (365 days), 2028 (366)


def _inputs(need: float | np.ndarray = 10.0, paths: int = 1, **kw) -> BusinessCaseInputs:
    arr = (
        np.full((paths, 36), need, dtype=float)
        if np.ndim(need) == 0
        else np.asarray(need, dtype=float)
    )
    base = dict(
        need_places=arr,
        periods=PERIODS,
        income_eur_per_place_day=np.full(36, 40.0),
        discount_rate_share=0.10,
        recourse_eur_per_place_day=100.0,
        target_places=10.0,
        recourse_reimbursed=True,  # the hand cases below count income on every place-day of need
    )
    return BusinessCaseInputs(**{**base, **kw})


BUILDING = Alternative(
    name="buy",
    label="building",
    kind="buy_convert",
    capacity_places=10.0,
    capex_eur=100_000.0,
    fixed_opex_eur_per_year=12_000.0,
    variable_opex_eur_per_place_day=5.0,
    residual_value_eur=50_000.0,
)


def test_one_building_three_years_by_hand():
    """10 places all three years, €40 income and €5 variable cost per place-day, 10% rate.

    year 0: −100,000 capex − 12,000 fixed − 5·10·365 + 40·10·365  =  15,750
    year 1:                − 12,000 fixed − 18,250   + 146,000    = 115,750
    year 2: − 12,000 − 5·10·366 + 40·10·366 + 50,000 residual      = 166,100
    NPV = 15,750 + 115,750 / 1.1 + 166,100 / 1.21 = 258,250
    """
    r = Evaluator(_inputs()).evaluate(BUILDING)
    np.testing.assert_allclose(r.net_eur[0], [15_750.0, 115_750.0, 166_100.0])
    assert r.npv_eur[0] == pytest.approx(258_250.0)
    assert r.served_place_days[0] == 10 * 1096 and r.recourse_place_days[0] == 0
    assert r.component_npv_eur["residual"][0] == pytest.approx(50_000 / 1.21)


def test_one_building_fixed_switch_to_sale_by_hand():
    """The same building sold from month 24: reception stops, the need goes to hotel places.

    year 2: −100 · 10 · 366 recourse + 40 · 10 · 366 income − 10,000 capex + 80,000 sale = −149,600
    NPV = 15,750 + 115,750 / 1.1 − 149,600 / 1.21 = −2,659.09…
    """
    sale = ReuseSpec("sale", capex_eur=10_000.0, lead_time_months=3, one_off_value_eur=80_000.0)
    alt = replace(BUILDING, plan="fixed", fixed_month=24, reuse=sale)
    r = Evaluator(_inputs()).evaluate(alt)
    np.testing.assert_allclose(r.net_eur[0], [15_750.0, 115_750.0, -149_600.0])
    assert r.npv_eur[0] == pytest.approx(15_750 + 115_750 / 1.1 - 149_600 / 1.21)
    assert r.end_month.tolist() == [24]


def test_lead_time_sends_the_first_months_to_recourse_by_hand():
    # opens in July 2026: January–June (181 days) at €100 in hotel places
    r = Evaluator(_inputs()).evaluate(replace(BUILDING, lead_time_months=6))
    year0 = -100_000 - 6_000 - 5 * 10 * 184 - 100 * 10 * 181 + 40 * 10 * 365
    assert r.net_eur[0, 0] == pytest.approx(year0)
    assert r.recourse_place_days[0] == 10 * 181


def test_a_term_ends_reception_and_the_rest_goes_to_recourse():
    lease = Alternative(
        "lease",
        "lease",
        "lease",
        10.0,
        fixed_opex_eur_per_year=12_000.0,
        term_months=12,
        end_cost_eur=1_000,
    )
    r = Evaluator(_inputs()).evaluate(lease)
    assert r.end_month.tolist() == [12]
    np.testing.assert_allclose(r.mean_flows_eur["fixed_opex"], [-12_000, 0, 0])
    np.testing.assert_allclose(r.mean_flows_eur["recourse"], [0, -365_000, -366_000])
    np.testing.assert_allclose(r.mean_flows_eur["end"], [0, -1_000, 0])


def test_hotel_costs_its_rate_per_place_day_and_capacity_limits_send_the_rest_to_recourse():
    hotel = Alternative("hotel", "hotel", "hotel", 10.0, variable_opex_eur_per_place_day=75.0)
    small = Alternative("small", "small", "custom", 4.0)
    res = evaluate_alternatives(_inputs(), [hotel, small])
    days = np.array([365.0, 365.0, 366.0])
    np.testing.assert_allclose(res["hotel"].net_eur[0], (40 - 75) * 10 * days)
    np.testing.assert_allclose(res["small"].net_eur[0], 40 * 10 * days - 100 * 6 * days)


def test_income_only_for_served_place_days_when_recourse_is_not_reimbursed():
    r = Evaluator(_inputs(recourse_reimbursed=False)).evaluate(
        replace(BUILDING, capacity_places=6.0)
    )
    np.testing.assert_allclose(
        r.mean_flows_eur["reimbursement"], 40 * 6 * np.array([365.0, 365.0, 366.0])
    )


def test_the_rule_switches_on_the_signal_not_on_the_need():
    need = np.full((1, 36), 10.0)
    signal = np.full((1, 36), -1.0)  # the rest of the portfolio holds all of it (as planned)
    inputs = _inputs(need, rule_signal_places=signal)
    r = Evaluator(inputs).evaluate(replace(BUILDING, plan="rule", rule_months=6))
    assert r.end_month.tolist() == [6]


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, (8, 36), elements=st.floats(0.0, 10.0)),
    st.sampled_from(
        ["capex_eur", "fixed_opex_eur_per_year", "variable_opex_eur_per_place_day", "end_cost_eur"]
    ),
    st.floats(min_value=1.0, max_value=1e5),
    st.sampled_from(["rule", "fixed", "none"]),
)
def test_npv_falls_as_costs_rise_on_every_path(need, field, extra, plan):
    inputs = _inputs(need, paths=8)
    alt = replace(BUILDING, plan=plan, fixed_month=12, term_months=24)
    dearer = replace(alt, **{field: getattr(alt, field) + extra})
    ev = Evaluator(inputs)
    base, more = ev.evaluate(alt).npv_eur, ev.evaluate(dearer).npv_eur
    assert np.all(more <= base + 1e-6)
    if field in ("capex_eur",):
        assert np.all(more < base)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (5, 36), elements=st.floats(0.0, 10.0)), st.floats(0.0, 0.15))
def test_expected_npv_at_another_rate_equals_a_re_evaluation(need, rate):
    r0 = Evaluator(_inputs(need, paths=5)).evaluate(BUILDING)
    r1 = Evaluator(_inputs(need, paths=5, discount_rate_share=rate)).evaluate(BUILDING)
    assert expected_npv(r0, rate) == pytest.approx(r1.npv_eur.mean(), rel=1e-9, abs=1e-6)


def test_probability_cheapest_sums_to_one_on_the_same_paths():
    rng = np.random.default_rng(1)
    inputs = _inputs(rng.uniform(0, 10, (200, 36)), paths=200)
    alts = [
        BUILDING,
        Alternative("hotel", "hotel", "hotel", 10.0, variable_opex_eur_per_place_day=75.0),
    ]
    p = probability_cheapest(evaluate_alternatives(inputs, alts))
    assert sum(p.values()) == pytest.approx(1.0)


def test_summary_table_columns_and_metrics():
    res = evaluate_alternatives(
        _inputs(), [BUILDING, replace(BUILDING, name="dear", capex_eur=200_000.0)]
    )
    t = summary_table(_inputs(), res).set_index(["alternative", "metric"])
    assert list(t.reset_index().columns) == TABLE_COLUMNS
    assert t.loc[("buy", "npv_eur"), "mean"] == pytest.approx(258_250.0)
    assert t.loc[("buy", "net_present_cost_eur"), "p50"] == pytest.approx(-258_250.0)
    # all net flows positive: no IRR; with −84,250 in year 0 it exists and zeroes the NPV
    assert (
        np.isnan(t.loc[("buy", "irr_share"), "mean"])
        and t.loc[("buy", "irr_exists_share"), "mean"] == 0
    )
    rate = t.loc[("dear", "irr_share"), "mean"]
    assert npv(res["dear"].net_eur[0], rate) == pytest.approx(0.0, abs=1e-6)
    assert t.loc[("buy", "probability_cheapest_share"), "mean"] == 1.0
    days = 10 * np.array([365.0, 365.0, 366.0])
    levelised = -(258_250.0 - npv(40 * days, 0.10)) / npv(days, 0.10)
    assert t.loc[("buy", "cost_per_place_day_eur"), "mean"] == pytest.approx(levelised)


def test_alternative_names_must_be_unique():
    with pytest.raises(ValueError, match="unique"):
        evaluate_alternatives(_inputs(), [BUILDING, BUILDING])


# -- the demo case end to end ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_business_case(demo_case_path):
    case = load_case(demo_case_path)
    return run_business_case(case, case.business_case.location_id, paths=200)


def test_demo_business_case_evaluates_every_alternative(demo_business_case):
    bc = demo_business_case
    names = [a.name for a in bc.alternatives]
    assert names[:3] == ["buy_rule", "buy_fixed", "hotel"]
    assert {"lease", "flex_units", "leegstandwet"} <= set(names)
    t = bc.table
    assert list(t.columns) == TABLE_COLUMNS
    cheapest = t[t.metric == "probability_cheapest_share"]["mean"]
    assert cheapest.sum() == pytest.approx(1.0)
    assert bc.flexibility.best_eur >= 0
    codes = {n.code for n in bc.assumptions}
    assert {"bc_need_beyond_scenario_goo", "bc_setting", "bc_discount_rate"} <= codes
    nl, en = notes_text(bc.assumptions, "nl"), notes_text(bc.assumptions, "en")
    assert any(t.startswith("Aanname") for t in nl) and any(t.startswith("Assumption") for t in en)
    assert {"purchase_price", "normbedrag", "occupancy", "discount_rate", "timing"} <= set(
        bc.tornado.parameter
    )


def test_demo_business_case_refuses_unknown_and_leased_locations(demo_case_path):
    case = load_case(demo_case_path)
    with pytest.raises(InputError, match="no location with id `NOPE`"):
        run_business_case(case, "NOPE", paths=20)
    with pytest.raises(InputError, match="kind `holiday_park`"):
        run_business_case(case, "L04", paths=20)


def test_cli_writes_the_two_tables_deterministically(demo_case_path, tmp_path, capsys):
    args = ["business-case", str(demo_case_path), "--location", "L08", "--paths", "50"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    for name in ("business_case.csv", "tornado.csv"):
        a, b = (tmp_path / d / name for d in ("a", "b"))
        assert a.read_bytes() == b.read_bytes()
    t = pd.read_csv(tmp_path / "a" / "business_case.csv")
    assert list(t.columns) == TABLE_COLUMNS
    assert (
        main(
            [
                "business-case",
                str(demo_case_path),
                "--location",
                "L99",
                "--out",
                str(tmp_path / "c"),
            ]
        )
        == 2
    )
    assert "no location with id `L99`" in capsys.readouterr().err


def test_write_business_case_replaces_the_tables(demo_business_case, tmp_path):
    write_business_case(demo_business_case, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["business_case.csv", "tornado.csv"]


@pytest.mark.slow
def test_notebook_runs_end_to_end(tmp_path):
    papermill = pytest.importorskip("papermill")
    notebook = ROOT / "notebooks" / "business_case.ipynb"
    out = tmp_path / "business_case.ipynb"
    papermill.execute_notebook(
        str(notebook),
        str(out),
        parameters={"paths": 100},
        kernel_name=kernel.KERNEL,  # this interpreter
        kernel_manager_class=kernel.kernel_manager_class(),
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
    )
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    assert not any(o.get("output_type") == "error" for c in cells for o in c.get("outputs", []))


def test_notebook_is_a_template_without_outputs_or_logic():
    nb = json.loads((ROOT / "notebooks" / "business_case.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert any("parameters" in c["metadata"].get("tags", []) for c in code)
    for c in code:
        assert not c.get("outputs") and c.get("execution_count") is None
        src = "".join(c["source"])
        assert not re.search(r"^\s*(def|class|for|while)\b", src, flags=re.MULTILINE), src


def test_tables_for_onderdak_run_have_a_scenario_column(demo_case_path):
    from onderdak.case.settings import select_cases
    from onderdak.need.simulate import simulate
    from onderdak.register.locations import load_register

    cases = select_cases(demo_case_path, ["basis", "hoog"])
    runs = {n: simulate(c, paths=30) for n, c in cases.items()}
    tables = business_case_tables(runs, load_register(cases["basis"]))
    assert set(tables) == {"business_case", "tornado"}
    assert list(tables["business_case"].columns) == ["scenario", *TABLE_COLUMNS]
    assert set(tables["tornado"]["scenario"]) == {"basis", "hoog"}


# -- one account per stream: who pays what -----------------------------------------------------------


def _zero_need(case) -> Need:
    months = len(case.periods)
    return Need(
        scenario="basis",
        periods=case.periods,
        streams={s: np.zeros((1, months)) for s in ("ukraine", "asylum", "status_holders")},
        units={"ukraine": "places", "asylum": "places", "status_holders": "dwellings"},
    )


@pytest.mark.parametrize(
    ("location", "stream", "coa_rent_eur_per_place_year"),
    [("L08", "ukraine", None), ("L18", "asylum", 2400.0), ("L10", "status_holders", None)],
)
def test_who_pays_what_per_stream_by_hand(
    demo_case_path, location, stream, coa_rent_eur_per_place_year
):
    """Need of 10 places, a building of 6 with €5 variable cost, one year (2026, 365 days), 4 places short.

    GOO (L08): income = normbedrag × 6 × 365; the municipality pays its emergency option for the 4
    places short: 249.32 × 4 × 365 = 364,007 (hotels are outside the normbedrag since 2025).
    Asylum (L18): income = COA rent 2,400 / 365.25 per place-day × 6 × 365; the 4 places short are the
    COA's: no municipal cost, 4 × 365 place-days short.
    Status holders (L10): no income, no municipal cost for the backlog (it waits in COA).
    """
    case = load_case(demo_case_path)
    register = load_register(case)
    inputs = business_case_inputs(case, register, location, _zero_need(case))
    hotel_rate = 91_000 / 365
    assert inputs.recourse_eur_per_place_day == pytest.approx(hotel_rate)
    assert inputs.recourse_reimbursed is False
    bears = stream == "ukraine"
    assert inputs.municipal_recourse_share == (1.0 if bears else 0.0)
    income = np.asarray(inputs.income_eur_per_place_day)[:12]
    if stream == "ukraine":
        np.testing.assert_allclose(income, 44.0)  # 2025's EUR 44 carried into 2026
    elif stream == "asylum":
        np.testing.assert_allclose(income, coa_rent_eur_per_place_year / 365.25)
    else:
        np.testing.assert_allclose(income, 0.0)
    names = [a.name for a in build_alternatives(case, register.table.loc[location], inputs)[0]]
    assert ("hotel" in names) == bears and ("no_places" in names) == (not bears)

    micro = BusinessCaseInputs(
        need_places=np.full((1, 12), 10.0),
        periods=pd.period_range("2026-01", periods=12, freq="M"),
        income_eur_per_place_day=income,
        discount_rate_share=0.0,
        recourse_eur_per_place_day=inputs.recourse_eur_per_place_day,
        target_places=10.0,
        municipal_recourse_share=inputs.municipal_recourse_share,
    )
    building = Alternative("b", "b", "custom", 6.0, variable_opex_eur_per_place_day=5.0)
    r = Evaluator(micro).evaluate(building)
    rate = float(income[0])
    expected_income = rate * 6 * 365
    expected_recourse = -hotel_rate * 4 * 365 if bears else 0.0
    assert r.component_npv_eur["reimbursement"][0] == pytest.approx(expected_income)
    assert r.component_npv_eur["recourse"][0] == pytest.approx(expected_recourse)
    assert r.npv_eur[0] == pytest.approx(expected_income - 5 * 6 * 365 + expected_recourse)
    assert r.recourse_place_days[0] == 4 * 365
    assert r.municipal_recourse_place_days[0] == (4 * 365 if bears else 0)


def test_a_shared_location_splits_income_and_shortfall_by_the_streams_need():
    """Half the need GOO, half asylum: half a place-day short is the municipality's, income the mean rate."""
    periods = pd.period_range("2026-01", periods=12, freq="M")
    inputs = BusinessCaseInputs(
        need_places=np.full((1, 12), 10.0),
        periods=periods,
        income_eur_per_place_day=np.full((1, 12), 0.5 * 44.0 + 0.5 * 6.0),
        discount_rate_share=0.0,
        recourse_eur_per_place_day=100.0,
        target_places=10.0,
        municipal_recourse_share=np.full((1, 12), 0.5),
    )
    r = Evaluator(inputs).evaluate(Alternative("b", "b", "custom", 6.0))
    assert r.component_npv_eur["recourse"][0] == pytest.approx(-100 * 0.5 * 4 * 365)
    assert r.component_npv_eur["reimbursement"][0] == pytest.approx(25.0 * 6 * 365)
    assert r.municipal_recourse_place_days[0] == pytest.approx(2 * 365)


# -- a building the municipality already owns; the bound on the value of flexibility ------------------


def _random_inputs(
    rng: np.random.Generator, paths: int = 30, months: int = 48
) -> BusinessCaseInputs:
    level = rng.uniform(0, 80, (paths, 1))
    need = np.clip(
        level
        + rng.normal(0, 20, (paths, months))
        - rng.uniform(0, 2, (paths, 1)) * np.arange(months),
        0,
        76,
    )
    return BusinessCaseInputs(
        need_places=need,
        periods=pd.period_range("2026-01", periods=months, freq="M"),
        income_eur_per_place_day=np.full(months, 44.0),
        discount_rate_share=float(rng.uniform(0.0, 0.06)),
        recourse_eur_per_place_day=float(rng.uniform(0, 400)),
        target_places=76.0,
        rule_signal_places=need - 20.0,
    )


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 2**31 - 1),
    st.floats(0.0, 5e6),
    st.floats(0.0, 5e6),
    st.sampled_from(["existing", "candidate"]),
)
def test_an_owned_building_is_not_bought_again(demo_case_path, seed, price_a, price_b, status):
    """Status existing: capex 0 and the NPV of keeping it does not move with its purchase price; a candidate pays it."""
    case = load_case(demo_case_path)
    row = load_register(case).table.loc["L08"].copy()
    row["status"] = status
    inputs = _random_inputs(np.random.default_rng(seed))
    npvs = []
    for price in (price_a, price_b):
        row["purchase_price_eur"] = price
        alts = {a.name: a for a in build_alternatives(case, row, inputs)[0]}
        ev = Evaluator(inputs)
        if status == "existing":
            assert alts["buy_rule"].capex_eur == 0 and alts["buy_fixed"].capex_eur == 0
            assert "sell_now" in alts and alts["hotel"].proceeds_eur > 0
            assert np.all(ev.evaluate(alts["buy_rule"]).component_npv_eur["capex"] == 0)
        else:
            assert alts["buy_rule"].capex_eur == pytest.approx(price + 420_000 + 120_000)
            assert "sell_now" not in alts and alts["hotel"].proceeds_eur == 0
        npvs.append(ev.evaluate(alts["buy_rule"]).npv_eur.mean())
    if status == "existing":
        assert npvs[0] == pytest.approx(npvs[1], rel=1e-12, abs=1e-6)
    else:
        assert npvs[0] - npvs[1] == pytest.approx(price_b - price_a, rel=1e-9, abs=1e-3)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 2**31 - 1),
    st.integers(0, 48),
    st.integers(1, 24),
    st.floats(0.0, 4e6),
    st.booleans(),
)
def test_the_value_of_flexibility_never_exceeds_what_the_building_costs(
    seed, fixed_month, n, capex, owned
):
    """Rule against fixed plan on the same paths: on every path within ± the building's cost over the horizon."""
    from onderdak.business_case.evaluate import building_cost_eur
    from onderdak.finance.reuse import flexibility_value

    rng = np.random.default_rng(seed)
    inputs = _random_inputs(rng)
    reuse = ReuseSpec("starter_homes", 1.9e6, 15, 192_000, 48_000, 0.0, 3.4e6, 20)
    common = dict(
        capacity_places=76.0,
        capex_eur=0.0 if owned else capex,
        lead_time_months=int(rng.integers(0, 12)),
        fixed_opex_eur_per_year=float(rng.uniform(0, 3e5)),
        variable_opex_eur_per_place_day=float(rng.uniform(0, 40)),
        residual_value_eur=2.3e6,
        rule_months=n,
        fixed_month=fixed_month,
        reuse=reuse,
    )
    rule = Alternative("buy_rule", "rule", "buy_convert", plan="rule", **common)
    fixed = Alternative("buy_fixed", "fixed", "buy_convert", plan="fixed", **common)
    ev = Evaluator(inputs)
    bound = building_cost_eur(ev, rule)
    assert np.all(bound >= -1e-6)
    if owned:  # the purchase is sunk: the bound is running costs only
        kept = ev.evaluate(replace(rule, plan="none", reuse=None))
        assert np.all(kept.component_npv_eur["capex"] == 0)
    f = flexibility_value(ev.evaluate(rule).npv_eur, ev.evaluate(fixed).npv_eur, bound_eur=bound)
    assert np.all(np.abs(f.per_path_eur) <= bound + 1e-6)
    assert f.mean_eur <= f.bound_eur + 1e-6 and f.best_eur <= f.bound_eur + 1e-6
    assert f.perfect_foresight_eur <= f.bound_eur + 1e-6
    raw = ev.evaluate(rule).npv_eur - ev.evaluate(fixed).npv_eur
    inside = np.abs(raw) <= bound
    np.testing.assert_allclose(
        f.per_path_eur[inside], raw[inside]
    )  # the bound changes nothing else


def test_demo_business_case_names_the_account_and_keeps_the_flexibility_bounded(demo_business_case):
    bc = demo_business_case
    f = bc.flexibility
    assert 0 <= f.best_eur <= f.bound_eur
    hotels = next(n for n in bc.assumptions if n.code == "bc_hotels_outside_normbedrag")
    assert hotels.facts == {"reimbursed": False}
    nl = notes_text(bc.assumptions, "nl")
    assert any("hotels, schepen en catering erbuiten" in t for t in nl)
    assert any("instroom en uitstroom" in t for t in nl)
    assert any("hotels, ships and catering" in t for t in notes_text(bc.assumptions, "en"))
    assert not bc.results["hotel"].alternative.earns_income
