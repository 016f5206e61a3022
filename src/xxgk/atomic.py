"""Writing a file so that nobody ever sees it half-written, and nothing is lost on failure."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

TEMP_PREFIX = ".xxgk-tmp-"


def write_atomic(path: Path, payload: bytes, prefix: str = TEMP_PREFIX) -> None:
    """Write `payload` to a temp file beside `path`, flush it to disk, then rename it over `path`.

    The temp file is created like any other (the user's umask applies: colleagues on a shared
    folder can open the result), and removed again if anything fails, Ctrl-C included.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{prefix}{os.getpid()}-{secrets.token_hex(4)}-{path.name}")
    try:
        with open(temp, "xb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
