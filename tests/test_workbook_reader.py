"""The workbook reader on real template files: round trips, what staff type, broken workbooks."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.check import findings as fc
from xxgk.check.source import check_source
from xxgk.check.validate import validate
from xxgk.cli.main import main
from xxgk.files.read import read_source
from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.format.jsonio import dump_report
from xxgk.format.paths import has_path
from xxgk.workbook import template as template
from xxgk.workbook.core import WorkbookView, expected_sheet, read_view
from xxgk.workbook.sheets import SHEETS, TEMPLATE_VERSION, VERSION_NAME
from xxgk.workbook.slots import CELL_LEAVES

from .oracle import with_official_totals
from .reports import TOTAL_POINTERS, consistent_reports
from .wb_helpers import cell_of, example_data, set_cached, write_workbook


@cache
def _cells() -> dict[str, tuple[str, str]]:
    wb = template.build_template()
    return {leaf.dotted: cell_of(wb, leaf.dotted) for leaf in m.leaves() if leaf.kind != m.CONST}


def at(dotted: str) -> tuple[str, str]:
    return _cells()[dotted]


def spots(path: Path) -> list[tuple[str, str | None, str | None]]:
    """(code, sheet, cell) of every finding for a workbook, for one-line assertions."""
    source = read_source(path)
    assert source.readable, source.error
    return [(f.code, f.sheet, f.cell) for f in check_source(source)]


def on_time(data: dict[str, Any]) -> dict[str, Any]:
    data["published_on"] = "2025-01-20"  # the seed was published late (DATE_LATE)
    return data


def normalised(data: dict[str, Any]) -> str:
    """The JSON the reader should give: no $schema; numbers compared as numbers (3.0 is 3)."""
    data = json.loads(json.dumps(data))
    data.pop("$schema", None)

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: fix(v) for k, v in node.items()}
        if isinstance(node, float) and node.is_integer():
            return int(node)
        return node

    return dump_report(fix(data))


# -- the contract shared with the template ---------------------------------------------------


def test_committed_template_carries_the_version_the_reader_accepts(tmp_path: Path) -> None:
    """The workbook contract: the name `xxgk.template` holds "xxgk-2021-v2" in the file staff
    download, and the reader takes that file (blank cells aside) as our template."""
    import openpyxl

    from .wb_helpers import TEMPLATE_FILE

    wb = openpyxl.load_workbook(TEMPLATE_FILE)
    assert wb.defined_names["xxgk.template"].attr_text == '"xxgk-2021-v2"'
    source = read_source(TEMPLATE_FILE)
    blank = {"WB_BLANK", "WB_BLANK_BLOCK", "VALUE_EMPTY"}
    assert source.readable and {f.code for f in source.findings} <= blank


def test_expected_sheets_match_the_template_layout() -> None:
    # The core names a deleted sheet from its own table (it must not import openpyxl).
    cells = template.layout().cells
    for leaf in CELL_LEAVES:
        assert expected_sheet(leaf) == cells[leaf.dotted][0], leaf.dotted


# -- round trips -----------------------------------------------------------------------------


def test_example_round_trips(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "seed.xlsx")
    source = read_source(path)
    assert source.readable and source.findings == []
    assert dump_report(source.data) == normalised(example_data())
    assert source.data["format"] == "2021" and "$schema" not in source.data


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(report=consistent_reports())
def test_generated_reports_round_trip(tmp_path: Path, report: dict[str, Any]) -> None:
    path = write_workbook(tmp_path / "gen.xlsx", data=report)
    source = read_source(path)
    assert source.readable and source.findings == []
    assert dump_report(source.data) == normalised(report)


def test_report_without_local_notice_round_trips(tmp_path: Path) -> None:
    data = example_data()
    del data["local_notice"]
    source = read_source(write_workbook(tmp_path / "n.xlsx", data=data))
    assert "local_notice" not in source.data
    assert dump_report(source.data) == normalised(data)


# -- what staff type: normalised with a warning, or an error at the cell ---------------------

NP = "requests.results.granted.natural_person"


@pytest.mark.parametrize(
    ("typed", "code", "value"),
    [
        ("５", fc.WB_FULLWIDTH, 5),
        ("１２", fc.WB_FULLWIDTH, 12),
        ("12", fc.WB_NUMBER_TEXT, 12),
        (" 5 ", fc.WB_NUMBER_TEXT, 5),
        ("1,234", fc.WB_NUMBER_TEXT, 1234),
        ("3.0", fc.WB_NUMBER_TEXT, 3),
        (3.0, None, 3),
        (-2, fc.VALUE_NEGATIVE, 0),
        ("-2", fc.VALUE_NEGATIVE, 0),
        (2.5, fc.WB_FRACTION, 0),
        ("无", fc.WB_NOT_NUMBER, 0),
        ("—", fc.WB_NOT_NUMBER, 0),
        ("/", fc.WB_NOT_NUMBER, 0),
        (None, fc.WB_BLANK, 0),
        ("  ", fc.WB_BLANK, 0),
        (dt.date(2024, 3, 1), fc.WB_NOT_NUMBER, 0),
    ],
)
def test_count_cell(tmp_path: Path, typed: Any, code: str | None, value: int) -> None:
    # The same value in new (一) keeps the balance, so the cell's own finding is the only one.
    cells = {NP: typed, "requests.new.natural_person": value}
    path = write_workbook(tmp_path / "c.xlsx", data=on_time(example_data()), cells=cells)
    source = read_source(path)
    assert source.data["requests"]["results"]["granted"]["natural_person"] == value
    assert source.data["requests"]["results"]["total"]["total"] == value  # computed totals
    found = check_source(source)
    ours = [f for f in found if f.code not in (fc.TEXT_SAYS_NO_REQUESTS,)]
    expected = [(code, *at(NP))] if code else []
    assert [(f.code, f.sheet, f.cell) for f in ours] == expected
    for f in ours:
        assert f.severity == fc.CATALOGUE[f.code].severity and "{" not in f.message


def test_amount_accepts_decimals_and_text(tmp_path: Path) -> None:
    cells = {
        "proactive.fees.amount": "２６.５５",
        "other_matters.processing_fees.amount_yuan": 12.5,
    }
    path = write_workbook(tmp_path / "a.xlsx", data=on_time(example_data()), cells=cells)
    source = read_source(path)
    assert source.data["proactive"]["fees"]["amount"] == 26.55
    assert source.data["other_matters"]["processing_fees"]["amount_yuan"] == 12.5
    assert spots(path) == [(fc.WB_FULLWIDTH, *at("proactive.fees.amount"))]


@pytest.mark.parametrize(
    "typed",
    [
        dt.date(2025, 1, 20),
        dt.datetime(2025, 1, 20, 9, 30),
        "2025年1月20日",
        "2025-1-20",
        "2025.1.20",
        "2025/01/20",
        "２０２５年１月２０日",
        45677,
    ],
)
def test_dates_typed_many_ways(tmp_path: Path, typed: Any) -> None:
    path = write_workbook(tmp_path / "d.xlsx", data=example_data(), cells={"published_on": typed})
    source = read_source(path)
    assert source.data["published_on"] == "2025-01-20"
    assert spots(path) == []


def test_impossible_date_is_one_finding_at_the_cell(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "d.xlsx", cells={"published_on": "2025年2月30日"})
    assert spots(path) == [(fc.DATE_FORMAT, *at("published_on"))]


@pytest.mark.parametrize(
    ("dotted", "typed", "expected"),
    [
        ("agency.postcode", 834600, "834600"),
        ("agency.postcode", "834600", "834600"),
        ("year", "2024", 2024),
        ("year", "２０２４年", 2024),
        ("year", 2024.0, 2024),
        ("agency.name", "  额敏县商务和工业信息化局 ", "额敏县商务和工业信息化局"),
    ],
)
def test_basic_info_typed_many_ways(tmp_path: Path, dotted: str, typed: Any, expected: Any) -> None:
    path = write_workbook(tmp_path / "b.xlsx", cells={dotted: typed})
    source = read_source(path)
    node: Any = source.data
    for key in dotted.split("."):
        node = node[key]
    assert node == expected
    assert [c for c, *_ in spots(path)] == [fc.DATE_LATE]  # the seed's only finding


@pytest.mark.parametrize(
    ("dotted", "code"),
    [
        ("year", fc.VALUE_EMPTY),
        ("published_on", fc.VALUE_EMPTY),
        ("agency.postcode", fc.VALUE_EMPTY),
        ("agency.name", fc.VALUE_EMPTY),
    ],
)
def test_blank_required_cell_is_one_finding(tmp_path: Path, dotted: str, code: str) -> None:
    path = write_workbook(tmp_path / "e.xlsx", data=on_time(example_data()), cells={dotted: None})
    assert spots(path) == [(code, *at(dotted))]


def test_text_cells_keep_what_was_typed(tmp_path: Path) -> None:
    cells = {"overview.summary": "=SUM(A1)", "problems": 42, "other_matters.text": None}
    path = write_workbook(tmp_path / "t.xlsx", cells=cells)
    data = read_source(path).data
    assert data["problems"] == "42"
    assert data["other_matters"]["text"] == ""


# -- totals -----------------------------------------------------------------------------------

ROW_TOTAL = "requests.new.total"


def test_total_typed_over_with_a_different_number(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "o.xlsx", data=on_time(example_data()), cells={ROW_TOTAL: 7})
    source = read_source(path)
    assert source.data["requests"]["new"]["total"] == 0  # computed, not the typed 7
    assert spots(path) == [(fc.WB_TOTAL_OVERWRITTEN, *at(ROW_TOTAL))]


def test_total_typed_over_with_the_right_number(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "o.xlsx", data=on_time(example_data()), cells={ROW_TOTAL: 0})
    assert spots(path) == [(fc.WB_TOTAL_TYPED, *at(ROW_TOTAL))]


def test_stale_cached_total(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "s.xlsx", data=on_time(example_data()))
    set_cached(path, *at(ROW_TOTAL), "9")
    assert spots(path) == [(fc.WB_TOTAL_STALE, *at(ROW_TOTAL))]


def test_cached_total_that_agrees_is_fine(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "s.xlsx", data=on_time(example_data()))
    set_cached(path, *at(ROW_TOTAL), "0")
    assert spots(path) == []


def test_bad_input_does_not_also_make_its_totals_stale(tmp_path: Path) -> None:
    # Excel's SUM ignores the text "５", so its cached total differs: one warning, at the input.
    path = write_workbook(
        tmp_path / "s.xlsx",
        data=on_time(example_data()),
        cells={"proactive.licensing.decisions": 1, "requests.carried_forward.natural_person": "５"},
    )
    set_cached(path, *at("requests.carried_forward.total"), "0")
    found = [(c, s, x) for c, s, x in spots(path) if c.startswith("WB_")]
    assert found == [(fc.WB_FULLWIDTH, *at("requests.carried_forward.natural_person"))]


def test_arithmetic_findings_carry_every_cell(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "b.xlsx",
        data=on_time(example_data()),
        cells={"requests.new.natural_person": 5},
    )
    found = check_source(read_source(path))
    balance = [f for f in found if f.code == fc.T3_BALANCE]
    assert len(balance) == 1  # the 自然人 column; the 总计 column only says it again
    f = balance[0]
    assert (f.sheet, f.cell) == at("requests.new.natural_person")
    names = ["new", "carried_over", "results.total", "carried_forward"]
    assert f.cells == ["{}!{}".format(*at(f"requests.{n}.natural_person")) for n in names]


# -- broken workbooks --------------------------------------------------------------------------


def _fatal(path: Path) -> str:
    source = read_source(path)
    assert not source.readable and str(path) in (source.error or "")
    assert source.findings and source.findings[0].message in (source.error or "")
    return source.findings[0].code


def test_not_our_template(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "随便一个表格"
    wb.save(tmp_path / "other.xlsx")
    assert _fatal(tmp_path / "other.xlsx") == fc.WB_NOT_TEMPLATE


def test_older_template_version(tmp_path: Path) -> None:
    def older(wb: Any) -> None:
        wb.defined_names[VERSION_NAME].attr_text = '"xxgk-2021-v0"'

    path = write_workbook(tmp_path / "old.xlsx", edit=older)
    assert _fatal(path) == fc.WB_OLD_TEMPLATE


def test_deleted_sheet(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "del.xlsx", edit=lambda wb: wb.remove(wb["表四"]))
    source = read_source(path)
    assert _fatal(path) == fc.WB_MISSING_SHEET and "表四" in (source.error or "")


def test_renamed_sheet_is_fine_when_its_names_follow(tmp_path: Path) -> None:
    def rename(wb: Any) -> None:  # what Excel does: the names follow the sheet
        wb["表三"].title = "表3"
        for name in list(wb.defined_names):
            dn = wb.defined_names[name]
            dn.attr_text = dn.attr_text.replace("'表三'!", "'表3'!")

    cells = {NP: "无", "requests.new.natural_person": 0}
    path = write_workbook(
        tmp_path / "r.xlsx", data=on_time(example_data()), cells=cells, edit=rename
    )
    assert spots(path) == [(fc.WB_NOT_NUMBER, "表3", at(NP)[1])]


def test_missing_and_broken_names(tmp_path: Path) -> None:
    def damage(wb: Any) -> None:
        del wb.defined_names["requests.new.natural_person"]
        wb.defined_names["agency.phone"].attr_text = "#REF!"

    path = write_workbook(tmp_path / "names.xlsx", edit=damage)
    source = read_source(path)
    assert _fatal(path) == fc.WB_MISSING_NAME
    assert source.findings[0].args["count"] == 2


# -- the core on its own (what the add-in feeds from Excel) ------------------------------------


def test_core_reads_a_view_without_any_file() -> None:
    data = example_data()
    names = {VERSION_NAME: f'="{TEMPLATE_VERSION}"'}
    values: dict[tuple[str, str], Any] = {}
    for leaf in m.leaves():
        if leaf.kind == m.CONST or leaf.optional and not has_path(data, leaf.path):
            continue  # an optional value (contract 1.1) the example does not have
        sheet, cell = at(leaf.dotted)
        names[leaf.dotted] = f"={sheet}!${cell[0]}${cell[1:]}"
        node: Any = data
        for key in leaf.path:
            node = node[key]
        values[(sheet, cell)] = float(node) if isinstance(node, int) else node
    values[at("requests.new.natural_person")] = "５"
    view = WorkbookView(SHEETS, names, values, formulas=None)
    reading = read_view(view)
    assert reading.fatal is None
    assert reading.data["requests"]["new"]["natural_person"] == 5
    assert reading.data["requests"]["new"]["total"] == 5
    assert [(f.code, reading.locate(f.path)) for f in reading.findings] == [
        (fc.WB_FULLWIDTH, at("requests.new.natural_person"))
    ]


# -- through the command line ------------------------------------------------------------------


def test_cli_validate_workbook_json_and_text(tmp_path: Path) -> None:
    # 无 in a count, and an unbalanced 商业企业 column elsewhere
    cells = {NP: "无", "requests.new.natural_person": 2, "requests.new.commercial": 1}
    path = write_workbook(tmp_path / "w.xlsx", data=on_time(example_data()), cells=cells)
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    found = doc["files"][0]["findings"]
    bad = next(f for f in found if f["code"] == fc.WB_NOT_NUMBER)
    assert (bad["sheet"], bad["cell"], bad["path"]) == (*at(NP), "/" + NP.replace(".", "/"))
    balance = [f for f in found if f["code"] == fc.T3_BALANCE]
    # the 自然人 column holds the unknown cell: its balance (and the 总计 column's) cannot be
    # judged, so only the 商业企业 column is reported — one mistake, one finding
    assert [f["path"] for f in balance] == ["/requests/new/commercial"]
    assert balance[0]["sheet"] and balance[0]["cells"]
    text = CliRunner().invoke(main, ["validate", str(path)])
    assert text.exit_code == 1
    assert "{}!{}".format(*at(NP)) in text.stdout and fc.WB_NOT_NUMBER in text.stdout


def test_cli_validate_good_workbook_exits_0(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "ok.xlsx", data=on_time(example_data()))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_cli_not_a_template_exits_3(tmp_path: Path) -> None:
    from openpyxl import Workbook

    Workbook().save(tmp_path / "blank.xlsx")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "blank.xlsx")])
    assert result.exit_code == 3
    assert "blank.xlsx" in result.stderr and "Traceback" not in result.output
    doc = json.loads(
        CliRunner()
        .invoke(main, ["validate", "--format", "json", str(tmp_path / "blank.xlsx")])
        .stdout
    )
    assert [f["code"] for f in doc["files"][0]["findings"]] == [fc.WB_NOT_TEMPLATE]


# -- property: one typed mistake gives exactly its own finding -----------------------------------

INPUT_COUNTS = [
    leaf
    for leaf in m.leaves()
    if leaf.kind == m.INT and leaf.table and leaf.pointer not in TOTAL_POINTERS
]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    report=consistent_reports(max_count=2000),
    leaf=st.sampled_from(INPUT_COUNTS),
    form=st.sampled_from(["fullwidth", "text", "grouped", "无", "blank"]),
)
def test_one_typed_mistake_gives_exactly_its_finding(
    tmp_path: Path, report: dict[str, Any], leaf: m.Leaf, form: str
) -> None:
    node: Any = report
    for key in leaf.path:
        node = node[key]
    value = int(node)
    typed: Any = {
        "fullwidth": str(value).translate(FULLWIDTH),
        "text": f" {value}",
        "grouped": f"{value:,}",
        "无": "无",
        "blank": None,
    }[form]
    code = {
        "fullwidth": fc.WB_FULLWIDTH,
        "text": fc.WB_NUMBER_TEXT,
        "grouped": fc.WB_NUMBER_TEXT,  # "12" without a comma is still a number stored as text
        "无": fc.WB_NOT_NUMBER,
        "blank": fc.WB_BLANK,
    }[form]
    path = write_workbook(tmp_path / "p.xlsx", data=report, cells={leaf.dotted: typed})
    source = read_source(path)
    # What the data holds: the typed number, or 0 for an unusable cell.
    expected = json.loads(json.dumps(report))
    if form in ("无", "blank"):
        node = expected
        for key in leaf.path[:-1]:
            node = node[key]
        node[leaf.path[-1]] = 0
        expected = with_official_totals(expected)  # the totals of the 0 (tests/oracle.py)
    assert dump_report(source.data) == normalised(expected)
    # The findings: the reader's one at the cell, plus exactly what the validator says of the data.
    found = [(f.code, f.sheet, f.cell) for f in check_source(source)]
    assert (code, *at(leaf.dotted)) in found
    others = sorted(x for x in found if x != (code, *at(leaf.dotted)))
    # An unusable cell stands as 0: sums that involve it (directly or through a total computed
    # from it) cannot be judged and are not reported.
    unknown = {leaf.pointer} if form in ("无", "blank") else set()
    for _ in range(2):
        for check in ar.checks():
            if check.computes_left and any(m.pointer(p) in unknown for p in check.right):
                unknown.add(m.pointer(check.left[0]))
    arithmetic = {rule.code for rule in ar.ARITHMETIC}
    located = [
        (f.code, *(source.locator(f.path) or (None, None)))
        for f in validate(source.data)
        if not (f.code in arithmetic and unknown & set(f.paths))
    ]
    assert others == sorted(located)
