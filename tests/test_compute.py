"""arithmetic.py: totals computed in an explicit order, the in-place variant, data with gaps.

The oracle is tests/oracle.py: the official rules 2–4 written as plain sums, independent of the
model's declarations (`ARITHMETIC`, `checks()`) from which `compute_totals` is derived. (This
file used to compare with a copy of the former implementation: two passes over the same
`checks()`, so a mistake in the declarations was in both and could never show.)
"""

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
)

from . import oracle as o
from .conftest import load_example
from .reports import consistent_reports, get_path, set_path

TABLE34 = [leaf for leaf in m.leaves() if leaf.table in ("表三", "表四")]
SEVEN_TOTAL = o.RESULTS_TOTAL + ("total",)  # （七）总计's own 总计


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _get(data: Any, path: o.Path) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _set(data: dict[str, Any], path: o.Path, value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def totals_where_computable(data: dict[str, Any]) -> dict[str, Any]:
    """What `compute_totals` promises for data with gaps, written from the official rules: a
    total whose parts are all numbers becomes their sum (added in the format's order), any
    other total stays as it is; （七）总计's 总计 is the sum of its six applicant cells when
    they are numbers (after rule 2), else the sum of the 21 outcome rows' 总计."""
    out = copy.deepcopy(data)

    def sum_of(paths: list[o.Path]) -> int | float | None:
        values = [_get(out, p) for p in paths]
        return sum(values) if all(_number(v) for v in values) else None

    def settle(total: o.Path, *options: list[o.Path]) -> None:
        for parts in options:
            value = sum_of(parts)
            if value is not None:
                _set(out, total, value)
                return

    for col in o.APPLICANT_KEYS:  # rule 2
        settle(o.RESULTS_TOTAL + (col,), [row + (col,) for row in o.OUTCOME_PATHS])
    for row, _, _ in o.TABLE3_ROWS:  # rule 3
        if row != o.RESULTS_TOTAL:
            settle(row + ("total",), [row + (col,) for col in o.APPLICANT_KEYS])
    for group, _ in o.REVIEW_GROUPS:  # rule 4
        node = ("review_litigation", group)
        settle(node + ("total",), [node + (key,) for key, _ in o.REVIEW_PARTS])
    settle(
        SEVEN_TOTAL,
        [o.RESULTS_TOTAL + (col,) for col in o.APPLICANT_KEYS],
        [row + ("total",) for row in o.OUTCOME_PATHS],
    )
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


def test_the_model_computes_the_official_total_cells() -> None:
    assert len(o.OUTCOME_PATHS) == 21 and len(o.TABLE3_ROWS) == 25
    assert set(ar.total_paths()) == set(o.TOTAL_PATHS)
    assert len(ar.total_paths()) == len(o.TOTAL_PATHS) == 6 + 25 + 3


def test_plan_computes_every_total_after_its_parts() -> None:
    done: set[m.Path] = set()
    totals = set(o.TOTAL_PATHS)
    for left, right in TOTAL_PLAN:
        assert all(p in done for p in right if p in totals), left
        done.add(left)
    assert done == totals


def test_total_of_seven_is_last_summed_over_its_six_applicant_columns() -> None:
    steps = [right for left, right in TOTAL_PLAN if left == SEVEN_TOTAL]
    assert len(steps) == 2
    by_column, by_row = steps
    assert by_column == tuple(row + ("total",) for row in o.OUTCOME_PATHS)
    assert by_row == tuple(o.RESULTS_TOTAL + (col,) for col in o.APPLICANT_KEYS)


def test_totals_of_a_small_report_by_hand() -> None:
    """A few numbers whose sums are written out: the oracle itself is checked here."""
    data = load_example()
    req = data["requests"]
    req["results"]["granted"]["natural_person"] = 2
    req["results"]["granted"]["commercial"] = 1
    req["results"]["denied"]["state_secret"]["commercial"] = 3
    req["results"]["other"]["other"]["other"] = 4
    req["new"]["natural_person"] = 5
    data["review_litigation"]["review"].update(upheld=1, pending=6)
    data["review_litigation"]["litigation_after_review"]["corrected"] = 7
    for path in o.TOTAL_PATHS:
        set_path(data, path, 999)  # stale: every total must be recomputed
    want = {path: 0 for path in o.TOTAL_PATHS}
    want.update(
        {
            o.RESULTS_TOTAL + ("natural_person",): 2,
            o.RESULTS_TOTAL + ("commercial",): 1 + 3,
            o.RESULTS_TOTAL + ("other",): 4,
            SEVEN_TOTAL: 2 + 1 + 3 + 4,
            ("requests", "results", "granted", "total"): 2 + 1,
            ("requests", "results", "denied", "state_secret", "total"): 3,
            ("requests", "results", "other", "other", "total"): 4,
            ("requests", "new", "total"): 5,
            ("review_litigation", "review", "total"): 1 + 6,
            ("review_litigation", "litigation_after_review", "total"): 7,
        }
    )
    assert o.official_totals(data) == want
    computed = compute_totals(data)
    assert {path: get_path(computed, path) for path in o.TOTAL_PATHS} == want


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=consistent_reports(max_count=30))
def test_totals_are_the_official_sums_on_numbers(data: dict[str, Any]) -> None:
    want = o.with_official_totals(data)
    for path in o.TOTAL_PATHS:
        set_path(data, path, 0)  # stale totals: all must be recomputed
    assert compute_totals(data) == want


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=damaged_reports())
def test_damaged_data_keeps_what_cannot_be_summed(data: dict[str, Any]) -> None:
    before = copy.deepcopy(data)
    copied = compute_totals(data)
    assert data == before  # the copying API leaves its argument alone
    assert copied == totals_where_computable(data)
    same = compute_totals_in_place(data)
    assert same is data
    assert data == copied
