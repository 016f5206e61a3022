"""`xxgk convert --to pdf` (issue 14): the report's DOCX through LibreOffice headless, fonts
embedded, the official fonts a server lacks replaced by the closest free ones and named in the
summary; a clear message without LibreOffice, and a failed conversion failing that input only.

Checked with poppler's own tools (pdffonts, pdftotext), not with xxgk's code."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from xxgk.files.pdf import OFFICIAL_FONTS

from .conftest import load_example, need_tool

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "xxgk" / "examples" / "seed-2024.xlsx"


def _convert(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "convert", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def _pdffonts(pdf: Path) -> list[dict[str, str]]:
    tool = need_tool("pdffonts", shutil.which("pdffonts"), "apt-get install poppler-utils")
    out = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()[2:]  # a header and a rule
    rows = []
    for line in lines:
        parts = line.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, generation
        rows.append({"name": parts[0], "emb": parts[-5], "uni": parts[-3]})
    return rows


@pytest.fixture(scope="module")
def converted(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    need_tool("LibreOffice", shutil.which("soffice"), "apt-get install libreoffice-writer-nogui")
    work = tmp_path_factory.mktemp("pdf")
    done = _convert(work, str(EXAMPLE), "-o", "out", "--to", "pdf,json")
    return work / "out", done


def test_the_pdf_is_the_report_with_every_font_embedded(
    converted: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, done = converted
    assert done.returncode == 0, done.stderr
    data = load_example()
    stem = f"{data['agency']['name']}-{data['year']}"
    pdf = out / f"{stem}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert not (out / f"{stem}.docx").exists()  # made for the PDF, not asked for
    fonts = _pdffonts(pdf)
    assert fonts, "a PDF of Chinese text without fonts"
    assert all(f["emb"] == "yes" for f in fonts), fonts
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "".join(data["agency"]["name"].split()) in flat
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "六、其他需要报告的事项"):
        assert heading in flat


def test_substituted_fonts_are_named_and_are_the_ones_in_the_pdf(
    converted: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, done = converted
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    substituted = summary["pdf_fonts_substituted"]
    assert set(substituted) <= set(OFFICIAL_FONTS)
    embedded = " ".join(f["name"] for f in _pdffonts(next(out.glob("*.pdf"))))
    if not substituted:  # a machine with the official fonts: nothing to tell
        assert "替代字体" not in done.stderr
        return
    assert "替代字体" in done.stderr
    for official, used in substituted.items():
        assert f"{official} → {used}" in done.stderr
        # the replacement is what LibreOffice embedded (PDF names drop spaces and the region)
        family = used.replace(" ", "")
        assert family[: len(family) - 2] in embedded, (official, used, embedded)
    # 仿宋 (the body) and 黑体 (headings) come out as different faces, not one fallback for all
    if {"仿宋_GB2312", "黑体"} <= set(substituted):
        assert substituted["仿宋_GB2312"] != substituted["黑体"]


def test_pdf_is_never_made_unless_asked(tmp_path: Path) -> None:
    done = _convert(tmp_path, str(EXAMPLE), "-o", "out")
    assert done.returncode == 0, done.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))
    assert "pdf_fonts_substituted" not in json.loads(
        (tmp_path / "out" / "summary.json").read_text("utf-8")
    )


def test_without_libreoffice_nothing_is_written_and_the_message_says_what_to_do(
    tmp_path: Path,
) -> None:
    done = _convert(
        tmp_path,
        str(EXAMPLE),
        "-o",
        "out",
        "--to",
        "pdf,docx",
        env={"XXGK_SOFFICE": str(tmp_path / "no-such-soffice")},
    )
    assert done.returncode == 3
    assert "LibreOffice" in done.stderr and "--to" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_a_failing_libreoffice_fails_that_input_only_and_writes_nothing_for_it(
    tmp_path: Path,
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    done = _convert(
        tmp_path, str(EXAMPLE), "-o", "out", "--to", "pdf,html", env={"XXGK_SOFFICE": str(fake)}
    )
    assert done.returncode == 3, done.stderr
    assert "无法生成 PDF" in done.stderr or "LibreOffice 转换失败" in done.stderr
    assert "退出码 1" in done.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "汇总.csv"]
    entry = json.loads((out / "summary.json").read_text("utf-8"))["files"][0]
    assert entry["status"] == "failed" and entry["first_error_code"] == "CONVERT_PDF"
    assert entry["outputs"] == []
