"""The base of every case section (unknown keys are errors) and the field types and checks the sections share."""

from __future__ import annotations

import os
from typing import Annotated

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Strict(BaseModel):
    """Base of every case section: unknown keys are errors, values are immutable, numbers finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


PEILDATUM_ENV = "ONDERDAK_PEILDATUM"


def current_month() -> str:
    """The default peildatum: ``$ONDERDAK_PEILDATUM`` when set, else this month (YYYY-MM)."""
    return os.environ.get(PEILDATUM_ENV) or pd.Timestamp.now().strftime("%Y-%m")


def check_month(v: str) -> str:
    try:
        pd.Period(v, freq="M")
    except Exception as exc:  # pandas raises several types
        raise ValueError(f"{v!r} is not a month in the form YYYY-MM") from exc
    if len(v) != 7 or v[4] != "-":
        raise ValueError(f"{v!r} is not a month in the form YYYY-MM")
    return v
