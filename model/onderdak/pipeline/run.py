"""One run of a case: each scenario simulated once, every later stage computed from it on demand.

:class:`CaseRun` is the public way into the model (``onderdak.run(...)`` returns one, with
``report`` added by :mod:`onderdak.api`)::

    run = onderdak.run("data/cases/demo/case.yaml", paths=2000)
    run.need["basis"]                  # Need: places and dwellings per stream, month and path
    run.portfolio()                    # the register against the need (the first scenario's)
    run.plan(reliability=0.9)          # the recommended investment plan
    run.business_case("L08")           # buying one building against its alternatives
    run.thuis()                        # school, GP, inburgering, work and staff (case `thuis:`)
    run.results()                      # every table of `onderdak run`, all scenarios

Every stage takes the simulated need and the register from the run, so a scenario is simulated
once and the register read once, whichever stages are asked for and in what order. ``None`` means
"the case's value" everywhere (paths, seed, reliability, budget). A stage's result is kept: asking
twice costs nothing; a stage with other arguments is computed again.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from onderdak.business_case.evaluate import BusinessCase, run_business_case
from onderdak.case.settings import Case, select_cases
from onderdak.core.ensemble import Need
from onderdak.core.errors import InputError
from onderdak.io import resources
from onderdak.need.simulate import ScenarioRun, simulate
from onderdak.pipeline.results import Results, run_case
from onderdak.plan.build import OptimiseResult, optimise_case
from onderdak.portfolio.analysis import PortfolioAnalysis, analyse_portfolio
from onderdak.register.locations import Register, load_register
from onderdak.thuis.result import Thuis, thuis_for_run


class CaseRun:
    """A case file's selected scenarios, simulated once each, and the stages computed from them.

    Parameters
    ----------
    case
        Case file (YAML), absolute or relative to the repository (the packaged demo in a wheel).
    scenarios
        Names of the case file's scenarios to run; None: all of them.
    paths, seed
        Monte-Carlo paths and seed; None: the case's.
    overrides
        Dotted case fields and their values, applied to every scenario after its own overrides,
        e.g. ``{"municipality.population_persons": 47000}``; validated like the file.
    """

    def __init__(
        self,
        case: str | Path,
        scenarios: Sequence[str] | None = None,
        paths: int | None = None,
        seed: int | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        if paths is not None and paths < 1:
            raise InputError(
                f"paths: {paths} is not a number of paths (1 or more; None: the case's)"
            )
        self.case_path = resources.locate(case)
        self.paths, self.seed = paths, seed
        self.overrides = dict(overrides or {})
        self.cases: dict[str, Case] = select_cases(self.case_path, scenarios, self.overrides)
        self._runs: dict[str, ScenarioRun] = {}
        self._kept: dict[tuple, Any] = {}
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({str(self.case_path)!r}, scenarios={self.scenarios}, paths={self.paths}, "
            f"seed={self.seed})"
        )

    @property
    def scenarios(self) -> list[str]:
        """The selected scenarios, in the case file's order."""
        return list(self.cases)

    @property
    def case(self) -> Case:
        """The first selected scenario's case (the base when it is selected)."""
        return self.cases[self.scenarios[0]]

    def _name(self, scenario: str | None) -> str:
        name = scenario or self.scenarios[0]
        if name not in self.cases:
            raise InputError(
                f"{self.case_path.name}: scenario {name!r} is not in this run; it has: "
                f"{', '.join(self.cases)}"
            )
        return name

    def scenario(self, scenario: str | None = None) -> ScenarioRun:
        """One scenario's case, national ensemble and municipal need (simulated on first use)."""
        name = self._name(scenario)
        with self._lock:
            if name not in self._runs:
                self._runs[name] = simulate(self.cases[name], paths=self.paths, seed=self.seed)
            return self._runs[name]

    @property
    def need(self) -> dict[str, Need]:
        """Scenario → municipal need per stream, month and path (every selected scenario)."""
        return {name: self.scenario(name).need for name in self.cases}

    @cached_property
    def register(self) -> Register | None:
        """The case's location register, read and checked once (None when the case names none)."""
        return load_register(self.case) if self.case.locations else None

    def _registered(self) -> Register:
        if self.register is None:
            raise InputError(
                f"{self.case_path.name}: the case names no location register (`locations:`); "
                "the portfolio, plan and business case need one"
            )
        return self.register

    def _keep(self, key: tuple, compute: Any) -> Any:
        with self._lock:
            if key not in self._kept:
                self._kept[key] = compute()
            return self._kept[key]

    def portfolio(self, scenario: str | None = None) -> PortfolioAnalysis:
        """The register's locations against one scenario's need: capacity, gap and money."""
        run = self.scenario(scenario)
        return self._keep(
            ("portfolio", run.scenario),
            lambda: analyse_portfolio(run.case, run.need, self._registered()),
        )

    def plan(
        self,
        scenario: str | None = None,
        reliability: float | None = None,
        budget_eur: float | None = None,
        levels: Sequence[float] | None = None,
        regret: bool = True,
        fallback: bool = True,
        language: str | None = None,
    ) -> OptimiseResult:
        """The recommended investment plan for one scenario (:func:`onderdak.plan.build.optimise_case`).

        ``reliability`` and ``budget_eur`` None: the case's (``math.inf``: no budget). ``levels``:
        the reliabilities of the cost–reliability trade-off (None: the default set). With
        ``fallback`` a reliability that cannot be reached gives the plan for the most that can.
        """
        run = self.scenario(scenario)
        key = ("plan", run.scenario, reliability, budget_eur, tuple(levels or ()), levels is None)
        key += (regret, fallback, language)
        return self._keep(
            key,
            lambda: optimise_case(
                run.case,
                run.need,
                self._registered(),
                reliability=reliability,
                budget_eur=budget_eur,
                levels=None if levels is None else list(levels),
                regret=regret,
                language=language,
                fallback=fallback,
            ),
        )

    def business_case(
        self, location_id: str | None = None, scenario: str | None = None
    ) -> BusinessCase:
        """Buying one building against its alternatives, on one scenario's need.

        ``location_id`` None: the case's ``business_case.location_id``.
        """
        run = self.scenario(scenario)
        location = location_id or run.case.business_case.location_id
        if not location:
            raise InputError(
                f"{self.case_path.name}: name the building: a location id, or "
                "`business_case.location_id` in the case file"
            )
        return self._keep(
            ("business_case", run.scenario, location),
            lambda: run_business_case(
                run.case,
                location,
                register=self._registered(),
                need=run.need,
                ensemble=run.ensemble,
            ),
        )

    def thuis(self, scenario: str | None = None) -> Thuis:
        """What one scenario's residents need beyond a bed (:func:`onderdak.thuis.result.thuis_for_run`).

        Uses the scenario's simulated need and the run's register (none: every resident counts as
        not at a location). Raises InputError when the case has no `thuis:` section.
        """
        run = self.scenario(scenario)
        settings = run.case.thuis
        if settings is None:
            raise InputError(
                f"{self.case_path.name}: the case has no `thuis:` section; add it to compute school "
                "places, GP registrations, inburgering, work and staff (README, 'Thuis')"
            )
        return self._keep(
            ("thuis", run.scenario),
            lambda: thuis_for_run(run.case, run.need, self.register, settings),
        )

    def results(
        self, money: bool = True, plans: bool = False, language: str | None = None
    ) -> Results:
        """Every result table of every selected scenario (what ``onderdak run`` writes).

        Scenarios already simulated are not simulated again; the others are, in parallel, and
        kept for the later stages.
        """

        def compute() -> Results:
            results = run_case(
                self.case_path,
                self.scenarios,
                self.paths,
                self.seed,
                money=money,
                plans=plans,
                language=language,
                cases=self.cases,
                simulated=dict(self._runs),
                register=self.__dict__.get("register"),
            )
            self._runs.update(results.runs)
            if results.register is not None:
                self.__dict__.setdefault("register", results.register)
            return results

        return self._keep(("results", money, plans, language), compute)
