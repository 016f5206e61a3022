"""Report JSON through orjson is byte for byte what the standard library writes (issue 16):
`dump_report_bytes` against `json.dumps(…, ensure_ascii=False, indent=2)` of the same data in
the format's key order, on the example and on the values where the two libraries differ."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from xxgk.format.jsonio import dump_report, dump_report_bytes

from .conftest import load_example


def stdlib(data: dict[str, Any]) -> bytes:
    """What xxgk wrote before: the example's own key order is the format's."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def with_fee(value: Any) -> dict[str, Any]:
    data = copy.deepcopy(load_example())
    data["other_matters"]["processing_fees"]["amount_yuan"] = value
    return data


def test_the_example_is_written_as_json_writes_it() -> None:
    data = load_example()
    assert dump_report_bytes(data) == stdlib(data)
    assert dump_report(data) == stdlib(data).decode("utf-8")


@pytest.mark.parametrize(
    "value", [0.5, 123.45, -0.0, 1e-4, 1e-05, 5e-324, 1e16, 1.5e300, 9999999999999998.0]
)
def test_floats_as_json_writes_them(value: float) -> None:
    # json writes 1e-05 and 1e+16 where orjson would write 0.00001 and 1e16
    data = with_fee(value)
    assert dump_report_bytes(data) == stdlib(data)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_non_finite_floats_as_json_writes_them(value: float) -> None:
    out = dump_report_bytes(with_fee(value)).decode("utf-8")
    assert ('"amount_yuan": NaN' in out) or ('"amount_yuan": Infinity' in out)  # orjson writes null


def test_an_integer_beyond_64_bits_and_an_extra_list() -> None:
    data = with_fee(2**70)
    data["extra"] = [1, {"b": 2.5e-7}, "x"]
    assert dump_report_bytes(data) == stdlib(data)


def test_a_lone_surrogate_is_replaced_as_before() -> None:
    data = copy.deepcopy(load_example())
    data["agency"]["name"] = "某\udcff局"
    assert '"name": "某\ufffd局"' in dump_report(data)


def test_a_value_json_cannot_write_still_fails() -> None:
    # orjson would write a datetime; json refuses it, and so does a report
    with pytest.raises(TypeError):
        dump_report_bytes(with_fee(dt.datetime(2024, 1, 1)))


def test_keys_in_another_order_are_written_in_the_formats() -> None:
    """A row whose keys come in another order, one with a key the format does not have, a
    whole count typed as 3.0 where the format wants an integer: each object is put in order
    and its values written as json writes them."""
    data = copy.deepcopy(load_example())
    row = data["requests"]["new"]
    data["requests"]["new"] = dict(reversed(list(row.items())))
    data["requests"]["carried_over"]["note"] = "另附"
    data["requests"]["results"]["granted"]["natural_person"] = 3.0
    expected = copy.deepcopy(load_example())
    expected["requests"]["carried_over"]["note"] = "另附"
    expected["requests"]["results"]["granted"]["natural_person"] = 3
    assert dump_report_bytes(data) == stdlib(expected)
