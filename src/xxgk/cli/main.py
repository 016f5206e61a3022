"""The `xxgk` command line's entry point (`xxgk`, `python -m xxgk`, `python -m xxgk.cli.main`).

`run()` lets `xxgk validate` of plain files start without click (`validate.py`), and hands any
other command line to the click group (`group.py`). `xxgk.cli.main.main` is that group, loaded
when asked for, as callers and tests have always named it.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from typing import Any


def run() -> None:
    with _loading():
        from xxgk.cli.validate import quick_validate
    code = quick_validate(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    with _loading():
        from xxgk.cli.group import main
    main()


@contextlib.contextmanager
def _loading() -> Iterator[None]:
    """No garbage collection while modules load, and what they made (which lives as long as
    the process) then frozen out of every later collection, the one at exit included: 10–15 ms
    of the 0.1 s `xxgk validate` may take (issue 16). Forked workers leave those pages shared."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def __getattr__(name: str) -> Any:
    if name in ("main", "LAZY_COMMANDS"):
        from xxgk.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    run()
