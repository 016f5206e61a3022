"""convert's bookkeeping done the quick way gives what the plain way gave: temp files written
through os.open/os.write as `open(path, "wb")` writes them, tasks made without
`dataclasses.replace`."""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from pathlib import Path

import pytest

from xxgk.batch import convert
from xxgk.batch.convert import Task, write_file
from xxgk.batch.discover import PathList
from xxgk.batch.runner import TaskList


def test_write_file_writes_the_bytes_over_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_bytes(b"x" * 100)  # a longer file: truncated, as "wb" does
    write_file(str(target), "报告".encode() * 3)
    assert target.read_bytes() == "报告".encode() * 3
    write_file(str(tmp_path / "empty.html"), b"")
    assert (tmp_path / "empty.html").read_bytes() == b""


def test_short_writes_go_on_to_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.write
    calls = []

    def seven_at_most(fd: int, data: bytes) -> int:
        calls.append(len(data))
        return real(fd, bytes(data[:7]))

    monkeypatch.setattr(convert.os, "write", seven_at_most)
    payload = bytes(range(50))
    write_file(str(tmp_path / "a.docx"), payload)
    assert (tmp_path / "a.docx").read_bytes() == payload
    assert len(calls) == 8  # 7 × 7 bytes, then the last one


def test_a_full_disk_raises_and_closes_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = []
    real_close = os.close

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(fd: int) -> None:
        closed.append(fd)
        real_close(fd)

    monkeypatch.setattr(convert.os, "write", full)
    monkeypatch.setattr(convert.os, "close", close)
    with pytest.raises(OSError) as caught:
        write_file(str(tmp_path / "a.json"), b"{}")
    assert caught.value.errno == errno.ENOSPC
    assert len(closed) == 1


def test_tasks_are_the_common_task_with_each_input(tmp_path: Path) -> None:
    common = Task(0, "", str(tmp_path), ("json", "docx"), True, "tag", "last.json", None, False)
    paths = [tmp_path / "a.xlsx", tmp_path / "子目录" / "b.xlsx"]
    for given in (paths, PathList(paths)):
        tasks = TaskList(given, common)
        expected = [replace(common, index=i, path=str(p)) for i, p in enumerate(paths)]
        assert [tasks[i] for i in range(len(tasks))] == expected
        assert tasks[-1] == expected[-1] and tasks[0:2] == expected
        with pytest.raises(IndexError):
            tasks[2]
