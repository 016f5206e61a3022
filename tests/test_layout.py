"""The source layout holds: no import cycle anywhere (function-level imports included), modules
and classes of a size a newcomer can read. The layer contracts are `lint-imports` in CI."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

SRC = Path(__file__).resolve().parents[1] / "src" / "xxgk"
MAX_MODULE_LINES = 420  # "about 400"
MAX_CLASS_LINES = 200
# Declarations only, kept whole on purpose: the one catalogue of codes and messages.
ONE_CATALOGUE = {Path("check") / "findings.py"}


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), i.e. import cycles."""
    modules = sorted(m for m in graph.modules if m == "xxgk" or m.startswith("xxgk."))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.find_modules_directly_imported_by(node)):
            if not nxt.startswith("xxgk"):
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("xxgk")
    assert len(graph.modules) > 40  # the whole package was read
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle() -> None:
    """The oracle above must be able to fail: a two-module loop is one component."""
    graph = grimp.ImportGraph()
    for name in ("xxgk", "xxgk.a", "xxgk.b", "xxgk.c"):
        graph.add_module(name)
    graph.add_import(importer="xxgk.a", imported="xxgk.b")
    graph.add_import(importer="xxgk.b", imported="xxgk.a")
    graph.add_import(importer="xxgk.c", imported="xxgk.a")
    assert _cycles(graph) == [["xxgk.a", "xxgk.b"]]


def test_modules_and_classes_stay_readable() -> None:
    too_long = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES and path.relative_to(SRC) not in ONE_CATALOGUE:
            too_long.append(f"{path.relative_to(SRC)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                size = node.end_lineno - node.lineno + 1
                if size > MAX_CLASS_LINES:
                    too_long.append(f"{path.relative_to(SRC)}: class {node.name} {size} lines")
    assert too_long == []
