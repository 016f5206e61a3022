"""The 校验 button, run through xlwings' remote engine on real template workbooks (no Excel).

Each test builds the request an Excel client sends from an openpyxl workbook (tests/xlremote.py),
makes it the mock caller, calls `xxgk_addin.main()` and checks the actions the engine returns;
`xlremote.apply` then does them to the workbook, so that a second run sees the first one's marks.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

import xxgk_addin
from tests import oracle
from tests import xlremote as xr
from tests.conftest import load_example
from xxgk.check import findings as fc
from xxgk.check.source import check_source
from xxgk.excel import addin, marks
from xxgk.excel import read as excel_read
from xxgk.excel import write as excel_write
from xxgk.files.read import read_source
from xxgk.workbook import results
from xxgk.workbook.template import build_template, layout

MARK = excel_write.MARK_COLOUR
# Reads from Excel per run, however many cells and findings there are: the defined names once,
# the sheet list once, one rectangle of values (A1 to the last named cell) per sheet holding
# named cells (7 in the template), one rectangle of formulas per sheet holding totals (表三,
# 表四) and the marks sheet (or, without one, an old 校验结果 sheet) once: 12. A workbook that
# is not our template costs 2.
READS_PER_RUN = 1 + 1 + 7 + 2 + 1
CELLS = layout().cells  # dotted name → (sheet, cell)

# What staff get wrong, by defined name: (value typed, code expected at that cell)
BROKEN = {
    "requests.new.natural_person": ("无", fc.WB_NOT_NUMBER),
    "requests.new.commercial": ("５", fc.WB_FULLWIDTH),
    "proactive.licensing.decisions": (-3, fc.VALUE_NEGATIVE),
}


@pytest.fixture(autouse=True)
def _licence(monkeypatch):
    # xlwings' remote engine; its PolyForm Noncommercial licence covers government use
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    yield
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller


def clean_data() -> dict[str, Any]:
    data = load_example()
    data["published_on"] = f"{data['year'] + 1}-01-20"  # in time: no DATE_LATE warning
    return data


def broken_workbook() -> tuple[Workbook, dict[str, Any]]:
    """The example with BROKEN typed in and one outcome changed (table 三 no longer balances)."""
    data = clean_data()
    wb = build_template(data=data)
    for name, (value, _code) in BROKEN.items():
        sheet, cell = CELLS[name]
        wb[sheet][cell].value = value
    sheet, cell = CELLS["requests.results.granted.research"]
    wb[sheet][cell].value = wb[sheet][cell].value + 1
    return wb, data


def click(wb: Workbook, name: str = "年报.xlsx") -> list[dict[str, Any]]:
    """Press 校验 on `wb`: the actions the add-in sends back to Excel."""
    book = xr.remote_book(wb, name)
    book.set_mock_caller()
    xxgk_addin.main()
    return book.json()["actions"]


def cli_findings(wb: Workbook, tmp_path: Path) -> list[tuple[str | None, str | None, str]]:
    """What `xxgk validate` finds in the same workbook saved to a file."""
    path = tmp_path / "wb.xlsx"
    wb.save(path)
    source = read_source(path)
    assert source.readable, source.error
    return [(f.sheet, f.cell, f.code) for f in check_source(source)]


def by_func(actions: list[dict[str, Any]], func: str) -> list[dict[str, Any]]:
    return [a for a in actions if a["func"] == func]


def result_table(actions: list[dict[str, Any]]) -> list[list[Any]]:
    [sheet_add] = [a for a in by_func(actions, "addSheet") if a["args"][1] == results.RESULT_SHEET]
    position = sheet_add["args"][0]
    [write] = [a for a in by_func(actions, "setValues") if a["sheet_position"] == position]
    assert (write["start_row"], write["start_column"]) == (0, 0)
    return write["values"]


def finding_rows(table: list[list[Any]]) -> list[dict[str, Any]]:
    assert table[results.RESULT_FIRST_ROW - 2] == list(results.RESULT_HEADER)
    return [dict(zip(results.RESULT_HEADER, row, strict=True)) for row in table[4:]]


def test_clean_workbook_passes_and_marks_nothing():
    wb = build_template(data=clean_data())
    actions = click(wb)
    assert by_func(actions, "setRangeColor") == []
    assert by_func(actions, "addNote") == []
    table = result_table(actions)
    assert table[0][0] == "校验结果：年报.xlsx"
    assert table[1][0].startswith(fc.summary_text(0, 0))
    assert finding_rows(table) == []
    assert [a["args"][1] for a in by_func(actions, "addSheet")] == [results.RESULT_SHEET]
    [alert] = by_func(actions, "alert")
    assert alert["args"][0] == fc.summary_text(0, 0)
    assert actions[-1] is alert


def test_broken_workbook_marks_every_problem_cell(tmp_path):
    wb, _ = broken_workbook()
    expected = cli_findings(wb, tmp_path)
    actions = click(wb)

    # the same findings as the CLI, cell for cell
    table = result_table(actions)
    rows = finding_rows(table)
    assert [(r["工作表"] or None, r["代码"]) for r in rows] == [(s, c) for s, _cell, c in expected]
    assert [r["序号"] for r in rows] == list(range(1, len(expected) + 1))
    for (sheet, cell, _code), row in zip(expected, rows, strict=True):
        assert row["单元格"] == f'=HYPERLINK("#\'{sheet}\'!{cell}","{cell}")'
    for name, (_value, code) in BROKEN.items():
        assert (*CELLS[name], code) in expected
    assert any(code == fc.T3_BALANCE for _s, _c, code in expected)

    # every problem cell, and only those, filled light red and given a note
    problem_cells = {(s, c) for s, c, _code in expected if s and c}
    painted = {xr.action_cell(wb, a) for a in by_func(actions, "setRangeColor")}
    assert painted == problem_cells
    assert all(a["args"] == [MARK] for a in by_func(actions, "setRangeColor"))
    noted = {xr.action_cell(wb, a): a["args"][1] for a in by_func(actions, "addNote")}
    assert set(noted) == problem_cells
    source = read_source(tmp_path / "wb.xlsx")
    for f in check_source(source):
        assert f.message in noted[(f.sheet, f.cell)]

    errors = sum(1 for s, c, code in expected if fc.CATALOGUE[code].severity == fc.ERROR)
    warnings = len(expected) - errors
    assert table[1][0].startswith(fc.summary_text(errors, warnings))
    [alert] = by_func(actions, "alert")
    assert alert["args"][0].startswith(fc.summary_text(errors, warnings))
    assert alert["args"][3] == "critical"


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: _plain_workbook(), id="not-our-template"),
        pytest.param(lambda: _old_version(), id="other-template-version"),
        pytest.param(lambda: _sheet_deleted(), id="sheet-deleted"),
    ],
)
def test_not_our_template_gets_an_alert_and_nothing_else(make):
    wb, code = make()
    actions = click(wb)
    assert [a["func"] for a in actions] == ["alert"]
    prompt = actions[0]["args"][0]
    assert fc.CATALOGUE[code].title  # the code exists
    assert actions[0]["args"][3] == "critical"
    args = {
        "found": "xxgk-2020-v0",
        "expected": "xxgk-2021-v2",
        "sheets": "「表四」",
        "marker": "xxgk.template",
    }
    needed = {k: v for k, v in args.items() if "{" + k + "}" in fc.CATALOGUE[code].template}
    assert fc.make(code, "", **needed).message in prompt


def _plain_workbook() -> tuple[Workbook, str]:
    wb = Workbook()
    wb.active.title = "表三"
    wb.active["A1"] = "本年新收政府信息公开申请数量"
    wb.active["C6"] = 5
    return wb, fc.WB_NOT_TEMPLATE


def _old_version() -> tuple[Workbook, str]:
    wb = build_template(data=clean_data())
    wb.defined_names["xxgk.template"] = DefinedName("xxgk.template", attr_text='"xxgk-2020-v0"')
    return wb, fc.WB_OLD_TEMPLATE


def _sheet_deleted() -> tuple[Workbook, str]:
    wb = build_template(data=clean_data())
    wb.remove(wb["表四"])
    return wb, fc.WB_MISSING_SHEET


def _fills(wb: Workbook) -> dict[tuple[str, str], str | None]:
    out = {}
    for sheet, cell in CELLS.values():
        fill = wb[sheet][cell].fill
        out[(sheet, cell)] = fill.fgColor.rgb if fill.fill_type else None
    return out


def _notes(wb: Workbook) -> set[tuple[str, str]]:
    return {
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment is not None
    }


def test_second_run_clears_the_first_runs_marks(tmp_path):
    wb, data = broken_workbook()
    template_fills = _fills(build_template(data=data))
    first = click(wb)
    xr.apply(wb, first)
    marked = {xr.action_cell(wb, a) for a in by_func(first, "setRangeColor")}
    assert len(marked) >= 4
    assert _notes(wb) == marked
    assert wb[marks.MARKS_SHEET].sheet_state == "hidden"

    # fix one problem only: it loses its mark, the others keep theirs (note text renewed)
    fixed_name = "proactive.licensing.decisions"
    sheet, cell = CELLS[fixed_name]
    wb[sheet][cell].value = data["proactive"]["licensing"]["decisions"]
    second = click(wb)
    xr.apply(wb, second)
    assert _notes(wb) == marked - {(sheet, cell)}
    assert wb[sheet][cell].fill.fgColor.rgb == template_fills[(sheet, cell)]
    renewed = {xr.action_cell(wb, a) for a in by_func(second, "setNoteText")}
    assert renewed == marked - {(sheet, cell)}
    assert by_func(second, "addNote") == []

    # fix everything: no mark, no note, every data cell back to the template's own fill
    for name, value in (
        ("requests.new.natural_person", data["requests"]["new"]["natural_person"]),
        ("requests.new.commercial", data["requests"]["new"]["commercial"]),
        (
            "requests.results.granted.research",
            data["requests"]["results"]["granted"]["research"],
        ),
    ):
        s, c = CELLS[name]
        wb[s][c].value = value
    third = click(wb)
    xr.apply(wb, third)
    assert _notes(wb) == set()
    assert _fills(wb) == template_fills
    assert marks.MARKS_SHEET not in wb.sheetnames
    assert wb.sheetnames.count(results.RESULT_SHEET) == 1
    assert wb[results.RESULT_SHEET]["A2"].value.startswith(fc.summary_text(0, 0))
    assert by_func(third, "alert")[0]["args"][0] == fc.summary_text(0, 0)
    # what the CLI reads from the marked-then-cleaned workbook is what it read at the start
    assert cli_findings(wb, tmp_path) == []


def test_a_note_staff_wrote_is_never_lost(tmp_path):
    wb, data = broken_workbook()
    problem = CELLS["requests.new.natural_person"]
    elsewhere = CELLS["agency.name"]
    for sheet, cell in (problem, elsewhere):
        wb[sheet][cell].comment = Comment("数据来自办公室台账", "张三")
    first = click(wb)
    xr.apply(wb, first)
    # the problem cell is painted and listed, but its note (unreadable here) is left alone
    assert problem in {xr.action_cell(wb, a) for a in by_func(first, "setRangeColor")}
    note_actions = ("addNote", "setNoteText", "deleteNote")
    assert all(xr.action_cell(wb, a) != problem for f in note_actions for a in by_func(first, f))
    for sheet, cell in (problem, elsewhere):
        assert wb[sheet][cell].comment.text == "数据来自办公室台账"
    # fixed and checked again: the mark goes, the note stays
    wb[problem[0]][problem[1]].value = data["requests"]["new"]["natural_person"]
    second = click(wb)
    xr.apply(wb, second)
    assert all(xr.action_cell(wb, a) != problem for f in note_actions for a in by_func(second, f))
    assert wb[problem[0]][problem[1]].comment.text == "数据来自办公室台账"
    assert wb[problem[0]][problem[1]].fill.fgColor.rgb == _fills(build_template(data=data))[problem]


def test_last_years_recorded_figures_are_checked_as_in_the_cli(tmp_path):
    from xxgk.workbook.nextyear import record_previous

    last = clean_data()
    last["requests"]["carried_forward"]["natural_person"] += 1
    this = clean_data()
    this["year"] = last["year"] + 1
    this["published_on"] = f"{this['year'] + 1}-01-20"
    wb = build_template(data=this)
    record_previous(wb, last)  # what `xxgk template --from` leaves in the workbook
    expected = cli_findings(wb, tmp_path)
    assert fc.PREV_CARRIED_OVER in {code for _s, _c, code in expected}
    rows = finding_rows(result_table(click(wb)))
    assert [(r["工作表"] or None, r["代码"]) for r in rows] == [(s, c) for s, _cell, c in expected]


def test_a_failure_while_marking_is_an_alert_not_a_traceback():
    # An Office Scripts client cannot add notes: the engine raises in the middle of marking.
    wb, _ = broken_workbook()
    request = xr.payload(wb)
    request["client"] = "Microsoft Office Scripts"
    book = xw.Book(json=request)
    book.set_mock_caller()
    xxgk_addin.main()  # does not raise
    actions = book.json()["actions"]
    assert actions[-1]["func"] == "alert"
    assert actions[-1]["args"][3] == "critical"
    assert len(by_func(actions, "alert")) == 1
    assert by_func(actions, "addSheet") == []  # stopped before the result sheet


def test_a_copy_marked_by_validate_annotate_is_cleaned_too(tmp_path):
    """The 政务公开办 sends back `xxgk validate --annotate` copies; staff fix them in Excel."""
    from openpyxl import load_workbook

    from xxgk.workbook.annotate import annotate_bytes

    wb, data = broken_workbook()
    path = tmp_path / "年报.xlsx"
    wb.save(path)
    annotated = tmp_path / "年报.校验.xlsx"
    found = check_source(read_source(path))
    annotated.write_bytes(annotate_bytes(path.read_bytes(), path.name, found))
    wb = load_workbook(annotated)
    marked = {c for c, fill in _fills(wb).items() if fill == "FF" + MARK[1:]}
    assert len(marked) >= 4
    fixed = build_template(data=data)
    for sheet, cell in CELLS.values():
        wb[sheet][cell].value = fixed[sheet][cell].value
    actions = click(wb)
    xr.apply(wb, actions)
    # the red goes, whichever tool put it there (their notes are judged by their text, which
    # only the desktop engines can read: the remote engine leaves them)
    assert _fills(wb) == _fills(fixed)
    assert wb.sheetnames.count(results.RESULT_SHEET) == 1
    assert by_func(actions, "alert")[0]["args"][0] == fc.summary_text(0, 0)


def test_marked_workbook_still_reads_the_same_in_the_cli(tmp_path):
    wb, _ = broken_workbook()
    before = cli_findings(wb, tmp_path)
    xr.apply(wb, click(wb))
    assert cli_findings(wb, tmp_path) == before


# -- a total typed over or summing the wrong cells -----------------------------------------------

NEW_TOTAL = "requests.new.total"  # 表三 J5 = SUM(D5:I5)


def requests_data() -> dict[str, Any]:
    """The clean example with 5 requests (3 natural persons, 2 other), all granted: 一's 总计
    is 5 by the official rule 3 (3 + 2), which the template's formula computes."""
    data = clean_data()
    data["overview"]["on_request"] = ""  # the seed's says "no requests"
    req = data["requests"]
    for row in (req["new"], req["results"]["granted"], req["results"]["total"]):
        row.update(natural_person=3, other=2, total=5)
    return data


def desktop_click(wb: Workbook) -> list[dict[str, Any]]:
    """Press 校验 with a desktop engine, which reads formulas (tests/xlremote.DesktopBook)."""
    book, remote = xr.desktop_book(wb)
    addin.run(book)
    return remote.json()["actions"]


def marked_codes(wb: Workbook, actions: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(sheet, cell, code) of every finding listed, checked to be painted and noted too."""
    rows = finding_rows(result_table(actions))
    painted = {xr.action_cell(wb, a) for a in by_func(actions, "setRangeColor")}
    noted = {xr.action_cell(wb, a) for a in by_func(actions, "addNote")}
    found = [(r["工作表"], r["单元格"].rsplit('"', 2)[-2], r["代码"]) for r in rows]
    assert painted == noted == {(s, c) for s, c, _ in found}
    return found


def _typed_over(value: Any) -> tuple[Workbook, str, str]:
    wb = build_template(data=requests_data())
    sheet, cell = CELLS[NEW_TOTAL]
    assert wb[sheet][cell].value == "=SUM(D5:I5)"
    assert desktop_click(build_template(data=requests_data()))[-1]["args"][0] == (
        fc.summary_text(0, 0)
    )
    wb[sheet][cell].value = value
    return wb, sheet, cell


def test_the_right_number_typed_over_a_total_is_a_warning_at_its_cell(tmp_path):
    wb, sheet, cell = _typed_over(5)
    actions = desktop_click(wb)
    assert marked_codes(wb, actions) == [(sheet, cell, fc.WB_TOTAL_TYPED)]
    [note] = [a["args"][1] for a in by_func(actions, "addNote")]
    assert "数字 5" in note
    [alert] = by_func(actions, "alert")
    assert alert["args"][0].startswith(fc.summary_text(0, 1)) and alert["args"][3] == "info"
    assert cli_findings(wb, tmp_path) == [(sheet, cell, fc.WB_TOTAL_TYPED)]
    # xlwings' remote engine cannot read formulas: there a typed 5 looks like the formula's 5
    assert finding_rows(result_table(click(wb))) == []


def test_a_wrong_number_typed_over_a_total_is_an_error_at_its_cell(tmp_path):
    wb, sheet, cell = _typed_over(4)
    actions = desktop_click(wb)
    assert marked_codes(wb, actions) == [(sheet, cell, fc.WB_TOTAL_OVERWRITTEN)]
    [note] = [a["args"][1] for a in by_func(actions, "addNote")]
    assert "「4」" in note and "应为 5" in note
    [alert] = by_func(actions, "alert")
    assert alert["args"][0].startswith(fc.summary_text(1, 0)) and alert["args"][3] == "critical"
    assert cli_findings(wb, tmp_path) == [(sheet, cell, fc.WB_TOTAL_OVERWRITTEN)]
    # without formulas (remote engine) the typed 4 still differs from 5: marked as well
    assert marked_codes(wb, click(wb)) == [(sheet, cell, fc.WB_TOTAL_STALE)]


def test_a_total_summing_the_wrong_cells_is_marked_on_either_engine():
    """J5 = SUM(D5:H5) leaves out 其他 (I5 = 2): Excel shows 3 where the parts sum to 5. The
    desktop engine reads the formula; the remote one gets the 3 Excel computes (the harness
    evaluates the cell's own formula, tests/xlremote.py) and finds it stale."""
    wb, sheet, cell = _typed_over("=SUM(D5:H5)")
    assert xr.formula_values(wb[sheet])[cell] == 3
    assert marked_codes(wb, desktop_click(wb)) == [(sheet, cell, fc.WB_TOTAL_FORMULA)]
    assert marked_codes(wb, click(wb)) == [(sheet, cell, fc.WB_TOTAL_STALE)]


# -- reads ------------------------------------------------------------------------------------


class Reads:
    def __init__(self) -> None:
        self.count: Counter[str] = Counter()

    @property
    def data_reads(self) -> int:
        return sum(v for k, v in self.count.items() if k != "note")


class _Proxy:
    def __init__(self, target: Any, reads: Reads) -> None:
        object.__setattr__(self, "_t", target)
        object.__setattr__(self, "_r", reads)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._t, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._t, name, value)


class CountingRange(_Proxy):
    def options(self, *args: Any, **kwargs: Any) -> CountingRange:
        return CountingRange(self._t.options(*args, **kwargs), self._r)

    @property
    def value(self) -> Any:
        self._r.count["value"] += 1
        return self._t.value

    @value.setter
    def value(self, v: Any) -> None:
        self._t.value = v

    @property
    def formula(self) -> Any:
        self._r.count["formula"] += 1
        return self._t.formula

    @property
    def note(self) -> Any:
        self._r.count["note"] += 1
        return self._t.note


class CountingSheet(_Proxy):
    def range(self, *args: Any) -> CountingRange:
        return CountingRange(self._t.range(*args), self._r)

    @property
    def used_range(self) -> CountingRange:
        return CountingRange(self._t.used_range, self._r)


class CountingSheets(_Proxy):
    def __iter__(self):
        self._r.count["sheets"] += 1
        return (CountingSheet(s, self._r) for s in self._t)


class CountingBook(_Proxy):
    @property
    def names(self) -> Any:
        self._r.count["names"] += 1
        return self._t.names

    @property
    def sheets(self) -> CountingSheets:
        return CountingSheets(self._t.sheets, self._r)


def counted_run(wb: Workbook) -> tuple[Reads, xw.Book]:
    reads = Reads()
    book = xr.remote_book(wb)
    addin.run(CountingBook(book, reads))
    return reads, book


def test_reads_are_bounded_whatever_the_findings():
    clean, _ = counted_run(build_template(data=clean_data()))
    broken_wb, _ = broken_workbook()
    broken, broken_book = counted_run(broken_wb)
    for reads in (clean, broken):
        assert reads.count["names"] == 1
        assert reads.count["sheets"] == 1
        # one rectangle per sheet holding named cells; the remote engine refuses the first
        # formula read (desktop engines read 2: 表三 and 表四)
        assert reads.count["value"] == len({s for s, _ in CELLS.values()})
        assert reads.count["formula"] == 1
        assert reads.data_reads <= READS_PER_RUN
    assert clean.data_reads == broken.data_reads
    # the second run also reads the marks sheet: one more, still within the bound
    xr.apply(broken_wb, click(broken_wb))
    again, _ = counted_run(broken_wb)
    assert again.data_reads == broken.data_reads + 1 <= READS_PER_RUN
    # note lookups happen only while writing, one per marked or previously marked cell
    assert clean.count["note"] == 0
    painted = by_func(broken_book.json()["actions"], "setRangeColor")
    assert broken.count["note"] == len(painted) > 0


def test_not_a_template_costs_two_reads():
    wb, _ = _plain_workbook()
    reads, book = counted_run(wb)
    assert reads.data_reads == 2
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


def test_formula_cells_of_a_desktop_formula_read():
    """Range.formula on Windows gives formula text for formula cells: find the totals by it."""
    wb = build_template(data=clean_data())
    for sheet in ("表三", "表四"):
        grid = [[c.value for c in row] for row in wb[sheet].iter_rows()]
        found = set(excel_read.formula_texts(sheet, grid))
        totals = {CELLS[".".join(path)] for path in oracle.TOTAL_PATHS}  # the official rules
        named = set(CELLS.values())
        # every total, and no input (the other formulas are the 勾稽关系 check row)
        assert found & named == {c for c in totals if c[0] == sheet}


def test_notes_stay_within_what_excel_takes_from_code():
    found = [
        fc.make(fc.WB_NOT_NUMBER, "/x", where=f"表三第{i}处", value="无" * 20) for i in range(8)
    ]
    text = marks.note_text(found)
    assert len(text) == marks.NOTE_MAX
    assert text.endswith(marks.NOTE_MORE)
    assert found[0].message in marks.note_text(found[:1])


def test_result_rows_keep_messages_as_text():
    f = fc.make(fc.JSON_INVALID, "/x", where="=SUM(A1)", detail="x")
    f.sheet, f.cell = "表三", "C6"
    [row] = finding_rows(excel_write.result_rows("年报.xlsx", [f]))
    assert row["说明"].startswith("'=")
    assert row["单元格"] == '=HYPERLINK("#\'表三\'!C6","C6")'


def test_result_sheet_has_the_columns_of_the_annotated_copy(tmp_path):
    """The add-in's 校验结果 sheet and the annotated copy's read alike: same title row, same
    header row, same values for the same finding (the two writers are compared, not their
    shared constants)."""
    from io import BytesIO

    from openpyxl import load_workbook

    from xxgk.workbook.annotate import annotate_bytes

    wb, _ = broken_workbook()
    path = tmp_path / "年报.xlsx"
    wb.save(path)
    found = check_source(read_source(path))
    copy = load_workbook(BytesIO(annotate_bytes(path.read_bytes(), path.name, found)))
    sheet = copy[results.RESULT_SHEET]
    written = [[c.value for c in row] for row in sheet.iter_rows(max_col=6)]
    ours = excel_write.result_rows(path.name, found)
    assert written[0][0] == ours[0][0] and written[1][0] == ours[1][0]
    assert written[3] == ours[3] == ["序号", "级别", "工作表", "单元格", "说明", "代码"]
    for mine, theirs in zip(written[4:], ours[4:], strict=True):
        assert mine[:3] == theirs[:3] and mine[5] == theirs[5]
        assert mine[4] == theirs[4].removeprefix("'")  # the add-in guards text against formulas
        assert (mine[3] or "") in theirs[3]  # a HYPERLINK formula naming the same cell


# What addin.py asks of xlwings, by engine class: the Windows desktop engine must implement all
# of it (the tests run the remote engine, so this is the guard against relying on it alone).
USED = {
    "Book": {"names", "sheets", "name", "app"},
    "Sheets": {"add"},
    "Sheet": {"name", "range", "used_range", "delete", "activate", "visible", "api"},
    "Range": {
        "raw_value",
        "formula",
        "color",
        "note",
        "add_note",
        "column_width",
        "wrap_text",
        "number_format",
    },
    "Note": {"text", "delete"},
    "Name": {"name", "refers_to"},
    "App": {"alert"},
}


def test_every_operation_used_exists_in_the_windows_engine():
    import ast

    source = Path(xw.__file__).with_name("_xlwindows.py").read_text(encoding="utf-8")
    members: dict[str, set[str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            members[node.name] = {
                n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
    for cls, names in USED.items():
        assert names <= members[cls], (cls, names - members[cls])
    addin_source = "".join(
        p.read_text(encoding="utf-8") for p in Path(addin.__file__).parent.glob("*.py")
    )
    for names in USED.values():
        for name in names - {"raw_value", "app", "api"}:
            assert f".{name}" in addin_source or f"{name}=" in addin_source, name
