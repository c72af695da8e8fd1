"""Reading a case file's YAML safely: text encodings, duplicate keys, size and depth limits, errors that name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from onderdak.core.errors import InputError

MAX_YAML_VALUES = 100_000
"""Values a case file may expand into (YAML aliases included): a guard against alias bombs."""


MAX_YAML_DEPTH = 40
"""Nesting a case file may have (the schema itself is at most 5 deep)."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping (instead of the last winning)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *base` may be overridden by the keys beside it
        try:
            key = loader.construct_object(key_node, deep=True)
            hash(key)
        except TypeError:
            continue  # an unhashable key: the constructor reports it
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} is given twice (first on line {seen[key] + 1}); keep one",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _decode(raw: bytes, name: str) -> str:
    """Text of a case file: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: starts as UTF-16 but is not ({exc.reason})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if b"\x00" in raw:
            raise InputError(f"{name}: not a text file; a case file is YAML text") from None
        return raw.decode("cp1252", errors="replace")  # Windows Notepad's default


def _expanded_size(data: Any, memo: dict[int, int], depth: int, name: str) -> int:
    """Values in ``data`` with every YAML alias expanded, computed without expanding them."""
    if depth > MAX_YAML_DEPTH:
        raise InputError(f"{name}: nested more than {MAX_YAML_DEPTH} levels deep; not a case file")
    if not isinstance(data, dict | list):
        return 1
    if id(data) in memo:
        return memo[id(data)]
    items = [*data.keys(), *data.values()] if isinstance(data, dict) else data
    n = 1 + sum(_expanded_size(v, memo, depth + 1, name) for v in items)
    memo[id(data)] = n
    return n


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping in a YAML file, or an InputError naming the file and line.

    Refused: a folder, a key given twice, more than ``MAX_YAML_DEPTH`` levels of nesting, and a
    file whose aliases expand into more than ``MAX_YAML_VALUES`` values.
    """
    if path.is_dir():
        raise InputError(
            f"{path}: is a folder; give the case file"
            + (f", e.g. {path / 'case.yaml'}" if (path / "case.yaml").is_file() else "")
        )
    if not path.exists():
        raise InputError(f"{path}: case file not found")
    try:
        text = _decode(path.read_bytes(), path.name)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise InputError(
            f"{path.name}{line}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    except RecursionError:
        raise InputError(f"{path.name}: nested too deeply; not a case file") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path.name}: a case file must be a mapping of fields, not {type(data).__name__}"
        )
    size = _expanded_size(data, {}, 0, path.name)
    if size > MAX_YAML_VALUES:
        raise InputError(
            f"{path.name}: expands into {size:,} values (YAML aliases); a case file has at most "
            f"{MAX_YAML_VALUES:,}"
        )
    return data
