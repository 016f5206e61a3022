"""The compiled fast path gives exactly the findings of the full jsonschema path."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.check import validate as v
from xxgk.check.fastcheck import compile_schema
from xxgk.format import model as m
from xxgk.format.schema import ARITHMETIC_KEYWORD, load_schema

from .reports import consistent_reports

ODD_VALUES = [-1, 1.5, 3.0, "3", "", None, True, [], {}, "２", 10**20, 2.5e300, "2025-02-30"]
LEAF_PATHS = [leaf.path for leaf in m.leaves()]


def slow(data):
    found = v._without_implied_balance(v.schema_findings(data))  # as validate does after either
    if isinstance(data, dict):
        for rule in v.RULES:
            found.extend(rule.fn(data))
    return v.sort_findings(found)


def as_tuples(found):
    return [(f.code, f.path, f.paths, f.message) for f in found]


def test_our_schema_compiles_to_a_fast_path() -> None:
    fast = compile_schema(load_schema(), ARITHMETIC_KEYWORD)
    assert fast is not None
    # one site on 表三 itself, one per row of 表三, one per group of 表四
    assert len(fast.arithmetic) == 1 + len(m.TABLE3_ROWS) + len(m.TABLE4_GROUPS)


def test_unknown_keyword_disables_the_fast_path() -> None:
    schema = copy.deepcopy(load_schema())
    schema["properties"]["year"]["multipleOf"] = 1
    assert compile_schema(schema, ARITHMETIC_KEYWORD) is None


@settings(max_examples=120, deadline=None)
@given(
    consistent_reports(),
    st.lists(
        st.tuples(
            st.sampled_from(LEAF_PATHS),
            st.sampled_from(["set", "delete", "extra"]),
            st.sampled_from(ODD_VALUES + [0, 7, 12]),
        ),
        max_size=3,
    ),
)
def test_fast_and_full_paths_agree(report, edits) -> None:
    for path, action, value in edits:
        node = report
        for key in path[:-1]:
            node = node.setdefault(key, {})  # an optional object of contract 1.1 (headings)
        if action == "set":
            node[path[-1]] = copy.deepcopy(value)
        elif action == "delete":
            node.pop(path[-1], None)
        else:
            node["unexpected"] = value
    assert as_tuples(v.validate(report)) == as_tuples(slow(report))


@pytest.mark.parametrize("doc", [[], "x", 3, None, {}])
def test_non_reports_agree(doc) -> None:
    assert as_tuples(v.validate(doc)) == as_tuples(slow(doc))


def test_a_valid_report_takes_the_fast_path(example) -> None:
    assert v._fast_findings(example) == []
    example["requests"]["new"]["natural_person"] = 1
    assert [f.code for f in v._fast_findings(example)] == ["T3_BALANCE", "T3_ROW_TOTAL"]
    example["requests"]["new"]["natural_person"] = "1"
    assert v._fast_findings(example) is None
