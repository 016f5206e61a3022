"""The template's text sheets: 基本信息, 总体情况, 问题与改进, 其他事项 and 填表说明."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.worksheet.worksheet import Worksheet

from xxgk.format import model as m
from xxgk.workbook.sheets import (
    SHEET_HELP,
    SHEET_INFO,
    SHEET_OTHER,
    SHEET_OVERVIEW,
    SHEET_PROBLEMS,
    TEMPLATE_VERSION,
)
from xxgk.workbook.style import (
    CENTER,
    FONT,
    FONT_BOLD,
    FONT_SMALL,
    HEADER_FILL,
    LEFT,
    PORTRAIT_WIDTH,
)
from xxgk.workbook.validation import (
    V_AMOUNT_YUAN,
    V_COUNT,
    V_DATE,
    V_POSTCODE,
    V_TEXT,
    V_YEAR,
    Validation,
    hint,
)
from xxgk.workbook.writer import SheetWriter
from xxgk.workbook.writer import leaf as leaf_at

_LEGEND = "黄色单元格请填写；灰色单元格为自动计算的合计，已锁定。数字没有的请填 0，不要留空。"


def info(w: SheetWriter) -> None:
    ws = w.sheet(SHEET_INFO)
    w.title(ws, "政府信息公开工作年度报告　基本信息", 3)
    w.put(ws, "A2", _LEGEND, FONT_SMALL, LEFT, border=False)
    w.merge(ws, "A2:C2")
    ws.row_dimensions[2].height = 30
    for col, text in zip("ABC", ("项目", "填写内容", "说明"), strict=True):
        w.put(ws, f"{col}3", text, FONT_BOLD, CENTER, fill=HEADER_FILL)
    rows: list[tuple[m.Leaf, Validation | None, str]] = [
        (leaf_at("year"), V_YEAR, "统计的年度，如 2024"),
        *[
            (leaf_at(*f.path), V_POSTCODE if f.path[-1] == "postcode" else hint(f), f.hint)
            for f in (*m.AGENCY_FIELDS, m.AGENCY_EMAIL, m.AGENCY_WEBSITE)
        ],
        (leaf_at("published_on"), V_DATE, "报告落款日期，如 2025-2-13"),
        *[(leaf_at(*f.path), hint(f), f.hint) for f in (m.LOCAL_NOTICE, m.REPORT_URL, m.PREAMBLE)],
    ]
    tall = {m.LOCAL_NOTICE.path: 48, m.PREAMBLE.path: 150}
    for i, (leaf, validation, explained) in enumerate(rows):
        r = 4 + i
        w.put(ws, f"A{r}", leaf.title, FONT_BOLD, LEFT)
        w.data_cell(ws, f"B{r}", leaf, validation)
        w.put(ws, f"C{r}", explained, FONT_SMALL, LEFT)
        ws.row_dimensions[r].height = tall.get(leaf.path, 24)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 46
    ws.column_dimensions["C"].width = 44
    w.finish(ws, landscape=False)


_HEADING_LABEL = "自拟小标题（可不填）"
_HEADING_COLUMN = 20  # width of column A; the text cells span A:B


def narrative(
    w: SheetWriter, ws: Worksheet, heading: str, fields: Iterable[m.TextField], row: int
) -> int:
    """Each part: its label, the agency's own sub-heading (contract 1.1, may stay blank) and
    the text cell."""
    w.title(ws, heading, 2, row)
    ws.column_dimensions["A"].width = _HEADING_COLUMN
    ws.column_dimensions["B"].width = PORTRAIT_WIDTH - _HEADING_COLUMN
    r = row + 1
    for f in fields:
        w.put(ws, f"A{r}", f.label, FONT_BOLD, LEFT, border=False)
        ws.row_dimensions[r].height = 22
        r += 1
        if f in m.HEADED_PARTS:
            w.put(ws, f"A{r}", _HEADING_LABEL, FONT_SMALL, LEFT)
            own = m.heading_leaf(f)
            w.data_cell(ws, f"B{r}", own, hint(m.TextField(own.path, own.title, _HEADING_HINT)))
            ws.row_dimensions[r].height = 22
            r += 1
        w.data_cell(ws, f"A{r}", leaf_at(*f.path), V_TEXT)
        w.merge(ws, f"A{r}:B{r}")
        ws.row_dimensions[r].height = 170
        r += 1
    return r


_HEADING_HINT = (
    "报告中用本机关自拟的小标题代替标准小标题，序号（一）（二）……照旧。不填则用标准小标题。"
)


def overview(w: SheetWriter) -> None:
    ws = w.sheet(SHEET_OVERVIEW)
    narrative(w, ws, m.SECTIONS[0].heading, m.OVERVIEW_PARTS, 1)
    w.finish(ws, landscape=False)


def problems(w: SheetWriter) -> None:
    ws = w.sheet(SHEET_PROBLEMS)
    narrative(w, ws, m.SECTIONS[4].heading, (m.PROBLEMS, m.IMPROVEMENTS), 1)
    w.finish(ws, landscape=False)


def other(w: SheetWriter) -> None:
    ws = w.sheet(SHEET_OTHER)
    w.title(ws, m.SECTIONS[5].heading, 2)
    fees_title = m.OBJECT_TITLES[m.PROCESSING_FEE_NOTICES.path[:-1]]
    w.put(ws, "A2", f"{fees_title}（依据{m.FEE_MEASURES}）", FONT_BOLD, LEFT)
    w.merge(ws, "A2:B2")
    ws.row_dimensions[2].height = 24
    for r, f, v in (
        (3, m.PROCESSING_FEE_NOTICES, V_COUNT),
        (4, m.PROCESSING_FEE_AMOUNT, V_AMOUNT_YUAN),
    ):
        w.put(ws, f"A{r}", f.label, FONT, LEFT)
        w.data_cell(ws, f"B{r}", leaf_at(*f.path), v)
        ws.row_dimensions[r].height = 22
    w.put(ws, "A6", m.OTHER_TEXT.label, FONT_BOLD, LEFT, border=False)
    w.data_cell(ws, "A7", leaf_at(*m.OTHER_TEXT.path), V_TEXT)
    w.merge(ws, "A7:B7")
    ws.row_dimensions[7].height = 220
    ws.column_dimensions["A"].width = PORTRAIT_WIDTH - 18
    ws.column_dimensions["B"].width = 18
    w.finish(ws, landscape=False)


def help_sheet(w: SheetWriter) -> None:
    ws = w.sheet(SHEET_HELP)
    w.title(ws, "填表说明", 1)
    ws.column_dimensions["A"].width = PORTRAIT_WIDTH
    for i, text in enumerate(_help_lines(), start=2):
        heading = text[:2] in ("一、", "二、", "三、")
        w.put(ws, f"A{i}", text, FONT_BOLD if heading else FONT, LEFT, border=False)
        ws.row_dimensions[i].height = 18 * (1 + len(text) // 42)  # ~42 CJK chars a line
    w.finish(ws, landscape=False)


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
        "3. 总计列和（七）总计行会自动计算，不要在其中输入数字。"
        "本年度没有收到政府信息公开申请的，在表三下方「本年度没有收到政府信息公开申请？」处选“是”，"
        "表三留空的单元格即按 0 计。",
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
