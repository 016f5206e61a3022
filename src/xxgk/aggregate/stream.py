"""Summing as the inputs are read (`xxgk aggregate` over thousands of files): each report's
numbers go into the sums when it is read, and then only what the manifest and the comparison
sheet need of it is kept (its `Candidate` without `data`, with its key figures) — not the
25 KB of its data (issue 16: peak memory at 5,000 inputs within 10% of that at 100).

Whether an input is summed usually follows from it and the inputs before it (the rules of
`sums.py`: the first valid report of an agency by path). Two cases wait for the end: a summed
report with a manifest (whether its units are among the inputs too, `DOUBLE_COUNT`), and a
later report of the same agency as one waiting (whether it is the first one kept). Their data
is held until then; they are rare. At the end `select` decides as it always has, over all
candidates, and the sums are checked against what it decided.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import Any, overload

from xxgk.aggregate.figures import key_figures
from xxgk.aggregate.sums import Aggregate, Candidate, Sums, finish, own_reason, select
from xxgk.check.years import normalise_agency


class Spilled(Sequence[Candidate]):
    """Candidates (without their data) pickled to a temp file as they come: held in memory,
    5,000 of them took 4 MB, spread among what each input's reading left behind."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="xxgk-aggregate-")  # noqa: SIM115 - ours
        self._offsets = array("q")

    def append(self, c: Candidate) -> None:
        self._file.seek(0, 2)
        self._offsets.append(self._file.tell())
        pickle.dump(c, self._file, pickle.HIGHEST_PROTOCOL)

    def __len__(self) -> int:
        return len(self._offsets)

    def _at(self, offset: int) -> Candidate:
        self._file.seek(offset)
        got: Candidate = pickle.load(self._file)  # noqa: S301 - our own file
        return got

    @overload
    def __getitem__(self, index: int) -> Candidate: ...

    @overload
    def __getitem__(self, index: slice) -> list[Candidate]: ...

    def __getitem__(self, index: int | slice) -> Candidate | list[Candidate]:
        if isinstance(index, slice):
            return [self._at(o) for o in self._offsets[index]]
        return self._at(self._offsets[index])

    def __iter__(self) -> Iterator[Candidate]:
        for offset in self._offsets:
            yield self._at(offset)

    def close(self) -> None:
        self._file.close()


class StreamedSum:
    """Candidates added one at a time, in the order `select` takes them (by path)."""

    def __init__(self, agency: str, year: int) -> None:
        self.agency, self.year = agency, year
        self._key = normalise_agency(agency)
        self.candidates = Spilled()
        self.sums = Sums()
        self._summed: set[int] = set()  # candidates already in the sums
        self._held: dict[int, Any] = {}  # candidates decided at the end: their data
        self._kept: set[str] = set()  # agencies whose report is summed
        self._waiting: set[str] = set()  # agencies with a held candidate

    def add(self, c: Candidate) -> None:
        i = len(self.candidates)
        what = self._now(c)
        if what is not None:
            c.figures = key_figures(c.data)
            if what == "sum":
                self.sums.add(c.data)
                self._summed.add(i)
            else:
                self._held[i] = c.data
        c.data = None
        self.candidates.append(c)

    def _now(self, c: Candidate) -> str | None:
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
        self._kept.add(name)
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
        included, excluded = select(self.candidates, self.year, self.agency)
        self.candidates.close()  # the entries hold what is left of them
        self.candidates = Spilled()
        chosen = {e.index for e in included}
        if not self._summed <= chosen:  # pragma: no cover - the rules above are select's
            raise AssertionError(f"summed but not included: {sorted(self._summed - chosen)}")
        for e in included:
            if e.index not in self._summed:
                self.sums.add(self._held.pop(e.index))  # KeyError: a bug, said as ours
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
