"""`xxgk convert` over real folders of inputs, through click's CliRunner; outputs read back."""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from xxgk.batch import names as batch_names
from xxgk.batch import runner
from xxgk.batch import summary as batch_summary
from xxgk.cli.main import main
from xxgk.files.lock import LOCK_NAME
from xxgk.report.registry import RENDERERS, Renderer
from xxgk.workbook import template as template

from .conftest import load_example
from .workbooks import name_cells

AGENCY = "额敏县商务和工业信息化局"
# what convert writes without --to (README): the report and its data; not the PDF or the 图解
DEFAULT_SUFFIXES = (".json", ".docx", ".html", ".md")
EDU = "额敏县教育局"


@functools.cache
def _filled(agency: str, licensing: int | str | None) -> bytes:
    """A workbook from the real template filled with the example; optionally a bad count."""
    data = load_example()
    data["agency"]["name"] = agency
    wb = template.build_template(data=data)
    if licensing is not None:
        sheet, cell = name_cells(wb)["proactive.licensing.decisions"]
        wb[sheet][cell] = licensing
    return template.workbook_bytes(wb)


def not_our_template() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "某局2024年政府信息公开统计"
    wb.active["B2"] = 12
    raw = io.BytesIO()
    wb.save(raw)
    return raw.getvalue()


def run(*args: str | Path):
    return CliRunner().invoke(main, ["convert", *map(str, args)])


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def summary(outdir: Path) -> dict[str, Any]:
    return json.loads((outdir / "summary.json").read_text(encoding="utf-8"))


def by_name(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(f["path"]).name: f for f in doc["files"]}


def csv_rows(outdir: Path) -> list[list[str]]:
    raw = (outdir / "汇总.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))


def no_temps(outdir: Path) -> bool:
    return not [p for p in outdir.iterdir() if p.name.startswith(batch_summary.TEMP_PREFIX)]


@pytest.fixture
def inbox(tmp_path: Path, example: dict[str, Any]) -> Path:
    """A county office's inbox: good reports, a duplicate agency, a broken file, one with errors,
    and files that must be ignored."""
    folder = tmp_path / "收件"
    write_json(folder / "a-good.json", example)
    other = copy.deepcopy(example)
    other["agency"]["name"] = "额敏县财政局"
    write_json(folder / "sub" / "b-other.json", other)
    write_json(folder / "sub" / "c-same-agency.json", example)  # collides with a-good
    bad = copy.deepcopy(example)
    bad["requests"]["new"]["natural_person"] += 3  # table 三 no longer balances
    write_json(folder / "d-errors.json", bad)
    (folder / "e-corrupt.json").write_bytes(b"{not json")
    (folder / "f-good.xlsx").write_bytes(_filled(EDU, None))
    (folder / "h-corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not a zip at all")
    (folder / "i-not-ours.xlsx").write_bytes(not_our_template())
    (folder / "j-errors.xlsx").write_bytes(_filled("额敏县林业局", -1))
    (folder / "~$a-good.xlsx").write_bytes(b"lock")  # Office lock file: skipped
    (folder / ".hidden.json").write_bytes(b"{}")  # hidden: skipped
    (folder / "notes.txt").write_text("说明", encoding="utf-8")  # not an input
    return folder


def test_folder_batch_outputs_summary_and_exit_3(tmp_path: Path, inbox: Path, example) -> None:
    before = snapshot(inbox)
    out = tmp_path / "out"
    result = run(inbox, "-o", out, "--jobs", "1")
    assert result.exit_code == 3, result.output  # corrupt files cannot be read at all
    assert result.stdout == ""  # nothing was asked to be printed
    for bad in ("d-errors.json", "e-corrupt.json", "h-corrupt.xlsx", "i-not-ours.xlsx"):
        assert bad in result.stderr
    assert "j-errors.xlsx" in result.stderr and "表二!" in result.stderr  # sheet and cell
    assert snapshot(inbox) == before  # inputs untouched

    doc = summary(out)
    files = by_name(doc)
    assert list(files) == [
        "a-good.json",
        "d-errors.json",
        "e-corrupt.json",
        "f-good.xlsx",
        "h-corrupt.xlsx",
        "i-not-ours.xlsx",
        "j-errors.xlsx",
        "b-other.json",
        "c-same-agency.json",
    ]
    status = {name: (f["status"], f["first_error_code"]) for name, f in files.items()}
    assert status == {
        "a-good.json": ("converted", None),
        "d-errors.json": ("invalid", "T3_BALANCE"),
        "e-corrupt.json": ("unreadable", "FILE_UNREADABLE"),
        "f-good.xlsx": ("converted", None),
        "h-corrupt.xlsx": ("unreadable", "FILE_UNREADABLE"),
        "i-not-ours.xlsx": ("unreadable", "WB_NOT_TEMPLATE"),  # its own code, as validate says
        "j-errors.xlsx": ("invalid", "VALUE_NEGATIVE"),
        "b-other.json": ("converted", None),
        "c-same-agency.json": ("converted", None),
    }
    assert files["j-errors.xlsx"]["first_error"].startswith("表二!")
    # The reason alone: the entry's path names the file already.
    assert not any(str(inbox) in (f["first_error"] or "") for f in files.values())
    # d-errors and c-same-agency are reports of a-good's agency and year: said, and recorded.
    assert {n: f["duplicate_of"] for n, f in files.items() if f["duplicate_of"]} == {
        "d-errors.json": str(inbox / "a-good.json"),
        "c-same-agency.json": str(inbox / "a-good.json"),
    }
    assert "注意" in result.stderr and "c-same-agency.json" in result.stderr
    assert (files["a-good.json"]["errors"], files["a-good.json"]["warnings"]) == (0, 1)
    assert files["i-not-ours.xlsx"]["errors"] == 1
    stems = {
        "a-good.json": f"{AGENCY}-2024",
        "f-good.xlsx": f"{EDU}-2024",
        "b-other.json": "额敏县财政局-2024",
        "c-same-agency.json": f"{AGENCY}-2024-2",  # same agency as a-good: the later one gets -2
    }
    suffixes = list(DEFAULT_SUFFIXES)
    for name, f in files.items():
        assert f["outputs"] == ([stems[name] + x for x in suffixes] if name in stems else [])
    totals = doc["totals"]
    assert (totals["inputs"], totals["converted"], totals["invalid"], totals["unreadable"]) == (
        9,
        4,
        2,
        3,
    )
    assert totals["outputs"] == 4 * len(DEFAULT_SUFFIXES)

    # Nothing but the outputs and the summary: no temp file, nothing for the bad inputs.
    written = {p.name for p in out.iterdir()}
    assert written == {s + x for s in stems.values() for x in suffixes} | {
        "summary.json",
        "汇总.csv",
    }
    # Every JSON output of a JSON input is that input's data: two-space indents, Chinese as
    # itself, keys in the format's order (as the inputs, copies of the bundled example, have it).
    for name, stem in stems.items():
        if name.endswith(".json"):
            given = json.loads(next(inbox.rglob(name)).read_text(encoding="utf-8"))
            text = (out / f"{stem}.json").read_text(encoding="utf-8")
            assert text == json.dumps(given, ensure_ascii=False, indent=2) + "\n", name
    from_workbook = json.loads((out / f"{EDU}-2024.json").read_text(encoding="utf-8"))
    expected = {k: v for k, v in example.items() if k != "$schema"}  # no cell holds $schema
    expected["agency"]["name"] = EDU
    assert from_workbook == expected

    # The published formats are there and are what they claim to be.
    title = f"{EDU}2024年政府信息公开工作年度报告"
    document = docx.Document(str(out / f"{EDU}-2024.docx"))
    assert title in "".join(p.text for p in document.paragraphs)
    assert len(document.tables) >= 3
    page = (out / f"{EDU}-2024.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and title in page
    assert title in (out / f"{EDU}-2024.md").read_text(encoding="utf-8")

    rows = csv_rows(out)
    assert rows[0] == batch_summary.CSV_HEADER
    col = {name: i for i, name in enumerate(rows[0])}
    assert [
        tuple(r[col[c]] for c in ("序号", "输入文件", "状态", "错误数", "第一个错误", "输出文件"))
        for r in rows[1:]
    ] == [
        (
            str(n),
            str(Path(f["path"])),
            batch_summary.STATUS_LABEL[f["status"]],
            str(f["errors"]),
            f["first_error"] or "",
            "；".join(f["outputs"]),
        )
        for n, (name, f) in enumerate(files.items(), 1)
    ]
    entries = list(files.values())
    assert [r[col["错误代码"]] for r in rows[1:]] == ["、".join(f["error_codes"]) for f in entries]
    assert rows[4][col["机关名称"]] == EDU and rows[4][col["年度"]] == "2024"
    assert [r[col["重复"]] != "" for r in rows[1:]] == [bool(f["duplicate_of"]) for f in entries]


def test_errors_exit_1_and_fail_on(tmp_path: Path, example) -> None:
    folder = tmp_path / "in"
    write_json(folder / "good.json", example)  # one warning (DATE_LATE)
    bad = copy.deepcopy(example)
    bad["proactive"]["licensing"]["decisions"] = -1
    write_json(folder / "bad.json", bad)
    assert run(folder, "-o", tmp_path / "o1", "--to", "json", "-j", "1").exit_code == 1
    assert run(folder, "-o", tmp_path / "o2", "--fail-on", "never", "-j", "1").exit_code == 0
    good_only = folder / "good.json"
    assert run(good_only, "-o", tmp_path / "o3", "-j", "1").exit_code == 0
    assert run(good_only, "-o", tmp_path / "o4", "--fail-on", "warning").exit_code == 1
    assert run(good_only, "-o", tmp_path / "o5", "--fail-on", "error").exit_code == 0


def test_force_converts_a_report_with_errors(tmp_path: Path, example) -> None:
    bad = copy.deepcopy(example)
    bad["requests"]["new"]["natural_person"] += 3
    src = write_json(tmp_path / "in" / "bad.json", bad)
    out = tmp_path / "out"
    result = run(src, "-o", out, "--to", "json", "--force", "-j", "1")
    assert result.exit_code == 1  # still errors: --force converts, it does not hide them
    entry = summary(out)["files"][0]
    assert entry["status"] == "converted_with_errors"
    assert entry["outputs"] == [f"{AGENCY}-2024.json"]
    written = json.loads((out / f"{AGENCY}-2024.json").read_text(encoding="utf-8"))
    assert written["requests"]["new"]["natural_person"] == bad["requests"]["new"]["natural_person"]
    assert csv_rows(out)[1][2] == "有错误，已强制转换"


def test_force_converts_a_workbook_with_text_in_a_count(tmp_path: Path) -> None:
    src = tmp_path / "in" / "wu.xlsx"
    src.parent.mkdir()
    src.write_bytes(_filled("额敏县林业局", "无"))  # 无 typed where a count belongs
    out = tmp_path / "out"
    assert run(src, "-o", out, "-j", "1").exit_code == 1
    assert summary(out)["files"][0]["status"] == "invalid"
    assert run(src, "-o", out, "--force", "-j", "1").exit_code == 1
    entry = summary(out)["files"][0]
    assert (entry["status"], entry["first_error_code"]) == (
        "converted_with_errors",
        "WB_NOT_NUMBER",
    )
    assert entry["outputs"] == [f"额敏县林业局-2024{x}" for x in DEFAULT_SUFFIXES]
    for name in entry["outputs"]:
        assert (out / name).stat().st_size > 0


def test_rerun_replaces_cleanly(tmp_path: Path, example) -> None:
    folder = tmp_path / "in"
    src = write_json(folder / "r.json", example)
    write_json(folder / "keep.json", {**example, "agency": {**example["agency"], "name": "乙局"}})
    out = tmp_path / "out"
    assert run(folder, "-o", out, "--to", "json", "-j", "1").exit_code == 0
    assert (out / f"{AGENCY}-2024.json").exists()
    (out / "mine.txt").write_text("not ours", encoding="utf-8")

    # The agency renames itself: the old output of the same input goes, the new one comes.
    renamed = copy.deepcopy(example)
    renamed["agency"]["name"] = "额敏县商务局"
    write_json(src, renamed)
    assert run(folder, "-o", out, "--to", "json", "-j", "1").exit_code == 0
    names = {p.name for p in out.iterdir()}
    assert names == {
        "额敏县商务局-2024.json",
        "乙局-2024.json",
        "mine.txt",
        "summary.json",
        "汇总.csv",
    }

    # Now it has errors: not converted, and its stale output is not left lying about.
    renamed["requests"]["new"]["natural_person"] += 1
    write_json(src, renamed)
    assert run(folder, "-o", out, "--to", "json", "-j", "1").exit_code == 1
    names = {p.name for p in out.iterdir()}
    assert names == {"乙局-2024.json", "mine.txt", "summary.json", "汇总.csv"}
    assert no_temps(out)

    # Converting only one input into the same folder leaves the other input's outputs alone.
    assert run(folder / "keep.json", "-o", out, "--to", "json", "-j", "1").exit_code == 0
    assert (out / "乙局-2024.json").exists() and (out / "mine.txt").exists()


def test_jobs_2_gives_the_same_bytes_as_jobs_1(tmp_path: Path, inbox: Path) -> None:
    r1 = run(inbox, "-o", tmp_path / "one", "--jobs", "1")
    r2 = run(inbox, "-o", tmp_path / "two", "--jobs", "2")
    assert r1.exit_code == r2.exit_code == 3
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one.keys() == two.keys()
    for name in one:
        assert one[name] == two[name], name
    assert len(one) == 2 + 4 * len(DEFAULT_SUFFIXES)  # summary files + 4 converted inputs × formats


def test_globs_files_and_duplicates(tmp_path: Path, inbox: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    # A quoted glob (as Windows shells pass it), a recursive glob, and a file named twice.
    result = run("收件/*.json", "收件/**/b-*.json", "收件/a-good.json", "-o", out, "--to", "json")
    assert result.exit_code == 3
    names = [f["path"] for f in summary(out)["files"]]
    assert [Path(n).name for n in names] == [
        "a-good.json",
        "d-errors.json",
        "e-corrupt.json",
        "b-other.json",
    ]


def test_output_folder_inside_the_input_folder_is_not_read_back(tmp_path: Path, example) -> None:
    folder = tmp_path / "in"
    write_json(folder / "x.json", example)
    out = folder / "out"
    assert run(folder, "-o", out, "--to", "json", "-j", "1").exit_code == 0
    assert run(folder, "-o", out, "--to", "json", "-j", "1").exit_code == 0
    assert [f["path"] for f in summary(out)["files"]] == [str(folder / "x.json")]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--to", "odt"], "odt"),
        (["--to", ","], "--to"),
    ],
)
def test_unknown_format_is_a_usage_error(tmp_path: Path, example, args, needle) -> None:
    src = write_json(tmp_path / "x.json", example)
    result = run(src, "-o", tmp_path / "out", *args)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_input_and_empty_folder_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("x", encoding="utf-8")
    assert run(tmp_path / "nope.json", "-o", tmp_path / "out").exit_code == 2
    result = run(tmp_path / "empty", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "empty" in result.stderr
    assert run(tmp_path / "*.xlsx", "-o", tmp_path / "out").exit_code == 2
    assert not (tmp_path / "out").exists()


def test_interrupt_leaves_no_partial_output(tmp_path: Path, example) -> None:
    paths = []
    for i in range(6):
        data = copy.deepcopy(example)
        data["agency"]["name"] = f"第{i}局"
        paths.append(write_json(tmp_path / "in" / f"{i}.json", data))
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"

        def stop_after_two(done: int, total: int) -> None:
            if done == 2:
                raise KeyboardInterrupt  # what Ctrl-C raises in the parent

        with pytest.raises(KeyboardInterrupt):
            runner.run(paths, out, ["json"], jobs=jobs, progress=stop_after_two)
        doc = summary(out)
        assert doc["interrupted"] is True
        statuses = [f["status"] for f in doc["files"]]
        assert statuses == ["converted"] * 2 + ["interrupted"] * 4
        assert {p.name for p in out.iterdir()} == {
            "第0局-2024.json",
            "第1局-2024.json",
            "summary.json",
            "汇总.csv",
        }


def test_hostile_agency_names_give_safe_file_names(tmp_path: Path, example) -> None:
    names = ['a/b\\c:d*e?f"g<h>i|j', "CON", "  局名. . ", "=HYPERLINK(1)", "x" * 300, "\n\t"]
    paths = []
    for i, name in enumerate(names):
        data = copy.deepcopy(example)
        data["agency"]["name"] = name
        paths.append(write_json(tmp_path / "in" / f"{i}.json", data))
    out = tmp_path / "out"
    run(*paths, "-o", out, "--to", "json", "--force", "-j", "1")
    outputs = [f["outputs"][0] for f in summary(out)["files"]]
    assert outputs[0] == "a_b_c_d_e_f_g_h_i_j-2024.json"
    assert outputs[1] == "_CON-2024.json"  # a reserved device name, even without the year
    assert outputs[2] == "局名-2024.json"
    assert outputs[3] == "=HYPERLINK(1)-2024.json"
    assert len(outputs[4]) <= batch_names.MAX_STEM_CHARS + len("-2024.json")
    assert outputs[5] == "5-2024.json"  # nothing usable: the input's own name
    rows = csv_rows(out)
    assert rows[4][rows[0].index("机关名称")] == "'=HYPERLINK(1)"  # Excel must not evaluate it


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("nul", "_nul"),
        ("Com1.局", "_Com1.局"),
        ("报告...", "报告"),
        (".隐藏", "隐藏"),
        ("a\x00b\x7fc", "a_b_c"),
        ("", ""),
    ],
)
def test_safe_stem(text: str, stem: str) -> None:
    assert batch_names.safe_stem(text) == stem


def test_names_collide_case_insensitively() -> None:
    names = batch_names.NameAllocator()
    assert [names.take(s) for s in ["Ab", "ab", "AB", "ab-2", "summary"]] == [
        "Ab",
        "ab-2",
        "AB-3",
        "ab-2-2",
        "summary-2",
    ]


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_ctrl_c_stops_workers_and_leaves_nothing_partial(tmp_path: Path, example) -> None:
    """The real CLI in its own process group gets SIGINT, as a terminal's Ctrl-C sends it."""
    folder = tmp_path / "in"
    for i in range(300):
        data = copy.deepcopy(example)
        data["agency"]["name"] = f"第{i}局"
        write_json(folder / f"{i:03d}.json", data)
    out = tmp_path / "out"
    src = Path(runner.__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, "-m", "xxgk.cli.main", "convert", str(folder), "-o", str(out), "-j", "2"]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stderr=subprocess.PIPE)

    def started() -> bool:  # a (temp) output, not only the folder's lock
        return out.exists() and any(p.name != LOCK_NAME for p in out.iterdir())

    while proc.poll() is None and not started():
        time.sleep(0.005)  # wait for the first (temp) output, then interrupt
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run finished before the interrupt arrived")
    assert proc.returncode == 3  # docs/exit-codes.md: 0–3 only; the summary says "interrupted"
    assert "已中断" in err.decode("utf-8")
    assert no_temps(out)
    doc = summary(out)
    assert doc["interrupted"] is True
    done = [f for f in doc["files"] if f["status"] == "converted"]
    assert doc["totals"]["interrupted"] == 300 - len(done) > 0
    listed = {name for f in done for name in f["outputs"]}
    assert {p.name for p in out.iterdir()} == listed | {"summary.json", "汇总.csv"}
    for name in listed:
        if name.endswith(".json"):
            json.loads((out / name).read_text(encoding="utf-8"))  # complete, parses


def test_a_worker_that_dies_does_not_stop_or_hang_the_batch(tmp_path: Path, example) -> None:
    """Kill a worker process mid-run (as the OOM killer would): the batch goes on, the files
    it was holding are converted again, and the outputs are the same as with one job."""
    paths = []
    for i in range(40):
        data = copy.deepcopy(example)
        data["agency"]["name"] = f"第{i}局"
        paths.append(write_json(tmp_path / "in" / f"{i:02d}.json", data))
    killed = []

    def kill_a_worker(done: int, total: int) -> None:
        workers = multiprocessing.active_children()
        if not killed and workers:
            os.kill(workers[0].pid, signal.SIGKILL)
            killed.append(workers[0].pid)

    result = runner.run(paths, tmp_path / "two", ["json"], jobs=2, progress=kill_a_worker)
    assert killed
    assert [i.status for i in result.items] == ["converted"] * 40
    runner.run(paths, tmp_path / "one", ["json"], jobs=1)
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")


def _boom(data: dict[str, Any]) -> bytes:
    """A buggy output plug-in: fails on one agency's report."""
    if data["agency"]["name"] == "出错局":
        raise RuntimeError("renderer bug")
    return b"ok"


def _die(data: dict[str, Any]) -> bytes:
    """An output plug-in that kills its process on one agency's report (a hard crash)."""
    if data["agency"]["name"] == "出错局":
        os._exit(9)
    return b"ok"


def _three_reports(folder: Path, example) -> list[Path]:
    paths = []
    for i, name in enumerate(["甲局", "出错局", "乙局"]):
        data = copy.deepcopy(example)
        data["agency"]["name"] = name
        paths.append(write_json(folder / f"{i}.json", data))
    return paths


def test_a_renderer_bug_fails_one_input_only(tmp_path: Path, example, monkeypatch) -> None:
    monkeypatch.setitem(RENDERERS, "boom", Renderer("boom", ".boom", _boom))
    paths = _three_reports(tmp_path / "in", example)
    result = runner.run(paths, tmp_path / "out", ["json", "boom"], jobs=1)
    assert [(i.status, i.first_error_code) for i in result.items] == [
        ("converted", None),
        ("failed", "CONVERT_INTERNAL"),
        ("converted", None),
    ]
    assert str(paths[1]) not in (result.items[1].first_error or "x")  # named once, by `path`
    assert {p.name for p in (tmp_path / "out").iterdir()} == {
        "甲局-2024.json",
        "甲局-2024.boom",
        "乙局-2024.json",
        "乙局-2024.boom",
        "summary.json",
        "汇总.csv",
    }


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the plug-in must reach the workers"
)
def test_an_input_that_kills_its_worker_is_failed_alone(tmp_path: Path, example, monkeypatch):
    monkeypatch.setitem(RENDERERS, "die", Renderer("die", ".die", _die))
    paths = _three_reports(tmp_path / "in", example)
    result = runner.run(paths, tmp_path / "out", ["json", "die"], jobs=2)
    assert [(i.status, i.first_error_code) for i in result.items] == [
        ("converted", None),
        ("failed", "CONVERT_WORKER_DIED"),
        ("converted", None),
    ]
    assert no_temps(tmp_path / "out")


def test_an_output_that_cannot_be_replaced_is_reported(tmp_path: Path, example) -> None:
    src = write_json(tmp_path / "in" / "x.json", example)
    out = tmp_path / "out"
    (out / f"{AGENCY}-2024.json").mkdir(parents=True)  # in the way, like a file open in Word
    result = run(src, "-o", out, "--to", "json", "-j", "1")
    assert result.exit_code == 3
    entry = summary(out)["files"][0]
    assert (entry["status"], entry["first_error_code"], entry["outputs"]) == (
        "failed",
        "OUTPUT_REPLACE",
        [],
    )
    assert no_temps(out)


def test_output_folder_inside_or_around_the_inputs(tmp_path: Path, example) -> None:
    folder = tmp_path / "in"
    write_json(folder / "x.json", example)
    # Converting a folder into itself: the second run does not read the first run's outputs.
    for _ in range(2):
        assert run(folder, "-o", folder, "--to", "json", "-j", "1").exit_code == 0
        assert [Path(f["path"]).name for f in summary(folder)["files"]] == ["x.json"]
    # Inputs in a folder inside the output folder are still found.
    outer = tmp_path / "outer"
    write_json(outer / "in" / "y.json", example)
    assert run(outer / "in", "-o", outer, "--to", "json", "-j", "1").exit_code == 0
    assert [Path(f["path"]).name for f in summary(outer)["files"]] == ["y.json"]


def test_progress_only_when_asked(capsys) -> None:
    from xxgk.cli.convert import Progress

    Progress(False)(1, 2)
    assert capsys.readouterr().err == ""
    bar = Progress(True)
    bar(1, 2)
    bar(2, 2)
    err = capsys.readouterr().err
    assert "1/2" in err and err.endswith("2/2\n")


def test_help_documents_the_exit_codes() -> None:
    result = CliRunner().invoke(main, ["convert", "--help"])
    assert result.exit_code == 0
    for code in ("0 ", "1 ", "2 ", "3 "):
        assert f"  {code}" in result.output
    assert "--fail-on" in result.output and "--force" in result.output


def test_converting_a_folder_into_itself_never_overwrites_an_input(tmp_path: Path, example) -> None:
    # A workbook and a JSON report of the same agency and year: the workbook's JSON output
    # would be named exactly like the JSON input.
    folder = tmp_path / "same"
    folder.mkdir()
    (folder / "2024年报.xlsx").write_bytes(_filled(example["agency"]["name"], 0))
    example["overview"]["summary"] = "这段文字只在 JSON 输入里。"
    json_input = write_json(folder / "额敏县商务和工业信息化局-2024.json", example)
    before = json_input.read_bytes()
    result = run(folder, "-o", folder, "--to", "json", "-j", "1")
    assert result.exit_code == 0, result.output
    assert json_input.read_bytes() == before
    outputs = sorted(n for f in summary(folder)["files"] for n in f["outputs"])
    assert "额敏县商务和工业信息化局-2024.json" not in outputs
    assert len(outputs) == 2


def test_summary_csv_keeps_formula_like_names_as_text(tmp_path: Path, example) -> None:
    example["agency"]["name"] = "=1+1"
    src = write_json(tmp_path / "in.json", example)
    out = tmp_path / "out"
    assert run(src, "-o", out, "--to", "json", "-j", "1").exit_code == 0
    row = csv_rows(out)[1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)
