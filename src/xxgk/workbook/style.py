"""How the template looks: fonts, fills, borders and formats (openpyxl objects, built once)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from xxgk.workbook.sheets import BAD_ARGB, GOOD_ARGB, HEADER_ARGB, INPUT_ARGB, TOTAL_ARGB

# 宋体 ships with every Chinese Windows (and WPS); LibreOffice substitutes a CJK font.
FONT_NAME = "宋体"
FONT = Font(name=FONT_NAME, size=11)
FONT_BOLD = Font(name=FONT_NAME, size=11, bold=True)
FONT_TITLE = Font(name=FONT_NAME, size=14, bold=True)
FONT_SMALL = Font(name=FONT_NAME, size=10, color="FF595959")
FONT_TEXT = Font(name="仿宋", size=12)
INPUT_FILL = PatternFill("solid", fgColor=INPUT_ARGB)
TOTAL_FILL = PatternFill("solid", fgColor=TOTAL_ARGB)
HEADER_FILL = PatternFill("solid", fgColor=HEADER_ARGB)
BAD_FILL = PatternFill("solid", fgColor=BAD_ARGB)
GOOD_FILL = PatternFill("solid", fgColor=GOOD_ARGB)
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
