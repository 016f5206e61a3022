"""The schema and its arithmetic vocabulary compiled into the source of one Python function.

`fastcheck` answers "does this report conform?" through a tree of closures: ~1,000 calls and
generator steps per report. Here the same schema becomes straight-line code, generated once per
process and `compile`d: one `if` per object and per value, then one comparison of sums per
arithmetic check, in locals. It answers a narrower question, whether the report is certainly
clean (it conforms and every sum agrees), so that a clean report, the common case, costs a few
hundred bytecodes. Every answer but a certain yes goes the general way (`fastcheck`, then
`jsonschema`), which builds the findings: this path can make validation faster, never
different.

Each generated test implies the corresponding `fastcheck` check (the same or stricter); a schema
keyword or shape not implemented here (a recursive reference, an arithmetic term on an optional
value) leaves no straight-line function at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from xxgk.check.fastcheck import ANNOTATIONS, Unsupported, is_date, resolve_ref

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

Clean = Callable[["Any"], bool]  # "Any": typing is imported only to type-check

_OBJECT_KEYS = {"type", "properties", "required", "additionalProperties"}
_MAX_DEPTH = 32  # nesting plus $refs: beyond any schema of ours (a recursive $ref)


class _Generator:
    def __init__(self, root: dict[str, Any], arithmetic_keyword: str) -> None:
        self.root = root
        self.keyword = arithmetic_keyword
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {
            "_isfinite": math.isfinite,
            "_is_date": is_date,
            "_sum": sum,
        }
        self.names = 0
        self.refs = 0  # $refs followed to reach the node at hand
        # Values every conforming report holds (required all the way down): path -> (local, type)
        self.known: dict[tuple[str, ...], tuple[str, str | None]] = {}
        self.sites: list[tuple[tuple[str, ...], list[dict[str, Any]]]] = []

    def const(self, value: Any) -> str:
        name = f"_k{len(self.consts)}"
        self.consts[name] = value
        return name

    def local(self) -> str:
        self.names += 1
        return f"v{self.names}"

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def resolve(self, ref: str) -> dict[str, Any]:
        return resolve_ref(self.root, ref)

    def node(
        self, schema: dict[str, Any], var: str, path: tuple[str, ...], indent: int, always: bool
    ) -> None:
        """Statements that return False unless the value in `var` satisfies `schema`."""
        if len(path) + self.refs > _MAX_DEPTH:
            raise Unsupported("depth")
        kind = schema.get("type")
        conds = [self.type_test(kind, var)] if kind is not None and kind != "object" else []
        for key, value in schema.items():
            if key in ANNOTATIONS or key in _OBJECT_KEYS:
                continue
            if key == self.keyword:
                if not always:
                    raise Unsupported("arithmetic on an optional object")
                self.sites.append((path, value))
            elif key == "$ref":
                self.refs += 1
                self.node(self.resolve(value), var, path, indent, always)
                self.refs -= 1
            else:
                conds.append(self.keyword_test(key, value, var, kind))
        if conds:
            self.emit(indent, f"if not ({' and '.join(conds)}):")
            self.emit(indent + 1, "return False")
        if always and kind not in (None, "object"):
            self.known.setdefault(path, (var, kind))
        if kind == "object" or "properties" in schema or "required" in schema:
            self.object(schema, var, path, indent, always)
        elif "additionalProperties" in schema:
            raise Unsupported("additionalProperties without properties")

    def object(
        self, schema: dict[str, Any], var: str, path: tuple[str, ...], indent: int, always: bool
    ) -> None:
        if schema.get("additionalProperties", True) is not False:
            raise Unsupported("open object")
        props: dict[str, Any] = schema.get("properties", {})
        required = frozenset(schema.get("required", ()))
        if not required <= props.keys():
            raise Unsupported("required key without properties")  # fastcheck may still pass
        self.emit(indent, f"if type({var}) is not dict:")
        self.emit(indent + 1, "return False")
        allowed = frozenset(props)
        if required == allowed:
            self.emit(indent, f"if {var}.keys() != {self.const(allowed)}:")
        else:
            self.emit(
                indent, f"if not ({self.const(required)} <= {var}.keys() <= {self.const(allowed)}):"
            )
        self.emit(indent + 1, "return False")
        for key, sub in props.items():
            child = self.local()
            if key in required:
                self.emit(indent, f"{child} = {var}[{key!r}]")
                self.node(sub, child, (*path, key), indent, always)
            else:
                self.emit(indent, f"if {key!r} in {var}:")
                self.emit(indent + 1, f"{child} = {var}[{key!r}]")
                self.node(sub, child, (*path, key), indent + 1, False)

    @staticmethod
    def type_test(kind: Any, var: str) -> str:
        if kind == "integer":
            return f"type({var}) is int"
        if kind == "number":
            return f"(type({var}) is int or (type({var}) is float and _isfinite({var})))"
        if kind == "string":
            return f"type({var}) is str"
        raise Unsupported(f"type {kind}")

    def keyword_test(self, key: str, value: Any, var: str, kind: Any) -> str:
        numeric = kind in ("integer", "number")
        text = kind == "string"
        if key in ("minimum", "maximum"):
            if type(value) not in (int, float):
                raise Unsupported(key)
            # an int is written as its digits (a constant, not a global), a float by name
            bound = repr(value) if type(value) is int else self.const(value)
            test = f"{var} {'>=' if key == 'minimum' else '<='} {bound}"
            return test if numeric else f"(type({var}) not in (int, float) or {test})"
        if key in ("minLength", "maxLength"):
            if type(value) is not int:
                raise Unsupported(key)
            test = f"len({var}) {'>=' if key == 'minLength' else '<='} {value}"
            return test if text else f"(type({var}) is not str or {test})"
        if key == "pattern":
            test = f"{self.const(re.compile(value).search)}({var}) is not None"
            return test if text else f"(type({var}) is not str or {test})"
        if key == "format" and value == "date":
            return f"_is_date({var})" if text else f"(type({var}) is not str or _is_date({var}))"
        if key == "const":
            return f"(type({var}) is {self.const(type(value))} and {var} == {self.const(value)})"
        raise Unsupported(key)

    def arithmetic(self) -> None:
        """One comparison per check: the same sums `validate.arithmetic_failures` makes, on
        values the statements above have proved to be numbers."""
        for base, rules in self.sites:
            for rule in rules:
                for col in rule.get("columns") or [None]:
                    sides = [
                        [self.term(base, p, col) for p in rule[side]] for side in ("left", "right")
                    ]
                    self.emit(1, f"if {self.total(sides[0])} != {self.total(sides[1])}:")
                    self.emit(2, "return False")

    def term(self, base: tuple[str, ...], rel: str, col: str | None) -> tuple[str, str | None]:
        path = base + tuple((f"{rel}/{col}" if col else rel).split("/"))
        if path not in self.known:
            raise Unsupported(f"arithmetic term {path}")  # not certainly there: not certainly clean
        return self.known[path]

    @staticmethod
    def total(terms: list[tuple[str, str | None]]) -> str:
        if all(kind == "integer" for _, kind in terms):
            return " + ".join(var for var, _ in terms) or "0"  # int sums: exact in any order
        # a float among them: sum()'s own order of additions, as the general path computes
        return f"_sum(({', '.join(var for var, _ in terms)},))"


def compile_clean(schema: dict[str, Any], arithmetic_keyword: str) -> Clean | None:
    """A function telling whether a report certainly conforms to `schema` and passes every
    arithmetic check, or None when the schema uses something not implemented here."""
    gen = _Generator(schema, arithmetic_keyword)
    try:
        gen.node(schema, "v0", (), 1, True)
        gen.arithmetic()
    except Unsupported:
        return None
    source = "\n".join(["def clean(v0):", *gen.lines, "    return True", ""])
    namespace = dict(gen.consts)
    exec(compile(source, "<xxgk schema, straight-line>", "exec"), namespace)  # noqa: S102
    clean: Clean = namespace["clean"]
    clean.source = source  # type: ignore[attr-defined]  # for tests and the curious
    return clean
