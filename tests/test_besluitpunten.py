"""The besluitpunten and the plan-level alternatives of the advice, on their facts (fast): words
from the message catalogs only, every location of the plan with its target groups, places, form and
dates, 'nu al' for a shortfall that is there already, the candidates each alternative leaves out."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from onderdak.reporting.i18n import text

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "module",
    [
        "besluitpunten.py",
        "advice.py",
        "advice_facts.py",
        "advice_summary.py",
        "advice_text.py",
        "voorstel.py",
        "voorstel_alternatives.py",
        "voorstel_tables.py",
        "voorstel_facts.py",
        "key_assumptions.py",
        "signposts.py",
    ],
)
def test_the_advice_modules_hold_no_language_branches(module):
    """Facts in, words from the catalog: no `if language == "en"` (or a Dutch/English pair)."""
    source = (ROOT / "model" / "onderdak" / "reporting" / module).read_text(encoding="utf-8")
    assert not re.search(r"""==\s*["']en["']|["']en["']\s*==|\ben = language""", source), module


def _decision(**over):
    d = {
        "name": "Hotel De Poort",
        "streams": ["ukraine", "asylum"],
        "places": 40.0,
        "form": "lease",
        "quarter": "2027Q1",
        "decide": pd.Period("2026-11", freq="M"),
        "overdue": True,
    }
    return {**d, **over}


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Hotel De Poort", "Oekraïners en asielzoekers", "40 plaatsen", "huur",
                "1e kwartaal 2027", "november 2026", "al nodig"]),
        ("en", ["Hotel De Poort", "Ukrainians and asylum seekers", "40 places", "lease",
                "Q1 2027", "November 2026", "due already"]),
    ],
)  # fmt: skip
def test_a_location_of_besluitpunt_2_names_groups_places_form_and_dates(language, words):
    for listed in (False, True):
        line = text("besluit.location", language, d=_decision(), listed=listed)
        for w in words:
            assert w in line, (listed, w, line)
    item = text("besluit.plan.item", language, letter="b", d=_decision(form="extend"), last=True)
    assert item.startswith("b) Hotel De Poort: ") and item.endswith(".")
    assert ("verlenging" if language == "nl" else "extension") in item


def test_besluitpunt_2_lists_two_locations_inline():
    one, two = _decision(), _decision(name="AZC Ruwaard", form="extend", overdue=False)
    line = text("besluit.plan", "nl", opened=[one, two], listed=False)
    assert line.startswith("Het college stemt in met het aanbevolen plan en opent Hotel De Poort (")
    assert ") en AZC Ruwaard (" in line and "verlenging" in line and line.endswith(".")


@pytest.mark.parametrize(
    ("language", "now", "start"), [("nl", "nu al", "vanaf"), ("en", "already now", "from")]
)
def test_a_shortfall_there_already_is_now_not_the_peildatum_month(language, now, start):
    facts = {"stream": "ukraine", "without": 0.99, "with_plan": 0.15, "start": "2026-12"}
    there = text("advice.key.stream", language, now=True, **facts)
    assert now in there and "2026" not in there
    later = text("advice.key.stream", language, now=False, **facts)
    assert start in later and "2026" in later and now not in later


def test_extensions_are_candidates_at_a_current_location():
    from onderdak.reporting.voorstel_facts import extensions

    table = pd.DataFrame(
        {
            "status": ["existing", "candidate", "candidate", "candidate"],
            "address": ["Ruwaardseweg 8", "Ruwaardseweg 8", "Markt 1", ""],
            "x": [1.0, 1.0, 2.0, 3.0],
            "y": [1.0, 1.0, 2.0, 3.0],
        },
        index=["L05", "L17", "L20", "L21"],
    )
    assert extensions(table) == {"L17"}
    table.loc["L21", ["x", "y"]] = [1.0, 1.0]  # the same spot, no address
    assert extensions(table) == {"L17", "L21"}


def test_the_plan_alternatives_leave_out_purchases_or_all_but_the_extensions(demo_case_path):
    from onderdak.case.settings import load_case
    from onderdak.register.locations import load_register
    from onderdak.reporting.advice import _alternative_candidates

    table = load_register(load_case(demo_case_path)).table
    alt = _alternative_candidates(table)
    candidates = set(table.index[table["status"] == "candidate"])
    kinds = table["kind"]
    assert alt["no_purchases"] == {
        i for i in candidates if kinds[i] in ("purchase", "office_conversion", "flex_units")
    }
    assert alt["extend_only"] == candidates - {"L17"}  # the AZC Ruwaard after 2030
    assert _alternative_candidates(table[table["status"] != "candidate"]) == {}
