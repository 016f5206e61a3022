"""Loading a command's modules without the garbage collector's help (issue 16: start-up)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def loading() -> Iterator[None]:
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
