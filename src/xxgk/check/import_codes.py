"""Finding codes of reading a published report (xxgk import, src/xxgk/published/): one
catalogue with check/findings.py, which re-exports them (`fc.IMPORT_…`)."""

from __future__ import annotations

from xxgk.check.catalogue import ERROR, WARNING
from xxgk.check.catalogue import register as _code

__all__ = [
    "IMPORT_UNREADABLE",
    "IMPORT_CELLS_UNREAD",
    "IMPORT_PAGE_NO_TEXT",
    "IMPORT_TABLE_MISSING",
    "IMPORT_ROW_MISSING",
    "IMPORT_ROW_UNPLACED",
    "IMPORT_CELL_UNREADABLE",
    "IMPORT_CELL_BLANK",
    "IMPORT_LABEL_VARIANT",
    "IMPORT_FORMAT_2019",
    "IMPORT_OLD_COLUMNS",
    "IMPORT_NO_TITLE",
    "IMPORT_AGENCY_FROM_SIGNATURE",
    "IMPORT_NO_YEAR",
    "IMPORT_YEAR_FROM_PERIOD",
    "IMPORT_NO_DATE",
    "IMPORT_NO_CONTACT",
    "IMPORT_SECTION_MISSING",
    "IMPORT_NO_PARTS",
    "IMPORT_PART_MISSING",
    "IMPORT_PART_UNMAPPED",
    "IMPORT_FEES_UNSTATED",
    "IMPORT_TEXT_UNPLACED",
]

# -- reading a published report (xxgk import; published/reader.py) ---------------------------
IMPORT_UNREADABLE = _code("IMPORT_UNREADABLE", ERROR, "已发布的报告无法读取", "{detail}")
IMPORT_CELLS_UNREAD = _code(
    "IMPORT_CELLS_UNREAD",
    ERROR,
    "表格数字未能读出",
    "{table}有 {n} 个单元格在原文中没有找到或无法确定，已暂记为 0。"
    "请对照原文核对{table}，在导入后的 JSON 或模板中补上这些数字。",
)
# -- xxgk import: extractors (published/html.py, docx.py, pdftext.py) -------------------------
IMPORT_PAGE_NO_TEXT = _code(
    "IMPORT_PAGE_NO_TEXT",
    WARNING,
    "PDF 页面没有文字层",
    "PDF 第{page}页没有文字层（可能是扫描的图片），该页的内容没有读取。"
    "如该页有年报的文字或表格，请先对它进行文字识别（OCR）后再导入。",
)
# -- xxgk import: tables (published/tables.py): the tables of a published report -------------
IMPORT_TABLE_MISSING = _code(
    "IMPORT_TABLE_MISSING",
    ERROR,
    "没有找到表格",
    "原文中没有找到{table}（{title}），其中的数字都没有导入。"
    "请核对原文是否完整（摘录、网页截断），缺少的数字请对照原件手工填写。",
)
IMPORT_ROW_MISSING = _code(
    "IMPORT_ROW_MISSING",
    ERROR,
    "表格缺少行",
    "{where}{table}中没有找到{count}行：{rows}。这些行的数字没有导入。"
    "请核对原文是否完整，缺少的数字请对照原件手工填写。",
)
IMPORT_ROW_UNPLACED = _code(
    "IMPORT_ROW_UNPLACED",
    ERROR,
    "无法确定一行数字的位置",
    "{where}{table}「{label}」一行：{reason}，无法确定每个数字属于哪一列，这一行没有导入。"
    "请对照原件手工填写这一行。",
)
IMPORT_CELL_UNREADABLE = _code(
    "IMPORT_CELL_UNREADABLE",
    ERROR,
    "单元格不是数字",
    "{where}{cell}印的是「{text}」，不是{expected}，没有导入。请对照原件手工填写该数。",
)
IMPORT_CELL_BLANK = _code(
    "IMPORT_CELL_BLANK",
    WARNING,
    "单元格为空",
    "{where}起，{table}有 {count} 个单元格为空或印为“/”“—”“无”，已按 0 导入。"
    "请核对原件，不是 0 的请改正。",
)
IMPORT_LABEL_VARIANT = _code(
    "IMPORT_LABEL_VARIANT",
    WARNING,
    "行名与格式不同",
    "{where}{table}的行名印为「{printed}」，与格式中的「{label}」不完全相同，已按「{label}」导入。"
    "请核对这一行的数字确属该行。",
)
IMPORT_FORMAT_2019 = _code(
    "IMPORT_FORMAT_2019",
    WARNING,
    "表格是 2019 年的旧格式",
    "{where}{table}是 2019 年的旧格式（国办公开办函〔2019〕60号）：{detail}。"
    "请核对导入的数字，今后请按现行格式（{notice}）填报。",
)
IMPORT_OLD_COLUMNS = _code(
    "IMPORT_OLD_COLUMNS",
    ERROR,
    "旧格式的列无法对应",
    "{where}{table}「{row}」一行印的是 2019 年旧格式的列（{columns}），"
    "与现行格式的「{missing}」不是同一个数，没有导入。请按现行格式手工填写。",
)
# -- xxgk import: narrative and metadata (published/narrative.py) ---------------------------
IMPORT_NO_TITLE = _code(
    "IMPORT_NO_TITLE",
    ERROR,
    "没有找到机关名称",
    "{where}：没有找到写有机关名称的报告标题（如「××局2024年政府信息公开工作年度报告」），"
    "落款中也没有机关名称。请在导入结果中填写「机关名称」。",
)
IMPORT_AGENCY_FROM_SIGNATURE = _code(
    "IMPORT_AGENCY_FROM_SIGNATURE",
    WARNING,
    "机关名称取自落款",
    "{where}：标题中没有机关名称，已按落款取为「{agency}」。请核对机关名称是否为全称。",
)
IMPORT_NO_YEAR = _code(
    "IMPORT_NO_YEAR",
    ERROR,
    "没有找到报告年度",
    "{where}：标题中没有年份，序言中也没有统计期限，无法确定报告年度。请在导入结果中填写「报告年度」。",
)
IMPORT_YEAR_FROM_PERIOD = _code(
    "IMPORT_YEAR_FROM_PERIOD",
    WARNING,
    "报告年度取自统计期限",
    "{where}：标题中没有年份，报告年度已按统计期限取为 {year}。请核对报告年度。",
)
IMPORT_NO_DATE = _code(
    "IMPORT_NO_DATE",
    WARNING,
    "没有成文日期",
    "{where}：{detail}，「成文日期」未导入（不会推测日期）。请按原件填写成文日期，如 2025-02-13。",
)
IMPORT_NO_CONTACT = _code(
    "IMPORT_NO_CONTACT",
    WARNING,
    "序言中没有联系方式",
    "{where}：序言中没有找到{fields}，未导入。请在导入结果中补上。",
)
IMPORT_SECTION_MISSING = _code(
    "IMPORT_SECTION_MISSING",
    WARNING,
    "没有找到某一部分",
    "{where}：没有找到「{section}」这一部分，其中的内容未导入。"
    "如原文有这一部分，请检查它的标题是否写错或缺字。",
)
IMPORT_NO_PARTS = _code(
    "IMPORT_NO_PARTS",
    WARNING,
    "总体情况没有分项",
    "{where}：「{section}」没有（一）至（五）的小标题，全部文字已放入「{summary}」。"
    "请核对，必要时把文字分到各项。",
)
IMPORT_PART_MISSING = _code(
    "IMPORT_PART_MISSING",
    WARNING,
    "没有找到某一项",
    "{where}：「{section}」中没有找到「{part}」，该项未导入。请核对原文，必要时补写。",
)
IMPORT_PART_UNMAPPED = _code(
    "IMPORT_PART_UNMAPPED",
    WARNING,
    "小标题对应不到格式中的项",
    "{where}：小标题「{lead}」对应不到「{section}」中尚未填写的项，其文字已并入「{into}」。"
    "请核对，必要时移到合适的项。",
)
IMPORT_FEES_UNSTATED = _code(
    "IMPORT_FEES_UNSTATED",
    WARNING,
    "没有明确的信息处理费数字",
    "{where}：「{section}」没有明确写出{fields}，未导入。请核对原文后填写。",
)
IMPORT_TEXT_UNPLACED = _code(
    "IMPORT_TEXT_UNPLACED",
    WARNING,
    "表格外的文字没有对应的项",
    "{where}：「{section}」中表格以外的文字「{excerpt}」没有对应的项，未导入。"
    "如需保留，请移到「一、总体情况」的相应部分。",
)
