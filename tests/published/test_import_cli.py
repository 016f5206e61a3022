"""`xxgk import` and the other commands taking a published report, through the real CLI.

Published inputs are made by rendering report data to Markdown and plain text with our own
renderer (a page like the ones agencies publish), or typed here; the expected values are the
data rendered, never what the importer produced.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from xxgk.cli.main import main
from xxgk.format import model as m
from xxgk.report.registry import RENDERERS

from ..conftest import load_example
from ..oracle import with_official_totals
from ..reports import INPUT_LEAVES, get_path, set_path

SEED_TEXT = Path(__file__).parent.parent / "data" / "seed-2024-published.txt"
TABLE_LEAVES = [leaf for leaf in m.leaves() if leaf.table]


def busy_report() -> dict[str, Any]:
    """Every input cell non-zero and different (totals and balance by the oracle's sums)."""
    data = copy.deepcopy(load_example())
    for n, leaf in enumerate(INPUT_LEAVES, 1):
        if leaf.table == m.TABLE3_NAME and leaf.path[1] == "new":
            continue
        set_path(data, leaf.path, 12.5 if leaf.kind == m.AMOUNT else n)
    data = with_official_totals(data)
    req = data["requests"]
    for col in m.APPLICANT_PARTS:  # new = outcomes + carried forward − carried over
        outcome = req["results"]["total"][col.id] + req["carried_forward"][col.id]
        req["new"][col.id] = outcome - req["carried_over"][col.id]
    return with_official_totals(data)


def cli(*args: object) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args])


def published_md(tmp_path: Path, data: dict[str, Any], name: str = "年报.md") -> Path:
    path = tmp_path / name
    path.write_bytes(RENDERERS["md"].render(data))
    return path


def test_import_writes_the_json_and_a_summary_with_kind_format_and_findings(
    tmp_path: Path,
) -> None:
    data = busy_report()
    src = published_md(tmp_path, data)
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    imported = json.loads((out / "年报.json").read_text(encoding="utf-8"))
    for leaf in TABLE_LEAVES:
        assert get_path(imported, leaf.path) == get_path(data, leaf.path), leaf.pointer
    assert imported["agency"]["name"] == data["agency"]["name"]
    assert imported["year"] == data["year"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["command"] == "import"
    (entry,) = summary["files"]
    assert entry["input"] == str(src)
    assert entry["output"] == "年报.json"
    assert entry["status"] == "imported"
    assert entry["kind"] == "md"
    assert entry["format"] == "2021"
    assert all(f["severity"] == "warning" for f in entry["findings"])
    # the imported JSON is a valid report in its own right
    again = cli("validate", out / "年报.json")
    assert again.exit_code == 0, again.output


def test_validate_on_a_published_report_names_the_source_line_of_a_broken_total(
    tmp_path: Path,
) -> None:
    data = busy_report()
    text = RENDERERS["md"].render(data).decode("utf-8")
    # one printed cell changed by hand: 本年新收 自然人 no longer adds up to its row total
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if m.TABLE3_NEW.label in line and "|" in line)
    cells = lines[row].split("|")
    first_number = next(i for i, c in enumerate(cells) if c.strip().isdigit())
    cells[first_number] = f" {int(cells[first_number]) + 7} "
    lines[row] = "|".join(cells)
    src = tmp_path / "算错了.md"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("validate", src, "--format", "json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["files"][0]["findings"]
    row_totals = [f for f in found if f["code"] == "T3_ROW_TOTAL"]
    assert row_totals, found
    assert row_totals[0]["source"]["line"] == row + 1  # 1-based, the line of the row
    text_out = cli("validate", src)
    assert f"第{row + 1}行" in text_out.output


def test_template_from_a_published_report_carries_forward_and_records_in_force(
    tmp_path: Path,
) -> None:
    data = busy_report()
    src = published_md(tmp_path, data, "去年年报.md")
    made = tmp_path / "今年.xlsx"
    result = cli("template", "--from", src, "-o", made)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(made)
    names = wb.defined_names

    def value(name: str) -> Any:
        ((sheet, ref),) = list(names[name].destinations)
        return wb[sheet][ref.replace("$", "")].value

    for col in m.APPLICANT_PARTS:
        expected = data["requests"]["carried_forward"][col.id]
        assert value(f"requests.carried_over.{col.id}") == expected
    in_force = data["proactive"]["normative_documents"]["in_force"]
    recorded = names["xxgk.previous.proactive.normative_documents.in_force"].attr_text
    assert recorded.lstrip("=") == str(in_force)


def test_convert_and_previous_take_a_published_report(tmp_path: Path) -> None:
    last = busy_report()
    last["year"] = 2023
    last_src = published_md(tmp_path, last, "2023年报.md")
    this = copy.deepcopy(load_example())
    out = tmp_path / "out"
    this_path = tmp_path / "2024.json"
    this_path.write_text(json.dumps(this, ensure_ascii=False), encoding="utf-8")
    result = cli("validate", this_path, "--previous", last_src, "--format", "json")
    codes = {f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert "PREV_CARRIED_OVER" in codes  # last year carried requests forward, this year none
    converted = cli("convert", last_src, "-o", out, "--to", "json,html", "-j", "1")
    assert converted.exit_code == 0, converted.output
    written = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"][0]
    assert sorted(Path(n).suffix for n in written["outputs"]) == [".html", ".json"]


@pytest.mark.parametrize(
    ("name", "payload", "says"),
    [
        ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为 .docx"),
        ("年报.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为 .docx"),
    ],
)
def test_old_word_files_are_unreadable_with_what_to_do(
    tmp_path: Path, name: str, payload: bytes, says: str
) -> None:
    src = tmp_path / name
    src.write_bytes(payload)
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 3
    assert says in result.output
    (entry,) = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]
    assert entry["status"] == "unreadable" and entry["output"] is None
    assert entry["error_code"] == "IMPORT_UNREADABLE"
    assert says in entry["error"]
    assert not (out / (Path(name).stem + ".json")).exists()


def test_a_folder_yields_published_reports_not_workbooks(tmp_path: Path) -> None:
    inbox = tmp_path / "年报"
    inbox.mkdir()
    published_md(inbox, busy_report(), "甲.md")
    (inbox / "乙.xlsx").write_bytes(b"not read by import")
    (inbox / "丙.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("import", inbox, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    entries = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]
    assert [Path(e["input"]).name for e in entries] == ["甲.md"]
    # a later convert of the output folder does not take import's own summary for a report
    conv = tmp_path / "conv"
    converted = cli("convert", out, "-o", conv, "--to", "json", "-j", "1")
    assert converted.exit_code == 0, converted.output
    listed = json.loads((conv / "summary.json").read_text(encoding="utf-8"))["files"]
    assert [Path(e["path"]).name for e in listed] == ["甲.json"]


def test_the_seed_as_published_imports_with_its_agency_and_year(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("import", SEED_TEXT, "-o", out, "-j", "1")
    assert result.exit_code in (0, 1), result.output
    imported = json.loads((out / "seed-2024-published.json").read_text(encoding="utf-8"))
    assert imported["agency"]["name"] == "额敏县商务和工业信息化局"
    assert imported["year"] == 2024
    assert imported["agency"]["postcode"] == "834600"


def test_a_text_that_is_no_report_is_refused_not_imported_as_zeros(tmp_path: Path) -> None:
    src = tmp_path / "会议通知.txt"
    src.write_text(
        "关于召开会议的通知\n请各单位于周五下午三点到会议室参加会议。\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 3, result.output
    assert "不像是政府信息公开工作年度报告" in result.output
    assert not (out / "会议通知.json").exists()
    checked = cli("validate", src)
    assert checked.exit_code == 3 and "不像是" in checked.output


def test_an_unreadable_cell_is_flagged_at_its_place_said_once(tmp_path: Path) -> None:
    data = busy_report()
    lines = RENDERERS["md"].render(data).decode("utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if m.TABLE3_CARRIED_OVER.label in line)
    cells = lines[row].split("|")
    first_number = next(i for i, c in enumerate(cells) if c.strip().isdigit())
    cells[first_number] = " 约5 "
    lines[row] = "|".join(cells)
    src = tmp_path / "年报.md"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 1, result.output
    (entry,) = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]
    assert entry["status"] == "imported_with_errors"
    (bad,) = [f for f in entry["findings"] if f["code"] == "IMPORT_CELL_UNREADABLE"]
    assert bad["path"] == "/requests/carried_over/natural_person"
    assert bad["source"]["line"] == row + 1 and "约5" in bad["message"]
    shown = next(line for line in result.output.splitlines() if "IMPORT_CELL_UNREADABLE" in line)
    assert shown.count(f"第{row + 1}行") == 1
    imported = json.loads((out / "年报.json").read_text(encoding="utf-8"))
    assert imported["requests"]["carried_over"]["natural_person"] == 0  # stands in, flagged


def test_a_refused_row_is_not_also_a_text_mismatch_but_a_printed_total_still_counts(
    tmp_path: Path,
) -> None:
    """One mistake, one finding: a row that could not be read stands as 0, and the narrative's
    不予公开 figure is not also reported against that 0. A total the source prints is known, so
    the text is still checked against it."""
    data = busy_report()
    denied = sum(r["total"] for r in data["requests"]["results"]["denied"].values())
    carried = data["requests"]["carried_over"]["total"]
    data["overview"]["on_request"] = (
        f"本年度不予公开{denied}件。上年结转政府信息公开申请{carried + 1}件。"
    )
    lines = RENDERERS["md"].render(data).decode("utf-8").splitlines()
    label = next(r.label for r in m.TABLE3_ROWS if r.path[-1] == "state_secret")
    row = next(i for i, line in enumerate(lines) if label in line and "|" in line)
    cells = lines[row].split("|")
    del cells[-3]  # one number less: the row cannot be placed
    lines[row] = "|".join(cells)
    src = tmp_path / "年报.md"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("validate", src, "--format", "json")
    found = json.loads(result.stdout)["files"][0]["findings"]
    codes = [f["code"] for f in found]
    assert "IMPORT_ROW_UNPLACED" in codes
    mismatches = [f for f in found if f["code"] == "TEXT_NUMBER_MISMATCH"]
    # the 上年结转 statement is wrong (carried + 1) and is said; the 不予公开 one is not
    assert [f["args"]["stated"] for f in mismatches] == [str(carried + 1)]
