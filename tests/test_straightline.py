"""The straight-line function says a report is clean exactly when the general fast path accepts
it and every arithmetic check holds; anything it does not implement leaves no such function."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.check import validate as v
from xxgk.check.fastcheck import compile_schema
from xxgk.check.straightline import compile_clean
from xxgk.format import model as m
from xxgk.format.schema import ARITHMETIC_KEYWORD, load_schema

from .reports import consistent_reports

ODD_VALUES = [-1, 1.5, 3.0, "3", "", " ", None, True, False, [], {}, 10**15, 10**20]
ODD_VALUES += [float("nan"), float("inf"), "2025-02-30", "2025-2-3", "12345", "1234567"]
LEAF_PATHS = [leaf.path for leaf in m.leaves()]
CLEAN = compile_clean(load_schema(), ARITHMETIC_KEYWORD)
FAST = compile_schema(load_schema(), ARITHMETIC_KEYWORD)


def general(data: Any) -> bool:
    """What the general fast path concludes: conforms, and no arithmetic check fails."""
    assert FAST is not None
    if not FAST.conforms(data):
        return False
    for site in FAST.arithmetic:
        node = data
        for key in site.path:
            node = node[key]
        if any(True for _ in v.arithmetic_failures(site.rules, node)):
            return False
    return True


def test_our_schema_has_a_straight_line_function() -> None:
    assert CLEAN is not None


@settings(max_examples=150, deadline=None)
@given(
    consistent_reports(),
    st.lists(
        st.tuples(
            st.sampled_from(LEAF_PATHS),
            st.sampled_from(["set", "delete", "extra"]),
            st.sampled_from([*ODD_VALUES, 0, 7, 12]),
        ),
        max_size=3,
    ),
)
def test_clean_exactly_when_the_general_path_finds_nothing(report, edits) -> None:
    assert CLEAN is not None
    for path, action, value in edits:
        node = report
        for key in path[:-1]:
            node = node.setdefault(key, {})
        if action == "set":
            node[path[-1]] = copy.deepcopy(value)
        elif action == "delete":
            node.pop(path[-1], None)
        else:
            node["unexpected"] = value
    assert CLEAN(report) == general(report)
    if CLEAN(report):
        assert v.schema_findings(report) == []  # jsonschema itself finds nothing


@settings(max_examples=40, deadline=None)
@given(consistent_reports())
def test_a_consistent_report_is_clean(report) -> None:
    assert CLEAN is not None and CLEAN(report)


def _with(example: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(example)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


NEW_PERSON = ("requests", "new", "natural_person")
FEES = ("proactive", "fees", "amount")


@pytest.mark.parametrize(
    ("path", "value", "clean"),
    [
        (NEW_PERSON, 3.0, False),  # a float in an integer cell: jsonschema would accept it
        (NEW_PERSON, False, False),  # a bool is no count, though every sum still holds
        (("proactive", "rules", "issued"), False, False),
        (NEW_PERSON, -1, False),
        (FEES, 1.5, True),  # a number cell holds a float
        (FEES, float("nan"), False),
        (FEES, 10**15, False),  # beyond MAX_NUMBER
        (("year",), 2020, False),
        (("agency", "postcode"), "1000000", False),
        (("agency", "name"), "  ", False),  # pattern \S
        (("published_on",), "2025-02-30", False),  # pattern holds, not a date
        (("format",), 2021, False),  # const "2021", not the number
    ],
)
def test_single_values(example, path, value, clean) -> None:
    assert CLEAN is not None
    assert CLEAN(example) and example["requests"]["new"]["natural_person"] == 0
    assert CLEAN(_with(example, path, value)) is clean


def test_sums_and_keys(example) -> None:
    assert CLEAN is not None
    # 自然人 one more in 一、本年新收: its row total and the balance no longer hold
    wrong = _with(example, NEW_PERSON, 1)
    assert not CLEAN(wrong)
    extra = copy.deepcopy(example)
    extra["requests"]["new"]["robots"] = 0
    assert not CLEAN(extra)
    fewer = copy.deepcopy(example)
    fewer["agency"]["email"] = "gk@example.cn"  # optional
    assert CLEAN(fewer)
    del fewer["agency"]["email"]
    assert CLEAN(fewer)
    del fewer["agency"]["phone"]  # required
    assert not CLEAN(fewer)
    assert not CLEAN([]) and not CLEAN(None) and not CLEAN({})


def _small(kind: str, left: list[str], right: list[str]) -> dict[str, Any]:
    leaf = {"type": kind, "minimum": 0}
    return {
        "type": "object",
        "properties": {k: dict(leaf) for k in ("a", "b", "c")},
        "required": ["a", "b", "c"],
        "additionalProperties": False,
        "sums": [{"code": "X", "left": left, "right": right}],
    }


@pytest.mark.parametrize(
    "values", [(0.1, 0.2, 0.3), (0.3, 0.0, 0.3), (1e16, 1.0, 1e16), (0.5, 0.25, 0.75), (1, 2, 3)]
)
def test_float_sums_as_the_general_path_adds(values) -> None:
    schema = _small("number", ["a", "b"], ["c"])
    clean = compile_clean(schema, "sums")
    assert clean is not None
    data = dict(zip("abc", values, strict=True))
    failed = list(v.arithmetic_failures(schema["sums"], data))
    assert clean(data) is (not failed)


def test_what_it_does_not_implement_leaves_no_function() -> None:
    schema = copy.deepcopy(load_schema())
    schema["properties"]["year"]["multipleOf"] = 1
    assert compile_clean(schema, ARITHMETIC_KEYWORD) is None
    optional = _small("integer", ["a"], ["b", "c"])
    optional["required"] = ["a", "b"]  # c may be missing: its sum cannot be judged
    assert compile_clean(optional, "sums") is None
    loop = {"$defs": {"n": {"$ref": "#/$defs/n"}}, "$ref": "#/$defs/n"}
    assert compile_clean(loop, "sums") is None
    assert compile_clean({"type": "object"}, "sums") is None  # an open object


def test_compiled_from_the_second_report_on(example_path) -> None:
    # 10 ms of compiling: not for `xxgk validate` of one file (a fresh process, as the CLI's)
    code = (
        "import json, sys\n"
        "from xxgk.check import validate as v\n"
        "data = json.loads(open(sys.argv[1], encoding='utf-8').read())\n"
        "assert v._fast_findings(data) == [] and v._compiled_clean.cache_info().currsize == 0\n"
        "assert v._fast_findings(data) == [] and v._compiled_clean.cache_info().currsize == 1\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    subprocess.run([sys.executable, "-c", code, str(example_path)], check=True, env=env)
