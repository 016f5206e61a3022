"""Totals computed from the input cells, as the template's formulas compute them."""

from __future__ import annotations

import copy
from typing import Any

from . import model as m


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


def compute_totals(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` with every total cell recomputed from the cells it sums.

    A total whose parts are not all numbers is left as it is (the validator reports the parts).
    """
    out = copy.deepcopy(data)
    computing = [c for c in m.checks() if c.computes_left]
    # Row totals of the outcome rows feed the column totals of （七）总计: two passes settle it.
    for _ in range(2):
        for check in computing:
            parts = [_get(out, p) for p in check.right]
            if all(_number(v) for v in parts):
                _set(out, check.left[0], sum(parts))
    return out


def expected_totals(data: dict[str, Any]) -> dict[str, Any]:
    """Pointer → the value each total cell should hold, for the cells whose parts are numbers."""
    computed = compute_totals(data)
    return {m.pointer(p): _get(computed, p) for p in m.total_paths()}
