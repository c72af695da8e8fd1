"""The case file's money settings: reuse options of a location and the business case with its alternatives."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from onderdak.case.fields import Strict, check_month

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
        return None if v is None else check_month(v)
