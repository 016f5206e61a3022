"""Helpers for tests on generated workbooks: normalised content, names → cells, LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook import Workbook

from xxgk.files.save import save_workbook

# LibreOffice recalculates every formula on load with this profile setting, not only those
# without a cached value, so a stale cached value can never pass a test.
_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_convert(files: list[Path], outdir: Path) -> subprocess.CompletedProcess[str]:
    """Open and re-save every file as xlsx with LibreOffice headless, in ONE soffice call."""
    exe = soffice()
    assert exe, "LibreOffice (soffice) is needed; .ci/run installs it"
    profile = Path("/tmp") / f"lo-a1-{uuid.uuid4().hex}"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        return subprocess.run(
            [
                exe,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def name_cells(wb: Workbook) -> dict[str, tuple[str, str]]:
    """Defined name → (sheet, A1 cell), for names that point at one cell."""
    out: dict[str, tuple[str, str]] = {}
    for name, dn in wb.defined_names.items():
        dests = list(dn.destinations)
        if len(dests) == 1:
            sheet, ref = dests[0]
            if ":" not in ref:
                out[name] = (sheet, ref.replace("$", ""))
    return out


def normalise(wb: Workbook) -> dict[str, Any]:
    """Everything about a workbook that staff or readers depend on, as plain data."""
    sheets: dict[str, Any] = {}
    for ws in wb.worksheets:
        cells = {}
        for _, c in sorted(ws._cells.items()):
            cells[c.coordinate] = (
                c.value if not hasattr(c.value, "isoformat") else c.value.isoformat(),
                c.data_type,
                c.number_format,
                c.protection.locked,
                c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None,
                c.font.name,
                bool(c.font.b),
                c.border.left.style,
                bool(c.alignment.wrap_text),
            )
        sheets[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted(
                (
                    str(dv.sqref),
                    dv.type,
                    dv.operator,
                    dv.formula1,
                    dv.formula2,
                    dv.promptTitle,
                    dv.prompt,
                    dv.errorTitle,
                    dv.error,
                )
                for dv in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(cf.sqref), tuple(tuple(r.formula) for r in cf.rules))
                for cf in ws.conditional_formatting
            ),
            "protection": (ws.protection.sheet, ws.protection.password),
            "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items())},
            "heights": {k: d.height for k, d in sorted(ws.row_dimensions.items())},
            "page": (
                ws.page_setup.orientation,
                ws.page_setup.paperSize,
                ws.page_setup.fitToWidth,
                ws.page_setup.fitToHeight,
                ws.print_title_rows,
            ),
        }
    return {
        "sheets": list(wb.sheetnames),
        "names": {k: v.attr_text for k, v in sorted(wb.defined_names.items())},
        "content": sheets,
    }


def reload(wb: Workbook, tmp: Path, name: str = "wb.xlsx", **kw: Any) -> Workbook:
    """Save through the real writer and load again, as a reader would see it."""
    path = tmp / name
    save_workbook(wb, path)
    return openpyxl.load_workbook(path, **kw)
