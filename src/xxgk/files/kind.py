"""What an input file holds when its name does not say: a workbook, a JSON report or neither.

Files arrive renamed (`报告.xlsx.bak`, no extension at all) or saved by other programs
(LibreOffice `.ods`, WPS `.et`); the suffix alone would send them to the JSON parser, which can
only say "not UTF-8 text". A few leading bytes tell the kinds apart.
"""

from __future__ import annotations

from xxgk.format.jsonio import ReportLoadError
from xxgk.workbook.package import OLE_MAGIC, SAVE_AS_XLSX, ZIP_MAGICS

# Spreadsheets of other programs, or of old Excel: never readable here, but picked up from
# folders so that each is listed with how to save it as .xlsx instead of missing silently.
OTHER_SPREADSHEET_SUFFIXES = frozenset({".xls", ".xlsb", ".ods", ".et", ".ett"})
WPS_SUFFIXES = frozenset({".et", ".ett"})

WORKBOOK = "workbook"
JSON = "json"
HEAD_BYTES = 512
_BOMS = (b"\xef\xbb\xbf",)


class Unrecognised(ReportLoadError):
    """The content is neither a workbook nor JSON; the message is Chinese and says what to do."""


def _wps_message(suffix: str) -> str:
    return f"这是 WPS 表格文件（{suffix}），本工具只读取 .xlsx。" + SAVE_AS_XLSX


def kind_of(head: bytes, suffix: str) -> str:
    """WORKBOOK or JSON for a file that starts with `head` and is named `….suffix` (neither
    .json nor .xlsx/.xlsm); raises Unrecognised when the content says it is neither."""
    if head.startswith(ZIP_MAGICS):
        return WORKBOOK  # the workbook reader names an .ods, a .docx, an .xlsb by their parts
    if head.startswith(OLE_MAGIC):
        if suffix in WPS_SUFFIXES:
            raise Unrecognised(_wps_message(suffix))
        return WORKBOOK  # the guard tells .xls, an encrypted workbook and a .doc apart
    text = head
    for bom in _BOMS:
        text = text.removeprefix(bom)
    text = text.lstrip()
    if not text or text.startswith((b"{", b"[")):
        return JSON  # the JSON reader says "empty" or what is wrong with it
    if suffix in OTHER_SPREADSHEET_SUFFIXES:
        return WORKBOOK  # an HTML page saved as .xls: the guard says so
    raise Unrecognised(
        "文件内容无法识别：既不是 Excel 工作簿（.xlsx），也不是 JSON 格式的报告数据或已发布的年报。"
        "请提供填好的 .xlsx 模板、JSON 报告，或已发布的年报（.docx、.pdf、.html、.txt）。"
    )
