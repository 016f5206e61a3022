"""compute.py: the explicit order of totals, the in-place variant, and the former behaviour."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.format.arithmetic import (
    TOTAL_PLAN,
    compute_totals,
    compute_totals_in_place,
    expected_totals,
)

from .conftest import load_example
from .reports import consistent_reports, get_path, set_path

TABLE34 = [leaf for leaf in m.leaves() if leaf.table in ("表三", "表四")]
RESULTS_TOTAL = m.TABLE3_ROOT + m.TABLE3_RESULTS_TOTAL.path + ("total",)


def _get(data: Any, path: m.Path) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _set(data: dict[str, Any], path: m.Path, value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def former_compute_totals(data: dict[str, Any]) -> dict[str, Any]:
    """The implementation before TOTAL_PLAN: two passes over the checks in document order."""
    out = copy.deepcopy(data)
    computing = [c for c in ar.checks() if c.computes_left]
    for _ in range(2):
        for check in computing:
            parts = [_get(out, p) for p in check.right]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in parts):
                _set(out, check.left[0], sum(parts))
    return out


# What a cell of table 三/四 may hold in data that did not come from our reader.
ODD_VALUES = st.one_of(
    st.integers(-5, 50),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-10, max_value=100),
    st.sampled_from(["", "3", "三", None, True, False, [1], {"x": 1}]),
)


@st.composite
def damaged_reports(draw: st.DrawFn) -> dict[str, Any]:
    """A consistent report with some table cells (inputs and totals) replaced or deleted."""
    data = draw(consistent_reports(max_count=20))
    for leaf in draw(st.lists(st.sampled_from(TABLE34), max_size=12)):
        if draw(st.booleans()):
            set_path(data, leaf.path, draw(ODD_VALUES))
        else:
            get_path(data, leaf.path[:-1]).pop(leaf.path[-1], None)
    if draw(st.integers(0, 9)) == 0:  # a whole row gone
        del data["requests"]["results"][draw(st.sampled_from(["granted", "total"]))]
    return data


def test_plan_computes_every_total_after_its_parts() -> None:
    done: set[m.Path] = set()
    totals = set(ar.total_paths())
    for left, right in TOTAL_PLAN:
        assert all(p in done for p in right if p in totals), left
        done.add(left)
    assert done == totals
    assert len(TOTAL_PLAN) == sum(1 for c in ar.checks() if c.computes_left)


def test_total_of_seven_is_last_summed_over_its_six_applicant_columns() -> None:
    steps = [right for left, right in TOTAL_PLAN if left == RESULTS_TOTAL]
    assert len(steps) == 2
    by_column, by_row = steps
    assert by_column == tuple(m.TABLE3_ROOT + r.path + ("total",) for r in m.TABLE3_OUTCOMES)
    assert by_row == tuple(
        m.TABLE3_ROOT + m.TABLE3_RESULTS_TOTAL.path + (c.id,) for c in m.APPLICANT_PARTS
    )


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=consistent_reports(max_count=30))
def test_same_as_former_on_numbers(data: dict[str, Any]) -> None:
    for leaf in TABLE34:
        if leaf.pointer in {m.pointer(p) for p in ar.total_paths()}:
            set_path(data, leaf.path, 0)  # stale totals: all must be recomputed
    assert compute_totals(data) == former_compute_totals(data)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=damaged_reports())
def test_in_place_equals_copying_and_former_on_damaged_data(data: dict[str, Any]) -> None:
    before = copy.deepcopy(data)
    copied = compute_totals(data)
    assert data == before  # the copying API leaves its argument alone
    assert copied == former_compute_totals(data)
    same = compute_totals_in_place(data)
    assert same is data
    assert data == copied


def test_expected_totals_of_the_example() -> None:
    data = load_example()
    set_path(data, RESULTS_TOTAL, 999)
    expected = expected_totals(data)
    assert expected[m.pointer(RESULTS_TOTAL)] == get_path(compute_totals(data), RESULTS_TOTAL)
    assert expected[m.pointer(RESULTS_TOTAL)] != 999
