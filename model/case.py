"""The case file: one municipality's settings as YAML, validated with pydantic, with named scenarios.

A case file holds a base configuration and, under ``scenarios:``, named overrides of that base.
Every scenario is the base deep-merged with its overrides and validated on its own, so an error
names the file, the scenario and the field.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from model.errors import InputError

NationalScenario = Literal[
    "laag", "midden", "hoog", "nieuwe_crisis", "einde_tijdelijke_bescherming"
]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Strict(BaseModel):
    """Base of every case section: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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


class AsylumSettings(Strict):
    """Asylum reception hosted under the Spreidingswet."""

    published_places: int | None = Field(
        default=None,
        ge=0,
        description="Published indicative number for the current cycle; overrides the formula.",
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
    """Boundaries, inhabitants per wijk, amenities and the spread threshold (model.geo, model.spread)."""

    wijken: str | None = Field(
        default=None,
        description="Wijk boundaries, GeoJSON or GeoPackage in CBS/PDOK format (statcode WKxxxxxx, "
        "statnaam), relative to the case file; may also hold the municipality feature (GMxxxx).",
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
        description="Inhabitants per wijk: 'file' (aantal_inwoners in the wijken file), 'area' or "
        "'equal' (the municipal population spread by area or equally: an estimate), or a CSV "
        "(statcode, population_persons) relative to the case file.",
    )
    spread_statuses: tuple[LocationStatus, ...] = Field(
        default=("existing", "planned"),
        description="Which locations count towards the places per wijk.",
    )

    @field_validator("wijk_population_source")
    @classmethod
    def _population_source(cls, v: str) -> str:
        if v not in ("file", "area", "equal") and not v.lower().endswith(".csv"):
            raise ValueError(f"{v!r} must be 'file', 'area', 'equal' or a .csv file")
        return v


class MCASettings(Strict):
    """Multi-criteria comparison of location options: weights, directions, sensitivity (model.mca)."""

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


class Case(Strict):
    """One municipality, one scenario: everything the pipeline needs besides data/reference."""

    name: str = Field(
        description="Short case name, used for report folders (letters, digits, - and _)."
    )
    title: str | None = Field(default=None, description="Title on the report.")
    fictional: bool = Field(default=False, description="True for demo data; the report says so.")
    language: Literal["nl", "en"] = "nl"
    municipality: Municipality
    start: str = Field(description="First month of the horizon (YYYY-MM).")
    horizon_months: int = Field(default=120, ge=12, le=360)
    price_year: int = Field(
        ge=2000, le=2100, description="Money is in euros at prices of this year."
    )
    discount_rate_real_share: float = Field(
        default=0.025,
        gt=-0.05,
        lt=0.5,
        description="Real discount rate per year. Default: the Dutch public-sector rate for risk-free "
        "projects (2.25%, Werkgroep discontovoet 2020) rounded; see data/reference.",
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
    allocation_rule: Literal["cost", "priority"] = Field(
        default="cost",
        description="Fill locations by lowest cost per place-day, or by the register's priority.",
    )
    organisation: OrganisationSettings = OrganisationSettings()
    # --- sections added by later capabilities go below this line ---
    geo: GeoSettings = GeoSettings()
    mca: MCASettings = MCASettings()

    _dir: Path = PrivateAttr(default=Path("."))
    _file: Path | None = PrivateAttr(default=None)
    _scenario: str = PrivateAttr(default="basis")

    @field_validator("start")
    @classmethod
    def _start_month(cls, v: str) -> str:
        return _check_month(v)

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


def _check_month(v: str) -> str:
    try:
        pd.Period(v, freq="M")
    except Exception as exc:  # pandas raises several types
        raise ValueError(f"{v!r} is not a month in the form YYYY-MM") from exc
    if len(v) != 7 or v[4] != "-":
        raise ValueError(f"{v!r} is not a month in the form YYYY-MM")
    return v


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Base updated with override, recursively for nested mappings (override wins)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _describe(exc: ValidationError, file: Path, scenario: str) -> list[str]:
    where = f"{file.name}" + ("" if scenario == BASE else f", scenario '{scenario}'")
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field (check the spelling; see `onderdak schema`)"
        got = err.get("input")
        shown = (
            ""
            if err["type"] in ("missing", "extra_forbidden") or isinstance(got, dict)
            else f" (got {got!r})"
        )
        problems.append(f"{where}, field `{loc}`: {msg}{shown}")
    return problems


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping in a YAML file, or an InputError naming the file and line."""
    if not path.exists():
        raise InputError(f"{path}: case file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise InputError(
            f"{path.name}{line}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path.name}: a case file must be a mapping of fields, not {type(data).__name__}"
        )
    return data


def load_case_file(path: str | Path) -> dict[str, Case]:
    """All scenarios of a case file, validated: ``{'basis': Case, 'hoog': Case, ...}``.

    Raises InputError listing every problem in every scenario, each naming file, scenario and field.
    """
    path = Path(path)
    raw = read_yaml(path)
    overrides = raw.pop("scenarios", None) or {}
    if not isinstance(overrides, dict):
        raise InputError(f"{path.name}, field `scenarios`: must map scenario names to overrides")
    out: dict[str, Case] = {}
    problems: list[str] = []
    for name, override in [(BASE, {}), *overrides.items()]:
        if name != BASE and not isinstance(override, dict):
            problems.append(
                f"{path.name}, scenario '{name}': overrides must be a mapping of fields"
            )
            continue
        try:
            case = Case.model_validate(deep_merge(raw, override or {}))
        except ValidationError as exc:
            problems.extend(_describe(exc, path, name))
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
