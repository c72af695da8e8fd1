"""The regional overview after ``onderdak batch --region``: the region as one case, run through the report runner.

:func:`run_overview` runs ``notebooks/region.ipynb`` on the batch's ``summary.csv`` into
``reports/<region name>/<run-id>/`` (with ``--out``: ``<out>/<region name>/``). It covers the
municipalities whose run succeeded and names the others. The runner needs a case file: the batch
writes ``region-case.yaml`` beside the summary (the region as one "municipality": its name, the
summed inhabitants, the first case's start and price year).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onderdak.core.errors import InputError
from onderdak.region.file import Region

if TYPE_CHECKING:
    from onderdak.cli.batch import JobResult

OVERVIEW_NOTEBOOK = "region"
REGION_CODE = "GM0000"
"""Placeholder CBS code of the region case (not a municipality; the case format asks for a code)."""
_REGION_TITLE = {
    "nl": "Opvang en huisvesting {} — {}",
    "en": "Reception and housing {} — {}",
}


def write_region_case(region: Region, results: Sequence[JobResult], folder: Path) -> Path:
    """``<folder>/region-case.yaml``: the region as the case the report runner asks for.

    Its municipality is the region (named by the region file's ``title``, else the first case's
    ``municipality.region``, else the region's name) with the summed inhabitants of the
    municipalities that ran; start, horizon, price year, seed and language come from the first.
    """
    import yaml

    from onderdak.case.settings import load_case

    cases = [load_case(r.job.case, r.job.scenario) for r in results if r.status == "ok"]
    if not cases:
        raise InputError(f"{region.file.name}: no municipality ran successfully")
    first = cases[0]
    shown = region.title or first.municipality.region or region.name
    language = region.language or first.language
    years = f"{first.periods[0].year}–{first.periods[-1].year}"
    data = {
        "name": region.name,
        "title": _REGION_TITLE.get(language, _REGION_TITLE["nl"]).format(years, shown),
        "fictional": any(c.fictional for c in cases),
        "language": language,
        "municipality": {
            "name": shown,
            "code": REGION_CODE,
            "population_persons": sum(c.municipality.population_persons for c in cases),
            "region": shown,
        },
        "start": first.start,
        "horizon_months": first.horizon_months,
        "price_year": first.price_year,
        "seed": first.seed,
    }
    path = folder / "region-case.yaml"
    header = (
        f"# Written by `onderdak batch --region {region.file}`: the region as one case, so that the\n"
        "# overview runs through the report runner like any report. Not a municipality.\n"
    )
    path.write_text(
        header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path


def run_overview(
    region: Region,
    results: Sequence[JobResult],
    folder: Path,
    out: str | Path | None = None,
    formats: Sequence[str] | None = None,
    no_pdf: bool = False,
) -> Any:
    """Run the regional overview on a finished batch; returns the runner's ``RunResult``.

    Parameters
    ----------
    region : Region
        From :func:`read_region`.
    results : Sequence[JobResult]
        The batch's results (failed runs are named as missing in the overview).
    folder : Path
        The batch folder holding ``summary.csv``.
    out : str or Path, optional
        Report root of the batch; the overview goes to ``<out or reports>/<region name>/``.
    formats : Sequence[str], optional
        Exports; default all (HTML, PDF, PPTX, XLSX).
    no_pdf : bool
        Leave out the PDF.

    Raises
    ------
    InputError
        No municipality ran successfully.
    OnderdakError
        The overview failed (its error notebook is kept in ``failed-<run-id>``).
    """
    from onderdak.reporting.runner import FORMATS, run_report

    case_file = write_region_case(region, results, folder)
    parameters: dict[str, Any] = {"region": str((folder / "summary.csv").resolve())}
    if region.title:
        parameters["region_name"] = region.title
    if region.language:
        parameters["language"] = region.language
    root = (Path(out) if out else Path("reports")) / region.name
    return run_report(
        case_file,
        OVERVIEW_NOTEBOOK,
        parameters,
        out=root,
        formats=FORMATS if formats is None else formats,
        no_pdf=no_pdf,
        from_text=False,
    )
