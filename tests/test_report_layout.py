"""The fast paths of the renderers say exactly what the plain ones say, and what they say is
the data.

Tables are filled into a layout built once per process, and DOCX/HTML write them from
fragments rendered once from that layout: each is checked against the plain path (every cell
walked) on varied, hostile and broken data. `xxgk convert` builds the report model once and
shares it between the formats: those outputs are read back (python-docx, lxml, the Markdown
pipe tables) and compared with the data itself under the official labels (tests/oracle.py).
"""

from __future__ import annotations

import copy
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from lxml import html as lxml_html

from xxgk.cli.main import main
from xxgk.format import model as m
from xxgk.report import content as rc
from xxgk.report import document as rm
from xxgk.report import docx as render_docx
from xxgk.report import html as render_html
from xxgk.report.registry import RENDERERS

from .oracle import expected_grids, expected_markdown_tables, markdown_tables
from .report_support import distinct_report, docx_grids, hostile_report, html_grids
from .reports import consistent_reports, set_path

FORMATS = ("docx", "html", "md")


def _broken(example: dict[str, Any]) -> dict[str, Any]:
    """What `convert --force` may pass on: text, markup, floats, a bool and a gap in counts."""
    data = copy.deepcopy(example)
    table3 = data["requests"]
    table3["new"]["natural_person"] = "<b>十二</b> & 3"
    table3["results"]["granted"]["total"] = 2.5
    table3["results"]["denied"]["state_secret"]["other"] = True
    table3["carried_forward"]["total"] = 1e21
    del table3["results"]["unable"]["not_held"]["natural_person"]
    data["review_litigation"]["review"]["upheld"] = "\x0b<script>x</script>"
    return data


def _plain_tables(doc: rc.Document) -> list[rc.Table]:
    """The document's tables without their layout: renderers walk every cell."""
    return [
        rc.Table(t.id, t.caption, t.widths, t.head, t.bodies, t.flat, t.wide)
        for t in doc.blocks
        if isinstance(t, rc.Table)
    ]


def _check_fast_equals_plain(data: dict[str, Any]) -> None:
    doc = rm.build(data)
    tables = [b for b in doc.blocks if isinstance(b, rc.Table)]
    assert [t.id for t in tables] == ["table2", "table3", "table4"]
    for fast, plain in zip(tables, _plain_tables(doc), strict=True):
        assert fast.layout is not None and plain.layout is None
        assert render_docx._table_bytes(fast) == render_docx._table(plain).encode("utf-8")
        assert str(render_html.table_parts(fast)) == str(render_html.table_parts(plain))


def test_layout_numbers_in_their_cells() -> None:
    data = distinct_report()
    doc = rm.build(data)
    table3 = next(b for b in doc.blocks if isinstance(b, rc.Table) and b.id == "table3")
    cells = [c.text for body in table3.bodies for row in body for c in row if not c.header]
    assert cells == list(table3.numbers)
    first = m.TABLE3_ROWS[0]
    node = data
    for key in (*m.TABLE3_ROOT, *first.path):
        node = node[key]
    assert cells[: len(m.APPLICANT_COLUMNS)] == [str(node[c.id]) for c in m.APPLICANT_COLUMNS]


def test_changed_copy_of_a_table_is_drawn_from_its_cells() -> None:
    doc = rm.build(distinct_report())
    table4 = next(b for b in doc.blocks if isinstance(b, rc.Table) and b.id == "table4")
    body = tuple(
        tuple(dataclasses.replace(c, text="九九九") for c in row) for row in table4.bodies[0]
    )
    changed = dataclasses.replace(table4, bodies=(body,))
    assert changed.layout is None and changed.numbers == ()
    assert render_docx._table_bytes(changed).count("九九九".encode()) == len(body[0])
    assert str(render_html.table_parts(changed)).count("九九九") == len(body[0])


@pytest.mark.parametrize("make", [distinct_report, hostile_report])
def test_fast_tables_equal_plain(make) -> None:
    _check_fast_equals_plain(make())


def test_fast_tables_equal_plain_on_broken_data(example: dict) -> None:
    data = _broken(example)
    _check_fast_equals_plain(data)
    doc = rm.build(data)
    html = render_html.render_document(doc)
    assert b"<script>" not in html
    assert "&lt;b&gt;十二&lt;/b&gt; &amp; 3".encode() in html
    assert b"&lt;b&gt;" in render_docx.document_bytes(doc)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_fast_tables_equal_plain_on_any_report(data: dict) -> None:
    _check_fast_equals_plain(data)


def _read_back(name: str, raw: bytes) -> tuple[str, Any]:
    """(title, tables) of an output as a reader gets them: python-docx for DOCX, lxml for HTML,
    the pipe tables for Markdown."""
    if name == "docx":
        return docx.Document(io.BytesIO(raw)).paragraphs[0].text, docx_grids(raw)
    if name == "html":
        return lxml_html.fromstring(raw).find(".//h1").text_content(), html_grids(raw)
    text = raw.decode("utf-8")
    return text.splitlines()[0].removeprefix("# "), markdown_tables(text)


def _expected(name: str, data: dict[str, Any]) -> Any:
    return expected_markdown_tables(data) if name == "md" else expected_grids(data)


def _shown_broken(example: dict[str, Any]) -> dict[str, Any]:
    """`_broken` as a reader sees it, written out by hand: the vertical tab Word puts in a
    cell is gone, everything else shows literally (True as 1, a gap empty); 1e21, beyond the
    15 digits a report can hold (format/clean.py), as 1E+21."""
    data = _broken(example)
    data["review_litigation"]["review"]["upheld"] = "<script>x</script>"
    data["requests"]["carried_forward"]["total"] = "1E+21"
    return data


@pytest.mark.parametrize("name", FORMATS)
def test_a_shared_model_renders_the_data_it_was_built_from(example: dict, name: str) -> None:
    """`convert` builds the report model once and gives it to each format's `render_doc`: read
    back, every table cell holds the data's own number (or text) under the official labels
    (tests/oracle.py), and the title names the data's agency and year."""
    render_doc = RENDERERS[name].render_doc
    assert render_doc is not None
    data = distinct_report()
    data["agency"]["name"] = "某县测试局"
    title, tables = _read_back(name, render_doc(rm.build(data)))
    assert title == "某县测试局2024年政府信息公开工作年度报告"
    assert tables == _expected(name, data)
    hostile = hostile_report()  # hostile text; the tables are the example's
    assert _read_back(name, render_doc(rm.build(hostile)))[1] == _expected(name, hostile)
    _, tables = _read_back(name, render_doc(rm.build(_broken(example))))
    assert tables == _expected(name, _shown_broken(example))


def test_convert_writes_what_each_renderer_makes(example: dict, tmp_path: Path) -> None:
    """One model shared by the three formats: each file, read back, shows the input's numbers
    under the official labels (tests/oracle.py) and its agency in the title."""
    data = distinct_report()
    set_path(data, ("agency", "name"), "某县测试局")
    src = tmp_path / "in" / "report.json"
    src.parent.mkdir()
    src.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(src), "-o", str(out), "--to", ",".join(FORMATS), "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    written = {p.suffix[1:]: p.read_bytes() for p in out.iterdir() if p.suffix[1:] in FORMATS}
    assert set(written) == set(FORMATS)
    for name, raw in written.items():
        title, tables = _read_back(name, raw)
        assert title == "某县测试局2024年政府信息公开工作年度报告", name
        assert tables == _expected(name, data), name
