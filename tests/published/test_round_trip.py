"""Round trip: random valid reports rendered as a published agency would (Markdown, web page,
Word, and for a sample PDF through LibreOffice), imported back: the same tables cell for cell,
the same metadata, the same narrative after whitespace. The expected side is always the data
that was rendered."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.format import model as m
from xxgk.published.reader import import_report
from xxgk.report.registry import RENDERERS

from ..conftest import need_tool
from ..reports import consistent_reports, get_path

TABLE_LEAVES = [leaf for leaf in m.leaves() if leaf.table]
META = [
    ("agency", "name"),
    ("agency", "address"),
    ("agency", "postcode"),
    ("agency", "phone"),
    ("year",),
    ("published_on",),
    ("local_notice",),
]
NARRATIVE = [f.path for f in (*m.OVERVIEW_PARTS, m.PROBLEMS, m.IMPROVEMENTS, m.OTHER_TEXT)]
AGENCIES = [
    "额敏县商务和工业信息化局",
    "钦州市人民政府办公室",
    "武汉市汉阳区人民政府办公室",
    "阿巴嘎旗自然资源局",
    "眉山市人力资源和社会保障局",
    "凯里市万潮镇人民政府",
]


@st.composite
def published(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(consistent_reports(max_count=draw(st.sampled_from([9, 99, 99999]))))
    data["agency"]["name"] = draw(st.sampled_from(AGENCIES))
    year = draw(st.integers(2021, 2025))
    data["year"] = year
    month, day = draw(st.integers(1, 3)), draw(st.integers(1, 28))
    data["published_on"] = f"{year + 1}-{month:02d}-{day:02d}"
    data["agency"]["postcode"] = draw(st.from_regex(r"\A[1-8][0-9]{5}\Z"))
    data["agency"]["phone"] = draw(st.from_regex(r"\A0[1-9][0-9]{1,2}-[2-8][0-9]{6,7}\Z"))
    for path in NARRATIVE:  # the seed's texts, the year changed to this one
        text = get_path(data, path)
        if isinstance(text, str):
            put(data, path, text.replace("2024", str(year)))
    return data


def put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def squeeze(text: Any) -> str:
    return re.sub(r"\s+", "", text or "")


def assert_same(original: dict[str, Any], imported: dict[str, Any], kind: str) -> None:
    for leaf in TABLE_LEAVES:
        assert get_path(imported, leaf.path) == get_path(original, leaf.path), (kind, leaf.where)
    for path in META:
        assert get_path(imported, path) == get_path(original, path), (kind, path)
    for path in NARRATIVE:
        assert squeeze(get_path(imported, path)) == squeeze(get_path(original, path)), (kind, path)


def round_trip(data: dict[str, Any], kind: str, payload: bytes) -> None:
    imported = import_report(payload, kind)
    errors = [f for f in imported.findings if f.is_error]
    assert not errors, [(f.code, f.message) for f in errors]
    assert_same(data, imported.data, kind)


QUICK = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(published())
def test_markdown_round_trip(data: dict[str, Any]) -> None:
    round_trip(data, "md", RENDERERS["md"].render(data))


@QUICK
@given(published())
def test_web_page_round_trip(data: dict[str, Any]) -> None:
    round_trip(data, "html", RENDERERS["html"].render(data))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(published())
def test_word_round_trip(data: dict[str, Any]) -> None:
    round_trip(data, "docx", RENDERERS["docx"].render(data))


@pytest.fixture(scope="module")
def soffice() -> str:
    return need_tool(
        "LibreOffice", shutil.which("soffice"), "apt-get install libreoffice-writer-nogui"
    )


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(published())
def test_pdf_round_trip(soffice: str, data: dict[str, Any]) -> None:
    from xxgk.files.pdf import docx_to_pdf

    round_trip(data, "pdf", docx_to_pdf(RENDERERS["docx"].render(data), soffice))
