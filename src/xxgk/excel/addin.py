"""The Excel add-in's 校验 button: check the open workbook and mark every problem at its cell.

xlwings' ribbon add-in (addin/xxgk_addin.xlam) runs `xxgk_addin.main()`, which calls `main()`
here with `xw.Book.caller()`. The workbook is read with a few bulk reads (READS_PER_RUN), the
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

import re
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.check.source import Source, check_source
from xxgk.workbook.cellref import col_letters, split_cell
from xxgk.workbook.core import TOTAL_POINTERS, Cell, Reading, WorkbookView, read_view, resolve_cells

TITLE = "政务公开年报校验"
RESULT_SHEET = "校验结果"
MARKS_SHEET = "xxgk_marks"  # hidden: the cells the last run marked (sheet, cell, mode, note)
# The same columns as the 校验结果 sheet of `xxgk validate --annotate` (annotate.py).
RESULT_HEADER = ("序号", "级别", "工作表", "单元格", "代码", "说明")
RESULT_WIDTHS = (6, 6, 12, 9, 24, 100)  # characters, as Excel's desktop engines take them
RESULT_FIRST_ROW = 5  # findings start here, below the title, the summary and the header

# Reads from Excel per run, however many cells and findings there are: the defined names once,
# the sheet list once, one rectangle of values (A1 to the last named cell) per sheet holding
# named cells (7 in the template), one rectangle of formulas per sheet holding totals (表三,
# 表四) and the marks sheet (or, without one, an old 校验结果 sheet) once: 12. A workbook that
# is not our template costs 2.
DATA_SHEETS_MAX = 7
TOTAL_SHEETS_MAX = 2
READS_PER_RUN = 1 + 1 + DATA_SHEETS_MAX + TOTAL_SHEETS_MAX + 1


def _hex(argb: str) -> str:
    return "#" + argb[-6:].upper()


def _template_fills() -> tuple[str, str, str]:
    """(mark, input, total) fill colours, from the template so that restoring matches it."""
    from xxgk.workbook.template import BAD_FILL, INPUT_FILL, TOTAL_FILL

    return (
        _hex(BAD_FILL.fgColor.rgb),
        _hex(INPUT_FILL.fgColor.rgb),
        _hex(TOTAL_FILL.fgColor.rgb),
    )


# -- reading ----------------------------------------------------------------------------------


# How the last run left the note of a cell it marked, so that the next run can undo it:
ADDED = "added"  # there was no note: ours is deleted
MERGED = "merged"  # staff's note, our text put in front: their text (`original`) is put back
KEPT = "kept"  # staff's note the engine could not read: left alone
LISTED = "listed"  # listed in a 校验结果 sheet only: its note is ours if it reads 【…】
NOTE_SEPARATOR = "\n——\n"
# Excel may cut or refuse text over 255 characters passed to an object from code (Microsoft KB
# 213841), notes included: ours stay within it, and a longer merge leaves staff's note alone.
NOTE_MAX = 255
NOTE_MORE = f"……（其余见「{RESULT_SHEET}」工作表）"


@dataclass(frozen=True)
class Mark:
    mode: str
    original: str = ""


@dataclass
class ExcelRead:
    """What the add-in read from Excel: the workbook core's raw view, plus our marks."""

    book_name: str
    sheets: dict[str, Any]  # sheet name → xlwings Sheet, in workbook order
    names: dict[str, str]  # workbook-level defined name → its formula text as Excel gives it
    cells: dict[str, Cell] = field(default_factory=dict)  # JSON pointer → (sheet, "C6")
    values: dict[Cell, Any] = field(default_factory=dict)
    formulas: frozenset[Cell] | None = None  # cells holding a formula; None: not known
    formula_texts: dict[Cell, str] | None = None  # their text (=SUM(D7:D27)); None: not known
    marks: dict[Cell, Mark] = field(default_factory=dict)  # what the previous run marked

    def view(self) -> WorkbookView:
        return WorkbookView(
            tuple(self.sheets), self.names, self.values, self.formulas, self.formula_texts
        )


_CELL = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")


def _grid(raw: Any) -> list[list[Any]]:
    """A read result as rows of cells, whatever shape the engine returned."""
    if not isinstance(raw, (list, tuple)):
        return [[raw]]
    if raw and not isinstance(raw[0], (list, tuple)):
        return [list(raw)]
    return [list(row) for row in raw]


def read_names(book: Any) -> dict[str, str]:
    """Workbook-level defined names → formula text (`=表三!$C$6`, `="xxgk-2021-v1"`)."""
    names: dict[str, str] = {}
    for name in book.names:
        key = name.name
        refers_to = name.refers_to
        if "!" in key or refers_to is None:  # sheet-scoped (Print_Area …) or unknown
            continue
        names[key] = refers_to
    return names


def read_cells(read: ExcelRead) -> None:
    """Values of every named cell, one rectangle per sheet; formulas of the total sheets."""
    extent: dict[str, tuple[int, int]] = {}
    for sheet, cell in read.cells.values():
        row, col = split_cell(cell)
        r, c = extent.get(sheet, (1, 1))
        extent[sheet] = (max(r, row), max(c, col))
    total_sheets = {read.cells[p][0] for p in TOTAL_POINTERS if p in read.cells}
    formulas: dict[Cell, str] | None = {}
    for sheet_name, (rows, cols) in extent.items():
        rng = read.sheets[sheet_name].range((1, 1), (rows, cols))
        for r, row in enumerate(_grid(rng.options(ndim=2).value), start=1):
            for c, value in enumerate(row, start=1):
                read.values[(sheet_name, f"{col_letters(c)}{r}")] = value
        if sheet_name not in total_sheets or formulas is None:
            continue
        try:
            grid = _grid(rng.formula)
        except NotImplementedError:
            # An engine that cannot read formulas synchronously (xlwings' remote engine; the
            # desktop engines can): the core then judges typed-over totals by value only.
            formulas = None
            continue
        formulas.update(formula_texts(sheet_name, grid))
    # Excel gives each cell's own formula text (shared formulas already moved to the cell).
    read.formulas = frozenset(formulas) if formulas is not None else None
    read.formula_texts = formulas


def formula_texts(sheet: str, grid: list[list[Any]]) -> dict[Cell, str]:
    """The cells of a `Range.formula` grid read from A1 that hold a formula → its text."""
    return {
        (sheet, f"{col_letters(c)}{r}"): text
        for r, row in enumerate(grid, start=1)
        for c, text in enumerate(row, start=1)
        if isinstance(text, str) and text.startswith("=")
    }


def formula_cells(sheet: str, grid: list[list[Any]]) -> set[Cell]:
    """The cells of a `Range.formula` grid read from A1 that hold a formula."""
    return set(formula_texts(sheet, grid))


def read_marks(read: ExcelRead) -> None:
    """What the last run marked: our hidden marks sheet, else the cells a 校验结果 sheet lists
    (a copy marked by `xxgk validate --annotate` has one but no marks sheet). One read."""
    sheet = read.sheets.get(MARKS_SHEET)
    if sheet is not None:
        for row in _grid(sheet.used_range.options(ndim=2).value):
            row = list(row) + [None] * (4 - len(row))
            sheet_name, cell, mode, original = row[:4]
            if isinstance(sheet_name, str) and isinstance(cell, str):
                mode = mode if mode in (ADDED, MERGED, KEPT) else ADDED
                read.marks[(sheet_name, cell)] = Mark(
                    mode, "" if original is None else str(original)
                )
        return
    results = read.sheets.get(RESULT_SHEET)
    if results is None:
        return
    rows = _grid(results.used_range.options(ndim=2).value)
    for i, row in enumerate(rows):
        if "工作表" in row and "单元格" in row:
            at_sheet, at_cell = row.index("工作表"), row.index("单元格")
            for below in rows[i + 1 :]:
                if len(below) <= max(at_sheet, at_cell):
                    continue
                sheet_name, cell = below[at_sheet], below[at_cell]
                if (
                    isinstance(sheet_name, str)
                    and isinstance(cell, str)
                    and _CELL.fullmatch(cell)
                    and sheet_name in read.sheets
                ):
                    read.marks[(sheet_name, cell)] = Mark(LISTED)
            return


# -- checking ---------------------------------------------------------------------------------


def source_of(read: ExcelRead, reading: Reading) -> Source:
    """The core's reading as the CLI's `Source` (as workbook_reader makes it), so that
    `check_source` runs unchanged, last year's recorded figures included."""
    from xxgk.workbook.reader import source_from_reading

    return source_from_reading(Path(read.book_name), reading)


# -- writing ----------------------------------------------------------------------------------


def _alert(book: Any, text: str, critical: bool = False) -> None:
    book.app.alert(text, title=TITLE, mode="critical" if critical else "info")


@contextmanager
def _unprotected(sheets: Iterable[Any]) -> Iterator[None]:
    """Lift sheet protection (no password) while marking; put it back exactly as it was.

    The template protects its sheets without a password and without "format cells", so Excel
    refuses fill colours there. Only the desktop engines expose protection, through the COM
    object (`sheet.api`); elsewhere this does nothing.
    """
    restore: list[Callable[[], None]] = []
    try:
        for sheet in sheets:
            api = sheet.api
            if not hasattr(api, "ProtectContents") or not api.ProtectContents:
                continue
            p = api.Protection
            flags = {
                "DrawingObjects": api.ProtectDrawingObjects,
                "Contents": True,
                "Scenarios": api.ProtectScenarios,
                "AllowFormattingCells": p.AllowFormattingCells,
                "AllowFormattingColumns": p.AllowFormattingColumns,
                "AllowFormattingRows": p.AllowFormattingRows,
                "AllowInsertingColumns": p.AllowInsertingColumns,
                "AllowInsertingRows": p.AllowInsertingRows,
                "AllowInsertingHyperlinks": p.AllowInsertingHyperlinks,
                "AllowDeletingColumns": p.AllowDeletingColumns,
                "AllowDeletingRows": p.AllowDeletingRows,
                "AllowSorting": p.AllowSorting,
                "AllowFiltering": p.AllowFiltering,
                "AllowUsingPivotTables": p.AllowUsingPivotTables,
            }
            try:
                api.Unprotect()
            except Exception as exc:  # a password: COM error, raised as pywintypes.com_error
                raise _Locked(sheet.name) from exc
            restore.append(lambda api=api, flags=flags: api.Protect(**flags))
        yield
    finally:
        for put_back in reversed(restore):
            put_back()


class _Locked(Exception):
    def __init__(self, sheet: str) -> None:
        super().__init__(sheet)
        self.sheet = sheet


def _safe_text(text: str) -> str:
    """Text that Excel keeps as text when written as a value (not a formula)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _link(sheet: str, cell: str) -> str:
    """A HYPERLINK formula to the cell: one bulk write, and every engine writes formulas."""
    target = "#'" + sheet.replace("'", "''") + "'!" + cell
    return '=HYPERLINK("' + target.replace('"', '""') + '","' + cell + '")'


def result_rows(book_name: str, found: list[Finding]) -> list[list[Any]]:
    """The 校验结果 sheet from A1, laid out like the one `xxgk validate --annotate` writes."""
    width = len(RESULT_HEADER)
    summary = fc.summary_text(*fc.counts(found))
    summary += (
        "。标红的单元格有问题，鼠标移到单元格上可看说明；点击下表「单元格」列可跳转。"
        if found
        else "。"
    )
    rows: list[list[Any]] = [
        [f"校验结果：{book_name}"] + [""] * (width - 1),
        [summary] + [""] * (width - 1),
        [""] * width,
        list(RESULT_HEADER),
    ]
    for i, f in enumerate(found, start=1):
        by_header = {
            "序号": i,
            "级别": fc.SEVERITY_LABEL.get(f.severity, f.severity),
            "工作表": f.sheet or "",
            "单元格": _link(f.sheet, f.cell) if f.sheet and f.cell else "",
            "代码": f.code,
            "说明": _safe_text(f.message),
        }
        rows.append([by_header[h] for h in RESULT_HEADER])
    return rows


def marked_cells(found: list[Finding]) -> dict[Cell, list[Finding]]:
    """Each problem cell and the findings at it, in finding order."""
    out: dict[Cell, list[Finding]] = {}
    for f in found:
        if f.sheet and f.cell:
            out.setdefault((f.sheet, f.cell), []).append(f)
    return out


def note_text(at_cell: list[Finding]) -> str:
    """The note for one cell, at most NOTE_MAX characters (the rest is in 校验结果)."""
    text = "\n".join(
        f"【{fc.SEVERITY_LABEL.get(f.severity, f.severity)}】{f.message}" for f in at_cell
    )
    if len(text) <= NOTE_MAX:
        return text
    return text[: NOTE_MAX - len(NOTE_MORE)] + NOTE_MORE


def _own_note_text(note: Any) -> str | None:
    """The text of a note someone else wrote; None where the engine cannot read it."""
    try:
        return str(note.text)
    except NotImplementedError:  # xlwings' remote engine; the desktop engines read it
        return None


def _without_ours(text: str) -> str:
    """A note's text minus what a check wrote in front of it (【错误】… then the separator)."""
    if not text.startswith("【"):
        return text
    return text.split(NOTE_SEPARATOR, 1)[1] if NOTE_SEPARATOR in text else ""


def _note(rng: Any, text: str, previous: Mark | None) -> Mark:
    """Write our note at `rng` without losing a note that staff wrote there."""
    note = rng.note
    if note is None:
        rng.add_note(text)
        return Mark(ADDED)
    if previous is None or previous.mode == LISTED:  # someone else's note, or partly ours
        current = _own_note_text(note)
        if current is None:
            return Mark(KEPT)
        original = current if previous is None else _without_ours(current)
        if not original:
            note.text = text
            return Mark(ADDED)
        merged = f"{text}{NOTE_SEPARATOR}{original}"
        if len(merged) > NOTE_MAX:
            return Mark(KEPT)
        note.text = merged
        return Mark(MERGED, original)
    if previous.mode == KEPT:
        return previous
    if previous.mode == MERGED:
        merged = f"{text}{NOTE_SEPARATOR}{previous.original}"
        if len(merged) > NOTE_MAX:
            note.text = previous.original  # put theirs back whole rather than cut it
            return Mark(KEPT)
        note.text = merged
        return previous
    note.text = text  # ours, from the last run
    return Mark(ADDED)


def _unmark(rng: Any, fill: str | None, previous: Mark) -> None:
    if fill is not None or previous.mode != LISTED:
        rng.color = fill  # a listed cell that is no data cell keeps whatever it has
    note = rng.note
    if note is None or previous.mode == KEPT:
        return
    if previous.mode == LISTED:
        current = _own_note_text(note)
        if current is None or not current.startswith("【"):
            return  # unreadable here, or not ours: left alone
        original = _without_ours(current)
        if original:
            note.text = original
        else:
            note.delete()
    elif previous.mode == MERGED:
        note.text = previous.original
    else:
        note.delete()


def write_results(book: Any, read: ExcelRead, found: list[Finding]) -> None:
    mark, input_fill, total_fill = _template_fills()
    fill_of = {
        cell: (total_fill if ptr in TOTAL_POINTERS else input_fill)
        for ptr, cell in read.cells.items()
    }
    now = marked_cells(found)
    stale = {c: m for c, m in read.marks.items() if c not in now}
    sheets = read.sheets
    touched = {s for s, _ in list(now) + list(stale)}
    marks: dict[Cell, Mark] = {}
    with _unprotected(sheets[s] for s in touched if s in sheets):
        for (sheet_name, cell), previous in stale.items():
            if sheet_name in sheets:
                _unmark(sheets[sheet_name].range(cell), fill_of.get((sheet_name, cell)), previous)
        for (sheet_name, cell), at_cell in now.items():
            rng = sheets[sheet_name].range(cell)
            rng.color = mark
            marks[(sheet_name, cell)] = _note(
                rng, note_text(at_cell), read.marks.get((sheet_name, cell))
            )
    for name in (RESULT_SHEET, MARKS_SHEET):
        if name in sheets:
            sheets.pop(name).delete()
    result = book.sheets.add(RESULT_SHEET, after=list(sheets)[-1])
    result.range("A1").value = result_rows(read.book_name, found)
    for col, width in enumerate(RESULT_WIDTHS, start=1):
        letter = col_letters(col)
        result.range(f"{letter}:{letter}").column_width = width
    message_col = col_letters(RESULT_HEADER.index("说明") + 1)
    result.range(f"{message_col}:{message_col}").wrap_text = True
    if marks:
        sheet = book.sheets.add(MARKS_SHEET, after=RESULT_SHEET)
        block = sheet.range((1, 1), (len(marks), 4))
        block.number_format = "@"  # text stays text: a note reading 2024 or =… comes back as is
        block.value = [[s, c, m.mode, _safe_text(m.original)] for (s, c), m in marks.items()]
        sheet.visible = False
    result.activate()


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
    except _Locked as exc:
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
    import xlwings as xw

    book = xw.Book.caller()
    try:
        run(book)
    except Exception as exc:  # never a traceback box for staff; the details go to the log
        traceback.print_exc(file=sys.stderr)
        _alert(
            book,
            f"校验时出错（{exc.__class__.__name__}：{exc}）。工作簿可能只标记了一部分。"
            "请保存后重新打开再试；如仍出错，请把此提示截图发给技术支持。",
            critical=True,
        )
