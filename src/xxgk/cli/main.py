"""The `xxgk` command line's entry point (`xxgk`, `python -m xxgk`, `python -m xxgk.cli.main`).

`run()` lets `xxgk validate` of plain files start without click (`validate.py`), and hands any
other command line to the click group (`group.py`). `xxgk.cli.main.main` is that group, loaded
when asked for, as callers and tests have always named it.
"""

from __future__ import annotations

import sys

from xxgk.cli.loading import loading

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any


def run() -> None:
    with loading():
        from xxgk.cli.validate import quick_validate
    code = quick_validate(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    with loading():
        from xxgk.cli.group import main
    main()


def __getattr__(name: str) -> Any:
    if name in ("main", "LAZY_COMMANDS"):
        from xxgk.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    run()
