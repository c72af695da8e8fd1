"""Read a notebook's `parameters` cell and check `-p name=value` overrides strictly against it.

A parameters cell declares one parameter per line in the form::

    paths: int = 2000  # Monte-Carlo paths
    scenario: str | None = None  # scenario of the case file (None: the base)
    streams: list[str] = ["ukraine", "asylum"]  # streams to show

Supported types: ``int``, ``float``, ``str``, ``bool``, ``list[X]``, ``dict[str, X]``,
``Literal[...]`` and unions with ``None`` (``str | None``, ``Optional[int]``). Unlike plain
papermill, an unknown name or a value of the wrong type is an :class:`~onderdak.core.errors.InputError`
that lists the valid parameters with their help text.
"""

from __future__ import annotations

import ast
import difflib
import io
import json
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from onderdak.core.errors import InputError

_TRUE = {"true", "yes", "ja", "1", "on"}
_FALSE = {"false", "no", "nee", "0", "off"}
_NONE = {"none", "null", ""}
_MISSING = object()


@dataclass(frozen=True)
class Parameter:
    """One declared notebook parameter.

    Attributes
    ----------
    name : str
        Variable name.
    annotation : str
        The type as written, e.g. ``"str | None"`` (``""`` when not annotated).
    default : Any
        The default value (a Python literal), or the source text when it is not a literal.
    help : str
        The trailing comment of the declaration.
    """

    name: str
    annotation: str
    default: Any
    help: str

    def describe(self) -> str:
        """One line: ``name: type = default  — help``."""
        kind = f": {self.annotation}" if self.annotation else ""
        text = f"{self.name}{kind} = {self.default!r}"
        return f"{text}  — {self.help}" if self.help else text


# -- reading ------------------------------------------------------------------------------------
def parameters_cell(nb: nbformat.NotebookNode) -> tuple[int, str] | None:
    """Index and source of the cell tagged ``parameters`` (None when the notebook has none)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return i, cell.source
    return None


def parse_parameters(source: str) -> dict[str, Parameter]:
    """The parameters declared in the source of a parameters cell, in order.

    Raises
    ------
    InputError
        When the cell is not valid Python or holds something other than assignments.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise InputError(
            f"parameters cell, line {exc.lineno}: not valid Python ({exc.msg})"
        ) from None
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    out: dict[str, Parameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation, value = node.target.id, ast.unparse(node.annotation), node.value
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            name, annotation, value = node.targets[0].id, "", node.value
        else:
            line = ast.get_source_segment(source, node) or ""
            raise InputError(
                f"parameters cell, line {node.lineno}: only `name: type = value  # help` "
                f"declarations are allowed, not {line.splitlines()[0]!r}"
            )
        if value is None:
            raise InputError(f"parameters cell, line {node.lineno}: `{name}` needs a default value")
        try:
            default = ast.literal_eval(value)
        except ValueError:
            default = ast.get_source_segment(source, value)
        if not annotation:
            annotation = _infer_annotation(default)
        end = node.end_lineno or node.lineno
        help_text = comments.get(end) or comments.get(node.lineno, "")
        out[name] = Parameter(name, annotation, default, help_text)
    return out


def _infer_annotation(default: Any) -> str:
    if default is None:
        return ""
    if isinstance(default, list):
        return "list"
    return type(default).__name__


def read_parameters(notebook: str | Path | nbformat.NotebookNode) -> dict[str, Parameter]:
    """The parameters a notebook declares (empty when it has no parameters cell)."""
    nb = (
        notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(str(notebook), 4)
    )
    found = parameters_cell(nb)
    return {} if found is None else parse_parameters(found[1])


# -- checking -----------------------------------------------------------------------------------
def _spec(annotation: str) -> ast.expr | None:
    if not annotation:
        return None
    try:
        return ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return None


def _members(node: ast.expr) -> list[ast.expr]:
    """The alternatives of a union annotation (a single one for a plain type)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _members(node.left) + _members(node.right)
    if isinstance(node, ast.Subscript) and _name(node.value) in ("Optional", "Union"):
        inner = node.slice
        parts = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if _name(node.value) == "Optional":
            parts.append(ast.Constant(None))
        return [m for p in parts for m in _members(p)]
    return [node]


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    return ""


def _convert(node: ast.expr, value: Any, from_text: bool) -> Any:
    """``value`` converted to the type ``node``; raises ValueError when it does not fit."""
    members = _members(node)
    if len(members) > 1:
        if any(_name(m) == "None" for m in members):
            if value is None or (from_text and str(value).strip().lower() in _NONE):
                return None
        errors = []
        for m in (m for m in members if _name(m) != "None"):
            try:
                return _convert(m, value, from_text)
            except ValueError as exc:
                errors.append(str(exc))
        raise ValueError(" and ".join(errors) or "not None")
    kind = _name(node.value) if isinstance(node, ast.Subscript) else _name(node)
    if kind == "None":
        if value is None or (from_text and str(value).strip().lower() in _NONE):
            return None
        raise ValueError("expected None")
    if kind in ("Any", "object"):
        return _literal(value) if from_text else value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if from_text and str(value).strip().lower() in _TRUE | _FALSE:
            return str(value).strip().lower() in _TRUE
        raise ValueError("expected true or false")
    if kind == "int":
        if from_text:
            try:
                return int(str(value).strip().replace("_", ""))
            except ValueError:
                raise ValueError("expected a whole number") from None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError("expected a whole number")
    if kind == "float":
        if from_text:
            try:
                return float(str(value).strip().replace("_", ""))
            except ValueError:
                raise ValueError("expected a number") from None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise ValueError("expected a number")
    if kind == "str":
        if from_text or isinstance(value, str):
            return str(value)
        raise ValueError("expected text")
    if kind == "Literal" and isinstance(node, ast.Subscript):
        inner = node.slice
        options = [
            ast.literal_eval(e) for e in (inner.elts if isinstance(inner, ast.Tuple) else [inner])
        ]
        for option in options:
            if value == option or (from_text and str(value) == str(option)):
                return option
        raise ValueError("expected one of " + ", ".join(repr(o) for o in options))
    if kind in ("list", "List", "tuple", "Sequence"):
        item = node.slice if isinstance(node, ast.Subscript) else None
        if from_text:
            text = str(value).strip()
            if text.startswith("["):
                items = _literal(text)
                if not isinstance(items, list):
                    raise ValueError("expected a list such as [a, b] or a,b")
                from_text_items = False
            else:
                items = [s.strip() for s in text.split(",") if s.strip()]
                from_text_items = True
        elif isinstance(value, list | tuple):
            items, from_text_items = list(value), False
        else:
            raise ValueError("expected a list")
        return [i if item is None else _convert(item, i, from_text_items) for i in items]
    if kind in ("dict", "Dict", "Mapping"):
        mapping = _literal(value) if from_text else value
        if not isinstance(mapping, dict):
            raise ValueError('expected a mapping such as {"a": 1}')
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple):
            key_t, val_t = node.slice.elts
            return {
                _convert(key_t, k, False): _convert(val_t, v, False) for k, v in mapping.items()
            }
        return dict(mapping)
    # An annotation we do not know: accept a literal without checking.
    return _literal(value) if from_text else value


def _literal(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    for parse in (json.loads, ast.literal_eval):
        try:
            return parse(text)
        except (ValueError, SyntaxError, TypeError):
            continue
    return text


def check_value(parameter: Parameter, value: Any, from_text: bool = True) -> Any:
    """``value`` converted to the parameter's declared type.

    Parameters
    ----------
    parameter : Parameter
        The declaration.
    value : Any
        Text from the command line (``from_text=True``) or a Python object.
    from_text : bool
        Whether ``value`` is command-line text to be parsed.

    Raises
    ------
    ValueError
        With a short reason when the value does not fit the type.
    """
    node = _spec(parameter.annotation)
    if node is None:
        if from_text:
            return _literal(value) if parameter.default is not None else value
        return value
    return _convert(node, value, from_text)


def parse_assignments(items: list[str] | None) -> dict[str, str]:
    """``["a=1", "b=x"]`` → ``{"a": "1", "b": "x"}``; an item without ``=`` is an InputError."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"-p {item!r}: write a parameter as name=value")
        out[name.strip()] = value
    return out


def validate(
    declared: Mapping[str, Parameter],
    given: Mapping[str, Any],
    notebook: str = "the notebook",
    from_text: bool = True,
    reserved: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Given values checked against the declarations and converted to their types.

    Parameters
    ----------
    declared : Mapping[str, Parameter]
        From :func:`read_parameters`.
    given : Mapping[str, Any]
        Values by name (text from ``-p`` when ``from_text``).
    notebook : str
        Name used in messages.
    from_text : bool
        Whether the values are command-line text.
    reserved : Mapping[str, str], optional
        Names the runner sets itself, with the reason shown when a user sets them.

    Raises
    ------
    InputError
        Listing every unknown name and ill-typed value, followed by the valid parameters.
    """
    problems: list[str] = []
    out: dict[str, Any] = {}
    for name, value in given.items():
        if reserved and name in reserved:
            problems.append(f"`{name}` is set by onderdak: {reserved[name]}")
            continue
        if name not in declared:
            close = difflib.get_close_matches(name, list(declared), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            problems.append(f"`{name}` is not a parameter of {notebook}{hint}")
            continue
        try:
            out[name] = check_value(declared[name], value, from_text)
        except ValueError as exc:
            problems.append(
                f"`{name}` = {value!r} does not fit type `{declared[name].annotation}`: {exc}"
            )
    if problems:
        valid = [p.describe() for n, p in declared.items() if not reserved or n not in reserved]
        listing = "\n".join(f"    {line}" for line in valid) or "    (none)"
        raise InputError(
            f"invalid parameters for {notebook}",
            [*problems, f"valid parameters of {notebook}:\n{listing}"],
        )
    return out


def check_defaults(declared: Mapping[str, Parameter]) -> list[str]:
    """Problems with the declarations themselves: a default that does not fit its type."""
    problems = []
    for p in declared.values():
        if _spec(p.annotation) is None and p.annotation:
            problems.append(f"`{p.name}`: type `{p.annotation}` is not valid Python")
            continue
        try:
            check_value(p, p.default, from_text=False)
        except ValueError as exc:
            problems.append(
                f"`{p.name}`: default {p.default!r} does not fit `{p.annotation}`: {exc}"
            )
    return problems
