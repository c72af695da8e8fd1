"""core.memo.kept: answers kept by content, copies handed out, anything else computed each time."""

from __future__ import annotations

import pandas as pd
import pytest

from onderdak.core.memo import kept


def _counted(depends=None, size=8):
    calls: list = []

    @kept(depends=depends, size=size)
    def f(series=None, k=1, fn=None):
        calls.append(k)
        base = pd.Series([0.0]) if series is None else series
        return pd.DataFrame({"v": base * k})

    return f, calls


def test_the_same_content_is_computed_once_and_each_caller_gets_its_own_copy():
    f, calls = _counted()
    a = f(pd.Series([1.0, 2.0]), k=2)
    a.loc[0, "v"] = -99  # the caller changes its answer
    b = f(pd.Series([1.0, 2.0]), k=2)  # another object, the same content
    assert calls == [2] and b["v"].tolist() == [2.0, 4.0]


@pytest.mark.parametrize(
    "other",
    [
        {"series": pd.Series([1.0, 3.0])},  # other values
        {"series": pd.Series([1.0, 2.0], index=[5, 6])},  # other index
        {"series": pd.Series([1.0, 2.0], name="x")},  # other name
        {"series": pd.Series([1.0, 2.0]), "k": 3},
    ],
)
def test_other_arguments_are_computed_anew(other):
    f, calls = _counted()
    f(pd.Series([1.0, 2.0]), k=2)
    f(**{"k": 2, **other})
    assert len(calls) == 2


def test_a_function_argument_is_never_kept_and_what_it_depends_on_is_part_of_the_key():
    f, calls = _counted()
    f(fn=len), f(fn=len)
    assert len(calls) == 2
    month = ["2026-01"]
    g, g_calls = _counted(depends=lambda: month[0])
    g(), g()
    month[0] = "2026-02"
    g()
    assert len(g_calls) == 2


def test_only_the_last_answers_are_kept():
    f, calls = _counted(size=2)
    for k in (1, 2, 3, 1):
        f(k=k)
    assert calls == [1, 2, 3, 1]  # 1 was pushed out by 3
    f(k=3)
    assert calls == [1, 2, 3, 1]
