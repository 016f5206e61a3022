"""The reading plan, built once from the model.

Every leaf with a cell has a slot: its index in CELL_LEAVES. A workbook's cells are read into a
list of raw values by slot, turned into data values by slot, the totals are summed by slot
(`arithmetic.TOTAL_PLAN`), and the nested data is built from the values by a fixed list of steps.
"""

from __future__ import annotations

from xxgk.format import arithmetic as ar
from xxgk.format import model as m

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

CELL_LEAVES: tuple[m.Leaf, ...] = tuple(leaf for leaf in m.leaves() if leaf.kind != m.CONST)


SLOT: dict[str, int] = {leaf.pointer: i for i, leaf in enumerate(CELL_LEAVES)}


TOTAL, COUNT, AMOUNT, OTHER = range(4)  # what a slot's cell holds
KINDS: tuple[int, ...] = tuple(
    TOTAL
    if leaf.pointer in ar.TOTAL_POINTERS
    else COUNT
    if leaf.kind == m.INT
    else AMOUNT
    if leaf.kind == m.AMOUNT
    else OTHER
    for leaf in CELL_LEAVES
)


# The totals in `arithmetic.total_paths()` order (the order of their findings): slot, leaf.
TOTAL_SLOTS: tuple[tuple[int, m.Leaf], ...] = tuple(
    (SLOT[m.pointer(p)], m.LEAF_BY_POINTER[m.pointer(p)]) for p in ar.total_paths()
)


SUMS: tuple[tuple[int, tuple[int, ...]], ...] = tuple(
    (SLOT[m.pointer(left)], tuple(SLOT[m.pointer(p)] for p in right))
    for left, right in ar.TOTAL_PLAN
)


ABSENT = object()  # an optional leaf left blank: no key in the data


def _build_steps() -> tuple[tuple[int, str, int, int], ...]:
    """(parent box, key, new box or -1, slot or -1): the data built in CELL_LEAVES order.

    Box 0 is the data itself; a step either makes a new dict under its parent (the first time
    a leaf's path needs it, so keys come in the same order as setting the leaves one by one)
    or sets a leaf's value.
    """
    boxes: dict[m.Path, int] = {(): 0}
    steps: list[tuple[int, str, int, int]] = []
    for slot, leaf in enumerate(CELL_LEAVES):
        for depth in range(1, len(leaf.path)):
            prefix = leaf.path[:depth]
            if prefix not in boxes:
                boxes[prefix] = len(boxes)
                steps.append((boxes[prefix[:-1]], prefix[-1], boxes[prefix], -1))
        steps.append((boxes[leaf.path[:-1]], leaf.path[-1], -1, slot))
    return tuple(steps)


STEPS = _build_steps()


N_BOXES = 1 + sum(1 for step in STEPS if step[2] >= 0)
# Every part of a sum is a number after reading (unusable cells read as 0), never left out.
assert all(
    KINDS[i] in (TOTAL, COUNT, AMOUNT) and not CELL_LEAVES[i].optional
    for left, parts in SUMS
    for i in (left, *parts)
)


def _optional_objects() -> tuple[m.Path, ...]:
    """Objects all of whose leaves are optional (`headings` of contract 1.1): left out when
    empty. In one pass over the leaves (each object against every leaf took 2 ms of a start)."""
    parents = dict.fromkeys(leaf.path[:-1] for leaf in CELL_LEAVES if len(leaf.path) > 1)
    every_optional: dict[m.Path, bool] = {}
    for leaf in CELL_LEAVES:
        for depth in range(1, len(leaf.path)):
            prefix = leaf.path[:depth]
            every_optional[prefix] = every_optional.get(prefix, True) and leaf.optional
    return tuple(prefix for prefix in parents if every_optional[prefix])


OPTIONAL_OBJECTS = _optional_objects()
assert all(len(prefix) == 1 for prefix in OPTIONAL_OBJECTS)  # top-level ones only, so far


def build_data(values: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"format": m.FORMAT_ID}
    boxes: list[Any] = [None] * N_BOXES
    boxes[0] = data
    for parent, key, box, slot in STEPS:
        if box >= 0:
            boxes[box] = boxes[parent][key] = {}
        else:
            value = values[slot]
            if value is not ABSENT:
                boxes[parent][key] = value
    for (key,) in OPTIONAL_OBJECTS:
        if not data[key]:
            del data[key]
    return data
