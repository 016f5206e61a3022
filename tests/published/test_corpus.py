"""The real published excerpts and the seed: every printed cell read right or flagged, nothing
invented, every cell that is not there named by a finding."""

from __future__ import annotations

import pytest

from xxgk.check import findings as fc
from xxgk.published.document import TXT
from xxgk.published.recognised import Recognised
from xxgk.published.tables import read_tables
from xxgk.published.text import text_document

from .corpus_cells import CORPUS, EXPECTED, SEED, SEED_TEXT, published_text
from .tally import tally


def _import(name: str) -> Recognised:
    path = SEED_TEXT if name == "seed" else CORPUS / name
    return read_tables(text_document(published_text(path), TXT))


def test_every_corpus_file_has_its_expected_cells() -> None:
    assert set(EXPECTED) == {p.name for p in CORPUS.glob("*.txt")}


@pytest.mark.parametrize("name", [*sorted(EXPECTED), "seed"])
def test_printed_cells_are_read_or_flagged(name: str) -> None:
    expect = SEED if name == "seed" else EXPECTED[name]
    result = _import(name)
    counted = tally(expect, result)
    assert counted.wrong == [] and counted.invented == [] and counted.silent == []
    assert counted.missing == 0
    readable = sum(v is not None for v in expect.cells.values())
    assert counted.recovered == readable  # every printed number is read, not only flagged
    assert result.layout == expect.layout
    for ptr in result.values:
        assert result.origins[ptr].line is not None  # each value says where it was printed


def test_blank_cells_are_zero_with_one_warning_per_table() -> None:
    result = _import("006_xuwen_bureau_2022or2023_blankcells.txt")
    blanks = [f for f in result.findings if f.code == fc.IMPORT_CELL_BLANK]
    assert len(blanks) == 1 and blanks[0].severity == fc.WARNING
    assert len(blanks[0].paths) == 5 + 6 * 8  # new: 5 blanks, then 8 rows of 6
    assert blanks[0].source == {"line": 24, "column": 3}  # the first blank, 自然人's neighbour
    assert result.values["/requests/new/commercial"] == 0


def test_a_row_cut_short_is_refused_where_it_is() -> None:
    result = _import("001_longgang_dept_2024.txt")
    refused = [f for f in result.findings if f.code == fc.IMPORT_ROW_UNPLACED]
    assert [f.source for f in refused] == [{"line": 32, "column": 1}]
    assert refused[0].paths[0] == "/requests/results/denied/enforcement_files/natural_person"
    codes = {f.code for f in result.findings}
    assert fc.IMPORT_ROW_MISSING in codes and fc.IMPORT_TABLE_MISSING in codes


def test_the_2019_layout_maps_only_the_same_quantity() -> None:
    result = _import("010_yulin_yuyang_tuofenglu_street_2020_FORMAT2019.txt")
    codes = [f.code for f in result.findings]
    assert codes.count(fc.IMPORT_OLD_COLUMNS) == 3  # 规章, 规范性文件, 行政事业性收费
    assert fc.IMPORT_FORMAT_2019 in codes
    assert result.values["/proactive/licensing/decisions"] == 0


def test_a_typo_in_a_label_is_read_with_a_warning() -> None:
    result = _import("026_kaili_wanchao_town_2023.txt")  # 规范性文件 for 行政规范性文件
    variants = [f for f in result.findings if f.code == fc.IMPORT_LABEL_VARIANT]
    assert [f.path for f in variants] == ["/proactive/normative_documents/issued"]
    assert variants[0].source == {"line": 12, "column": 1}


def test_the_table_lines_are_used_and_the_narrative_is_not() -> None:
    doc = text_document(published_text(CORPUS / "008_tianjin_hexi_zwfwb_2022.txt"), TXT)
    used = read_tables(doc).used
    texts = {i: doc.lines[i].text for i in range(len(doc.lines))}
    assert {i for i, t in texts.items() if t.startswith("行政许可")} <= used
    assert not any(texts[i].startswith(("本年度报告根据", "按照区委")) for i in used)
    headings = [i for i, t in texts.items() if t.startswith(("二、主动公开", "三、收到"))]
    assert headings and not set(headings) & used  # the section headings are the narrative's
