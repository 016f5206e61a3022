"""The full report made from what was read, and the safety net against a silent 0."""

from __future__ import annotations

from xxgk.check import findings as fc
from xxgk.check.validate import validate
from xxgk.published.assemble import assemble, unaccounted


def test_nothing_read_gives_a_full_report_and_one_finding_per_table() -> None:
    data = assemble({})
    assert data["requests"]["results"]["denied"]["state_secret"]["natural_person"] == 0
    assert "preamble" not in data and "headings" not in data  # optional keys only when read
    # a full shape: only value findings (empty name, date…), no missing or unknown key
    assert not [f for f in validate(data) if f.code in (fc.JSON_REQUIRED, fc.JSON_EXTRA)]
    found = unaccounted({}, [])
    assert [f.code for f in found] == [fc.IMPORT_CELLS_UNREAD] * 3
    # 表二 10 cells (3 + 3 + 1 + 1 + 1 + 1), 表三 25 rows × 7 columns, 表四 3 groups × 5
    assert [f.args["n"] for f in found] == [10, 175, 15]
    assert [len(f.paths) for f in found] == [10, 175, 15]


def test_a_cell_named_by_a_finding_or_read_is_not_reported_again() -> None:
    pointer = "/proactive/fees/amount"
    values = {"/proactive/licensing/decisions": 3}
    named = fc.make(fc.IMPORT_CELLS_UNREAD, pointer, [pointer], table="表二", n=1)
    (t2, *_rest) = unaccounted(values, [named])
    assert t2.args["n"] == 8
    assert pointer not in t2.paths and "/proactive/licensing/decisions" not in t2.paths
    assert assemble(values)["proactive"]["licensing"]["decisions"] == 3
