"""Report JSON from bytes and back: tolerant of what people send, strict about what we write."""

from __future__ import annotations

import math
from functools import cache

from xxgk.format.clean import clean_data
from xxgk.format.record import record
from xxgk.format.schema import load_schema
from xxgk.format.textbytes import UndecodableText, decode

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

MAX_JSON_BYTES = 20 * 1024 * 1024


class ReportLoadError(Exception):
    """The input cannot be read as a report at all (exit code 3). The message is Chinese."""


@record
class Loaded:
    data: Any
    encoding: str | None = None  # a legacy encoding it was read in (GB18030), worth a warning


def too_large(size: int) -> str:
    return f"文件过大（{size} 字节以上），不像一份年度报告数据。"


def _reject_constant(name: str) -> Any:
    raise ReportLoadError(f"含有 {name}，这不是合法的 JSON 数值。请改为具体的数字。")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ReportLoadError(f"数值 {text} 超出范围。请改为正常大小的数字。")
    return value


# json's own messages are English: what each means, for staff
_JSON_REASONS = {
    "Expecting value": "此处应有一个值，可能多了逗号或缺了内容",
    "Expecting property name enclosed in double quotes": '项名应写在英文双引号 " 中，可能多了逗号',
    "Expecting ',' delimiter": "缺少英文逗号 ,",
    "Expecting ':' delimiter": "缺少英文冒号 :",
    "Unterminated string starting at": "文字没有结束，缺少右边的英文双引号",
    "Invalid control character at": "文字中有不可见的控制字符（如直接换行），请改用 \\n",
    "Invalid \\escape": "反斜杠 \\ 的用法不对",
    "Invalid \\uXXXX escape": "\\u 后应为四位十六进制数",
    "Extra data": "数据结束后还有多余的内容",
}


def _json_reason(msg: str) -> str:
    return _JSON_REASONS.get(msg, "格式不对")


def parse_report_json(raw: bytes) -> Loaded:
    """Parse report JSON bytes; raise ReportLoadError with a Chinese reason if impossible."""
    if len(raw) > MAX_JSON_BYTES:
        raise ReportLoadError(too_large(len(raw)))
    if not raw.strip():
        raise ReportLoadError("文件为空。")
    try:
        decoded = decode(raw)
    except UndecodableText as exc:
        what = f"不是有效的 {exc.label} 文字" if exc.label else "既不是 UTF-8 也不是 GBK 编码的文字"
        raise ReportLoadError(f"文件{what}，无法读取。") from None
    text = decoded.text
    repeated: list[tuple[dict[str, Any], str, Any, Any]] = []

    def one_value_per_key(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out and not repeated:
                repeated.append((out, key, out[key], value))
            out[key] = value
        return out

    import json  # here, not on import: `xxgk validate` of a workbook reads no JSON (issue 16)

    try:
        data = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=one_value_per_key,
        )
    except json.JSONDecodeError as exc:
        reason = _json_reason(exc.msg)
        raise ReportLoadError(
            f"不是合法的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近有错（{reason}）。"
        ) from None
    except RecursionError:
        raise ReportLoadError("JSON 嵌套层数过深，不像一份年度报告数据。") from None
    except ValueError:  # an integer with more digits than Python converts (4,300)
        raise ReportLoadError("含有位数过多、无法读取的数字。请检查数值。") from None
    if repeated:
        raise ReportLoadError(_repeated_key(data, *repeated[0]))
    return Loaded(data, decoded.codec if decoded.legacy else None)


def _repeated_key(data: Any, holder: dict[str, Any], key: str, first: Any, second: Any) -> str:
    """Which key is written twice, as a JSON Pointer, with both values: json.loads would keep
    the last silently (a year written twice could change the year)."""
    pointer = _pointer_of(data, holder)
    where = f"{pointer}/{_escape(key)}" if pointer is not None else f"键「{key}」"
    return (
        f"{where} 写了两次（先是 {_brief(first)}，后是 {_brief(second)}），无法确定以哪一个为准。"
        "请删去多余的一个后再试。"
    )


def _pointer_of(data: Any, target: dict[str, Any]) -> str | None:
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, ptr = stack.pop()
        if node is target:
            return ptr
        if isinstance(node, dict):
            stack.extend((v, f"{ptr}/{_escape(k)}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{ptr}/{i}") for i, v in enumerate(node))
    return None


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _brief(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "一组数据" if isinstance(value, dict) else "一个列表"
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:40] + "…"


class _Place:
    """A place in the schema ($ref resolved), with what `_ordered` looks up there found once
    per process: its properties' places (made when an object is first met there) and keys."""

    __slots__ = ("schema", "defs", "_props", "keys", "integer")

    def __init__(self, schema: dict[str, Any], defs: dict[str, Any]) -> None:
        self.integer = schema.get("type") == "integer"  # as written here, not where it refers
        ref = schema.get("$ref")
        if ref:
            schema = defs[ref.rsplit("/", 1)[-1]]
        self.schema, self.defs = schema, defs
        self._props: dict[str, _Place] | None = None
        self.keys: list[str] = list(schema.get("properties", {}))  # the properties, in order

    def props(self) -> dict[str, _Place]:
        if self._props is None:
            props = self.schema.get("properties", {})
            self._props = {k: _Place(v, self.defs) for k, v in props.items()}
        return self._props


@cache
def _root() -> _Place:
    schema = load_schema()
    return _Place(schema, schema.get("$defs", {}))


def _ordered(value: Any, place: _Place, odd: list[Any]) -> Any:
    """`value` with its keys in the schema's order; what orjson would write otherwise than json
    (see `dump_report_bytes`) is added to `odd`."""
    if not isinstance(value, dict):
        kind = type(value)
        if kind is float:
            if value.is_integer() and place.integer:
                return int(value)
            if not (value == 0 or _PLAIN_FLOAT[0] <= abs(value) < _PLAIN_FLOAT[1]):
                odd.append(value)  # NaN, ±inf, or written with an exponent by either
        elif kind not in _PLAIN:
            odd.append(value)  # a list, a datetime…: only json says what it makes of it
        return value
    props = place.props()
    if type(value) is dict and list(value) == place.keys:  # in order already: the common case
        pairs: Any = zip(place.keys, value.values(), props.values(), strict=True)
    else:
        pairs = [(k, value[k], at) for k, at in props.items() if k in value]
    out = {}
    for key, child, at in pairs:
        # a plain value, or an object in order of plain values only (the format's rows of
        # counts): as it is, looked at in C; anything else walked
        kind = type(child)
        if kind is dict:
            if list(child) != at.keys or not _PLAIN.issuperset(map(type, child.values())):
                child = _ordered(child, at, odd)
        elif kind not in _PLAIN:
            child = _ordered(child, at, odd)
        out[key] = child
    if len(out) < len(value):
        odd.append(value)  # keys the format does not have: copied as they are, unlooked-at
        out.update({k: value[k] for k in value if k not in props})
    return out


_PLAIN = frozenset({str, int, bool, type(None)})


# floats that json and orjson both write in positional notation, digit for digit alike (both
# give the shortest repr; json switches to 1e-05 / 1e+16 where orjson writes 0.00001 / 1e16)
_PLAIN_FLOAT = (1e-4, 1e16)


def dump_report_bytes(data: Any) -> bytes:
    """Deterministic JSON for a report: keys in the format's order, UTF-8, two-space indent.

    orjson when it gives exactly what `json.dumps(…, ensure_ascii=False, indent=2)` gives (30×
    faster than json's pure-Python indenting encoder); json itself for anything else — a lone
    surrogate (which orjson refuses, and which json's way is to replace by U+FFFD first), an
    integer beyond 64 bits, keys or values the format does not have, an odd float.
    """
    return dump_report_checked(data)[0]


def dump_report_checked(data: Any) -> tuple[bytes, bool]:
    """`dump_report_bytes(data)`, and whether orjson wrote it: then every string of `data` was
    written (nothing odd: no key or value left out of the walk, no list), the keys as the
    format's equal ones, and orjson refuses a lone surrogate in any string — so no string of
    `data` holds one and `clean_data(data)` is `data` itself (report.document.build is told)."""
    odd: list[Any] = []
    ordered = _ordered(data, _root(), odd)
    if not odd:
        import orjson  # 2.5 ms to import (it loads zoneinfo): not for `xxgk validate`

        try:
            return orjson.dumps(ordered, option=orjson.OPT_INDENT_2) + b"\n", True
        except orjson.JSONEncodeError:
            pass
    import json

    ordered = _ordered(clean_data(data), _root(), [])
    return (json.dumps(ordered, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), False


def _plain(value: Any) -> bool:
    """Whether orjson writes `value` as json does: str-keyed dicts, lists and plain scalars."""
    stack = [value]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            if not all(type(k) is str for k in node):
                return False
            stack.extend(node.values())
        elif kind is list:
            stack.extend(node)
        elif kind is float:
            if not (node == 0 or _PLAIN_FLOAT[0] <= abs(node) < _PLAIN_FLOAT[1]):
                return False
        elif kind not in _PLAIN:
            return False
    return True


def dumps_indented(value: Any) -> bytes:
    """`json.dumps(value, ensure_ascii=False, indent=2)` in UTF-8, through orjson when that
    gives the same bytes."""
    if _plain(value):
        import orjson

        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2)
        except orjson.JSONEncodeError:  # a lone surrogate, an integer beyond 64 bits
            pass
    import json

    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def dump_report(data: Any) -> str:
    """`dump_report_bytes` as text."""
    return dump_report_bytes(data).decode("utf-8")
