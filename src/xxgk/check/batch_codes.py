"""Finding codes of batch conversion (src/xxgk/batch/): an input the converter could not
finish. One catalogue with check/findings.py, which re-exports them (`fc.CONVERT_…`)."""

from __future__ import annotations

from xxgk.check.catalogue import ERROR
from xxgk.check.catalogue import register as _code

__all__ = [
    "CONVERT_INTERNAL",
    "CONVERT_WORKER_DIED",
    "CONVERT_PDF",
    "OUTPUT_WRITE",
    "OUTPUT_REPLACE",
    "FOLDER_UNREADABLE",
]

# -- batch conversion (batch/): an input the converter could not finish -----------
CONVERT_INTERNAL = _code(
    "CONVERT_INTERNAL",
    ERROR,
    "转换时发生内部错误",
    "{file}：转换时发生内部错误（{detail}），不是文件本身的问题，未转换。"
    "请把该文件、这条消息和日志发给维护人员。",
)
CONVERT_WORKER_DIED = _code(
    "CONVERT_WORKER_DIED",
    ERROR,
    "转换进程意外退出",
    "{file}：转换该文件的进程意外退出（可能是文件过大或内存不足），未转换。"
    "请检查该文件，或用 --jobs 1 单独转换它。",
)
CONVERT_PDF = _code(
    "CONVERT_PDF",
    ERROR,
    "无法生成 PDF",
    "{file}：{detail}，该文件未转换（其他格式也没有写出）。"
    "请用 Word 或 WPS 打开它生成的 .docx 另存为 PDF，或检查 LibreOffice 后重试。",
)
OUTPUT_WRITE = _code(
    "OUTPUT_WRITE",
    ERROR,
    "无法写入输出文件",
    "{file}：无法写入输出文件夹 {outdir}（{detail}），未转换。请检查磁盘空间和写入权限。",
)
OUTPUT_REPLACE = _code(
    "OUTPUT_REPLACE",
    ERROR,
    "无法替换已有的输出文件",
    "{target}：无法替换（{detail}）。请关闭正在打开它的程序（如 Word、浏览器），"
    "或移走同名的文件夹，然后重新转换。",
)
FOLDER_UNREADABLE = _code("FOLDER_UNREADABLE", ERROR, "文件夹无法打开", "{detail}")
