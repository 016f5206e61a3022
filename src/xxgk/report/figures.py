"""The year's key figures for a citizen (the 图解): what was published, how many requests came
and how they ended, reviews and lawsuits, and the change on last year when it is known.

Drawn by `graphic.py` (PNG, SVG); the same figures, as sentences, are the picture's text
alternative. Labels come from the format (`format/model.py`), shortened for a glance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from xxgk.format import model as m
from xxgk.format.paths import get_path, number_or_zero


class NoChineseFont(RuntimeError):
    """No font on this machine can draw Chinese: the 图解 would be empty boxes (raised by
    `graphic.py`; here so that a caller can catch it without importing matplotlib)."""


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | float
    unit: str
    last: int | float | None = None  # last year's, when known

    @property
    def change(self) -> int | float | None:
        return None if self.last is None else self.value - self.last


@dataclass(frozen=True)
class KeyFigures:
    agency: str
    year: int | None
    proactive: tuple[Figure, ...]
    received: Figure  # 本年新收 + 上年结转
    new: int | float
    carried_over: int | float
    outcomes: tuple[Figure, ...]  # how they ended, 结转下年度 last
    review: Figure
    review_parts: tuple[Figure, ...]
    litigation: Figure
    litigation_parts: tuple[Figure, ...]

    @property
    def year_text(self) -> str:
        """「2024年」, or nothing when the year is not known."""
        return f"{self.year}年" if self.year is not None else ""


@cache  # the format's labels: a handful, asked for in every report
def short_label(label: str) -> str:
    """（二）部分公开（区分处理的，…） → 部分公开; 四、结转下年度继续办理 → 结转下年度继续办理."""
    label = re.sub(r"^（[一二三四五六七八九十]+）|^[一二三四五六七八九十]+、", "", label)
    return re.sub(r"（[^）]*）$", "", label)


_OUTCOME_GROUPS: tuple[tuple[m.Path, str], ...] = (
    (("results", "granted"), "（一）予以公开"),
    (("results", "partially_granted"), "（二）部分公开"),
    (("results", "denied"), "（三）不予公开"),
    (("results", "unable"), "（四）无法提供"),
    (("results", "not_processed"), "（五）不予处理"),
    (("results", "other"), "（六）其他处理"),
)


# the two kinds of lawsuit of table 四, counted together in the 图解
_LITIGATION = ("litigation_direct", "litigation_after_review")


def _total(data: Any, path: m.Path) -> int | float:
    """An applicant row's 总计, or a group's (the sum of its rows' 总计)."""
    return _node_total(get_path(data, path))


def _node_total(node: Any) -> int | float:
    if isinstance(node, dict):
        if "total" in node:
            return number_or_zero(node["total"])
        return sum(_node_total(child) for child in node.values())
    return 0


def _value(data: Any, path: m.Path) -> int | float:
    """number_or_zero(get_path(data, path)), inline: some twenty a report."""
    for key in path:
        if not isinstance(data, dict):
            return 0
        data = data.get(key)
    return data if isinstance(data, (int, float)) and not isinstance(data, bool) else 0


def key_figures(data: dict[str, Any], last: dict[str, Any] | None = None) -> KeyFigures:
    """The figures of one report (valid against the schema); `last`: last year's report."""

    def fig(label: str, get: Any, unit: str = "件") -> Figure:
        return Figure(label, get(data), unit, get(last) if last is not None else None)

    t2, t3, t4 = m.TABLE2_ROOT, m.TABLE3_ROOT, m.TABLE4_ROOT
    proactive = [
        fig("新制发规范性文件", lambda d: _value(d, t2 + ("normative_documents", "issued"))),
        fig("行政许可决定", lambda d: _value(d, t2 + ("licensing", "decisions"))),
        fig("行政处罚决定", lambda d: _value(d, t2 + ("penalty", "decisions"))),
        fig("行政强制决定", lambda d: _value(d, t2 + ("coercion", "decisions"))),
    ]
    if _value(data, t2 + ("rules", "issued")) or _value(data, t2 + ("rules", "in_force")):
        proactive.insert(0, fig("新制发规章", lambda d: _value(d, t2 + ("rules", "issued"))))
    outcomes = [
        fig(short_label(label), lambda d, p=path: _total(d, t3 + p))
        for path, label in _OUTCOME_GROUPS
    ]
    forward = m.TABLE3_CARRIED_FORWARD
    outcomes.append(fig(short_label(forward.label), lambda d: _total(d, t3 + forward.path)))

    def received(d: Any) -> int | float:
        return _total(d, t3 + m.TABLE3_NEW.path) + _total(d, t3 + m.TABLE3_CARRIED_OVER.path)

    def parts(group: str) -> tuple[Figure, ...]:
        return tuple(
            fig(short_label(col.label), lambda d, c=col.id: _value(d, t4 + (group, c)))
            for col in m.REVIEW_PARTS
        )

    def sued(d: Any, column: str = "total") -> int | float:
        return sum(_value(d, t4 + (g, column)) for g in _LITIGATION)

    litigation_parts = tuple(
        fig(short_label(col.label), lambda d, c=col.id: sued(d, c)) for col in m.REVIEW_PARTS
    )
    agency = get_path(data, ("agency", "name"))
    year = data.get("year")
    return KeyFigures(
        agency=agency if isinstance(agency, str) else "",
        year=year if isinstance(year, int) else None,
        proactive=tuple(proactive),
        received=fig("收到政府信息公开申请", received),
        new=_total(data, t3 + m.TABLE3_NEW.path),
        carried_over=_total(data, t3 + m.TABLE3_CARRIED_OVER.path),
        outcomes=tuple(outcomes),
        review=fig(m.TABLE4_REVIEW_HEADER, lambda d: _value(d, t4 + ("review", "total"))),
        review_parts=parts("review"),
        litigation=fig(m.TABLE4_LITIGATION_HEADER, sued),
        litigation_parts=litigation_parts,
    )


def number(value: int | float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def change_text(f: Figure) -> str:
    """比上年增加 3 件 / 减少 / 持平; empty when last year is not known."""
    change = f.change
    if change is None:
        return ""
    if change == 0:
        return "与上年持平"
    word = "增加" if change > 0 else "减少"
    return f"比上年{word} {number(abs(change))} {f.unit}"


def sentences(k: KeyFigures) -> list[str]:
    """The figures as plain sentences: the picture's text alternative."""

    def said(f: Figure) -> str:
        return f"{f.label} {number(f.value)} {f.unit}" + _change_suffix(f)

    out = ["主动公开：" + "，".join(said(f) for f in k.proactive) + "。"]
    if k.received.value:
        ended = "，".join(said(f) for f in k.outcomes if f.value)
        out.append(
            f"依申请公开：{said(k.received)}（本年新收 {number(k.new)} 件，上年结转 "
            f"{number(k.carried_over)} 件）；办理结果：{ended}。"
        )
    else:
        out.append("依申请公开：本年度未收到政府信息公开申请" + _change_suffix(k.received) + "。")
    for head, parts in ((k.review, k.review_parts), (k.litigation, k.litigation_parts)):
        detail = "，".join(said(f) for f in parts if f.value)
        out.append(f"{said(head)}" + (f"：{detail}" if detail else "") + "。")
    return out


def _change_suffix(f: Figure) -> str:
    change = change_text(f)
    return f"（{change}）" if change else ""
