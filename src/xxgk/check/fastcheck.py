"""A compiled fast path for the part of JSON Schema our schema uses.

`jsonschema` spends ~2 ms per report walking the schema; a county converts a thousand reports.
This module compiles the same schema file once into plain Python checks that answer one
question: does this instance certainly satisfy every keyword except our arithmetic vocabulary?
It is deliberately stricter than JSON Schema (e.g. 3.0 is not accepted as an integer here): any
instance it does not positively accept goes through `jsonschema` for the findings, so the fast
path can only make validation faster, never different. A schema keyword it does not know
disables the fast path altogether.

The arithmetic keywords are collected with their instance locations, so that they can be
evaluated directly on an instance the fast path accepted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

from xxgk.format.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

Check = Callable[["Any"], bool]  # "Any": typing is imported only to type-check

# Keywords that only annotate: they never make an instance invalid.
ANNOTATIONS = {"title", "description", "$comment", "$schema", "$id", "$defs"}


class Unsupported(Exception):
    """The schema uses something the compiler (or the straight-line generator) does not
    implement."""


@record(frozen=True)
class ArithmeticSite:
    """Where an arithmetic keyword applies: the instance path and the keyword's rules."""

    path: tuple[str, ...]
    rules: list[dict[str, Any]]


@record(frozen=True)
class Compiled:
    conforms: Check
    arithmetic: tuple[ArithmeticSite, ...]


def resolve_ref(root: dict[str, Any], ref: str) -> dict[str, Any]:
    """The subschema a local `$ref` (a JSON pointer into the schema itself) names."""
    if not ref.startswith("#/"):
        raise Unsupported(ref)
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def is_date(value: str) -> bool:
    """Whether a string is a date as the schema's `format: date` means it (ISO 8601)."""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Compiler:
    def __init__(self, root: dict[str, Any], arithmetic_keyword: str) -> None:
        self.root = root
        self.keyword = arithmetic_keyword
        self.sites: list[ArithmeticSite] = []

    def resolve(self, ref: str) -> dict[str, Any]:
        return resolve_ref(self.root, ref)

    def compile(self, schema: dict[str, Any], path: tuple[str, ...]) -> Check:
        checks: list[Check] = []
        for key, value in schema.items():
            if key in ANNOTATIONS or key in ("properties", "required", "additionalProperties"):
                continue
            if key == self.keyword:
                self.sites.append(ArithmeticSite(path, value))
            elif key == "$ref":
                checks.append(self.compile(self.resolve(value), path))
            elif key == "type":
                checks.append(_type_check(value))
            elif key in _KEYWORDS:
                checks.append(_KEYWORDS[key](value))
            elif key == "format" and value == "date":
                checks.append(_date_format)
            else:
                raise Unsupported(key)
        if "properties" in schema or "required" in schema:
            checks.append(self._object(schema, path))
        elif "additionalProperties" in schema:
            raise Unsupported("additionalProperties without properties")
        if len(checks) == 1:
            return checks[0]
        return _all_of(tuple(checks))

    def _object(self, schema: dict[str, Any], path: tuple[str, ...]) -> Check:
        if schema.get("additionalProperties", True) is not False:
            raise Unsupported("open object")
        props = {k: self.compile(s, (*path, k)) for k, s in schema.get("properties", {}).items()}
        required = frozenset(schema.get("required", ()))
        allowed = frozenset(props)
        items = tuple(props.items())

        def check(v: Any) -> bool:
            if type(v) is not dict:
                return False
            keys = v.keys()
            if not required <= keys or not keys <= allowed:
                return False
            return all(c(v[k]) for k, c in items if k in v)

        return check


def _numeric(v: Any) -> bool:
    return type(v) in (int, float)


def _minimum(lo: Any) -> Check:
    return lambda v: not _numeric(v) or v >= lo


def _maximum(hi: Any) -> Check:
    return lambda v: not _numeric(v) or v <= hi


def _min_length(n: int) -> Check:
    return lambda v: not isinstance(v, str) or len(v) >= n


def _max_length(n: int) -> Check:
    return lambda v: not isinstance(v, str) or len(v) <= n


def _pattern(text: str) -> Check:
    rx = re.compile(text)
    return lambda v: not isinstance(v, str) or bool(rx.search(v))


def _const(c: Any) -> Check:
    return lambda v: type(v) is type(c) and v == c


def _date_format(v: Any) -> bool:
    return not isinstance(v, str) or is_date(v)


def _all_of(checks: tuple[Check, ...]) -> Check:
    return lambda v: all(c(v) for c in checks)


# The value-constraining keywords this compiler implements, each a check factory.
_KEYWORDS: dict[str, Callable[[Any], Check]] = {
    "minimum": _minimum,
    "maximum": _maximum,
    "minLength": _min_length,
    "maxLength": _max_length,
    "pattern": _pattern,
    "const": _const,
}


def _type_check(name: str) -> Check:
    if name == "object":
        return lambda v: type(v) is dict
    if name == "integer":
        return lambda v: type(v) is int
    if name == "number":
        return lambda v: type(v) is int or (type(v) is float and math.isfinite(v))
    if name == "string":
        return lambda v: type(v) is str
    raise Unsupported(f"type {name}")


def compile_schema(schema: dict[str, Any], arithmetic_keyword: str) -> Compiled | None:
    """The fast path for `schema`, or None if the schema uses a keyword not implemented here."""
    compiler = _Compiler(schema, arithmetic_keyword)
    try:
        conforms = compiler.compile(schema, ())
    except Unsupported:
        return None
    return Compiled(conforms, tuple(compiler.sites))
