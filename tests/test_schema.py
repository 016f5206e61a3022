from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from xxgk.check.validate import validate
from xxgk.format import model as m
from xxgk.format.schema import (
    ARITHMETIC_KEYWORD,
    SCHEMA_ID,
    load_schema,
    packaged_schema_text,
    render_schema,
)


def test_checked_in_schema_is_what_the_model_generates() -> None:
    assert packaged_schema_text() == render_schema()


def _typed(value: object) -> object:
    """`value` with each scalar's type beside it and dicts as their items in order: == of two
    such is equality of type (1 is not 1.0, nor True 1) and of key order too."""
    if isinstance(value, dict):
        return ("dict", [(k, _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, value)


def test_the_schema_checked_against_is_the_packaged_files() -> None:
    # load_schema builds it from the model (issue 16: no json import to validate a workbook)
    assert _typed(load_schema()) == _typed(json.loads(packaged_schema_text()))


def test_schema_passes_the_2020_12_meta_schema() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    Draft202012Validator.check_schema(schema)


def test_plain_validator_ignoring_our_vocabulary_accepts_the_example(example) -> None:
    assert list(Draft202012Validator(load_schema()).iter_errors(example)) == []


def test_example_validates_with_only_the_late_date_warning(example) -> None:
    # The seed was really published on 2025-02-13, after the 1月31日 deadline.
    assert [(f.code, f.severity) for f in validate(example)] == [("DATE_LATE", "warning")]


def _node(schema: dict, path: m.Path) -> dict:
    node = schema
    for key in path:
        node = node["properties"][key]
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_every_leaf_has_its_official_label_as_title() -> None:
    schema = load_schema()
    for leaf in m.leaves():
        assert _node(schema, leaf.path)["title"] == leaf.title, leaf.dotted
    table3 = schema["properties"]["requests"]["properties"]
    labels = [table3[r.path[0]]["title"] for r in m.TABLE3_ROWS if len(r.path) == 1]
    assert labels == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "四、结转下年度继续办理",
    ]


def test_counts_are_non_negative_integers_and_the_fee_a_number() -> None:
    schema = load_schema()
    for leaf in m.leaves():
        node = _node(schema, leaf.path)
        if leaf.kind == m.INT:
            assert (node["type"], node["minimum"]) == ("integer", 0), leaf.dotted
    fee = _node(schema, ("proactive", "fees", "amount"))
    assert (fee["type"], fee["minimum"]) == ("number", 0)


def test_arithmetic_vocabulary_covers_rules_1_to_4() -> None:
    schema = load_schema()
    found = {r["code"] for r in schema["properties"]["requests"][ARITHMETIC_KEYWORD]}
    for shape in schema["$defs"].values():
        found |= {r["code"] for r in shape[ARITHMETIC_KEYWORD]}
    assert found == {"T3_BALANCE", "T3_OUTCOME_TOTAL", "T3_ROW_TOTAL", "T4_TOTAL"}
    outcome = next(
        r
        for r in schema["properties"]["requests"][ARITHMETIC_KEYWORD]
        if r["code"] == "T3_OUTCOME_TOTAL"
    )
    assert len(outcome["right"]) == 21 and len(outcome["columns"]) == 7


def test_table3_has_25_rows_and_verbatim_labels() -> None:
    assert len(m.TABLE3_ROWS) == 25
    labels = [r.label for r in m.TABLE3_ROWS]
    assert "3.危及“三安全一稳定”" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert len([leaf for leaf in m.leaves() if leaf.table == "表四"]) == 15
    assert len([leaf for leaf in m.leaves() if leaf.table == "表二"]) == 10
