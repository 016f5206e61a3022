"""Filled workbooks for reader/annotate tests: the real template, edited through its names."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from openpyxl.workbook import Workbook

from xxgk.workbook.template import build_template

from .conftest import load_example

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_FILE = ROOT / "templates" / "xxgk-年报模板-2021.xlsx"
EXAMPLE_XLSX = ROOT / "src" / "xxgk" / "examples" / "seed-2024.xlsx"


def example_data() -> dict[str, Any]:
    data = copy.deepcopy(load_example())
    data.pop("$schema", None)
    return data


def cell_of(wb: Workbook, dotted: str) -> tuple[str, str]:
    """The (sheet, A1) a defined name points at, read from the workbook itself."""
    sheet, ref = next(iter(wb.defined_names[dotted].destinations))
    return sheet, ref.replace("$", "")


def write_workbook(
    path: Path,
    data: dict[str, Any] | None = None,
    cells: Mapping[str, Any] | None = None,
    edit: Callable[[Workbook], None] | None = None,
) -> Path:
    """The template filled with `data` (default: the example), then `cells` typed over by name."""
    wb = build_template(data=example_data() if data is None else data)
    for dotted, value in (cells or {}).items():
        sheet, ref = cell_of(wb, dotted)
        wb[sheet][ref].value = value
    if edit:
        edit(wb)
    wb.save(path)
    return path


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one zip member in place (e.g. to give a total formula a cached value)."""
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, payload in items:
            zout.writestr(info, change(payload) if info.filename == member else payload)
    return path


def sheet_member(path: Path, sheet: str) -> str:
    """The zip member holding a sheet's XML, found through workbook.xml and its rels."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(rId\d+)"', book)
    assert rid, sheet
    target = re.search(rf'Target="([^"]+)" Id="{rid.group(1)}"', rels) or re.search(
        rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels
    )
    assert target
    return target.group(1).lstrip("/")


def set_cached(path: Path, sheet: str, cell: str, value: str) -> Path:
    """Give a formula cell a cached value, as Excel would have saved it."""
    member = sheet_member(path, sheet)

    def change(xml: bytes) -> bytes:
        text = xml.decode()
        pattern = rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?'
        new, n = re.subn(pattern, rf"\1\2<v>{value}</v>", text)
        assert n == 1, (cell, text[:200])
        return new.encode()

    return rewrite_member(path, member, change)


def zip_of(members: Mapping[str, bytes]) -> bytes:
    """A deflated zip of `members` (name → bytes), in their order: a package taken apart and put
    back with a part changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()
