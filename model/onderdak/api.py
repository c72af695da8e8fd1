"""The public API: ``onderdak.run(case, ...)`` gives a :class:`Run` that computes and reports.

    import onderdak
    run = onderdak.run("data/cases/demo/case.yaml", paths=2000, seed=None)
    run.need["basis"], run.portfolio(), run.plan(), run.business_case("L08")
    run.report("advice")                     # HTML, PDF, deck and workbook in reports/<case>/

The computing half is :class:`onderdak.pipeline.run.CaseRun`; this module sits above the
reporting layer and adds :meth:`Run.report`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from onderdak.core.errors import InputError
from onderdak.pipeline.run import CaseRun
from onderdak.reporting.runner import RunResult, run_report


class Run(CaseRun):
    """A case run (:class:`onderdak.pipeline.run.CaseRun`) that can also write its reports."""

    def report(
        self,
        notebook: str = "advice",
        out: str | Path | None = None,
        scenario: str | None = None,
        formats: Sequence[str] | None = None,
        **parameters: Any,
    ) -> RunResult:
        """Run a report notebook on this run's case, paths and seed, into its own run folder.

        The report runs in its own kernel (so its folder holds everything to reproduce it: the
        executed notebook and its manifest) and computes its figures there. ``parameters`` are the
        notebook's (e.g. ``language="en"``); ``out`` the report root (default
        ``reports/<case name>``).
        """
        if self.overrides:
            raise InputError(
                "report: overrides are not part of a case file, so a report could not be rerun "
                f"from its manifest; write {', '.join(self.overrides)} into the case file"
            )
        given = {"paths": self.paths, "seed": self.seed}
        values = {k: v for k, v in given.items() if v is not None} | parameters
        if scenario is None and len(self.scenarios) == 1:
            scenario = self.scenarios[0]
        return run_report(
            self.case_path,
            notebook,
            values,
            out=out,
            scenario=scenario,
            formats=formats,
            from_text=False,
        )


def run(
    case: str | Path,
    scenarios: Sequence[str] | None = None,
    paths: int | None = None,
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Run:
    """A run of a case file: its scenarios (None: all), paths and seed (None: the case's), and
    ``overrides`` of case fields (``{"municipality.population_persons": 47000}``)."""
    return Run(case, scenarios=scenarios, paths=paths, seed=seed, overrides=overrides)
