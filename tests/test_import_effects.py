"""Importing Onderdak changes nothing in matplotlib (issue 16): a consultant's notebook keeps its
backend and its style; only a report's setup applies the house style."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import matplotlib
matplotlib.use("svg")
before = dict(matplotlib.rcParams)
import onderdak.plan.build, onderdak.pipeline.results, onderdak.reporting.advice, onderdak.reporting.style
import onderdak.reporting.portfolio, onderdak.reporting.plan, onderdak.reporting.maps
changed = sorted(k for k, v in matplotlib.rcParams.items() if before.get(k) != v)
print(matplotlib.get_backend(), changed)
"""


def test_importing_keeps_the_backend_and_the_style():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["svg", "[]"], out.stdout + out.stderr


def test_a_reports_setup_applies_the_house_style():
    import matplotlib

    from onderdak.reporting.collect import set_language

    with matplotlib.rc_context():
        matplotlib.rcParams["axes.spines.top"] = True
        set_language("nl")
        assert matplotlib.rcParams["axes.spines.top"] is False  # the house style
