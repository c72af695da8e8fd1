"""Business-case report: every figure is a Figure, tables have units in their headers, the narrative advises."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

import onderdak
from onderdak.reporting import business_case as rep
from onderdak.reporting import business_case_narrative as txt


@pytest.fixture(scope="module")
def bc(demo_case_path):
    return onderdak.run(demo_case_path, scenarios=["basis"], paths=60).business_case()


@pytest.mark.parametrize(
    "figure",
    [
        "npv_distributions",
        "cash_flow_chart",
        "reuse_timeline",
        "flexibility_figure",
        "tornado_figure",
    ],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_figures_are_figures(bc, figure, language):
    fig = getattr(rep, figure)(bc, language=language)
    assert isinstance(fig, Figure)
    plt.close(fig)


def test_tables(bc):
    alt = rep.alternatives_table(bc)
    assert len(alt) == len(bc.alternatives) and "(€ mln)" in alt.columns[1]
    assert alt["kans goedkoopst"].sum() == pytest.approx(1.0, abs=0.02)  # rounded to 2 decimals
    be = rep.break_even_table(bc)
    assert len(be) == len(bc.alternatives) - 2
    assert len(rep.assumptions_table(bc)) == len(bc.assumptions)


def test_narrative_has_an_advice_and_caveats(bc):
    text = txt.narrative(bc)
    assert "**Advies.**" in text and "**Kanttekeningen.**" in text and "fictieve" in text
    assert "Caveats" in txt.narrative(bc, "en")
    message, numbers = txt.headline(bc)
    assert message and len(numbers) == 4


def test_the_value_of_flexibility_is_explained_in_one_sentence_with_its_bound(bc):
    nl, en = txt.narrative(bc), txt.narrative(bc, "en")
    assert "De waarde van flexibiliteit is wat de beslisregel op dezelfde paden oplevert" in nl
    assert "nooit groter dan wat het pand zelf" in nl
    assert "The value of flexibility is what the decision rule gains over the fixed plan" in en
    assert (
        "noodoptie van de gemeente" in nl
    )  # L08 serves Ukrainians: the municipality bears a shortfall


def test_an_owned_building_is_kept_not_bought(demo_case_path):
    from onderdak.business_case.evaluate import run_business_case
    from onderdak.case.settings import load_case

    case = load_case(demo_case_path)
    bc = run_business_case(case, "L11", paths=40)  # planned flex units: bought (capex counted)
    assert "te kopen" in txt.narrative(bc)
    bc = run_business_case(
        case, "L01", paths=40
    )  # the municipality's own school building (existing)
    text = txt.narrative(bc)
    assert (
        "heeft **" in text
        and "gedane uitgave" in text
        and "sell_now" in [a.name for a in bc.alternatives]
    )
    assert rep.alternative_labels(bc, "nl")["sell_now"] == "Nu verkopen"
    assert rep.alternative_labels(bc, "en")["buy_rule"] == "Keep, reuse by decision rule"
    assert bc.results["buy_rule"].component_npv_eur["capex"].max() == 0
