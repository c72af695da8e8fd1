"""The case file's municipality and its streams of need: inflow, Ukrainians, asylum seekers, status holders."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from onderdak.case.fields import Share, Strict, check_month
from onderdak.io.reference import scalar

NationalScenario = Literal[
    "laag", "midden", "hoog", "nieuwe_crisis", "einde_tijdelijke_bescherming"
]


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
        return check_month(v)

    @field_validator("published_cycles")
    @classmethod
    def _cycles(cls, v: dict[str, int]) -> dict[str, int]:
        for month, places in v.items():
            check_month(str(month))
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
