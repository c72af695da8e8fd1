"""The layers you can see (README, 'Layers'): the data flows one way, from the case up to the report.

Three checks, all on the import graph grimp builds from the source (imports inside functions
count: a function-level import would only hide a cycle, not remove it):

- the import-linter contract in ``pyproject.toml``: each sub-package imports only from the layers
  below it;
- no import cycle between modules, also inside one sub-package;
- no module over about 400 lines unless its docstring says why.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

PACKAGE = Path(__file__).resolve().parents[1] / "model" / "onderdak"
ROOT = PACKAGE.parents[1]
MAX_LINES = 400
REASON = "Longer than 400 lines"
"""The phrase a long module's docstring uses to say why it stays one module."""


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("onderdak", exclude_type_checking_imports=True)


def test_the_layers_contract_is_kept(monkeypatch):
    monkeypatch.chdir(ROOT)  # lint-imports reads pyproject.toml from the working directory
    assert lint_imports(no_cache=True) == 0, "run `lint-imports` to see which import breaks a layer"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_on_a_hand_made_graph():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert _cycles(edges) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules(graph):
    # the package's own __init__ re-exports the public API: it sits above every module
    edges = {
        m: set(graph.find_modules_directly_imported_by(m)) - {"onderdak"} for m in graph.modules
    }
    cycles = _cycles(edges)
    assert not cycles, f"modules importing each other (imports inside functions count): {cycles}"


def test_no_module_is_long_without_a_reason():
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_LINES and REASON not in (ast.get_docstring(ast.parse(text)) or ""):
            long.append(f"{path.relative_to(PACKAGE)} ({lines} lines)")
    assert not long, (
        f"split these modules by concept, or say in the docstring '{REASON}: …' why not: {long}"
    )
