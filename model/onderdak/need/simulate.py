"""One scenario simulated: the national drivers' ensemble and the municipality's need on it."""

from __future__ import annotations

from dataclasses import dataclass

from onderdak.case.settings import Case
from onderdak.core.ensemble import Ensemble, Need
from onderdak.inflow.drivers import simulate_inflow
from onderdak.need.demand import municipal_need


@dataclass
class ScenarioRun:
    """One scenario of a case carried through the pipeline."""

    case: Case
    ensemble: Ensemble
    need: Need

    @property
    def scenario(self) -> str:
        return self.case.scenario


def simulate(case: Case, paths: int | None = None, seed: int | None = None) -> ScenarioRun:
    """Inflow and municipal need of one resolved case."""
    ensemble = simulate_inflow(case, paths=paths, seed=seed)
    return ScenarioRun(case=case, ensemble=ensemble, need=municipal_need(case, ensemble))
