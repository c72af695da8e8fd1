"""The case file: one municipality's settings as YAML, validated with pydantic, with named scenarios.

A case file holds a base configuration and, under ``scenarios:``, named overrides of that base.
Every scenario is the base deep-merged with its overrides and validated on its own, so an error
names the file, the scenario and the field.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from onderdak.core.errors import InputError
from onderdak.io import resources

NationalScenario = Literal[
    "laag", "midden", "hoog", "nieuwe_crisis", "einde_tijdelijke_bescherming"
]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Strict(BaseModel):
    """Base of every case section: unknown keys are errors, values are immutable, numbers finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Municipality(Strict):
    """The municipality the case is about."""

    name: str = Field(description="Name as used in the report, e.g. 'Gemeente Voorbeeld'.")
    code: str = Field(pattern=r"^GM\d{4}$", description="CBS municipality code, e.g. GM0797.")
    population_persons: int = Field(
        gt=0, description="Inhabitants (CBS, 1 January of the latest year)."
    )
    national_population_persons: int | None = Field(
        default=None,
        gt=0,
        description="Inhabitants of the Netherlands; default from data/reference.",
    )
    ses_correction_share: float = Field(
        default=1.0,
        gt=0,
        le=3,
        description="Spreidingswet socio-economic correction (SES-WOA) on the population share; "
        "1.0 = none. ASSUMPTION unless taken from Stcrt 2024-3320.",
    )
    region: str | None = Field(
        default=None, description="Veiligheidsregio or regional table, for region reports."
    )

    @model_validator(mode="after")
    def _within_the_netherlands(self) -> Municipality:
        from onderdak.io.reference import scalar

        national = self.national_population_persons or scalar("national_population_persons")
        if self.population_persons > national:
            raise ValueError(
                f"population_persons {self.population_persons:,} is more than the inhabitants of the "
                f"Netherlands ({national:,.0f})"
            )
        if self.national_population_persons is not None and self.national_population_persons > 30e6:
            raise ValueError(
                f"national_population_persons {self.national_population_persons:,} is not plausible "
                "for the Netherlands (about 18 million)"
            )
        return self


class InflowSettings(Strict):
    """Which national scenario drives the case and how the Monte-Carlo ensemble is drawn."""

    national_scenario: NationalScenario = Field(
        default="midden", description="Named national trajectory."
    )
    level_factor: float = Field(
        default=1.0,
        gt=0,
        le=5,
        description="Multiplies the scenario's asylum inflow level (sensitivity).",
    )
    surges: bool = Field(
        default=True, description="Draw rare 2015/2022-like surges on top of the noise."
    )
    ukraine_return_share: Share | None = Field(
        default=None,
        description="Mean share of Ukrainians in GOO that leave when temporary protection ends; "
        "default from the scenario.",
    )
    calibration_history: Literal["reference", "cbs_83102"] = Field(
        default="cbs_83102",
        description="Series that sets surge frequency and size and the inflow volatility: "
        "'cbs_83102' = CBS StatLine 83102NED 1975–2018 followed by data/reference 2013–2025 (both "
        "stored in data/reference, offline); 'reference' = 2013–2025 only (one surge: a rate and size "
        "resting on a single event).",
    )


class UkraineSettings(Strict):
    """Municipal reception of displaced persons from Ukraine (GOO)."""

    agreed_places: int | None = Field(
        default=None,
        ge=0,
        description="Agreed task (e.g. regional plan) at the start; overrides the population share.",
    )
    share_override: Share | None = Field(
        default=None, description="Municipal share of the national GOO task."
    )
    financing_after_tpd_eur_per_place_day: float | None = Field(
        default=None,
        ge=0,
        description="What the Rijk pays the municipality per realised place-day after 4 March 2027, when "
        "residents hold a 3-year permit and pay rent themselves (the 'doelgroepflexibele' scheme). "
        "ASSUMPTION: not published yet; null: the last published normbedrag carried forward.",
    )


class AsylumSettings(Strict):
    """Asylum reception hosted under the Spreidingswet."""

    published_places: int | None = Field(
        default=None,
        ge=0,
        description="Published number (indicative or verdeelbesluit) for the cycle containing the "
        "start; the primary input: the formula is only a fallback when no number is published.",
    )
    published_cycles: dict[str, int] = Field(
        default={},
        description="Published numbers of later cycles by the cycle's first month, e.g. "
        "{'2027-01': 120} for cycle 2 (verdeelbesluit end 2026, places by mid-2027; only long-term "
        "places count). Cycles without a number use the formula (a labelled fallback).",
    )
    cycle_start: str = Field(
        default="2025-01", description="Start of a Spreidingswet cycle (YYYY-MM)."
    )
    cycle_months: int = Field(
        default=24, gt=0, description="Length of a Spreidingswet cycle in months."
    )
    occupancy_norm_share: Share | None = Field(
        default=None, description="COA occupancy norm; default from data/reference (0.91)."
    )

    @field_validator("cycle_start")
    @classmethod
    def _month(cls, v: str) -> str:
        return _check_month(v)

    @field_validator("published_cycles")
    @classmethod
    def _cycles(cls, v: dict[str, int]) -> dict[str, int]:
        for month, places in v.items():
            _check_month(str(month))
            if places < 0:
                raise ValueError(f"{month}: {places} is not a number of places ≥ 0")
        return v


class RealisedHalfYear(Strict):
    """What the municipality actually achieved in a past half-year (provincial/IBT monitor)."""

    half_year: str = Field(pattern=r"^\d{4}-(I|II)$", description="Half-year, e.g. 2025-II.")
    taakstelling_persons: float = Field(ge=0, description="The task of that half-year, persons.")
    housed_persons: float = Field(
        ge=0, description="Status holders housed in that half-year, persons."
    )


class StatusHolderSettings(Strict):
    """Housing status holders (taakstelling)."""

    backlog_persons_at_start: float = Field(
        default=0.0, description="Achterstand (+) or voorsprong (−) at the start, in persons."
    )
    single_household_share: Share | None = Field(
        default=None,
        description="Share of status-holder households that are one person; default CBS 2023.",
    )
    multi_person_household_size_persons: float = Field(
        default=3.5,
        ge=2,
        le=10,
        description="Average size of the other households. ASSUMPTION (no source found).",
    )
    regular_supply_dwellings_per_month: float = Field(
        default=2.0,
        ge=0,
        description="Regular social-rent dwellings the municipality allocates to status holders per month. "
        "ASSUMPTION: set from the local corporation's agreements.",
    )
    outflow_incentives: bool = Field(
        default=True,
        description="Book the Rijk's outflow incentive (EUR 30,000 per status holder housed from COA, "
        "TK 2025D06414, 2025-02-14) for status holders moving into the register's status-holder "
        "locations, and the SFT subsidy (EUR 14,000 per flex dwelling, rijksoverheid 2025-02-03, "
        "scheme to 2026, 30% of the dwellings for Ukrainians or status holders for at least 10 "
        "years) for new flex units; figures and dates in data/reference/status_holder_incentives.csv. "
        "ASSUMPTION: uncertain. The measures were announced in February 2025 without an end date for "
        "the incentive; whether they continue under the 2026 coalition is not known. Default on (as "
        "published); switch off for a budget without them.",
    )
    realised: list[RealisedHalfYear] = Field(
        default=[],
        description="Realised taakstelling of past half-years (task and persons housed), oldest first; "
        "reported as the progress so far beside the model's projection.",
    )

    @field_validator("realised")
    @classmethod
    def _realised_in_order(cls, value: list[RealisedHalfYear]) -> list[RealisedHalfYear]:
        keys = [(int(r.half_year[:4]), r.half_year.endswith("II")) for r in value]
        if keys != sorted(set(keys)):
            raise ValueError("half-years must be distinct and oldest first")
        return value


class OrganisationSettings(Strict):
    """Staff the reception needs: a budget line the college decides on."""

    project_leader_fte: float = Field(default=1.0, ge=0)
    secretary_fte: float = Field(default=0.5, ge=0)
    location_manager_fte_per_location: float = Field(default=1.0, ge=0)
    staff_fte_per_100_residents: float = Field(default=1.5, ge=0)
    cost_per_fte_eur_per_year: float = Field(
        default=95_000.0,
        ge=0,
        description="Loaded cost per FTE. ASSUMPTION: set from the municipal salary scales.",
    )


LocationStatus = Literal["existing", "planned", "candidate"]
MCACriterion = Literal["cost", "quality", "scale", "speed", "reuse", "load", "risk"]


class GeoSettings(Strict):
    """Boundaries, inhabitants per wijk, amenities and the spread threshold (onderdak.geo.boundaries, onderdak.geo.spread)."""

    wijken: str | None = Field(
        default=None,
        description="Wijk boundaries, GeoJSON or GeoPackage in CBS/PDOK format (statcode WKxxxxxx, "
        "statnaam), relative to the case file; may also hold the municipality feature (GMxxxx). "
        "'pdok': the municipality's wijken 2024 (the year of cbs_85984) from the PDOK WFS of the "
        "CBS gebiedsindelingen, downloaded once into $ONDERDAK_CACHE or ~/.cache/onderdak.",
    )
    municipality_boundary: str | None = Field(
        default=None,
        description="A separate municipality boundary file; default: the GM feature in `wijken`, "
        "else the union of the wijken.",
    )
    amenities: str | None = Field(
        default=None,
        description="CSV of amenities (kind, name, x, y[, crs]) for distances from each location.",
    )
    spread_threshold_places_per_1000_persons: float = Field(
        default=10.0,
        gt=0,
        description="Reception places per 1,000 inhabitants above which a wijk is flagged as carrying "
        "much. ASSUMPTION: a political choice of the college; no national norm per wijk exists.",
    )
    wijk_population_source: str = Field(
        default="file",
        description="Inhabitants per wijk. Recommended for a real municipality: 'cbs_85984' (CBS "
        "Kerncijfers wijken en buurten 2024, table 85984NED, 1 January 2024: downloaded once into "
        "$ONDERDAK_CACHE or ~/.cache/onderdak) or a StatLine CSV/JSON export of 85984NED relative "
        "to the case file. Also: a CSV (statcode, population_persons); 'file' (aantal_inwoners in "
        "the wijken file). Fallback only: 'area' or 'equal', the municipal population spread by "
        "area or equally, an estimate the report labels as such.",
    )
    spread_statuses: tuple[LocationStatus, ...] = Field(
        default=("existing", "planned"),
        description="Which locations count towards the places per wijk.",
    )

    @field_validator("wijk_population_source")
    @classmethod
    def _population_source(cls, v: str) -> str:
        if v not in ("cbs_85984", "file", "area", "equal") and not v.lower().endswith(
            (".csv", ".json")
        ):
            raise ValueError(
                f"{v!r} must be 'cbs_85984', a .csv or .json file, 'file', 'area' or 'equal'"
            )
        return v


class MCASettings(Strict):
    """Multi-criteria comparison of location options: weights, directions, sensitivity (onderdak.portfolio.mca)."""

    weights: dict[MCACriterion, float] = Field(
        default_factory=lambda: {
            "cost": 0.25,
            "quality": 0.20,
            "scale": 0.05,
            "speed": 0.15,
            "reuse": 0.15,
            "load": 0.10,
            "risk": 0.10,
        },
        description="Weight per criterion (normalised to sum 1; a criterion left out weighs 0). "
        "ASSUMPTION: defaults are a neutral starting point for the consultant to set with the client.",
    )
    directions: dict[MCACriterion, Literal["min", "max"]] = Field(
        default_factory=dict,
        description="Overrides of the default direction: cost min, quality max, scale min "
        "(small-scale preferred, ASSUMPTION), speed min (months until available), reuse max, "
        "load min, risk min.",
    )
    normalisation: Literal["minmax", "ratio"] = Field(
        default="minmax",
        description="Scale each criterion to 0–1 by min–max or by ratio to the best.",
    )
    statuses: tuple[LocationStatus, ...] = Field(
        default=("planned", "candidate"), description="Which locations are options in the MCA."
    )
    sensitivity_draws: int = Field(
        default=1000, ge=0, le=100_000, description="Dirichlet draws of perturbed weights."
    )
    sensitivity_concentration: float = Field(
        default=50.0,
        gt=0,
        description="Dirichlet concentration: perturbed weights ~ Dirichlet(concentration × weights); "
        "lower = wider spread. ASSUMPTION.",
    )
    seed: int | None = Field(
        default=None, ge=0, description="Seed of the draws; default the case seed."
    )
    cost_horizon_years: int = Field(
        default=10,
        ge=1,
        le=50,
        description="Years over which capex is annualised in the cost criterion.",
    )

    @field_validator("weights")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        if any(w < 0 for w in v.values()) or sum(v.values()) <= 0:
            raise ValueError("weights must be ≥ 0 and at least one must be > 0")
        return v


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


ReuseOption = Literal[
    "social_housing",
    "starter_homes",
    "student_housing",
    "community",
    "sale",
    "relocate_units",
    "demolish",
]


class ReuseOptionSettings(Strict):
    """One reuse option of a bought building. Every figure is an ASSUMPTION (facts.md §4.2, §4.7: none published)."""

    capex_eur: float = Field(
        default=0.0,
        ge=0,
        description="Conversion (or demolition) cost at the switch, €. ASSUMPTION.",
    )
    lead_time_months: int = Field(
        default=12, ge=0, le=120, description="Months from switch to use. ASSUMPTION."
    )
    dwellings: int = Field(default=0, ge=0, description="Dwellings the reuse delivers. ASSUMPTION.")
    rent_eur_per_dwelling_per_year: float = Field(
        default=0.0, ge=0, description="Net rent per dwelling, €/year. ASSUMPTION."
    )
    cost_eur_per_dwelling_per_year: float = Field(
        default=0.0,
        ge=0,
        description="Maintenance and management per dwelling, €/year. ASSUMPTION.",
    )
    income_eur_per_year: float = Field(
        default=0.0, ge=0, description="Other yearly income (community lease), €. ASSUMPTION."
    )
    cost_eur_per_year: float = Field(
        default=0.0, ge=0, description="Other yearly cost, €. ASSUMPTION."
    )
    sale_value_eur: float | None = Field(
        default=None,
        ge=0,
        description="Proceeds when ready (sale); null: the register's market_value_eur for `sale`, else 0. ASSUMPTION.",
    )
    residual_value_eur: float | None = Field(
        default=None,
        ge=0,
        description="Value held at the horizon; null: the register's market_value_eur (0 for sale). ASSUMPTION.",
    )


class BusinessCaseAlternative(Strict):
    """A user's own alternative for the same need (e.g. a second building, a different lease)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_\-]+$", description="Short id used in tables.")
    label: str | None = Field(default=None, description="Name in the report.")
    kind: Literal["buy_convert", "lease", "hotel", "flex_units", "leegstandwet", "custom"] = (
        "custom"
    )
    capacity_places: int | None = Field(
        default=None, ge=0, description="Places; null: the business case's target."
    )
    capex_eur: float = Field(
        default=0.0, ge=0, description="Purchase, conversion and furnishing at the start, €."
    )
    lead_time_months: int = Field(default=0, ge=0, le=120)
    term_years: float | None = Field(
        default=None, gt=0, description="Reception may last at most this long; null: no limit."
    )
    fixed_opex_eur_per_year: float = Field(
        default=0.0, ge=0, description="Rent, upkeep, security, staff, €/year."
    )
    variable_opex_eur_per_place_day: float = Field(default=0.0, ge=0)
    end_cost_eur: float = Field(
        default=0.0, ge=0, description="Paid when reception ends before the horizon, €."
    )
    end_value_eur: float = Field(
        default=0.0, ge=0, description="Received when reception ends before the horizon, €."
    )
    residual_value_eur: float = Field(
        default=0.0, ge=0, description="Value held at the horizon if still in reception, €."
    )
    plan: Literal["rule", "fixed", "none"] = Field(
        default="none",
        description="When reception ends: the decision rule, the fixed date, or only at its term.",
    )
    reuse: ReuseOption | None = Field(
        default=None, description="Reuse after reception (parameters under `reuse`)."
    )


class BusinessCaseSettings(Strict):
    """Buying a building (`onderdak business-case`): alternatives, reuse, decision rule, horizon."""

    location_id: str | None = Field(
        default=None,
        description="Register id of the building `onderdak run` makes the business case for; null: none.",
    )
    horizon_years: int = Field(
        default=30, ge=2, le=60, description="Years of cash flows from the case's start."
    )
    target_places: int | None = Field(
        default=None,
        ge=1,
        description="Places the alternatives must provide; null: the location's capacity_places.",
    )
    decision_rule_months: int = Field(
        default=6,
        ge=1,
        le=120,
        description="Switch to reuse once need has stayed below the rest of the portfolio's capacity for this "
        "many months (DESIGN.md example). ASSUMPTION: a policy choice.",
    )
    decision_rule_lookahead_months: int = Field(
        default=12,
        ge=0,
        le=120,
        description="A month counts as low only if the rest of the portfolio, as planned (contract ends are known), "
        "still holds that month's need for this many months ahead. ASSUMPTION.",
    )
    fixed_switch: str | None = Field(
        default=None,
        description="Month (YYYY-MM) the fixed plan switches to reuse; null: end of the case's horizon.",
    )
    reuse_option: ReuseOption | None = Field(
        default=None,
        description="Reuse of the bought building; null: the first of the register's reuse_options.",
    )
    reuse: dict[ReuseOption, ReuseOptionSettings] = Field(
        default={}, description="Parameters per reuse option."
    )
    need_beyond_horizon: Literal["scenario", "last", "zero"] = Field(
        default="scenario",
        description="Need after the simulated horizon: `scenario` continues each path by the scenario's own "
        "assumption (GOO by its stock-flow at the scenario's last arrivals and exit rate; asylum and status "
        "holders at the last cycle's number), `last` holds the last month, `zero` ends it. ASSUMPTION.",
    )
    recourse_eur_per_place_day: float | None = Field(
        default=None,
        ge=0,
        description="What the municipality pays per place-day of its emergency option (hotel) for need an "
        "alternative cannot hold, for streams whose shortfall it bears (GOO; asylum seekers and status holders "
        "stay with the COA, data/reference/stream_accounts.csv); null: what a COA hotel place cost "
        "the Rijk in 2024 (sources.csv coa_hotel_place_cost_eur_per_place_year_2024, ~EUR 91,000 a year "
        "= EUR 249 per place-day, low confidence; the KHN room-and-board rate of EUR 75 leaves out "
        "staff, security and empty rooms).",
    )
    recourse_reimbursed: bool = Field(
        default=False,
        description="The Rijk's normbedrag also covers need held in recourse (hotel) places. Default false: "
        "since 2025 hotels, ships and catering are outside the normbedrag (TK letter 2024-11-13, ANP 2024-11; "
        "data/reference/normbedrag.csv, row 2025).",
    )
    hotel_eur_per_place_day: float | None = Field(
        default=None,
        ge=0,
        description="Hotel alternative all-in rate per place-day; null: the same reference as "
        "`recourse_eur_per_place_day` (what a COA hotel place cost the Rijk in 2024), so that a hotel "
        "place has one price in the business case.",
    )
    lease_rent_eur_per_place_year: float | None = Field(
        default=None,
        ge=0,
        description="Long-lease rent per place; null: no lease alternative. ASSUMPTION.",
    )
    lease_term_years: float = Field(
        default=10.0, gt=0, le=60, description="Lease term. ASSUMPTION."
    )
    lease_capex_eur: float = Field(
        default=0.0, ge=0, description="Fit-out of the leased building, €. ASSUMPTION."
    )
    lease_lead_time_months: int = Field(default=3, ge=0, le=120, description="ASSUMPTION.")
    flex_places_per_unit: float | None = Field(
        default=None,
        gt=0,
        description="Places per flex unit; null: no flex alternative. ASSUMPTION.",
    )
    flex_site_capex_eur: float = Field(
        default=0.0, ge=0, description="Site preparation and utilities, €. ASSUMPTION."
    )
    leegstandwet_rent_eur_per_year: float | None = Field(
        default=None,
        ge=0,
        description="Rent of a vacant building under the Leegstandwet; null: no such alternative. ASSUMPTION.",
    )
    leegstandwet_capex_eur: float = Field(
        default=0.0, ge=0, description="Light conversion, €. ASSUMPTION."
    )
    leegstandwet_lead_time_months: int = Field(
        default=3, ge=0, le=120, description="Permit (8 weeks) and fit-out. ASSUMPTION."
    )
    alternatives: list[BusinessCaseAlternative] = Field(
        default=[], description="The user's own alternatives."
    )
    tornado_change_share: float = Field(
        default=0.2, gt=0, lt=1, description="± change of inputs in the tornado."
    )
    tornado_discount_rate_change_share: float = Field(
        default=0.01,
        gt=0,
        lt=0.2,
        description="± change of the discount rate in the tornado (0.01 = 1 point).",
    )
    tornado_timing_months: int = Field(
        default=6, ge=1, le=60, description="± months of the opening date in the tornado."
    )

    @field_validator("fixed_switch")
    @classmethod
    def _switch_month(cls, v: str | None) -> str | None:
        return None if v is None else _check_month(v)


class Case(Strict):
    """One municipality, one scenario: everything the pipeline needs besides data/reference."""

    name: str = Field(
        description="Short case name, used for report folders (letters, digits, - and _)."
    )
    title: str | None = Field(default=None, description="Title on the report.")
    fictional: bool = Field(default=False, description="True for demo data; the report says so.")
    language: Literal["nl", "en"] = "nl"
    municipality: Municipality
    peildatum: str | None = Field(
        default=None,
        description="Month up to which published national figures are used as they are (YYYY-MM); "
        "the model takes over after it. null: the current month ($ONDERDAK_PEILDATUM overrides it, "
        "e.g. to reproduce a report).",
    )
    start: str | None = Field(
        default=None, description="First month of the horizon (YYYY-MM); null: the peildatum."
    )
    horizon_months: int = Field(default=120, ge=12, le=360)
    price_year: int = Field(
        ge=2000, le=2100, description="Money is in euros at prices of this year."
    )
    discount_rate_real_share: float = Field(
        default=0.025,
        gt=-0.05,
        lt=0.5,
        description="Real discount rate per year. ASSUMPTION: no sourced rate in data/reference; "
        "set the municipality's own (real) rate.",
    )
    seed: int = Field(default=20261123, ge=0, description="Seed of the Monte-Carlo ensemble.")
    paths: int = Field(default=2000, ge=10, le=200_000, description="Monte-Carlo paths.")
    inflow: InflowSettings = InflowSettings()
    ukraine: UkraineSettings = UkraineSettings()
    asylum: AsylumSettings = AsylumSettings()
    status_holders: StatusHolderSettings = StatusHolderSettings()
    locations: str | None = Field(
        default=None, description="Location register (.csv or .xlsx), relative to the case file."
    )
    locations_sheet: str | None = Field(
        default=None,
        description="Sheet of an Excel register; null: the visible sheet named Locaties/Locations/"
        "Register, else the one visible sheet that holds a register (a hidden sheet is read only "
        "when named here).",
    )
    locations_header_row: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="Spreadsheet row of the register's header; null: the first row that names the "
        "register's columns (title rows above it are skipped).",
    )
    allocation_rule: Literal["cost", "priority"] = Field(
        default="cost",
        description="Fill locations by lowest cost per place-day, or by the register's priority.",
    )
    organisation: OrganisationSettings = OrganisationSettings()
    # --- sections added by later capabilities go below this line ---
    business_case: BusinessCaseSettings = BusinessCaseSettings()
    geo: GeoSettings = GeoSettings()
    mca: MCASettings = MCASettings()
    optimise: OptimiseSettings = OptimiseSettings()

    _dir: Path = PrivateAttr(default=Path("."))
    _file: Path | None = PrivateAttr(default=None)
    _scenario: str = PrivateAttr(default="basis")

    @model_validator(mode="before")
    @classmethod
    def _dates(cls, data: Any) -> Any:
        """Fill in the peildatum (the current month) and the start (the peildatum) when left out."""
        if isinstance(data, dict):
            data = dict(data)
            if data.get("peildatum") is None:
                data["peildatum"] = current_month()
            if data.get("start") is None:
                data["start"] = data["peildatum"]
        return data

    @field_validator("start", "peildatum")
    @classmethod
    def _start_month(cls, v: str) -> str:
        return _check_month(str(v))

    @model_validator(mode="after")
    def _plausible(self) -> Case:
        """Counts of persons, places and dwellings within the municipality's population; money below
        EUR 10^12."""
        limit = self.municipality.population_persons
        problems = [
            f"`{where}` = {value:,.6g} is {why}"
            for where, value, why in _implausible(self.model_dump(), limit)
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @field_validator("name")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not v or not all(c.isalnum() or c in "-_" for c in v):
            raise ValueError(
                f"{v!r} must use only letters, digits, '-' and '_' (it names the report folder)"
            )
        return v

    # -- derived ------------------------------------------------------------------------------
    @property
    def scenario(self) -> str:
        """The scenario name this case was resolved for ('basis' for the base)."""
        return self._scenario

    @property
    def source(self) -> Path | None:
        """The case file this case was read from."""
        return self._file

    @property
    def peildatum_period(self) -> pd.Period:
        """The peildatum as a monthly period."""
        return pd.Period(self.peildatum, freq="M")

    @property
    def periods(self) -> pd.PeriodIndex:
        """The monthly horizon."""
        return pd.period_range(self.start, periods=self.horizon_months, freq="M", name="period")

    def path(self, relative: str) -> Path:
        """A path from the case file, resolved against the case file's folder."""
        p = Path(relative)
        return p if p.is_absolute() else self._dir / p

    def with_updates(self, **changes: Any) -> Case:
        """A validated copy with top-level fields changed (keeps file, folder and scenario)."""
        data = self.model_dump()
        data.update(changes)
        new = Case.model_validate(data)
        new._dir, new._file, new._scenario = self._dir, self._file, self._scenario
        return new


class CaseFile(Strict):
    """The YAML file: a base case plus named scenario overrides."""

    scenarios: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Named overrides of the base; each is validated on its own.",
    )

    model_config = ConfigDict(extra="allow", frozen=True)


BASE = "basis"
PEILDATUM_ENV = "ONDERDAK_PEILDATUM"


def current_month() -> str:
    """The default peildatum: ``$ONDERDAK_PEILDATUM`` when set, else this month (YYYY-MM)."""
    return os.environ.get(PEILDATUM_ENV) or pd.Timestamp.now().strftime("%Y-%m")


def _check_month(v: str) -> str:
    try:
        pd.Period(v, freq="M")
    except Exception as exc:  # pandas raises several types
        raise ValueError(f"{v!r} is not a month in the form YYYY-MM") from exc
    if len(v) != 7 or v[4] != "-":
        raise ValueError(f"{v!r} is not a month in the form YYYY-MM")
    return v


MAX_EUR = 1e12
"""Largest amount of money a case field may hold (EUR 1,000 billion: beyond any municipal budget)."""
COUNTS = (
    "ukraine.agreed_places",
    "asylum.published_places",
    "asylum.published_cycles.",
    "status_holders.backlog_persons_at_start",
    "status_holders.realised[",
    "business_case.target_places",
)
"""Fields (or prefixes) that count the municipality's own persons or places: at most its population."""


def _implausible(data: Any, limit: float, path: str = ""):
    """(field path, value, why) for counts beyond the population and money beyond MAX_EUR."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _implausible(value, limit, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            yield from _implausible(value, limit, f"{path}[{i}]")
    elif isinstance(data, int | float) and not isinstance(data, bool):
        name = path.rsplit(".", 1)[-1].split("[")[0]
        if "_eur" in name and abs(data) > MAX_EUR:
            yield path, data, "more than EUR 10^12: not plausible"
        elif path.startswith(COUNTS) and abs(data) > limit:
            yield path, data, f"more than the municipality's {limit:,} inhabitants"


def dotted_overrides(overrides: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """``{"a.b": 1, "a.c": 2}`` as the nested mapping ``{"a": {"b": 1, "c": 2}}`` a case file holds."""
    nested: dict[str, Any] = {}
    for key, value in overrides.items():
        parts = str(key).split(".")
        if not all(parts) or parts[0] == "scenarios":
            raise InputError(f"{path.name}: override `{key}` does not name a field of the case")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise InputError(f"{path.name}: overrides `{key}` and `{part}` collide")
        node[parts[-1]] = value
    return nested


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Base updated with override, recursively for nested mappings (override wins)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _describe(exc: ValidationError, file: Path, scenario: str) -> list[tuple[str, str]]:
    """(key, message) per problem; the key (field, message, value) lets a scenario's copy of a base
    problem be reported once."""
    where = f"{file.name}" + ("" if scenario == BASE else f", scenario '{scenario}'")
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field (check the spelling; see `onderdak schema`)"
        got = err.get("input")
        shown = (
            ""
            if err["type"] in ("missing", "extra_forbidden") or isinstance(got, dict)
            else f" (got {_short(got)})"
        )
        problems.append((f"{loc}: {msg}{shown}", f"{where}, field `{loc}`: {msg}{shown}"))
    return problems


def _short(value: Any, limit: int = 80) -> str:
    """A value for a message, cut short (a YAML alias may expand into millions of items)."""
    import reprlib

    r = reprlib.Repr()
    r.maxlevel, r.maxlist, r.maxdict, r.maxtuple, r.maxstring, r.maxother = 2, 4, 4, 4, limit, limit
    text = r.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


MAX_YAML_VALUES = 100_000
"""Values a case file may expand into (YAML aliases included): a guard against alias bombs."""
MAX_YAML_DEPTH = 40
"""Nesting a case file may have (the schema itself is at most 5 deep)."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping (instead of the last winning)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *base` may be overridden by the keys beside it
        try:
            key = loader.construct_object(key_node, deep=True)
            hash(key)
        except TypeError:
            continue  # an unhashable key: the constructor reports it
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} is given twice (first on line {seen[key] + 1}); keep one",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _decode(raw: bytes, name: str) -> str:
    """Text of a case file: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: starts as UTF-16 but is not ({exc.reason})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if b"\x00" in raw:
            raise InputError(f"{name}: not a text file; a case file is YAML text") from None
        return raw.decode("cp1252", errors="replace")  # Windows Notepad's default


def _expanded_size(data: Any, memo: dict[int, int], depth: int, name: str) -> int:
    """Values in ``data`` with every YAML alias expanded, computed without expanding them."""
    if depth > MAX_YAML_DEPTH:
        raise InputError(f"{name}: nested more than {MAX_YAML_DEPTH} levels deep; not a case file")
    if not isinstance(data, dict | list):
        return 1
    if id(data) in memo:
        return memo[id(data)]
    items = [*data.keys(), *data.values()] if isinstance(data, dict) else data
    n = 1 + sum(_expanded_size(v, memo, depth + 1, name) for v in items)
    memo[id(data)] = n
    return n


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping in a YAML file, or an InputError naming the file and line.

    Refused: a folder, a key given twice, more than ``MAX_YAML_DEPTH`` levels of nesting, and a
    file whose aliases expand into more than ``MAX_YAML_VALUES`` values.
    """
    if path.is_dir():
        raise InputError(
            f"{path}: is a folder; give the case file"
            + (f", e.g. {path / 'case.yaml'}" if (path / "case.yaml").is_file() else "")
        )
    if not path.exists():
        raise InputError(f"{path}: case file not found")
    try:
        text = _decode(path.read_bytes(), path.name)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise InputError(
            f"{path.name}{line}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    except RecursionError:
        raise InputError(f"{path.name}: nested too deeply; not a case file") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path.name}: a case file must be a mapping of fields, not {type(data).__name__}"
        )
    size = _expanded_size(data, {}, 0, path.name)
    if size > MAX_YAML_VALUES:
        raise InputError(
            f"{path.name}: expands into {size:,} values (YAML aliases); a case file has at most "
            f"{MAX_YAML_VALUES:,}"
        )
    return data


def load_case_file(path: str | Path, overrides: Mapping[str, Any] | None = None) -> dict[str, Case]:
    """All scenarios of a case file, validated: ``{'basis': Case, 'hoog': Case, ...}``.

    ``overrides`` maps dotted field names to values, e.g. ``{"municipality.population_persons":
    47000}``; they apply to the base and to every scenario, after the scenario's own overrides, and
    are validated with the rest (a wrong name or value is an error naming the field).

    Raises InputError listing every problem in every scenario, each naming file, scenario and field.
    """
    path = Path(path)
    raw = read_yaml(path)
    given = dotted_overrides(overrides or {}, path)
    overrides = raw.pop("scenarios", None) or {}
    if not isinstance(overrides, dict):
        raise InputError(f"{path.name}, field `scenarios`: must map scenario names to overrides")
    out: dict[str, Case] = {}
    problems: list[str] = []
    in_base: set[str] = set()
    for name, override in [(BASE, {}), *overrides.items()]:
        if name != BASE and not isinstance(override, dict):
            problems.append(
                f"{path.name}, scenario '{name}': overrides must be a mapping of fields"
            )
            continue
        try:
            case = Case.model_validate(deep_merge(deep_merge(raw, override or {}), given))
        except ValidationError as exc:
            found = _describe(exc, path, name)
            if name == BASE:
                in_base = {key for key, _ in found}
            problems.extend(text for key, text in found if name == BASE or key not in in_base)
            continue
        case._dir, case._file, case._scenario = path.parent.resolve(), path.resolve(), name
        out[name] = case
    if problems:
        raise InputError(f"{path}: the case file is not valid", problems)
    return out


def load_case(path: str | Path, scenario: str | None = None) -> Case:
    """One scenario of a case file (the base when ``scenario`` is None)."""
    cases = load_case_file(path)
    name = scenario or BASE
    if name not in cases:
        raise InputError(
            f"{Path(path).name}: no scenario '{name}'; the file has: {', '.join(cases)}"
        )
    return cases[name]


def json_schema() -> dict[str, Any]:
    """JSON schema of a case file (the base fields plus ``scenarios``)."""
    schema = Case.model_json_schema()
    schema["title"] = "Onderdak case file"
    schema.setdefault("properties", {})["scenarios"] = {
        "type": "object",
        "description": "Named overrides of the base case; each merged with the base and validated on its own.",
        "additionalProperties": {"type": "object"},
    }
    return schema


def schema_text() -> str:
    """The JSON schema as committed in data/cases/case.schema.json."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def select_cases(
    case_path: str | Path,
    scenarios: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Case]:
    """The named scenarios of a case file (all when ``scenarios`` is empty), with ``overrides``
    (:func:`load_case_file`)."""
    case_path = resources.locate(case_path)
    cases = load_case_file(case_path, overrides)
    if not scenarios:
        return cases
    unknown = [s for s in scenarios if s not in cases]
    if unknown:
        raise InputError(
            f"{Path(case_path).name}: no scenario {', '.join(map(repr, unknown))}; the file has: {', '.join(cases)}"
        )
    return {s: cases[s] for s in scenarios}
