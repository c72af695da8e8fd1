"""Run a report notebook for a case with papermill and export it into its own folder, atomically.

A run checks the parameters strictly, executes ``notebooks/<name>.ipynb`` on a kernel of this
Python (no kernel to install) into ``<root>/.partial-<run-id>/``, exports it (HTML, PDF, PPTX, XLSX, manifest) and renames
the folder to ``<root>/<run-id>/``; ``<root>/latest`` then points at it. A failed run is moved to
``<root>/failed-<run-id>/`` with its error notebook and ``error.txt``; the last good report is
never touched. ``<root>`` is ``reports/<case name>`` unless ``out`` is given.

Longer than 400 lines: one concept, a report run from parameters to its atomic folder (run_report and the steps it owns); the kernel and the notebook choice live in kernel and report_notebooks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from onderdak.case.settings import Case
from onderdak.core.errors import InputError, ReportError
from onderdak.core.version import __version__
from onderdak.pipeline.gate import check_case
from onderdak.reporting import collect, i18n
from onderdak.reporting.deck import check_template
from onderdak.reporting.export import cell_markdown, export_all
from onderdak.reporting.i18n import label
from onderdak.reporting.kernel import (
    KERNEL,
    KERNEL_LOG,
    check_kernel,
    environment,
    kernel_manager_class,
    quiet_papermill,
    stderr_to,
)
from onderdak.reporting.manifest import build_manifest, sha256_file, write_manifest
from onderdak.reporting.parameters import parameters_cell, read_parameters, validate
from onderdak.reporting.report_meta import ReportMeta, notebook_title
from onderdak.reporting.report_notebooks import (
    FORMATS,
    NOTEBOOKS,
    default_formats,
    read_template,
    resolve_notebook,
)
from onderdak.reporting.reused_kernel import START_ARGUMENTS, ReusedKernel
from onderdak.reporting.runfolder import (
    FAILED_PREFIX,
    claim_folder,
    latest_run,
    point_latest,
    remove_partial,
    utc_now,
)

RESERVED = {
    "case_path": "give the case as the CASE argument",
    "output_dir": "use --out for the report folder",
}
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class RunResult:
    """The outcome of one report run."""

    ok: bool
    run_id: str
    notebook: str
    case: str
    scenario: str | None
    folder: Path
    seconds: float
    outputs: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    pdf_pages: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        d = asdict(self)
        d["folder"] = str(self.folder)
        return d


def _inputs_digest(
    files: Sequence[Path], parameters: Mapping[str, Any], scenario: str | None
) -> str:
    digest = hashlib.sha256()
    for f in files:
        if f.is_file():
            digest.update(sha256_file(f).encode())
    digest.update(json.dumps([dict(parameters), scenario], sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _report_date(now: dt.datetime, language: str) -> str:
    """6 december 2026 (Dutch) or 6 December 2026 (English)."""
    return i18n.date(now.date(), language)


def _first_heading(nb: nbformat.NotebookNode) -> str | None:
    for cell in nb.cells:
        m = re.search(r"^#\s+(.+?)\s*#*\s*$", cell_markdown(cell), re.M)
        if m:
            return m.group(1).strip()
    return None


def describe_cell_error(
    exc: Any, template: nbformat.NotebookNode, name: str, injected: bool
) -> str:
    """Name the failing cell of the template (1-based, with its first line) and the exception."""
    index = exc.cell_index
    found = parameters_cell(template)
    if injected and found is not None and index > found[0]:
        index -= 1
    sources = [c.source for c in template.cells]
    if not (0 <= index < len(sources)) or sources[index] != exc.source:
        index = sources.index(exc.source) if exc.source in sources else index
    lines = [ln for ln in str(exc.source).splitlines() if ln.strip()]
    first = lines[0].strip() if lines else ""
    return f"{name}.ipynb failed in cell {index + 1} (`{first}`): {exc.ename}: {exc.evalue}"


def _fail(
    root: Path, tmp: Path, run_id: str, message: str, detail: str, result: RunResult
) -> ReportError:
    failed = root / f"{FAILED_PREFIX}{run_id}"
    with contextlib.suppress(OSError):
        (tmp / "error.txt").write_text(
            message + "\n\n" + _ANSI.sub("", detail) + "\n", encoding="utf-8"
        )
    try:
        os.replace(tmp, failed)
    except OSError:  # pragma: no cover
        failed = tmp
    result.ok, result.error, result.folder = False, message, failed
    previous = latest_run(root)
    kept = f"\nerror notebook kept in {failed}"
    if previous is not None:
        kept += f"; the last good report ({previous}) is untouched"
    error = ReportError(message + kept)
    error.result = result  # type: ignore[attr-defined]
    return error


def run_report(
    case_path: str | Path,
    notebook: str | Path | None = None,
    parameters: Mapping[str, Any] | None = None,
    *,
    out: str | Path | None = None,
    scenario: str | None = None,
    formats: Sequence[str] | None = None,
    kernel_name: str = KERNEL,
    timeout_s: int = 1800,
    from_text: bool = True,
    no_pdf: bool = False,
    pptx_template: str | Path | None = None,
    kernel: ReusedKernel | None = None,
) -> RunResult:
    """Execute a report notebook for a case and export it; see the module docstring for the folders.

    Parameters
    ----------
    case_path : str or Path
        The case YAML (injected as ``case_path`` when the notebook declares it).
    notebook : str or Path, optional
        A name in ``notebooks/`` or a path to an ``.ipynb``; default :func:`default_notebook`.
    parameters : Mapping[str, Any], optional
        Parameter values, checked strictly against the notebook's parameters cell.
    out : str or Path, optional
        Report root; default ``reports/<case name>``.
    scenario : str, optional
        Scenario of the case file (injected as ``scenario``; the notebook must declare it).
    formats : Sequence[str], optional
        Subset of ``html, pdf, pptx, xlsx``; default :func:`default_formats`.
    kernel_name : str
        Jupyter kernel to run with.
    timeout_s : int
        Time limit per cell in seconds.
    from_text : bool
        Whether ``parameters`` are command-line text (``-p name=value``) to be parsed.
    no_pdf : bool
        Leave the PDF out of whatever formats apply.
    pptx_template : str or Path, optional
        A municipality's PowerPoint template (.pptx/.potx) whose layouts the deck uses; checked
        before the notebook runs. Default: Onderdak's own (``model/onderdak/reporting/templates/deck.pptx``).
    kernel : ReusedKernel, optional
        Run on this kept kernel (a batch worker's, :mod:`onderdak.reporting.reused_kernel`)
        instead of starting one for this run; it must be of ``kernel_name``.

    Returns
    -------
    RunResult
        With ``ok=True``; a failure raises instead.

    Raises
    ------
    InputError
        Unknown or ill-typed parameters, an unknown notebook, scenario or format, a bad case.
    ReportError
        The notebook failed (the message names the cell) or an export failed; ``.result`` holds
        the :class:`RunResult` with the ``failed-`` folder.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    name, nb_path = resolve_notebook(notebook)
    template = read_template(nb_path)
    declared = read_parameters(template)
    values = validate(declared, parameters or {}, f"{name}.ipynb", from_text, RESERVED)
    if scenario is None and values.get("scenario"):
        scenario = str(values.pop("scenario"))  # -p scenario=S is --scenario S
    if scenario is not None and "scenario" not in declared:
        raise InputError(f"--scenario: {name}.ipynb has no `scenario` parameter")
    case = _gate(case_path, scenario, declared, values, register=name != "region")
    formats = tuple(default_formats(name) if formats is None else formats)
    formats = tuple(f for f in formats if not (no_pdf and f == "pdf"))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(
            f"unknown export format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    if pptx_template not in (None, ""):
        pptx_template = check_template(pptx_template).resolve()
    check_kernel(kernel_name)

    case_file = Path(case_path).resolve()
    register = case.path(case.locations) if case.locations else None
    injected = dict(values)
    if "case_path" in declared:
        injected["case_path"] = str(case_file)
    if scenario is not None:
        injected["scenario"] = scenario
    language = str(values.get("language") or case.language)
    root = Path(out) if out else Path("reports") / case.name
    digest = _inputs_digest(
        [case_file, nb_path] + ([register] if register else []), values, scenario
    )
    remove_partial(root)  # left by runs that were killed more than a day ago
    run_id, tmp = claim_folder(root, name, scenario, digest)
    if "output_dir" in declared:
        injected["output_dir"] = str(tmp.resolve())
    now = utc_now()
    result = RunResult(False, run_id, name, case.name, scenario, tmp, 0.0)
    timings: dict[str, float] = {}
    executed_path = tmp / f"{name}.ipynb"

    t = time.perf_counter()
    env = {
        collect.ENV_OUTPUT_DIR: str(tmp.resolve()),
        collect.ENV_LANGUAGE: language,
        "ONDERDAK_RUN_ID": run_id,
    }
    if kernel is not None and kernel.kernel_name != kernel_name:
        raise ValueError(f"kernel {kernel.kernel_name!r} given for a run on {kernel_name!r}")
    ran = False
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(quiet_papermill())
            if kernel is None:  # a kernel of its own, started with the run's environment
                stack.enter_context(environment(env))
                stack.enter_context(stderr_to(tmp / KERNEL_LOG))
                reuse: dict[str, Any] = {}
            else:  # the kept kernel, reset for this run (its standard error has its own log)
                reuse = {"km": kernel.manager(nb_path.parent, env)}
                stack.callback(lambda: ran or kernel.copy_log(tmp / KERNEL_LOG))
            pm.execute_notebook(
                str(nb_path),
                str(executed_path.resolve()),  # papermill changes the working directory
                parameters=injected,
                kernel_name=kernel_name,
                kernel_manager_class=kernel_manager_class(kernel_name),
                progress_bar=False,
                log_output=False,
                cwd=str(nb_path.parent),
                execution_timeout=timeout_s,
                start_timeout=120,
                extra_arguments=START_ARGUMENTS,
                **reuse,
            )
            ran = True
    except PapermillExecutionError as exc:
        message = describe_cell_error(exc, template, name, bool(injected))
        error = _fail(root, tmp, run_id, message, "\n".join(exc.traceback), result)
        if exc.ename == "InputError":  # the notebook found the input invalid: exit 2
            invalid = InputError(str(error))
            invalid.result = result  # type: ignore[attr-defined]
            raise invalid from None
        raise error from None
    except KeyboardInterrupt:
        _fail(root, tmp, run_id, f"{name}.ipynb: interrupted", "", result)
        raise  # the command line exits 130
    except Exception as exc:  # kernel died, timed out, could not start
        message = f"{name}.ipynb could not be executed: {type(exc).__name__}: {exc}"
        raise _fail(root, tmp, run_id, message, repr(exc), result) from None
    finally:
        if kernel is not None:
            kernel.release(ok=ran)  # a failed run ends the kernel
    timings["execute_s"] = time.perf_counter() - t
    (tmp / KERNEL_LOG).unlink(missing_ok=True)  # a good run: the kernel's warnings are noise

    executed = nbformat.read(str(executed_path), 4)
    meta = ReportMeta(
        title=_first_heading(executed) or notebook_title(name, language),
        subtitle=case.title or "",
        municipality=case.municipality.name,
        scenario=_scenario_label(case, language),
        date=_report_date(now, language),
        run_id=content_id(run_id),
        version=__version__,
        language=language,
        fictional=case.fictional,
        notebook=name,
        peildatum=str(case.peildatum or ""),
        pptx_template=str(pptx_template or ""),
    )
    try:
        result.pdf_pages = export_all(executed, tmp, name, meta, formats, timings, result.outputs)
    except Exception as exc:
        needed = set(formats) | ({"html"} if "pdf" in formats else set())
        asked = [f for f in ("html", "pdf", "xlsx", "pptx") if f in needed]
        step = next((f for f in asked if f"{f}_s" not in timings), "export")
        message = f"{name}.ipynb ran, but the {step} export failed: {type(exc).__name__}: {exc}"
        raise _fail(root, tmp, run_id, message, repr(exc), result) from None

    timings["total_s"] = time.perf_counter() - started
    manifest = build_manifest(
        run_id=run_id,
        notebook=name,
        notebook_file=nb_path,
        case_file=case_file,
        scenario=scenario,
        register=register,
        parameters={k: v for k, v in injected.items() if k != "output_dir"},
        effective=_effective(declared, injected, case),
        rerun={
            "case": str(case_file),
            "notebook": str(nb_path) if name not in NOTEBOOKS else name,
            "parameters": {k: v for k, v in values.items() if k not in ("output_dir", "case_path")},
            "scenario": scenario,
            "formats": list(formats),
            "pptx_template": str(pptx_template) if pptx_template else None,
        },
        seed=case.seed if values.get("seed") is None else values["seed"],
        peildatum=case.peildatum,
        timings_s=timings,
        started_utc=now.isoformat(),
        finished_utc=utc_now().isoformat(),
        kernel_name=kernel_name,
        folder=tmp,
        meta=meta.as_dict(),
    )
    write_manifest(tmp, manifest)
    result.outputs["manifest"] = "manifest.json"
    final = root / run_id
    os.replace(tmp, final)
    point_latest(root, run_id)
    result.ok, result.folder = True, final
    result.seconds = time.perf_counter() - started
    return result


def content_id(run_id: str) -> str:
    """What a report shows as its run: the run id without its time stamp and random suffix
    (``advice-hoog-1a2b3c``: notebook, scenario, inputs' hash), so the same inputs give the same
    report bytes; the folder and the manifest keep the full id."""
    parts = run_id.split("-")
    return "-".join(parts[1:-1]) if len(parts) > 2 else run_id


def _effective(
    declared: Mapping[str, Any], injected: Mapping[str, Any], case: Any
) -> dict[str, Any]:
    """Every parameter as the notebook used it: its defaults, what was given, and paths and seed
    None resolved to the case's (what the run computed with)."""
    out = {k: p.default for k, p in declared.items() if k != "output_dir"}
    out.update({k: v for k, v in injected.items() if k != "output_dir"})
    for key in ("paths", "seed"):
        if key in out and out[key] is None:
            out[key] = getattr(case, key)
    return out


def _gate(
    case_path: str | Path,
    scenario: str | None,
    declared: Mapping[str, Any],
    values: dict[str, Any],
    register: bool = True,
) -> Any:
    """The case of a report, through the same input gate as ``onderdak run`` (:mod:`onderdak.pipeline.gate`).

    ``-p language`` must be a report language; ``-p paths`` and ``-p seed`` must be what the case
    file may hold (``none``, the notebooks' default, is the case's own).
    """
    from typing import get_args

    if "language" in values:
        languages = get_args(Case.model_fields["language"].annotation)
        if values["language"] not in languages:
            raise InputError(
                f"-p language={values['language']}: the report languages are {', '.join(languages)}"
            )
    run = {key: values.get(key) for key in ("paths", "seed")}
    try:
        checked = check_case(
            case_path,
            [scenario] if scenario else None,
            run["paths"],
            run["seed"],
            flag="-p ",
            register=register,
        )
    except InputError as exc:  # say `-p paths=5` the way the user typed it
        text = str(exc).replace("-p paths ", "-p paths=").replace("-p seed ", "-p seed=")
        raise InputError(text) from None
    return checked.base


def _scenario_label(case: Any, language: str) -> str:
    national = label(case.inflow.national_scenario, language)
    own = label(case.scenario, language)
    if own == national:
        return own

    return i18n.text("runner.scenario_label", language, own=own, national=national)
