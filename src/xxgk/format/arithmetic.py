"""Totals computed from the input cells, as the template's formulas compute them.

The order is explicit (`TOTAL_PLAN`): a total is computed after every total among its parts.
In the format that means: first the totals of inputs only — the six applicant columns of
（七）总计 (each the sum of the 21 outcome rows), the 总计 of every other row of table 三, and
table 四's totals; then （七）总计's 总计, once as the sum of the 21 outcome rows' 总计 and last
as the sum of its six applicant columns, which is the value that stands. With numbers
everywhere both ways agree; when some part is not a number, the later one that can be computed
wins, as with the former two passes over `model.checks()` (tests/test_compute.py holds them).
"""

from __future__ import annotations

import copy
from typing import Any

from xxgk.format import model as m

# A computing rule: the cell it sets, and the cells it sums (in the order they are added).
Step = tuple[m.Path, tuple[m.Path, ...]]


def _plan() -> tuple[Step, ...]:
    """The computing checks, each after the checks that compute any of its parts.

    Stable by depth (a total of inputs has depth 0, a total of totals 1 + its deepest part),
    so equal depths keep `model.checks()` order, where the row rule T3_ROW_TOTAL follows the
    column rule T3_OUTCOME_TOTAL: the row sum of （七）总计 comes last and stands.
    """
    computing = [c for c in m.checks() if c.computes_left]
    writers: dict[m.Path, list[int]] = {}
    for i, check in enumerate(computing):
        writers.setdefault(check.left[0], []).append(i)
    depth: dict[int, int] = {}

    def depth_of(i: int, active: frozenset[int] = frozenset()) -> int:
        if i not in depth:
            if i in active:  # pragma: no cover - the format's sums are not circular
                raise ValueError("circular totals in the model")
            parts = [w for p in computing[i].right for w in writers.get(p, ())]
            depth[i] = 1 + max((depth_of(w, active | {i}) for w in parts), default=-1)
        return depth[i]

    order = sorted(range(len(computing)), key=depth_of)
    return tuple((computing[i].left[0], computing[i].right) for i in order)


TOTAL_PLAN: tuple[Step, ...] = _plan()


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


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def compute_totals_in_place(data: dict[str, Any]) -> dict[str, Any]:
    """Recompute every total cell of `data` itself, in `TOTAL_PLAN` order; returns `data`.

    A total whose parts are not all numbers is left as it is (the validator reports the parts).
    """
    for left, right in TOTAL_PLAN:
        parts = [_get(data, p) for p in right]
        if all(_number(v) for v in parts):
            _set(data, left, sum(parts))
    return data


def compute_totals(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` with every total cell recomputed from the cells it sums."""
    return compute_totals_in_place(copy.deepcopy(data))


def expected_totals(data: dict[str, Any]) -> dict[str, Any]:
    """Pointer → the value each total cell should hold, for the cells whose parts are numbers."""
    computed = compute_totals(data)
    return {m.pointer(p): _get(computed, p) for p in m.total_paths()}
