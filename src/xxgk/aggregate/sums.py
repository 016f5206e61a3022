"""The summed report of a county or city: every numeric table cell summed over its agencies.

Pure: candidates (already read and checked) in, an `Aggregate` out; the CLI (`cli/aggregate.py`)
reads and writes. Which inputs are summed:

1. xxgk's own outputs are never units: a manifest of an earlier run, and a summed report — one
   its manifest marks as such (`Candidate.summed`) or whose summary paragraph is the one
   `summary_text` writes — whose agency is `--agency` or whose units are among the inputs too;
2. an input whose agency is `--agency` itself is excluded (the county's own report is not one
   of its units);
3. an input that could not be read, is of another year, or has errors is excluded (in that
   order of reasons);
4. of several valid inputs of the same agency (same name after `check.years.normalise_agency`), the
   first in the given order is kept (the CLI sorts inputs by path) and the rest are excluded as
   duplicates, naming the kept file.

The sum is taken over every numeric leaf of the model (tables 二, 三, 四 and the 信息处理费
figures); totals are then recomputed with `compute_totals`, so the result satisfies rules 1–4
by construction. Amounts are summed as decimals so that 0.1 + 0.2 stays 0.3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xxgk.aggregate.figures import decimal_of, key_figures, plain_number
from xxgk.aggregate.spill import FirstSeen
from xxgk.check.years import normalise_agency
from xxgk.files.spill import Spilled
from xxgk.format import model as m
from xxgk.format.arithmetic import compute_totals
from xxgk.format.paths import get_path, is_number, is_whole, set_path
from xxgk.format.schema import SCHEMA_ID
from xxgk.report import text as rt

INCLUDED = "included"
UNREADABLE = "unreadable"
OTHER_YEAR = "other_year"
INVALID = "invalid"
DUPLICATE = "duplicate"
OWN_OUTPUT = "own_output"
SAME_AGENCY = "same_agency"
DOUBLE_COUNT = "double_count"
STATUS_LABEL = {
    INCLUDED: "已汇总",
    UNREADABLE: "无法读取",
    OTHER_YEAR: "年度不符",
    INVALID: "有错误",
    DUPLICATE: "重复报送",
    OWN_OUTPUT: "汇总输出",
    SAME_AGENCY: "汇总机关本身",
    DOUBLE_COUNT: "重复计算",
}
# The manifest says what it is, so that a later run finds it among its inputs and skips it.
MANIFEST_KIND = "xxgk-aggregate-manifest"
# Who the generated paragraphs of a summed report speak of (`report.text`'s default: 本机关).
SUBJECT = "本地区各单位合计"


@dataclass(slots=True)
class Candidate:
    """One input as read: `data` None when unreadable; `errors` counts error findings.

    What `select` decides by is taken from `data` when the candidate is made, so that a run
    over thousands of inputs can drop `data` once it is summed (`stream.py`), keeping only the
    key figures of the comparison sheet."""

    path: str
    data: Any = None
    errors: int = 0
    error: str | None = None  # why it could not be read
    own: str | None = None  # why this is one of xxgk's own outputs (a manifest), not a report
    summed: tuple[str, ...] | None = None  # a summed report: the agencies its manifest lists
    readable: bool = field(init=False)
    agency: str = field(init=False)  # as written in the report ("" if unknown)
    year: Any = field(init=False)
    says_summed: bool = field(init=False)  # its summary paragraph is the one aggregate writes
    figures: list[int | float] | None = None  # `key_figures(data)`, kept when data is dropped

    def __post_init__(self) -> None:
        self.readable = self.data is not None
        self.agency = _agency(self.data)
        self.year = self.data.get("year") if isinstance(self.data, dict) else None
        self.says_summed = is_summed_report(self.data)


@dataclass(slots=True)
class Entry:
    path: str
    agency: str  # as written in the report ("" if unknown)
    status: str
    reason: str = ""  # Chinese, for excluded entries
    data: Any = None
    figures: list[int | float] | None = None  # its key figures, where `data` was dropped
    index: int = -1  # of its candidate in the candidates given to `select`

    def key_figures(self) -> list[int | float]:
        return self.figures if self.figures is not None else key_figures(self.data)

    def to_dict(self) -> dict[str, Any]:
        out = {"path": self.path, "agency": self.agency, "status": self.status}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class Missing:
    agency: str  # as written in the expect list
    note: str = ""  # e.g. that a file of this agency was excluded, and why


@dataclass
class Aggregate:
    data: dict[str, Any]
    included: Sequence[Entry] = field(default_factory=list)
    excluded: Sequence[Entry] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)  # 缺报: expected, nothing summed
    unexpected: list[str] = field(default_factory=list)  # summed, but not in the expect list

    def manifest(
        self, outputs: Sequence[str] = (), entries: Callable[[Sequence[Entry]], Any] | None = None
    ) -> dict[str, Any]:
        """What was summed; `outputs`: the names of the files written with it; `entries`: how
        a list of entries is given (as a list of dicts unless said: `manifest.py`)."""
        made = entries or (lambda es: [e.to_dict() for e in es])
        return {
            "kind": MANIFEST_KIND,
            "outputs": list(outputs),
            "agency": self.data["agency"]["name"],
            "year": self.data["year"],
            "included": made(self.included),
            "excluded": made(self.excluded),
            "missing": [{"agency": x.agency, "note": x.note} for x in self.missing],
            "unexpected": list(self.unexpected),
        }


NUMERIC_LEAVES: tuple[m.Leaf, ...] = tuple(
    leaf for leaf in m.leaves() if leaf.kind in m.NUMERIC_KINDS
)


def _agency(data: Any) -> str:
    name = get_path(data, ("agency", "name"))
    return name.strip() if isinstance(name, str) else ""


def empty_report(
    agency: str,
    year: int,
    *,
    address: str = "",
    postcode: str = "",
    phone: str = "",
    published_on: str = "",
) -> dict[str, Any]:
    """A report with every number 0 and every text empty, in the model's key order."""
    given = {
        ("agency", "name"): agency,
        ("agency", "address"): address,
        ("agency", "postcode"): postcode,
        ("agency", "phone"): phone,
        ("published_on",): published_on,
    }
    out: dict[str, Any] = {"$schema": SCHEMA_ID}
    for leaf in m.leaves():
        if leaf.optional:
            continue
        if leaf.kind == m.CONST:
            value: Any = m.FORMAT_ID
        elif leaf.kind == m.YEAR:
            value = year
        elif leaf.kind in m.NUMERIC_KINDS:
            value = 0
        else:
            value = given.get(leaf.path, "")
        set_path(out, leaf.path, value)
    return out


class Sums:
    """Every numeric leaf summed over the reports added so far (as decimals: exact, so the
    order they come in does not matter)."""

    def __init__(self) -> None:
        self.totals = [Decimal(0)] * len(NUMERIC_LEAVES)

    def add(self, data: Any) -> None:
        for i, leaf in enumerate(NUMERIC_LEAVES):
            value = get_path(data, leaf.path)
            if is_number(value):
                self.totals[i] += decimal_of(value)

    def report(self, base: dict[str, Any]) -> dict[str, Any]:
        """`base` (texts, year, agency) with the sums, totals recomputed."""
        out = compute_totals(base)  # a copy
        for leaf, total in zip(NUMERIC_LEAVES, self.totals, strict=True):
            set_path(out, leaf.path, plain_number(total))
        return compute_totals(out)


def sum_reports(reports: Iterable[dict[str, Any]], base: dict[str, Any]) -> dict[str, Any]:
    """`base` (texts, year, agency) with every numeric leaf the sum over `reports`, totals
    recomputed. Values that are not numbers count as 0 (callers pass only valid reports)."""
    sums = Sums()
    for data in reports:
        sums.add(data)
    return sums.report(base)


_SUMMARY_HEAD = "本报告由"
_SUMMARY_MARK = "汇总本地区"


def summary_text(agency: str, year: int, count: int) -> str:
    """The summary paragraph of the summed report; `is_summed_report` recognises it."""
    return (
        f"{_SUMMARY_HEAD}{agency}{_SUMMARY_MARK}{count}个单位报送的{year}年政府信息公开工作"
        f"年度报告统计数据形成，表格数据为各单位数据之和。"
    )


def is_summed_report(data: Any) -> bool:
    """Whether `data` is a summed report written by `aggregate` (its summary paragraph)."""
    text = get_path(data, ("overview", "summary"))
    return isinstance(text, str) and text.startswith(_SUMMARY_HEAD) and _SUMMARY_MARK in text


def is_manifest(data: Any) -> bool:
    """Whether `data` is an aggregate manifest (also one of before it said its kind)."""
    if not isinstance(data, dict):
        return False
    if data.get("kind") == MANIFEST_KIND:
        return True
    return {"included", "excluded", "missing"} <= data.keys() and "requests" not in data


def narrative(data: dict[str, Any]) -> dict[m.Path, str]:
    """The paragraphs a report would generate from the numbers, said of all units together:
    written into the summed report so that it never says 本机关 of a sum."""
    return {
        ("overview", "proactive"): rt.proactive(data, subject=SUBJECT),
        ("overview", "on_request"): rt.on_request(data, subject=SUBJECT),
        ("other_matters", "text"): rt.processing_fees(data, subject=SUBJECT),
    }


def own_reason(c: Candidate, key: str, others: set[str]) -> tuple[str, str] | None:
    """(status, reason) if the candidate is one of xxgk's own outputs or the county itself
    (`key`: the county's agency, normalised); `others`: the agencies of the units among the
    inputs, which only a summed report's status depends on."""
    if c.own:
        return OWN_OUTPUT, c.own
    if not c.readable:
        return None
    agency = c.agency
    name = normalise_agency(agency)
    summed = c.summed is not None or c.says_summed
    if key and summed and name == key:
        return OWN_OUTPUT, "这是汇总报告本身，不作为单位汇总"
    if key and name == key:
        return SAME_AGENCY, "机关名称与汇总机关（--agency）相同：本级报告不作为本地区的单位汇总"
    overlap = [a for a in (c.summed or ()) if normalise_agency(a) in others]
    if overlap:
        shown = "、".join(overlap[:3]) + ("等" if len(overlap) > 3 else "")
        reason = f"这是{agency}的汇总报告，其中{shown}的报告也在本次输入中，再汇总会重复计算"
        return DOUBLE_COUNT, reason
    return None


def select(
    candidates: Sequence[Candidate],
    year: int,
    agency: str = "",
    entries: Callable[[], Spilled[Entry]] | None = None,
) -> tuple[Sequence[Entry], Sequence[Entry]]:
    """Split candidates into included and excluded entries (see the module docstring);
    `agency`: the summed report's own agency (--agency); `entries`: where entries are kept (in
    lists unless said). Holds no text per input: names are read back from `candidates`."""
    included: list[Entry] | Spilled[Entry] = entries() if entries else []
    excluded: list[Entry] | Spilled[Entry] = entries() if entries else []
    kept = FirstSeen(lambda i: normalise_agency(candidates[i].agency))
    key = normalise_agency(agency)
    units: set[str] | None = None  # only a summed report's status depends on the others
    for i, c in enumerate(candidates):
        agency = c.agency

        def entry(status: str, reason: str = "", c: Candidate = c, i: int = i) -> Entry:
            return Entry(c.path, c.agency, status, reason, c.data, c.figures, i)

        if c.summed is not None and units is None:
            units = {
                normalise_agency(u.agency)
                for u in candidates
                if u.readable and not u.own and u.summed is None
            }
        own = own_reason(c, key, units if units is not None else set())
        if own is not None:
            excluded.append(entry(*own))
            continue
        if not c.readable:
            excluded.append(Entry(c.path, "", UNREADABLE, c.error or "无法读取", None, None, i))
            continue
        got_year = c.year
        name = normalise_agency(agency)
        if is_whole(got_year) and got_year != year:
            excluded.append(entry(OTHER_YEAR, f"报告年度为{got_year}年，不是{year}年"))
        elif c.errors or got_year != year:  # a year that is not a number is an error too
            reason = f"有{max(c.errors, 1)}处错误，请先用 xxgk validate 查看并改正"
            excluded.append(entry(INVALID, reason))
        elif (first := kept.get(name)) is not None:
            path = candidates[first].path
            excluded.append(entry(DUPLICATE, f"与{path}为同一单位，已汇总该文件"))
        else:
            kept.add(name, i)
            included.append(entry(INCLUDED))
    return included, excluded


def missing_agencies(
    expected: Sequence[str], included: Sequence[Entry], excluded: Sequence[Entry]
) -> tuple[list[Missing], list[str]]:
    """缺报 (expected, nothing summed) and the summed agencies not on the list."""
    have = {normalise_agency(e.agency) for e in included}
    wanted = {normalise_agency(name) for name in expected}
    missing: list[Missing] = []
    for name in expected:
        key = normalise_agency(name)
        if key in have:
            continue
        notes = [
            f"{e.path}：{STATUS_LABEL[e.status]}（{e.reason}）"
            for e in excluded
            if e.agency and normalise_agency(e.agency) == key
        ]
        missing.append(Missing(name, "；".join(notes)))
    unexpected = [e.agency for e in included if normalise_agency(e.agency) not in wanted]
    return missing, unexpected


def aggregate(
    candidates: Sequence[Candidate],
    *,
    agency: str,
    year: int,
    expected: Sequence[str] | None = None,
    address: str = "",
    postcode: str = "",
    phone: str = "",
    published_on: str | None = None,
) -> Aggregate:
    """Select the inputs to sum, sum them, and list what was left out."""
    included, excluded = select(candidates, year, agency)
    sums = Sums()
    for e in included:
        sums.add(e.data)
    return finish(
        included,
        excluded,
        sums,
        agency=agency,
        year=year,
        expected=expected,
        address=address,
        postcode=postcode,
        phone=phone,
        published_on=published_on,
    )


def finish(
    included: Sequence[Entry],
    excluded: Sequence[Entry],
    sums: Sums,
    *,
    agency: str,
    year: int,
    expected: Sequence[str] | None,
    address: str,
    postcode: str,
    phone: str,
    published_on: str | None,
) -> Aggregate:
    """The summed report of `included` (whose numbers `sums` holds), and what was left out."""
    base = empty_report(
        agency,
        year,
        address=address,
        postcode=postcode,
        phone=phone,
        published_on=published_on or f"{year + 1}-01-31",
    )
    base["overview"]["summary"] = summary_text(agency, year, len(included))
    data = sums.report(base)
    for path, text in narrative(data).items():
        set_path(data, path, text)
    missing, unexpected = (
        ([], []) if expected is None else missing_agencies(expected, included, excluded)
    )
    return Aggregate(data, included, excluded, missing, unexpected)
