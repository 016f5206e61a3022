"""One run at a time in an output folder: an OS lock on a hidden file there.

The lock is the operating system's (flock on POSIX, a byte-range lock on Windows), so it ends
with the process that holds it, however that process ends (kill -9 included): a lock left by a
dead run never blocks the next one. A second run into a locked folder does not wait; it is told
so (`FolderBusy`) and the command exits 3 (docs/exit-codes.md).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".xxgk-lock"


class FolderBusy(Exception):
    """Another run holds the folder's lock; the message is Chinese."""


def _try_lock(fd: int) -> bool:
    if os.name == "nt":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def busy_message(folder: Path) -> str:
    return (
        f"输出文件夹 {folder} 正被另一次 xxgk convert 使用。为免两次转换互相覆盖，本次没有转换任何"
        "文件。请等那一次结束后再运行，或换一个输出文件夹。"
    )


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold `folder`'s lock for the block; raise FolderBusy if another process holds it.

    OSError (the folder cannot be written) propagates for the caller to report.
    """
    path = folder / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        if not _try_lock(fd):
            os.close(fd)
            raise FolderBusy(busy_message(folder))
        # The previous holder may have removed the file between our open and our lock: then we
        # hold a lock on a file nobody else sees, and must take the one that is there now.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):  # on Windows an open file cannot be removed: it stays
            if os.name != "nt":
                os.unlink(path)
        os.close(fd)
