"""Chinese everywhere a user reads (issue 14): every command's help and the usage, option and
OS errors click and xxgk print, through the real command — no English words left.

Allowed ASCII: option names (--to), command and format names (convert, json, docx), file and
path names (summary.json, out), codes (TEXT_LINE_BREAK), units and product names (JSON, Excel,
Word, UTF-8) — what a user types or recognises, not sentences to read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = ["validate", "convert", "import", "template", "fill", "aggregate", "schema", "serve"]
SRC = str(Path(__file__).resolve().parents[1] / "src")
ALLOWED = {
    "xxgk", "JSON", "Excel", "Word", "WPS", "Office", "LibreOffice", "Unicode", "UTF", "GBK",
    "Schema", "CPU", "ID", "MB", "PDF", "HTML", "Markdown", "API", "Bearer", "Authorization",
    "xlsx", "xlsm", "xls", "xlsb", "ods", "et", "json", "docx", "html", "md", "pdf", "png",
    "svg", "csv", "txt",
    "text", "error", "warning", "never", "x", "YYYY", "MM", "DD", "OUT", "localhost", "http",
    "https", "http://127.0.0.1", *COMMANDS,
}
WORD = re.compile(r"(?<![-\w.~/\\$])[A-Za-z][A-Za-z]{1,}(?![\w.\-/\\])")


def _run(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        # click wraps help to the terminal and cuts a word it cannot fit: the same width always
        # and this tree's code, not an installed copy
        env={**os.environ, "COLUMNS": "80", "PYTHONPATH": SRC},
    )
    return done.stdout + done.stderr


def _english(text: str, typed: frozenset[str] = frozenset()) -> list[str]:
    """English words in `text`, but for the allowed ones and what the user typed (`typed`)."""
    found = []
    for line in text.splitlines():
        for word in WORD.findall(line):
            if word not in ALLOWED | typed and not word.isupper():  # CODES, placeholders (OUT)
                found.append(f"{word!r} in: {line.strip()}")
    return found


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_chinese(tmp_path: Path, command: str) -> None:
    text = _run(*([command] if command else []), "--help", cwd=tmp_path)
    assert "用法" in text
    assert _english(text) == []


USAGE_ERRORS = [
    ["nosuch"],  # no such command
    ["validate"],  # missing argument
    ["convert", "a.json"],  # missing option
    ["convert", "a.json", "-o", "out", "--jobs", "x"],  # not a number
    ["convert", "a.json", "-o", "out", "--jobs", "0"],  # out of range
    ["convert", "a.json", "-o", "out", "--to", "pdf,xyz"],  # unknown format
    ["convert", "a.json", "-o", "out", "--nosuch"],  # no such option
    ["template", "-o", "t.xlsx", "--year", "1999"],  # out of range
    ["template", "-o", "t.xlsx", "--year"],  # option needs a value
    ["validate", "--format", "xml", "a.json"],  # bad choice
    ["fill", "nope.json", "-o", "x.xlsx"],  # the OS's "No such file or directory"
    ["validate", "nope.json"],
    ["aggregate", "in", "-o", "s", "--agency", "某县政府", "--year", "2024", "--expect", "n.txt"],
    ["schema", "extra"],  # an extra argument
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=lambda a: " ".join(a)[:40])
def test_errors_are_chinese(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "in").mkdir()
    text = _run(*args, cwd=tmp_path)
    assert re.search(r"[\u4e00-\u9fff]", text), text
    typed = frozenset(w for a in args for w in re.findall(r"[A-Za-z]+", a))  # quoted back
    assert _english(text, typed) == [], text


def test_the_checker_can_fail() -> None:
    assert [f.split()[0] for f in _english("Error: No such option '--x'.")] == [
        "'Error'",
        "'No'",
        "'such'",
        "'option'",
    ]
    assert _english("错误：没有选项 '--x'，见 summary.json 与 TEXT_LINE_BREAK。") == []
