"""A run's results kept on disk (batch/itemstore.py) read back as they were stored, count as
the summary counts them, and find the same duplicates as the list they replace."""

from __future__ import annotations

from xxgk.batch.itemstore import ItemStore
from xxgk.batch.runner import mark_duplicates
from xxgk.batch.summary import ItemResult, RunResult, summary_doc


def items() -> list[ItemResult]:
    return [
        ItemResult(
            0,
            "a.xlsx",
            "converted",
            warnings=2,
            agency="示例县 第1局",
            year=2024,
            warning_codes=["DATE_LATE"],
            problems=["DATE_LATE 基本信息!B11：……"],
            outputs=["a.json", "a.docx"],
        ),
        ItemResult(1, "b.xlsx", "invalid", errors=3, agency="示例县第2局", year=2024),
        ItemResult(2, "c.xlsx", "converted", agency="示例县第１局", year=2024, outputs=["c.json"]),
        ItemResult(3, "d.xlsx", "unreadable", errors=1, first_error="坏了"),
        ItemResult(4, "e.xlsx", "converted", agency="示例县第2局", year=2023),
        ItemResult(5, "f.xlsx", "converted", agency="示例县第2局", year=2024),
    ]


def test_items_read_back_as_stored() -> None:
    store = ItemStore()
    for item in items():
        store.append(item)
    assert len(store) == 6
    assert list(store) == items()
    assert store[3] == items()[3] and store[-1] == items()[5]
    assert store[1:3] == items()[1:3]


def test_totals_as_the_summary_counts_them() -> None:
    store = ItemStore()
    for item in items():
        store.append(item)
    expected = {
        "inputs": 6,
        "converted": 4,
        "converted_with_errors": 0,
        "invalid": 1,
        "unreadable": 1,
        "failed": 0,
        "interrupted": 0,
        "errors": 4,
        "warnings": 2,
        "outputs": 3,
    }
    assert store.totals() == expected
    assert RunResult(store, ("json",), False).totals() == expected
    assert RunResult(items(), ("json",), False).totals() == expected


def test_duplicates_are_those_of_a_list_and_stay_marked() -> None:
    store = ItemStore()
    for item in items():
        store.append(item)
    listed = items()
    # 第1局 written with a space and a full-width １ is the same agency; 第2局 of 2023 is not
    expected = [["a.xlsx", "c.xlsx"], ["b.xlsx", "f.xlsx"]]
    assert [[i.path for i in g] for g in mark_duplicates(listed)] == expected
    assert [[i.path for i in g] for g in mark_duplicates(store)] == expected
    assert [i.duplicate_of for i in store] == [None, None, "a.xlsx", None, None, "b.xlsx"]
    doc = summary_doc(RunResult(store, ("json",), False))
    assert [f["duplicate_of"] for f in doc["files"]] == [i.duplicate_of for i in listed]
