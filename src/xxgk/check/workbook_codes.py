"""Finding codes of reading a workbook (src/xxgk/workbook/: core.py, cells.py, totals.py):
one catalogue with check/findings.py, which re-exports them (`fc.WB_…`)."""

from __future__ import annotations

from xxgk.check.catalogue import ERROR, WARNING
from xxgk.check.catalogue import register as _code
from xxgk.format import model as m

__all__ = [
    "WB_NOT_TEMPLATE",
    "WB_OLD_TEMPLATE",
    "WB_MISSING_SHEET",
    "WB_MISSING_NAME",
    "WB_BLANK",
    "WB_BLANK_BLOCK",
    "WB_NO_REQUESTS_CONFLICT",
    "WB_NOT_NUMBER",
    "WB_NO_VALUE",
    "WB_FRACTION",
    "WB_NUMBER_TEXT",
    "WB_FULLWIDTH",
    "WB_TOTAL_OVERWRITTEN",
    "WB_TOTAL_TYPED",
    "WB_TOTAL_STALE",
    "WB_TOTAL_FORMULA",
]

_T3, _NEW = m.TABLE3_NAME, m.TABLE3_NEW.label  # quoted by WB_NO_REQUESTS_CONFLICT

# -- reading a workbook (workbook/core.py, cells.py, totals.py) ---------------------------
_NEW_TEMPLATE = "请用 xxgk template 生成新模板，把数据复制过去后再校验。"
WB_NOT_TEMPLATE = _code(
    "WB_NOT_TEMPLATE",
    ERROR,
    "不是年度报告模板",
    "工作簿不是本工具的年度报告模板（没有模板标记 {marker}）。" + _NEW_TEMPLATE,
)
WB_OLD_TEMPLATE = _code(
    "WB_OLD_TEMPLATE",
    ERROR,
    "模板版本不对",
    "工作簿由模板 {found} 制作，本工具读取的是模板 {expected}。" + _NEW_TEMPLATE,
)
WB_MISSING_SHEET = _code(
    "WB_MISSING_SHEET",
    ERROR,
    "缺少工作表",
    "工作簿缺少工作表{sheets}（可能被删除或改名）。请恢复原名，或" + _NEW_TEMPLATE[1:],
)
WB_MISSING_NAME = _code(
    "WB_MISSING_NAME",
    ERROR,
    "缺少单元格名称",
    "工作簿中 {count} 个数据单元格的名称丢失或失效（如{names}），可能删除过行、列或名称。"
    + _NEW_TEMPLATE,
)
WB_BLANK = _code("WB_BLANK", ERROR, "表格单元格为空", "{where}为空。没有的请填写 0。")
WB_BLANK_BLOCK = _code(
    "WB_BLANK_BLOCK",
    ERROR,
    "一片表格单元格为空",
    "{sheet} 有 {count} 个单元格为空（{ranges}）。没有的请填写 0{hint}。",
)
WB_NO_REQUESTS_CONFLICT = _code(
    "WB_NO_REQUESTS_CONFLICT",
    WARNING,
    f"注明没有收到申请，但{_T3}有申请",
    f"{{where}}选了“是”，但{_T3}「{_NEW}」有 {{count}} 个单元格不为 0（{{cells}}），"
    f"共 {{total}} 件。报告按表中数字计。请改为“否”，或核对{_T3}。",
)
WB_NOT_NUMBER = _code(
    "WB_NOT_NUMBER",
    ERROR,
    "不是数字",
    "{where}填的是「{value}」，不是数字。没有的请填 0，有的请填阿拉伯数字。",
)
WB_NO_VALUE = _code(
    "WB_NO_VALUE",
    ERROR,
    "公式没有计算结果",
    "{where}是公式「{value}」，但文件中没有保存它的计算结果（文件可能由其他程序生成，或保存前"
    "未重新计算）。请在 Excel 或 WPS 中打开该文件、保存后再用；或直接填写数字。",
)
WB_FRACTION = _code(
    "WB_FRACTION", ERROR, "件数不是整数", "{where}填的是 {value}，件数应为整数。请改为整数。"
)
WB_NUMBER_TEXT = _code(
    "WB_NUMBER_TEXT",
    WARNING,
    "数字存成了文字",
    "{where}填的「{value}」是以文字形式保存的数字，已按 {read} 读取。请删除后直接输入数字 {read}。",
)
WB_FULLWIDTH = _code(
    "WB_FULLWIDTH",
    WARNING,
    "全角数字",
    "{where}填的「{value}」含全角字符，已按 {read} 读取。请切换到半角输入法重新输入数字 {read}。",
)
WB_TOTAL_OVERWRITTEN = _code(
    "WB_TOTAL_OVERWRITTEN",
    ERROR,
    "总计公式被改写",
    "{where}的公式被改成了「{value}」，按各项计算应为 {computed}，报告按 {computed} 计。"
    "请恢复该单元格的公式（可从相邻的总计单元格复制），或" + _NEW_TEMPLATE[1:],
)
WB_TOTAL_TYPED = _code(
    "WB_TOTAL_TYPED",
    WARNING,
    "总计公式被改成数字",
    "{where}的公式被改成了数字 {value}，虽与计算结果相同，但以后修改各项时不会自动更新。"
    "请恢复该单元格的公式（可从相邻的总计单元格复制）。",
)
WB_TOTAL_STALE = _code(
    "WB_TOTAL_STALE",
    WARNING,
    "总计未重新计算",
    "{where}显示为 {value}，但按各项重新计算应为 {computed}，报告按 {computed} 计。"
    "请在 Excel 中按 F9 重新计算（或打开自动计算）后保存。",
)
WB_TOTAL_FORMULA = _code(
    "WB_TOTAL_FORMULA",
    ERROR,
    "总计公式被改动",
    "{where}的公式被改成了「{formula}」，应为各项之和「{expected}」；报告按各项计算为 {computed}，"
    "与表上显示的数可能不同。请恢复公式：在该单元格输入 {expected}（或从新模板复制该单元格），或"
    + _NEW_TEMPLATE[1:],
)
