"""表三 (收到和处理政府信息公开申请情况) as published: 25 rows of 7 numbers, in the 2021 layout
or the 2019 one whose （六）其他处理 is a single row."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from functools import cache

from xxgk.check import findings as fc
from xxgk.format import model as m
from xxgk.published.recognised import FORMAT_2019
from xxgk.published.rows import Row, RowSpec, finding, place
from xxgk.published.scan import TableScan

OTHER_2019 = "other-2019"  # the key of a single （六）其他处理 row
_OTHER_PATH = ("results", "other")


def _pointers(path: m.Path) -> tuple[str, ...]:
    return tuple(m.pointer(m.TABLE3_ROOT + path + (c.id,)) for c in m.APPLICANT_COLUMNS)


@cache
def _specs() -> dict[Hashable, RowSpec]:
    specs: dict[Hashable, RowSpec] = {
        r.path: RowSpec(r.full_label, _pointers(r.path)) for r in m.TABLE3_ROWS
    }
    group = m.TABLE3_GROUP_TITLES[_OTHER_PATH]
    specs[OTHER_2019] = RowSpec(group, _pointers(_OTHER_PATH + ("other",)))
    return specs


def _forms() -> list[tuple[str, Hashable]]:
    results = m.TABLE3_RESULTS_GROUP
    out: list[tuple[str, Hashable]] = []
    for r in m.TABLE3_ROWS:
        out.append((r.label, r.path))
        if r.path[0] == "results":  # with the row-span labels that may come first
            out.append((f"{results}{r.label}", r.path))
            if r.group:
                out += [(f"{r.group}{r.label}", r.path), (f"{results}{r.group}{r.label}", r.path)]
    group = m.TABLE3_GROUP_TITLES[_OTHER_PATH]
    out += [(group, OTHER_2019), (f"{results}{group}", OTHER_2019)]
    return out


class Table3(TableScan):
    name = m.TABLE3_NAME
    title = m.SECTIONS[2].heading
    alternatives = frozenset({OTHER_2019})
    number_headers = (
        m.APPLICANT_COLUMNS[0].label,
        m.APPLICANT_COLUMNS[-1].label,
        len(m.APPLICANT_COLUMNS),
    )
    column_order = tuple(c.label for c in m.APPLICANT_COLUMNS)

    def specs(self) -> dict[Hashable, RowSpec]:
        return _specs()

    def forms(self) -> Iterable[tuple[str, Hashable]]:
        return _forms()

    def headers(self) -> Iterable[str]:
        yield from (m.TABLE3_CORNER, m.TABLE3_APPLICANT_HEADER, m.TABLE3_LEGAL_PERSON_HEADER)
        yield from (c.label for c in m.APPLICANT_COLUMNS)
        yield from m.TABLE3_GROUP_TITLES.values()
        yield "项目"  # the corner of the Markdown rendering

    def leaves(self) -> list[str]:
        return [p for key, spec in _specs().items() if key != OTHER_2019 for p in spec.pointers]

    def wants_blank_row(self, key: Hashable) -> bool:
        # a （六）其他处理 cell alone with empty cells is the 2021 group cell, not a 2019 row
        return key != OTHER_2019

    def columns(self, key: Hashable, row: Row, printed: str) -> Sequence[str | None] | None:
        return _specs()[key].pointers

    def finish(self) -> None:
        if OTHER_2019 not in self.read:
            return
        subrows = [r.path for r in m.TABLE3_OUTCOMES if r.path[:2] == _OTHER_PATH]
        other = _specs()[OTHER_2019]
        where = self.out.origins[other.pointers[0]]
        if any(p in self.read for p in subrows):
            self._drop(OTHER_2019)
            self.out.findings.append(
                finding(
                    fc.IMPORT_ROW_UNPLACED,
                    where,
                    other.pointers[0],
                    list(other.pointers),
                    where=place(where),
                    table=self.name,
                    label=other.label,
                    reason="表中既有只占一行的「（六）其他处理」，又有它的分项",
                )
            )
            return
        rest = [r for r in m.TABLE3_OUTCOMES if r.path in subrows and r.path[-1] != "other"]
        paths = list(other.pointers) + [p for r in rest for p in _specs()[r.path].pointers]
        labels = "」「".join(r.label for r in rest)
        target = next(r.label for r in m.TABLE3_OUTCOMES if r.path == _OTHER_PATH + ("other",))
        detail = (
            f"「{other.label}」只有一行，已计入「{target}」；「{labels}」两项"
            f"是 2021 年格式新增的，原文没有，未导入"
        )
        self.out.findings.append(
            finding(
                fc.IMPORT_FORMAT_2019,
                where,
                paths[0],
                paths,
                where=place(where),
                table=self.name,
                detail=detail,
                notice=m.FORMAT_NOTICE,
            )
        )
        self.out.layout = FORMAT_2019
