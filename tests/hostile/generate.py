"""A generated corpus of hostile inputs: one class per way a report can be bad, made from the
bundled example (JSON) and the real template filled with it (workbook). Kept as code, not as
binaries; `python -m tests.hostile.generate FOLDER` writes it for a look by hand.

Each class is a name and a function returning {file name (bytes: it may be no UTF-8): bytes}.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import os
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xxgk.workbook.template import build_template, workbook_bytes

from ..conftest import load_example

Files = dict[bytes, bytes]
CLASSES: dict[str, Callable[[], Files]] = {}


def hostile(name: str) -> Callable[[Callable[[], Files]], Callable[[], Files]]:
    def add(fn: Callable[[], Files]) -> Callable[[], Files]:
        assert name not in CLASSES, name
        CLASSES[name] = fn
        return fn

    return add


def _data() -> dict[str, Any]:
    return copy.deepcopy(load_example())


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=True, indent=1).encode("ascii")  # "\\ud800" escaped


def _set(data: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    *parents, last = pointer.split("/")[1:]
    node = data
    for key in parents:
        node = node[key]
    node[last] = value
    return data


def _json_class(name: str, pointer: str, value: Any) -> None:
    CLASSES[name] = lambda: {f"{name}.json".encode(): _json(_set(_data(), pointer, value))}


def _raw_json(name: str, payload: bytes, suffix: str = ".json") -> None:
    CLASSES[name] = lambda: {f"{name}{suffix}".encode(): payload}


# -- JSON: text that no file can hold as it is ----------------------------------------------
_TEXT_FIELDS = {
    "name": "/agency/name",
    "address": "/agency/address",
    "phone": "/agency/phone",
    "overview": "/overview/proactive",
    "summary": "/overview/summary",
    "problems": "/problems",
    "improvements": "/improvements",
}
for _label, _ptr in _TEXT_FIELDS.items():
    _json_class(f"json-surrogate-{_label}", _ptr, "某局\ud800信息")
    _json_class(f"json-control-chars-{_label}", _ptr, "某局\x00\x01\x0b\x1f\x7f信息")
_json_class("json-rlo-name", "/agency/name", "某局\u202excod.exe")
_json_class("json-zero-width-name", "/agency/name", "某\u200b局\ufeff")
_json_class("json-reserved-name", "/agency/name", "CON")
_json_class("json-path-name", "/agency/name", "../../etc/passwd")
_json_class("json-forbidden-chars-name", "/agency/name", 'a\\b/c:d*e?f"g<h>i|j')
_json_class("json-spaces-name", "/agency/name", " \u3000 ")
_json_class("json-newline-name", "/agency/name", "某局\n\r\t第二行")
_json_class("json-long-name", "/agency/name", "局" * 5000)
_json_class("json-formula-name", "/agency/name", '=HYPERLINK("http://x","点我")')
_json_class("json-html-narrative", "/overview/proactive", "<script>alert(1)</script>&amp;")
_json_class(
    "json-markdown-narrative", "/overview/proactive", "# 标题\n| a | b |\n[x](javascript:1)"
)
_json_class("json-huge-narrative", "/problems", "问题。" * 200_000)
_json_class("json-surrogate-date", "/published_on", "2025-01-\ud800")
_json_class("json-surrogate-postcode", "/agency/postcode", "83460\udcff")
# -- JSON: numbers ---------------------------------------------------------------------------
_FEE = "/proactive/fees/amount"
_COUNT = "/requests/new/natural_person"
_json_class("json-fee-10e400", _FEE, 10**400)
_json_class("json-fee-1e308", _FEE, 1e308)
_json_class("json-count-10e20", _COUNT, 10**20)
_json_class("json-count-negative", _COUNT, -1)
_json_class("json-count-fraction", _COUNT, 1.5)
_json_class("json-count-string", _COUNT, "12")
_json_class("json-count-bool", _COUNT, True)
_json_class("json-count-null", _COUNT, None)
_json_class("json-count-list", _COUNT, [1, 2])
_json_class("json-count-object", _COUNT, {"a": 1})
_json_class("json-fee-subnormal", _FEE, 5e-324)
_json_class("json-year-string", "/year", "2024年")
_json_class("json-year-2019", "/year", 2019)
_json_class("json-year-huge", "/year", 10**30)
_raw_json("json-nan", _json(_data()).replace(b'"year": 2024', b'"year": NaN'))
_raw_json("json-infinity", _json(_data()).replace(b'"year": 2024', b'"year": Infinity'))
_raw_json("json-1e999", _json(_data()).replace(b'"year": 2024', b'"year": 1e999'))
_raw_json("json-5000-digits", _json(_data()).replace(b'"year": 2024', b'"year": ' + b"9" * 5000))
# -- JSON: structure -------------------------------------------------------------------------
_raw_json(
    "json-dup-year",
    b'{"year": 2024, ' + _json(_data())[1:].replace(b'"year": 2024', b'"year": 2023'),
)
_raw_json(
    "json-dup-nested",
    _json(_data()).replace(b'"agency": {', b'"agency": {"name": "\xe7\x94\xb2", ', 1),
)
_raw_json("json-top-list", b"[1, 2, 3]")
_raw_json("json-top-string", b'"report"')
_raw_json("json-top-number", b"2024")
_raw_json("json-top-null", b"null")
_raw_json("json-empty-object", b"{}")
_raw_json("json-empty-file", b"")
_raw_json("json-whitespace", b" \n\t ")
_raw_json("json-truncated", _json(_data())[:300])
_raw_json("json-trailing-comma", _json(_data())[:-2] + b",}")
_raw_json("json-comment", b"// note\n" + _json(_data()))
_raw_json("json-single-quotes", b"{'year': 2024}")
_raw_json("json-deep-nesting", b"[" * 100_000 + b"]" * 100_000)
_raw_json("json-extra-key", _json(_set(_data(), "/hacker", "x")))
_raw_json("json-wrong-schema", _json(_set(_data(), "/$schema", "http://evil/")))
_raw_json("json-wrong-format", _json(_set(_data(), "/format", "2019")))
_raw_json("json-no-agency", _json({k: v for k, v in _data().items() if k != "agency"}))
# -- JSON: encodings -------------------------------------------------------------------------
_TEXT = json.dumps(_data(), ensure_ascii=False)
_raw_json("enc-utf16le-bom", b"\xff\xfe" + _TEXT.encode("utf-16-le"))
_raw_json("enc-utf16be-bom", b"\xfe\xff" + _TEXT.encode("utf-16-be"))
_raw_json("enc-utf16-no-bom", _TEXT.encode("utf-16-le"))
_raw_json("enc-utf32", _TEXT.encode("utf-32"))
_raw_json("enc-gb18030", _TEXT.encode("gb18030"))
_raw_json("enc-utf8-bom", b"\xef\xbb\xbf" + _TEXT.encode())
_raw_json("enc-invalid-utf8", _TEXT.encode().replace("局".encode(), b"\xff\xfe\xfd", 1))
_raw_json("enc-bom-then-garbage", b"\xef\xbb\xbf\x00\x01\x02")
_raw_json("enc-binary", bytes(range(256)) * 4)


# -- file names ------------------------------------------------------------------------------
@hostile("name-not-utf8")
def _name_not_utf8() -> Files:
    return {b"bad\xff\xfe.json": _json(_set(_data(), "/agency/name", "名称非UTF8局"))}


@hostile("name-rlo")
def _name_rlo() -> Files:
    return {"报告\u202exslx.json".encode(): _json(_set(_data(), "/agency/name", "RLO文件名局"))}


@hostile("name-leading-dash")
def _name_dash() -> Files:
    return {b"--force.json": _json(_set(_data(), "/agency/name", "横线局"))}


@hostile("name-long")
def _name_long() -> Files:
    return {("长" * 70 + ".json").encode(): _json(_set(_data(), "/agency/name", "长名局"))}


@hostile("name-newline")
def _name_newline() -> Files:
    return {b"two\nlines.json": _json(_set(_data(), "/agency/name", "换行局"))}


@hostile("name-wrong-suffix")
def _name_suffix() -> Files:
    return {b"report.JSON": _json(_set(_data(), "/agency/name", "大写后缀局"))}


# -- workbooks ---------------------------------------------------------------------------------
@functools.cache
def _workbook() -> bytes:
    data = _data()
    data.pop("$schema", None)
    return workbook_bytes(build_template(data=data))


def _members(raw: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def _rezip(items: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, payload in items:
            z.writestr(info, payload)
    return out.getvalue()


def _sheet_member(sheet: str) -> str:
    items = dict((i.filename, b) for i, b in _members(_workbook()))
    book = items["xl/workbook.xml"].decode()
    rels = items["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(rId\d+)"', book)
    assert rid
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*/>', rels)
    assert target
    found = re.search(r'Target="([^"]+)"', target.group(0))
    assert found
    name = found.group(1).lstrip("/")
    return name if name.startswith("xl/") else "xl/" + name


def _edit(member: str, change: Callable[[bytes], bytes]) -> bytes:
    items: list[tuple[zipfile.ZipInfo | str, bytes]] = []
    for info, payload in _members(_workbook()):
        items.append((info, change(payload) if info.filename == member else payload))
    return _rezip(items)


def _bad_crc(raw: bytes) -> bytes:
    """The first member's CRC changed in both its headers: the zip opens, the data does not fit."""
    out = bytearray(raw)
    local, central = out.index(b"PK\x03\x04"), out.index(b"PK\x01\x02")
    for at in (local + 14, central + 16):
        out[at] ^= 0xFF
    return bytes(out)


def _wb_class(name: str, make: Callable[[], bytes], suffix: str = ".xlsx") -> None:
    CLASSES[name] = lambda: {f"{name}{suffix}".encode(): make()}


@functools.cache
def _cell_of(dotted: str) -> tuple[str, str]:
    """The (sheet, A1) of a defined name in the template, as the template itself says."""
    data = _data()
    data.pop("$schema", None)
    wb = build_template(data=data)
    sheet, ref = next(iter(wb.defined_names[dotted].destinations))
    return sheet, ref.replace("$", "")


def _named_sub(dotted: str, replacement: str) -> Callable[[], bytes]:
    """Replace the cell of a defined name; `{r}` in `replacement` is its A1 address."""

    def make() -> bytes:
        sheet, cell = _cell_of(dotted)
        return _cell_sub(sheet, cell, replacement.replace("{r}", cell))()

    return make


def _cell_sub(sheet: str, cell: str, replacement: str) -> Callable[[], bytes]:
    """Replace one cell element of a sheet with `replacement` (its r= included)."""

    def make() -> bytes:
        def change(xml: bytes) -> bytes:
            text = xml.decode()
            pattern = rf'<c r="{cell}"(?:\s[^>]*)?(?:/>|>.*?</c>)'
            new, n = re.subn(pattern, replacement, text, count=1)
            if not n:  # the cell was never written: put it into its row
                row = re.sub(r"\D", "", cell)
                new, n = re.subn(rf'(<row r="{row}"[^>]*>)', r"\1" + replacement, text, count=1)
            assert n, (sheet, cell)
            return new.encode()

        return _edit(_sheet_member(sheet), change)

    return make


_BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def _with_dtd(xml: bytes, dtd: str = _BILLION_LAUGHS) -> bytes:
    text = xml.decode()
    end = text.index("?>") + 2 if text.startswith("<?xml") else 0
    return (text[:end] + dtd + text[end:]).encode()


def _utf16(xml: bytes, dtd: str = "") -> bytes:
    text = xml.decode()
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    return ('<?xml version="1.0" encoding="UTF-16"?>' + dtd + text).encode("utf-16")


_T3 = "表三"
_wb_class("wb-empty", lambda: b"")
_wb_class("wb-random-bytes", lambda: os.urandom(0) + bytes(range(256)) * 64)
_wb_class("wb-text-file", lambda: "这不是工作簿".encode())
_wb_class("wb-html", lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>")
_wb_class("wb-xml-spreadsheet", lambda: b'<?xml version="1.0"?><Workbook/>')
_wb_class(
    "wb-ole-xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") * 64
)
_wb_class(
    "wb-ole-encrypted",
    lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") * 64,
)
_wb_class("wb-truncated-zip", lambda: _workbook()[: len(_workbook()) // 2])
_wb_class("wb-zip-tail-cut", lambda: _workbook()[:-10])
_wb_class("wb-bad-crc", lambda: _bad_crc(_workbook()))
_wb_class("wb-empty-zip", lambda: _rezip([]))
_wb_class("wb-docx", lambda: _rezip([("word/document.xml", b"<w:document/>")]))
_wb_class(
    "wb-ods", lambda: _rezip([("mimetype", b"application/vnd.oasis"), ("content.xml", b"<x/>")])
)
_wb_class("wb-xlsb", lambda: _rezip([("xl/workbook.bin", b"\0" * 64)]))
_wb_class("wb-many-members", lambda: _rezip([(f"m{i}.txt", b"") for i in range(1500)]))
_wb_class("wb-zero-bomb", lambda: _rezip([("xl/worksheets/sheet1.xml", b"\0" * (40 << 20))]))
_wb_class("wb-dtd-sheet", lambda: _edit(_sheet_member(_T3), _with_dtd))
_wb_class(
    "wb-dtd-utf16-sheet", lambda: _edit(_sheet_member(_T3), lambda x: _utf16(x, _BILLION_LAUGHS))
)
_wb_class("wb-utf16-sheet", lambda: _edit(_sheet_member(_T3), _utf16))
_wb_class("wb-dtd-workbook", lambda: _edit("xl/workbook.xml", _with_dtd))
_wb_class("wb-dtd-rels", lambda: _edit("xl/_rels/workbook.xml.rels", _with_dtd))
_wb_class("wb-dtd-content-types", lambda: _edit("[Content_Types].xml", _with_dtd))
_wb_class(
    "wb-external-entity",
    lambda: _edit(
        _sheet_member(_T3), lambda x: _with_dtd(x, '<!DOCTYPE w SYSTEM "http://127.0.0.1:9/x">')
    ),
)
_wb_class(
    "wb-latin1-sheet",
    lambda: _edit(
        _sheet_member(_T3),
        lambda x: (
            x.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1)
            if b'encoding="UTF-8"' in x[:100]
            else b'<?xml version="1.0" encoding="ISO-8859-1"?>' + x
        ),
    ),
)
_wb_class("wb-malformed-sheet", lambda: _edit(_sheet_member(_T3), lambda x: x[: len(x) // 2]))
_wb_class("wb-malformed-workbook", lambda: _edit("xl/workbook.xml", lambda x: x[: len(x) // 2]))
_wb_class("wb-not-xml-sheet", lambda: _edit(_sheet_member(_T3), lambda x: b"\x00\x01garbage"))
_wb_class(
    "wb-missing-sheet-member",
    lambda: _rezip([(i, b) for i, b in _members(_workbook()) if i.filename != _sheet_member(_T3)]),
)
_wb_class(
    "wb-missing-workbook-xml",
    lambda: _rezip([(i, b) for i, b in _members(_workbook()) if i.filename != "xl/workbook.xml"]),
)
_wb_class(
    "wb-bad-char-ref", _cell_sub(_T3, "D5", '<c r="D5" t="inlineStr"><is><t>&#1;</t></is></c>')
)
_wb_class("wb-nan-date", _named_sub("published_on", '<c r="{r}" s="0"><v>NaN</v></c>'))
_wb_class("wb-na-count", _cell_sub(_T3, "D5", '<c r="D5" t="e"><v>#N/A</v></c>'))
_wb_class("wb-div0-count", _cell_sub(_T3, "E5", '<c r="E5" t="e"><v>#DIV/0!</v></c>'))
_wb_class("wb-uncached-formula", _cell_sub(_T3, "D5", '<c r="D5"><f>1+1</f></c>'))
_wb_class("wb-inf-count", _cell_sub(_T3, "D5", '<c r="D5"><v>INF</v></c>'))
_wb_class("wb-text-count", _cell_sub(_T3, "D5", '<c r="D5" t="inlineStr"><is><t>无</t></is></c>'))
_wb_class("wb-negative-count", _cell_sub(_T3, "D5", '<c r="D5"><v>-3</v></c>'))
_wb_class("wb-fraction-count", _cell_sub(_T3, "D5", '<c r="D5"><v>2.5</v></c>'))
_wb_class("wb-huge-count", _cell_sub(_T3, "D5", '<c r="D5"><v>1E+308</v></c>'))
_wb_class("wb-20-digit-count", _cell_sub(_T3, "D5", '<c r="D5"><v>100000000000000000000</v></c>'))
_wb_class(
    "wb-fullwidth-count", _cell_sub(_T3, "D5", '<c r="D5" t="inlineStr"><is><t>１２</t></is></c>')
)
_wb_class("wb-bool-count", _cell_sub(_T3, "D5", '<c r="D5" t="b"><v>1</v></c>'))
_wb_class("wb-blank-count", _cell_sub(_T3, "D5", '<c r="D5"/>'))
_wb_class(
    "wb-formula-text-name",
    _named_sub(
        "agency.name", '<c r="{r}" t="inlineStr"><is><t>=HYPERLINK("http://x")</t></is></c>'
    ),
)
_wb_class(
    "wb-rlo-name",
    _named_sub("agency.name", '<c r="{r}" t="inlineStr"><is><t>某局\u202excod.exe</t></is></c>'),
)
_wb_class("wb-huge-dimension", _cell_sub(_T3, "D5", '<c r="XFD1048576"><v>1</v></c>'))


def _names(change: Callable[[str], str]) -> Callable[[], bytes]:
    return lambda: _edit("xl/workbook.xml", lambda x: change(x.decode()).encode())


def _dup_name(text: str) -> str:
    found = re.search(r'<definedName name="year"[^>]*>[^<]*</definedName>', text)
    assert found
    return text.replace(found.group(0), found.group(0) + found.group(0).replace("$B$", "$C$"), 1)


def _dup_name_case(text: str) -> str:
    found = re.search(r'<definedName name="year"[^>]*>[^<]*</definedName>', text)
    assert found
    twin = found.group(0).replace('name="year"', 'name="YEAR"').replace("$B$", "$C$")
    return text.replace(found.group(0), found.group(0) + twin, 1)


_wb_class("wb-dup-name", _names(_dup_name))
_wb_class("wb-dup-name-case", _names(_dup_name_case))
_wb_class(
    "wb-no-marker",
    _names(lambda t: re.sub(r'<definedName name="xxgk\.template"[^>]*>[^<]*</definedName>', "", t)),
)
_wb_class("wb-old-marker", _names(lambda t: re.sub(r"xxgk-2021-v\d+", "xxgk-2019-v0", t)))
_wb_class(
    "wb-name-ref-error",
    _names(lambda t: re.sub(r'(<definedName name="year"[^>]*>)[^<]*', r"\1#REF!", t)),
)
_wb_class(
    "wb-name-missing",
    _names(
        lambda t: re.sub(
            r'<definedName name="requests\.new\.natural_person"[^>]*>[^<]*</definedName>', "", t
        )
    ),
)
_wb_class("wb-renamed-sheet", _names(lambda t: t.replace('name="表四"', 'name="表4"')))
_wb_class("wb-xlsm-suffix", _workbook, suffix=".xlsm")
_wb_class("wb-xls-suffix", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, suffix=".xls")
_wb_class("wb-ods-suffix", lambda: b"PK\x03\x04" + b"\0" * 100, suffix=".ods")


def write_corpus(folder: Path) -> dict[str, list[Path]]:
    """Every class's files under folder/<class>/; class → its paths."""
    out: dict[str, list[Path]] = {}
    base = os.fsencode(folder)
    for name, make in CLASSES.items():
        sub = os.path.join(base, name.encode())
        os.makedirs(sub, exist_ok=True)
        out[name] = []
        for filename, payload in make().items():
            target = os.path.join(sub, filename)
            with open(target, "wb") as fh:
                fh.write(payload)
            out[name].append(Path(os.fsdecode(target)))
    return out


if __name__ == "__main__":
    written = write_corpus(Path(sys.argv[1]))
    print(f"{len(written)} classes, {sum(map(len, written.values()))} files")
