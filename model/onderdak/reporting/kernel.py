"""The kernel a report notebook runs on: this interpreter by default (or a named Jupyter kernel,
checked), its environment, its standard error into a log, papermill's own logging kept quiet."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from onderdak.core.errors import ReportError

KERNEL = "python3"
"""The default kernel: this interpreter (``sys.executable``), whatever kernelspecs are installed."""


def check_kernel(kernel_name: str = KERNEL) -> None:
    """Raise a ReportError with the install command when a named Jupyter kernel is missing.

    :data:`KERNEL` is always there: it is this interpreter (:func:`kernel_manager_class`).
    """
    if kernel_name == KERNEL:
        return
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise ReportError(
            f"Jupyter kernel {kernel_name!r} is not installed; leave the kernel out to run on this "
            f"Python, or install it: `python -m ipykernel install --sys-prefix --name {kernel_name}`"
        ) from None


def kernel_manager_class(kernel_name: str = KERNEL) -> type:
    """The nbclient kernel manager for a kernel name: for :data:`KERNEL`, one that starts
    ipykernel on ``sys.executable`` (ipykernel's own kernel spec, as jupyter_client builds it for
    its native ``python3``), so a ``python3`` kernelspec of another Python cannot be picked up."""
    from jupyter_client.manager import AsyncKernelManager

    if kernel_name != KERNEL:
        return AsyncKernelManager

    class ThisInterpreter(AsyncKernelManager):
        @property
        def kernel_spec(self):  # a jupyter_client KernelSpec
            if self._kernel_spec is None:
                from ipykernel.kernelspec import RESOURCES, get_kernel_dict

                spec = get_kernel_dict()  # figures render off screen (the kernel's own default
                spec["env"] = {**spec.get("env", {}), "MPLBACKEND": "Agg"}  # would be inline)
                self._kernel_spec = self.kernel_spec_manager.kernel_spec_class(
                    resource_dir=RESOURCES, **spec
                )
            return self._kernel_spec

    return ThisInterpreter


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


KERNEL_LOG = "kernel-stderr.txt"
"""What the kernel wrote to standard error (kept in a failed run's folder, removed from a good one)."""


@contextlib.contextmanager
def stderr_to(path: Path) -> Iterator[None]:
    """Standard error (file descriptor 2, which the kernel inherits) into ``path`` while it runs.

    On Ctrl-C the kernel, in the same process group, prints a traceback of its own as the run
    tears down; it goes to this file instead of over the one line the command line prints.
    """
    import sys

    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real file descriptor 2 (embedded use)
        yield
        return
    try:
        with open(path, "wb") as log:
            os.dup2(log.fileno(), 2)
            try:
                yield
            finally:
                with contextlib.suppress(OSError, ValueError):
                    sys.stderr.flush()
                os.dup2(saved, 2)
    finally:
        os.close(saved)


@contextlib.contextmanager
def quiet_papermill() -> Iterator[None]:
    """Silence papermill's own logging (we check parameters ourselves and report errors)."""
    import logging

    log = logging.getLogger("papermill")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)
