"""The one language mechanism (onderdak.reporting.i18n): Babel formats numbers, money, percentages and
dates per locale; the message catalogs of both languages hold the same keys, each in its own
language, with no codes or machine words in the words around the facts."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checklist import text_problems
from onderdak.reporting import i18n

_FACTS = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


@pytest.fixture(autouse=True)
def _dutch_afterwards():
    yield
    i18n.set_language("nl")


def test_numbers_money_and_percentages_per_locale():
    assert i18n.number(12345.678, 1, "nl") == "12.345,7"
    assert i18n.number(12345.678, 1, "en") == "12,345.7"
    assert i18n.euro(-1234567, language="nl") == "−€\u00a01.234.567"
    assert i18n.euro(1234567, language="en") == "€1,234,567"
    assert i18n.millions(15_500_000, language="nl") == "€\u00a015,5\u00a0mln"
    assert i18n.millions(15_500_000, language="en") == "€15.5\u00a0million"
    assert i18n.percent(0.06, language="nl") == "6%"
    assert i18n.percent(float("nan")) == "–"


def test_dates_and_periods_per_locale():
    assert i18n.date(dt.date(2026, 12, 6), "nl") == "6 december 2026"
    assert i18n.date(dt.date(2026, 12, 6), "en") == "6 December 2026"
    assert i18n.period("2035-12", "nl") == "december 2035"
    assert i18n.period("2029Q3", "nl") == "3e kwartaal 2029"
    assert i18n.period("2029Q3", "en") == "Q3 2029"
    assert i18n.period(pd.Period("2027-03", freq="M"), "en") == "March 2027"
    assert i18n.period(pd.Period("2027Q2", freq="Q"), "nl") == "2e kwartaal 2027"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 3))
def test_a_number_reads_back_in_both_languages(x, decimals):
    """Independent check: strip the locale's grouping and decimal marks and the value comes back."""
    nl = i18n.number(x, decimals, "nl").replace(".", "").replace(",", ".")
    en = i18n.number(x, decimals, "en").replace(",", "")
    assert float(nl) == float(en)
    assert abs(float(en) - x) <= 0.5 * 10**-decimals + 1e-9 * abs(x)


def test_the_language_set_once_applies_to_every_formatter():
    i18n.set_language("en")
    assert i18n.current() == "en"
    assert i18n.number(1234.5, 1) == "1,234.5"
    i18n.set_language(None)
    assert i18n.number(1234.5, 1) == "1.234,5"


def test_both_catalogs_hold_the_same_keys():
    assert set(i18n.catalog("nl")) == set(i18n.catalog("en"))
    assert i18n.catalog("nl"), "the catalog is empty"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_message_is_in_its_own_language_without_codes(language):
    """The words of each message (its facts taken out) pass the reader's checklist."""
    failures = []
    for key, template in i18n.catalog(language).items():
        words = _FACTS.sub(" ", template)
        failures += [f"{key}: {p}" for p in text_problems(words, language)]
    assert not failures, "\n".join(failures)


def test_a_message_renders_its_facts_and_refuses_a_missing_one():
    nl = i18n.text("shortfall_chance", "nl", without=0.99, with_plan=0.06, stream="asylum")
    en = i18n.text("shortfall_chance", "en", without=0.99, with_plan=0.06, stream="asylum")
    assert "99% → 6%" in nl and "asielzoekers" in nl
    assert "99% → 6%" in en and "asylum seekers" in en
    with pytest.raises(Exception, match="with_plan"):
        i18n.text("shortfall_chance", "nl", without=0.99, stream="asylum")
    with pytest.raises(KeyError):
        i18n.text("no_such_message", "nl")


# -- why there is no plan: the optimiser's code and facts, not its English message -------------
_NO_PLAN = {
    "no_plan": {"levels": {"ukraine": 0.9, "asylum": 0.9}},
    "unreachable": {"levels": {"ukraine": 0.9}},
    "time_limit": {"seconds": 60.0, "levels": {"ukraine": 0.9}},
    "portfolio": {"levels": {"ukraine": 0.9, "asylum": 0.8}},
    "together": {"groups": ["budget", "wijk"], "levels": {"ukraine": 0.9}},
    "binding": {
        "groups": ["reliability", "budget", "wijk", "must_keep", "min_quality", "forbidden"],
        "levels": {"ukraine": 0.9, "asylum": 0.9},
        "reachable": {"ukraine": 0.5},
        "budget_eur": 1_000_000.0,
        "min_capex_eur": 4_250_000.0,
        "max_places_per_wijk": 150,
        "must_keep": ["L01"],
        "min_quality": 0.5,
        "excluded": ["L09"],
        "forbidden": ["L08"],
    },
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("code", list(_NO_PLAN))
def test_the_advice_says_why_there_is_no_plan_in_its_own_language(code, language):
    """The advice words an InfeasibleError's code and facts from the catalog (issue 15: the Dutch
    advice showed the optimiser's English message)."""
    from types import SimpleNamespace

    from onderdak.reporting.advice_text import no_plan

    advice = SimpleNamespace(plan_error=code, plan_error_facts=_NO_PLAN[code])
    words = no_plan(advice, language)
    assert not text_problems(words, language, ("L01", "L08", "L09")), (
        words,
        text_problems(words, language),
    )
    for english in ("no plan meets", "binding constraint", "capex", "solver", "must_keep"):
        assert english not in words, words
    assert language == "nl" or "wijk" not in words, words
    if code == "binding":
        assert (
            i18n.euro(4_250_000, 0, language) in words and i18n.percent(0.5, 0, language) in words
        )
        assert "L01" in words and "L08" in words and "L09" in words


def test_an_infeasible_plan_carries_its_code_and_facts(monkeypatch):
    """prepare_advice keeps the error's code and facts, not its English text."""
    from onderdak.core.errors import InfeasibleError
    from onderdak.reporting import advice as adv

    error = InfeasibleError(
        "no plan meets need at reliability 90%", "portfolio", {"levels": {"ukraine": 0.9}}
    )
    calls = []

    def refuse(*args, **kwargs):
        calls.append(1)
        raise error

    monkeypatch.setattr(adv, "CaseRun", lambda *a, **k: _FakeRun(refuse))
    advice = adv.prepare_advice("case.yaml", "basis", 10)
    assert calls and advice.plan is None
    assert (advice.plan_error, advice.plan_error_facts) == (
        "portfolio",
        {"levels": {"ukraine": 0.9}},
    )


class _FakeRun:
    """Just enough of onderdak.pipeline.run.CaseRun for prepare_advice to reach the plan."""

    def __init__(self, plan):
        from types import SimpleNamespace

        self.case = SimpleNamespace(
            optimise=SimpleNamespace(reliability_share=0.9),
            business_case=SimpleNamespace(location_id=None),
        )
        self.register = object()
        self.plan = plan

    def results(self, **kwargs):
        return None

    def scenario(self, name=None):
        from types import SimpleNamespace

        return SimpleNamespace(case=self.case, need=None)

    def portfolio(self, scenario=None):
        return None


CATALOGUED = (
    "backtest",
    "business_case",
    "business_case_narrative",
    "collect",
    "deck",
    "deck_figure_titles",
    "deck_text",
    "export",
    "maps",
    "mca_figures",
    "national",
    "plan",
    "plan_tables",
    "plan_text",
    "portfolio",
    "portfolio_text",
    "record_text",
    "region",
    "region_figures",
    "report_meta",
    "runner",
    "scenarios",
    "style",
    "thuis",
    "thuis_figures",
    "thuis_tables",
    "workbook",
    "workbook_tables",
    "workbook_values",
)
"""Reporting modules whose words all live in the message catalogs."""
TOPICS = {
    "deck_figure_titles": "deck",
    "deck_text": "deck",
    "plan_tables": "plan",
    "plan_text": "plan",
    "region_figures": "region",
    "report_meta": "export",
    "thuis_figures": "thuis",
    "thuis_tables": "thuis",
}
"""A catalogued module whose words share another module's topic file."""

_LANGUAGE_BRANCH = re.compile(
    r"""\blang(?:uage)?\s*[!=]=\s*["'](?:en|nl)["']|["'](?:en|nl)["']\s*:\s*\{"""
)


@pytest.mark.parametrize("module", CATALOGUED)
def test_a_catalogued_module_has_no_language_branches(module):
    """No ``if language == "en"`` and no per-language dict: the words come from the catalogs, so a
    third language or a changed sentence is an edit of the catalog only."""
    from pathlib import Path

    source = (Path(i18n.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    hits = [
        f"{module}.py:{source.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
        for m in _LANGUAGE_BRANCH.finditer(source)
    ]
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize("module", CATALOGUED)
def test_a_catalogued_module_has_its_topic_in_both_catalogs(module):
    for language in i18n.LANGUAGES:
        topic = TOPICS.get(module, module)
        assert (i18n.CATALOG_DIR / language / f"{topic}.yaml").is_file(), (module, language)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_code_that_has_words_has_its_message(language):
    """The codes the converted modules word (glossary, streams, map kinds, plan actions and money
    rows, criteria, deck words, notebook titles, sheets, code values) all render from the catalog."""
    from onderdak.portfolio.mca import CRITERIA
    from onderdak.reporting import deck_text, maps, plan, report_meta, workbook_tables
    from onderdak.reporting import workbook_values as wv
    from onderdak.reporting.mca_figures import criterion_label

    words = [i18n.label(k, language) for k in i18n.GLOSSARY]
    words += [i18n.stream_name(k, language) for k in i18n.STREAM_NAMES]
    words += [maps.kind_label(k, language) for k in maps.KIND_LABELS]
    words += [plan.action_word(k, language) for k in plan.ACTION_WORDS]
    words += [plan.money_row(k, language) for k in plan.MONEY_ROWS]
    words += [criterion_label(k, language) for k in CRITERIA]
    words += [report_meta.notebook_title(k, language) for k in report_meta.NOTEBOOK_TITLES]
    words += [str(w) for w in deck_text.words(language).values()]
    words += [workbook_tables.sheet_name(k, language) or "" for k in workbook_tables.SHEETS]
    words += [wv.code_word(v, c, language) for v, codes in wv._VOCABULARY.items() for c in codes]
    assert all(w and "_" not in w for w in words), [w for w in words if not w or "_" in w]
