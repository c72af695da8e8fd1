"""Keep the answers of a slow pure function for the life of the process, keyed by what it was given.

For analyses that do not depend on a case, such as the backtests on the national history, which
every report of every municipality shows the same: a batch worker's kept kernel
(:mod:`onderdak.reporting.reused_kernel`) computes them once, not once per municipality.

The key is the arguments as passed (defaults left out are the same every time) plus whatever else
the answer depends on (``depends``, e.g. the peildatum). Only plain values make a key: None, bools,
numbers, strings, tuples of them, and pandas Series and DataFrames by their content. A call with
anything else (a function, a mapping) is computed and not kept. Every call gets its own deep copy,
so a caller that changes its answer cannot change the next caller's.
"""

from __future__ import annotations

import copy
import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])
PLAIN = (type(None), bool, int, float, str, bytes)
SIZE = 8
"""Answers kept per function (the least recently used goes first)."""


class _NotPlain(Exception):
    pass


def _key_of(value: Any) -> Hashable:
    if isinstance(value, PLAIN):
        return (type(value).__name__, value)
    if isinstance(value, tuple):
        return ("tuple", tuple(_key_of(v) for v in value))
    if isinstance(value, pd.Series | pd.DataFrame):
        digest = hashlib.sha256(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        names = value.name if isinstance(value, pd.Series) else tuple(value.columns)
        digest.update(repr((type(value).__name__, names, str(value.index.dtype))).encode())
        return ("pandas", digest.hexdigest())
    raise _NotPlain


def kept(depends: Callable[[], Hashable] | None = None, size: int = SIZE) -> Callable[[F], F]:
    """Decorator: keep ``size`` answers of a pure function (see the module docstring).

    ``depends`` is called at every call; its value is part of the key (what the answer depends on
    besides the arguments).
    """

    def wrap(fn: F) -> F:
        answers: OrderedDict[Hashable, Any] = OrderedDict()

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                key = (
                    _key_of(args),
                    tuple((k, _key_of(v)) for k, v in sorted(kwargs.items())),
                    depends() if depends else None,
                )
            except _NotPlain:
                return fn(*args, **kwargs)
            if key in answers:
                answers.move_to_end(key)
            else:
                answers[key] = fn(*args, **kwargs)
                if len(answers) > size:
                    answers.popitem(last=False)
            return copy.deepcopy(answers[key])

        call.cache_clear = answers.clear  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return wrap
