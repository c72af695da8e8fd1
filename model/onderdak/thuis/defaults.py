"""The sourced defaults of 'thuis' resolved: a stream's composition as numbers, the work curve, windows.

Each function returns the case's value where set, else the figure in ``data/reference``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from onderdak.case.thuis import ThuisSettings, composition_default
from onderdak.core.errors import InputError
from onderdak.io import reference


@dataclass(frozen=True)
class Profile:
    """One stream's composition as numbers: ``age_shares`` (sum 1) and where each figure came from."""

    stream: str
    age_shares: dict[str, float]
    women_share_of_adults: float | None
    employed_share_of_working_age: float | None
    newcomer_education_share: float | None
    gp_registration: bool
    origin: dict[str, str]


def resolve_profile(settings: ThuisSettings, stream: str) -> Profile:
    """The composition of ``stream``: the case's values, else the sourced defaults.

    ``origin`` maps each figure to ``"case"`` or the reference file it came from. The age shares
    are minors × the split, and adults × (1 − seniors) / × seniors.

    Raises
    ------
    InputError
        If a figure has neither (the validator normally catches this first).
    """
    p = settings.profile(stream)
    origin: dict[str, str] = {}
    minor = p.minor_share
    origin["minor_share"] = "case"
    if minor is None:
        minor = composition_default(stream, "minor_share")
        origin["minor_share"] = "thuis_composition"
    if minor is None:
        raise InputError(f"thuis.{stream}.minor_share: no sourced default; set it (ASSUMPTION)")
    women = p.women_share_of_adults
    origin["women_share_of_adults"] = "case"
    if women is None:
        women = composition_default(stream, "women_share_of_adults")
        origin["women_share_of_adults"] = "thuis_composition" if women is not None else "none"
    employed = p.employed_share_of_working_age
    origin["employed_share_of_working_age"] = "case"
    if employed is None and stream == "ukraine":
        employed = ukraine_employed_share()
        origin["employed_share_of_working_age"] = "thuis_work"
    elif employed is None:
        origin["employed_share_of_working_age"] = "thuis_work_curve"
    split = p.minor_age_split
    adults = 1.0 - minor
    shares = {
        "age_0_3": minor * split.age_0_3,
        "age_4_11": minor * split.age_4_11,
        "age_12_17": minor * split.age_12_17,
        "age_18_66": adults * (1.0 - p.senior_share_of_adults),
        "age_67_plus": adults * p.senior_share_of_adults,
    }
    return Profile(
        stream=stream,
        age_shares=shares,
        women_share_of_adults=women,
        employed_share_of_working_age=employed,
        newcomer_education_share=p.newcomer_education_share,
        gp_registration=p.gp_registration,
        origin=origin,
    )


def ukraine_employed_share() -> float:
    """The default employment share of working-age Ukrainians (the default row of thuis_work.csv)."""
    frame = reference.table("thuis_work")
    row = frame[(frame["stream"] == "ukraine") & frame["default"]]
    return float(row["employed_share"].iloc[0])


def work_curve() -> tuple[list[float], list[float]]:
    """Years since the permit and the share of status holders with a job (default rows, plus 0 at 0).

    The share at the permit itself is 0 (CBS: 'in their first year almost nobody' worked); between
    the sourced points it is linear, after the last one it stays at the last share.
    """
    frame = reference.table("thuis_work")
    rows = frame[(frame["stream"] == "status_holders") & frame["default"]].sort_values(
        "years_since_permit"
    )
    years = [0.0, *rows["years_since_permit"].astype(float).tolist()]
    shares = [0.0, *rows["employed_share"].astype(float).tolist()]
    return years, shares


def newcomer_months(settings: ThuisSettings) -> int:
    """Months a status-holder pupil counts as a newcomer: the case's value or the reference (2 years)."""
    if settings.school.newcomer_education_months is not None:
        return settings.school.newcomer_education_months
    return round(reference.scalar("newcomer_education_years") * 12)


def permit_to_housing_months(settings: ThuisSettings) -> float:
    """Months from the permit to housing: the case's value or the 10-week legal norm."""
    if settings.permit_to_housing_months is not None:
        return settings.permit_to_housing_months
    return reference.scalar("taakstelling_housing_norm_weeks") * 12.0 / 52.0


def intake_share(settings: ThuisSettings) -> float:
    """Share of the obliged who start a trajectory: the case's value or CBS SWI 2023 (0.88)."""
    if settings.inburgering.intake_share is not None:
        return settings.inburgering.intake_share
    return reference.scalar("inburgering_brede_intake_started_share_cohort_2022")


def shortage_start(settings: ThuisSettings, periods: pd.PeriodIndex) -> int:
    """Index of the first month of the shortage window in ``periods``."""
    if settings.shortage_from is None:
        return 0
    first = pd.Period(settings.shortage_from, freq="M")
    return int(min(max((first - periods[0]).n, 0), len(periods)))
