"""Blank count cells in bulk (WB_BLANK_BLOCK) and the one-step switch 本年度没有收到政府信息
公开申请, through the real path: workbooks written by openpyxl from the template, run through
the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from xxgk.check import findings as fc
from xxgk.cli.main import main
from xxgk.format import model as m
from xxgk.workbook.annotate import PROBLEM_FILL
from xxgk.workbook.blanks import BLOCK_MIN, REQUEST_SLOTS, cell_ranges
from xxgk.workbook.core import WorkbookView, read_view
from xxgk.workbook.results import RESULT_FIRST_ROW, RESULT_SHEET
from xxgk.workbook.sheets import NO_REQUESTS_NAME
from xxgk.workbook.slots import CELL_LEAVES
from xxgk.workbook.template import build_template

from .wb_helpers import cell_of, example_data, write_workbook

T3_BLOCK = (
    "表三 有 144 个单元格为空（D5:I27、D29:I29）。没有的请填写 0；本年度没有收到申请的，"
    "在表三 D34「本年度没有收到政府信息公开申请」选“是”即可，表三留空的单元格按 0 计。"
)
REQUESTS = [CELL_LEAVES[slot] for slot in sorted(REQUEST_SLOTS)]


def _validate(*args: str) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(result.stdout)
    return result.exit_code, doc["files"][0]["findings"]


def _blank(path: Path, switch: Any = None, cells: dict[str, Any] | None = None) -> Path:
    """The blank template as staff download it, the switch set, `cells` typed by name."""
    wb = build_template()
    if switch is not None:
        sheet, ref = cell_of(wb, NO_REQUESTS_NAME)
        wb[sheet][ref].value = switch
    for dotted, value in (cells or {}).items():
        sheet, ref = cell_of(wb, dotted)
        wb[sheet][ref].value = value
    wb.save(path)
    return path


def _seed_blank_t3(path: Path, switch: Any, **cells: Any) -> Path:
    """The seed with every 表三 input cell blank (the on_request text left to the generator)."""
    data = example_data()
    data["overview"]["on_request"] = ""
    typed: dict[str, Any] = {leaf.dotted: None for leaf in REQUESTS}
    typed.update({k.replace("__", "."): v for k, v in cells.items()})
    if switch is not None:
        typed[NO_REQUESTS_NAME] = switch
    return write_workbook(path, data=data, cells=typed)


def test_the_blank_template_gives_one_finding_per_blank_table(tmp_path: Path) -> None:
    code, found = _validate(str(_blank(tmp_path / "blank.xlsx")))
    assert code == 1
    assert len(REQUESTS) == 144  # 25 rows × 6 applicant columns, less （七）总计's row
    # 168 WB_BLANK lines before; now 表二, 表三 and 表四 one each, 其他事项's two cells by name
    codes = [f["code"] for f in found]
    assert codes.count("WB_BLANK_BLOCK") == 3 and codes.count("WB_BLANK") == 2
    assert len(found) == 16  # with the 6 empty basic cells and 5 warnings on empty text
    blocks = {f["sheet"]: f for f in found if f["code"] == "WB_BLANK_BLOCK"}
    t3 = blocks["表三"]
    assert t3["message"] == T3_BLOCK
    assert t3["cell"] == "D5" and len(t3["cells"]) == 144 and len(t3["paths"]) == 144
    assert t3["args"]["count"] == 144 and t3["severity"] == "error"
    assert blocks["表二"]["message"].startswith(
        "表二 有 10 个单元格为空（B4:D5、B8、B11:B12、B15）"
    )
    assert (
        blocks["表四"]["message"]
        == "表四 有 12 个单元格为空（A5:D5、F5:I5、K5:N5）。没有的请填写 0。"
    )
    assert {f["sheet"] for f in found if f["code"] == "WB_BLANK"} == {"其他事项"}


def test_a_few_blank_cells_are_named_one_by_one(tmp_path: Path) -> None:
    row = [f"requests.results.granted.{c.id}" for c in m.APPLICANT_COLUMNS[:-1]]
    assert len(row) == BLOCK_MIN  # the six applicant columns: just a block
    few = write_workbook(tmp_path / "few.xlsx", cells=dict.fromkeys(row[:-1]))
    _, found = _validate(str(few))
    blank = [f for f in found if f["code"].startswith("WB_BLANK")]
    assert [(f["code"], f["cell"]) for f in blank] == [("WB_BLANK", f"{c}7") for c in "DEFGH"]
    assert blank[0]["message"].endswith("为空。没有的请填写 0。")
    row_of = write_workbook(tmp_path / "row.xlsx", cells=dict.fromkeys(row))
    _, found = _validate(str(row_of))
    blank = [f for f in found if f["code"].startswith("WB_BLANK")]
    assert [(f["code"], f["cell"], len(f["cells"])) for f in blank] == [("WB_BLANK_BLOCK", "D7", 6)]
    assert blank[0]["message"].startswith("表三 有 6 个单元格为空（D7:I7）。没有的请填写 0；")
    # the blank cells stand as 0 and their sums are not judged: nothing else is said
    assert [f["code"] for f in found if f["severity"] == "error"] == ["WB_BLANK_BLOCK"]


def test_text_output_is_one_line_per_block(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(_blank(tmp_path / "blank.xlsx"))])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("发现 11 处错误、5 处警告")
    assert f"  错误 WB_BLANK_BLOCK 表三!D5：{T3_BLOCK}" in lines
    assert len(lines) == 17


def test_no_requests_switch_reads_blank_table3_as_zero(tmp_path: Path) -> None:
    path = _blank(tmp_path / "none.xlsx", switch="是")
    _, found = _validate(str(path))
    assert [f for f in found if f["sheet"] == "表三"] == []
    assert len([f for f in found if f["code"].startswith("WB_BLANK")]) == 4  # 表二, 表四, 2 × 其他
    # a full-width 是 or TRUE says the same; 否 and anything else say nothing
    for said, t3_findings in (("　是 ", 0), (True, 0), ("否", 1), ("没有", 1)):
        _, found = _validate(str(_blank(tmp_path / "s.xlsx", switch=said)))
        assert len([f for f in found if f["sheet"] == "表三"]) == t3_findings, said


def test_no_requests_report_says_so(tmp_path: Path) -> None:
    path = _seed_blank_t3(tmp_path / "seed.xlsx", "是")
    code, found = _validate(str(path))
    assert code == 0 and [f["code"] for f in found] == ["DATE_LATE"]  # as the seed itself
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(path), "-o", str(out), "--to", "md"])
    assert result.exit_code == 0, result.output
    (md,) = out.glob("*.md")
    assert "2024年，本机关未收到政府信息公开申请" in md.read_text(encoding="utf-8")
    # without the switch the same workbook is 144 blank cells, said once
    _, found = _validate(str(_seed_blank_t3(tmp_path / "off.xlsx", None)))
    assert [f["code"] for f in found if f["severity"] == "error"] == ["WB_BLANK_BLOCK"]


def test_no_requests_with_requests_in_the_table_is_a_warning(tmp_path: Path) -> None:
    path = _seed_blank_t3(
        tmp_path / "both.xlsx",
        "是",
        requests__new__natural_person=3,
        requests__new__other=2,
        requests__results__granted__natural_person=3,
        requests__results__granted__other=2,
    )
    code, found = _validate(str(path))
    assert code == 0  # the figures win: a warning, the report uses them
    (conflict,) = [f for f in found if f["code"] == fc.WB_NO_REQUESTS_CONFLICT]
    assert (conflict["sheet"], conflict["cell"], conflict["severity"]) == ("表三", "D5", "warning")
    assert conflict["message"] == (
        "表三 D34「本年度没有收到政府信息公开申请」选了“是”，"
        "但表三「一、本年新收政府信息公开申请数量」有 2 个单元格不为 0（D5、I5），共 5 件。"
        "报告按表中数字计。请改为“否”，或核对表三。"
    )


def test_annotated_copy_marks_every_blank_cell_with_one_result_row(tmp_path: Path) -> None:
    src = _blank(tmp_path / "blank.xlsx")
    out = tmp_path / "out"
    _validate("--annotate", str(out), str(src))
    wb = openpyxl.load_workbook(out / "blank.校验.xlsx")
    rows = list(wb[RESULT_SHEET].iter_rows(min_row=RESULT_FIRST_ROW, values_only=True))
    assert len(rows) == 16
    t3 = [wb["表三"][cell_of(wb, leaf.dotted)[1]] for leaf in REQUESTS]
    assert all(c.fill.fgColor.rgb == PROBLEM_FILL.fgColor.rgb for c in t3)
    assert all(c.comment is not None and "表三 有 144 个单元格为空" in c.comment.text for c in t3)
    # say 是 in the annotated copy and check it again: the old marks on 表三 all go
    sheet, ref = cell_of(wb, NO_REQUESTS_NAME)
    wb[sheet][ref].value = "是"
    again = tmp_path / "again.xlsx"
    wb.save(again)
    _validate("--annotate", str(tmp_path / "out2"), str(again))
    wb2 = openpyxl.load_workbook(tmp_path / "out2" / "again.校验.xlsx")
    t3 = [wb2["表三"][cell_of(wb2, leaf.dotted)[1]] for leaf in REQUESTS]
    assert not any(c.fill.fgColor.rgb == PROBLEM_FILL.fgColor.rgb for c in t3)
    assert all(c.comment is None for c in t3)


def test_older_template_without_the_switch_still_reads(tmp_path: Path) -> None:
    wb = build_template()
    del wb.defined_names[NO_REQUESTS_NAME]
    wb.save(tmp_path / "old.xlsx")
    _, found = _validate(str(tmp_path / "old.xlsx"))
    t3 = [f for f in found if f["sheet"] == "表三"]
    assert [f["message"] for f in t3] == [
        "表三 有 144 个单元格为空（D5:I27、D29:I29）。没有的请填写 0。"
    ]


def test_the_add_in_view_reads_the_switch_too() -> None:
    wb = build_template()
    names = {n: dn.attr_text for n, dn in wb.defined_names.items()}
    sheet, ref = cell_of(wb, NO_REQUESTS_NAME)
    for said, blocks in ((None, 3), ("是", 2)):
        values = {(sheet, ref): said}
        view = WorkbookView(tuple(wb.sheetnames), names, values, frozenset(), None)
        found = read_view(view).findings
        assert [f.code for f in found].count(fc.WB_BLANK_BLOCK) == blocks


def test_cell_ranges() -> None:
    assert cell_ranges(["D5", "E5", "D6", "E6", "D8"]) == ["D5:E6", "D8"]
    assert cell_ranges(["B4"]) == ["B4"]
    assert cell_ranges(["C3", "A1", "B1"]) == ["A1:B1", "C3"]
