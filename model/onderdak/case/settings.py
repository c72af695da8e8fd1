"""The case file: one municipality's settings as YAML, validated with pydantic, with named scenarios.

A case file holds a base configuration and, under ``scenarios:``, named overrides of that base.
Every scenario is the base deep-merged with its overrides and validated on its own, so an error
names the file, the scenario and the field.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from onderdak.case.model import Case
from onderdak.case.yaml_file import read_yaml
from onderdak.core.errors import InputError
from onderdak.io import resources

BASE = "basis"


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
