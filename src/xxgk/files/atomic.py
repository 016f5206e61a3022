"""Writing a file so that nobody ever sees it half-written, and nothing is lost on failure."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from pathlib import Path

TEMP_PREFIX = ".xxgk-tmp-"


def write_atomic(path: Path, payload: bytes | Iterable[bytes], prefix: str = TEMP_PREFIX) -> None:
    """Write `payload` (bytes, or pieces of them made as they are written) to a temp file beside
    `path`, flush it to disk, then rename it over `path`.

    The temp file is created like any other (the user's umask applies: colleagues on a shared
    folder can open the result), and removed again if anything fails, Ctrl-C included.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{prefix}{os.getpid()}-{os.urandom(4).hex()}-{path.name}")
    try:
        with open(temp, "xb") as fh:
            if isinstance(payload, bytes):
                fh.write(payload)
            else:
                fh.writelines(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


_REASONS = {
    errno.EROFS: "该位置只读",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.ENOENT: "文件夹不存在",
    errno.EISDIR: "同名的文件夹已存在",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EBUSY: "文件正被占用",
    errno.EFBIG: "文件超过该位置允许的大小",
    errno.EMFILE: "同时打开的文件过多",
    errno.EIO: "磁盘读写出错",
}
if hasattr(errno, "EDQUOT"):  # not on Windows
    _REASONS[errno.EDQUOT] = "磁盘配额已满"


def os_reason(exc: BaseException) -> str:
    """The reason of an OS error in the user's words (the OS's own text is often English)."""
    code = getattr(exc, "errno", None)
    reason = _REASONS.get(code) if code is not None else None
    if reason:
        return reason
    # the OS's own text is English (and in the user's locale at best): the number says enough
    return f"系统错误代码 {code}" if code is not None else "写入失败"


def write_failure(path: Path, exc: BaseException) -> str:
    """Why `path` could not be written, in the user's words, with what to do."""
    reason = os_reason(exc)
    return (
        f"{path}：无法写入（{reason}）。"
        "请检查文件夹权限和磁盘空间，或先在 Excel/Word 中关闭该文件。"
    )
