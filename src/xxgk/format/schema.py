"""The JSON Schema of the data contract, generated from the format model.

The published file `schema/annual-report-2021.schema.json` (and its packaged copy) is this
module's output; `python tools/regenerate.py` rewrites both and a test keeps them equal.
"""

from __future__ import annotations

from functools import cache

from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.format.clean import MAX_NUMBER
from xxgk.format.packaged import packaged_bytes

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

SCHEMA_ID = "urn:xxgk:schema:annual-report-2021:v1"
SCHEMA_FILE = "annual-report-2021.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
ARITHMETIC_KEYWORD = "xxgkArithmetic"
YEAR_MIN, YEAR_MAX = 2021, 2100

_APPLICANTS_REF = "#/$defs/applicantCounts"
_REVIEW_REF = "#/$defs/reviewOutcomes"


def _leaf_schema(leaf: m.Leaf) -> dict[str, Any]:
    base: dict[str, Any] = {"title": leaf.title}
    if leaf.kind == m.INT:
        base |= {"type": "integer", "minimum": 0, "maximum": MAX_NUMBER}
    elif leaf.kind == m.AMOUNT:
        base |= {"type": "number", "minimum": 0, "maximum": MAX_NUMBER}
    elif leaf.kind in (m.TEXT, m.LINE):
        base |= {"type": "string"}
    elif leaf.kind == m.NAME:
        base |= {"type": "string", "minLength": 1, "pattern": "\\S"}  # not only spaces
    elif leaf.kind == m.POSTCODE:
        # maxLength: Python's "$" also matches before a final newline, ECMA-262's does not
        base |= {"type": "string", "pattern": "^[0-9]{6}$", "maxLength": 6}
    elif leaf.kind == m.DATE:
        base |= {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    elif leaf.kind == m.YEAR:
        base |= {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}
    elif leaf.kind == m.CONST:
        base |= {"const": m.FORMAT_ID}
    else:  # pragma: no cover - the model only declares the kinds above
        raise ValueError(leaf.kind)
    return base


def _object(title: str | None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "object"}
    if title:
        node["title"] = title
    node |= {"properties": {}, "required": [], "additionalProperties": False}
    return node


def _rule_json(rule: ar.Arithmetic) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": rule.code,
        "description": rule.doc,
        "left": ["/".join(p) for p in rule.left],
        "right": ["/".join(p) for p in rule.right],
    }
    if rule.columns:
        out["columns"] = list(rule.columns)
    return out


def _shape_def(columns: tuple[m.Column, ...], shape: str, title: str) -> dict[str, Any]:
    node = _object(title)
    for col in columns:
        node["properties"][col.id] = {
            "title": col.label,
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_NUMBER,  # format/clean.py: what a workbook and a report can hold
        }
        node["required"].append(col.id)
    node[ARITHMETIC_KEYWORD] = [_rule_json(r) for r in ar.ARITHMETIC if r.at == shape]
    return node


def build_schema() -> dict[str, Any]:
    root = _object("政府信息公开工作年度报告")
    root = {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        **root,
        "description": (
            f"政府信息公开工作年度报告数据（{m.FORMAT_NOTICE} 格式）。"
            f"关键字 {ARITHMETIC_KEYWORD} 是本工具的自定义词汇，表示表中的加总与勾稽关系："
            "对 columns 中每一列（无 columns 时只一次），left 各项之和等于 right 各项之和；"
            "路径相对于该关键字所在的对象。"
        ),
    }
    root["properties"]["$schema"] = {"title": "数据格式", "const": SCHEMA_ID}
    applicant_rows = {m.TABLE3_ROOT + r.path for r in m.TABLE3_ROWS}
    # An object is required when a required leaf is inside it (`headings` of 1.1 is not).
    needed = {
        leaf.path[:depth]
        for leaf in m.leaves()
        if not leaf.optional
        for depth in range(1, len(leaf.path))
    }
    review_groups = {m.TABLE4_ROOT + (g.id,) for g in m.TABLE4_GROUPS}
    for leaf in m.leaves():
        parent = root
        for depth in range(1, len(leaf.path)):
            prefix = leaf.path[:depth]
            key = prefix[-1]
            if key not in parent["properties"]:
                title = m.OBJECT_TITLES.get(prefix)
                if prefix in applicant_rows:
                    parent["properties"][key] = {"title": title, "$ref": _APPLICANTS_REF}
                elif prefix in review_groups:
                    parent["properties"][key] = {"title": title, "$ref": _REVIEW_REF}
                else:
                    parent["properties"][key] = _object(title)
                if prefix in needed:
                    parent["required"].append(key)
            parent = parent["properties"][key]
            if "$ref" in parent:
                break
        else:
            parent["properties"][leaf.path[-1]] = _leaf_schema(leaf)
            if not leaf.optional:
                parent["required"].append(leaf.path[-1])
    for rule in ar.ARITHMETIC:
        if isinstance(rule.at, tuple):
            node = root
            for key in rule.at:
                node = node["properties"][key]
            node.setdefault(ARITHMETIC_KEYWORD, []).append(_rule_json(rule))
    root["$defs"] = {
        "applicantCounts": _shape_def(m.APPLICANT_COLUMNS, "$applicants", "申请人情况"),
        "reviewOutcomes": _shape_def(m.REVIEW_COLUMNS, "$review", "复议或诉讼结果"),
    }
    return root


def render_schema() -> str:
    import json

    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


@cache
def packaged_schema_text() -> str:
    return packaged_bytes("xxgk.format", "data", SCHEMA_FILE).decode("utf-8")


@cache
def load_schema() -> dict[str, Any]:
    """The schema the packaged file holds (`packaged_schema_text`), as built from the format
    model: a test keeps the two equal (`tools/regenerate.py --check`), and building it (1 ms)
    costs less than importing json to parse the file (issue 16)."""
    return build_schema()
