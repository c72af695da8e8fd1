"""One input gate that every command passes: the case, the run's size, the register and its place.

``onderdak validate`` runs exactly these checks and ``run``, ``report``, ``optimise`` and
``business-case`` run them before any simulation, so that a case ``validate`` accepts is never
refused later for an input reason, and every refusal is an :class:`~onderdak.core.errors.InputError`
(exit 2) naming the file, sheet, row, column and value, reported once.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onderdak.case.settings import Case, select_cases
from onderdak.core.errors import InputError
from onderdak.geo.spread import place_for_case
from onderdak.portfolio.mca import mca_for_case
from onderdak.register.checks import RegisterWarning
from onderdak.register.locations import load_register

BASE_BYTES = 400 * 2**20
"""Memory of a run before its ensembles: the interpreter, pandas, the reference data."""
BYTES_PER_PATH_MONTH = 1_300
"""Memory per path and month of one scenario (all streams, drivers and their tables), measured on
the demo case (about 1,050 bytes) with a margin."""


@dataclass
class Checked:
    """What the gate found: the scenarios to run, the register, its place and the warnings."""

    cases: dict[str, Case]
    paths: int | None = None
    seed: int | None = None
    register: Any = None  # onderdak.register.locations.Register
    place: Any = None  # onderdak.geo.spread.Place
    warnings: list[RegisterWarning | str] = field(
        default_factory=list
    )  # register: facts; place: text

    @property
    def base(self) -> Case:
        return next(iter(self.cases.values()))


def check_paths_and_seed(
    case: Case, paths: int | None, seed: int | None, *, flag: str = "--"
) -> tuple[int | None, int | None]:
    """``paths`` and ``seed`` of a run, checked with the bounds of the case file's own fields.

    None means the case's value; anything else must be what the case file itself may hold
    (``paths`` 10–200,000, ``seed`` ≥ 0): no 0 that becomes the default, no negative seed that is
    recorded but not used.
    """
    from pydantic import ValidationError

    for name, value in (("paths", paths), ("seed", seed)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{flag}{name} {value!r}: must be a whole number")
        try:
            case.with_updates(**{name: value})
        except ValidationError as exc:
            msg = exc.errors()[0]["msg"]
            raise InputError(
                f"{flag}{name} {value}: {msg} (the bounds of `{name}` in the case file; leave it out "
                f"for the case's {getattr(case, name)})"
            ) from None
    return paths, seed


def check_memory(cases: Sequence[Case], paths: int | None, *, flag: str = "--") -> None:
    """Refuse a run whose ensembles would not fit in the memory this machine has free."""
    need = BASE_BYTES + sum(
        (paths or c.paths) * c.horizon_months * BYTES_PER_PATH_MONTH for c in cases
    )
    free = available_memory()
    if free is None or need <= 0.8 * free:
        return
    per_path = sum(c.horizon_months for c in cases) * BYTES_PER_PATH_MONTH
    fits = max(0, int((0.8 * free - BASE_BYTES) // per_path))
    given = paths or cases[0].paths
    raise InputError(
        f"{flag}paths {given:,} × {cases[0].horizon_months} months × {len(cases)} scenario(s) needs "
        f"about {need / 2**30:,.1f} GiB of memory; this machine has {free / 2**30:,.1f} GiB free. "
        f"Use at most {fits:,} paths (or fewer scenarios, or a shorter horizon_months)"
    )


def available_memory() -> int | None:
    """Bytes of memory free for a new run (None when unknown)."""
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except Exception:  # psutil missing or unsupported
        try:
            return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            return None


def check_finite(name: str, value: float | None, *, low: float | None = None) -> None:
    """A command-line number: finite and at least ``low``."""
    if value is None:
        return
    if not math.isfinite(value) or (low is not None and value < low):
        bound = "" if low is None else f" ≥ {low:g}"
        raise InputError(f"{name} {value}: must be a finite number{bound}")


def check_case(
    case_path: str | Path,
    scenarios: Sequence[str] | None = None,
    paths: int | None = None,
    seed: int | None = None,
    *,
    flag: str = "--",
    register: bool = True,
) -> Checked:
    """Every input check of a run, without simulating: what ``validate`` reports and ``run`` relies on.

    Parameters
    ----------
    case_path : str or Path
    scenarios : sequence of str, optional
        Scenarios to run (default: all).
    paths, seed : int, optional
        Overrides of the case's (None: the case's).
    flag : str
        How the command line names ``paths`` and ``seed`` in messages (``--`` or ``-p ``).
    register : bool
        Also check the register, its place and the MCA (a regional overview uses none of them).

    Raises
    ------
    InputError
        For the first kind of problem found (all problems of that kind listed).
    """
    cases = select_cases(case_path, scenarios)
    base = next(iter(cases.values()))
    for case in cases.values():
        check_paths_and_seed(case, paths, seed, flag=flag)
    check_memory(list(cases.values()), paths, flag=flag)
    checked = Checked(cases=cases, paths=paths, seed=seed)
    if not base.locations or not register:
        return checked
    register = load_register(base)
    place = place_for_case(base, register.table)
    checked.register, checked.place = register, place
    checked.warnings = [*register.warnings, *(place.warnings if place is not None else [])]
    _check_business_case(checked)
    try:
        mca_for_case(base, register.table, place)
    except InputError as exc:
        raise _mca_error(exc, register, place) from None
    return checked


def _check_business_case(checked: Checked) -> None:
    """``business_case.location_id`` of every scenario names an open location of the register."""
    register = checked.register
    problems = []
    for name, case in checked.cases.items():
        loc = case.business_case.location_id
        if not loc or (loc in register.table.index and loc not in register.closed):
            continue
        where = f"{case.source.name if case.source else case.name}" + (
            "" if name == "basis" else f", scenario '{name}'"
        )
        why = (
            "closed before the start (its available_until)"
            if loc in register.closed
            else f"not in the register (it has: {', '.join(map(str, register.table.index))})"
        )
        problems.append(f"{where}, field `business_case.location_id`: {loc!r} is {why}")
    if problems:
        unique = list(dict.fromkeys(p.split(", field")[1] for p in problems))
        shown = problems if len(unique) > 1 else problems[:1]  # reported once, not per scenario
        raise InputError(f"{register.source.name}: the business case names no open location", shown)


def _mca_error(exc: InputError, register: Any, place: Any) -> InputError:
    """An MCA refusal with the register file, the rows of the locations it names and, for a location
    outside the municipality, that real cause."""
    import re

    text = str(exc)
    named = [loc for loc in register.table.index if re.search(rf"\b{re.escape(str(loc))}\b", text)]
    rows = ", ".join(f"{loc} in row {register.rows[loc]}" for loc in named if loc in register.rows)
    where = register.source.name + (f" ({rows})" if rows else "")
    outside = set(place.assignment.outside) if place is not None else set()
    causes = [
        w.replace("register, ", f"{register.source.name}, ", 1)
        for w in (place.assignment.warnings if place is not None else [])
        for loc in named
        if loc in outside and f"location {loc!r}" in w
    ]
    return InputError(f"{where}: {text}" + ("\ncause: " + "; ".join(causes) if causes else ""))
