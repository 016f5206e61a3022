"""What every extractor refuses before it parses: a file too big to be a report, and the advice
its messages share.

A published annual report is a few pages: a web page of some hundred KB, a Word file or a PDF of
a few MB with its fonts and pictures. A file far beyond that is a scan bundle, a collection of
many reports or a bomb; it is refused with a message rather than parsed for minutes.
"""

from __future__ import annotations

from xxgk.published.document import NotAReport

MB = 1024 * 1024
MAX_HTML_BYTES = 20 * MB
MAX_DOCX_BYTES = 40 * MB
MAX_PDF_BYTES = 40 * MB
MAX_PDF_PAGES = 200  # a report runs to 5-30 pages; a 汇编 of many reports is imported one by one

OCR = (
    "请先进行文字识别（OCR），得到带文字层的 PDF 或 Word 文件后再导入；"
    "或向发布机关索取 Word 或网页版的原文。"
)
SAVE_AS_DOCX = "请在 Word 或 WPS 中另存为 .docx 后再导入。"


def check_size(raw: bytes, limit: int, what: str) -> None:
    """Refuse an empty file and one over `limit` bytes; `what` names the kind (网页, Word 文档…)."""
    if not raw:
        raise NotAReport("文件为空（0 字节）。请重新保存或重新下载该文件。")
    if len(raw) > limit:
        raise NotAReport(
            f"文件过大（{len(raw) / MB:.0f} MB，{what}最多 {limit // MB} MB），"
            "不像一份政府信息公开工作年度报告。如果是多份年报的汇编，请逐份导入；"
            "如果含有大量图片，请删除图片后再导入。"
        )
