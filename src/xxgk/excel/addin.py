"""The Excel add-in's 校验 button: check the open workbook and mark every problem at its cell.

xlwings' ribbon add-in (addin/xxgk_addin.xlam) runs `xxgk_addin.main()`, which calls `main()`
here with `xw.Book.caller()`. The workbook is read with a few bulk reads (12 at most), the
values go through the same workbook core and the same checks as `xxgk validate`, and the
results are written back with operations the Windows desktop engine supports: fill colour,
notes, a new sheet with HYPERLINK formulas, a hidden sheet, an alert.

Marks of the previous run are listed in a hidden sheet; the next run restores those cells to
the template's own fill (known from the template: input yellow or total grey) and removes its
notes, so fixing a cell and checking again leaves nothing stale. A note that staff wrote on a
problem cell is kept: our text goes in front of it and is taken out again. A copy marked by
`xxgk validate --annotate` has no marks sheet; the cells its 校验结果 sheet lists are cleaned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xxgk.check import findings as fc
from xxgk.check.source import Source, check_source
from xxgk.excel.read import ExcelRead, read_cells, read_marks, read_names
from xxgk.excel.write import Locked, write_results
from xxgk.files.errorlog import log_internal
from xxgk.workbook.core import Reading, read_view, resolve_cells
from xxgk.workbook.reader import source_from_reading
from xxgk.workbook.results import RESULT_SHEET

TITLE = "政务公开年报校验"



def source_of(read: ExcelRead, reading: Reading) -> Source:
    """The core's reading as the CLI's `Source` (as the file reader makes it), so that
    `check_source` runs unchanged, last year's recorded figures included."""

    return source_from_reading(Path(read.book_name), reading)


def _alert(book: Any, text: str, critical: bool = False) -> None:
    book.app.alert(text, title=TITLE, mode="critical" if critical else "info")


def _unchanged(book: Any, message: str) -> None:
    _alert(book, f"「{book.name}」：{message}\n工作簿没有任何改动。", critical=True)


def run(book: Any) -> Source:
    """Check `book` (an xlwings Book): marks, the result sheet and an alert; the checked Source."""
    sheets = {sheet.name: sheet for sheet in book.sheets}
    read = ExcelRead(book.name, sheets, read_names(book))
    resolved = resolve_cells(tuple(sheets), read.names)
    if resolved.fatal:  # not our template, another version, sheets or names gone
        _unchanged(book, resolved.fatal.message)
        return source_of(read, resolved)
    read.cells = resolved.cells
    read_cells(read)
    read_marks(read)
    source = source_of(read, read_view(read.view()))
    if not source.readable:
        _unchanged(book, source.error or "")
        return source
    found = check_source(source)
    try:
        write_results(book, read, found)
    except Locked as exc:
        _alert(
            book,
            f"工作表「{exc.sheet}」设有保护密码，无法标出问题单元格。"
            "请先撤销该工作表的保护（审阅 → 撤销工作表保护），再点「校验」。",
            critical=True,
        )
        return source
    errors, warnings = fc.counts(found)
    text = fc.summary_text(errors, warnings)
    if found:
        text += f"\n问题单元格已标为浅红色并加了批注，全部问题列在「{RESULT_SHEET}」工作表。"
    _alert(book, text, critical=errors > 0)
    return source


def main() -> None:
    """Entry point of the ribbon button (through `xxgk_addin.main`)."""
    import xlwings as xw  # only here: the rest of the add-in is tested without Excel

    book = xw.Book.caller()
    try:
        run(book)
    except Exception as exc:  # never a traceback box for staff; the details go to the log
        report_failure(book, exc)


def report_failure(book: Any, exc: BaseException) -> None:
    """A bug of ours during a check: the traceback into the log file (xlwings' own log is
    deleted when the run ends normally), and an alert saying where that file is."""
    where = log_internal(exc, f"Excel 加载项校验 {getattr(book, 'name', '')}")
    logged = f"详细信息已写入日志文件：{where}" if where else "详细信息未能写入日志文件"
    _alert(
        book,
        f"校验时出现内部错误（{exc.__class__.__name__}），不是您填写的问题。"
        f"工作簿可能只标记了一部分。{logged}。"
        "请保存后重新打开再试；如仍出错，请把此提示和该日志文件发给技术支持。",
        critical=True,
    )
