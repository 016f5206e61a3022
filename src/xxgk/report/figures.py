"""The year's key figures for a citizen (the 图解): what was published, how many requests came
and how they ended, reviews and lawsuits, and the change on last year when it is known.

Drawn by `graphic.py` (PNG, SVG); the same figures, as sentences, are the picture's text
alternative. Labels come from the format (`format/model.py`), shortened for a glance.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from xxgk.format import model as m
from xxgk.format.paths import get_path, number_or_zero
from xxgk.format.record import record


class NoChineseFont(RuntimeError):
    """No font on this machine can draw Chinese: the 图解 would be empty boxes (raised by
    `graphic.py`; here so that a caller can catch it without importing matplotlib)."""


@record(frozen=True)
class Figure:
    label: str
    value: int | float
    unit: str
    last: int | float | None = None  # last year's, when known

    @property
    def change(self) -> int | float | None:
        return None if self.last is None else self.value - self.last


@record(frozen=True)
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


# What each figure is, in the order `_values` gives them: a value read, a row's or a group's
# 总计 (`_total`), or the sum of values read (`sued`).
_VALUE, _TOTAL, _SUM = "value", "total", "sum"
_T2, _T3, _T4 = m.TABLE2_ROOT, m.TABLE3_ROOT, m.TABLE4_ROOT
_PARTS = tuple(col.id for col in m.REVIEW_PARTS)
_PLAN: tuple[tuple[str, tuple[m.Path, ...]], ...] = (
    *((_VALUE, (_T2 + p,)) for p in (
        ("rules", "issued"),
        ("rules", "in_force"),  # not shown: whether 规章 are
        ("normative_documents", "issued"),
        ("licensing", "decisions"),
        ("penalty", "decisions"),
        ("coercion", "decisions"),
    )),
    *((_TOTAL, (_T3 + p,)) for p, _ in _OUTCOME_GROUPS),
    (_TOTAL, (_T3 + m.TABLE3_CARRIED_FORWARD.path,)),
    (_TOTAL, (_T3 + m.TABLE3_NEW.path,)),
    (_TOTAL, (_T3 + m.TABLE3_CARRIED_OVER.path,)),
    *((_VALUE, (_T4 + ("review", c),)) for c in ("total", *_PARTS)),
    *((_SUM, tuple(_T4 + (g, c) for g in _LITIGATION)) for c in ("total", *_PARTS)),
)  # fmt: skip
_NUMBERS = frozenset({int, float})


def _values(data: Any) -> list[int | float]:
    """The figures' values, as `_PLAN` says."""
    fast = _fast_values(data)
    if fast is not None:
        return fast
    out: list[int | float] = []
    for kind, paths in _PLAN:
        if kind == _VALUE:
            out.append(_value(data, paths[0]))
        elif kind == _TOTAL:
            out.append(_total(data, paths[0]))
        else:
            out.append(sum(_value(data, path) for path in paths))
    return out


def _fast_values(data: Any) -> list[int | float] | None:
    """`_values` of data shaped as the format is, every number read an int or a float (not a
    bool): read at once, then summed as `_values` sums (a group's 总计 from 0, a row's as it
    is). None for anything else — a node missing or not a dict, a group holding other than
    rows with a 总计, a value of another type —, which `_values` then reads its careful way."""
    raw: list[Any] = []
    spans: list[tuple[int, bool]] = []  # where each figure's numbers end; whether summed
    try:
        for kind, paths in _PLAN:
            summed = kind == _SUM
            for path in paths:
                node = data
                for key in path:
                    node = node.get(key)  # AttributeError unless a dict (or a None: missing)
                if kind != _TOTAL:
                    raw.append(node)
                elif type(node) is not dict:
                    return None
                elif "total" in node:
                    raw.append(node["total"])
                else:
                    summed = True
                    for child in node.values():
                        if type(child) is not dict or "total" not in child:
                            return None
                        raw.append(child["total"])
            spans.append((len(raw), summed))
    except AttributeError:
        return None
    if not _NUMBERS.issuperset(map(type, raw)):
        return None
    out: list[int | float] = []
    first = 0
    for end, summed in spans:
        out.append(sum(raw[first:end]) if summed else raw[first])
        first = end
    return out


def _figure(label: str, value: int | float, unit: str, last: int | float | None) -> Figure:
    """`Figure(label, value, unit, last)` at a third of the cost (see `content.para`): some
    twenty-five a report."""
    f = object.__new__(Figure)
    f.__dict__.update(label=label, value=value, unit=unit, last=last)
    return f


@cache
def labels() -> tuple[str, ...]:
    """The figures' labels in `_PLAN` order (规章's in force has none); each counts 件."""
    parts = tuple(short_label(col.label) for col in m.REVIEW_PARTS)
    return (
        "新制发规章", "", "新制发规范性文件", "行政许可决定", "行政处罚决定", "行政强制决定",
        *(short_label(label) for _, label in _OUTCOME_GROUPS),
        short_label(m.TABLE3_CARRIED_FORWARD.label), "", "",
        m.TABLE4_REVIEW_HEADER, *parts, m.TABLE4_LITIGATION_HEADER, *parts,
    )  # fmt: skip


# Where each figure is in the list `values` gives (the order of `_PLAN`).
RULES, RULES_IN_FORCE, PROACTIVE = 0, 1, (2, 3, 4, 5)
OUTCOMES = tuple(range(6, 13))  # how requests ended, 结转下年度 last
NEW, CARRIED_OVER = 13, 14
REVIEW = 15
REVIEW_PARTS = tuple(range(16, 16 + len(_PARTS)))
LITIGATION = REVIEW_PARTS[-1] + 1
LITIGATION_PARTS = tuple(range(LITIGATION + 1, LITIGATION + 1 + len(_PARTS)))
RECEIVED = "收到政府信息公开申请"


def values(data: Any) -> list[int | float]:
    """The key figures' values, placed as the indices above say (label: `labels()[i]`)."""
    return _values(data)


def proactive_shown(now: list[int | float]) -> tuple[int, ...]:
    """The 主动公开 figures shown: 规章 only for an agency that has some (most cannot make
    them)."""
    return (RULES, *PROACTIVE) if now[RULES] or now[RULES_IN_FORCE] else PROACTIVE


def year_of(data: dict[str, Any]) -> int | None:
    year = data.get("year")
    return year if isinstance(year, int) else None


def key_figures(data: dict[str, Any], last: dict[str, Any] | None = None) -> KeyFigures:
    """The figures of one report (valid against the schema); `last`: last year's report."""
    now = _values(data)
    before: list[Any] = _values(last) if last is not None else [None] * len(now)
    figures = [_figure(lb, v, "件", b) for lb, v, b in zip(labels(), now, before, strict=True)]
    new, carried = now[NEW], now[CARRIED_OVER]
    received_last = None if last is None else before[NEW] + before[CARRIED_OVER]
    agency = get_path(data, ("agency", "name"))
    k = object.__new__(KeyFigures)  # as `Figure`s are made (`_figure`)
    k.__dict__.update(
        agency=agency if isinstance(agency, str) else "",
        year=year_of(data),
        proactive=tuple(figures[i] for i in proactive_shown(now)),
        received=_figure(RECEIVED, new + carried, "件", received_last),
        new=new,
        carried_over=carried,
        outcomes=tuple(figures[i] for i in OUTCOMES),
        review=figures[REVIEW],
        review_parts=tuple(figures[i] for i in REVIEW_PARTS),
        litigation=figures[LITIGATION],
        litigation_parts=tuple(figures[i] for i in LITIGATION_PARTS),
    )
    return k


def number(value: int | float) -> str:
    if type(value) is int and -1000 < value < 1000:  # no thousands to separate: most figures
        return str(value)
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
