"""Issue 15, one regression test per numbered finding, through the real CLI (a subprocess
where bytes on the command line or real signals matter, click's CliRunner elsewhere)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from xxgk.cli.main import main
from xxgk.files.lock import folder_lock

from .conftest import load_example
from .wb_helpers import cell_of, rewrite_member, sheet_member, write_workbook

SRC = Path(__file__).resolve().parents[1] / "src"
ENV = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}


def cli(*args: str | bytes | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", *map(os.fsencode, args)],
        capture_output=True,
        env=ENV,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def report(**changes: Any) -> dict[str, Any]:
    data = load_example()
    for pointer, value in changes.items():
        node = data
        *parents, last = pointer.split("__")
        for key in parents:
            node = node[key]
        node[last] = value
    return data


def write(path: Path | bytes, data: Any) -> None:
    with open(path, "wb") as fh:
        fh.write(json.dumps(data, ensure_ascii=True).encode("ascii"))  # "\ud800" stays escaped


def no_traceback(proc: subprocess.CompletedProcess[bytes]) -> str:
    err = proc.stderr.decode("utf-8", "backslashreplace")
    assert "Traceback" not in err and "内部错误" not in err, err
    return err


# -- 1: one bad character loses nothing ---------------------------------------------------------


def test_surrogates_and_non_utf8_names_keep_the_summary(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    write(inbox / "a.json", report(agency__name="某局\ud800"))
    write(os.path.join(os.fsencode(inbox), b"bad\xff.json"), report(agency__name="乙局"))
    write(inbox / "c.json", report(overview__proactive="主动公开\udfff情况"))
    out = tmp_path / "out"
    proc = cli("convert", inbox, "-o", out, "-j", "1")
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    doc = json.loads((out / "summary.json").read_bytes().decode("utf-8"))  # strict UTF-8
    assert [f["status"] for f in doc["files"]] == ["converted"] * 3
    assert "某局\ufffd" in {f["agency"] for f in doc["files"]}
    rows = list(csv.reader(io.StringIO((out / "汇总.csv").read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 4
    names = {p.name for p in out.iterdir()}
    assert "某局\ufffd-2024.docx" in names and "乙局-2024.html" in names
    html = next(p for p in out.iterdir() if p.name.startswith("额敏") and p.suffix == ".html")
    assert "主动公开\ufffd情况" in html.read_bytes().decode("utf-8")


def test_surrogates_in_validate_aggregate_and_template(tmp_path: Path) -> None:
    bad = tmp_path / "a.json"
    write(bad, report(agency__name="某局\ud800"))
    proc = cli("validate", bad, "--format", "json")
    no_traceback(proc)
    json.loads(proc.stdout.decode("utf-8"))  # stdout is valid UTF-8 JSON
    proc = cli("aggregate", bad, "-o", tmp_path / "sum.json", "--agency", "某县", "--year", "2024")
    no_traceback(proc)
    assert (tmp_path / "sum.json").is_file() or proc.returncode in (1, 3)
    proc = cli("template", "-o", tmp_path / "t.xlsx", "--agency", b"\xff\xfe\xe5\xb1\x80")
    no_traceback(proc)
    assert proc.returncode == 0 and (tmp_path / "t.xlsx").is_file()


# -- 2: huge numbers ------------------------------------------------------------------------------


def test_huge_numbers_are_refused_and_never_crash_a_writer(tmp_path: Path) -> None:
    src = tmp_path / "big.json"
    write(src, report(proactive__fees__amount=10**400))
    proc = cli("validate", src, "--format", "json")
    assert proc.returncode == 1
    codes = [f["code"] for f in json.loads(proc.stdout)["files"][0]["findings"]]
    assert "VALUE_TOO_LARGE" in codes
    proc = cli("fill", src, "-o", tmp_path / "big.xlsx")
    no_traceback(proc)
    assert proc.returncode == 1 and (tmp_path / "big.xlsx").is_file()
    write(src, report(proactive__fees__amount=1e308))
    proc = cli("convert", src, "-o", tmp_path / "out", "--force", "--to", "html,md")
    no_traceback(proc)
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "1" + "0" * 100 not in html  # not a 309-digit number
    two = tmp_path / "two"
    two.mkdir()
    write(two / "a.json", report(proactive__fees__amount=1e308))
    write(two / "b.json", report(proactive__fees__amount=1e308, agency__name="乙局"))
    proc = cli("aggregate", two, "-o", tmp_path / "agg.json", "--agency", "某县", "--year", "2024")
    no_traceback(proc)
    assert proc.returncode == 1  # both left out for the error, nothing summed: no overflow


# -- 3: the DTD guard parses what it checks -------------------------------------------------------


def _utf16(xml: bytes, dtd: str) -> bytes:
    text = xml.decode()
    text = text[text.index("?>") + 2 :] if text.startswith("<?xml") else text
    return ('<?xml version="1.0" encoding="UTF-16"?>' + dtd + text).encode("utf-16")


LAUGHS = '<!DOCTYPE worksheet [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'


@pytest.mark.parametrize("dtd", [LAUGHS, ""], ids=["billion-laughs", "no-dtd"])
def test_a_utf16_sheet_is_judged_by_what_it_says(tmp_path: Path, dtd: str) -> None:
    path = write_workbook(tmp_path / "u16.xlsx")
    rewrite_member(path, sheet_member(path, "表三"), lambda x: _utf16(x, dtd))
    proc = cli("validate", path, "--format", "json")
    assert proc.returncode == 3
    found = json.loads(proc.stdout)["files"][0]["findings"]
    assert [f["code"] for f in found] == ["FILE_UNREADABLE"]  # not WB_BLANK on every cell
    message = found[0]["message"]
    assert "xl/worksheets/" in message
    assert ("DTD" in message) if dtd else ("UTF-16" in message)


# -- 4 and 5: signals and a second run ------------------------------------------------------------


def test_a_second_run_into_a_locked_folder_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "a.json"
    write(src, report())
    out = tmp_path / "out"
    out.mkdir()
    with folder_lock(out):  # another run holds it (an OS lock: a dead holder never blocks)
        proc = cli("convert", src, "-o", out)
        assert sorted(p.name for p in out.iterdir()) == [".xxgk-lock"]
    assert proc.returncode == 3
    assert "正被另一次 xxgk convert 使用" in proc.stderr.decode("utf-8")
    proc = cli("convert", src, "-o", out)
    assert proc.returncode == 0 and (out / "summary.json").is_file()
    assert not (out / ".xxgk-lock").exists()


def test_two_concurrent_runs_lose_no_output(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(6):
        write(inbox / f"{i}.json", report(agency__name=f"第{i}局"))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "xxgk.cli.main", "convert", str(inbox), "-o", str(out), "-j", "2"]
    procs = [subprocess.Popen(cmd, env=ENV, stderr=subprocess.PIPE) for _ in range(2)]
    codes = [p.wait(timeout=120) for p in procs]
    assert sorted(codes) in ([0, 0], [0, 3])  # the second waits for nobody: it says so
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    listed = {n for f in doc["files"] for n in f["outputs"]}
    assert len(listed) == 6 * 4
    assert {p.name for p in out.iterdir()} == listed | {"summary.json", "汇总.csv"}


# -- 6: located, true messages --------------------------------------------------------------------


def _cell(path: Path, sheet: str, cell: str, replacement: str) -> None:
    def change(xml: bytes) -> bytes:
        new, n = re.subn(
            rf'<c r="{cell}"(?:\s[^>]*)?(?:/>|>.*?</c>)', replacement, xml.decode(), count=1
        )
        assert n
        return new.encode()

    rewrite_member(path, sheet_member(path, sheet), change)


def test_uncached_formula_and_error_values_are_not_called_empty(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "f.xlsx")
    _cell(path, "表三", "D5", '<c r="D5"><f>1+1</f></c>')
    _cell(path, "表三", "E5", '<c r="E5" t="e"><v>#N/A</v></c>')
    proc = cli("validate", path, "--format", "json")
    found = {f["cell"]: f for f in json.loads(proc.stdout)["files"][0]["findings"] if "cell" in f}
    assert found["D5"]["code"] == "WB_NO_VALUE" and "=1+1" in found["D5"]["message"]
    assert found["E5"]["code"] == "WB_NOT_NUMBER" and "#N/A" in found["E5"]["message"]
    assert not any(f["code"] == "WB_BLANK" for f in found.values())


def test_an_unreadable_subfolder_is_listed_not_skipped(tmp_path: Path, monkeypatch) -> None:
    inbox = tmp_path / "in"
    (inbox / "locked").mkdir(parents=True)
    write(inbox / "a.json", report())
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:  # root ignores permissions: as if the folder were 000
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr("xxgk.batch.folders.os.scandir", scandir)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(inbox), "-o", str(out), "-j", "1"])
    assert result.exit_code == 3
    assert "locked" in result.stderr and "没有权限" in result.stderr
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    entry = next(f for f in doc["files"] if f["path"].endswith("locked"))
    assert entry["status"] == "unreadable" and entry["first_error_code"] == "FOLDER_UNREADABLE"


# -- 7: nothing silently accepted -----------------------------------------------------------------


def test_duplicate_json_keys_are_refused_with_their_pointer(tmp_path: Path) -> None:
    text = json.dumps(report(), ensure_ascii=False)
    src = tmp_path / "dup.json"
    src.write_text('{"year": 2023, ' + text[1:], encoding="utf-8")
    proc = cli("validate", src, "--format", "json")
    assert proc.returncode == 3
    finding = json.loads(proc.stdout)["files"][0]["findings"][0]
    assert finding["code"] == "FILE_UNREADABLE" and "/year" in finding["message"]


def test_duplicate_defined_names_are_refused(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "names.xlsx")

    def twice(xml: bytes) -> bytes:
        text = xml.decode()
        found = re.search(r'<definedName name="year"[^>]*>[^<]*</definedName>', text)
        assert found
        twin = found.group(0).replace('name="year"', 'name="YEAR"').replace("$B$", "$C$")
        return text.replace(found.group(0), found.group(0) + twin).encode()

    rewrite_member(path, "xl/workbook.xml", twice)
    proc = cli("validate", path, "--format", "json")
    assert proc.returncode == 3
    assert "定义了两次" in json.loads(proc.stdout)["files"][0]["findings"][0]["message"]


def test_a_nan_date_is_no_1899_date(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "nan.xlsx")
    sheet, cell = cell_of(openpyxl.load_workbook(path), "published_on")
    _cell(path, sheet, cell, f'<c r="{cell}" s="0"><v>NaN</v></c>')
    proc = cli("validate", path, "--format", "json")
    found = json.loads(proc.stdout)["files"][0]["findings"]
    date = [f for f in found if f["path"] == "/published_on"]
    assert [f["code"] for f in date] == ["DATE_FORMAT"] and date[0]["cell"] == cell
    assert "1899-12-30" not in proc.stdout.decode("utf-8")


def test_bidi_controls_never_reach_an_output_name(tmp_path: Path) -> None:
    src = tmp_path / "rlo.json"
    write(src, report(agency__name="某局\u202excod.exe\u200b"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(src), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "某局xcod.exe-2024.html" in names
    assert not any(re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069]", n) for n in names)


def test_the_guard_passes_what_excel_writes(tmp_path: Path) -> None:
    """The guard must not refuse a well-made workbook: the template filled, as it is."""
    path = write_workbook(tmp_path / "ok.xlsx")
    with zipfile.ZipFile(path) as z:
        assert any(z.read(n).startswith(b"<?xml") for n in z.namelist() if n.endswith(".xml"))
    assert cli("validate", path).returncode == 0
