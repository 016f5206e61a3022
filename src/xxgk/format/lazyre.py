"""Regular expressions compiled when first used, not on import.

Every process compiles a module's patterns anew (Python keeps no compiled pattern between
runs), and some cost a millisecond each: a class over the CJK ranges, a case-blind one, a long
alternation. `xxgk validate` of a valid workbook uses few of the patterns its modules hold, most
of the others being for what is wrong or read otherwise (issue 16: 15 ms of 44 patterns at
start-up, 9 of them needed).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import AnyStr


class _Deferred:
    """Stands for `re.compile(pattern, flags)`: its source (`.pattern`, `.flags`) is there at
    once; the first other attribute asked for compiles it, and the compiled pattern's
    attributes are then kept in the instance's own dict, so that later calls cost what the
    compiled pattern's do."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str) -> object:
        compiled = re.compile(self.pattern, self.flags)
        for attr in dir(compiled):
            if not attr.startswith("__"):
                self.__dict__[attr] = getattr(compiled, attr)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r})"


def lazy(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, compiled at the first use of the result."""
    return _Deferred(pattern, flags)  # type: ignore[return-value]
