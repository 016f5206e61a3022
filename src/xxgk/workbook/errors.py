"""The one exception of reading an untrusted workbook, and the advice its messages share."""

from __future__ import annotations

RESEND = "请重新保存或重新发送该文件。"
SAVE_AS_XLSX = "请在 Excel 或 WPS 中打开后「另存为」Excel 工作簿（*.xlsx），再用新文件。"


class WorkbookUnreadable(Exception):
    """The file cannot be read as a workbook at all; the message is Chinese and says why."""


def dtd_refused(part: str) -> str:
    return (
        f"工作簿的 {part} 部分含有 DTD/实体定义（Excel 不会这样保存），可能是恶意文件，已拒绝读取。"
    )


def not_xml(part: str) -> str:
    return f"工作簿的 {part} 部分不是有效的 XML，文件可能已损坏。" + RESEND
