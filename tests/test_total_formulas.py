"""A total cell's formula must sum exactly its parts' cells (found through the workbook's names);
a total typed over with text that reads as the right number is the same warning as a number."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from xxgk.check import findings as fc
from xxgk.check.source import check_source
from xxgk.cli.main import main
from xxgk.excel import read as excel_read
from xxgk.files.read import read_source
from xxgk.format import arithmetic as ar
from xxgk.workbook.core import WorkbookView, read_view
from xxgk.workbook.formulas import shift_formula
from xxgk.workbook.template import build_template
from xxgk.workbook.totals import summed_cells

from .test_workbook_reader import at, on_time
from .wb_helpers import cell_of, example_data, rewrite_member, set_cached, sheet_member

ROW_TOTAL = "requests.new.total"  # 表三 J5 = SUM(D5:I5) in the template
COLUMN_TOTAL = "requests.results.total.natural_person"  # 表三 D28 = SUM(D7:D27)
APPLICANTS = [c for c in ar.T3_COLUMN_IDS if c != "total"]
ROW_PARTS = [f"requests.new.{c}" for c in APPLICANTS]
TOTAL_CODES = {fc.WB_TOTAL_FORMULA, fc.WB_TOTAL_STALE, fc.WB_TOTAL_TYPED, fc.WB_TOTAL_OVERWRITTEN}


def _save(tmp_path: Path, cells: dict[str, Any] | None = None, name: str = "w.xlsx") -> Path:
    """The example (published in time, so no other finding) with cells typed over by name."""
    wb = build_template(data=on_time(example_data()))
    for dotted, value in (cells or {}).items():
        sheet, ref = cell_of(wb, dotted)
        wb[sheet][ref].value = value
    path = tmp_path / name
    wb.save(path)
    return path


def spots(path: Path) -> list[tuple[str, str | None, str | None]]:
    source = read_source(path)
    assert source.readable, source.error
    return [(f.code, f.sheet, f.cell) for f in check_source(source)]


def _refs(dotteds: list[str], anchored: bool = False) -> list[str]:
    out = []
    for dotted in dotteds:
        cell = at(dotted)[1]
        if anchored:
            col = cell.rstrip("0123456789")
            cell = f"${col}${cell[len(col) :]}"
        out.append(cell)
    return out


# -- a formula replaced by another ------------------------------------------------------------


def test_a_constant_formula_is_an_error_at_its_cell(tmp_path: Path) -> None:
    path = _save(tmp_path, {ROW_TOTAL: "=99"})
    source = read_source(path)
    found = check_source(source)
    assert [(f.code, f.sheet, f.cell) for f in found] == [(fc.WB_TOTAL_FORMULA, *at(ROW_TOTAL))]
    assert found[0].is_error
    assert source.data["requests"]["new"]["total"] == 0  # computed from the parts, not 99


def test_a_sum_missing_one_column_is_an_error(tmp_path: Path) -> None:
    first, *_, last = _refs(ROW_PARTS[:-1])
    path = _save(tmp_path, {ROW_TOTAL: f"=SUM({first}:{last})"})
    assert spots(path) == [(fc.WB_TOTAL_FORMULA, *at(ROW_TOTAL))]


def test_a_sum_counting_a_cell_twice_is_an_error(tmp_path: Path) -> None:
    first, *_, last = _refs(ROW_PARTS)
    path = _save(tmp_path, {ROW_TOTAL: f"=SUM({first}:{last},{first})"})
    assert spots(path) == [(fc.WB_TOTAL_FORMULA, *at(ROW_TOTAL))]


def test_a_reference_to_another_sheet_is_an_error(tmp_path: Path) -> None:
    first, *_, last = _refs(ROW_PARTS)
    path = _save(tmp_path, {ROW_TOTAL: f"=SUM(表四!{first}:{last})"})
    assert spots(path) == [(fc.WB_TOTAL_FORMULA, *at(ROW_TOTAL))]


@pytest.mark.parametrize(
    "formula",
    [
        "=SUM({a}:{z})",  # anchored, same cells
        "=SUM({a_}:{z_})",
        "={plus}",  # C8+D8+… form
        "= sum( {lower} )",  # lower case, spaces, cells listed one by one
        "='表三'!{a}+SUM(表三!{rest})",  # naming its own sheet
    ],
)
def test_the_same_cells_written_another_way_are_fine(tmp_path: Path, formula: str) -> None:
    plain = _refs(ROW_PARTS)
    anchored = _refs(ROW_PARTS, anchored=True)
    text = formula.format(
        a=plain[0],
        z=plain[-1],
        a_=anchored[0],
        z_=anchored[-1],
        plus="+".join(plain),
        lower=" , ".join(c.lower() for c in anchored),
        rest=",".join(plain[1:]),
    )
    path = _save(tmp_path, {ROW_TOTAL: text})
    assert spots(path) == [], text


def test_a_moved_part_is_found_through_the_names(tmp_path: Path) -> None:
    """A layout moved by staff (name and formula follow, as Excel does): still fine; the
    template's formula, now missing the moved cell, is not."""
    wb = build_template(data=on_time(example_data()))
    sheet, old = cell_of(wb, ROW_PARTS[0])
    sheet_total, total = cell_of(wb, ROW_TOTAL)
    wb[sheet]["D40"].value = wb[sheet][old].value
    wb[sheet][old].value = None
    wb.defined_names[ROW_PARTS[0]].attr_text = f"'{sheet}'!$D$40"
    wb.save(tmp_path / "stale.xlsx")
    rest = _refs(ROW_PARTS[1:])
    wb[sheet_total][total].value = f"=SUM({rest[0]}:{rest[-1]})+D40"
    wb.save(tmp_path / "moved.xlsx")
    assert spots(tmp_path / "moved.xlsx") == []
    assert (fc.WB_TOTAL_FORMULA, sheet_total, total) in spots(tmp_path / "stale.xlsx")


def test_a_changed_formula_with_a_cached_value_is_not_also_stale(tmp_path: Path) -> None:
    """As after a LibreOffice re-save: the wrong formula's value is cached; one finding, the
    error (F9 cannot fix it)."""
    path = _save(tmp_path, {ROW_TOTAL: "=99"})
    set_cached(path, *at(ROW_TOTAL), "99")
    assert spots(path) == [(fc.WB_TOTAL_FORMULA, *at(ROW_TOTAL))]


def test_cli_json_names_the_cell(tmp_path: Path) -> None:
    path = _save(tmp_path, {ROW_TOTAL: "=99"})
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["files"][0]["findings"]
    assert [(f["code"], f["sheet"], f["cell"], f["severity"]) for f in found] == [
        (fc.WB_TOTAL_FORMULA, *at(ROW_TOTAL), fc.ERROR)
    ]


# -- shared formulas (Excel's copied formulas: only the master cell has the text) ---------------


def _share(path: Path, sheet: str, master: str, text: str, copies: list[str]) -> Path:
    """Rewrite the formulas of `master` and `copies` as one shared group, as Excel saves it."""
    member = sheet_member(path, sheet)
    cells = [master, *copies]

    def change(xml: bytes) -> bytes:
        out = xml.decode()
        for cell in cells:
            start = out.index(f'<c r="{cell}"')
            f_start = out.index("<f>", start)
            f_end = out.index("</f>", f_start) + len("</f>")
            if cell == master:
                new = f'<f t="shared" ref="{master}:{copies[-1]}" si="0">{text}</f>'
            else:
                new = '<f t="shared" si="0"/>'
            out = out[:f_start] + new + out[f_end:]
        return out.encode()

    return rewrite_member(path, member, change)


def test_shared_formulas_are_moved_to_each_cell(tmp_path: Path) -> None:
    sheet, master = at(COLUMN_TOTAL)
    copies = [at(f"requests.results.total.{c}")[1] for c in APPLICANTS[1:]]
    text = summed_cells_text(master)
    path = _share(_save(tmp_path), sheet, master, text, copies)
    assert spots(path) == []


def test_an_anchored_shared_formula_is_wrong_in_its_copies(tmp_path: Path) -> None:
    # J5 = SUM($D$5:$I$5) is right; copied down to J6 it still sums row 5.
    sheet, master = at(ROW_TOTAL)
    copy_cell = at("requests.carried_over.total")
    first, *_, last = _refs(ROW_PARTS, anchored=True)
    path = _share(_save(tmp_path), sheet, master, f"SUM({first}:{last})", [copy_cell[1]])
    assert spots(path) == [(fc.WB_TOTAL_FORMULA, *copy_cell)]


def summed_cells_text(cell: str) -> str:
    """The template's own text of a total's formula, without the '='."""
    wb = build_template()
    sheet = at(COLUMN_TOTAL)[0]
    return str(wb[sheet][cell].value).removeprefix("=")


def test_shift_formula_moves_relative_parts_only() -> None:
    assert shift_formula("SUM(D7:D27)", 0, 2) == "SUM(F7:F27)"
    assert shift_formula("SUM($D7:D$27)", 1, 1) == "SUM($D8:E$27)"
    assert shift_formula("表三!A1+LOG10(B2)", -1, 0) == "表三!#REF!+LOG10(B1)"
    assert summed_cells("=SUM(F7:F9)", "表三") == (("表三", "F7"), ("表三", "F8"), ("表三", "F9"))


# -- text typed over a total -------------------------------------------------------------------


def test_text_of_the_right_number_is_a_typed_total(tmp_path: Path) -> None:
    path = _save(tmp_path, {ROW_TOTAL: "0"})  # the example's new requests sum to 0
    assert spots(path) == [(fc.WB_TOTAL_TYPED, *at(ROW_TOTAL))]


def test_text_of_another_number_is_still_overwritten(tmp_path: Path) -> None:
    path = _save(tmp_path, {ROW_TOTAL: "7"})
    assert spots(path) == [(fc.WB_TOTAL_OVERWRITTEN, *at(ROW_TOTAL))]


# -- what must stay quiet -----------------------------------------------------------------------


def test_the_template_and_the_example_give_no_total_findings(tmp_path: Path) -> None:
    build_template().save(tmp_path / "empty.xlsx")
    empty = read_source(tmp_path / "empty.xlsx")
    assert empty.readable, empty.error
    assert not TOTAL_CODES & {f.code for f in check_source(empty)}
    assert spots(_save(tmp_path)) == []
    example = resources.files("xxgk").joinpath("examples", "seed-2024.xlsx")
    with resources.as_file(example) as path:
        assert [c for c, _, _ in spots(Path(path))] == [fc.DATE_LATE]


# -- the add-in: Excel's Range.formula gives each cell's own formula text -----------------------


def _desktop_view(wb: Any) -> WorkbookView:
    """What the add-in reads from a desktop Excel: values (totals not yet computed) and the
    formula grid of each sheet, through the add-in's own helper."""
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    values: dict[tuple[str, str], Any] = {}
    texts: dict[tuple[str, str], str] = {}
    for ws in wb.worksheets:
        grid = [[c.value for c in row] for row in ws.iter_rows()]
        texts.update(excel_read.formula_texts(ws.title, grid))
        for row in ws.iter_rows():
            for c in row:
                if not (isinstance(c.value, str) and c.value.startswith("=")):
                    values[(ws.title, c.coordinate)] = c.value
    return WorkbookView(tuple(wb.sheetnames), names, values, frozenset(texts), texts)


def test_addin_view_checks_formula_text_too() -> None:
    wb = build_template(data=on_time(example_data()))
    assert [f.code for f in read_view(_desktop_view(wb)).findings] == []
    sheet, cell = at(ROW_TOTAL)
    wb[sheet][cell].value = "=SUM(D5:H5)"
    reading = read_view(_desktop_view(wb))
    assert [(f.code, reading.locate(f.path)) for f in reading.findings] == [
        (fc.WB_TOTAL_FORMULA, (sheet, cell))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "=99",
        "=D5-E5",
        "=SUM(D5:I5)*1",
        "=D5:I5",
        "=SUM(D:D)",
        "=SUM(D5:I5,)",
        "=SUM()",
        "",
        "=ROUND(SUM(D5:I5),0)",
        "=Sheet1!D5",
        "=SUM(D5:I5",
    ],
)
def test_what_is_no_plain_sum(text: str) -> None:
    assert summed_cells(text, "表三") is None
