"""Where the details of a bug of ours go: a log file that IT can find, never the user's screen.

Staff see one Chinese line (内部错误, what to send, and where the log is); the traceback is
appended to `xxgk-errors.log` in the user's local application data (Windows:
%LOCALAPPDATA%\\xxgk\\logs; elsewhere $XDG_STATE_HOME/xxgk or ~/.local/state/xxgk), or in
$XXGK_LOG_DIR when set. Writing the log may itself fail (a locked-down PC): then the message
says so, and the run goes on.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from xxgk import __version__

LOG_NAME = "xxgk-errors.log"
MAX_LOG_BYTES = 5 * 1024 * 1024  # past this the old log is moved aside once


def log_dir() -> Path:
    override = os.environ.get("XXGK_LOG_DIR")
    if override:
        return Path(override)
    local = os.environ.get("LOCALAPPDATA")
    if os.name == "nt" and local:
        return Path(local) / "xxgk" / "logs"
    state = os.environ.get("XDG_STATE_HOME")
    return (Path(state) if state else Path.home() / ".local" / "state") / "xxgk"


def log_internal(exc: BaseException, context: str) -> Path | None:
    """Append the traceback of `exc` (what we were doing: `context`) to the log; its path, or
    None when it could not be written."""
    folder = log_dir()
    target = folder / LOG_NAME
    import traceback  # 1 ms to import, for a bug of ours only

    stamp = dt.datetime.now().isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    entry = f"=== {stamp} xxgk {__version__} — {context}\n{text}\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if target.exists() and target.stat().st_size > MAX_LOG_BYTES:
            os.replace(target, target.with_suffix(".old.log"))
        with open(target, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(entry)
    except OSError:
        return None
    return target


def internal_message(exc: BaseException, context: str) -> str:
    """The one line staff see for a bug of ours, with the log written and named."""
    where = log_internal(exc, context)
    logged = f"详细信息已写入日志 {where}" if where else "详细信息未能写入日志"
    return (
        f"内部错误（{exc.__class__.__name__}），不是文件本身的问题；{logged}。"
        "请把该文件和日志发给维护人员。"
    )
