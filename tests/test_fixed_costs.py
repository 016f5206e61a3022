"""The fixed costs of a batch made smaller without changing what it does (issue 16): each
input's real path worked out from its folder's, summary entries made without `asdict`; and the
chunks files are dealt in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xxgk.batch import summary
from xxgk.batch.discover import RealPaths, discover, inputs_in
from xxgk.batch.pool import _chunk_sizes
from xxgk.batch.summary import CONVERTED, ItemResult

REAL_RESOLVE = Path.resolve


def _count_resolves(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """From now on, every Path.resolve call is recorded in the list returned."""
    calls: list[Path] = []

    def counted(self: Path, strict: bool = False) -> Path:
        calls.append(self)
        return REAL_RESOLVE(self, strict)

    monkeypatch.setattr(Path, "resolve", counted)
    return calls


def test_real_paths_are_what_resolve_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.xlsx").write_bytes(b"PK")
    (real / "sub" / "b.xlsx").write_bytes(b"PK")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)  # a folder linked
    (real / "c.xlsx").symlink_to(real / "sub" / "b.xlsx")  # a file linked elsewhere
    (real / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")  # dangling
    monkeypatch.chdir(real)
    paths = [
        real / "a.xlsx",
        tmp_path / "linked" / "a.xlsx",
        tmp_path / "linked" / "sub" / "b.xlsx",
        real / "c.xlsx",
        real / "gone.xlsx",
        tmp_path / "linked" / "sub" / "..",
        Path("a.xlsx"),
        Path("sub/b.xlsx"),
        "../linked/c.xlsx",
        real / "missing.xlsx",
    ]
    resolve = RealPaths()
    for p in paths:
        assert resolve(p) == str(Path(p).resolve()), p
    # the files of the linked folder lie in the real one, the linked file where it points
    assert resolve(tmp_path / "linked" / "a.xlsx") == str(real.resolve() / "a.xlsx")
    assert resolve(real / "c.xlsx") == str(real.resolve() / "sub" / "b.xlsx")


def test_a_folder_is_resolved_once_per_run_not_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        (tmp_path / f"{i}.xlsx").write_bytes(b"PK")
    calls = _count_resolves(monkeypatch)
    resolve = RealPaths()
    got = [resolve(tmp_path / f"{i}.xlsx") for i in range(5)]
    assert got == [os.path.join(str(REAL_RESOLVE(tmp_path)), f"{i}.xlsx") for i in range(5)]
    assert len(calls) == (1 if os.name == "posix" else 5)


def test_the_inputs_in_the_output_folder_are_known_from_discover_without_resolving_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runner names outputs around the inputs that lie in the output folder itself: discover
    finds them as it resolves each input for duplicates, so the runner resolves none again."""
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    for name in ("a.xlsx", "b.xlsx", "sub/c.xlsx"):
        (out / name).write_bytes(b"PK")
    (tmp_path / "elsewhere.xlsx").write_bytes(b"PK")
    (tmp_path / "link.xlsx").symlink_to(out / "b.xlsx")  # its real path is in the folder
    (tmp_path / "alias").symlink_to(out, target_is_directory=True)
    named = [out / "a.xlsx", tmp_path / "elsewhere.xlsx", tmp_path / "link.xlsx"]
    paths = discover([*map(str, named), str(out / "sub"), str(tmp_path / "alias")], exclude=out)
    assert [p.name for p in paths] == ["a.xlsx", "elsewhere.xlsx", "link.xlsx", "c.xlsx"]
    calls = _count_resolves(monkeypatch)
    here = REAL_RESOLVE(out)
    # by name as given: link.xlsx lies in the folder, through its link; b.xlsx is one file
    # with it, so the alias folder's copy of b.xlsx is a duplicate, a.xlsx too
    assert inputs_in(paths, here) == ["a.xlsx", "link.xlsx"]
    assert calls == []
    assert inputs_in(list(paths), here) == ["a.xlsx", "link.xlsx"]  # a plain list: resolved
    assert calls != []
    assert inputs_in(paths, REAL_RESOLVE(out / "sub")) == ["c.xlsx"]  # another folder: resolved


def _tree(tmp_path: Path) -> Path:
    """A folder to search: files, a subfolder, a folder linked (not searched through), a file
    linked into it, a dangling link, a hidden folder."""
    top = tmp_path / "top"
    (top / "sub" / "deeper").mkdir(parents=True)
    (top / ".hidden").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in ("a.xlsx", "sub/b.xlsx", "sub/deeper/c.json", ".hidden/d.xlsx", "e.txt"):
        (top / name).write_bytes(b"PK")
    (elsewhere / "f.xlsx").write_bytes(b"PK")
    (top / "linked").symlink_to(elsewhere, target_is_directory=True)
    (top / "g.xlsx").symlink_to(elsewhere / "f.xlsx")
    (top / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    return top


def test_the_search_walks_as_os_walk_does(tmp_path: Path) -> None:
    from xxgk.batch.folders import walk

    top = _tree(tmp_path)
    ours = [(root, sorted(dirs), sorted(e.name for e in files)) for root, dirs, files in
            walk(str(top), print)]  # fmt: skip
    walked = [(root, sorted(dirs), sorted(files)) for root, dirs, files in os.walk(str(top))]
    assert sorted(ours) == sorted(walked)
    assert not any(root.endswith("linked") for root, _, _ in ours)  # a linked folder: not entered
    errors: list[OSError] = []
    assert list(walk(str(tmp_path / "missing"), errors.append)) == []
    assert [e.filename for e in errors] == [str(tmp_path / "missing")]  # as os.walk's onerror


def test_a_search_finds_the_same_inputs_by_their_paths_as_spelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = _tree(tmp_path)
    assert [str(p) for p in discover([str(top)])] == [
        str(top / n) for n in ("a.xlsx", "g.xlsx", "gone.xlsx", "sub/b.xlsx", "sub/deeper/c.json")
    ]
    monkeypatch.chdir(top)
    # as a Path spells them: "." gives "a.xlsx", not "./a.xlsx"
    assert [str(p) for p in discover(["."])] == [
        "a.xlsx", "g.xlsx", "gone.xlsx", "sub/b.xlsx", "sub/deeper/c.json",
    ]  # fmt: skip
    assert [str(p) for p in discover(["./sub"])] == ["sub/b.xlsx", "sub/deeper/c.json"]


def test_a_rerun_knows_the_outputs_it_wrote_without_resolving_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outputs an earlier run lists in its summary are never inputs, however reached (a file
    linked to one is one); they are found by the folder's real path, not each resolved."""
    import json

    from xxgk.batch.discover import Skipped
    from xxgk.batch.folders import real_files, resolved

    top = _tree(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    names = [f"甲局{i}-2024.json" for i in range(50)]
    for name in names:
        (out / name).write_text("{}", encoding="utf-8")
    (out / "linked-out.json").symlink_to(top / "sub" / "deeper" / "c.json")  # an output link
    entries = [{"path": str(top / "a.xlsx"), "outputs": [*names, "linked-out.json"]}]
    doc = {"files": entries, "interrupted": False, "formats": ["json"], "force": False,
           "totals": {}}  # fmt: skip
    doc.update({k: None for k in summary.SUMMARY_KEYS if k not in doc})
    (out / "summary.json").write_text(json.dumps(doc), encoding="utf-8")
    (top / "sub" / "copy.json").symlink_to(out / names[3])  # an input linked to an output
    wanted = [*names, "linked-out.json", "missing.json", "summary.json", "sub/x.json", ".."]
    assert real_files(out, wanted) == {resolved(out / n) for n in wanted}
    calls = _count_resolves(monkeypatch)
    skipped = Skipped()
    found = discover([str(top)], exclude=out, skipped=skipped)
    # the folders' and the links' (each of the 53 outputs was, one system call a component)
    assert not [p for p in calls if p.name in names]
    assert len(calls) < 20
    # c.json is what an output links to, copy.json links to an output: neither is an input
    assert "c.json" not in [p.name for p in found] and "copy.json" not in [p.name for p in found]
    assert sorted(p.name for p in skipped.by_kind["output"]) == ["c.json", "copy.json"]


@pytest.mark.parametrize(
    "name", ["a.xlsx", "甲 局.docx", "", ".", "..", "a/b", "/a", "a/", "...", ".x", "a\\b"]
)
def test_a_plain_name_is_what_path_takes_for_a_name(name: str) -> None:
    assert summary.plain_name(name) == (name == Path(name).name and name not in ("", ".", ".."))


def test_a_summary_entry_holds_the_fields_in_order_without_the_internal_ones() -> None:
    item = ItemResult(
        7,
        "年报/甲局.xlsx",
        CONVERTED,
        warnings=1,
        agency="甲局",
        year=2024,
        warning_codes=["DATE_LATE"],
        problems=["DATE_LATE 基本信息!B11：晚了"],
        temps={"json": ".xxgk-tmp-x"},
        outputs=["甲局-2024年度.json"],
        kind="docx",
        layout="2021",
        findings=[{"code": "X"}],
    )
    assert summary._entry(item) == {
        "path": "年报/甲局.xlsx",
        "status": "converted",
        "errors": 0,
        "warnings": 1,
        "first_error": None,
        "first_error_code": None,
        "agency": "甲局",
        "year": 2024,
        "note": None,
        "duplicate_of": None,
        "error_codes": [],
        "warning_codes": ["DATE_LATE"],
        "problems": ["DATE_LATE 基本信息!B11：晚了"],
        "outputs": ["甲局-2024年度.json"],
    }
    assert list(summary._entry(item)) == [
        "path", "status", "errors", "warnings", "first_error", "first_error_code", "agency",
        "year", "note", "duplicate_of", "error_codes", "warning_codes", "problems", "outputs",
    ]  # fmt: skip
    # a name UTF-8 cannot encode (a lone surrogate from the file system) is still cleaned
    odd = ItemResult(0, "bad\udcff.xlsx", CONVERTED)
    assert "\udcff" not in summary._entry(odd)["path"]


@pytest.mark.parametrize("n", [1, 2, 7, 33, 100, 1000, 5000])
def test_chunks_cover_every_task_in_order(n: int) -> None:
    sizes = _chunk_sizes(n, 2)
    assert sum(sizes) == n
    assert all(1 <= s <= 16 for s in sizes)
    assert len(set(sizes[:-1])) <= 1  # all alike but the last, which holds what is left


def test_chunks_are_a_quarter_of_the_tasks_per_worker_at_most_16() -> None:
    assert _chunk_sizes(100, 2) == [12] * 8 + [4]  # 100 // 8 = 12
    assert _chunk_sizes(1000, 2)[:3] == [16, 16, 16] and _chunk_sizes(1000, 2)[-1] == 8
    assert _chunk_sizes(5, 2) == [1] * 5


def test_a_summary_entry_as_written_is_the_cleaned_entry_encoded() -> None:
    from xxgk.format.jsonio import dumps_indented

    plain = ItemResult(1, "年报/乙局.json", CONVERTED, agency="乙局", outputs=["乙局.json"])
    odd = ItemResult(2, "bad\udcff.json", CONVERTED, agency="丙\ud800局", problems=["x\udcffy"])
    for item in (plain, odd):
        assert summary._entry_bytes(item) == dumps_indented(summary._entry(item))
    assert "\ufffd".encode() in summary._entry_bytes(odd)  # each lone surrogate replaced


WARM_PROBE = """
import json
from xxgk.batch.convert import warm_up
from xxgk.workbook import cellscan, core
warm_up(("json", "docx", "html"))
print(json.dumps([core._build._compiled is not None, cellscan.style_classes.cache_info().currsize]))
"""


def test_the_warm_up_before_the_workers_fork_reads_a_workbook_too(tmp_path: Path) -> None:
    """Workers forked after it find the reading path warm (the styles probe made, the data
    builder compiled), as they find the renderers: their first files no longer pay for it."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "XXGK_LOG_DIR": str(tmp_path / "log")}
    done = subprocess.run(
        [sys.executable, "-c", WARM_PROBE], env=env, capture_output=True, timeout=120, check=True
    )
    compiled, probed = json.loads(done.stdout)
    assert compiled is True and probed == 1
    assert not (tmp_path / "log").exists()  # nothing of ours failed on the bundled example


def test_an_earlier_summary_is_read_once_while_it_stays_the_same(tmp_path: Path) -> None:
    """Discovery and the run both ask for the outputs an earlier run listed: read once (by
    orjson where it can), each asker given its own copy, read again once the file changes."""
    import json

    def doc(outputs: list[str], extra: str = "") -> bytes:
        entries = [{"path": str(tmp_path / "甲.xlsx"), "outputs": outputs}]
        body = {"files": entries, **{k: False for k in summary.SUMMARY_KEYS if k != "files"}}
        return json.dumps(body, ensure_ascii=False).replace("{", "{" + extra, 1).encode()

    path = tmp_path / "summary.json"
    path.write_bytes(doc(["甲-2024.json", "甲-2024.docx"]))
    first = summary.previous_outputs(tmp_path)
    assert first == {summary.input_key(str(tmp_path / "甲.xlsx")): ["甲-2024.json", "甲-2024.docx"]}
    first[next(iter(first))].append("changed by its reader")
    assert summary.previous_outputs(tmp_path) != first  # a copy each time
    path.write_bytes(doc(["乙-2024.json"]))
    os.utime(path, ns=(1, 1))  # rewritten (another size too): read again
    assert list(summary.previous_outputs(tmp_path).values()) == [["乙-2024.json"]]
    path.write_bytes(doc(["丙-2024.json"], '"odd": NaN, '))  # json reads it, orjson refuses
    assert list(summary.previous_outputs(tmp_path).values()) == [["丙-2024.json"]]
    path.write_bytes(b"\xff" + doc(["丁.json"]))  # not UTF-8: no summary, as before
    assert summary.previous_outputs(tmp_path) == {}


def test_a_rerun_removes_only_what_no_input_wrote_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an earlier run listed for an input this run finished is removed unless some input
    wrote it again (a name may move from one input to another); an interrupted input's, and
    files not listed, stay. The items are read once (each from disk)."""
    from xxgk.batch.itemstore import ItemStore
    from xxgk.batch.runner import _remove_stale
    from xxgk.batch.summary import INTERRUPTED, RunResult

    for name in ("甲.json", "乙.json", "丙.json", "丁.json", "mine.txt", "summary.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    a, b, c = (str(tmp_path / f"{n}.xlsx") for n in "abc")
    previous = {
        summary.input_key(a): ["甲.json", "summary.json"],
        summary.input_key(b): ["乙.json", "丙.json"],
        summary.input_key(c): ["丁.json"],
    }
    store = ItemStore()
    store.append(ItemResult(0, a, CONVERTED, outputs=["乙.json"]))  # b's earlier name, now a's
    store.append(ItemResult(1, b, CONVERTED, outputs=["甲.json"]))  # and a's, now b's
    store.append(ItemResult(2, c, INTERRUPTED))
    reads = []
    real_iter = ItemStore.__iter__

    def counted(self: ItemStore) -> object:
        reads.append(1)
        return real_iter(self)

    monkeypatch.setattr(ItemStore, "__iter__", counted)
    _remove_stale(tmp_path, previous, RunResult(store, ("json",), False))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["甲.json", "乙.json", "丁.json", "mine.txt", "summary.json"]
    )  # 丙 went: b listed it and no input wrote it again
    assert len(reads) == 1


def test_a_file_is_read_whole_and_a_large_one_refused_unread(tmp_path: Path) -> None:
    from xxgk.files.read import TooLarge, read_bounded

    data = bytes(range(256)) * 4000  # 1 MB, more than one read of a pipe's or a socket's size
    (tmp_path / "a.xlsx").write_bytes(data)
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert read_bounded(tmp_path / "a.xlsx", len(data), "大") == data
    assert read_bounded(tmp_path / "empty.xlsx", 10, "大") == b""
    with pytest.raises(TooLarge, match="^大$"):
        read_bounded(tmp_path / "a.xlsx", len(data) - 1, "大")
    with open(tmp_path / "sparse.xlsx", "wb") as fh:  # 4 GB declared, nothing written
        fh.truncate(4 << 30)
    with pytest.raises(TooLarge):
        read_bounded(tmp_path / "sparse.xlsx", 20 << 20, "大")  # refused before reading
    with pytest.raises(IsADirectoryError):  # as open() raises it: read.open_error words it
        read_bounded(tmp_path, 20 << 20, "大")
    with pytest.raises(FileNotFoundError):
        read_bounded(tmp_path / "missing.xlsx", 20 << 20, "大")


def test_a_file_that_grows_while_read_is_refused_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the size said and what is read may differ (a file still being copied in): one
    byte more than said is read, and a file over the limit then is refused."""
    from xxgk.files import read

    path = tmp_path / "a.xlsx"
    path.write_bytes(b"x" * 10)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:
        got = real_fstat(fd)
        path.write_bytes(b"x" * 20)  # grows after its size was taken
        return got

    monkeypatch.setattr(read.os, "fstat", stale_fstat)
    with pytest.raises(read.TooLarge):
        read.read_bounded(path, 10, "大")
    path.write_bytes(b"x" * 10)
    assert read.read_bounded(path, 15, "大") == b"x" * 11  # the size said and one byte
