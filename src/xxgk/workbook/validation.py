"""Data validation: what each kind of cell accepts as it is typed, with the Chinese texts staff
see, and writing the rules into a workbook as few ranges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from xxgk.format import model as m
from xxgk.format.schema import YEAR_MAX, YEAR_MIN
from xxgk.workbook.cellref import cell_ranges

# Data validation bounds.
DATE_MIN, DATE_MAX = dt.date(2021, 1, 1), dt.date(2101, 12, 31)
# Fixed timestamp so that the same input always gives the same bytes.
FIXED_TIME = dt.datetime(2021, 1, 1)


def _serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


ValidationType = Literal["whole", "decimal", "date", "custom", "list"]
Operator = Literal["between", "greaterThanOrEqual"]


@dataclass(frozen=True)
class Validation:
    """One data-validation kind: its rule and the Chinese texts staff see."""

    type: ValidationType | None
    operator: Operator | None = None
    formula1: str | None = None
    formula2: str | None = None
    prompt_title: str = ""
    prompt: str = ""
    error_title: str = ""
    error: str = ""


V_COUNT = Validation(
    "whole",
    "greaterThanOrEqual",
    "0",
    prompt_title="填写件数",
    prompt="请填非负整数。没有的填 0，不要留空，不要填“/”“—”“无”。",
    error_title="只能填非负整数",
    error="这里只能填 0 或正整数（件数）。没有的请填 0。",
)
V_AMOUNT_WAN = Validation(
    "decimal",
    "greaterThanOrEqual",
    "0",
    prompt_title="填写金额（万元）",
    prompt="单位为万元，可有小数，如 26.55。没有的填 0。",
    error_title="只能填非负数",
    error="这里只能填 0 或正数（单位：万元）。没有的请填 0。",
)
V_AMOUNT_YUAN = Validation(
    "decimal",
    "greaterThanOrEqual",
    "0",
    prompt_title="填写金额（元）",
    prompt="单位为元，可有小数。没有收取的填 0。",
    error_title="只能填非负数",
    error="这里只能填 0 或正数（单位：元）。没有的请填 0。",
)
V_YEAR = Validation(
    "whole",
    "between",
    str(YEAR_MIN),
    str(YEAR_MAX),
    prompt_title="填写报告年度",
    prompt="填统计的年度，4 位数字，如 2024。",
    error_title="年度不对",
    error=f"报告年度应为 {YEAR_MIN} 至 {YEAR_MAX} 之间的 4 位数字，如 2024。",
)
V_DATE = Validation(
    "date",
    "between",
    str(_serial(DATE_MIN)),
    str(_serial(DATE_MAX)),
    prompt_title="填写成文日期",
    prompt="报告落款的日期，如 2025-2-13 或 2025/2/13，通常为报告年度的次年。",
    error_title="日期不对",
    error="请填一个真实的日期，如 2025-2-13。",
)
V_POSTCODE = Validation(
    "custom",
    prompt_title="填写邮政编码",
    prompt="6 位数字，如 834600。",
    error_title="邮政编码不对",
    error="邮政编码应为 6 位数字，如 834600。",
)
V_YES_NO = Validation(
    "list",
    None,
    '"是,否"',
    prompt_title="本年度没有收到申请？",
    prompt="本年度没有收到政府信息公开申请的选“是”：表三中留空的单元格按 0 计，不再逐格提示为空。",
    error_title="只能选是或否",
    error="请从下拉列表中选“是”或“否”，或留空。",
)
V_TEXT = Validation(
    None,
    prompt_title="填写正文",
    prompt="在本单元格填写这一段的正文，可留空：生成报告时按表格数字自动撰写。换行按 Alt+Enter。",
)


def hint(f: m.TextField) -> Validation:
    """A prompt only (no rule) for a free-text cell, from the model's hint."""
    return Validation(None, prompt_title=f"填写{f.label}", prompt=f.hint or f"请填写{f.label}。")


def postcode_formula(coord: str) -> str:
    # Each of the six characters must be a digit: -MID(x,i,1) is a number only for 0–9.
    digits = ",".join(f"ISNUMBER(-MID({coord},{i},1))" for i in range(1, 7))
    return f"AND(LEN({coord})=6,{digits})"


def ranges(coords: list[str]) -> str:
    """Cells as few rectangular ranges, space-separated (a data validation's sqref)."""
    return " ".join(cell_ranges(coords))


def add_validations(wb: Workbook, validations: dict[tuple[str, Validation], list[str]]) -> None:
    for (sheet, v), coords in validations.items():
        ws = wb[sheet]
        formulas: list[tuple[list[str], str | None]]
        if v is V_POSTCODE:
            formulas = [([c], postcode_formula(c)) for c in coords]
        else:
            formulas = [(coords, v.formula1)]
        for sqref, f1 in formulas:
            dv = DataValidation(
                type=v.type,
                operator=v.operator,
                formula1=f1,
                formula2=v.formula2,
                allow_blank=True,
                showInputMessage=bool(v.prompt),
                showErrorMessage=v.type is not None,
                promptTitle=v.prompt_title or None,
                prompt=v.prompt or None,
                errorTitle=v.error_title or None,
                error=v.error or None,
                errorStyle="stop" if v.type else None,
                sqref=ranges(sqref),
            )
            ws.add_data_validation(dv)
