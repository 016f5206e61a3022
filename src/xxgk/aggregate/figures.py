"""The key figures of one report, a row of the summed workbook's comparison sheet (各单位对比)
and of the county page of `xxgk serve`; and the two conversions every sum here uses."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from xxgk.format import model as m
from xxgk.format.paths import get_path, is_number


def decimal_of(value: Any) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# -- the comparison sheet: one row per agency, its key figures -----------------------------------

_T3 = m.TABLE3_ROOT
_RES = _T3 + ("results",)


def _totals_of(group: str, rows: Iterable[m.Row]) -> tuple[m.Path, ...]:
    return tuple(_T3 + r.path + ("total",) for r in rows if r.group == group)


def _group_label(group_id: str) -> str:
    return m.TABLE3_GROUP_TITLES[("results", group_id)]


# (header, paths summed): headers are short Chinese column titles, paths from the model.
KEY_FIGURES: tuple[tuple[str, tuple[m.Path, ...]], ...] = (
    ("本年新收申请", (_T3 + m.TABLE3_NEW.path + ("total",),)),
    ("上年结转", (_T3 + m.TABLE3_CARRIED_OVER.path + ("total",),)),
    ("予以公开", (_RES + ("granted", "total"),)),
    ("部分公开", (_RES + ("partially_granted", "total"),)),
    ("不予公开", _totals_of(_group_label("denied"), m.TABLE3_OUTCOMES)),
    ("无法提供", _totals_of(_group_label("unable"), m.TABLE3_OUTCOMES)),
    ("不予处理", _totals_of(_group_label("not_processed"), m.TABLE3_OUTCOMES)),
    ("其他处理", _totals_of(_group_label("other"), m.TABLE3_OUTCOMES)),
    ("办理结果总计", (_T3 + m.TABLE3_RESULTS_TOTAL.path + ("total",),)),
    ("结转下年度", (_T3 + m.TABLE3_CARRIED_FORWARD.path + ("total",),)),
    ("行政复议", (m.TABLE4_ROOT + ("review", "total"),)),
    (
        "行政诉讼",
        (
            m.TABLE4_ROOT + ("litigation_direct", "total"),
            m.TABLE4_ROOT + ("litigation_after_review", "total"),
        ),
    ),
    ("行政事业性收费（万元）", (m.TABLE2_ROOT + ("fees", "amount"),)),
    ("信息处理费（元）", (m.PROCESSING_FEE_AMOUNT.path,)),
)


def key_figures(data: dict[str, Any]) -> list[int | float]:
    out = []
    for _, paths in KEY_FIGURES:
        total = Decimal(0)
        for p in paths:
            value = get_path(data, p)
            if is_number(value):
                total += decimal_of(value)
        out.append(plain_number(total))
    return out
