"""convert's bookkeeping done the quick way gives what the plain way gave: temp files written
through os.open/os.write as `open(path, "wb")` writes them, tasks made without
`dataclasses.replace`, output names without the general steps (or a Path) when they change
nothing."""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.batch import convert, names
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
    for inputs in (paths, PathList(paths)):
        tasks = TaskList(inputs, common)
        expected = [replace(common, index=i, path=str(p)) for i, p in enumerate(paths)]
        assert [tasks[i] for i in range(len(tasks))] == expected
        assert tasks[-1] == expected[-1] and tasks[0:2] == expected
        with pytest.raises(IndexError):
            tasks[2]


# pieces each of which some step of the general way changes, and plain ones
TRICKY = [*' ._-\\/:*?"<>|\t\n\u3000\u00a0\u200b\u202e\ufeff\x7f\x85\ud800', "  ", "e\u0301"]
PLAIN = ["示例县", "第6局", "人民政府", "办公室", "Ａ", "e", "-2024", "con", "aux.1", "𠀀"]
NAMEISH = st.one_of(
    st.lists(st.sampled_from(TRICKY + PLAIN * 3), max_size=8).map("".join),
    st.text(alphabet=st.characters(), max_size=70),
)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(NAMEISH, st.sampled_from(["CON", "Lpt1.x", "甲  局", "a" * 61, "𠀀" * 50])))
def test_a_plain_name_is_its_own_stem_exactly_when_the_general_way_says_so(text: str) -> None:
    general = names._safe_stem(text)
    assert names.safe_stem(text) == general
    if names._plain_stem(text):
        assert general == text


def test_agency_names_take_the_quick_way_and_odd_ones_the_general() -> None:
    assert names._plain_stem("示例县第6局")
    assert names._plain_stem("额敏县人民政府办公室-2024")
    for odd in ("", " 甲局", "甲局.", "甲  局", "甲/局", "甲\u200b局", "e\u0301", "con", "甲" * 61):
        assert not names._plain_stem(odd), odd
    assert names.safe_stem("甲/局.") == "甲_局"


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.text(alphabet=st.sampled_from(list("a.b 甲_-")), max_size=6), max_size=4))
def test_path_stem_is_pathlibs(parts: list[str]) -> None:
    text = str(Path("/", *[p or "x" for p in parts]))  # as a Path writes it
    assert names.path_stem(text) == Path(text).stem
    for name in ("a.xlsx", ".xlsx", "a.", "a.b.c", "..", "x..y", "年报.XLSX"):
        assert names.path_stem(f"/in/{name}") == Path(f"/in/{name}").stem
