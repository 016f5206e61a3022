"""read_cells' fast paths give exactly what its general path gives: the count cells read all
at once when every one is a whole float ≥ 0, and text cells' strings taken as `read_text`
takes them. The reference is the general path itself, the fast paths turned off."""

from __future__ import annotations

import math
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.workbook import cells as cv
from xxgk.workbook import core
from xxgk.workbook import reader as wr
from xxgk.workbook.slots import ABSENT, CELL_LEAVES, COUNT, KINDS, build_data

COUNTS = [slot for slot, kind in enumerate(KINDS) if kind == COUNT]
TEXTS = [slot for slot, strip in enumerate(core._TEXT_STRIP) if strip is not None]


def _example_call() -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments the file reader gives read_cells for the bundled example workbook."""
    raw = resources.files("xxgk").joinpath("examples", "seed-2024.xlsx").read_bytes()
    seen: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    real = wr.read_cells

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append((args, kwargs))
        return real(*args, **kwargs)

    wr.read_cells = spy
    try:
        wr.read_package(raw)
    finally:
        wr.read_cells = real
    return seen[0]


ARGS, KWARGS = _example_call()


def _reading(raws: list[Any], fast: bool) -> tuple[Any, list[dict[str, Any]], Any]:
    args = (list(raws), dict(ARGS[1]), *ARGS[2:])
    if fast:
        got = core.read_cells(*args, **KWARGS)
    else:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(core, "_whole_counts", lambda raws: None)
            mp.setattr(core, "_TEXT_STRIP", (None,) * len(CELL_LEAVES))
            got = core.read_cells(*args, **KWARGS)
    return got.data, [f.to_dict() for f in got.findings], got.previous


def _same(raws: list[Any]) -> None:
    fast, general = _reading(raws, True), _reading(raws, False)
    assert fast == general
    assert repr(fast[0]) == repr(general[0])  # 3 and 3.0 compare equal: the types too


def test_the_example_reads_the_same_either_way() -> None:
    assert all(type(ARGS[0][slot]) is float for slot in COUNTS)  # the fast path's case
    assert core._whole_counts(ARGS[0]) is not None
    _same(ARGS[0])


ODD = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-3, 2**70),
    st.sampled_from([-0.0, 2.5, 1e300, True, "3", " 4 ", "", None, cv.Unusable("#N/A")]),
)


def _changed(changes: dict[int, Any]) -> list[Any]:
    """The bundled example's cells as read (ARGS[0]), with `changes` (slot → value) made."""
    raws = list(ARGS[0])
    for slot, value in changes.items():
        raws[slot] = value
    return raws


@settings(max_examples=150, deadline=None)
@given(changes=st.dictionaries(st.sampled_from(COUNTS), ODD, max_size=4))
def test_any_count_cell_reads_the_same_either_way(changes: dict[int, Any]) -> None:
    _same(_changed(changes))


TEXT = st.one_of(
    st.text(alphabet=" \t\n\u3000\u00a0ab机关", max_size=5),
    st.sampled_from([None, 3.0, 2.5, True, cv.Unusable("#REF!")]),
)


@settings(max_examples=150, deadline=None)
@given(changes=st.dictionaries(st.sampled_from(TEXTS), TEXT, max_size=6))
def test_any_text_cell_reads_the_same_either_way(changes: dict[int, Any]) -> None:
    _same(_changed(changes))


def test_whole_counts_takes_only_whole_floats_not_below_zero() -> None:
    raws = list(ARGS[0])
    for slot in COUNTS:
        raws[slot] = 2.0
    raws[COUNTS[0]] = -0.0
    got = core._whole_counts(raws)
    assert got is not None and got[0] == 0 and got[1:] == [2] * (len(COUNTS) - 1)
    assert all(type(v) is int for v in got)
    for odd in (2.5, -1.0, math.nan, math.inf, 3, True, "3", None):
        raws[COUNTS[5]] = odd
        assert core._whole_counts(raws) is None, odd


STRAIGHT = core._builder()  # what read_cells uses from a process's third workbook on
VALUE = st.one_of(st.integers(0, 9), st.floats(0, 9), st.text(max_size=2), st.none())


@settings(max_examples=100, deadline=None)
@given(values=st.lists(VALUE, min_size=len(CELL_LEAVES), max_size=len(CELL_LEAVES)), data=st.data())
def test_the_straight_line_build_is_build_data(values: list[Any], data: st.DataObject) -> None:
    for slot, leaf in enumerate(CELL_LEAVES):  # read_cells leaves an optional cell out so
        if leaf.optional and data.draw(st.booleans()):
            values[slot] = ABSENT
    built, reference = STRAIGHT(values), build_data(values)
    assert built == reference
    assert repr(built) == repr(reference)  # the keys in the same order


@settings(max_examples=20, deadline=None)
@given(values=st.lists(VALUE, min_size=len(CELL_LEAVES), max_size=len(CELL_LEAVES)))
def test_read_cells_builds_by_the_loop_until_its_third_workbook(values: list[Any]) -> None:
    """One `validate` reads one workbook: the straight-line code (2.6 ms to compile) is made
    at the second and used from the third on; every call gives build_data's data."""
    build = core._Build()
    got = [build(values), build(values)]
    assert build._compiled is not None
    got.append(build(values))
    assert all(repr(one) == repr(build_data(values)) for one in got)
