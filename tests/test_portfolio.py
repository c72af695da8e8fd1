"""Tests of the portfolio analysis (tables for `onderdak run`), its report functions and the notebook template."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from onderdak.case.settings import load_case
from onderdak.core.ensemble import Need
from onderdak.portfolio.analysis import analyse_portfolio, portfolio_tables
from onderdak.portfolio.ledger import COST_LINES
from onderdak.reporting import kernel, style
from onderdak.reporting import portfolio as rep
from onderdak.reporting.portfolio_text import headline, narrative

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "cases" / "demo" / "case.yaml"
NOTEBOOK = ROOT / "notebooks" / "portfolio.ipynb"


def synthetic_need(case, paths: int = 50, seed: int = 1) -> Need:
    rng = np.random.default_rng(seed)
    months = len(case.periods)
    trend = np.linspace(0, 1, months)
    streams = {
        "ukraine": 235 - 60 * trend + 25 * rng.standard_normal((paths, 1)) * (1 + trend),
        "asylum": np.full((paths, months), 260.0) + 60 * rng.standard_normal((paths, 1)) * trend,
        "status_holders": np.maximum(5 + 60 * trend * rng.lognormal(0, 0.4, (paths, 1)), 0),
    }
    return Need(
        case.scenario,
        case.periods,
        streams,
        {"ukraine": "places", "asylum": "places", "status_holders": "dwellings"},
    )


def test_portfolio_tables_of_the_demo_are_tidy_and_deterministic():
    case = load_case(DEMO)
    need = synthetic_need(case)
    tables = portfolio_tables(case, need)
    assert {
        "capacity",
        "gap",
        "gap_summary",
        "locations",
        "budget",
        "cost_comparison",
        "register_warnings",
    } <= set(tables)
    assert set(tables["gap"]["portfolio"]) == {"committed", "with_candidates"}
    assert len(tables["gap"]) == 2 * 3 * 120
    assert tables["budget"]["year"].min() == 2026 and tables["budget"]["year"].max() == 2035
    assert {"mean_eur", "p10_eur", "p50_eur", "p90_eur"} <= set(tables["budget"].columns)
    locs = tables["locations"]
    assert (locs.loc[locs["portfolio"] == "committed", "status"] != "candidate").all()
    assert (locs["occupancy_mean_share"].dropna() <= 1 + 1e-6).all()
    again = portfolio_tables(case, need)
    for name, frame in tables.items():
        assert frame.to_csv(index=False) == again[name].to_csv(index=False), name
    # candidates only add capacity: the shortfall can only fall
    g = tables["gap"].set_index(["portfolio", "stream", "period"])["shortfall_mean"]
    assert (g.loc["with_candidates"] <= g.loc["committed"] + 1e-6).all()


def test_cost_per_occupied_place_day_matches_an_independent_formula():
    case = load_case(DEMO)
    analysis = analyse_portfolio(case, synthetic_need(case, paths=20))
    run_ = analysis.runs["committed"]
    locs = analysis.tables["locations"].set_index(["portfolio", "location_id"]).loc["committed"]
    b, alloc = run_.budget, run_.allocation
    days = case.periods.days_in_month.to_numpy(dtype=float)
    occupied = alloc.occupied_total().astype(float)  # (paths, locations, months)
    place_days = (occupied * days).sum(axis=2).mean(axis=0)
    costs = sum(b.lines[k].sum(axis=2).mean(axis=0) for k in COST_LINES)
    expected = pd.Series(costs / place_days, index=list(run_.capacity.ids))
    np.testing.assert_allclose(
        locs["cost_eur_per_occupied_place_day"].loc[expected.index], expected, rtol=1e-5
    )


@pytest.fixture(scope="module")
def demo_analysis():
    case = load_case(DEMO)
    return analyse_portfolio(case, synthetic_need(case, paths=40))


@pytest.mark.parametrize(
    "figure",
    [
        rep.capacity_need_figure,
        rep.shortfall_strip_figure,
        rep.timeline_figure,
        rep.cost_figure,
        rep.budget_figure,
    ],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_figures_are_figures(demo_analysis, figure, language):
    import matplotlib.pyplot as plt

    fig = figure(demo_analysis, language=language)
    assert isinstance(fig, Figure) and fig.axes
    plt.close(fig)


def test_narrative_is_generated_from_the_numbers(demo_analysis):
    text, numbers = headline(demo_analysis)
    summary = demo_analysis.tables["gap_summary"].set_index(["portfolio", "stream"])
    first = summary.loc[("committed", "ukraine"), "first_month_risk_over_10pct"]
    assert text.startswith("Met de bestaande en geplande locaties")
    assert len(numbers) == 4 and all(isinstance(v, str) for v in numbers.values())
    story = narrative(demo_analysis)
    assert "**Oekraïners (GOO).**" in story and "normbedrag" in story
    if first:
        months = [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ]
        assert f"{months[int(first[5:]) - 1]} {first[:4]}" in story
    assert "Ukrainians" in narrative(demo_analysis, "en")
    assert "fictief" not in style.short_name("AZC Ruwaard (COA; fictief)")
    assert style.short_name("AZC Ruwaard (COA; fictief)") == "AZC Ruwaard (COA)"
    # a long name is broken between words over two lines, never cut mid-word ('aankoop en tr…')
    long = "Kantoorpand Stationsweg - aankoop en transformatie (fictief)"
    assert style.short_name(long, 34) == "Kantoorpand Stationsweg - aankoop\nen transformatie"


def test_report_tables(demo_analysis):
    overview = rep.gap_overview(demo_analysis)
    assert len(overview) == 6 and overview.columns[0] == "portefeuille"
    wide = rep.budget_overview(demo_analysis)
    assert "netto kosten" in wide.index and list(wide.columns)[0] == "2026"
    assert not rep.warnings_table(demo_analysis).empty
    assert any("normbedrag" in a for a in rep.assumptions(demo_analysis))


def test_notebook_is_a_template_without_outputs_or_logic():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1
    for line in "".join(params[0]["source"]).splitlines():
        assert re.match(r"^\w+: [\w |]+ = .+  # .+$", line), line
    for c in code:
        assert not c.get("outputs") and c.get("execution_count") is None
        src = "".join(c["source"])
        assert not re.search(r"^\s*(def|class|for|while)\b", src, flags=re.MULTILINE), src


@pytest.mark.slow
def test_notebook_runs_end_to_end(tmp_path):
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "portfolio.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"case_path": str(DEMO), "paths": 60, "output_dir": str(tmp_path / "run")},
        kernel_name=kernel.KERNEL,  # this interpreter
        kernel_manager_class=kernel.kernel_manager_class(),
        cwd=str(ROOT),
        progress_bar=False,
    )
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    assert not any(o.get("output_type") == "error" for c in cells for o in c.get("outputs", []))
    figures = {p.stem for p in (tmp_path / "run" / "figures").glob("*.png")}
    assert {
        "capacity_need",
        "shortfall_risk",
        "timeline",
        "cost_per_place_day",
        "budget",
    } <= figures


def test_a_register_of_candidates_only_leaves_the_committed_portfolio_empty(tmp_path):
    from onderdak.register.locations import read_register

    path = tmp_path / "reg.csv"
    path.write_text(
        "id,name,status,kind,streams,capacity_places\nA,Kandidaat (fictief),candidate,lease,ukraine,30\n"
    )
    case = load_case(DEMO)
    need = synthetic_need(case, paths=5)
    analysis = analyse_portfolio(case, need, read_register(path))
    committed = analysis.tables["gap"].query("portfolio == 'committed'")
    assert (committed["capacity"] == 0).all()
    np.testing.assert_allclose(committed["shortfall_mean"], committed["need_mean"], rtol=1e-6)
    assert (analysis.tables["locations"]["portfolio"] == "with_candidates").all()
    assert "per bezette plaatsdag" not in narrative(analysis)
    for figure in (
        rep.capacity_need_figure,
        rep.timeline_figure,
        rep.cost_figure,
        rep.budget_figure,
    ):
        assert isinstance(figure(analysis), Figure)
