"""Report data in, findings out: the JSON Schema (with our arithmetic vocabulary) and the rules.

All problems are reported at once. The core does no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from xxgk.check import findings as fc
from xxgk.check import narrative, rules
from xxgk.check.fastcheck import Compiled, compile_schema
from xxgk.check.findings import Finding
from xxgk.check.rulebook import Rule
from xxgk.check.straightline import Clean, compile_clean
from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.format.clean import in_range, out_of_range_text
from xxgk.format.paths import is_number
from xxgk.format.schema import ARITHMETIC_KEYWORD, YEAR_MAX, YEAR_MIN, load_schema

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

    from jsonschema import ValidationError

# Every rule on one report, in catalogue order of concern: dates and parts, then the words.
RULES: tuple[Rule, ...] = (*rules.RULES, *narrative.RULES)

_TYPE_WORDS = {
    "integer": "整数",
    "number": "数字",
    "string": "文字",
    "object": "一组数据（对象）",
    "array": "列表",
    "boolean": "是或否",
}


Expanded = tuple[str, str | None, list[str], list[str], list[tuple[str, ...]]]
_EXPANDED: dict[int, tuple[list[dict[str, Any]], list[Expanded]]] = {}


def _expand(rules: list[dict[str, Any]]) -> list[Expanded]:
    """The keyword's rules, one entry per column, with pointers split once (schema is cached)."""
    hit = _EXPANDED.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    out: list[Expanded] = []
    for rule in rules:
        for col in rule.get("columns") or [None]:
            left = [f"{p}/{col}" if col else p for p in rule["left"]]
            right = [f"{p}/{col}" if col else p for p in rule["right"]]
            keys = [tuple(p.split("/")) for p in left + right]
            out.append((rule["code"], col, left, right, keys))
    _EXPANDED[id(rules)] = (rules, out)
    return out


def arithmetic_failures(rules: list[dict[str, Any]], instance: Any) -> Iterator[dict[str, Any]]:
    """The xxgkArithmetic keyword: for each column, sum(left) == sum(right).

    Yields one description per failed check. Values that are missing or not numbers are skipped
    here: the type rules report them.
    """
    if not isinstance(instance, dict):
        return
    for code, col, left, right, keys in _expand(rules):
        values: list[Any] = []
        for path in keys:
            node: Any = instance
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            if not is_number(node):
                break
            values.append(node)
        else:
            n = len(left)
            if sum(values[:n]) != sum(values[n:]):
                yield {
                    "code": code,
                    "left": left,
                    "right": right,
                    "values": dict(zip(left + right, values, strict=True)),
                    "column": col,
                }


def _arithmetic(
    validator: Any, rules: list[dict[str, Any]], instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema import ValidationError

    for info in arithmetic_failures(rules, instance):
        err = ValidationError(f"{info['code']}: {ARITHMETIC_KEYWORD}")
        err.xxgk = info  # type: ignore[attr-defined]
        yield err


@cache
def _validator() -> Any:
    # jsonschema (40 ms to import) only for a report the compiled fast path cannot pass: one
    # that does not conform, whose findings jsonschema's errors tell
    from jsonschema import Draft202012Validator, FormatChecker, validators

    cls = validators.extend(Draft202012Validator, {ARITHMETIC_KEYWORD: _arithmetic})
    return cls(load_schema(), format_checker=FormatChecker())


def _ptr(parts: Any) -> str:
    return m.pointer(tuple(str(p) for p in parts))


def where(ptr: str) -> str:
    """A person's name for the place a JSON pointer points at."""
    leaf = m.LEAF_BY_POINTER.get(ptr)
    if leaf:
        return leaf.where
    path = tuple(p for p in ptr.split("/")[1:])
    title = m.OBJECT_TITLES.get(path)
    if title:
        return f"「{title}」"
    return f"「{ptr or '报告'}」" if ptr else "报告"


def _title_of(ptr: str, key: str) -> str:
    leaf = m.LEAF_BY_POINTER.get(ptr)
    if leaf:
        return leaf.title
    path = tuple(ptr.split("/")[1:])
    return m.OBJECT_TITLES.get(path, key)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"「{value}」"
    if value is None:
        return "空值（null）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "一组数据" if isinstance(value, dict) else "列表"
    if isinstance(value, (int, float)) and not in_range(value):
        return out_of_range_text(value)  # not 400 digits in a message
    return str(value)


def _arith_finding(base: tuple[str, ...], info: dict[str, Any]) -> Finding:

    def absolute(rel: str) -> tuple[str, ...]:
        return base + tuple(rel.split("/"))

    values = info["values"]
    lsum = sum(values[p] for p in info["left"])
    rsum = sum(values[p] for p in info["right"])

    def expr(rels: list[str]) -> str:
        return "+ ".join(f"{ar.term_label(absolute(p))}（{values[p]}）" for p in rels)

    paths = [m.pointer(absolute(p)) for p in info["left"] + info["right"]]
    row = m.ROW_BY_PATH.get(base)
    group = next((g for g in m.TABLE4_GROUPS if m.TABLE4_ROOT + (g.id,) == base), None)
    return fc.make(
        info["code"],
        paths[0],
        paths,
        reported=lsum,
        computed=rsum,
        diff=abs(lsum - rsum),
        left_expr=expr(info["left"]),
        right_expr=expr(info["right"]),
        column=m.COLUMN_LABEL.get(info["column"] or "", ""),
        row=row.full_label if row else "",
        group=group.title if group else "",
    )


def _schema_findings(err: ValidationError) -> Iterator[Finding]:
    ptr = _ptr(err.absolute_path)
    kw = err.validator
    inst = err.instance
    if kw == ARITHMETIC_KEYWORD:
        yield _arith_finding(tuple(map(str, err.absolute_path)), err.xxgk)  # type: ignore[attr-defined]
    elif kw == "required":
        # jsonschema types these Any | Unset; a "required" error always holds the list
        required: list[str] = err.validator_value  # type: ignore[assignment]
        for key in required:
            if isinstance(inst, dict) and key not in inst:
                child = f"{ptr}/{key}"
                yield fc.make(
                    fc.JSON_REQUIRED, child, where=where(ptr), title=_title_of(child, key), key=key
                )
    elif kw == "additionalProperties":
        schema: dict[str, Any] = err.schema  # type: ignore[assignment]
        given: dict[str, Any] = inst  # type: ignore[assignment]
        allowed = set(schema.get("properties", {}))
        for key in sorted(k for k in given if k not in allowed):
            yield fc.make(fc.JSON_EXTRA, f"{ptr}/{key}", where=where(ptr), key=key)
    elif kw == "type":
        expected = _TYPE_WORDS.get(str(err.validator_value), str(err.validator_value))
        numeric = err.validator_value in ("integer", "number") and ptr != "/year"
        yield fc.make(
            fc.JSON_TYPE,
            ptr,
            where=where(ptr),
            expected=expected,
            value=_show(inst),
            hint="（没有的请填 0）" if numeric else "",
        )
    elif kw == "maximum" and ptr != "/year":
        yield fc.make(fc.VALUE_TOO_LARGE, ptr, where=where(ptr), value=_show(inst))
    elif kw in ("minimum", "maximum") and ptr == "/year":
        old_format = is_number(inst) and inst < YEAR_MIN
        reason = (
            f"本工具只支持 2021 年度及以后的报告（{m.FORMAT_NOTICE} 格式）；2019、2020 年度报告"
            "使用国办公开办函〔2019〕60号的旧格式，不能用本工具。"
            if old_format
            else f"报告年度应在 {YEAR_MIN}–{YEAR_MAX} 之间。"
        )
        yield fc.make(fc.YEAR_RANGE, ptr, where=where(ptr), value=_show(inst), reason=reason)
    elif kw == "minimum":
        yield fc.make(fc.VALUE_NEGATIVE, ptr, where=where(ptr), value=_show(inst))
    elif kw == "minLength" or (
        kw == "pattern" and (inst == "" or _kind(ptr) == m.NAME)  # NAME's pattern is "\\S"
    ):
        yield fc.make(fc.VALUE_EMPTY, ptr, where=where(ptr), title=_title_of(ptr, ""))
    elif kw in ("format", "pattern") and ptr == "/published_on":
        # one finding per bad date, although both keywords object
        if kw == "pattern" or _matches_pattern(inst):
            yield fc.make(fc.DATE_FORMAT, ptr, where=where(ptr), value=inst)
    elif kw in ("pattern", "maxLength") and ptr == "/agency/postcode":
        yield fc.make(fc.POSTCODE_FORMAT, ptr, where=where(ptr), value=inst)
    elif kw == "const" and ptr == "/$schema":
        yield fc.make(fc.JSON_SCHEMA_ID, ptr, value=_show(inst), schema_id=err.validator_value)
    elif kw == "const" and ptr == "/format":
        yield fc.make(
            fc.FORMAT_VERSION, ptr, where=where(ptr), value=_show(inst), notice=m.FORMAT_NOTICE
        )
    else:
        yield fc.make(fc.JSON_INVALID, ptr, where=where(ptr), detail=err.message)


def _kind(ptr: str) -> str | None:
    leaf = m.LEAF_BY_POINTER.get(ptr)
    return leaf.kind if leaf else None


def _matches_pattern(value: Any) -> bool:
    import re

    return isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is not None


def schema_findings(data: Any) -> list[Finding]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for err in errors:
        # jsonschema reports `required` once per missing key, and an empty name fails both
        # minLength and pattern: one finding per (code, value).
        for f in _schema_findings(err):
            if (f.code, f.path) not in seen:
                seen.add((f.code, f.path))
                out.append(f)
    return out


@cache
def _fast() -> Compiled | None:
    return compile_schema(load_schema(), ARITHMETIC_KEYWORD)


_validated = 0  # reports this process has validated, up to 2


def _clean() -> Clean | None:
    """The straight-line function from the second report on: compiling it takes 10 ms, which
    ~40 reports pay back and `xxgk validate` of one file would only wait for."""
    global _validated
    if _validated < 2:  # counted only this far: it says no more once past the first
        _validated += 1
    return _compiled_clean() if _validated > 1 else None


@cache
def _compiled_clean() -> Clean | None:
    return compile_clean(load_schema(), ARITHMETIC_KEYWORD)


def _fast_findings(data: Any) -> list[Finding] | None:
    """Findings of the schema through the compiled fast path, or None when it cannot tell."""
    clean = _clean()
    if clean is not None and clean(data):
        return []  # the common case: conforms, every sum agrees
    fast = _fast()
    if fast is None or not fast.conforms(data):
        return None
    out: list[Finding] = []
    for site in fast.arithmetic:
        node = data
        for key in site.path:
            node = node[key]
        out.extend(
            _arith_finding(site.path, info) for info in arithmetic_failures(site.rules, node)
        )
    return out


_TOTAL_BALANCE = m.pointer((*m.TABLE3_ROOT, *m.TABLE3_NEW.path, "total"))
_BALANCE_ROW_TOTALS = frozenset(
    m.pointer((*m.TABLE3_ROOT, *row.path, "total"))
    for row in (m.TABLE3_NEW, m.TABLE3_CARRIED_OVER, m.TABLE3_RESULTS_TOTAL)
    + (m.TABLE3_CARRIED_FORWARD,)
)


def _without_implied_balance(found: list[Finding]) -> list[Finding]:
    """Rule 1 in 表三's 总计 column follows from rule 1 in the six applicant columns and rule 3
    in rows 一, 二, （七） and 四 (its gap is the sum of theirs): it fails only when one of those
    fails too, and says the same mistake again (表三!D5 and J5 for one wrong 自然人 count).
    One mistake, one finding: the 总计 column's is kept only when no such finding is there
    (those could not be judged: a cell that is not a number)."""

    def total_balance(f: Finding) -> bool:
        return f.code == fc.T3_BALANCE and f.path == _TOTAL_BALANCE

    cause = any(
        (f.code == fc.T3_BALANCE and f.path != _TOTAL_BALANCE)
        or (f.code == fc.T3_ROW_TOTAL and f.path in _BALANCE_ROW_TOTALS)
        for f in found
    )
    return [f for f in found if not total_balance(f)] if cause else found


def validate(data: Any) -> list[Finding]:
    """Every finding for one report, in document order of the value each is about."""
    found = _fast_findings(data)
    if found is None:
        found = schema_findings(data)
    found = _without_implied_balance(found)
    if isinstance(data, dict):
        for r in RULES:
            found.extend(r.fn(data))
    return sort_findings(found)


_ORDER = {leaf.pointer: i for i, leaf in enumerate(m.leaves())}


def sort_findings(found: list[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[int, str, str]:
        return (_ORDER.get(f.path, len(_ORDER)), f.path, f.code)

    return sorted(found, key=key)
