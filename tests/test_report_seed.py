"""The published seed report, reproduced from the bundled example in every narrative format."""

from __future__ import annotations

import io
import os
from pathlib import Path

import docx
from click.testing import CliRunner

from xxgk.cli.main import main
from xxgk.format import model as m
from xxgk.report.registry import RENDERERS

from .fresh import outputs_of_fresh_processes
from .report_support import (
    NUMBER,
    W,
    docx_blocks,
    docx_table_numbers,
    html_blocks,
    normalise,
    seed_sections,
    split_sections,
)

TABLE_SECTIONS = ("二", "三", "四")


def _check_sections(ours: dict[str, str], table_labels: bool = True) -> None:
    """Every paragraph of the seed is in the same section of ours (normalised); table labels
    too unless the format simplifies the merged headers (Markdown)."""
    seed = seed_sections()
    assert set(ours) >= {"", *(s.number for s in m.SECTIONS)}
    # our headings are the correct ones, where the seed's lack 一、 and 五、
    assert normalise(m.SECTIONS[0].heading) in ours["一"]
    assert ours["五"].startswith(normalise("五、存在的主要问题及改进情况"))
    for key, paragraphs in seed.items():
        target = ours["六"] if key == "end" else ours[key]
        for paragraph in paragraphs:
            if key in TABLE_SECTIONS and (NUMBER.match(paragraph) or not table_labels):
                if paragraph == seed[key][0]:  # the heading itself is always checked
                    assert normalise(paragraph) in target
                continue  # numbers are compared cell by cell below
            assert normalise(paragraph) in target, (key, paragraph)


def _seed_numbers(section: str) -> list[str]:
    return [p for p in seed_sections()[section] if NUMBER.match(p)]


def test_seed_docx(example: dict) -> None:
    raw = RENDERERS["docx"].render(example)
    _check_sections(split_sections(docx_blocks(io.BytesIO(raw))))
    tables = docx.Document(io.BytesIO(raw)).element.body.findall(W + "tbl")
    assert len(tables) == 3
    for table, section in zip(tables, TABLE_SECTIONS, strict=True):
        assert docx_table_numbers(table) == _seed_numbers(section)


def test_seed_html(example: dict) -> None:
    from lxml import html

    raw = RENDERERS["html"].render(example)
    _check_sections(split_sections(html_blocks(raw)))
    tables = html.fromstring(raw).findall(".//table")
    for table, section in zip(tables, TABLE_SECTIONS, strict=True):
        numbers = [td.text_content() for td in table.iter("td")]
        assert numbers == _seed_numbers(section)


def test_seed_markdown(example: dict) -> None:
    text = RENDERERS["md"].render(example).decode("utf-8")
    blocks = [b.lstrip("#").strip() for b in text.split("\n\n")]
    _check_sections(split_sections(b.replace("**", "") for b in blocks), table_labels=False)
    by_section: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("## "):
            current = next(s.number for s in m.SECTIONS if s.heading == line[3:])
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            by_section.setdefault(current, []).extend(c for c in cells if NUMBER.match(c))
    assert list(by_section) == list(TABLE_SECTIONS)
    for section in TABLE_SECTIONS:
        assert by_section[section] == _seed_numbers(section)


def test_seed_through_convert(example_path: Path, tmp_path: Path) -> None:
    """`xxgk convert` (issue 6) writes the same report the renderers make."""
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["convert", str(example_path), "-o", str(out), "--to", "docx,html,md", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    written = {p.suffix: p for p in out.iterdir() if p.suffix in (".docx", ".html", ".md")}
    assert set(written) == {".docx", ".html", ".md"}
    _check_sections(split_sections(docx_blocks(written[".docx"])))
    _check_sections(split_sections(html_blocks(written[".html"].read_bytes())))
    assert written[".md"].read_bytes() == GOLDEN.read_bytes()


RENDER_IN_A_FRESH_PROCESS = """
import json, sys
from importlib import resources
from pathlib import Path
from xxgk.report.registry import RENDERERS
data = json.loads(resources.files("xxgk").joinpath("examples", "seed-2024.json").read_text("utf-8"))
for name in ("docx", "html", "md"):
    (Path(sys.argv[1]) / f"report.{name}").write_bytes(RENDERERS[name].render(data))
"""


def test_same_data_same_bytes_in_fresh_processes(example: dict, tmp_path: Path) -> None:
    """The same data gives the same bytes in processes with other hash seeds and time zones
    (tests/fresh.py), and in this one; the Markdown is the committed golden file."""
    first, second = outputs_of_fresh_processes(RENDER_IN_A_FRESH_PROCESS, tmp_path)
    here = {f"report.{name}": RENDERERS[name].render(example) for name in ("docx", "html", "md")}
    assert set(first) == set(second) == set(here)
    for name, raw in here.items():
        assert first[name] == second[name] == raw, name
    assert first["report.md"] == GOLDEN.read_bytes()


GOLDEN = Path(__file__).parent / "data" / "seed-2024-report.md"


def test_markdown_golden(example: dict) -> None:
    """The bundled example as text, checked in so that a change to the report's wording shows
    up as a readable diff. After an intended change: XXGK_REGEN=1 python -m pytest <this>."""
    text = RENDERERS["md"].render(example)
    if os.environ.get("XXGK_REGEN"):
        GOLDEN.write_bytes(text)
    assert text == GOLDEN.read_bytes()
