"""The case file's optimiser settings: reliability, budget, constraints and the solver's limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from onderdak.case.fields import Share, Strict


class OptimiseSettings(Strict):
    """Portfolio optimisation (`onderdak optimise`): reliability, budget, spread, recourse."""

    reliability_share: Share = Field(
        default=0.9,
        description="Reliability of each stream: the share of paths the own portfolio keeps free of "
        "any shortfall (a month short by one place or more) from the first month new capacity can "
        "be in service to the end of the horizon (model/onderdak/need/shortfall.py). ASSUMPTION: a policy choice "
        "of the college.",
    )
    reliability_by_stream: dict[Literal["ukraine", "asylum", "status_holders"], Share] = Field(
        default={},
        description="Reliability per stream where it differs from reliability_share, e.g. "
        "{asylum: 0.8} (the Spreidingswet number is a legal task; GOO places a municipal choice).",
    )
    reliability_levels: list[Share] = Field(
        default=[0.5, 0.7, 0.8, 0.9, 0.95, 0.99],
        description="Reliability levels of the cost-reliability trade-off curve.",
    )
    capex_budget_eur: float | None = Field(
        default=None,
        ge=0,
        description="Cap on purchase + conversion + furnishing capex; null: none.",
    )
    max_places_per_wijk: int | None = Field(
        default=None, ge=0, description="Cap on places (all locations) in one wijk; null: none."
    )
    min_quality_score: float | None = Field(
        default=None, ge=1, le=5, description="New locations below this score are not opened."
    )
    must_keep: list[str] = Field(
        default=[], description="Location ids that must stay (existing) or must be opened (new)."
    )
    forbidden: list[str] = Field(
        default=[], description="Location ids that may not be used (existing ones close at once)."
    )
    streams: list[Literal["ukraine", "asylum", "status_holders"]] = Field(
        default=["ukraine", "asylum"],
        description="Streams whose need the plan must meet (each with its own capacity).",
    )
    reduced_scenarios: int = Field(
        default=30, ge=2, le=200, description="Scenarios after reduction (k-medoids, weighted)."
    )
    recourse: Literal["hotel", "emergency"] = Field(
        default="hotel",
        description="Costly recourse for what the portfolio lacks: hotel (sources.csv "
        "coa_hotel_place_cost_eur_per_place_year_2024: what a COA hotel place cost the Rijk in 2024, "
        "~EUR 91,000 per place-year = EUR 249 per place-day, low confidence) or emergency (sources.csv "
        "coa_cost_emergency_eur_per_place_year_2023, EUR 69,400 per place-year). Who pays for "
        "recourse is not settled here.",
    )
    recourse_cost_eur_per_place_month: float | None = Field(
        default=None,
        ge=0,
        description="Overrides the reference cost of the recourse; null: reference.",
    )
    recourse_limit_places: float | None = Field(
        default=None,
        ge=0,
        description="Recourse places available per stream; need beyond it is short (penalised). "
        "null: unlimited. ASSUMPTION.",
    )
    shortfall_penalty_eur_per_place_month: float = Field(
        default=10_000.0,
        ge=0,
        description="Penalty per place-month met by neither portfolio nor recourse. "
        "ASSUMPTION: a user parameter (no source), set above the recourse cost.",
    )
    cost_classes: int = Field(
        default=2,
        ge=1,
        le=6,
        description="Groups of locations by running cost per occupied place (variable opex minus "
        "income) per stream, filled cheapest first; 1 = one average per stream (fastest).",
    )
    mip_gap_share: float = Field(
        default=0.01, gt=0, lt=1, description="Relative MIP gap to stop at."
    )
    capital_charge_years: int = Field(
        default=40,
        ge=1,
        le=60,
        description="Depreciation period of a bought or converted building in the plan's capital "
        "charges (annuity at the real discount rate); flex units use sources.csv "
        "flex_depreciation_years. ASSUMPTION: no sourced figure; set the municipality's own.",
    )
    time_limit_seconds: float = Field(default=60.0, gt=0, description="Time limit per MILP solve.")

    def reliability_of(self, stream: str) -> float:
        """The reliability asked for ``stream``."""
        return float(self.reliability_by_stream.get(stream, self.reliability_share))
