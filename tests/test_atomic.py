from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from xxgk.files.atomic import write_atomic


def test_replaces_whole_with_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "报告.docx"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask  # colleagues can open it
    assert [p.name for p in target.parent.iterdir()] == ["报告.docx"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "汇总.csv"
    target.write_bytes(b"old")

    def boom(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.csv"]


def test_write_failures_are_explained_in_chinese(tmp_path: Path) -> None:
    import errno

    from xxgk.files.atomic import write_failure

    text = write_failure(tmp_path / "报告.docx", OSError(errno.EROFS, "Read-only file system"))
    assert "只读" in text and "Read-only" not in text and "报告.docx" in text
    assert "磁盘空间不足" in write_failure(tmp_path / "x", OSError(errno.ENOSPC, "No space"))
