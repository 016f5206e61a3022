"""Statements found by the word each starts with: one scan of a text for all the cue words, then
at each cue only the statements that start with it.

Regular expressions are compiled when first used (`format/lazyre.py`): compiling the 40 of the
narrative rule took 10 ms of `xxgk validate`'s start (issue 16), and one report's text has the
cue words of about ten (the seed's: 10 of 34 statements).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from xxgk.format.lazyre import lazy

TYPE_CHECKING = False  # typing.TYPE_CHECKING: typing is not imported to validate (issue 16)
if TYPE_CHECKING:
    from typing import Generic, TypeVar

    Q = TypeVar("Q")
    _Tries = tuple["re.Pattern[str] | None", tuple[tuple[Q, "re.Pattern[str]"], ...]]

    class _Generic(Generic[Q]):
        pass
else:
    Q = None

    class _Generic:  # what `CueIndex[...]` needs at run time of typing.Generic
        def __class_getitem__(cls, _: object) -> type:
            return cls


Match = re.Match[str]


_SPECIAL = "\\[(?*+{|"
_NAMED_GROUP = lazy(r"\(\?P<\w+>")


def cues(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """The words a statement's pattern starts with: its leading literal, or each branch of a
    leading `(?:a|b)` (read with str methods: a regular expression here would cost the
    compilation this module defers)."""
    source = pattern.pattern
    lead = source[3 : source.index(")")] if source.startswith("(?:") else None
    branches = lead.split("|") if lead is not None and "(" not in lead else [source]
    out = []
    for branch in branches:
        end = next((i for i, ch in enumerate(branch) if ch in _SPECIAL), len(branch))
        assert end > 0, source
        out.append(branch[:end])
    return tuple(out)


class CueIndex(_Generic[Q]):
    """Each statement (a thing it states, `Q`, and its pattern) under the words it starts with."""

    def __init__(self, statements: Sequence[tuple[Q, re.Pattern[str]]]) -> None:
        self.by_cue: dict[str, list[tuple[Q, re.Pattern[str]]]] = {}
        for thing, pattern in statements:
            for cue in cues(pattern):
                self.by_cue.setdefault(cue, []).append((thing, pattern))
        # Longest first, so that 未发出 (a denial) is found as such and not as 发出.
        self.words = lazy("|".join(sorted(map(re.escape, self.by_cue), key=len, reverse=True)))
        self._tries: dict[str, _Tries[Q]] = {}

    def _compile(self, cue: str) -> _Tries[Q]:
        """A cue's statements, compiled, and one pattern matching where any of them does (its
        alternatives tried at one position succeed exactly when one of them would): most cues
        («发布», «制定») start no statement at all, and one failed match then tells so for all."""
        entries = self.by_cue[cue]
        tries = tuple(entries)
        gate = None
        if len(entries) > 1:
            gate = re.compile("|".join(_NAMED_GROUP.sub("(?:", p.pattern) for _, p in entries))
        self._tries[cue] = gate, tries
        return gate, tries

    def hits(self, text: str) -> Iterator[tuple[Q, Match]]:
        """Each statement that matches at a cue of `text`, in the order of the cues and, at one
        cue, of the statements."""
        for cue in self.words.finditer(text):
            word = cue.group()
            gate, tries = self._tries.get(word) or self._compile(word)
            at = cue.start()
            if gate is not None and gate.match(text, at) is None:
                continue
            for thing, pattern in tries:
                hit = pattern.match(text, at)
                if hit is not None:
                    yield thing, hit
