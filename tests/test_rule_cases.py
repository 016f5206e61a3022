"""One folder of cases per finding code: a small edit of a valid report and the findings it must
give, exactly. Adding a case means adding a file under tests/cases/<CODE>/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xxgk.check import findings as fc
from xxgk.check.validate import RULES, validate

from .conftest import load_example

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES.glob("*/*.json"))
# Codes that no edit of report data can produce: they come from reading a file.
FILE_CODES = {fc.FILE_UNREADABLE, fc.FILE_ENCODING, fc.JSON_INVALID}
# Codes that compare two reports (this year's and last year's): one edited report cannot give
# them; tests/test_previous.py has a failing case for each.
FILE_CODES |= {fc.PREV_WRONG_YEAR, fc.PREV_OTHER_AGENCY, fc.PREV_CARRIED_OVER, fc.PREV_IN_FORCE}
FILE_CODES |= {fc.PREV_COPIED}
# Codes from a workbook's cells and structure: tests/test_workbook_reader.py tests each.
FILE_CODES |= {code for code in fc.CATALOGUE if code.startswith("WB_")}
# Codes for an input batch conversion could not finish (a crash, a locked output): not about the
# data; tests/test_convert.py has a case for each it can provoke.
FILE_CODES |= {fc.CONVERT_INTERNAL, fc.CONVERT_WORKER_DIED, fc.OUTPUT_WRITE, fc.OUTPUT_REPLACE}
# LibreOffice failing to make the PDF: tests/test_pdf.py provokes it.
FILE_CODES |= {fc.CONVERT_PDF}
# A folder of the inputs that cannot be opened (tests/test_issue15.py provokes it).
FILE_CODES |= {fc.FOLDER_UNREADABLE}
# A bug of ours while reading (tests/test_internal_errors.py provokes one).
FILE_CODES |= {fc.INTERNAL_ERROR}
# Codes from reading a published report's tables (xxgk import): tests/published provokes each.
FILE_CODES |= {
    fc.IMPORT_TABLE_MISSING,
    fc.IMPORT_ROW_MISSING,
    fc.IMPORT_ROW_UNPLACED,
    fc.IMPORT_CELL_UNREADABLE,
    fc.IMPORT_CELL_BLANK,
    fc.IMPORT_LABEL_VARIANT,
    fc.IMPORT_FORMAT_2019,
    fc.IMPORT_OLD_COLUMNS,
}


def valid_base() -> dict[str, Any]:
    data = load_example()
    data["published_on"] = "2025-01-20"  # the seed was published late; the base is on time
    data["overview"]["on_request"] = ""  # the seed's says "no requests": neutral for edits
    return data


def apply(data: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    for ptr, value in case.get("set", {}).items():
        *parents, last = ptr.split("/")[1:]
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    for ptr in case.get("remove", []):
        *parents, last = ptr.split("/")[1:]
        node = data
        for key in parents:
            node = node[key]
        del node[last]
    return data


def test_base_report_is_valid_without_warnings() -> None:
    assert validate(valid_base()) == []


@pytest.mark.parametrize("case_file", CASE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case(case_file: Path) -> None:
    case = json.loads(case_file.read_text(encoding="utf-8"))
    found = validate(apply(valid_base(), case))
    assert sorted((f.code, f.path) for f in found) == sorted(map(tuple, case["expect"]))
    for f in found:
        assert f.severity == fc.CATALOGUE[f.code].severity
        assert f.message and "{" not in f.message


def test_every_rule_code_has_a_passing_case_too() -> None:
    passing = {p.parent.name for p in CASE_FILES if not json.loads(p.read_text("utf-8"))["expect"]}
    assert {r.code for r in RULES} | {"T3_BALANCE", "T3_OUTCOME_TOTAL", "T3_ROW_TOTAL"} <= passing


def test_every_code_has_a_failing_case() -> None:
    tested = {
        code for p in CASE_FILES for code, _ in json.loads(p.read_text(encoding="utf-8"))["expect"]
    }
    assert set(fc.CATALOGUE) - FILE_CODES <= tested


def test_every_rule_is_documented_and_catalogued() -> None:
    for r in RULES:
        assert r.code in fc.CATALOGUE
        assert r.doc.startswith("规则"), r.code


def test_arithmetic_finding_carries_figures_and_every_path() -> None:
    data = valid_base()
    data["requests"]["new"]["natural_person"] = 5
    data["requests"]["new"]["total"] = 5
    data["requests"]["results"]["granted"]["natural_person"] = 4
    data["requests"]["results"]["granted"]["total"] = 4
    data["requests"]["results"]["total"]["natural_person"] = 4
    data["requests"]["results"]["total"]["total"] = 4
    data["overview"]["on_request"] = "收到申请5件。"
    found = [f for f in validate(data) if f.path == "/requests/new/natural_person"]
    assert [f.code for f in found] == [fc.T3_BALANCE]
    f = found[0]
    assert f.args["reported"] == 5 and f.args["computed"] == 4 and f.args["diff"] == 1
    assert f.paths == [
        "/requests/new/natural_person",
        "/requests/carried_over/natural_person",
        "/requests/results/total/natural_person",
        "/requests/carried_forward/natural_person",
    ]
    # the message names the column and shows both sides' figures (wording is the catalogue's)
    assert f.args["column"] == "自然人"
    assert "（5）" in f.args["left_expr"] and "（4）" in f.args["right_expr"]
