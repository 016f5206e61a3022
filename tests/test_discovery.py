"""Which files `convert` and `validate` take from folders and globs, and how files whose name
does not say what they are get read. Through click's CliRunner on real files."""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk.batch import summary as batch_summary
from xxgk.cli.main import main
from xxgk.workbook import template as template

from .conftest import load_example
from .test_convert import snapshot, summary, write_json

AGENCY = "额敏县商务和工业信息化局"
STEM = f"{AGENCY}-2024"


@functools.cache
def _workbook() -> bytes:
    """The example report in the real template: no errors, one warning (DATE_LATE)."""
    return template.workbook_bytes(template.build_template(data=load_example()))


def cli(*args: str | Path):
    return CliRunner().invoke(main, list(map(str, args)))


def names(outdir: Path) -> list[str]:
    return [Path(f["path"]).name for f in summary(outdir)["files"]]


def skip_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("已跳过")]


def ods_bytes() -> bytes:
    """An OpenDocument spreadsheet as LibreOffice lays it out: `mimetype` first, stored."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as zf:
        zf.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            zipfile.ZIP_STORED,
        )
        zf.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
            zipfile.ZIP_DEFLATED,
        )
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            zipfile.ZIP_DEFLATED,
        )
    return raw.getvalue()


# An OLE compound file (as old Excel and WPS .et write) with a Workbook stream named in it.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le")


# -- 1. xxgk's own earlier outputs are not inputs again ---------------------------------------


def test_a_second_convert_of_the_folder_does_not_read_the_first_ones_outputs(
    tmp_path: Path, example, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_json(tmp_path / "a.json", example)
    first = cli("convert", ".", "-o", "输出", "-j", "1")
    assert first.exit_code == 0, first.output
    assert skip_lines(first.stderr) == []  # nothing of ours there yet
    before = snapshot(tmp_path)

    second = cli("convert", ".", "-o", "输出2", "-j", "1")
    assert second.exit_code == 0, second.output
    assert names(tmp_path / "输出2") == ["a.json"]
    assert summary(tmp_path / "输出2")["files"][0]["outputs"][0] == f"{STEM}.json"  # no -2
    assert not list((tmp_path / "输出2").glob("*-2.*"))
    lines = skip_lines(second.stderr)
    assert len(lines) == 2  # one line per kind: the summary, the JSON output (.docx… no input)
    assert all("已跳过 1 个" in line for line in lines)
    assert "summary.json" in lines[0] and "以前转换" in lines[1]
    after = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("输出2")}
    assert after == before  # the input and the first run's files untouched


def test_a_summary_is_known_by_its_content_not_its_name(tmp_path: Path, example) -> None:
    out = tmp_path / "out"
    write_json(tmp_path / "in" / "r.json", example)
    assert cli("convert", tmp_path / "in", "-o", out, "--to", "json", "-j", "1").exit_code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # A summary renamed, and a real report that happens to be called summary.json.
    (inbox / "上次的汇总.json").write_bytes((out / "summary.json").read_bytes())
    write_json(inbox / "summary.json", {**example, "agency": {**example["agency"], "name": "乙局"}})
    result = cli("convert", inbox, "-o", tmp_path / "o2", "--to", "json", "-j", "1")
    assert result.exit_code == 0, result.output
    assert names(tmp_path / "o2") == ["summary.json"]
    assert summary(tmp_path / "o2")["files"][0]["outputs"] == ["乙局-2024.json"]
    assert len(skip_lines(result.stderr)) == 1


def test_a_folder_or_glob_of_outputs_only_is_a_usage_error_that_says_why(
    tmp_path: Path, example, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_json(tmp_path / "in" / "a.json", example)
    assert cli("convert", "in", "-o", "输出", "--to", "json", "-j", "1").exit_code == 0
    for arg in ("输出", "输出/*.json"):
        result = cli("convert", arg, "-o", "again", "-j", "1")
        assert result.exit_code == 2
        assert "已跳过" in result.stderr
    # Named explicitly, a summary is read (and is no report: errors, exit 1).
    result = cli("validate", "输出/summary.json")
    assert result.exit_code == 1
    assert "JSON_REQUIRED" in result.stdout
    # So is an output, which is a report like any other.
    assert cli("validate", f"输出/{STEM}.json").exit_code == 0


def test_annotated_copies_are_not_read_again(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "w.xlsx").write_bytes(_workbook())
    first = cli("validate", folder, "--annotate", folder)
    assert first.exit_code == 0, first.output
    assert (folder / "w.校验.xlsx").is_file()

    second = cli("validate", folder, "--annotate", folder)  # rewrites w.校验.xlsx from w.xlsx
    assert second.exit_code == 0, second.output
    assert second.stdout.count("DATE_LATE") == 1  # each finding once, not once per copy
    assert "w.校验.xlsx" not in second.stdout
    assert not (folder / "w.校验.校验.xlsx").exists()
    assert any("校验副本" in line and "1 个" in line for line in skip_lines(second.stderr))

    copy_bytes = (folder / "w.校验.xlsx").read_bytes()
    out = tmp_path / "out"
    converted = cli("convert", folder, "-o", out, "--to", "json", "-j", "1")
    assert converted.exit_code == 0, converted.output
    assert names(out) == ["w.xlsx"]
    assert [p.name for p in out.glob("*.json") if p.name != "summary.json"] == [f"{STEM}.json"]
    # Named explicitly, the copy is read: it is the same workbook with a results sheet.
    assert cli("validate", folder / "w.校验.xlsx").exit_code == 0
    assert (folder / "w.校验.xlsx").read_bytes() == copy_bytes  # inputs untouched


def test_aggregate_manifests_are_skipped(tmp_path: Path, example) -> None:
    folder = tmp_path / "d"
    write_json(folder / "a.json", example)
    write_json(folder / "县汇总.manifest.json", {"agency": "额敏县", "year": 2024, "included": []})
    result = cli("convert", folder, "-o", tmp_path / "out", "--to", "json", "-j", "1")
    assert result.exit_code == 0, result.output
    assert names(tmp_path / "out") == ["a.json"]
    assert any("manifest" in line for line in skip_lines(result.stderr))


# -- 2. spreadsheets not named .xlsx ----------------------------------------------------------


def test_other_spreadsheets_in_a_folder_are_listed_as_unreadable(tmp_path: Path, example) -> None:
    folder = tmp_path / "d"
    write_json(folder / "a.json", example)
    (folder / "f1.ods").write_bytes(ods_bytes())
    (folder / "f2.et").write_bytes(OLE)
    (folder / "f3.xls").write_bytes(OLE)
    xlsb = io.BytesIO()  # Excel's binary workbook: a zip with .bin parts
    with zipfile.ZipFile(xlsb, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.bin" Type="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    (folder / "f4.xlsb").write_bytes(xlsb.getvalue())
    before = snapshot(folder)
    out = tmp_path / "out"
    result = cli("convert", folder, "-o", out, "--to", "json", "-j", "1")
    assert result.exit_code == 3
    doc = summary(out)
    assert doc["totals"]["inputs"] == 5
    files = {Path(f["path"]).name: f for f in doc["files"]}
    assert files["a.json"]["status"] == "converted"
    for name in ("f1.ods", "f2.et", "f3.xls", "f4.xlsb"):
        assert (files[name]["status"], files[name]["first_error_code"]) == (
            "unreadable",
            "FILE_UNREADABLE",
        )
        assert name in result.stderr
        assert "UTF-8" not in files[name]["first_error"]
    assert "OpenDocument" in files["f1.ods"]["first_error"]
    assert "WPS" in files["f2.et"]["first_error"]
    assert "xlsx" in files["f3.xls"]["first_error"]
    assert "xlsb" in files["f4.xlsb"]["first_error"]
    assert snapshot(folder) == before


@pytest.mark.parametrize("name", ["f1.xlsx.bak", "f1", "报告.备份"])
def test_a_workbook_under_any_name_is_read_as_a_workbook(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_workbook())
    result = cli("validate", "--format", "json", path)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [f["code"] for f in doc["files"][0]["findings"]] == ["DATE_LATE"]
    out = tmp_path / "out"
    assert cli("convert", path, "-o", out, "--to", "json", "-j", "1").exit_code == 0
    assert (out / f"{STEM}.json").is_file()


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("f1.ods", ods_bytes(), "OpenDocument"),
        ("f1.et", OLE, "WPS"),
        ("old", OLE, ".xls"),
        ("junk.bak", b"\x00\x01\x02\x03binary", "JSON"),
    ],
)
def test_a_named_file_of_another_kind_says_what_it_is(
    tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("validate", "--format", "json", path)
    assert result.exit_code == 3
    finding = json.loads(result.stdout)["files"][0]["findings"][0]
    assert finding["code"] == "FILE_UNREADABLE"
    assert needle in finding["message"] and "UTF-8" not in finding["message"]


def test_json_under_another_name_is_read_as_json(tmp_path: Path, example) -> None:
    path = write_json(tmp_path / "report.json.txt", example)
    result = cli("validate", "--format", "json", path)
    assert result.exit_code == 0, result.output
    assert [f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]] == ["DATE_LATE"]


# -- 3. the reason of an unreadable input names the file once ---------------------------------


def test_an_unreadable_input_is_named_once(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "old.xls").write_bytes(b"not a workbook at all")
    out = tmp_path / "out"
    result = cli("convert", folder, "-o", out, "-j", "1")
    assert result.exit_code == 3
    entry = summary(out)["files"][0]
    assert "old.xls" not in entry["first_error"]
    line = next(line for line in result.stderr.splitlines() if "old.xls" in line)
    assert line.count("old.xls") == 1
    table = (out / "汇总.csv").read_bytes()[3:].decode("utf-8")
    head, row = list(csv.reader(io.StringIO(table)))[:2]
    assert row[head.index("第一个错误")] == entry["first_error"]
    # validate's text: the file on one line, its reason on the next, without the path again.
    shown = cli("validate", folder).stdout.splitlines()
    assert shown[0].startswith(str(folder / "old.xls")) and "old.xls" not in shown[1]
    assert "FILE_UNREADABLE" in shown[1]


# -- 4. two reports of one agency and year ----------------------------------------------------


def test_reports_of_the_same_agency_and_year_are_pointed_out(tmp_path: Path, example) -> None:
    folder = tmp_path / "d"
    write_json(folder / "a.json", example)
    write_json(folder / "b.json", {**example, "agency": {**example["agency"], "name": "乙局"}})
    spaced = copy.deepcopy(example)
    spaced["agency"]["name"] = AGENCY.replace("局", " 局")  # the same agency, typed loosely
    write_json(folder / "c.json", spaced)
    (folder / "d.xlsx").write_bytes(_workbook())
    last_year = copy.deepcopy(example)
    last_year["year"] = 2023
    write_json(folder / "e.json", last_year)  # another year: no duplicate
    out = tmp_path / "out"
    result = cli("convert", folder, "-o", out, "--to", "json", "-j", "1")
    assert result.exit_code == 0, result.output
    files = {Path(f["path"]).name: f for f in summary(out)["files"]}
    first = str(folder / "a.json")
    assert {n: f["duplicate_of"] for n, f in files.items()} == {
        "a.json": None,
        "b.json": None,
        "c.json": first,
        "d.xlsx": first,
        "e.json": None,
    }
    assert files["d.xlsx"]["outputs"] == [f"{STEM}-2.json"]
    warning = [line for line in result.stderr.splitlines() if line.startswith("注意")]
    assert len(warning) == 1
    assert all(n in warning[0] for n in ("a.json", "c.json", "d.xlsx"))
    assert "b.json" not in warning[0] and "e.json" not in warning[0]
    rows = list(csv.reader(io.StringIO((out / "汇总.csv").read_bytes()[3:].decode("utf-8"))))
    assert rows[0] == batch_summary.CSV_HEADER and rows[0][-1] == "重复"
    duplicate_column = {Path(r[1]).name: r[-1] for r in rows[1:]}
    assert duplicate_column["a.json"] == "" and duplicate_column["b.json"] == ""
    assert first in duplicate_column["c.json"] and first in duplicate_column["d.xlsx"]
