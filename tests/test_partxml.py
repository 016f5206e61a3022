"""workbook.xml and the relationships parts are read by expat (workbook/partxml.py) as lxml read
them before: the same elements, attributes and text; the same parts refused. lxml, parsing
with the reader's old settings, is the oracle."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from xxgk.workbook.errors import WorkbookUnreadable
from xxgk.workbook.partxml import elements
from xxgk.workbook.reader import NS_MAIN, NS_PKG_REL

from .conftest import need_tool
from .wb_helpers import write_workbook
from .workbooks import libreoffice_convert, soffice

ROOT = Path(__file__).resolve().parents[1]
WANTED = (f"{NS_MAIN} sheet", f"{NS_MAIN} definedName", f"{NS_PKG_REL} Relationship")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _by_lxml(data: bytes) -> list[tuple[str, dict[str, str], str]]:
    """What the reader took from lxml: each wanted element, its attributes by expanded name,
    its `.text or ""`."""
    out = []
    for element in etree.fromstring(data, PARSER).iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        name = element.tag.replace("{", "").replace("}", " ", 1)
        if name in WANTED:
            attrs = {key.replace("{", "").replace("}", " ", 1): v for key, v in element.items()}
            out.append((name, attrs, element.text or ""))
    return out


def _parts(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".rels", "workbook.xml"))}


def _same(data: bytes) -> None:
    assert elements(data, "xl/workbook.xml", WANTED) == _by_lxml(data)


def test_our_templates_parts_read_as_by_lxml(tmp_path: Path) -> None:
    parts = _parts(write_workbook(tmp_path / "t.xlsx").read_bytes())
    assert {"xl/workbook.xml", "_rels/.rels", "xl/_rels/workbook.xml.rels"} <= set(parts)
    for data in parts.values():
        _same(data)
    names = elements(parts["xl/workbook.xml"], "p", WANTED)
    assert sum(name.endswith("definedName") for name, _, _ in names) > 100


def test_libreoffice_saved_parts_read_as_by_lxml(tmp_path: Path) -> None:
    need_tool("LibreOffice", soffice(), "apt-get install libreoffice-calc-nogui")
    source = write_workbook(tmp_path / "t.xlsx")
    libreoffice_convert([source], tmp_path / "saved")
    parts = _parts((tmp_path / "saved" / "t.xlsx").read_bytes())
    assert "xl/workbook.xml" in parts
    for data in parts.values():
        _same(data)


MAIN = f'xmlns="{NS_MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


@pytest.mark.parametrize(
    "body",
    [
        '<sheets><sheet name="A&amp;B" sheetId="1" r:id="rId1"/></sheets>',
        '<sheets><sheet name="a\tb\nc" sheetId="1" r:id="rId1"/></sheets>',  # white space
        "<definedNames><definedName name=\"x\">表一!$C$5\r\n&#20013;&lt;</definedName>"
        "</definedNames>",
        '<definedNames><definedName name="x">a<!-- c -->b</definedName></definedNames>',
        '<definedNames><definedName name="x">a<b:c xmlns:b="urn:b"/>tail</definedName>'
        "</definedNames>",
        '<definedNames><definedName name="x"/><definedName name="y"></definedName>'
        '<definedName name="z" localSheetId="0">p</definedName></definedNames>',
        '<x:sheets xmlns:x="urn:other"><x:sheet name="elsewhere"/></x:sheets>',
        '<sheets xmlns="urn:other"><sheet name="rebound"/></sheets>',
        '<sheets><sheet name="t" r:id="rId1"/><?pi here?><![CDATA[<sheet name="no"/>]]></sheets>',
    ],
)
def test_what_a_workbook_xml_may_hold_reads_as_by_lxml(body: str) -> None:
    _same(f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook {MAIN}>{body}</workbook>'.encode())


@pytest.mark.parametrize(
    "data",
    [
        b"<workbook><sheet name='&undefined;'/></workbook>",
        b"<workbook><x:sheet/></workbook>",  # an unbound prefix
        b'<workbook><sheet name="a" name="b"/></workbook>',
        b"<workbook><sheets></workbook>",
        b"not xml at all",
        b"",
    ],
)
def test_what_lxml_refused_is_refused(data: bytes) -> None:
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(data, PARSER)
    with pytest.raises(WorkbookUnreadable, match="xl/workbook.xml"):
        elements(data, "xl/workbook.xml", WANTED)


def test_a_dtd_is_refused() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e "x">]><workbook>&e;</workbook>'
    with pytest.raises(WorkbookUnreadable, match="DTD"):
        elements(data, "xl/workbook.xml", WANTED)


def test_validating_a_workbook_does_not_import_lxml(tmp_path: Path) -> None:
    """The point of reading these parts with expat: lxml's import (15 ms, `inspect` with it) is
    left out of `xxgk validate` of a workbook as Office or our template writes it."""
    path = write_workbook(tmp_path / "t.xlsx")
    code = (
        "import sys; from xxgk.cli.main import main\n"
        f"try: main(['validate', {str(path)!r}])\n"
        "except SystemExit: pass\n"
        "print('lxml' in sys.modules)"
    )
    env: dict[str, Any] = {"PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert proc.stdout.strip().splitlines()[-1] == "False", proc.stderr
