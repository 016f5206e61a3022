"""What start-up round six changed to start `xxgk validate` faster (issue 16) is what it
replaced: patterns compiled when first used match as compiled ones; the ZIP writer that
replaced zipfile for the styles probe writes what zipfile reads; the C0 check that replaced a
pattern over the whole plane refuses what XML 1.0 refuses; a plain one-range sum read without
the formula tokenizer adds up the cells the tokenizer does."""

from __future__ import annotations

import io
import random
import re
import zipfile

import pytest

from xxgk.format import ziparchive as za
from xxgk.format.lazyre import lazy
from xxgk.workbook.cellstrings import Miss, t_text
from xxgk.workbook.sheetscan import Unscannable, has_forbidden, text_of
from xxgk.workbook.totals import summed_cells


def test_a_lazy_pattern_is_compiled_at_first_use_and_matches_as_compiled() -> None:
    source = r"(\d{4})年\s*(?P<month>\d{1,2})月"
    deferred = lazy(source)
    assert set(vars(deferred)) == {"pattern", "flags"}  # nothing compiled yet
    assert deferred.pattern == source
    compiled = re.compile(source)
    text = "2024年3月，2025年 12月"
    got, want = deferred.search(text), compiled.search(text)
    assert got is not None and want is not None and got.groups() == want.groups()
    assert "search" in vars(deferred)  # kept: later calls skip __getattr__
    spans = [m.span() for m in compiled.finditer(text)]
    assert [m.span() for m in deferred.finditer(text)] == spans and len(spans) == 2
    assert deferred.sub("#", text) == compiled.sub("#", text)
    assert deferred.groupindex == compiled.groupindex and deferred.flags == compiled.flags


def test_a_lazy_bytes_pattern_with_flags() -> None:
    deferred = lazy(rb"<C R=", re.IGNORECASE)
    assert deferred.findall(b'<c r="A1"/><C R="B1"/>') == [b"<c r=", b"<C R="]
    assert deferred.flags == re.compile(rb"<C R=", re.IGNORECASE).flags


def test_a_bad_lazy_pattern_fails_where_it_is_used() -> None:
    deferred = lazy("([unclosed")
    with pytest.raises(re.error):
        deferred.match("x")


def test_the_archive_is_what_zipfile_reads() -> None:
    members = {"[Content_Types].xml": b"<Types/>", "xl/styles.xml": "政务".encode(), "empty": b""}
    raw = za.archive([za.records(za.stored(name, data)) for name, data in members.items()])
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert zf.testzip() is None  # every CRC right
        assert zf.namelist() == list(members)  # in the order given
        for info in zf.infolist():
            assert zf.read(info) == members[info.filename]
            assert info.compress_type == zipfile.ZIP_STORED
            assert info.date_time == (1980, 1, 1, 0, 0, 0)


def _xml_char(code: int) -> bool:
    """XML 1.0's Char production, as the recommendation writes it."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _codes() -> list[int]:
    rng = random.Random(16)
    edges = [*range(0x0, 0x100), *range(0xD7F0, 0xD800), *range(0xE000, 0xE010)]
    edges += [*range(0xFFF0, 0x10010), 0x3000, 0x4E00, 0x9FA5, 0x10FFFF]
    return edges + [rng.randrange(0x20, 0x10FFFF) for _ in range(2000)]


def test_has_forbidden_refuses_what_xml_refuses() -> None:
    for code in _codes():
        if 0xD800 <= code <= 0xDFFF:
            continue  # a surrogate: no UTF-8 decodes to one
        text = f"政务{chr(code)}公开"
        assert has_forbidden(text) is not _xml_char(code), hex(code)


@pytest.mark.parametrize("code", [0x1, 0x8, 0xB, 0x1F, 0xFFFE, 0xFFFF])
def test_a_forbidden_character_leaves_the_fast_scan_written_or_referenced(code: int) -> None:
    written = f"年报{chr(code)}".encode()
    with pytest.raises(Miss):
        t_text(written, preserve=True)
    with pytest.raises(Unscannable):
        text_of(written)
    with pytest.raises(Miss):
        t_text(f"年报&#x{code:X};".encode(), preserve=True)


def test_allowed_characters_pass_written_and_referenced() -> None:
    assert t_text("年报\t\n\ufffd😀".encode(), preserve=True) == "年报\t\n\ufffd😀"
    assert t_text(b"&#x5E74;&#25253;&amp;", preserve=True) == "年报&"


@pytest.mark.parametrize(
    "text",
    ["=SUM(D7:D27)", "SUM(D5:I5)", "=SUM($D$5:$I$5)", "=SUM(I5:D5)", " =SUM(D07:D9) ",
     "=SUM(A1:A1)", "=SUM(D$7:$D27)", "=SUM(A1:ZZ999)"],
)  # fmt: skip
def test_a_plain_range_sum_adds_what_the_tokenizer_reads(text: str) -> None:
    # in small letters the formula is read by the full tokenizer (the fast pattern wants capitals)
    assert summed_cells(text, "表三") == summed_cells(text.lower(), "表三")


def test_a_plain_range_sum_lists_its_cells_by_rows() -> None:
    assert summed_cells("=SUM($E$6:D7)", "表二") == (
        ("表二", "D6"),
        ("表二", "E6"),
        ("表二", "D7"),
        ("表二", "E7"),
    )
    assert summed_cells("=SUM(A1:ZZ999)", "表三") is None  # too large to be a block of the format


def test_package_files_read_beside_the_modules_or_through_importlib_resources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib import resources
    from pathlib import Path

    from xxgk.format.packaged import packaged_bytes

    want = resources.files("xxgk.report").joinpath("assets", "report.frame.json").read_bytes()
    assert packaged_bytes("xxgk.report", "assets", "report.frame.json") == want
    monkeypatch.setattr(Path, "is_file", lambda self: False)  # as in a zipped install
    assert packaged_bytes("xxgk.report", "assets", "report.frame.json") == want
    with pytest.raises(FileNotFoundError):
        packaged_bytes("xxgk.report", "assets", "no-such-file")


def test_the_reports_forbidden_characters_are_what_xml_and_html_refuse() -> None:
    """report.text drops what is not \\t, \\n, printable ASCII, U+00A0–U+D7FF, U+E000–U+FFFD or
    beyond the BMP: the pattern that lists those (cheap to compile) finds exactly every other
    code point, as the class of the allowed ones negated did."""
    from xxgk.report import text

    allowed = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    every = "".join(map(chr, range(0x110000)))
    found = text._FORBIDDEN.findall(every)
    assert found == allowed.findall(every)
    assert len(found) == 9 + 21 + 33 + 2048 + 2  # C0 but \t \n, DEL and C1, surrogates, two
    assert text.clean_line("甲\x0b乙\x01\ud800丙\ufffe\x85") == "甲 乙丙"


def test_counts_are_printed_alike_before_and_after_they_are_kept() -> None:
    """table_reads keeps the text of each count from 0 to 9,999 as it meets it (not all 10,000
    on import): a report's numbers read the same the first time and from then on, and the
    values come back only where all are such counts, as when the table was made whole."""
    import subprocess
    import sys

    from xxgk.report import table_reads as tr

    fresh = subprocess.run(
        [sys.executable, "-c", "import xxgk.report.table_reads as t; print(len(t._PRINTED))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert fresh.stdout.strip() == "0"
    plan = tr.runs(((("a", "r1"), ("x", "y")), (("a", "r2"), ("x", "y"))))
    cases = [
        ([7001, 0, 9999, 42], True),
        ([7001, 0, 9999, 42], True),  # now kept
        ([10000, 5, 6, 7], False),  # beyond the table
        ([-1, 5, 6, 7], False),
        ([True, 5, 6, 7], False),  # not counts
        ([2.5, 5, 6, 7], False),
    ]
    for values, counts in cases:
        rows = {"r1": {"x": values[0], "y": values[1]}, "r2": {"x": values[2], "y": values[3]}}
        data = {"a": rows}
        printed, got = tr.numbers(data, plan)
        assert printed == tuple(tr.t.number(v) if type(v) is not int else str(v) for v in values)
        assert got == (values if counts else None)
