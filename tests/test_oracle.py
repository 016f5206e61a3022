"""The oracle (tests/oracle.py) checked against sources outside xxgk: the published seed report
for the labels, literal arithmetic for the sums, LibreOffice for the formula evaluator."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest

from xxgk.workbook.template import build_template, layout

from . import oracle as o
from .conftest import need_tool
from .report_support import NUMBER, distinct_report, seed_sections
from .workbooks import libreoffice_convert, soffice


def _seed_labels(section: str) -> str:
    """The label cells of a table of the published seed, joined without whitespace (its PDF
    text splits some labels, 总 / 计), the seed's older 规范性文件 read as 行政规范性文件."""
    cells = [p for p in seed_sections()[section][1:] if not NUMBER.match(p)]
    text = re.sub(r"\s+", "", "".join(cells))
    return text.replace("规范性文件", "行政规范性文件").replace("行政行政", "行政")


def test_table_labels_are_those_of_the_published_report() -> None:
    table2 = [
        x
        for title, columns, rows in o.TABLE2_BLOCKS
        for x in (title, "信息内容", *(c for _, c in columns), *(r for _, r in rows))
    ]
    assert "".join(table2) == _seed_labels("二")
    table3 = [o.TABLE3_CORNER, "申请人情况", "自然人", "法人或其他组织", "总计"]
    table3 += [label for _, label in o.APPLICANTS[1:]]
    group = None
    for row, row_group, label in o.TABLE3_ROWS:
        if row == o.OUTCOME_PATHS[0]:
            table3.append(o.RESULTS)
        if row_group and row_group != group:
            table3.append(row_group)
        group = row_group
        table3.append(label)
    assert "".join(table3) == _seed_labels("三")
    parts = [label for _, label in o.REVIEW_PARTS] + ["总计"]
    table4 = ["行政复议", "行政诉讼", *parts, "未经复议直接起诉", "复议后起诉", *parts, *parts]
    assert "".join(table4) == _seed_labels("四")


def test_markdown_cells_are_read_as_a_reader_sees_them() -> None:
    text = "前言\n\n| a \\| b | &lt;x> |\n| --- | ---: |\n| 1\\. | \\*2\\* |\n\n| c |\n| --- |\n"
    assert o.markdown_tables(text) == [[["a | b", "<x>"], ["1.", "*2*"]], [["c"]]]


def test_shown_numbers() -> None:
    values = (0, 7, 3.0, 26.55, True, None, 1e21, "无", [], {"x": 1})
    assert [o.shown(v) for v in values] == [
        "0",
        "7",
        "3",
        "26.55",
        "1",
        "",
        "1000000000000000000000",
        "无",
        "",
        "",
    ]


def test_balance_gaps_by_hand() -> None:
    data = distinct_report()
    assert set(o.balance_gaps(data).values()) == {0}
    data["requests"]["new"]["research"] += 4
    gaps = o.balance_gaps(data)
    assert gaps["research"] == 4 and gaps["total"] == 4
    assert [gaps[c] for c in o.COLUMNS if c not in ("research", "total")] == [0] * 5


def test_formulas_evaluate_as_libreoffice_recalculates_them(tmp_path: Path) -> None:
    """Every formula cell of two filled templates, one with what staff type into cells (text,
    full-width digits, a number stored as text, a date, a total typed over, formulas changed):
    `evaluate` gives what LibreOffice computes. (TRUE is left out: LibreOffice counts it in
    SUM, Excel — whose rule `evaluate` follows — skips logical values in ranges.)"""
    need_tool("LibreOffice", soffice(), "apt-get install libreoffice-calc-nogui")
    cells = layout().cells
    typed = build_template(data=distinct_report())
    for dotted, value in {
        "requests.new.natural_person": "无",
        "requests.new.commercial": "５",
        "requests.carried_over.research": "7",
        "requests.results.granted.social_welfare": dt.date(2024, 3, 1),
        "requests.carried_over.total": 99,
        "requests.results.unable.not_held.total": "=SUM(D17:H17)",
        "review_litigation.review.total": "=A5+B5-C5",
    }.items():
        sheet, cell = cells[dotted]
        typed[sheet][cell].value = value
    books = {"distinct": build_template(data=distinct_report()), "typed": typed}
    for name, wb in books.items():
        wb.save(tmp_path / f"{name}.xlsx")
    done = libreoffice_convert([tmp_path / f"{n}.xlsx" for n in books], tmp_path / "lo")
    assert done.returncode == 0, done.stderr
    for name, wb in books.items():
        recalculated = openpyxl.load_workbook(tmp_path / "lo" / f"{name}.xlsx", data_only=True)
        count = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        want = recalculated[ws.title][cell.coordinate].value
                        assert o.evaluate(ws, cell.coordinate) == want, (name, cell.coordinate)
                        count += 1
        # 表三's 31 totals and 14 勾稽关系 cells, 表四's 3 totals; one typed over in `typed`
        assert count == {"distinct": 48, "typed": 47}[name]
    # 无 in a count cell: the check row stays a number (N() reads text as 0) and says so in words
    assert isinstance(o.evaluate(typed["表三"], "D30"), (int, float))
    assert o.evaluate(typed["表三"], "D31") == "请输入数字"


def test_evaluate_refuses_what_it_does_not_know() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 2, "=ROUND(A1,0)", "=A1*2"
    ws["A4"], ws["A5"] = "=A5", "=A4"
    for ref in ("A2", "A3", "A4"):
        with pytest.raises(o.FormulaError):
            o.evaluate(ws, ref)
    ws["B1"] = '=HYPERLINK("#\'表三\'!C6","C6")'
    assert o.evaluate(ws, "B1") == "C6"
