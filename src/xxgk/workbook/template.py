"""The Excel template, generated from the format model (no label is typed here).

Every data cell gets a workbook-level defined name equal to its leaf's dotted JSON path; the
readers, the add-in and the tests find cells only through those names. Totals are formulas.
`python tools/regenerate.py` rewrites the committed template and the bundled filled example.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from xxgk.format import model as m
from xxgk.workbook.cellref import col_number

TEMPLATE_VERSION = "xxgk-2021-v1"
VERSION_NAME = "xxgk.template"

SHEET_INFO = "基本信息"
SHEET_OVERVIEW = "总体情况"
SHEET_T2 = "表二"
SHEET_T3 = "表三"
SHEET_T4 = "表四"
SHEET_PROBLEMS = "问题与改进"
SHEET_OTHER = "其他事项"
SHEET_HELP = "填表说明"
SHEETS = (
    SHEET_INFO,
    SHEET_OVERVIEW,
    SHEET_T2,
    SHEET_T3,
    SHEET_T4,
    SHEET_PROBLEMS,
    SHEET_OTHER,
    SHEET_HELP,
)

# -- look -------------------------------------------------------------------------------------
# 宋体 ships with every Chinese Windows (and WPS); LibreOffice substitutes a CJK font.
FONT_NAME = "宋体"
FONT = Font(name=FONT_NAME, size=11)
FONT_BOLD = Font(name=FONT_NAME, size=11, bold=True)
FONT_TITLE = Font(name=FONT_NAME, size=14, bold=True)
FONT_SMALL = Font(name=FONT_NAME, size=10, color="FF595959")
FONT_TEXT = Font(name="仿宋", size=12)
INPUT_FILL = PatternFill("solid", fgColor="FFFFF2CC")  # light yellow: type here
TOTAL_FILL = PatternFill("solid", fgColor="FFE7E6E6")  # grey: computed
HEADER_FILL = PatternFill("solid", fgColor="FFF2F2F2")
BAD_FILL = PatternFill("solid", fgColor="FFFFC7CE")
GOOD_FILL = PatternFill("solid", fgColor="FFE2EFDA")
_THIN = Side(style="thin", color="FF000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TEXT_ALIGN = Alignment(horizontal="left", vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
# Column widths that fit A4 portrait (with 0.5" margins) without scaling: LibreOffice ignores
# "fit to width" when the height is left free, so the sheets must fit on their own.
PORTRAIT_WIDTH = 76
TEXT_FORMAT = "@"

# Data validation bounds.
YEAR_MIN, YEAR_MAX = 2021, 2100
DATE_MIN, DATE_MAX = dt.date(2021, 1, 1), dt.date(2101, 12, 31)
# Fixed timestamp so that the same input always gives the same bytes.
FIXED_TIME = dt.datetime(2021, 1, 1)


def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


@dataclass(frozen=True)
class Validation:
    """One data-validation kind: its rule and the Chinese texts staff see."""

    type: str | None
    operator: str | None = None
    formula1: str | None = None
    formula2: str | None = None
    prompt_title: str = ""
    prompt: str = ""
    error_title: str = ""
    error: str = ""


V_COUNT = Validation(
    "whole",
    "greaterThanOrEqual",
    "0",
    prompt_title="填写件数",
    prompt="请填非负整数。没有的填 0，不要留空，不要填“/”“—”“无”。",
    error_title="只能填非负整数",
    error="这里只能填 0 或正整数（件数）。没有的请填 0。",
)
V_AMOUNT_WAN = Validation(
    "decimal",
    "greaterThanOrEqual",
    "0",
    prompt_title="填写金额（万元）",
    prompt="单位为万元，可有小数，如 26.55。没有的填 0。",
    error_title="只能填非负数",
    error="这里只能填 0 或正数（单位：万元）。没有的请填 0。",
)
V_AMOUNT_YUAN = Validation(
    "decimal",
    "greaterThanOrEqual",
    "0",
    prompt_title="填写金额（元）",
    prompt="单位为元，可有小数。没有收取的填 0。",
    error_title="只能填非负数",
    error="这里只能填 0 或正数（单位：元）。没有的请填 0。",
)
V_YEAR = Validation(
    "whole",
    "between",
    str(YEAR_MIN),
    str(YEAR_MAX),
    prompt_title="填写报告年度",
    prompt="填统计的年度，4 位数字，如 2024。",
    error_title="年度不对",
    error=f"报告年度应为 {YEAR_MIN} 至 {YEAR_MAX} 之间的 4 位数字，如 2024。",
)
V_DATE = Validation(
    "date",
    "between",
    str(_serial(DATE_MIN)),
    str(_serial(DATE_MAX)),
    prompt_title="填写成文日期",
    prompt="报告落款的日期，如 2025-2-13 或 2025/2/13，通常为报告年度的次年。",
    error_title="日期不对",
    error="请填一个真实的日期，如 2025-2-13。",
)
V_POSTCODE = Validation(
    "custom",
    prompt_title="填写邮政编码",
    prompt="6 位数字，如 834600。",
    error_title="邮政编码不对",
    error="邮政编码应为 6 位数字，如 834600。",
)
V_TEXT = Validation(
    None,
    prompt_title="填写正文",
    prompt="在本单元格填写这一段的正文，可留空：生成报告时按表格数字自动撰写。换行按 Alt+Enter。",
)


def _hint(f: m.TextField) -> Validation:
    """A prompt only (no rule) for a free-text cell, from the model's hint."""
    return Validation(None, prompt_title=f"填写{f.label}", prompt=f.hint or f"请填写{f.label}。")


def _postcode_formula(coord: str) -> str:
    # Each of the six characters must be a digit: -MID(x,i,1) is a number only for 0–9.
    digits = ",".join(f"ISNUMBER(-MID({coord},{i},1))" for i in range(1, 7))
    return f"AND(LEN({coord})=6,{digits})"


# -- the layout -------------------------------------------------------------------------------


@dataclass
class Layout:
    """Where every data cell is: dotted path → (sheet, A1 cell), plus the check rows."""

    cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    totals: dict[str, str] = field(default_factory=dict)  # dotted → formula
    balance: dict[str, tuple[str, str]] = field(default_factory=dict)  # column id → cell
    balance_text: dict[str, tuple[str, str]] = field(default_factory=dict)


class _Builder:
    def __init__(self) -> None:
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.layout = Layout()
        self.validations: dict[tuple[str, Validation], list[str]] = {}
        self.notes: list[str] = []  # values changed while prefilling
        self.styles: dict[tuple[Any, ...], Any] = {}

    # generic cell helpers
    def sheet(self, name: str) -> Worksheet:
        ws = self.wb.create_sheet(name)
        ws.sheet_view.showGridLines = name in (SHEET_HELP,)
        return ws

    def style(
        self,
        cell: Any,
        font: Font | None = FONT,
        align: Alignment | None = CENTER,
        border: bool = True,
        fill: PatternFill | None = None,
        protection: Protection | None = None,
        number_format: str | None = None,
    ) -> None:
        """Apply a style combination; each is built once per workbook and then copied.

        Assigning openpyxl style objects hashes them deeply on every cell; copying the
        finished style array keeps building a template in the tens of milliseconds.
        """
        key = (id(font), id(align), border, id(fill), id(protection), number_format)
        cached = self.styles.get(key)
        if cached is not None:
            cell._style = copy(cached)
            return
        if font is not None:
            cell.font = font
        if align is not None:
            cell.alignment = align
        if border:
            cell.border = BORDER
        if fill is not None:
            cell.fill = fill
        if protection is not None:
            cell.protection = protection
        if number_format is not None:
            cell.number_format = number_format
        self.styles[key] = copy(cell._style)

    def put(
        self,
        ws: Worksheet,
        coord: str,
        value: Any,
        font: Font = FONT,
        align: Alignment = CENTER,
        border: bool = True,
        fill: PatternFill | None = None,
    ) -> None:
        cell = ws[coord]
        cell.value = value
        self.style(cell, font, align, border, fill)

    @staticmethod
    def merge(ws: Worksheet, rng: str) -> None:
        """Merge a range whose top-left cell is already styled.

        Every covered cell gets the top-left cell's style, as Excel does when it merges: the
        frame is drawn from each cell's border, and an input range is unlocked throughout.
        """
        mcr = MergedCellRange(ws, rng)
        ws.merged_cells.add(mcr)
        cells = mcr.cells
        row, col = next(cells)
        style = ws.cell(row, col)._style
        for row, col in cells:
            merged = MergedCell(ws, row, col)
            merged._style = copy(style)
            ws._cells[row, col] = merged

    def title(self, ws: Worksheet, text: str, last_col: int, row: int = 1) -> None:
        rng = f"A{row}:{get_column_letter(last_col)}{row}"
        self.put(ws, f"A{row}", text, FONT_TITLE, CENTER, border=False)
        if last_col > 1:
            self.merge(ws, rng)
        ws.row_dimensions[row].height = 30

    def data_cell(
        self, ws: Worksheet, coord: str, leaf: m.Leaf, validation: Validation | None
    ) -> None:
        """An input or total cell for `leaf`, named by its dotted path."""
        total = m.pointer(leaf.path) in _TOTAL_POINTERS
        if leaf.kind in m.NUMERIC_KINDS or leaf.kind == m.YEAR:
            align, font = CENTER, FONT
        elif leaf.kind == m.TEXT and leaf.path not in _SHORT_TEXT:
            align, font = TEXT_ALIGN, FONT_TEXT
        else:
            align, font = LEFT, FONT
        number_format = {
            m.POSTCODE: TEXT_FORMAT,
            m.NAME: TEXT_FORMAT,
            m.TEXT: TEXT_FORMAT,
            m.DATE: DATE_FORMAT,
            m.YEAR: "0",
        }.get(leaf.kind)
        if total:
            self.style(ws[coord], FONT_BOLD, align, True, TOTAL_FILL, LOCKED, number_format)
        else:
            self.style(ws[coord], font, align, True, INPUT_FILL, UNLOCKED, number_format)
            if validation is not None:
                self.validations.setdefault((ws.title, validation), []).append(coord)
        self.layout.cells[leaf.dotted] = (ws.title, coord)

    # the sheets
    def info(self) -> None:
        ws = self.sheet(SHEET_INFO)
        self.title(ws, "政府信息公开工作年度报告　基本信息", 3)
        self.put(ws, "A2", _LEGEND, FONT_SMALL, LEFT, border=False)
        self.merge(ws, "A2:C2")
        ws.row_dimensions[2].height = 30
        for col, text in zip("ABC", ("项目", "填写内容", "说明"), strict=True):
            self.put(ws, f"{col}3", text, FONT_BOLD, CENTER, fill=HEADER_FILL)
        rows: list[tuple[m.Leaf, Validation | None, str]] = [
            (_leaf("year"), V_YEAR, "统计的年度，如 2024"),
            *[
                (_leaf(*f.path), V_POSTCODE if f.path[-1] == "postcode" else _hint(f), f.hint)
                for f in m.AGENCY_FIELDS
            ],
            (_leaf("published_on"), V_DATE, "报告落款日期，如 2025-2-13"),
            (_leaf(*m.LOCAL_NOTICE.path), _hint(m.LOCAL_NOTICE), m.LOCAL_NOTICE.hint),
        ]
        for i, (leaf, validation, hint) in enumerate(rows):
            r = 4 + i
            self.put(ws, f"A{r}", leaf.title, FONT_BOLD, LEFT)
            self.data_cell(ws, f"B{r}", leaf, validation)
            self.put(ws, f"C{r}", hint, FONT_SMALL, LEFT)
            ws.row_dimensions[r].height = 24
        ws.row_dimensions[4 + len(rows) - 1].height = 48
        ws.column_dimensions["A"].width = 14
        ws.column_dimensions["B"].width = 46
        ws.column_dimensions["C"].width = 44
        self.finish(ws, landscape=False)

    def narrative(
        self, ws: Worksheet, heading: str, fields: Iterable[m.TextField], row: int
    ) -> int:
        self.title(ws, heading, 1, row)
        ws.column_dimensions["A"].width = PORTRAIT_WIDTH
        r = row + 1
        for f in fields:
            self.put(ws, f"A{r}", f.label, FONT_BOLD, LEFT, border=False)
            ws.row_dimensions[r].height = 22
            self.data_cell(ws, f"A{r + 1}", _leaf(*f.path), V_TEXT)
            ws.row_dimensions[r + 1].height = 170
            r += 2
        return r

    def overview(self) -> None:
        ws = self.sheet(SHEET_OVERVIEW)
        self.narrative(ws, m.SECTIONS[0].heading, m.OVERVIEW_PARTS, 1)
        self.finish(ws, landscape=False)

    def problems(self) -> None:
        ws = self.sheet(SHEET_PROBLEMS)
        self.narrative(ws, m.SECTIONS[4].heading, (m.PROBLEMS, m.IMPROVEMENTS), 1)
        self.finish(ws, landscape=False)

    def other(self) -> None:
        ws = self.sheet(SHEET_OTHER)
        self.title(ws, m.SECTIONS[5].heading, 2)
        fees_title = m.OBJECT_TITLES[m.PROCESSING_FEE_NOTICES.path[:-1]]
        self.put(ws, "A2", f"{fees_title}（依据{m.FEE_MEASURES}）", FONT_BOLD, LEFT)
        self.merge(ws, "A2:B2")
        ws.row_dimensions[2].height = 24
        for r, f, v in (
            (3, m.PROCESSING_FEE_NOTICES, V_COUNT),
            (4, m.PROCESSING_FEE_AMOUNT, V_AMOUNT_YUAN),
        ):
            self.put(ws, f"A{r}", f.label, FONT, LEFT)
            self.data_cell(ws, f"B{r}", _leaf(*f.path), v)
            ws.row_dimensions[r].height = 22
        self.put(ws, "A6", m.OTHER_TEXT.label, FONT_BOLD, LEFT, border=False)
        self.data_cell(ws, "A7", _leaf(*m.OTHER_TEXT.path), V_TEXT)
        self.merge(ws, "A7:B7")
        ws.row_dimensions[7].height = 220
        ws.column_dimensions["A"].width = PORTRAIT_WIDTH - 18
        ws.column_dimensions["B"].width = 18
        self.finish(ws, landscape=False)

    def table2(self) -> None:
        ws = self.sheet(SHEET_T2)
        width = 1 + max(len(b.columns) for b in m.TABLE2_BLOCKS)
        last = get_column_letter(width)
        self.title(ws, m.SECTIONS[1].heading, width)
        r = 2
        for block in m.TABLE2_BLOCKS:
            self.put(ws, f"A{r}", block.title, FONT_BOLD, CENTER, fill=HEADER_FILL)
            self.merge(ws, f"A{r}:{last}{r}")
            r += 1
            self.put(ws, f"A{r}", m.TABLE2_CONTENT_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL)
            spans = _spans(len(block.columns), width - 1)
            for col, (start, end) in zip(block.columns, spans, strict=True):
                self.put(ws, f"{start}{r}", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
                if start != end:
                    self.merge(ws, f"{start}{r}:{end}{r}")
            ws.row_dimensions[r].height = 30
            r += 1
            validation = V_AMOUNT_WAN if block.decimal else V_COUNT
            for row in block.rows:
                self.put(ws, f"A{r}", row.label, FONT, CENTER)
                for col, (start, end) in zip(block.columns, spans, strict=True):
                    leaf = _leaf(*m.TABLE2_ROOT, *row.path, col.id)
                    self.data_cell(ws, f"{start}{r}", leaf, validation)
                    if start != end:
                        self.merge(ws, f"{start}{r}:{end}{r}")
                ws.row_dimensions[r].height = 22
                r += 1
        ws.column_dimensions["A"].width = 22
        for i in range(2, width + 1):
            ws.column_dimensions[get_column_letter(i)].width = 18
        self.finish(ws, landscape=False)

    def table3(self) -> None:
        ws = self.sheet(SHEET_T3)
        ncols = len(m.APPLICANT_COLUMNS)
        first = 4  # column D: the first applicant column
        last = first + ncols - 1
        letter = {c.id: get_column_letter(first + i) for i, c in enumerate(m.APPLICANT_COLUMNS)}
        L = get_column_letter
        self.title(ws, m.SECTIONS[2].heading, last)
        # header rows 2–4
        self.put(ws, "A2", m.TABLE3_CORNER, FONT_BOLD, CENTER, fill=HEADER_FILL)
        self.merge(ws, "A2:C4")
        self.put(ws, f"{L(first)}2", m.TABLE3_APPLICANT_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL)
        self.merge(ws, f"{L(first)}2:{L(last)}2")
        natural, total = m.APPLICANT_COLUMNS[0], m.APPLICANT_COLUMNS[-1]
        for col in (natural, total):
            c = letter[col.id]
            self.put(ws, f"{c}3", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
            self.merge(ws, f"{c}3:{c}4")
        legal = [letter[c.id] for c in m.LEGAL_PERSON_COLUMNS]
        self.put(
            ws, f"{legal[0]}3", m.TABLE3_LEGAL_PERSON_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL
        )
        self.merge(ws, f"{legal[0]}3:{legal[-1]}3")
        for col in m.LEGAL_PERSON_COLUMNS:
            self.put(ws, f"{letter[col.id]}4", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
        ws.row_dimensions[2].height = 22
        ws.row_dimensions[3].height = 22
        ws.row_dimensions[4].height = 36
        # data rows
        top = 5
        row_at = {row.path: top + i for i, row in enumerate(m.TABLE3_ROWS)}
        results = [row for row in m.TABLE3_ROWS if row.path[0] == "results"]
        r0, r1 = row_at[results[0].path], row_at[results[-1].path]
        self.put(ws, f"A{r0}", m.TABLE3_RESULTS_GROUP, FONT_BOLD, CENTER)
        self.merge(ws, f"A{r0}:A{r1}")
        groups: dict[str, list[int]] = {}
        for row in m.TABLE3_ROWS:
            r = row_at[row.path]
            if row.path[0] != "results":
                self.put(ws, f"A{r}", row.label, FONT_BOLD, LEFT)
                self.merge(ws, f"A{r}:C{r}")
            elif row.group is None:
                self.put(ws, f"B{r}", row.label, FONT_BOLD if row.short else FONT, LEFT)
                self.merge(ws, f"B{r}:C{r}")
            else:
                groups.setdefault(row.group, []).append(r)
                self.put(ws, f"C{r}", row.label, FONT, LEFT)
            ws.row_dimensions[r].height = 30 if len(row.label) > 28 else 20
            for col in m.APPLICANT_COLUMNS:
                leaf = _leaf(*m.TABLE3_ROOT, *row.path, col.id)
                self.data_cell(ws, f"{letter[col.id]}{r}", leaf, V_COUNT)
        for label, rows in groups.items():
            self.put(ws, f"B{rows[0]}", label, FONT, CENTER)
            self.merge(ws, f"B{rows[0]}:B{rows[-1]}")
        # the live balance check (rule 1), under the table
        rule = next(a for a in m.ARITHMETIC if a.code == "T3_BALANCE")
        check = row_at[m.TABLE3_CARRIED_FORWARD.path] + 1
        left = "＋".join(m.ROW_BY_PATH[m.TABLE3_ROOT + p].term for p in rule.left)
        right = "－".join(m.ROW_BY_PATH[m.TABLE3_ROOT + p].term for p in rule.right)
        self.put(
            ws,
            f"A{check}",
            f"勾稽关系核对：{left}－{right}（应为 0）",
            FONT_BOLD,
            LEFT,
            fill=HEADER_FILL,
        )
        self.merge(ws, f"A{check}:C{check}")
        self.put(ws, f"A{check + 1}", "核对结果", FONT_BOLD, LEFT, fill=HEADER_FILL)
        self.merge(ws, f"A{check + 1}:C{check + 1}")
        for col in m.APPLICANT_COLUMNS:
            c = letter[col.id]
            plus = "+".join(f"{c}{row_at[p]}" for p in rule.left)
            minus = "-".join(f"{c}{row_at[p]}" for p in rule.right)
            self.put(ws, f"{c}{check}", f"={plus}-{minus}", FONT_BOLD, CENTER, fill=TOTAL_FILL)
            self.put(
                ws,
                f"{c}{check + 1}",
                f'=IF({c}{check}=0,"平衡","不平衡")',
                FONT_BOLD,
                CENTER,
                fill=TOTAL_FILL,
            )
            self.layout.balance[col.id] = (ws.title, f"{c}{check}")
            self.layout.balance_text[col.id] = (ws.title, f"{c}{check + 1}")
        rng = f"{L(first)}{check}:{L(last)}{check + 1}"
        anchor = f"{L(first)}${check}"
        ws.conditional_formatting.add(
            rng, FormulaRule(formula=[f"{anchor}<>0"], fill=BAD_FILL, font=Font(color="FF9C0006"))
        )
        ws.conditional_formatting.add(rng, FormulaRule(formula=[f"{anchor}=0"], fill=GOOD_FILL))
        note = check + 2
        self.put(ws, f"A{note}", _T3_NOTE, FONT_SMALL, LEFT, border=False)
        self.merge(ws, f"A{note}:{L(last)}{note}")
        ws.row_dimensions[note].height = 30
        ws.column_dimensions["A"].width = 7
        ws.column_dimensions["B"].width = 9
        ws.column_dimensions["C"].width = 46
        for i in range(first, last + 1):
            ws.column_dimensions[L(i)].width = 10
        ws.print_title_rows = "1:4"
        ws.freeze_panes = f"D{top}"
        self.finish(ws, landscape=True)

    def table4(self) -> None:
        ws = self.sheet(SHEET_T4)
        n = len(m.REVIEW_COLUMNS)
        last = n * len(m.TABLE4_GROUPS)
        L = get_column_letter
        self.title(ws, m.SECTIONS[3].heading, last)
        review, *litigation = m.TABLE4_GROUPS
        self.put(ws, "A2", m.TABLE4_REVIEW_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL)
        self.merge(ws, f"A2:{L(n)}2")
        self.put(
            ws, f"{L(n + 1)}2", m.TABLE4_LITIGATION_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL
        )
        self.merge(ws, f"{L(n + 1)}2:{L(last)}2")
        for i, col in enumerate(m.REVIEW_COLUMNS):
            c = L(1 + i)
            self.put(ws, f"{c}3", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
            self.merge(ws, f"{c}3:{c}4")
        for g, group in enumerate(litigation, start=1):
            start = 1 + g * n
            self.put(ws, f"{L(start)}3", group.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
            self.merge(ws, f"{L(start)}3:{L(start + n - 1)}3")
            for i, col in enumerate(m.REVIEW_COLUMNS):
                self.put(ws, f"{L(start + i)}4", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
        for g, group in enumerate((review, *litigation)):
            for i, col in enumerate(m.REVIEW_COLUMNS):
                leaf = _leaf(*m.TABLE4_ROOT, group.id, col.id)
                self.data_cell(ws, f"{L(1 + g * n + i)}5", leaf, V_COUNT)
        for r, h in ((2, 22), (3, 30), (4, 30), (5, 26)):
            ws.row_dimensions[r].height = h
        for i in range(1, last + 1):
            ws.column_dimensions[L(i)].width = 9
        ws.print_title_rows = "1:4"
        self.finish(ws, landscape=True)

    def help(self) -> None:
        ws = self.sheet(SHEET_HELP)
        self.title(ws, "填表说明", 1)
        ws.column_dimensions["A"].width = PORTRAIT_WIDTH
        for i, text in enumerate(_help_lines(), start=2):
            heading = text[:2] in ("一、", "二、", "三、")
            self.put(ws, f"A{i}", text, FONT_BOLD if heading else FONT, LEFT, border=False)
            ws.row_dimensions[i].height = 18 * (1 + len(text) // 42)  # ~42 CJK chars a line
        self.finish(ws, landscape=False)

    # formulas, validations, names, protection
    def totals(self) -> None:
        for check in m.checks():
            if not check.computes_left:
                continue
            dotted = ".".join(check.left[0])
            if dotted in self.layout.totals:
                continue  # （七）总计's own total is computed once, from its row
            sheet, coord = self.layout.cells[dotted]
            parts = [self.layout.cells[".".join(p)] for p in check.right]
            assert all(s == sheet for s, _ in parts), "a total sums cells of its own sheet"
            formula = "=" + _sum_formula([c for _, c in parts])
            self.wb[sheet][coord].value = formula
            self.layout.totals[dotted] = formula

    def add_validations(self) -> None:
        for (sheet, v), coords in self.validations.items():
            ws = self.wb[sheet]
            if v is V_POSTCODE:
                formulas = [([c], _postcode_formula(c)) for c in coords]
            else:
                formulas = [(coords, v.formula1)]
            for sqref, f1 in formulas:
                dv = DataValidation(
                    type=v.type,
                    operator=v.operator,
                    formula1=f1,
                    formula2=v.formula2,
                    allow_blank=True,
                    showInputMessage=bool(v.prompt),
                    showErrorMessage=v.type is not None,
                    promptTitle=v.prompt_title or None,
                    prompt=v.prompt or None,
                    errorTitle=v.error_title or None,
                    error=v.error or None,
                    errorStyle="stop" if v.type else None,
                    sqref=_ranges(sqref),
                )
                ws.add_data_validation(dv)

    def names(self) -> None:
        for dotted, (sheet, coord) in self.layout.cells.items():
            col, row = _split(coord)
            ref = f"{quote_sheetname(sheet)}!${col}${row}"
            self.wb.defined_names[dotted] = DefinedName(dotted, attr_text=ref)
        self.wb.defined_names[VERSION_NAME] = DefinedName(
            VERSION_NAME, attr_text=f'"{TEMPLATE_VERSION}"'
        )

    @staticmethod
    def finish(ws: Worksheet, landscape: bool) -> None:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        # The landscape tables print on one page each, like the official tables.
        ws.page_setup.fitToHeight = 1 if landscape else 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        # Protected against accidental edits of labels and formulas; no password, so staff
        # can lift it (审阅 → 撤销工作表保护). Resizing rows and columns stays allowed.
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False


_LEGEND = "黄色单元格请填写；灰色单元格为自动计算的合计，已锁定。数字没有的请填 0，不要留空。"
_T3_NOTE = (
    "说明：每列都应满足“一＋二＝（七）总计＋四”。上面的核对行不为 0 时变红并显示“不平衡”，"
    "请检查该列的数字。总计列与（七）总计行自动计算。"
)
_SHORT_TEXT = {m.LOCAL_NOTICE.path}


def _help_lines() -> list[str]:
    t3 = m.SECTIONS[2].heading
    return [
        f"本工作簿用于填写{m.FORMAT_NOTICE}规定格式的政府信息公开工作年度报告。",
        f"模板版本：{TEMPLATE_VERSION}（格式 {m.FORMAT_ID}）。",
        "",
        "一、怎么填",
        "1. 黄色单元格由填表人填写；灰色单元格是自动计算的合计（公式），已锁定，无需也不能填写。",
        "2. 表格中的数字：没有的请填 0，不要留空，不要填“/”“—”“无”等文字。"
        "件数只能填非负整数；表二「行政事业性收费」的金额单位为万元，可有小数；"
        "信息处理费金额单位为元。",
        "3. 总计列和（七）总计行会自动计算，不要在其中输入数字。",
        f"4. {t3}（表三）下方有“勾稽关系核对”行，按列计算 一＋二－（七）总计－四，"
        "每列都应为 0 并显示“平衡”；变红并显示“不平衡”时，请检查该列。",
        "5. 文字段落各填在对应的大单元格中；可以留空，生成报告时会按表格数字自动撰写该段。"
        "单元格内换行按 Alt+Enter。",
        "6. 基本信息：成文日期请填真实日期（如 2025-2-13）；邮政编码为 6 位数字；"
        "报告年度为 4 位数字。",
        "7. 请勿改动工作表名称，勿插入或删除行列，勿删除“名称管理器”中的名称，否则程序无法读取。",
        "8. 各工作表已设保护（无密码），只为防止误改表头和公式；"
        "如确需修改，可在“审阅”中撤销工作表保护。",
        "",
        "二、怎么检查",
        "1. 安装 xxgk 加载项后，点击功能区的「校验」按钮："
        "每个有问题的单元格都会标出，并附中文说明。",
        "2. 没有加载项时（如使用 WPS 或 Mac），可在命令行运行：xxgk validate 本文件.xlsx，"
        "列出全部问题及所在单元格；xxgk validate --annotate 输出目录 本文件.xlsx "
        "会另存一份把问题单元格标红并附批注的副本（原文件不会被修改）。",
        "3. 也可以直接把工作簿交给汇总单位，由其批量校验和转换。",
        "",
        "三、生成报告",
        "在命令行运行 xxgk convert 本文件.xlsx -o 输出文件夹 --to docx,html,json，"
        "可生成 Word 文稿、网页和数据文件。",
    ]


# -- helpers ----------------------------------------------------------------------------------

_TOTAL_POINTERS = {m.pointer(p) for p in m.total_paths()}
_LEAF_BY_PATH = {leaf.path: leaf for leaf in m.leaves()}


def _leaf(*path: str) -> m.Leaf:
    return _LEAF_BY_PATH[tuple(path)]


def _split(coord: str) -> tuple[str, int]:
    letters = coord.rstrip("0123456789")
    return letters, int(coord[len(letters) :])


def _spans(n: int, width: int) -> list[tuple[str, str]]:
    """Columns B.. split into n spans covering `width` columns (one column → one wide cell)."""
    if n == width:
        return [(get_column_letter(2 + i),) * 2 for i in range(n)]  # type: ignore[misc]
    assert n == 1, "a block of table 二 has either one column or the full width"
    return [("B", get_column_letter(1 + width))]


def _sum_formula(coords: list[str]) -> str:
    """SUM over the cells, as one range when they are contiguous in a row or a column."""
    split = [_split(c) for c in coords]
    cols = {c for c, _ in split}
    rows = [r for _, r in split]
    if len(cols) == 1 and rows == list(range(rows[0], rows[0] + len(rows))):
        return f"SUM({coords[0]}:{coords[-1]})"
    nums = [col_number(c) for c, _ in split]
    if len(set(rows)) == 1 and nums == list(range(nums[0], nums[0] + len(nums))):
        return f"SUM({coords[0]}:{coords[-1]})"
    return f"SUM({','.join(coords)})"


def _ranges(coords: list[str]) -> str:
    """Cells as few rectangular ranges (runs along rows, stacked when rows repeat the run)."""
    runs: list[list[int]] = []  # [min_col, max_col, min_row, max_row]
    cells = sorted(((r, col_number(c)) for c, r in map(_split, coords)))
    for row, col in cells:
        last = runs[-1] if runs else None
        if last and last[3] == row and last[1] == col - 1:
            last[1] = col
        else:
            runs.append([col, col, row, row])
    stacked: list[list[int]] = []
    for run in runs:
        prev = next((s for s in stacked if s[:2] == run[:2] and s[3] == run[2] - 1), None)
        if prev:
            prev[3] = run[3]
        else:
            stacked.append(run)
    out = []
    for c0, c1, r0, r1 in stacked:
        a, b = f"{get_column_letter(c0)}{r0}", f"{get_column_letter(c1)}{r1}"
        out.append(a if a == b else f"{a}:{b}")
    return " ".join(out)


def _build(agency: str | None, year: int | None, data: dict[str, Any] | None) -> _Builder:
    b = _Builder()
    b.info()
    b.overview()
    b.table2()
    b.table3()
    b.table4()
    b.problems()
    b.other()
    b.help()
    b.totals()
    b.add_validations()
    b.names()
    b.wb.active = 0
    props = b.wb.properties
    props.creator = "xxgk"
    props.title = "政府信息公开工作年度报告"
    props.created = FIXED_TIME
    if data is not None:
        from xxgk.workbook.fill import fill_cells

        b.notes = fill_cells(b.wb, b.layout, data)
    prefill: dict[str, Any] = {}
    if agency is not None:
        prefill["agency.name"] = agency
    if year is not None:
        prefill["year"] = year
    if prefill:
        from xxgk.workbook.fill import write_value

        for dotted, value in prefill.items():
            sheet, coord = b.layout.cells[dotted]
            write_value(b.wb[sheet][coord], _LEAF_BY_DOTTED[dotted], value)
    return b


_LEAF_BY_DOTTED = {leaf.dotted: leaf for leaf in m.leaves()}


def build_template(
    agency: str | None = None, year: int | None = None, data: dict[str, Any] | None = None
) -> Workbook:
    """A fresh template; with `data`, every cell prefilled from that report.

    Totals stay formulas; text that starts with `=` stays text.
    """
    return _build(agency, year, data).wb


def build_filled(data: dict[str, Any]) -> tuple[Workbook, list[str]]:
    """A template filled from `data`, and notes on values that had to be changed to fit."""
    b = _build(None, None, data)
    return b.wb, b.notes


_LAYOUT: Layout | None = None


def layout() -> Layout:
    """Where every data cell of the template is (the same for every generated workbook)."""
    global _LAYOUT
    if _LAYOUT is None:
        _LAYOUT = _build(None, None, None).layout
    return _LAYOUT


# -- saving -----------------------------------------------------------------------------------


def workbook_bytes(wb: Workbook) -> bytes:
    """The xlsx bytes, with fixed timestamps: the same workbook always gives the same bytes."""
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fixed_core(data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()


def _fixed_core(xml: bytes) -> bytes:
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", xml)
