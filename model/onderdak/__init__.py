"""Onderdak: scenario modelling and strategic real-estate advice for refugee reception.

The public API (:mod:`onderdak.api`)::

    import onderdak
    run = onderdak.run("data/cases/demo/case.yaml", paths=2000)   # None: the case's value
    run.need["basis"]          # municipal need per stream, month and path
    run.plan()                 # the recommended investment plan
    run.report("advice")       # the advice: HTML, PDF, deck and workbook

``import onderdak`` itself loads nothing heavy and changes nothing (no matplotlib backend, no
logging setup); ``onderdak.run`` and ``onderdak.Run`` load the model on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from onderdak.core.streams import STREAMS
from onderdak.core.version import __version__

if TYPE_CHECKING:
    from onderdak.api import Run, run

__all__ = ["STREAMS", "Run", "__version__", "run"]


def __getattr__(name: str) -> Any:  # PEP 562: the model loads when the API is first used
    if name in ("run", "Run"):
        from onderdak import api

        return getattr(api, name)
    raise AttributeError(f"module 'onderdak' has no attribute {name!r}")
