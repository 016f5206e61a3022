"""A run's per-input results kept on disk, so that memory stays flat however many inputs.

Each `ItemResult` (about 2.5 KB in memory with its findings, names and paths) goes to a list on
disk as it comes (files/spill.py); memory keeps its offset (8 bytes), the running totals and, for
the duplicate check, one hash per agency and year. Reading an item back gives a copy: the only
change made after an item is stored — which earlier input it duplicates — is kept beside it.
Measured before: peak memory of `xxgk convert` grew from 43.6 MB at 100 inputs to 55.9 MB at
5,000, nearly all of it these results.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import fields
from operator import attrgetter
from typing import Any, overload

from xxgk.batch.summary import ItemResult, tally
from xxgk.check.years import normalise_agency
from xxgk.files.spill import Spilled

# An item is kept as the tuple of its fields' values: pickling the dataclass itself (its class,
# then a dict of its 21 fields by name) took three times as long each way, 18 µs an input in
# the run (its caches cold after reading and rendering a workbook)
_values = attrgetter(*(f.name for f in fields(ItemResult)))


def _item(values: tuple[Any, ...]) -> ItemResult:
    return ItemResult(*values)


def _key_hash(item: ItemResult) -> int:
    key = normalise_agency(item.agency)
    if not key or item.year is None:
        return 0
    return hash((key, item.year)) or 1


class ItemStore(Sequence[ItemResult]):
    """`ItemResult`s in the order appended, read back from a temp file."""

    def __init__(self) -> None:
        self._items: Spilled[tuple[Any, ...]] = Spilled("xxgk-items-")
        self._duplicate_of: dict[int, str] = {}
        self._totals = tally(())
        # the hash of each input's (agency, year), 0 without one: inputs of equal hashes are
        # compared on the items themselves when the run is done (8 bytes an input, where a
        # dict of the keys cost 0.25 KB)
        self._keys = array("q")

    def append(self, item: ItemResult) -> None:
        self._items.append(_values(item))
        totals = self._totals
        totals["inputs"] += 1
        totals[item.status] += 1
        totals["errors"] += item.errors
        totals["warnings"] += item.warnings
        totals["outputs"] += len(item.outputs)
        self._keys.append(_key_hash(item))

    def totals(self) -> dict[str, int]:
        return dict(self._totals)

    def duplicate_groups(self) -> list[list[int]]:
        """Positions of inputs with the same agency and year, groups in the order of their
        first input, each in input order."""
        ordered = sorted(self._keys)  # no dict of every input's key, even for a moment
        repeated = {a for a, b in zip(ordered, ordered[1:], strict=False) if a == b and a}
        del ordered
        by_hash: dict[int, list[int]] = {}
        for position, key in enumerate(self._keys):
            if key in repeated:
                by_hash.setdefault(key, []).append(position)
        groups: list[list[int]] = []
        for positions in by_hash.values():
            exact: dict[tuple[str, int | None], list[int]] = {}  # a clash of hashes told apart
            for position in positions:
                item = self[position]
                exact.setdefault((normalise_agency(item.agency), item.year), []).append(position)
            groups.extend(group for group in exact.values() if len(group) > 1)
        return sorted(groups)

    def mark_duplicate(self, position: int, first_path: str) -> None:
        self._duplicate_of[position] = first_path

    def _marked(self, position: int, item: ItemResult) -> ItemResult:
        marked = self._duplicate_of.get(position)
        if marked is not None:
            item.duplicate_of = marked
        return item

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> ItemResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[ItemResult]: ...

    def __getitem__(self, index: int | slice) -> ItemResult | list[ItemResult]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self._marked(index, _item(self._items[index]))

    def __iter__(self) -> Iterator[ItemResult]:
        for position, values in enumerate(self._items):
            yield self._marked(position, _item(values))

    def close(self) -> None:
        self._items.close()
