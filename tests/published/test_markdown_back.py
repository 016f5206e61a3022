"""A report as our own Markdown renderer prints it, imported back: every table cell equal to the
data it was rendered from."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from xxgk.format import model as m
from xxgk.published.document import MD
from xxgk.published.tables import read_tables
from xxgk.published.text import text_document
from xxgk.report.markdown import render

from ..conftest import load_example
from ..reports import consistent_reports, get_path
from .corpus_cells import DATA

TABLE_LEAVES = [leaf for leaf in m.leaves() if leaf.table]


def _table_values(data: dict[str, Any]) -> dict[str, Any]:
    return {leaf.pointer: get_path(data, leaf.path) for leaf in TABLE_LEAVES}


def test_the_seed_report_in_markdown() -> None:
    raw = (DATA / "seed-2024-report.md").read_bytes()
    got = read_tables(text_document(raw, MD))
    assert got.findings == []
    assert got.values == _table_values(load_example())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(max_count=3000))
def test_any_rendered_report_reads_back(data: dict[str, Any]) -> None:
    got = read_tables(text_document(render(data), MD))
    assert got.findings == []
    assert got.values == _table_values(data)
