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

from model.alternatives import (
    Alternative,
    BusinessCaseInputs,
    Evaluator,
    evaluate_alternatives,
    expected_npv,
    probability_cheapest,
)
from model.business_case import (
    TABLE_COLUMNS,
    business_case_tables,
    run_business_case,
    summary_table,
    write_business_case,
)
from model.case import load_case
from model.cli import main
from model.errors import InputError
from model.finance import npv
from model.reuse import ReuseSpec

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
    assert any("AANNAME" in a for a in bc.assumptions)
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
        kernel_name="onderdak",
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
    from model.locations import load_register
    from model.results import select_cases, simulate

    cases = select_cases(demo_case_path, ["basis", "hoog"])
    runs = {n: simulate(c, paths=30) for n, c in cases.items()}
    tables = business_case_tables(runs, load_register(cases["basis"]))
    assert set(tables) == {"business_case", "tornado"}
    assert list(tables["business_case"].columns) == ["scenario", *TABLE_COLUMNS]
    assert set(tables["tornado"]["scenario"]) == {"basis", "hoog"}
