"""One kernel kept for many report runs in one process: a batch worker pays the kernel's start and
the package's imports once, not at every run.

Between runs the kernel is brought back to the state a fresh kernel gives a notebook
(:data:`RESET`): figures closed, the report collector's numbering cleared, the working folder and
the ``ONDERDAK_*`` environment set to the run's, and every variable deleted (``%reset -f``). What
stays is what makes it cheap and does not change a result: imported modules and their
caches of reference data. ``tests/test_reused_kernel.py`` checks that a report made on a kernel that
has run other cases first is the same, byte for byte, as one made on a fresh kernel.

A kernel is not trusted after a run that failed (the notebook raised, a cell timed out, the kernel
died): it is shut down, and the next run starts a new one. It is also renewed after
:data:`MAX_RUNS` runs, so that whatever a notebook leaves behind cannot pile up over a long batch.
Its standard error goes to one log for its lifetime (:attr:`ReusedKernel.log`); a failed run gets
a copy in its ``failed-`` folder.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from onderdak.core.errors import ReportError
from onderdak.reporting.kernel import KERNEL, kernel_manager_class, stderr_to

MAX_RUNS = 50
"""Runs on one kernel before it is replaced by a fresh one."""
ENV_PREFIX = "ONDERDAK_"
"""Environment variables carried into the kernel at every run (set, changed or removed)."""
START_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
"""A report kernel logs only errors and keeps no input history (a kept kernel counts its cells
from 1 at every run, which a history database would take for the same lines again)."""

RESET = """\
import os as _os, sys as _sys, json as _json
_os.chdir({cwd})
for _k in [_k for _k in _os.environ if _k.startswith({prefix}) and _k not in {names}]:
    del _os.environ[_k]
_os.environ.update(_json.loads({env}))
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
if "onderdak.reporting.collect" in _sys.modules:
    _sys.modules["onderdak.reporting.collect"].reset()
get_ipython().run_line_magic("reset", "-f")
get_ipython().execution_count = 1
"""
"""Run in the kernel before each report; ``%reset -f`` at the end deletes every variable, these
helpers' too, and the cells are counted from 1 again."""


def _tracking(base: type) -> type:
    """A kernel manager class that remembers the clients it hands out (nbclient leaves the
    client of a kernel it does not own connected; ``close_clients`` closes them after each run)."""

    class Tracking(base):  # type: ignore[misc, valid-type]
        def client(self, **kwargs: Any) -> Any:
            made = super().client(**kwargs)
            self.__dict__.setdefault("_onderdak_clients", []).append(made)
            return made

        def close_clients(self) -> None:
            for kc in self.__dict__.pop("_onderdak_clients", []):
                with contextlib.suppress(Exception):
                    kc.stop_channels()

    return Tracking


class ReusedKernel:
    """A Jupyter kernel for one process's report runs, one run at a time.

    Parameters
    ----------
    kernel_name : str
        The kernel (:data:`onderdak.reporting.kernel.KERNEL`: this interpreter).
    max_runs : int
        Runs before the kernel is replaced.
    """

    def __init__(self, kernel_name: str = KERNEL, max_runs: int = MAX_RUNS) -> None:
        self.kernel_name = kernel_name
        self.max_runs = max_runs
        self.km: Any = None
        self.runs = 0
        self.started = 0  # kernels started over this object's life (tests and benchmarks read it)
        self.log = Path(tempfile.gettempdir()) / (
            f"onderdak-kernel-{os.getpid()}-{secrets.token_hex(3)}.txt"
        )
        atexit.register(self.shutdown)

    @property
    def alive(self) -> bool:
        from jupyter_client.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def manager(self, cwd: str | Path, env: Mapping[str, str], timeout_s: int = 120) -> Any:
        """The kernel manager to hand to papermill (``km=``), reset for a run in ``cwd`` with
        ``env`` (plus this process's ``ONDERDAK_*`` variables); starts a kernel when there is none.

        Raises
        ------
        ReportError
            The kernel could not start or could not be reset.
        """
        from jupyter_client.utils import run_sync

        if not self.alive:
            self._start(cwd, timeout_s)
        names = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX)}
        names.update(env)
        code = RESET.format(
            cwd=repr(str(Path(cwd).resolve())),
            prefix=repr(ENV_PREFIX),
            names=repr(sorted(names)),
            env=repr(json.dumps(names)),
        )
        try:
            run_sync(self._execute)(code, timeout_s)
        except Exception as exc:
            self.shutdown()
            raise ReportError(f"the report kernel could not be reset: {exc}") from None
        return self.km

    def _start(self, cwd: str | Path, timeout_s: int) -> None:
        from jupyter_client.utils import run_sync

        self.shutdown()
        self.km = _tracking(kernel_manager_class(self.kernel_name))(kernel_name=self.kernel_name)
        try:
            with stderr_to(self.log):  # the kernel inherits file descriptor 2 for its lifetime
                run_sync(self.km.start_kernel)(
                    extra_arguments=START_ARGUMENTS, cwd=str(Path(cwd).resolve())
                )
        except Exception as exc:
            self.km = None
            raise ReportError(f"the report kernel could not start: {exc}") from None
        self.runs = 0
        self.started += 1

    async def _execute(self, code: str, timeout_s: int) -> None:
        kc = self.km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=timeout_s)
            reply = await kc.execute_interactive(
                code, silent=True, store_history=False, timeout=timeout_s
            )
        finally:
            kc.stop_channels()
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def release(self, ok: bool) -> None:
        """After a run: close its clients; a failed run (or the last of :attr:`max_runs`) ends
        the kernel, the next run starts a fresh one."""
        if self.km is None:
            return
        self.km.close_clients()
        self.runs += 1
        if not ok or self.runs >= self.max_runs:
            self.shutdown()

    def copy_log(self, target: Path) -> None:
        """The kernel's standard error so far, into ``target`` (a failed run's folder)."""
        with contextlib.suppress(OSError):
            shutil.copyfile(self.log, target)

    def shutdown(self) -> None:
        """Stop the kernel (now) and remove its log."""
        from jupyter_client.utils import run_sync

        km, self.km = self.km, None
        if km is not None:
            km.close_clients()
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)
        with contextlib.suppress(OSError):
            self.log.unlink()


_KEPT = threading.local()


def process_kernel(kernel_name: str = KERNEL) -> ReusedKernel:
    """This worker's kept kernel of that name, made on its first run: one per process and thread
    (a Dask worker with several threads runs one report per thread at a time)."""
    kept: dict[str, ReusedKernel] = _KEPT.__dict__.setdefault("kernels", {})
    if kernel_name not in kept:
        kept[kernel_name] = ReusedKernel(kernel_name)
    return kept[kernel_name]
