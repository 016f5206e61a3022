"""The generated template: sheets, names, labels, formulas, protection, validation, files."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from xxgk.cli.main import main
from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.workbook import template as t
from xxgk.workbook.sheets import NO_REQUESTS_NAME, SHEETS, TEMPLATE_VERSION, VERSION_NAME

from . import oracle as o
from .fresh import outputs_of_fresh_processes
from .wb_helpers import EXAMPLE_XLSX, TEMPLATE_FILE, example_data
from .workbooks import name_cells, normalise, reload

TOTALS = {".".join(p) for p in o.TOTAL_PATHS}  # the official rules 2–4 (tests/oracle.py)
DATA_LEAVES = [leaf for leaf in m.leaves() if leaf.kind != m.CONST]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def wb(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    return reload(t.build_template(), tmp_path_factory.mktemp("tpl"))


@pytest.fixture(scope="module")
def cells(wb: openpyxl.Workbook) -> dict[str, tuple[str, str]]:
    return name_cells(wb)


def _cell(wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]], dotted: str):
    sheet, coord = cells[dotted]
    return wb[sheet][coord]


def _merged_at(ws: Worksheet, coord: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of the merged range starting at coord, or the cell."""
    for rng in ws.merged_cells.ranges:
        if rng.coord.split(":")[0] == coord:
            return rng.bounds
    c = ws[coord]
    return c.column, c.row, c.column, c.row


def _find(ws: Worksheet, text: str) -> list[str]:
    return [c.coordinate for row in ws.iter_rows() for c in row if c.value == text]


def test_sheets_in_agreed_order(wb: openpyxl.Workbook) -> None:
    assert wb.sheetnames == [
        "基本信息",
        "总体情况",
        "表二",
        "表三",
        "表四",
        "问题与改进",
        "其他事项",
        "填表说明",
    ]


def test_every_leaf_has_one_name_pointing_at_one_cell(
    wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]
) -> None:
    expected = {leaf.dotted for leaf in DATA_LEAVES}
    names = set(wb.defined_names.keys())
    assert names == expected | {VERSION_NAME, NO_REQUESTS_NAME}  # and the 是/否 switch
    assert set(cells) == expected | {NO_REQUESTS_NAME}  # each name resolves to one cell
    assert len(set(cells.values())) == len(cells), "two names share a cell"
    assert "format" not in names and "$schema" not in names


def test_template_version_name(wb: openpyxl.Workbook) -> None:
    assert TEMPLATE_VERSION == "xxgk-2021-v2"
    assert wb.defined_names[VERSION_NAME].attr_text == '"xxgk-2021-v2"'
    help_text = "\n".join(str(c.value) for c in wb["填表说明"]["A"] if c.value)
    assert TEMPLATE_VERSION in help_text


def _official_parts() -> dict[o.Path, list[set[o.Path]]]:
    """Each total cell → the sets of cells its formula may sum, from the official rules 2–4 as
    tests/oracle.py writes them (（七）总计's own 总计 sums either its row or its column)."""
    applicants = o.APPLICANT_KEYS
    parts: dict[o.Path, list[set[o.Path]]] = {}
    for col in applicants:
        parts[o.RESULTS_TOTAL + (col,)] = [{row + (col,) for row in o.OUTCOME_PATHS}]
    for row, _, _ in o.TABLE3_ROWS:
        parts[row + ("total",)] = [{row + (col,) for col in applicants}]
    parts[o.RESULTS_TOTAL + ("total",)].append({row + ("total",) for row in o.OUTCOME_PATHS})
    for group, _ in o.REVIEW_GROUPS:
        node = ("review_litigation", group)
        parts[node + ("total",)] = [{node + (key,) for key, _ in o.REVIEW_PARTS}]
    return parts


def test_totals_are_sums_of_their_parts(
    wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]
) -> None:
    """Each total cell (found through its defined name) is a SUM of exactly the cells the
    official rules name (found through theirs); no other named cell holds a formula."""
    parts = _official_parts()
    assert set(parts) == set(o.TOTAL_PATHS) and len(parts) == 34
    for total, allowed in parts.items():
        sheet, _ = cells[".".join(total)]
        cell = _cell(wb, cells, ".".join(total))
        assert cell.data_type == "f", total
        summed = {(sheet, ref) for ref in _expand_sum(cell.value)}
        assert summed in [{cells[".".join(p)] for p in option} for option in allowed], total
    formulas = {d for d in cells if _cell(wb, cells, d).data_type == "f"}
    assert formulas == {".".join(p) for p in o.TOTAL_PATHS}


def _expand_sum(formula: str) -> set[str]:
    match = re.fullmatch(r"=SUM\((.+)\)", formula)
    assert match, formula
    out: set[str] = set()
    for part in match.group(1).split(","):
        min_col, min_row, max_col, max_row = range_boundaries(part)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                out.add(f"{openpyxl.utils.get_column_letter(c)}{r}")
    return out


def test_inputs_unlocked_and_filled_totals_locked(
    wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]
) -> None:
    input_fills, total_fills = set(), set()
    for dotted in cells:
        c = _cell(wb, cells, dotted)
        if dotted in TOTALS:
            assert c.protection.locked, dotted
            total_fills.add(c.fill.fgColor.rgb)
        else:
            assert not c.protection.locked, dotted
            assert c.value is None, dotted  # a fresh template has nothing typed in
            input_fills.add(c.fill.fgColor.rgb)
    assert len(input_fills) == 1 and len(total_fills) == 1
    assert input_fills != total_fills and input_fills != {"00000000"}


def test_every_sheet_protected_without_password(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
    # labels are locked (the default): e.g. the corner header of table 三
    ws = wb["表三"]
    assert ws[_find(ws, m.TABLE3_CORNER)[0]].protection.locked


def _validation_for(ws: Worksheet, coord: str):
    found = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
    assert len(found) == 1, (ws.title, coord, found)
    return found[0]


def test_validations_with_chinese_texts(
    wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]
) -> None:
    for leaf in DATA_LEAVES:
        sheet, coord = cells[leaf.dotted]
        if leaf.dotted in TOTALS:
            assert not any(coord in dv.sqref for dv in wb[sheet].data_validations.dataValidation)
            continue
        dv = _validation_for(wb[sheet], coord)
        assert CJK.search(dv.prompt or "") and CJK.search(dv.promptTitle or ""), leaf.dotted
        assert dv.showInputMessage, leaf.dotted
        if leaf.kind in (m.TEXT, m.NAME, m.LINE):
            assert dv.type is None, leaf.dotted  # a hint only
            continue
        assert dv.showErrorMessage and dv.errorStyle == "stop", leaf.dotted
        assert CJK.search(dv.error or "") and CJK.search(dv.errorTitle or ""), leaf.dotted
        if leaf.kind == m.INT:
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
        elif leaf.kind == m.AMOUNT:
            assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
        elif leaf.kind == m.YEAR:
            assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (
                "whole",
                "between",
                "2021",
                "2100",
            )
        elif leaf.kind == m.DATE:
            assert dv.type == "date"
        elif leaf.kind == m.POSTCODE:
            assert dv.type == "custom" and f"LEN({coord})=6" in dv.formula1
            assert wb[sheet][coord].number_format == "@"
        else:  # pragma: no cover
            raise AssertionError(leaf.kind)


def test_date_and_text_formats(wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]) -> None:
    assert "yyyy" in _cell(wb, cells, "published_on").number_format
    for leaf in DATA_LEAVES:
        if leaf.kind in (m.TEXT, m.NAME, m.POSTCODE):
            assert _cell(wb, cells, leaf.dotted).number_format == "@", leaf.dotted
    for part in m.OVERVIEW_PARTS:
        c = _cell(wb, cells, ".".join(part.path))
        assert c.alignment.wrap_text
        assert wb[c.parent.title].row_dimensions[c.row].height >= 100  # one large cell


# -- labels verbatim, in the right place ------------------------------------------------------


def test_narrative_and_info_labels(
    wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]
) -> None:
    for f in (*m.OVERVIEW_PARTS, m.PROBLEMS, m.IMPROVEMENTS, m.OTHER_TEXT):
        sheet, coord = cells[".".join(f.path)]
        c = wb[sheet][coord]
        above = 2 if f in m.HEADED_PARTS else 1  # the agency's own sub-heading in between
        assert wb[sheet].cell(c.row - above, c.column).value == f.label  # the label above
        if f in m.HEADED_PARTS:
            own = cells[m.heading_leaf(f).dotted]
            assert own == (sheet, f"B{c.row - 1}")
            assert wb[sheet].cell(c.row - 1, 1).value == "自拟小标题（可不填）"
    for f in (*m.AGENCY_FIELDS, m.PROCESSING_FEE_NOTICES, m.PROCESSING_FEE_AMOUNT):
        sheet, coord = cells[".".join(f.path)]
        c = wb[sheet][coord]
        assert wb[sheet].cell(c.row, c.column - 1).value == f.label  # the label to the left
    for dotted in ("year", "published_on"):
        sheet, coord = cells[dotted]
        c = wb[sheet][coord]
        assert wb[sheet].cell(c.row, c.column - 1).value == m.LEAF_BY_POINTER["/" + dotted].title
    sheets = ("总体情况", "表二", "表三", "表四", "问题与改进", "其他事项")
    headings = [wb[s]["A1"].value for s in sheets]
    assert headings == [s.heading for s in m.SECTIONS]


def test_table2_labels(wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]) -> None:
    ws = wb["表二"]
    for block in m.TABLE2_BLOCKS:
        first_row = block.rows[0]
        sheet, coord = cells[".".join(m.TABLE2_ROOT + first_row.path + (block.columns[0].id,))]
        r = ws[coord].row
        assert ws.cell(r - 2, 1).value == block.title
        assert ws.cell(r - 1, 1).value == m.TABLE2_CONTENT_HEADER
        for row in block.rows:
            for col in block.columns:
                c = ws[cells[".".join(m.TABLE2_ROOT + row.path + (col.id,))][1]]
                assert ws.cell(c.row, 1).value == row.label
                assert ws.cell(r - 1, c.column).value == col.label


def test_table3_headers(wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]) -> None:
    ws = wb["表三"]
    (corner,) = _find(ws, m.TABLE3_CORNER)
    c0, r0, c1, r1 = _merged_at(ws, corner)
    assert r1 - r0 == 2 and c1 - c0 == 2  # the corner spans three header rows, three columns
    (applicants,) = _find(ws, m.TABLE3_APPLICANT_HEADER)
    a0, _, a1, _ = _merged_at(ws, applicants)
    assert a1 - a0 + 1 == len(m.APPLICANT_COLUMNS)
    (legal,) = _find(ws, m.TABLE3_LEGAL_PERSON_HEADER)
    l0, lr, l1, _ = _merged_at(ws, legal)
    assert l1 - l0 + 1 == 5
    assert [ws.cell(lr + 1, c).value for c in range(l0, l1 + 1)] == [
        c.label for c in m.LEGAL_PERSON_COLUMNS
    ]
    for col in (m.APPLICANT_COLUMNS[0], m.APPLICANT_COLUMNS[-1]):
        (at,) = _find(ws, col.label)
        _, top, _, bottom = _merged_at(ws, at)
        assert (top, bottom) == (lr, lr + 1)  # 自然人 and 总计 span two header rows
    # every data column sits under its label
    for col in m.APPLICANT_COLUMNS:
        c = ws[cells[".".join(m.TABLE3_ROOT + m.TABLE3_NEW.path + (col.id,))][1]]
        assert col.label in (ws.cell(lr, c.column).value, ws.cell(lr + 1, c.column).value)


def test_table3_rows_and_groups(wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]) -> None:
    ws = wb["表三"]
    row_of = {
        row.path: ws[cells[".".join(m.TABLE3_ROOT + row.path + ("natural_person",))][1]].row
        for row in m.TABLE3_ROWS
    }
    assert sorted(row_of.values()) == list(row_of.values())  # official order
    for row in m.TABLE3_ROWS:
        labels = [ws.cell(row_of[row.path], c).value for c in (1, 2, 3)]
        assert row.label in labels, row
        for col in m.APPLICANT_COLUMNS:  # every cell of the row on the same line
            sheet, coord = cells[".".join(m.TABLE3_ROOT + row.path + (col.id,))]
            assert sheet == "表三" and ws[coord].row == row_of[row.path]
    groups = {row.group for row in m.TABLE3_OUTCOMES if row.group}
    for group in groups:
        rows = [row_of[r.path] for r in m.TABLE3_OUTCOMES if r.group == group]
        (at,) = _find(ws, group)
        _, top, _, bottom = _merged_at(ws, at)
        assert (top, bottom) == (min(rows), max(rows)), group
    results = [row_of[r.path] for r in m.TABLE3_ROWS if r.path[0] == "results"]
    (at,) = _find(ws, m.TABLE3_RESULTS_GROUP)
    _, top, _, bottom = _merged_at(ws, at)
    assert (top, bottom) == (min(results), max(results))


def test_table3_balance_row(wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]) -> None:
    ws = wb["表三"]
    lay = t.layout()
    for col in m.APPLICANT_COLUMNS:
        sheet, coord = lay.balance[col.id]
        formula = ws[coord].value
        refs = re.findall(r"[A-Z]+\d+", formula)
        want = [
            cells[".".join(m.TABLE3_ROOT + p + (col.id,))][1]
            for p in (*_rule("T3_BALANCE").left, *_rule("T3_BALANCE").right)
        ]
        assert refs == want and formula.count("+") == 1 and formula.count("-") == 2
        text = ws[lay.balance_text[col.id][1]].value
        assert "平衡" in text and "不平衡" in text and coord in text
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert any("<>0" in r.formula[0] and r.dxf.fill is not None for r in rules)


def _rule(code: str) -> ar.Arithmetic:
    return next(a for a in ar.ARITHMETIC if a.code == code)


def test_table4_headers(wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]) -> None:
    ws = wb["表四"]
    (review,) = _find(ws, m.TABLE4_REVIEW_HEADER)
    c0, r0, c1, _ = _merged_at(ws, review)
    assert c1 - c0 + 1 == 5
    (lit,) = _find(ws, m.TABLE4_LITIGATION_HEADER)
    l0, lr, l1, _ = _merged_at(ws, lit)
    assert l1 - l0 + 1 == 10 and lr == r0
    for group in m.TABLE4_GROUPS[1:]:
        (at,) = _find(ws, group.label)
        g0, gr, g1, _ = _merged_at(ws, at)
        assert g1 - g0 + 1 == 5 and gr == r0 + 1
    for group in m.TABLE4_GROUPS:
        for col in m.REVIEW_COLUMNS:
            c = ws[cells[".".join(m.TABLE4_ROOT + (group.id, col.id))][1]]
            assert c.row == r0 + 3
            labels = [ws.cell(r, c.column).value for r in (r0 + 1, r0 + 2)]
            assert col.label in labels


def test_page_setup(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb["表三"].page_setup.orientation == "landscape"
    assert wb["表三"].print_title_rows


def test_fonts_are_chinese_windows_fonts(wb: openpyxl.Workbook) -> None:
    fonts = {c.font.name for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert fonts <= {"宋体", "仿宋"}


def test_prefilled_agency_and_year(tmp_path: Path) -> None:
    wb = reload(t.build_template(agency="某县某局", year=2025), tmp_path)
    cells = name_cells(wb)
    assert _cell(wb, cells, "agency.name").value == "某县某局"
    assert _cell(wb, cells, "year").value == 2025
    assert _cell(wb, cells, "agency.address").value is None


BUILD_IN_A_FRESH_PROCESS = """
import json, sys
from importlib import resources
from pathlib import Path
from xxgk.workbook.template import build_template, workbook_bytes
data = json.loads(resources.files("xxgk").joinpath("examples", "seed-2024.json").read_text("utf-8"))
data.pop("$schema")
out = Path(sys.argv[1])
(out / "template.xlsx").write_bytes(workbook_bytes(build_template()))
(out / "example.xlsx").write_bytes(workbook_bytes(build_template(data=data)))
"""


def _members(raw: bytes) -> list[tuple[str, tuple[int, ...], bytes]]:
    """A zip's members in order: name, timestamp, uncompressed content (compressed bytes may
    differ with the zlib build, what it holds may not)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return [(i.filename, i.date_time, z.read(i)) for i in z.infolist()]


def test_same_input_same_bytes_in_fresh_processes(tmp_path: Path) -> None:
    """Built in processes with other hash seeds and time zones (tests/fresh.py), at another
    time than the committed files (`tools/regenerate.py` made them): byte for byte the same
    workbook, and member for member the committed template and example workbook."""
    first, second = outputs_of_fresh_processes(BUILD_IN_A_FRESH_PROCESS, tmp_path)
    assert set(first) == set(second) == {"template.xlsx", "example.xlsx"}
    for name in first:
        assert first[name] == second[name], name
    assert t.workbook_bytes(t.build_template()) == first["template.xlsx"]
    assert _members(first["template.xlsx"]) == _members(TEMPLATE_FILE.read_bytes())
    assert _members(first["example.xlsx"]) == _members(EXAMPLE_XLSX.read_bytes())


# -- the committed files are what the generator makes now --------------------------------------


def test_committed_template_is_fresh(tmp_path: Path) -> None:
    committed = openpyxl.load_workbook(TEMPLATE_FILE)
    assert normalise(committed) == normalise(reload(t.build_template(), tmp_path)), (
        "templates/ is stale: run `python tools/regenerate.py`"
    )


def test_committed_example_workbook_is_fresh(tmp_path: Path) -> None:
    committed = openpyxl.load_workbook(EXAMPLE_XLSX)
    fresh = reload(t.build_template(data=example_data()), tmp_path)
    assert normalise(committed) == normalise(fresh), (
        "src/xxgk/examples/seed-2024.xlsx is stale: run `python tools/regenerate.py`"
    )


# -- the command ------------------------------------------------------------------------------


def test_cli_template(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    result = CliRunner().invoke(
        main, ["template", "-o", str(out), "--agency", "某县某局", "--year", "2024"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # nothing asked for on stdout
    wb = openpyxl.load_workbook(out)
    cells = name_cells(wb)
    assert _cell(wb, cells, "agency.name").value == "某县某局"
    assert normalise(wb)["names"] == normalise(reload(t.build_template(), tmp_path))["names"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".xxgk-")] == []


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "1999"],
        ["--year", "abc"],
        ["--agency", "  "],
    ],
)
def test_cli_template_usage_errors(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(out), *args])
    assert result.exit_code == 2, result.output
    assert not out.exists()


def test_cli_template_refuses_other_suffix(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "t.xls")])
    assert result.exit_code == 2 and not (tmp_path / "t.xls").exists()
    result = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "no" / "t.xlsx")])
    assert result.exit_code == 2


def test_validation_texts_within_excel_limits(wb: openpyxl.Workbook) -> None:
    # Excel reports a file as damaged when a prompt or error text is longer than this
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert len(dv.promptTitle or "") <= 32 and len(dv.errorTitle or "") <= 32
            assert len(dv.prompt or "") <= 255 and len(dv.error or "") <= 255
            assert len(dv.formula1 or "") <= 255


def test_committed_files_load_without_warnings() -> None:
    import warnings

    for path in (TEMPLATE_FILE, EXAMPLE_XLSX):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # openpyxl warns about anything it cannot read
            wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == list(SHEETS)


def test_merged_input_ranges_are_unlocked_throughout(
    wb: openpyxl.Workbook, cells: dict[str, tuple[str, str]]
) -> None:
    merged_inputs = 0
    for dotted, (sheet, coord) in cells.items():
        ws = wb[sheet]
        for rng in ws.merged_cells.ranges:
            if rng.coord.split(":")[0] == coord:
                merged_inputs += 1
                locked = {ws.cell(r, c).protection.locked for r, c in rng.cells}
                assert locked == {dotted in TOTALS}, dotted
    assert merged_inputs >= 4  # table 二's one-column blocks and the 其他事项 text
