"""Saving a workbook made here: deterministic bytes, written atomically."""

from __future__ import annotations

from pathlib import Path

from openpyxl.workbook import Workbook

from xxgk.files.atomic import write_atomic
from xxgk.workbook.template import workbook_bytes


def save_workbook(wb: Workbook, path: Path) -> None:
    write_atomic(path, workbook_bytes(wb))
