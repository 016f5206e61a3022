"""The in-sheet 勾稽关系 check under 表三, recalculated by LibreOffice: a count typed as text says
请输入数字 for its column, never #VALUE!; the other columns still say 平衡."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from xxgk.files.save import save_workbook
from xxgk.workbook.template import build_template, layout

from .conftest import need_tool
from .wb_helpers import cell_of, example_data
from .workbooks import libreoffice_convert, soffice


def test_text_in_a_count_cell_asks_for_a_number(tmp_path: Path) -> None:
    need_tool("LibreOffice", soffice(), "apt-get install libreoffice-calc-nogui")
    wb = build_template(data=example_data())
    typed = {
        "requests.new.natural_person": "５",  # full-width, as text
        "requests.results.granted.research": "3",  # a number stored as text
    }
    for dotted, text in typed.items():
        sheet, ref = cell_of(wb, dotted)
        wb[sheet][ref].value = text
        wb[sheet][ref].data_type = "s"
    src = tmp_path / "in" / "年报.xlsx"
    src.parent.mkdir()
    save_workbook(wb, src)
    proc = libreoffice_convert([src], tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    got = openpyxl.load_workbook(tmp_path / "out" / src.name, data_only=True)
    lay = layout()
    said = {}
    for col, (sheet, ref) in lay.balance_text.items():
        said[col] = got[sheet][ref].value
        value = got[sheet][lay.balance[col][1]].value
        assert isinstance(value, (int, float)), (col, value)  # no error value in the check row
    assert said["natural_person"] == "请输入数字"
    assert said["research"] == "请输入数字"
    assert said["commercial"] == "平衡" and said["legal_service"] == "平衡"
