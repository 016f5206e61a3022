"""The template's table sheets 表二, 表三 and 表四, with the official merged headers."""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.workbook.sheets import NO_REQUESTS_LABEL, SHEET_T2, SHEET_T3, SHEET_T4
from xxgk.workbook.style import (
    BAD_FILL,
    CENTER,
    FONT,
    FONT_BOLD,
    FONT_SMALL,
    GOOD_FILL,
    HEADER_FILL,
    INPUT_FILL,
    LEFT,
    TOTAL_FILL,
    UNLOCKED,
)
from xxgk.workbook.validation import V_AMOUNT_WAN, V_COUNT, V_YES_NO
from xxgk.workbook.writer import SheetWriter
from xxgk.workbook.writer import leaf as leaf_at

# What the in-sheet check says of a column with text in a count cell (instead of #VALUE!).
_NOT_A_NUMBER = "请输入数字"
_T3_NOTE = (
    "说明：每列都应满足“一＋二＝（七）总计＋四”。上面的核对行不为 0 时变红并显示“不平衡”，"
    "请检查该列的数字。总计列与（七）总计行自动计算。"
)


def table2(w: SheetWriter) -> None:
    ws = w.sheet(SHEET_T2)
    width = 1 + max(len(b.columns) for b in m.TABLE2_BLOCKS)
    last = get_column_letter(width)
    w.title(ws, m.SECTIONS[1].heading, width)
    r = 2
    for block in m.TABLE2_BLOCKS:
        w.put(ws, f"A{r}", block.title, FONT_BOLD, CENTER, fill=HEADER_FILL)
        w.merge(ws, f"A{r}:{last}{r}")
        r += 1
        w.put(ws, f"A{r}", m.TABLE2_CONTENT_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL)
        spans = _spans(len(block.columns), width - 1)
        for col, (start, end) in zip(block.columns, spans, strict=True):
            w.put(ws, f"{start}{r}", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
            if start != end:
                w.merge(ws, f"{start}{r}:{end}{r}")
        ws.row_dimensions[r].height = 30
        r += 1
        validation = V_AMOUNT_WAN if block.decimal else V_COUNT
        for row in block.rows:
            w.put(ws, f"A{r}", row.label, FONT, CENTER)
            for col, (start, end) in zip(block.columns, spans, strict=True):
                leaf = leaf_at(*m.TABLE2_ROOT, *row.path, col.id)
                w.data_cell(ws, f"{start}{r}", leaf, validation)
                if start != end:
                    w.merge(ws, f"{start}{r}:{end}{r}")
            ws.row_dimensions[r].height = 22
            r += 1
    ws.column_dimensions["A"].width = 22
    for i in range(2, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 18
    w.finish(ws, landscape=False)


def table3(w: SheetWriter) -> None:
    ws = w.sheet(SHEET_T3)
    ncols = len(m.APPLICANT_COLUMNS)
    first = 4  # column D: the first applicant column
    last = first + ncols - 1
    letter = {c.id: get_column_letter(first + i) for i, c in enumerate(m.APPLICANT_COLUMNS)}
    L = get_column_letter
    w.title(ws, m.SECTIONS[2].heading, last)
    # header rows 2–4
    w.put(ws, "A2", m.TABLE3_CORNER, FONT_BOLD, CENTER, fill=HEADER_FILL)
    w.merge(ws, "A2:C4")
    w.put(ws, f"{L(first)}2", m.TABLE3_APPLICANT_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL)
    w.merge(ws, f"{L(first)}2:{L(last)}2")
    natural, total = m.APPLICANT_COLUMNS[0], m.APPLICANT_COLUMNS[-1]
    for col in (natural, total):
        c = letter[col.id]
        w.put(ws, f"{c}3", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
        w.merge(ws, f"{c}3:{c}4")
    legal = [letter[c.id] for c in m.LEGAL_PERSON_COLUMNS]
    w.put(
        ws, f"{legal[0]}3", m.TABLE3_LEGAL_PERSON_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL
    )
    w.merge(ws, f"{legal[0]}3:{legal[-1]}3")
    for col in m.LEGAL_PERSON_COLUMNS:
        w.put(ws, f"{letter[col.id]}4", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
    ws.row_dimensions[2].height = 22
    ws.row_dimensions[3].height = 22
    ws.row_dimensions[4].height = 36
    # data rows
    top = 5
    row_at = {row.path: top + i for i, row in enumerate(m.TABLE3_ROWS)}
    results = [row for row in m.TABLE3_ROWS if row.path[0] == "results"]
    r0, r1 = row_at[results[0].path], row_at[results[-1].path]
    w.put(ws, f"A{r0}", m.TABLE3_RESULTS_GROUP, FONT_BOLD, CENTER)
    w.merge(ws, f"A{r0}:A{r1}")
    groups: dict[str, list[int]] = {}
    for row in m.TABLE3_ROWS:
        r = row_at[row.path]
        if row.path[0] != "results":
            w.put(ws, f"A{r}", row.label, FONT_BOLD, LEFT)
            w.merge(ws, f"A{r}:C{r}")
        elif row.group is None:
            w.put(ws, f"B{r}", row.label, FONT_BOLD if row.short else FONT, LEFT)
            w.merge(ws, f"B{r}:C{r}")
        else:
            groups.setdefault(row.group, []).append(r)
            w.put(ws, f"C{r}", row.label, FONT, LEFT)
        ws.row_dimensions[r].height = 30 if len(row.label) > 28 else 20
        for col in m.APPLICANT_COLUMNS:
            leaf = leaf_at(*m.TABLE3_ROOT, *row.path, col.id)
            w.data_cell(ws, f"{letter[col.id]}{r}", leaf, V_COUNT)
    for label, rows in groups.items():
        w.put(ws, f"B{rows[0]}", label, FONT, CENTER)
        w.merge(ws, f"B{rows[0]}:B{rows[-1]}")
    # the live balance check (rule 1), under the table
    rule = next(a for a in ar.ARITHMETIC if a.code == "T3_BALANCE")
    check = row_at[m.TABLE3_CARRIED_FORWARD.path] + 1
    left = "＋".join(m.ROW_BY_PATH[m.TABLE3_ROOT + p].term for p in rule.left)
    right = "－".join(m.ROW_BY_PATH[m.TABLE3_ROOT + p].term for p in rule.right)
    w.put(
        ws,
        f"A{check}",
        f"勾稽关系核对：{left}－{right}（应为 0）",
        FONT_BOLD,
        LEFT,
        fill=HEADER_FILL,
    )
    w.merge(ws, f"A{check}:C{check}")
    w.put(ws, f"A{check + 1}", "核对结果", FONT_BOLD, LEFT, fill=HEADER_FILL)
    w.merge(ws, f"A{check + 1}:C{check + 1}")
    top, bottom = row_at[m.TABLE3_NEW.path], row_at[m.TABLE3_CARRIED_FORWARD.path]
    for col in m.APPLICANT_COLUMNS:
        c = letter[col.id]
        # N(): a count typed as text (５, "3") is no number, and must not make the row #VALUE!
        plus = "+".join(f"N({c}{row_at[p]})" for p in rule.left)
        minus = "-".join(f"N({c}{row_at[p]})" for p in rule.right)
        w.put(ws, f"{c}{check}", f"={plus}-{minus}", FONT_BOLD, CENTER, fill=TOTAL_FILL)
        column = f"{c}{top}:{c}{bottom}"
        w.put(
            ws,
            f"{c}{check + 1}",
            f'=IF(COUNT({column})<COUNTA({column}),"{_NOT_A_NUMBER}",'
            f'IF({c}{check}=0,"平衡","不平衡"))',
            FONT_BOLD,
            CENTER,
            fill=TOTAL_FILL,
        )
        w.layout.balance[col.id] = (ws.title, f"{c}{check}")
        w.layout.balance_text[col.id] = (ws.title, f"{c}{check + 1}")
    rng = f"{L(first)}{check}:{L(last)}{check + 1}"
    anchor = f"{L(first)}${check}"
    first_column = f"{L(first)}${top}:{L(first)}${bottom}"
    text_typed = f"COUNT({first_column})<COUNTA({first_column})"
    ws.conditional_formatting.add(
        rng,
        FormulaRule(
            formula=[f"OR({anchor}<>0,{text_typed})"], fill=BAD_FILL, font=Font(color="FF9C0006")
        ),
    )
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f"{anchor}=0"], fill=GOOD_FILL))
    note = check + 2
    w.put(ws, f"A{note}", _T3_NOTE, FONT_SMALL, LEFT, border=False)
    w.merge(ws, f"A{note}:{L(last)}{note}")
    ws.row_dimensions[note].height = 30
    _no_requests_switch(w, ws, note + 2, first, last)
    ws.column_dimensions["A"].width = 7
    ws.column_dimensions["B"].width = 9
    ws.column_dimensions["C"].width = 46
    for i in range(first, last + 1):
        ws.column_dimensions[L(i)].width = 10
    ws.print_title_rows = "1:4"
    ws.freeze_panes = f"D{top}"
    w.finish(ws, landscape=True)


_SWITCH_NOTE = (
    "本年度没有收到政府信息公开申请的，在左边黄色单元格选“是”：上面留空的单元格按 0 计，"
    "校验时不再逐格提示为空（上年结转等有数的照常填写）。收到申请的选“否”或留空。"
)


def _no_requests_switch(w: SheetWriter, ws: Worksheet, r: int, first: int, last: int) -> None:
    """The one-step 本年度没有收到政府信息公开申请 (是/否) cell, named `xxgk.no_requests`."""
    L = get_column_letter
    w.put(ws, f"A{r}", f"{NO_REQUESTS_LABEL}？", FONT_BOLD, LEFT, fill=HEADER_FILL)
    w.merge(ws, f"A{r}:C{r}")
    coord = f"{L(first)}{r}"
    w.style(ws[coord], FONT_BOLD, CENTER, True, INPUT_FILL, UNLOCKED)
    w.validations.setdefault((ws.title, V_YES_NO), []).append(coord)
    w.layout.no_requests = (ws.title, coord)
    w.put(ws, f"{L(first + 1)}{r}", _SWITCH_NOTE, FONT_SMALL, LEFT, border=False)
    w.merge(ws, f"{L(first + 1)}{r}:{L(last)}{r}")
    ws.row_dimensions[r].height = 30


def table4(w: SheetWriter) -> None:
    ws = w.sheet(SHEET_T4)
    n = len(m.REVIEW_COLUMNS)
    last = n * len(m.TABLE4_GROUPS)
    L = get_column_letter
    w.title(ws, m.SECTIONS[3].heading, last)
    review, *litigation = m.TABLE4_GROUPS
    w.put(ws, "A2", m.TABLE4_REVIEW_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL)
    w.merge(ws, f"A2:{L(n)}2")
    w.put(
        ws, f"{L(n + 1)}2", m.TABLE4_LITIGATION_HEADER, FONT_BOLD, CENTER, fill=HEADER_FILL
    )
    w.merge(ws, f"{L(n + 1)}2:{L(last)}2")
    for i, col in enumerate(m.REVIEW_COLUMNS):
        c = L(1 + i)
        w.put(ws, f"{c}3", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
        w.merge(ws, f"{c}3:{c}4")
    for g, group in enumerate(litigation, start=1):
        start = 1 + g * n
        w.put(ws, f"{L(start)}3", group.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
        w.merge(ws, f"{L(start)}3:{L(start + n - 1)}3")
        for i, col in enumerate(m.REVIEW_COLUMNS):
            w.put(ws, f"{L(start + i)}4", col.label, FONT_BOLD, CENTER, fill=HEADER_FILL)
    for g, group in enumerate((review, *litigation)):
        for i, col in enumerate(m.REVIEW_COLUMNS):
            leaf = leaf_at(*m.TABLE4_ROOT, group.id, col.id)
            w.data_cell(ws, f"{L(1 + g * n + i)}5", leaf, V_COUNT)
    for r, h in ((2, 22), (3, 30), (4, 30), (5, 26)):
        ws.row_dimensions[r].height = h
    for i in range(1, last + 1):
        ws.column_dimensions[L(i)].width = 9
    ws.print_title_rows = "1:4"
    w.finish(ws, landscape=True)


def _spans(n: int, width: int) -> list[tuple[str, str]]:
    """Columns B.. split into n spans covering `width` columns (one column → one wide cell)."""
    if n == width:
        return [(get_column_letter(2 + i), get_column_letter(2 + i)) for i in range(n)]
    assert n == 1, "a block of table 二 has either one column or the full width"
    return [("B", get_column_letter(1 + width))]
