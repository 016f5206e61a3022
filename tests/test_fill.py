"""Filling the template from report data, `xxgk fill`, and the formulas recalculated for real."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from lxml import etree

from xxgk.cli.main import main
from xxgk.files.save import save_workbook
from xxgk.format import model as m
from xxgk.format.paths import has_path
from xxgk.workbook import template as t
from xxgk.workbook.sheets import SHEETS
from xxgk.workbook.validation import postcode_formula

from . import oracle as o
from .conftest import need_tool
from .reports import INPUT_LEAVES, consistent_reports, get_path, set_path
from .wb_helpers import EXAMPLE_XLSX, TEMPLATE_FILE, example_data
from .workbooks import libreoffice_convert, name_cells, reload, soffice

TOTALS = {".".join(p) for p in o.TOTAL_PATHS}  # the official rules 2–4 (tests/oracle.py)
NS = {
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
FORMULA_TEXTS = ["=1+1", '=HYPERLINK("http://example.com","点我")', "=cmd|' /C calc'!A0", "+1"]


def _cell(wb: openpyxl.Workbook, dotted: str):
    sheet, coord = name_cells(wb)[dotted]
    return wb[sheet][coord]


def test_example_written_into_every_cell(example: dict[str, Any], tmp_path: Path) -> None:
    wb = reload(t.build_template(data=example), tmp_path)
    for leaf in m.leaves():
        if leaf.kind == m.CONST:
            continue
        cell = _cell(wb, leaf.dotted)
        if leaf.dotted in TOTALS:
            assert cell.data_type == "f" and cell.value.startswith("=SUM("), leaf.dotted
            continue
        if leaf.optional and not has_path(example, leaf.path):
            assert cell.value is None, leaf.dotted  # contract 1.1, absent: the cell stays blank
            continue
        want = get_path(example, leaf.path)
        if leaf.kind == m.DATE:
            assert isinstance(cell.value, dt.datetime), "a real date cell"
            assert cell.value.date().isoformat() == want
        elif leaf.kind in m.NUMERIC_KINDS or leaf.kind == m.YEAR:
            assert cell.data_type == "n" and cell.value == want, leaf.dotted
        else:
            assert cell.data_type == "s" and cell.value == want, leaf.dotted


def test_values_that_do_not_fit_are_written_as_given(example: dict[str, Any]) -> None:
    data = copy.deepcopy(example)
    data["requests"]["new"]["natural_person"] = "5"  # text in a count: kept, the reader flags it
    data["requests"]["new"]["commercial"] = -3
    data["proactive"]["fees"]["amount"] = 18.871
    del data["requests"]["new"]["research"]  # missing: the cell stays blank
    data["published_on"] = "2025-02-30"  # no such day: kept as text
    data["agency"]["postcode"] = "012345"  # a leading zero survives
    data["overview"]["summary"] = "a\x00b\x1fc"
    wb, notes = t.build_filled(data)
    assert _cell(wb, "requests.new.natural_person").value == "5"
    assert _cell(wb, "requests.new.natural_person").data_type == "s"
    assert _cell(wb, "requests.new.commercial").value == -3
    assert _cell(wb, "proactive.fees.amount").value == 18.871
    assert _cell(wb, "requests.new.research").value is None
    assert _cell(wb, "published_on").value == "2025-02-30"
    assert _cell(wb, "agency.postcode").value == "012345"
    assert _cell(wb, "overview.summary").value == "abc"
    assert len(notes) == 1 and "总体情况概述" in notes[0]
    assert _cell(wb, "requests.new.total").data_type == "f"  # totals are never overwritten


def test_data_totals_are_not_written(example: dict[str, Any]) -> None:
    data = copy.deepcopy(example)
    data["requests"]["new"]["total"] = 999  # wrong in the data: the formula decides
    wb = t.build_template(data=data)
    assert _cell(wb, "requests.new.total").value == "=SUM(D5:I5)"


def _sheet_xml(path: Path) -> dict[str, etree._Element]:
    """Sheet name → parsed worksheet XML, read straight from the zip."""
    with zipfile.ZipFile(path) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
        out = {}
        for sheet in book.find("s:sheets", NS):
            rid = sheet.get(f"{{{NS['r']}}}id")
            part = target[rid].lstrip("/")
            part = part if part.startswith("xl/") else "xl/" + part
            out[sheet.get("name")] = etree.fromstring(z.read(part))
        return out


def test_text_starting_with_equals_stays_text(example: dict[str, Any], tmp_path: Path) -> None:
    data = copy.deepcopy(example)
    text_leaves = [leaf for leaf in m.leaves() if leaf.kind in (m.TEXT, m.NAME)]
    for i, leaf in enumerate(text_leaves):
        set_path(data, leaf.path, FORMULA_TEXTS[i % len(FORMULA_TEXTS)])
    path = tmp_path / "eq.xlsx"
    save_workbook(t.build_template(data=data), path)
    sheets = _sheet_xml(path)
    cells = t.layout().cells
    for i, leaf in enumerate(text_leaves):
        sheet, coord = cells[leaf.dotted]
        (c,) = sheets[sheet].xpath(f"//s:c[@r='{coord}']", namespaces=NS)
        assert c.get("t") == "inlineStr", leaf.dotted
        assert c.find("s:f", NS) is None, leaf.dotted
        assert "".join(c.itertext()) == FORMULA_TEXTS[i % len(FORMULA_TEXTS)]
    # and the totals really are formulas in the XML
    sheet, coord = cells["requests.new.total"]
    (c,) = sheets[sheet].xpath(f"//s:c[@r='{coord}']", namespaces=NS)
    assert c.find("s:f", NS).text == "SUM(D5:I5)"


# -- the command ------------------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_fill(example_path: Path, tmp_path: Path) -> None:
    before = example_path.read_bytes()
    out = tmp_path / "年报.xlsx"
    out.write_bytes(b"old content")  # replaced whole
    result = _run("fill", str(example_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    wb = openpyxl.load_workbook(out)
    assert _cell(wb, "agency.name").value == json.loads(before)["agency"]["name"]
    assert example_path.read_bytes() == before  # the input is never touched
    assert [p.name for p in tmp_path.iterdir()] == ["年报.xlsx"]  # no temp file left


def test_cli_fill_unreadable_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"year": 2024,', encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = _run("fill", str(bad), "-o", str(out))
    assert result.exit_code == 3
    assert "bad.json" in result.stderr and "JSON" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_fill_missing_file(tmp_path: Path) -> None:
    result = _run("fill", str(tmp_path / "nope.json"), "-o", str(tmp_path / "o.xlsx"))
    assert result.exit_code == 3 and not (tmp_path / "o.xlsx").exists()


def test_cli_fill_not_a_report(tmp_path: Path) -> None:
    src = tmp_path / "list.json"
    src.write_text("[1, 2]", encoding="utf-8")
    result = _run("fill", str(src), "-o", str(tmp_path / "o.xlsx"))
    assert result.exit_code == 1 and not (tmp_path / "o.xlsx").exists()


def test_cli_fill_data_with_errors_is_filled_anyway(
    example: dict[str, Any], tmp_path: Path
) -> None:
    example["requests"]["new"]["natural_person"] = -1
    src = tmp_path / "neg.json"
    src.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "neg.xlsx"
    result = _run("fill", str(src), "-o", str(out))
    assert result.exit_code == 1
    assert "VALUE_NEGATIVE" in result.stderr and result.stdout == ""
    assert _cell(openpyxl.load_workbook(out), "requests.new.natural_person").value == -1


def test_cli_fill_refuses_to_write_over_its_input(example_path: Path, tmp_path: Path) -> None:
    src = tmp_path / "same.xlsx"
    src.write_bytes(example_path.read_bytes())
    result = _run("fill", str(src), "-o", str(src))
    assert result.exit_code == 2
    assert src.read_bytes() == example_path.read_bytes()


# -- LibreOffice recalculates the formulas --------------------------------------------------


def _random_report(seed: int, balanced: bool) -> dict[str, Any]:
    """Random inputs (seeded); with `balanced`, 一 is derived so that the balance holds. The
    totals are the oracle's plain sums (tests/oracle.py)."""
    from .conftest import load_example

    rnd = random.Random(seed)
    data = load_example()
    for leaf in INPUT_LEAVES:
        value = round(rnd.uniform(0, 9999), 2) if leaf.kind == m.AMOUNT else rnd.randint(0, 60)
        set_path(data, leaf.path, value)
    data = o.with_official_totals(data)
    if balanced:
        req = data["requests"]
        for col in m.APPLICANT_PARTS:
            outcome = req["results"]["total"][col.id] + req["carried_forward"][col.id]
            carried = min(req["carried_over"][col.id], outcome)
            req["carried_over"][col.id] = carried
            req["new"][col.id] = outcome - carried
        data = o.with_official_totals(data)
    return data


CASES: dict[str, Any] = {
    **{f"balanced-{s}": (s, True) for s in range(3)},
    **{f"unbalanced-{s}": (s, False) for s in range(2)},
}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every workbook of this module converted by ONE LibreOffice run; name → (data, in, out)."""
    need_tool("LibreOffice", soffice(), "apt-get install libreoffice-calc-nogui")
    base = tmp_path_factory.mktemp("lo")
    indir, outdir = base / "in", base / "out"
    indir.mkdir()
    items: dict[str, tuple[dict[str, Any] | None, Path]] = {}
    for name, (seed, balanced) in CASES.items():
        data = _random_report(seed, balanced)
        if name == "balanced-0":
            data["overview"]["summary"] = FORMULA_TEXTS[0]
        path = indir / f"{name}.xlsx"
        save_workbook(t.build_template(data=data), path)
        items[name] = (data, path)
    items["template"] = (None, indir / "template.xlsx")
    items["template"][1].write_bytes(TEMPLATE_FILE.read_bytes())
    items["example"] = (example_data(), indir / "example.xlsx")
    items["example"][1].write_bytes(EXAMPLE_XLSX.read_bytes())
    items["postcodes"] = (None, indir / "postcodes.xlsx")
    _postcode_probe().save(items["postcodes"][1])
    proc = libreoffice_convert([p for _, p in items.values()], outdir)
    return {
        "proc": proc,
        "items": {k: (d, p, outdir / p.name) for k, (d, p) in items.items()},
    }


POSTCODES = {
    "834600": True,
    "010000": True,
    "83460": False,
    "8346000": False,
    "83 460": False,
    "83460.": False,
    "1e+005": False,
    "-83460": False,
    "8346OO": False,
    "": False,
}


def _postcode_probe() -> openpyxl.Workbook:
    """The postcode validation formula in cells, so that LibreOffice evaluates it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, text in enumerate(POSTCODES, start=1):
        ws.cell(r, 1).value = text
        ws.cell(r, 1).data_type = "s"
        ws.cell(r, 2).value = "=" + postcode_formula(f"A{r}")
    return wb


def test_postcode_rule_accepts_six_digits_only(recalculated: dict[str, Any]) -> None:
    _, _, out = recalculated["items"]["postcodes"]
    ws = openpyxl.load_workbook(out, data_only=True).active
    got = {text: ws.cell(r, 2).value for r, text in enumerate(POSTCODES, start=1)}
    assert got == POSTCODES


def test_libreoffice_opens_every_workbook(recalculated: dict[str, Any]) -> None:
    proc = recalculated["proc"]
    assert proc.returncode == 0, proc.stderr
    for name, (_, _, out) in recalculated["items"].items():
        assert out.exists(), (name, proc.stdout, proc.stderr)
        if name == "postcodes":
            continue
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == list(SHEETS), name


def test_openpyxl_wrote_no_cached_values(recalculated: dict[str, Any]) -> None:
    # so every number read back below was computed by LibreOffice
    _, src, _ = recalculated["items"]["balanced-1"]
    wb = openpyxl.load_workbook(src, data_only=True)
    assert all(_cell(wb, d).value is None for d in TOTALS)


@pytest.mark.parametrize("name", [*CASES, "example"])
def test_every_total_recalculates_to_the_official_sum(
    recalculated: dict[str, Any], name: str
) -> None:
    """LibreOffice's values of the template's formulas are the plain sums of the official
    rules over the input numbers (tests/oracle.py), not what xxgk computes."""
    data, _, out = recalculated["items"][name]
    wb = openpyxl.load_workbook(out, data_only=True)
    cells = t.layout().cells
    expected = o.official_totals(data)  # summed by the test's own oracle, not by xxgk
    assert len(expected) == len(TOTALS) == 34
    for path, want in expected.items():
        sheet, coord = cells[".".join(path)]
        assert wb[sheet][coord].value == want, (name, path)


@pytest.mark.parametrize("name", [*CASES, "example", "template"])
def test_balance_row_recalculates(recalculated: dict[str, Any], name: str) -> None:
    data, _, out = recalculated["items"][name]
    wb = openpyxl.load_workbook(out, data_only=True)
    lay = t.layout()
    unbalanced = 0
    for col in m.APPLICANT_COLUMNS:
        # 一 + 二 − （七）总计 − 四 from the input numbers (tests/oracle.py); blank cells count as 0
        want = 0 if data is None else o.balance_gaps(data)[col.id]
        sheet, coord = lay.balance[col.id]
        assert wb[sheet][coord].value == want, (name, col.id)
        text = wb[sheet][lay.balance_text[col.id][1]].value
        assert text == ("平衡" if want == 0 else "不平衡"), (name, col.id)
        unbalanced += want != 0
    assert (unbalanced > 0) == name.startswith("unbalanced"), name


def test_formula_text_survives_libreoffice(recalculated: dict[str, Any]) -> None:
    _, _, out = recalculated["items"]["balanced-0"]
    wb = openpyxl.load_workbook(out)
    cell = _cell(wb, "overview.summary")
    assert cell.value == FORMULA_TEXTS[0] and cell.data_type == "s"


# -- read back through the workbook reader --------------------------------------------------


def _without_schema(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "$schema"}  # `$schema` has no cell


def _same_numbers(value: Any) -> Any:
    """A cell holds a double: 0.0 and 0 are the same amount."""
    if isinstance(value, dict):
        return {k: _same_numbers(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@pytest.mark.parametrize("seed", [0, 1])
def test_fill_then_read_gives_the_same_report(tmp_path: Path, seed: int) -> None:
    from xxgk.files.read import read_source
    from xxgk.format.jsonio import dump_report

    data = _random_report(seed, balanced=True)
    data["overview"]["proactive"] = FORMULA_TEXTS[1]
    path = tmp_path / "rt.xlsx"
    save_workbook(t.build_template(data=data), path)
    source = read_source(path)
    assert source.error is None and source.findings == []
    assert dump_report(source.data) == dump_report(_without_schema(data))


@pytest.mark.parametrize("name", ["balanced-0", "balanced-2", "example"])
def test_libreoffice_saved_workbook_reads_back(recalculated: dict[str, Any], name: str) -> None:
    from xxgk.files.read import read_source
    from xxgk.format.jsonio import dump_report

    data, _, out = recalculated["items"][name]
    source = read_source(out)
    assert source.error is None
    assert [f.code for f in source.findings] == []  # cached totals agree with the inputs
    assert dump_report(source.data) == dump_report(_without_schema(data))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_any_consistent_report_round_trips(data: dict[str, Any]) -> None:
    import tempfile

    from xxgk.files.read import read_source
    from xxgk.format.jsonio import dump_report

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.xlsx"
        save_workbook(t.build_template(data=data), path)
        source = read_source(path)
    assert source.error is None and source.findings == []
    assert dump_report(source.data) == dump_report(_same_numbers(_without_schema(data)))


def test_long_narrative_rows_grow_to_show_the_text(example: dict[str, Any]) -> None:
    example["overview"]["management"] = "很长的段落。" * 150
    example["problems"] = "短。"
    wb = t.build_template(data=example)
    blank = t.build_template()
    for dotted, grows in (("overview.management", True), ("problems", False)):
        sheet, coord = t.layout().cells[dotted]
        row = wb[sheet][coord].row
        height, before = (
            wb[sheet].row_dimensions[row].height,
            blank[sheet].row_dimensions[row].height,
        )
        assert (height > before) == grows and height <= 409, dotted


def test_cli_fill_refuses_a_workbook_as_data(tmp_path: Path) -> None:
    src = tmp_path / "年报.xlsx"
    save_workbook(t.build_template(), src)
    result = _run("fill", str(src), "-o", str(tmp_path / "o.xlsx"))
    assert result.exit_code == 2 and not (tmp_path / "o.xlsx").exists()
