"""Importing Onderdak changes nothing in matplotlib (issue 16): a consultant's notebook keeps its
backend and its style; only a report's setup applies the house style."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = """
import matplotlib
matplotlib.use("svg")
before = dict(matplotlib.rcParams)
import importlib, pkgutil, onderdak
for m in pkgutil.walk_packages(onderdak.__path__, "onderdak."):
    if not m.name.endswith("__main__"):
        importlib.import_module(m.name)
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


KERNEL_PROBE = """
import matplotlib
before = matplotlib.get_backend()
import importlib, pkgutil, onderdak
for m in pkgutil.walk_packages(onderdak.__path__, "onderdak."):
    if not m.name.endswith("__main__"):
        importlib.import_module(m.name)
print(before, "->", matplotlib.get_backend())
"""


@pytest.mark.slow
def test_in_a_jupyter_kernel_importing_every_module_keeps_the_inline_backend():
    """What a consultant sees in JupyterLab: the kernel's inline backend before and after."""
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.manager import KernelManager

    class ThisInterpreter(KernelManager):  # ipykernel on sys.executable, the kernel's own defaults
        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = self.kernel_spec_manager.kernel_spec_class(
                    resource_dir=RESOURCES, **get_kernel_dict()
                )
            return self._kernel_spec

    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    manager = ThisInterpreter(kernel_name="python3")
    manager.start_kernel(env=env)
    client = manager.client()
    printed: list[str] = []
    try:
        client.start_channels()
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(
            KERNEL_PROBE,
            timeout=180,
            output_hook=lambda msg: (
                printed.append(msg["content"].get("text", ""))
                if msg["msg_type"] == "stream"
                else None
            ),
        )
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok", reply["content"]
    before, arrow, after = "".join(printed).split()
    assert "inline" in before and after == before
