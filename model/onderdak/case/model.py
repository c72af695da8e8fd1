"""The case: every section of a case file for one scenario, validated together."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import ConfigDict, Field, PrivateAttr, field_validator, model_validator

from onderdak.case.fields import Strict, check_month, current_month
from onderdak.case.locations import GeoSettings, MCASettings, OrganisationSettings
from onderdak.case.money import BusinessCaseSettings
from onderdak.case.municipality import (
    AsylumSettings,
    InflowSettings,
    Municipality,
    StatusHolderSettings,
    UkraineSettings,
)
from onderdak.case.optimise import OptimiseSettings
from onderdak.case.thuis import ThuisSettings


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
    thuis: ThuisSettings | None = Field(
        default=None,
        description="What the residents need beyond a bed: school places, GP registrations, "
        "inburgering, work and municipal staff (README, 'Thuis'). null: not computed.",
    )

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
        return check_month(str(v))

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
