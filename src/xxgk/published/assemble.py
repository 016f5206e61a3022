"""A full contract report from what the recognisers read: every key present, in the model's
order, so that `xxgk validate` can run on it even when the published arithmetic is wrong."""

from __future__ import annotations

from typing import Any

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.format import model as m
from xxgk.format.paths import set_path
from xxgk.format.schema import SCHEMA_ID

TABLES = (m.TABLE2_NAME, m.TABLE3_NAME, m.TABLE4_NAME)


def assemble(values: dict[str, Any]) -> dict[str, Any]:
    """The report: each leaf as read, else 0 (numbers) or "" (text); an optional leaf only when
    read. A number that was not read stands as 0 only beside a finding (see `unaccounted`)."""
    out: dict[str, Any] = {"$schema": SCHEMA_ID}
    for leaf in m.leaves():
        if leaf.pointer in values:
            value = values[leaf.pointer]
        elif leaf.optional:
            continue
        elif leaf.kind == m.CONST:
            value = m.FORMAT_ID
        elif leaf.kind in m.NUMERIC_KINDS or leaf.kind == m.YEAR:
            value = 0
        else:
            value = ""
        set_path(out, leaf.path, value)
    return out


def unaccounted(values: dict[str, Any], found: list[Finding]) -> list[Finding]:
    """A safety net for the worst defect an importer can have, a silent wrong number: every
    table cell that was neither read nor named by a finding gets one finding per table."""
    named = {p for f in found for p in (f.path, *f.paths)}
    out = []
    for table in TABLES:
        missing = [
            leaf.pointer
            for leaf in m.leaves()
            if leaf.table == table and leaf.pointer not in values and leaf.pointer not in named
        ]
        if missing:
            out.append(
                fc.make(fc.IMPORT_CELLS_UNREAD, missing[0], missing, table=table, n=len(missing))
            )
    return out
