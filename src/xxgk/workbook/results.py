"""The 校验结果 sheet and the cell notes, as both the add-in (in Excel) and the annotated copy
(`xxgk validate --annotate`, openpyxl) lay them out: one layout, two writers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xxgk.check import findings as fc
from xxgk.check.findings import Finding

RESULT_SHEET = "校验结果"
# The Chinese explanation before the code: staff read the first, IT and other systems the second.
RESULT_HEADER = ("序号", "级别", "工作表", "单元格", "说明", "代码")
# Characters, as Excel's desktop engines take them: together about one landscape A4 page wide.
RESULT_WIDTHS = (6, 6, 10, 8, 80, 22)
RESULT_HEADER_ROW = 4  # below the title (1), the summary (2) and a blank row
RESULT_FIRST_ROW = RESULT_HEADER_ROW + 1
# A note that staff wrote on a problem cell is kept after ours, behind this line.
NOTE_SEPARATOR = "\n——\n"

Cell = tuple[str, str]


def title_line(name: str) -> str:
    return f"校验结果：{name}"


def summary_line(found: list[Finding]) -> str:
    text = fc.summary_text(*fc.counts(found))
    if found:
        return text + "。标红的单元格有问题，鼠标移到单元格上可看说明；点击下表「单元格」列可跳转。"
    return text + "。"


def row_values(number: int, f: Finding) -> dict[str, Any]:
    """One finding's row, by header (the writer decides how the 单元格 link is made)."""
    return {
        "序号": number,
        "级别": fc.SEVERITY_LABEL.get(f.severity, f.severity),
        "工作表": f.sheet or "",
        "单元格": f.cell or "",
        "代码": f.code,
        "说明": f.message,
    }


def note_text(at_cell: Iterable[Finding]) -> str:
    """The note of one problem cell: each finding as 【错误】… on its own line."""
    return "\n".join(
        f"【{fc.SEVERITY_LABEL.get(f.severity, f.severity)}】{f.message}" for f in at_cell
    )


# Findings about a block of cells (one line in 校验结果) whose every cell (`cells`) is marked.
MARK_EVERY_CELL = frozenset({fc.WB_BLANK_BLOCK})


def marked_cells(found: Iterable[Finding]) -> dict[Cell, list[Finding]]:
    """Each problem cell and the findings at it, in finding order: a finding's own cell, and
    every cell of a block finding."""
    out: dict[Cell, list[Finding]] = {}
    for f in found:
        if f.sheet and f.cell:
            out.setdefault((f.sheet, f.cell), []).append(f)
        if f.code in MARK_EVERY_CELL:
            for where in f.cells:
                sheet, _, cell = where.rpartition("!")
                at = out.setdefault((sheet, cell), [])
                if f not in at:
                    at.append(f)
    return out
