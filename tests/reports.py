"""Report data for tests: random but consistent reports (hypothesis) and small edits."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from xxgk.format import model as m

from .conftest import load_example
from .oracle import TOTAL_PATHS, with_official_totals

TOTAL_POINTERS = {m.pointer(p) for p in TOTAL_PATHS}  # the official rules (tests/oracle.py)
INPUT_LEAVES = [
    leaf
    for leaf in m.leaves()
    if leaf.kind in m.NUMERIC_KINDS and leaf.pointer not in TOTAL_POINTERS
]


def set_path(data: dict[str, Any], path: m.Path, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def get_path(data: Any, path: m.Path) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def consistent_reports(draw: st.DrawFn, max_count: int = 50) -> dict[str, Any]:
    """A report whose every input is random and whose totals and balance hold (the totals are
    the oracle's plain sums, tests/oracle.py, never xxgk's own computation)."""
    data = copy.deepcopy(load_example())
    counts = st.integers(0, max_count)
    for leaf in INPUT_LEAVES:
        if leaf.table == "表三" and leaf.path[1] == "new":
            continue  # derived below, so that the balance holds
        if leaf.kind == m.AMOUNT:
            value = draw(st.decimals(0, 10000, places=2).map(float))
        else:
            value = draw(counts)
        set_path(data, leaf.path, value)
    data = with_official_totals(data)
    req = data["requests"]
    for col in m.APPLICANT_PARTS:
        outcome = req["results"]["total"][col.id] + req["carried_forward"][col.id]
        carried = min(req["carried_over"][col.id], outcome)
        req["carried_over"][col.id] = carried
        req["new"][col.id] = outcome - carried
    return with_official_totals(data)


table34_leaves = [leaf for leaf in m.leaves() if leaf.table in ("表三", "表四")]
