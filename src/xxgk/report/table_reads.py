"""Reading a table layout's numbers from report data (tables.TableLayout.fill): its reads taken
in runs of rows side by side, each node walked to once and its rows read at once, in C; the
numbers printed as the report prints them, counts by one lookup."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from operator import itemgetter
from typing import Any

from xxgk.format import model as m
from xxgk.format.clean import MAX_NUMBER
from xxgk.report import text as t

# Counts as printed, for the counts most tables hold: str(n) for n in 0…9,999, looked up; kept
# as they are met (making all 10,000 on import cost 3.5 ms of every convert's start, and one
# report meets some 250 counts)
_PRINTED: dict[int, str] = {}
_PRINTED_BELOW = 10_000
_COUNTS = frozenset({int})


# A run of a layout's reads: the path of the node holding its rows, the getter of those rows
# (a tuple of them), the getter of each row's columns, whether that is one column.
Run = tuple[m.Path, Callable[[Any], tuple[Any, ...]], Callable[[Any], Any], bool]


def runs(reads: tuple[tuple[m.Path, tuple[str, ...]], ...]) -> tuple[Run, ...]:
    """`reads` taken in runs of rows side by side (the same node above them, the same
    columns), so that each node is walked to once and its rows read at once, in C."""
    found: list[tuple[m.Path, list[str], tuple[str, ...]]] = []
    for path, cols in reads:
        if found and found[-1][0] == path[:-1] and found[-1][2] == cols:
            found[-1][1].append(path[-1])
        else:
            found.append((path[:-1], [path[-1]], cols))
    return tuple(
        (parent, _rows_getter(keys), itemgetter(*cols), len(cols) == 1)
        for parent, keys, cols in found
    )


def _rows_getter(keys: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(keys) > 1:
        return itemgetter(*keys)
    key = keys[0]
    return lambda node: (node[key],)  # itemgetter of one key gives the value, not a tuple


def numbers(data: Any, plan: tuple[Run, ...]) -> tuple[tuple[str, ...], list[int] | None]:
    """The numbers the runs of `plan` read, in turn, as printed, and the values themselves
    when all are counts (see below). Ints from 0 to 9,999, the common case, are looked up all
    at once, in C (an int key finds only an int's own text: the types are checked first);
    anything else goes through text.number, which range-checks it (format/clean.py). The same
    node lookups (`node[key]`, raising the same errors) as walking each row's path."""
    values: list[Any] = []
    for path, rows, columns, single in plan:
        node = data
        for key in path:
            node = node[key]
        if single:
            values += map(columns, rows(node))
        else:
            values += chain.from_iterable(map(columns, rows(node)))
    counts = len(values) > 1 and _COUNTS.issuperset(map(type, values))
    if counts:
        try:
            return itemgetter(*values)(_PRINTED), values  # a tuple: there are two or more
        except KeyError:  # one not met yet, or beyond 9,999 or negative
            pass
    number = t.number
    printed = tuple(
        [str(v) if type(v) is int and -MAX_NUMBER <= v <= MAX_NUMBER else number(v) for v in values]
    )
    if counts and min(values) >= 0 and max(values) < _PRINTED_BELOW:
        _PRINTED.update(zip(values, printed, strict=True))  # the next report looks them up
        return printed, values
    return printed, None
