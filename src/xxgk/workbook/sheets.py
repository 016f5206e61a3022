"""The workbook contract, declared once and free of openpyxl: sheet names, the template version
and the colours staff see. The template writes it; the reader, the add-in and messages read it.
"""

from __future__ import annotations

from xxgk.format import model as m
from xxgk.format.record import field, record

TEMPLATE_VERSION = "xxgk-2021-v2"  # v2: the optional cells of contract 1.1
VERSION_NAME = "xxgk.template"  # a workbook-level name holding TEMPLATE_VERSION as a constant
# Workbooks the reader takes: v1 has no cells for contract 1.1's optional values (they are absent).
READABLE_VERSIONS = ("xxgk-2021-v1", TEMPLATE_VERSION)
# The one-step statement "no requests this year": a workbook-level name for a yes/no cell under
# 表三 (no report data: blank 表三 cells then read as 0 without WB_BLANK). Optional: a workbook
# without the name (an older template) reads as if it said 否.
NO_REQUESTS_NAME = "xxgk.no_requests"
NO_REQUESTS_LABEL = "本年度没有收到政府信息公开申请"
YES, NO = "是", "否"

SHEET_INFO = "基本信息"
SHEET_OVERVIEW = "总体情况"
SHEET_T2 = m.TABLE2_NAME
SHEET_T3 = m.TABLE3_NAME
SHEET_T4 = m.TABLE4_NAME
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
# The sheet of each top-level key, to name a deleted sheet whose names Excel turned into #REF!
# (the reference then no longer says which sheet it was). The template places cells so.
SHEET_OF_KEY: dict[str, str] = {
    "year": SHEET_INFO,
    "agency": SHEET_INFO,
    "published_on": SHEET_INFO,
    "local_notice": SHEET_INFO,
    "preamble": SHEET_INFO,
    "report_url": SHEET_INFO,
    "overview": SHEET_OVERVIEW,
    "proactive": SHEET_T2,
    "requests": SHEET_T3,
    "review_litigation": SHEET_T4,
    "problems": SHEET_PROBLEMS,
    "improvements": SHEET_PROBLEMS,
    "other_matters": SHEET_OTHER,
}

# Colours as ARGB: the template's fills, and the add-in's marks and restores.
INPUT_ARGB = "FFFFF2CC"  # light yellow: type here
TOTAL_ARGB = "FFE7E6E6"  # grey: computed
HEADER_ARGB = "FFF2F2F2"
BAD_ARGB = "FFFFC7CE"  # Excel's own "bad" light red: a problem cell
GOOD_ARGB = "FFE2EFDA"


def rgb_hex(argb: str) -> str:
    """"FFFFF2CC" → "#FFF2CC", as Excel's object model takes a colour."""
    return "#" + argb[-6:].upper()


@record
class Layout:
    """Where every data cell is: dotted path → (sheet, A1 cell), plus the check rows."""

    cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    totals: dict[str, str] = field(default_factory=dict)  # dotted → formula
    balance: dict[str, tuple[str, str]] = field(default_factory=dict)  # column id → cell
    balance_text: dict[str, tuple[str, str]] = field(default_factory=dict)
    no_requests: tuple[str, str] | None = None  # the cell of NO_REQUESTS_NAME
