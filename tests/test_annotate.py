"""`xxgk validate --annotate OUTDIR`: a marked-up copy, the input untouched."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from xxgk.check import findings as fc
from xxgk.cli.main import main
from xxgk.workbook.annotate import PROBLEM_FILL
from xxgk.workbook.results import RESULT_SHEET

from .wb_helpers import cell_of, example_data, write_workbook

NP = "requests.results.granted.natural_person"
TYPED = "proactive.licensing.decisions"


def _bad_workbook(tmp_path: Path) -> Path:
    data = example_data()
    data["published_on"] = "2025-01-20"
    # 无 in a count, a full-width digit, and an unbalanced 商业企业 column
    cells = {NP: "无", "requests.new.commercial": 2, TYPED: "５"}
    return write_workbook(tmp_path / "填报.xlsx", data=data, cells=cells)


def _validate_json(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_annotated_copy_marks_every_problem_cell(tmp_path: Path) -> None:
    src = _bad_workbook(tmp_path)
    before = src.read_bytes()
    out = tmp_path / "out"
    code, doc = _validate_json("--annotate", str(out), str(src))
    assert code == 1
    findings = doc["files"][0]["findings"]
    assert src.read_bytes() == before  # the input is never modified

    copy = out / "填报.校验.xlsx"
    assert sorted(p.name for p in out.iterdir()) == [copy.name]  # no temp file left
    wb = load_workbook(copy)
    marked = {(f["sheet"], f["cell"]) for f in findings if f.get("cell")}
    assert cell_of(wb, NP) in marked and cell_of(wb, TYPED) in marked
    for sheet, ref in marked:
        cell = wb[sheet][ref]
        assert cell.fill.fgColor.rgb == PROBLEM_FILL.fgColor.rgb
        assert cell.comment is not None
        here = [f["message"] for f in findings if (f.get("sheet"), f.get("cell")) == (sheet, ref)]
        assert all(message in cell.comment.text for message in here)
    sheet, ref = cell_of(wb, "agency.name")
    assert wb[sheet][ref].comment is None  # an unremarkable cell stays as it was

    ws = wb[RESULT_SHEET]
    assert wb.active.title == RESULT_SHEET
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    code = [c.value for c in ws[4]].index("代码")  # by its header: the columns may move
    assert [(r[2] or None, r[3] or None, r[code]) for r in rows] == [
        (f.get("sheet"), f.get("cell"), f["code"]) for f in findings
    ]
    assert {fc.WB_NOT_NUMBER, fc.WB_FULLWIDTH, fc.T3_BALANCE} <= {r[code] for r in rows}
    links = [ws.cell(5 + i, 4).hyperlink for i, r in enumerate(rows) if r[3]]
    assert links and all(link is not None and link.location for link in links)
    first = next(i for i, r in enumerate(rows) if r[3])
    assert ws.cell(5 + first, 4).hyperlink.location == f"'{rows[first][2]}'!{rows[first][3]}"


def test_annotated_copy_keeps_the_template_working(tmp_path: Path) -> None:
    src = _bad_workbook(tmp_path)
    original = load_workbook(src)
    out = tmp_path / "out"
    _validate_json("--annotate", str(out), str(src))
    copy = load_workbook(out / "填报.校验.xlsx")
    assert set(copy.defined_names) == set(original.defined_names)
    for name in original.sheetnames:
        assert copy[name].protection.sheet == original[name].protection.sheet
        assert len(copy[name].data_validations.dataValidation) == len(
            original[name].data_validations.dataValidation
        )
    # The copy is still a readable template: validating it gives the same findings.
    _, first = _validate_json(str(src))
    _, again = _validate_json(str(out / "填报.校验.xlsx"))
    strip = [(f["code"], f.get("cell")) for f in first["files"][0]["findings"]]
    assert [(f["code"], f.get("cell")) for f in again["files"][0]["findings"]] == strip


def test_clean_workbook_gets_an_empty_result_list(tmp_path: Path) -> None:
    data = example_data()
    data["published_on"] = "2025-01-20"
    src = write_workbook(tmp_path / "ok.xlsx", data=data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["validate", "--annotate", str(out), str(src)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out / "ok.校验.xlsx")[RESULT_SHEET]
    assert ws["A2"].value.startswith("校验通过")
    assert ws.cell(5, 1).value is None


def test_same_names_from_two_folders_and_unreadable_inputs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = write_workbook(tmp_path / "a" / "报告.xlsx")
    two = write_workbook(tmp_path / "b" / "报告.xlsx")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["validate", "--annotate", str(out), str(one), str(two), str(junk)]
    )
    assert result.exit_code == 3  # the unreadable input decides the exit code
    assert sorted(p.name for p in out.iterdir()) == ["报告.校验-2.xlsx", "报告.校验.xlsx"]
    assert "Traceback" not in result.output


def test_macro_workbook_stays_a_macro_workbook(tmp_path: Path) -> None:
    src = write_workbook(tmp_path / "宏.xlsm", cells={TYPED: "５"})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["validate", "--annotate", str(out), str(src)])
    assert result.exit_code == 0, result.output  # warnings only
    copy = out / "宏.校验.xlsm"
    wb = load_workbook(copy, keep_vba=True)
    assert wb[cell_of(wb, TYPED)[0]][cell_of(wb, TYPED)[1]].comment is not None


def test_annotating_a_fixed_copy_again_leaves_no_stale_mark(tmp_path: Path) -> None:
    from xxgk.workbook.style import INPUT_FILL

    src = _bad_workbook(tmp_path)
    _validate_json("--annotate", str(tmp_path / "o1"), str(src))  # marks 无 and ５
    copy = tmp_path / "o1" / "填报.校验.xlsx"
    wb = load_workbook(copy)
    np_at, typed_at = cell_of(wb, NP), cell_of(wb, TYPED)
    wb[np_at[0]][np_at[1]] = 0  # staff fix the 无 in the marked copy, nothing else
    wb.save(tmp_path / "fixed.xlsx")
    code, doc = _validate_json("--annotate", str(tmp_path / "o2"), str(tmp_path / "fixed.xlsx"))
    still = {(f["sheet"], f["cell"]) for f in doc["files"][0]["findings"] if f.get("cell")}
    assert np_at not in still and typed_at in still
    again = load_workbook(tmp_path / "o2" / "fixed.校验.xlsx")
    fixed = again[np_at[0]][np_at[1]]
    assert fixed.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb and fixed.comment is None
    marked = again[typed_at[0]][typed_at[1]]
    assert marked.fill.fgColor.rgb == PROBLEM_FILL.fgColor.rgb and marked.comment is not None


def test_the_result_sheet_prints_on_a4_with_the_explanation_first(tmp_path: Path) -> None:
    """Printed as staff would (LibreOffice → PDF): the 校验结果 page holds the Chinese
    explanation and the code side by side — not the 说明 column on a page of its own — and the
    explanation comes before the code."""
    import shutil
    import subprocess

    from .conftest import need_tool
    from .report_support import soffice_to_pdf

    need_tool("LibreOffice", shutil.which("soffice"), "apt-get install libreoffice-calc-nogui")
    need_tool("pdftotext", shutil.which("pdftotext"), "apt-get install poppler-utils")
    src = _bad_workbook(tmp_path)
    outdir = tmp_path / "marked"
    result = CliRunner().invoke(main, ["validate", "--annotate", str(outdir), str(src)])
    assert result.exit_code == 1, result.output
    copy = outdir / "填报.校验.xlsx"
    ws = load_workbook(copy)[RESULT_SHEET]
    header = [c.value for c in ws[4]][:6]
    assert header.index("说明") < header.index("代码")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    only = tmp_path / "only-results.xlsx"  # print just the results sheet
    wb = load_workbook(copy)
    for name in wb.sheetnames:
        if name != RESULT_SHEET:
            del wb[name]
    wb.save(only)
    done = soffice_to_pdf([only], tmp_path / "pdf")
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "pdf" / "only-results.pdf"
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    first = pages[0]
    assert "说明" in first and "代码" in first  # the two columns on one page
    codes = [c.value for c in ws["F"][4:] if c.value]
    assert codes and all(code in "".join(pages) for code in codes)
    printed = "".join("".join(pages).split())
    for message in (c.value for c in ws["E"][4:] if c.value):  # wrapped, never cut off
        assert "".join(message.split())[-2:] in printed, message
    for line in first.splitlines():  # on each finding's line, its explanation before its code
        for code in codes:
            if code in line and "：" in line:
                assert line.index("：") < line.index(code), line
