"""`xxgk convert` over real folders of inputs, through click's CliRunner; outputs read back."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from xxgk import batch
from xxgk.cli import main
from xxgk.jsonio import dump_report
from xxgk.renderers import RENDERERS

AGENCY = "额敏县商务和工业信息化局"


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
    return not [p for p in outdir.iterdir() if p.name.startswith(batch.TEMP_PREFIX)]


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
    (folder / "~$a-good.xlsx").write_bytes(b"lock")  # Office lock file: skipped
    (folder / ".hidden.json").write_bytes(b"{}")  # hidden: skipped
    (folder / "notes.txt").write_text("说明", encoding="utf-8")  # not an input
    return folder


def test_folder_batch_outputs_summary_and_exit_3(tmp_path: Path, inbox: Path, example) -> None:
    before = snapshot(inbox)
    out = tmp_path / "out"
    result = run(inbox, "-o", out, "--to", "json", "--jobs", "1")
    assert result.exit_code == 3, result.output  # e-corrupt.json cannot be read at all
    assert result.stdout == ""  # nothing was asked to be printed
    assert "e-corrupt.json" in result.stderr and "d-errors.json" in result.stderr
    assert snapshot(inbox) == before  # inputs untouched

    doc = summary(out)
    files = by_name(doc)
    assert [Path(f["path"]).name for f in doc["files"]] == [
        "a-good.json",
        "d-errors.json",
        "e-corrupt.json",
        "b-other.json",
        "c-same-agency.json",
    ]
    assert files["a-good.json"]["status"] == "converted"
    assert files["a-good.json"]["outputs"] == [f"{AGENCY}-2024.json"]
    assert files["c-same-agency.json"]["outputs"] == [f"{AGENCY}-2024-2.json"]
    assert files["b-other.json"]["outputs"] == ["额敏县财政局-2024.json"]
    assert (files["a-good.json"]["errors"], files["a-good.json"]["warnings"]) == (0, 1)
    assert files["d-errors.json"]["status"] == "invalid"
    assert files["d-errors.json"]["outputs"] == []
    assert files["d-errors.json"]["first_error_code"] == "T3_BALANCE"
    assert files["d-errors.json"]["errors"] >= 1
    assert files["e-corrupt.json"]["status"] == "unreadable"
    assert files["e-corrupt.json"]["first_error_code"] == "FILE_UNREADABLE"
    totals = doc["totals"]
    assert (totals["inputs"], totals["converted"], totals["invalid"], totals["unreadable"]) == (
        5,
        3,
        1,
        1,
    )
    assert totals["outputs"] == 3

    # Every output is exactly dump_report of its input; nothing else is in the folder.
    written = {p.name for p in out.iterdir()}
    assert written == {
        f"{AGENCY}-2024.json",
        f"{AGENCY}-2024-2.json",
        "额敏县财政局-2024.json",
        "summary.json",
        "汇总.csv",
    }
    expected = dump_report(json.loads((inbox / "a-good.json").read_text(encoding="utf-8")))
    assert (out / f"{AGENCY}-2024.json").read_text(encoding="utf-8") == expected
    assert json.loads((out / "额敏县财政局-2024.json").read_text(encoding="utf-8"))["agency"][
        "name"
    ] == ("额敏县财政局")

    rows = csv_rows(out)
    assert rows[0] == batch.CSV_HEADER
    assert [(Path(r[1]).name, r[2], r[5], r[8]) for r in rows[1:]] == [
        ("a-good.json", "已转换", "0", f"{AGENCY}-2024.json"),
        ("d-errors.json", "有错误，未转换", files["d-errors.json"]["errors"].__str__(), ""),
        ("e-corrupt.json", "无法读取", "1", ""),
        ("b-other.json", "已转换", "0", "额敏县财政局-2024.json"),
        ("c-same-agency.json", "已转换", "0", f"{AGENCY}-2024-2.json"),
    ]
    assert rows[2][7] == files["d-errors.json"]["first_error"]


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
    assert len(one) == 2 + 3 * len(RENDERERS)  # summary files + 3 converted inputs × formats


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
        (["--to", "pdf"], "pdf"),
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
            batch.run(paths, out, ["json"], jobs=jobs, progress=stop_after_two)
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
    assert len(outputs[4]) <= batch.MAX_STEM_CHARS + len("-2024.json")
    assert outputs[5] == "5-2024.json"  # nothing usable: the input's own name
    assert csv_rows(out)[4][3] == "'=HYPERLINK(1)"  # Excel must not evaluate it


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
    assert batch.safe_stem(text) == stem


def test_names_collide_case_insensitively() -> None:
    names = batch.NameAllocator()
    assert [names.take(s) for s in ["Ab", "ab", "AB", "ab-2", "summary"]] == [
        "Ab",
        "ab-2",
        "AB-3",
        "ab-2-2",
        "summary-2",
    ]
