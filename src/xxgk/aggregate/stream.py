"""Summing as the inputs are read (`xxgk aggregate` over thousands of files): each report's
numbers go into the sums when it is read, and then only what the manifest and the comparison
sheet need of it is kept (its `Candidate` without `data`, with its key figures, and later its
`Entry`), on disk (`spill.py`) — not the 25 KB of its data (issue 16: peak memory at 5,000
inputs within 10% of that at 100; kept in memory, candidates and entries made it +16%).

Whether an input is summed usually follows from it and the inputs before it (the rules of
`sums.py`: the first valid report of an agency by path). Two cases wait for the end: a summed
report with a manifest (whether its units are among the inputs too, `DOUBLE_COUNT`), and a
later report of the same agency as one waiting (whether it is the first one kept). Their data
is held until then; they are rare. At the end `select` decides as it always has, over all
candidates, and the sums are checked against what it decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xxgk.aggregate.figures import key_figures
from xxgk.aggregate.spill import FirstSeen
from xxgk.aggregate.sums import Aggregate, Candidate, Entry, Sums, finish, own_reason, select
from xxgk.check.years import normalise_agency
from xxgk.files.spill import Spilled

_PREFIX = "xxgk-aggregate-"


def _entries() -> Spilled[Entry]:
    return Spilled(_PREFIX)


class StreamedSum:
    """Candidates added one at a time, in the order `select` takes them (by path)."""

    def __init__(self, agency: str, year: int) -> None:
        self.agency, self.year = agency, year
        self._key = normalise_agency(agency)
        self.candidates: Spilled[Candidate] = Spilled(_PREFIX)
        self.sums = Sums()
        self._summed = bytearray()  # 1 for each candidate already in the sums
        self._held: dict[int, Any] = {}  # candidates decided at the end: their data
        # agencies whose report is summed: the first of each, its name read back if asked
        self._kept = FirstSeen(lambda i: normalise_agency(self.candidates[i].agency))
        self._waiting: set[str] = set()  # agencies with a held candidate (rare)

    def add(self, c: Candidate) -> None:
        i = len(self.candidates)
        what = self._now(c, i)
        self._summed.append(what == "sum")
        if what is not None:
            c.figures = key_figures(c.data)
            if what == "sum":
                self.sums.add(c.data)
            else:
                self._held[i] = c.data
        c.data = None
        self.candidates.append(c)

    def _now(self, c: Candidate, i: int) -> str | None:
        """"sum" (included: nothing before it can change that), "hold" (decided at the end)
        or None (not included, whatever comes after)."""
        # others = ∅: a report that is not a summed one is own or not regardless of the others
        if not c.readable or own_reason(c, self._key, set()) is not None:
            return None
        if c.errors or c.year != self.year:  # another year, or errors: excluded either way
            return None
        name = normalise_agency(c.agency)
        if c.summed is not None or name in self._waiting:
            self._waiting.add(name)
            return "hold"
        if name in self._kept:
            return None  # a duplicate of the one summed
        self._kept.add(name, i)
        return "sum"

    def result(
        self,
        *,
        expected: Sequence[str] | None = None,
        address: str = "",
        postcode: str = "",
        phone: str = "",
        published_on: str | None = None,
    ) -> Aggregate:
        included, excluded = select(self.candidates, self.year, self.agency, _entries)
        self.candidates.close()  # the entries hold what is left of them
        self.candidates = Spilled(_PREFIX)
        chosen = 0  # of those summed as read: select included them too
        for e in included:
            if self._summed[e.index]:
                chosen += 1
            else:
                self.sums.add(self._held.pop(e.index))  # KeyError: a bug, said as ours
        if chosen != self._summed.count(1):  # pragma: no cover - the rules above are select's
            raise AssertionError("summed as read but not included by select")
        self._held.clear()
        return finish(
            included,
            excluded,
            self.sums,
            agency=self.agency,
            year=self.year,
            expected=expected,
            address=address,
            postcode=postcode,
            phone=phone,
            published_on=published_on,
        )
