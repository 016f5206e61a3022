"""Counting an import against the cells typed by hand: what was recovered, what was flagged,
and what would be the worst defects (a wrong number, an invented one, a silent gap)."""

from __future__ import annotations

from dataclasses import dataclass, field

from xxgk.check import findings as fc
from xxgk.format import model as m
from xxgk.published.recognised import Recognised

from .corpus_cells import Expect

TABLE_LEAVES = [leaf.pointer for leaf in m.leaves() if leaf.table]


@dataclass
class Tally:
    printed: int = 0
    recovered: int = 0  # read, equal to the printed number
    flagged: int = 0  # printed blank or unreadable with certainty, and a finding names it
    missing: int = 0  # printed, not read, no finding: must be 0
    wrong: list[str] = field(default_factory=list)  # read, not as printed: must be empty
    invented: list[str] = field(default_factory=list)  # read, not printed: must be empty
    silent: list[str] = field(default_factory=list)  # absent without a finding: must be empty

    @property
    def clean(self) -> bool:
        return not (self.missing or self.wrong or self.invented or self.silent)


def named_paths(result: Recognised, code: str | None = None) -> set[str]:
    return {
        p for f in result.findings if code is None or f.code == code for p in (f.path, *f.paths)
    }


def tally(expect: Expect, result: Recognised) -> Tally:
    named = named_paths(result)
    blank = named_paths(result, fc.IMPORT_CELL_BLANK)
    out = Tally(printed=len(expect.cells) + len(expect.flagged))
    for ptr, printed in expect.cells.items():
        got = result.values.get(ptr)
        if printed is None:
            if (got == 0 and ptr in blank) or (ptr not in result.values and ptr in named):
                out.flagged += 1
            elif ptr in result.values:
                out.wrong.append(ptr)
            else:
                out.missing += 1
        elif ptr in result.values:
            if got == printed and type(got) is type(printed):
                out.recovered += 1
            else:
                out.wrong.append(ptr)
        elif ptr in named:
            out.flagged += 1
        else:
            out.missing += 1
    for ptr in expect.flagged:
        if ptr in result.values:
            out.invented.append(ptr)
        elif ptr in named:
            out.flagged += 1
        else:
            out.missing += 1
    for ptr in TABLE_LEAVES:
        if ptr in expect.cells or ptr in expect.flagged:
            continue
        if ptr in result.values:
            out.invented.append(ptr)
        elif ptr not in named:
            out.silent.append(ptr)
    return out
