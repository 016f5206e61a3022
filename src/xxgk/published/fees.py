"""The 信息处理费 figures of section 六, read only from what the text states for certain.

`发出收费通知3件` and `收取信息处理费50元` are figures; `未发出收费通知` is 0 notices; a plain
`未收取信息处理费` / `本年度未产生信息公开处理费` says no fee at all: 0 notices and 0 元. Words
inside a cited title (`《政府信息公开信息处理费管理办法》`) are not a statement. An amount in
万元, or a fee spoken of without figures, is left for a finding: no figure is guessed.
"""

from __future__ import annotations

import re

from xxgk.format import model as m
from xxgk.published.fold import folded

NOTICES = m.pointer(m.PROCESSING_FEE_NOTICES.path)
AMOUNT = m.pointer(m.PROCESSING_FEE_AMOUNT.path)

_TITLES = re.compile(r"《[^》]*》")
_NOTICES = re.compile(
    r"(?:发出|发送|出具|送达|下发)了?(?:收费|缴费)通知(?:书|单)?(?:共计|共)?(\d+)(?:件|份|次)"
)
_NO_NOTICES = re.compile(r"(?:未|没有|无)(?:发出|发送|出具|送达|下发)(?:收费|缴费)通知")
_AMOUNT = re.compile(
    r"收取了?(?:信息)?(?:公开)?(?:信息)?处理费(?:共计|合计|共)?(\d+(?:\.\d+)?)(万)?元"
)
_NONE = re.compile(r"(?:未|没有|无|均未|不存在)[^。,;《》()]{0,8}处理费")


def fees(text: str) -> dict[str, int | float]:
    """The figures the text states for certain, by pointer (absent: not stated)."""
    flat = _TITLES.sub("《》", folded(text))
    out: dict[str, int | float] = {}
    none = _NONE.search(flat) is not None
    notices = _NOTICES.search(flat)
    if notices:
        out[NOTICES] = int(notices.group(1))
    elif _NO_NOTICES.search(flat) or none:
        out[NOTICES] = 0
    amount = _AMOUNT.search(flat)
    if amount and not amount.group(2):
        value = float(amount.group(1))
        out[AMOUNT] = int(value) if value.is_integer() and "." not in amount.group(1) else value
    elif none and not amount:
        out[AMOUNT] = 0
    return out
