"""Report JSON from bytes and back: tolerant of what people send, strict about what we write."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from . import findings as fc
from .findings import Finding
from .schema import load_schema

MAX_JSON_BYTES = 20 * 1024 * 1024


class ReportLoadError(Exception):
    """The input cannot be read as a report at all (exit code 3). The message is Chinese."""


@dataclass
class Loaded:
    data: Any
    findings: list[Finding] = field(default_factory=list)


def _reject_constant(name: str) -> Any:
    raise ReportLoadError(f"含有 {name}，这不是合法的 JSON 数值。请改为具体的数字。")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ReportLoadError(f"数值 {text} 超出范围。请改为正常大小的数字。")
    return value


def parse_report_json(raw: bytes) -> Loaded:
    """Parse report JSON bytes; raise ReportLoadError with a Chinese reason if impossible."""
    found: list[Finding] = []
    if len(raw) > MAX_JSON_BYTES:
        raise ReportLoadError(f"文件过大（{len(raw)} 字节），不像一份年度报告数据。")
    if not raw.strip():
        raise ReportLoadError("文件为空。")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise ReportLoadError("文件既不是 UTF-8 也不是 GBK 编码的文字，无法读取。") from None
        found.append(fc.make(fc.FILE_ENCODING, ""))
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
    return Loaded(data, found)


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
