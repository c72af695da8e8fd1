"""The public API: ``onderdak.run(...)`` simulates each scenario once and hands need and register down."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import onderdak
from onderdak.business_case.evaluate import run_business_case
from onderdak.core.errors import InputError
from onderdak.need import simulate as simulate_module
from onderdak.need.demand import population_share
from onderdak.pipeline import results as results_module
from onderdak.pipeline import run as run_module
from onderdak.pipeline.results import run_case
from onderdak.register import locations as locations_module

DEMO = "data/cases/demo/case.yaml"


@pytest.fixture
def counted(monkeypatch):
    """Counts of simulations per scenario and of register reads, wherever the run asks for them."""
    calls: Counter = Counter()
    simulate, load_register = simulate_module.simulate, locations_module.load_register

    def counting_simulate(case, *args, **kwargs):
        calls[case.scenario] += 1
        return simulate(case, *args, **kwargs)

    def counting_register(case):
        calls["register"] += 1
        return load_register(case)

    for module in (run_module, results_module):
        monkeypatch.setattr(module, "simulate", counting_simulate)
        monkeypatch.setattr(module, "load_register", counting_register)
    return calls


def test_each_scenario_is_simulated_once_and_the_register_read_once(counted, tiny_case):
    run = onderdak.run(tiny_case, scenarios=["basis", "hoog"], paths=40, seed=7)
    assert isinstance(run, onderdak.Run)
    run.portfolio("hoog")
    run.business_case()
    run.plan(levels=[], regret=False)
    results = run.results(money=False)
    assert set(run.need) == {"basis", "hoog"}
    run.portfolio()
    assert counted == Counter({"basis": 1, "hoog": 1, "register": 1})
    # the results reuse the run's simulations: the very same need arrays
    assert results.runs["basis"].need is run.scenario("basis").need
    assert run.results(money=False) is results  # kept, not computed again


def test_the_run_gives_the_same_figures_as_the_functions_it_replaces(tiny_case):
    run = onderdak.run(tiny_case, scenarios=["basis"], paths=40, seed=11)
    alone = run_case(tiny_case, ["basis"], paths=40, seed=11, money=False)
    pd.testing.assert_frame_equal(run.results(money=False).tables["need"], alone.tables["need"])
    bc = run.business_case("L08")
    direct = run_business_case(run.case, "L08", paths=40, seed=11)  # simulates on its own
    for name, table in bc.tables().items():
        pd.testing.assert_frame_equal(table, direct.tables()[name])


def test_none_means_the_case_value(tiny_case):
    run = onderdak.run(tiny_case, scenarios=["basis"])
    need = run.need["basis"]
    assert need.paths == run.case.paths == 60
    again = onderdak.run(tiny_case, scenarios=["basis"], seed=run.case.seed)
    np.testing.assert_array_equal(again.need["basis"].streams["asylum"], need.streams["asylum"])


def test_overrides_change_the_case_for_every_scenario(tiny_case):
    base = onderdak.run(tiny_case, paths=30, seed=3)
    population = base.case.municipality.population_persons
    bigger = onderdak.run(
        tiny_case,
        paths=30,
        seed=3,
        overrides={"municipality.population_persons": 2 * population},
    )
    assert all(c.municipality.population_persons == 2 * population for c in bigger.cases.values())
    # the national tasks are shared by population: twice the inhabitants, twice the share
    assert population_share(bigger.case) == pytest.approx(2 * population_share(base.case))
    assert (
        bigger.need["basis"].streams["status_holders"].mean()
        > base.need["basis"].streams["status_holders"].mean()
    )


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"municipality.no_such_field": 1}, "no_such_field"),
        ({"municipality.population_persons": -5}, "population_persons"),
        ({"scenarios.hoog": {}}, "scenarios.hoog"),
    ],
)
def test_a_wrong_override_is_refused_naming_the_field(tiny_case, overrides, field):
    with pytest.raises(InputError) as err:
        onderdak.run(tiny_case, overrides=overrides)
    assert field in str(err.value) + " ".join(err.value.problems)


def test_a_scenario_not_in_the_run_is_named(tiny_case):
    run = onderdak.run(tiny_case, scenarios=["basis"], paths=20)
    with pytest.raises(InputError, match="hoog"):
        run.portfolio("hoog")
    with pytest.raises(InputError, match="paths"):
        onderdak.run(tiny_case, paths=0)


def test_a_report_refuses_overrides_it_could_not_reproduce(tiny_case):
    run = onderdak.run(tiny_case, overrides={"municipality.population_persons": 50_000})
    with pytest.raises(InputError, match="population_persons"):
        run.report("scenarios")


def test_importing_the_package_loads_nothing_heavy():
    code = (
        "import sys, onderdak; heavy = {'pandas', 'matplotlib', 'scipy', 'geopandas'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
