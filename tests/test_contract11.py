"""Contract 1.1: the optional e-mail, website, preamble, report address and sub-headings —
accepted from JSON, kept by the template (a cell each) and the reader, used by the renderers;
every 1.0 report and every workbook of the first template version still reads as before."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from docx import Document as DocxDocument

from xxgk.check import findings as fc
from xxgk.check.validate import validate
from xxgk.cli.main import main
from xxgk.files.read import read_source
from xxgk.files.save import save_workbook
from xxgk.report import content as rc
from xxgk.report import document as rm
from xxgk.report.docx import render as render_docx
from xxgk.workbook.template import build_template

from .test_workbook_reader import on_time

OWN_HEADING = "完善公开制度规范，加强政府信息管理"
OWN_PREAMBLE = "本报告依据《中华人民共和国政府信息公开条例》编制，全文共六个部分。"


def with_11(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["agency"]["email"] = "xxgk@emin.gov.cn"
    data["agency"]["website"] = "http://www.emin.gov.cn"
    data["report_url"] = "http://www.emin.gov.cn/xxgk/nb2024.html"
    data["headings"] = {"overview.management": OWN_HEADING, "improvements": "（二）整改落实情况"}
    return data


def test_a_10_report_is_valid_and_a_11_report_too(example: dict[str, Any]) -> None:
    assert [f for f in validate(example) if f.is_error] == []
    assert [f for f in validate(with_11(example)) if f.is_error] == []
    odd = with_11(example)
    odd["agency"]["fax"] = "0901-1"  # still no other key
    odd["headings"]["overview.summary"] = "概述"  # the summary has no sub-heading
    codes = {(f.code, f.path) for f in validate(odd)}
    assert (fc.JSON_EXTRA, "/agency/fax") in codes
    assert (fc.JSON_EXTRA, "/headings/overview.summary") in codes


def test_the_renderers_use_them(example: dict[str, Any]) -> None:
    data = with_11(example)
    data["overview"]["management"] = "一是建立制度。"
    doc = rm.build(data)
    assert "电子邮箱：xxgk@emin.gov.cn" in doc.preamble
    assert "网址：http://www.emin.gov.cn" in doc.preamble
    assert "本报告电子版可在http://www.emin.gov.cn/xxgk/nb2024.html查阅" in doc.preamble
    one = next(s for s in doc.sections if s.number == "一")
    heads = [b.text for b in one.blocks if isinstance(b, rc.Para) and b.kind == rc.H2]
    assert f"（三）{OWN_HEADING}" in heads and "（三）政府信息管理" not in heads
    five = next(s for s in doc.sections if s.number == "五")
    texts = [b.text for b in five.blocks if isinstance(b, rc.Para)]
    assert "（二）整改落实情况" in texts  # the staff's run-in lead 「（二）改进情况。」 gives way
    assert not any(x.startswith("（二）改进情况") for x in texts)
    data["preamble"] = OWN_PREAMBLE
    texts = [p.text for p in DocxDocument(io.BytesIO(render_docx(data))).paragraphs]
    assert OWN_PREAMBLE in texts  # printed instead of the generated one
    assert not any("本报告电子版可在" in x for x in texts)


def test_template_cells_round_trip_and_convert(tmp_path: Path, example: dict[str, Any]) -> None:
    data = on_time(with_11(example))
    data["preamble"] = OWN_PREAMBLE
    path = tmp_path / "年报.xlsx"
    save_workbook(build_template(data=data), path)
    source = read_source(path)
    assert source.readable, source.error
    got = source.data
    assert got["agency"]["email"] == "xxgk@emin.gov.cn"
    assert got["report_url"] == data["report_url"] and got["preamble"] == OWN_PREAMBLE
    assert got["headings"] == data["headings"]  # the blank ones are absent, not ""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(path), "-o", str(out), "--to", "json"])
    assert result.exit_code == 0, result.output
    [written] = out.glob("*-2024.json")
    assert json.loads(written.read_text(encoding="utf-8"))["headings"] == data["headings"]


def test_a_workbook_of_the_first_template_version_still_reads(
    tmp_path: Path, example: dict[str, Any]
) -> None:
    """A v1 workbook (no 1.1 cells, version xxgk-2021-v1) reads as a 1.0 report."""
    wb = build_template(data=on_time(example))
    for name in list(wb.defined_names):
        if name.split(".")[0] in ("headings", "preamble", "report_url") or name in (
            "agency.email",
            "agency.website",
        ):
            del wb.defined_names[name]
    wb.defined_names["xxgk.template"].attr_text = '"xxgk-2021-v1"'
    path = tmp_path / "旧模板.xlsx"
    save_workbook(wb, path)
    source = read_source(path)
    assert source.readable, source.error
    assert "headings" not in source.data and "preamble" not in source.data
    assert "email" not in source.data["agency"]
    assert [f for f in validate(source.data) if f.is_error] == []
