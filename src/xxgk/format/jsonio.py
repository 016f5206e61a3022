"""Report JSON from bytes and back: tolerant of what people send, strict about what we write."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from xxgk.format.schema import load_schema
from xxgk.format.textbytes import UndecodableText, decode

MAX_JSON_BYTES = 20 * 1024 * 1024


class ReportLoadError(Exception):
    """The input cannot be read as a report at all (exit code 3). The message is Chinese."""


@dataclass
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
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise ReportLoadError(
            f"不是合法的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近有错（{exc.msg}）。"
        ) from None
    except RecursionError:
        raise ReportLoadError("JSON 嵌套层数过深，不像一份年度报告数据。") from None
    except ValueError:  # an integer with more digits than Python converts (4,300)
        raise ReportLoadError("含有位数过多、无法读取的数字。请检查数值。") from None
    return Loaded(data, decoded.codec if decoded.legacy else None)


def _ordered(value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    if not isinstance(value, dict):
        if isinstance(value, float) and value.is_integer() and schema.get("type") == "integer":
            return int(value)
        return value
    ref = schema.get("$ref")
    if ref:
        schema = defs[ref.rsplit("/", 1)[-1]]
    props = schema.get("properties", {})
    out = {k: _ordered(value[k], props[k], defs) for k in props if k in value}
    out.update({k: value[k] for k in value if k not in props})
    return out


def dump_report(data: Any) -> str:
    """Deterministic JSON for a report: keys in the format's order, UTF-8, two-space indent."""
    schema = load_schema()
    ordered = _ordered(data, schema, schema.get("$defs", {}))
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"
