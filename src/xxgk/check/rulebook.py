"""A rule is a small function over one report's data whose docstring is the rule as the official
format states it, registered with its finding code in a `Rulebook`. Rules read the data
defensively: the schema reports shape problems, so a rule silently skips values that are missing
or of the wrong type."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby

from xxgk.check.findings import Finding
from xxgk.format import model as m
from xxgk.format.model import Path
from xxgk.format.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

RuleFn = Callable[[dict[str, "Any"]], Iterator[Finding]]  # "Any": as in check/outcome.py


@record(frozen=True)
class Rule:
    code: str
    fn: RuleFn

    @property
    def doc(self) -> str:
        return (self.fn.__doc__ or "").strip()


class Rulebook:
    """The rules of one module, in the order they were registered."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []

    def rule(self, code: str) -> Callable[[RuleFn], RuleFn]:
        def register(fn: RuleFn) -> RuleFn:
            self.rules.append(Rule(code, fn))
            return fn

        return register

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)


def where_of(path: Path) -> str:
    """How a message names the place of a leaf: 表三「…」行「…」列, 「（二）依申请公开」…"""
    return m.LEAF_BY_POINTER[m.pointer(path)].where


NARRATIVE_FIELDS: tuple[m.TextField, ...] = (
    *m.OVERVIEW_PARTS,
    m.PROBLEMS,
    m.IMPROVEMENTS,
    m.OTHER_TEXT,
)


# Consecutive fields under one object, read with it: seven rules read these nine on each report.
_BY_HEAD: tuple[tuple[str, tuple[tuple[Path, str | None], ...]], ...] = tuple(
    (head, tuple((f.path, f.path[1] if len(f.path) == 2 else None) for f in group))
    for head, group in (
        (head, list(group)) for head, group in groupby(NARRATIVE_FIELDS, lambda f: f.path[0])
    )
)
assert all(len(f.path) <= 2 for f in NARRATIVE_FIELDS)


def narratives(data: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    """Every narrative paragraph field the staff wrote (not empty), in document order."""
    for head, fields in _BY_HEAD:
        node = data.get(head)
        for path, key in fields:
            text = node if key is None else node.get(key) if isinstance(node, dict) else None
            if isinstance(text, str) and text:
                yield path, text
