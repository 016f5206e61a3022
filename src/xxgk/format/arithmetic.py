"""Arithmetic: rules 1–4 of the official format declared as sums, expanded to checks, and the
totals computed from the input cells as the template's formulas compute them.

The order of computing is explicit (`TOTAL_PLAN`): a total is computed after every total among
its parts. In the format that means: first the totals of inputs only — the six applicant columns
of （七）总计 (each the sum of the 21 outcome rows), the 总计 of every other row of table 三, and
table 四's totals; then （七）总计's 总计, once as the sum of the 21 outcome rows' 总计 and last as
the sum of its six applicant columns, which is the value that stands. With numbers everywhere
both ways agree; when some part is not a number, the later one that can be computed wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from xxgk.format.model import (
    APPLICANT_COLUMNS,
    APPLICANT_PARTS,
    LEAF_BY_POINTER,
    REVIEW_PARTS,
    ROW_BY_PATH,
    TABLE3_CARRIED_FORWARD,
    TABLE3_CARRIED_OVER,
    TABLE3_NAME,
    TABLE3_NEW,
    TABLE3_OUTCOMES,
    TABLE3_RESULTS_TOTAL,
    TABLE3_ROOT,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_ROOT,
    Group,
    Path,
    Row,
    pointer,
)
from xxgk.format.paths import get_path, is_number, set_path
from xxgk.format.record import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any


@record(frozen=True)
class Arithmetic:
    """sum(left) must equal sum(right), for every column in `columns` (or once if empty).

    `at` is the object the rule applies to; "$applicants" and "$review" stand for every object
    of that shape (each row of table 三, each group of table 四). Paths in left/right are
    relative to `at`, and the column id is appended when `columns` is given.
    """

    code: str
    at: Path | str
    left: tuple[Path, ...]
    right: tuple[Path, ...]
    columns: tuple[str, ...] = ()
    computes_left: bool = False  # the template computes the left side with a formula
    doc: str = ""


T3_COLUMN_IDS = tuple(c.id for c in APPLICANT_COLUMNS)

ARITHMETIC: tuple[Arithmetic, ...] = (
    Arithmetic(
        "T3_BALANCE",
        TABLE3_ROOT,
        (TABLE3_NEW.path, TABLE3_CARRIED_OVER.path),
        (TABLE3_RESULTS_TOTAL.path, TABLE3_CARRIED_FORWARD.path),
        T3_COLUMN_IDS,
        doc="规则1：表三每一列，第一项加第二项之和，等于第三项（七）总计加第四项之和。",
    ),
    Arithmetic(
        "T3_OUTCOME_TOTAL",
        TABLE3_ROOT,
        (TABLE3_RESULTS_TOTAL.path,),
        tuple(r.path for r in TABLE3_OUTCOMES),
        T3_COLUMN_IDS,
        computes_left=True,
        doc="规则2：表三每一列，（七）总计等于 21 个办理结果行之和。",
    ),
    Arithmetic(
        "T3_ROW_TOTAL",
        "$applicants",
        (("total",),),
        tuple((c.id,) for c in APPLICANT_PARTS),
        computes_left=True,
        doc="规则3：表三每一行，总计等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之和。",
    ),
    Arithmetic(
        "T4_TOTAL",
        "$review",
        (("total",),),
        tuple((c.id,) for c in REVIEW_PARTS),
        computes_left=True,
        doc="规则4：表四每一组，总计等于结果维持、结果纠正、其他结果、尚未审结之和。",
    ),
)


@record(frozen=True)
class Check:
    """One expanded arithmetic check over absolute paths."""

    code: str
    left: tuple[Path, ...]
    right: tuple[Path, ...]
    column: str | None = None
    row: Row | None = None
    group: Group | None = None
    computes_left: bool = False
    paths: tuple[Path, ...] = field(default=(), compare=False)


def shape_instances(shape: str) -> Iterator[tuple[Path, Row | None, Group | None]]:
    if shape == "$applicants":
        for row in TABLE3_ROWS:
            yield TABLE3_ROOT + row.path, row, None
    elif shape == "$review":
        for group in TABLE4_GROUPS:
            yield TABLE4_ROOT + (group.id,), None, group
    else:
        raise ValueError(shape)


def checks() -> tuple[Check, ...]:
    """All arithmetic checks expanded to absolute paths, in document order."""
    return _CHECKS


def _build_checks() -> tuple[Check, ...]:
    out: list[Check] = []
    for rule in ARITHMETIC:
        if isinstance(rule.at, str):
            bases = list(shape_instances(rule.at))
        else:
            bases = [(rule.at, None, None)]
        for base, row, group in bases:
            for col in rule.columns or (None,):
                suffix = (col,) if col else ()
                left = tuple(base + p + suffix for p in rule.left)
                right = tuple(base + p + suffix for p in rule.right)
                out.append(
                    Check(
                        rule.code,
                        left,
                        right,
                        column=col,
                        row=row,
                        group=group,
                        computes_left=rule.computes_left,
                        paths=left + right,
                    )
                )
    return tuple(out)


_CHECKS = _build_checks()


def term_label(path: Path) -> str:
    """How a value is named inside an arithmetic message: 一, （七）总计, 自然人 …"""
    leaf = LEAF_BY_POINTER.get(pointer(path))
    if leaf and leaf.table == TABLE3_NAME:
        row = ROW_BY_PATH.get(path[:-1])
        if row and row.short:
            return row.short
        if row:
            return row.label
    return leaf.title if leaf else "/".join(path)


def total_paths() -> tuple[Path, ...]:
    """Paths of the cells the template computes (the left side of computing rules)."""
    seen: dict[Path, None] = {}
    for check in _CHECKS:
        if check.computes_left:
            for p in check.left:
                seen.setdefault(p, None)
    return tuple(seen)


# A computing rule: the cell it sets, and the cells it sums (in the order they are added).
Step = tuple[Path, tuple[Path, ...]]


def _plan() -> tuple[Step, ...]:
    """The computing checks, each after the checks that compute any of its parts.

    Stable by depth (a total of inputs has depth 0, a total of totals 1 + its deepest part),
    so equal depths keep `model.checks()` order, where the row rule T3_ROW_TOTAL follows the
    column rule T3_OUTCOME_TOTAL: the row sum of （七）总计 comes last and stands.
    """
    computing = [c for c in checks() if c.computes_left]
    writers: dict[Path, list[int]] = {}
    for i, check in enumerate(computing):
        writers.setdefault(check.left[0], []).append(i)
    depth: dict[int, int] = {}

    def depth_of(i: int, active: frozenset[int] = frozenset()) -> int:
        if i not in depth:
            if i in active:  # pragma: no cover - the format's sums are not circular
                raise ValueError("circular totals in the model")
            parts = [w for p in computing[i].right for w in writers.get(p, ())]
            depth[i] = 1 + max((depth_of(w, active | {i}) for w in parts), default=-1)
        return depth[i]

    order = sorted(range(len(computing)), key=depth_of)
    return tuple((computing[i].left[0], computing[i].right) for i in order)


TOTAL_PLAN: tuple[Step, ...] = _plan()


def compute_totals_in_place(data: dict[str, Any]) -> dict[str, Any]:
    """Recompute every total cell of `data` itself, in `TOTAL_PLAN` order; returns `data`.

    A total whose parts are not all numbers is left as it is (the validator reports the parts).
    """
    for left, right in TOTAL_PLAN:
        parts = [get_path(data, p) for p in right]
        if all(is_number(v) for v in parts):
            set_path(data, left, sum(parts))
    return data


def compute_totals(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` with every total cell recomputed from the cells it sums."""
    import copy  # not on import: what `xxgk validate` loads is what it uses (issue 16)

    return compute_totals_in_place(copy.deepcopy(data))


TOTAL_POINTERS: frozenset[str] = frozenset(pointer(p) for p in total_paths())


def _parts_of() -> dict[str, tuple[tuple[str, ...], ...]]:
    options: dict[str, list[tuple[str, ...]]] = {}
    for left, right in TOTAL_PLAN:
        options.setdefault(pointer(left), []).append(tuple(pointer(p) for p in right))
    return {ptr: tuple(found) for ptr, found in options.items()}


# Each total's pointer → every list of pointers it is a sum of: one for most totals, two for
# （七）总计's 总计 (its row, as the template writes it, or its column); both follow the format.
PARTS_OF: dict[str, tuple[tuple[str, ...], ...]] = _parts_of()


def tainted_totals(unknown: Iterable[str]) -> set[str]:
    """The totals computed, directly or through other totals, from any of the `unknown`
    pointers (input cells whose value is not known): their sums are not known either."""
    bad = set(unknown)
    out: set[str] = set()
    for left, right in TOTAL_PLAN:  # parts before the totals of totals: one pass settles it
        if any(pointer(p) in bad or pointer(p) in out for p in right):
            out.add(pointer(left))
    return out
