"""Issue 16's fifth round of rendering shortcuts give what the careful paths give.

Table numbers printed in one pass (ints 0–9,999 looked up), the 图解's figures and the
依申请公开 counts read straight when the data has the format's shape, the 主动公开 and
依申请公开 sentences written only for a part left blank, the JSON telling the model that the
data needs no cleaning, core.xml stored in the DOCX. Expected values are worked out by hand
from the data each test writes.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from xxgk.format.jsonio import dump_report_bytes, dump_report_checked
from xxgk.report import document as rm
from xxgk.report import figures as kf
from xxgk.report import tables as rt
from xxgk.report import text as t
from xxgk.report.registry import RENDERERS

from .conftest import load_example
from .oracle import COLUMNS


def _row(total: Any) -> dict[str, Any]:
    return {**dict.fromkeys(COLUMNS[:-1], 0), "natural_person": total, "total": total}


def _busy() -> dict[str, Any]:
    """Requests denied for each of the eight reasons: 1 to 8 of them (36 in all)."""
    data = load_example()
    req = data["requests"]
    req["new"] = _row(40)
    req["results"]["granted"] = _row(4)
    for n, reason in enumerate(req["results"]["denied"], 1):
        req["results"]["denied"][reason] = _row(n)
    req["results"]["total"] = _row(40)
    data["review_litigation"]["litigation_direct"]["total"] = 3
    data["review_litigation"]["litigation_after_review"]["total"] = 4
    return data


def test_table_numbers_print_as_text_number_prints_them() -> None:
    data = load_example()
    values = (0, 9999, 10000, -1, True, 2.0, 2.5)  # a count, the last looked up, beyond…
    data["requests"]["new"] = dict(zip(COLUMNS, values, strict=True))
    assert rt.table3(data).numbers[:7] == ("0", "9999", "10000", "-1", "1", "2", "2.5")
    data["requests"]["new"] = dict(zip(COLUMNS, (3, 0, 0, 0, 0, 0, 3), strict=True))
    assert rt.table3(data).numbers[:7] == ("3", "0", "0", "0", "0", "0", "3")


def test_the_key_figures_read_straight_and_carefully_agree() -> None:
    data = _busy()
    k = kf.key_figures(data)
    assert [f.value for f in k.outcomes[:3]] == [4, 0, 36]  # 予以公开, 部分公开, 不予公开
    assert (k.received.value, k.new, k.litigation.value) == (40, 40, 7)
    # a 总计 that is no number (True) counts 0 on the careful path: 36 - 6 (the sixth reason)
    data["requests"]["results"]["denied"]["process_information"]["total"] = True
    assert kf.key_figures(data).outcomes[2].value == 30
    # a group given as a row of its own: its 总计 as it is
    data["requests"]["results"]["denied"] = _row(9)
    assert kf.key_figures(data).outcomes[2].value == 9


def test_the_outcome_counts_read_straight_and_carefully_agree() -> None:
    data = _busy()
    assert "其中予以公开4件，不予公开36件。" in t.on_request(data)
    data["requests"]["results"]["denied"]["state_secret"]["total"] = "1"  # counts 0
    assert "其中予以公开4件，不予公开35件。" in t.on_request(data)


def test_the_generated_parts_only_for_a_part_left_blank() -> None:
    data = _busy()
    data["overview"]["on_request"] = ""
    texts = [p.text for p in rm.build(data).sections[0].blocks]
    assert any(s.startswith("2024年，") and "新收政府信息公开申请40件" in s for s in texts)
    data["overview"]["on_request"] = "本机关依法办理政府信息公开申请。"
    texts = [p.text for p in rm.build(data).sections[0].blocks]
    assert "本机关依法办理政府信息公开申请。" in texts
    assert not any("新收政府信息公开申请40件" in s for s in texts)
    # data the sentence could not take falls back alike: completed, its cells blank
    data["requests"]["results"]["denied"] = "坏"
    table = rm.build(data).sections[2].blocks[0]
    # 表三's rows: 一, 二, 予以公开, 部分公开, then the first 不予公开 one
    assert table.numbers[4 * 7 : 5 * 7] == ("",) * 7


def test_the_json_tells_the_model_when_the_data_needs_no_cleaning() -> None:
    data = load_example()
    raw, clean = dump_report_checked(data)
    assert clean and raw == dump_report_bytes(data)
    assert rm.build(data, clean=True) == rm.build(data)
    data["overview"]["platform"] = "平台\ud800建设"
    raw, clean = dump_report_checked(data)
    assert not clean and "平台\ufffd建设" in raw.decode("utf-8")
    data["overview"]["platform"] = "平台建设"
    data["extra"] = 1  # a key the format does not have: json writes it, nothing is told
    assert dump_report_checked(data)[1] is False


def test_the_docx_core_properties_are_stored() -> None:
    data = load_example()
    with zipfile.ZipFile(io.BytesIO(RENDERERS["docx"].render(data))) as z:
        assert z.testzip() is None
        methods = {i.filename: i.compress_type for i in z.infolist()}
        core = z.read("docProps/core.xml").decode("utf-8")
    assert methods.pop("docProps/core.xml") == zipfile.ZIP_STORED
    assert set(methods.values()) == {zipfile.ZIP_DEFLATED}
    assert "<dc:title>额敏县商务和工业信息化局2024年政府信息公开工作年度报告</dc:title>" in core


def test_table_numbers_with_something_to_escape_in_both_formats() -> None:
    data = load_example()
    data["requests"]["new"]["research"] = "<5 & 6>"  # text, as with --force
    escaped = "&lt;5 &amp; 6&gt;"
    html = RENDERERS["html"].render(data).decode("utf-8")
    assert f"<td>{escaped}</td>" in html
    with zipfile.ZipFile(io.BytesIO(RENDERERS["docx"].render(data))) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert f'<w:t xml:space="preserve">{escaped}</w:t>' in xml


def test_markdown_escapes_only_what_needs_it() -> None:
    from xxgk.report.markdown import _cell, _escape

    for text in ("正文一段。", "12", "2.5", "（一）主动公开", "a.b"):
        assert _escape(text) == text and _cell(text) == text
    assert _escape("-3") == "\\-3"  # would start a list: found by _LINE_START alone
    assert _escape("2. 项") == "2\\. 项"
    assert _escape("a*b_c|d") == "a\\*b\\_c\\|d"
    assert _escape("&lt;b&gt; <b>") == "&amp;lt;b&amp;gt; &lt;b>"
    assert _cell("-3") == "\\-3"
