"""The case file's locations: the organisation that runs them, their geography and the multi-criteria scores."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from onderdak.case.fields import Strict


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
