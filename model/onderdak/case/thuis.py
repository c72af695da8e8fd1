"""The case's `thuis:` section: composition, school, inburgering, staff and the capacities per wijk.

Every figure here either has a sourced default in ``data/reference`` (``thuis_composition.csv``,
``thuis_work.csv`` and rows of ``sources.csv``; a ``None`` field takes it) or is an **ASSUMPTION**
the user must set: such fields have no default, so a case without them fails validation with the
field named. :func:`resolve_profile` turns a stream's block into numbers plus where each came from.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from onderdak.core.streams import STREAMS
from onderdak.io import reference

AGE_GROUPS = ("age_0_3", "age_4_11", "age_12_17", "age_18_66", "age_67_plus")
"""Age groups that matter for services: pre-school, primary, secondary, working age, pension age."""

ROUTES = ("b1", "onderwijs", "z")
"""The three learning routes of the Wet inburgering 2021: B1-route, onderwijsroute, Z-route."""

MUNICIPALITY = "municipality"
"""Key of ``capacities`` that holds the municipality-wide capacity (checked against all demand)."""

_TOL = 1e-6


class Strict(BaseModel):
    """Base of every block: unknown keys are errors, values immutable, numbers finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _share(description: str, default: object = ...) -> object:
    return Field(default, ge=0.0, le=1.0, description=description)


class MinorSplit(Strict):
    """How minors divide over the school-relevant ages. ASSUMPTION: no source found for any stream."""

    age_0_3: float = _share("Share of minors aged 0-3 (pre-school). ASSUMPTION.")
    age_4_11: float = _share("Share of minors aged 4-11 (primary school). ASSUMPTION.")
    age_12_17: float = _share("Share of minors aged 12-17 (secondary school). ASSUMPTION.")

    @model_validator(mode="after")
    def _sums_to_one(self) -> MinorSplit:
        total = self.age_0_3 + self.age_4_11 + self.age_12_17
        if abs(total - 1.0) > _TOL:
            raise ValueError(f"the three shares sum to {total:.4f}, not 1")
        return self


class StreamProfile(Strict):
    """Who the residents of one stream are. ``None``: the sourced default (``thuis_composition.csv``)."""

    minor_share: float | None = _share(
        "Share of persons under 18. null: the default row of thuis_composition.csv "
        "(Ukrainians 0.37, CBS 2022; asylum seekers 0.26, CBS Q1 2019); status holders: not found, "
        "set it (ASSUMPTION).",
        None,
    )
    minor_age_split: MinorSplit = Field(
        description="Split of minors into 0-3, 4-11 and 12-17. ASSUMPTION (not found)."
    )
    senior_share_of_adults: float = _share(
        "Share of adults aged 67 or older (pension age). ASSUMPTION (not found for any stream)."
    )
    women_share_of_adults: float | None = _share(
        "Share of women among adults. null: thuis_composition.csv (Ukrainians 0.80, H; asylum "
        "seekers 0.257, derived L; status holders 0.40, proxy M).",
        None,
    )
    employed_share_of_working_age: float | None = _share(
        "Share of persons aged 18-66 in paid work. null: Ukrainians 0.59 (CBS Nov 2024, ages "
        "15-65); status holders follow the CBS curve by years since the permit (this field, when "
        "set, replaces it); asylum seekers: not found, set it (ASSUMPTION).",
        None,
    )
    newcomer_education_share: float | None = _share(
        "Share of this stream's pupils in newcomers' education (nieuwkomersonderwijs / ISK). "
        "null: status holders count as newcomers for `school.newcomer_education_months` after "
        "they are housed; Ukrainians and asylum seekers: not found, set it (ASSUMPTION).",
        None,
    )
    gp_registration: bool = Field(
        default=True,
        description="Whether this stream's residents register with local GP practices.",
    )


class SchoolSettings(Strict):
    """School places: primary and secondary, and newcomers' education (nieuwkomersonderwijs, ISK)."""

    enrolment_share: float = _share(
        "Share of children aged 4-17 who take a school place. 1.0: every child (Leerplichtwet: "
        "compulsory from 5 to 16, qualification duty to 18); CBS found 5-7% of young Ukrainians "
        "not in primary school (Oct 2023).",
        1.0,
    )
    newcomer_education_months: int | None = Field(
        default=None,
        ge=0,
        le=120,
        description="Months after arrival a status-holder pupil counts as a newcomer. null: "
        "newcomer_education_years in sources.csv (2 years, M).",
    )
    newcomer_primary_group_pupils: float = Field(
        gt=0, description="Pupils per newcomers' group in primary education. ASSUMPTION."
    )
    isk_class_pupils: float = Field(
        gt=0, description="Pupils per ISK class (internationale schakelklas). ASSUMPTION."
    )
    newcomer_primary_eur_per_pupil_year: float | None = Field(
        default=None,
        ge=0,
        description="Extra funding per newcomer pupil in primary education, EUR/year. "
        "ASSUMPTION; null: not computed (no source found).",
    )
    isk_eur_per_pupil_year: float | None = Field(
        default=None,
        ge=0,
        description="Extra funding per ISK pupil, EUR/year. ASSUMPTION; null: not computed.",
    )


class RouteShares(Strict):
    """Shares of trajectories per learning route. ASSUMPTION: the national split was not found."""

    b1: float = _share("Share in the B1-route. ASSUMPTION.")
    onderwijs: float = _share("Share in the onderwijsroute. ASSUMPTION.")
    z: float = _share("Share in the Z-route (zelfredzaamheid). ASSUMPTION.")

    @model_validator(mode="after")
    def _sums_to_one(self) -> RouteShares:
        total = self.b1 + self.onderwijs + self.z
        if abs(total - 1.0) > _TOL:
            raise ValueError(f"the route shares sum to {total:.4f}, not 1")
        return self


class RouteMonths(Strict):
    """Months a trajectory of each route runs from the PIP. ASSUMPTION (not found)."""

    b1: int = Field(ge=1, le=120, description="Months in the B1-route. ASSUMPTION.")
    onderwijs: int = Field(ge=1, le=120, description="Months in the onderwijsroute. ASSUMPTION.")
    z: int = Field(ge=1, le=120, description="Months in the Z-route. ASSUMPTION.")


class RouteMoney(Strict):
    """Cost per trajectory of each route, EUR. ASSUMPTION (set from the municipality's contracts)."""

    b1: float = Field(ge=0, description="EUR per B1-route trajectory. ASSUMPTION.")
    onderwijs: float = Field(ge=0, description="EUR per onderwijsroute trajectory. ASSUMPTION.")
    z: float = Field(ge=0, description="EUR per Z-route trajectory. ASSUMPTION.")


class InburgeringSettings(Strict):
    """Wet inburgering 2021 for status holders: brede intake, PIP, the three learning routes."""

    obligated_share_of_working_age: float = _share(
        "Share of status holders aged 18-66 who are inburgeringsplichtig. 1.0 is the upper bound "
        "(exemptions lower it). ASSUMPTION.",
        1.0,
    )
    intake_share: float | None = _share(
        "Share of the obliged who start a trajectory (brede intake). null: 0.88, CBS SWI 2023 "
        "(cohort 2022 by end 2023).",
        None,
    )
    intake_delay_months: int = Field(
        ge=0, le=36, description="Months from housing to the brede intake. ASSUMPTION."
    )
    pip_delay_months: int = Field(
        ge=0, le=36, description="Months from the brede intake to the signed PIP. ASSUMPTION."
    )
    route_shares: RouteShares = Field(description="Split over the routes. ASSUMPTION.")
    route_months: RouteMonths = Field(description="Duration of each route. ASSUMPTION.")
    cost_eur_per_trajectory: RouteMoney | None = Field(
        default=None, description="Cost per trajectory by route. ASSUMPTION; null: not computed."
    )


class StaffSettings(Strict):
    """Municipal staff for the taakstelling and inburgering, and their cost."""

    taakstelling_fte_per_100_housed_per_year: float = Field(
        ge=0,
        description="FTE per 100 status holders housed a year (matching, housing, first "
        "support). ASSUMPTION (not found).",
    )
    inburgering_fte_per_100_trajectories: float = Field(
        ge=0,
        description="FTE per 100 trajectories in progress (regie, PIP follow-up). "
        "ASSUMPTION (not found).",
    )
    reception_fte: bool = Field(
        default=True,
        description="Count GOO staff from the case's `organisation.staff_fte_per_100_residents` "
        "(already part of the locations' running costs: shown, not added twice).",
    )
    cost_per_fte_eur_per_year: float | None = Field(
        default=None,
        ge=0,
        description="Loaded cost per FTE. null: the case's `organisation.cost_per_fte_eur_per_year`.",
    )


class AreaCapacity(Strict):
    """Capacity for the residents in one area. null: not given, not checked."""

    primary_places: float | None = Field(
        default=None, ge=0, description="Free places in regular primary schools."
    )
    secondary_places: float | None = Field(
        default=None, ge=0, description="Free places in regular secondary schools."
    )
    newcomer_primary_places: float | None = Field(
        default=None, ge=0, description="Places in newcomers' primary education."
    )
    isk_places: float | None = Field(default=None, ge=0, description="Places in ISK classes.")
    gp_registrations: float | None = Field(
        default=None, ge=0, description="New patients local GP practices can register."
    )


class ThuisSettings(Strict):
    """Everything 'thuis' needs beyond the case: one block per stream plus school, inburgering, staff."""

    ukraine: StreamProfile = Field(description="Ukrainians in GOO and those moved on after 2027.")
    asylum: StreamProfile = Field(
        description="Asylum seekers in COA locations in the municipality."
    )
    status_holders: StreamProfile = Field(description="Status holders housed under the task.")
    school: SchoolSettings
    inburgering: InburgeringSettings
    staff: StaffSettings
    permit_to_housing_months: float | None = Field(
        default=None,
        ge=0,
        le=60,
        description="Months from the permit to housing, to read the CBS work curve by years since "
        "the permit. null: the legal norm taakstelling_housing_norm_weeks (10 weeks); in practice "
        "often longer (facts §3.5).",
    )
    capacities: dict[str, AreaCapacity] = Field(
        default_factory=dict,
        description="Capacity per wijk code (WKxxxxxx) and/or 'municipality' (all demand).",
    )
    shortage_from: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d{2}$",
        description="First month (YYYY-MM) of the window the shortage chance is read over. "
        "null: the first month of the horizon.",
    )

    @model_validator(mode="after")
    def _sourced_or_set(self) -> ThuisSettings:
        """Every None must have a sourced default; list every missing one at once."""
        missing = [
            f"thuis.{stream}.{name}"
            for stream in STREAMS
            for name in ("minor_share", "employed_share_of_working_age", "newcomer_education_share")
            if getattr(self.profile(stream), name) is None and not _has_default(stream, name)
        ]
        if missing:
            raise ValueError(
                "no sourced default for " + ", ".join(missing) + "; set them (ASSUMPTION)"
            )
        return self

    def profile(self, stream: str) -> StreamProfile:
        """The block of one stream."""
        return getattr(self, stream)


def _has_default(stream: str, name: str) -> bool:
    if name == "newcomer_education_share":
        return stream == "status_holders"
    if name == "employed_share_of_working_age":
        return stream in ("ukraine", "status_holders")
    return composition_default(stream, name) is not None


def composition_default(stream: str, figure: str) -> float | None:
    frame = reference.table("thuis_composition")
    row = frame[(frame["stream"] == stream) & (frame["figure"] == figure) & frame["default"]]
    return float(row["value"].iloc[0]) if len(row) else None
