"""The generated hostile corpus (tests/hostile/generate.py, one folder per class) through the
real CLI: no traceback, no English internal text, every message located, no input modified."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .hostile.generate import CLASSES, write_corpus

SRC = Path(__file__).resolve().parents[1] / "src"
ENV = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
CJK = re.compile("[\u4e00-\u9fff]")
# English that only a program's internals say (exception names, the OS's or json's own words)
INTERNAL = re.compile(
    r"Traceback|[A-Z][a-z]+(?:Error|Exception)\b|Errno|Expecting|Unterminated|Invalid|"
    r"No such file|Permission denied|codec|surrogates|line \d+ column"
)
# codes whose message is about the whole file: it names the file instead of a place in it
WHOLE_FILE = {"FILE_UNREADABLE", "INTERNAL_ERROR"} | {
    "WB_NOT_TEMPLATE",
    "WB_OLD_TEMPLATE",
    "WB_MISSING_SHEET",
    "WB_MISSING_NAME",
}


def cli(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    cmd = [sys.executable, "-m", "xxgk.cli.main", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, env=ENV, timeout=300, check=False)


def hashes(folder: Path) -> dict[bytes, str]:
    out = {}
    for root, _, files in os.walk(os.fsencode(folder)):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as fh:
                out[path] = hashlib.sha256(fh.read()).hexdigest()
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    write_corpus(folder)
    return folder


def test_the_corpus_has_at_least_100_classes() -> None:
    assert len(CLASSES) >= 100


def _clean_stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    err = proc.stderr.decode("utf-8", "backslashreplace")
    assert not INTERNAL.search(err), err[:3000]
    assert "内部错误" not in err, err[:3000]
    return err


def test_validate_says_something_located_and_chinese_of_every_file(corpus: Path) -> None:
    before = hashes(corpus)
    proc = cli("validate", corpus, "--format", "json")
    _clean_stderr(proc)
    assert proc.returncode == 3
    doc = json.loads(proc.stdout.decode("utf-8"))  # strict: valid UTF-8 JSON
    by_class: dict[str, list[dict]] = {}
    for entry in doc["files"]:
        by_class.setdefault(Path(entry["path"]).relative_to(corpus).parts[0], []).append(entry)
        for f in entry["findings"]:
            message = f["message"]
            assert CJK.search(message) and not INTERNAL.search(message), (entry["path"], f)
            assert isinstance(f["path"], str)  # a JSON Pointer; "" is the whole document
            if f["code"] in WHOLE_FILE:
                assert Path(entry["path"]).name in message, f
            workbook = entry["path"].endswith((".xlsx", ".xlsm"))
            if workbook and f["path"] and f["code"] != "JSON_EXTRA":
                assert f.get("sheet") and f.get("cell"), (entry["path"], f)
    taken = {".json", ".xlsx", ".xlsm"}
    expected = {
        name
        for name in CLASSES
        if any(os.fsdecode(p).lower().endswith(tuple(taken)) for p in os.listdir(corpus / name))
        and not name.startswith("name-wrong-suffix")
    }
    assert expected <= set(by_class), sorted(expected - set(by_class))
    # the classes made to be bad are said to be bad (a class of the hostile corpus that passes
    # silently is a hole); those that only carry hostile text stay valid
    harmless = {n for n in CLASSES if n.startswith(("json-html", "json-markdown", "json-rlo"))}
    harmless |= {"wb-xlsm-suffix", "wb-rlo-name", "wb-formula-text-name", "wb-fullwidth-count"}
    for name, entries in by_class.items():
        if name.startswith(("wb-", "enc-binary", "json-dup", "json-count", "json-fee-1")):
            assert any(not e["valid"] for e in entries) or name in harmless, name
    assert hashes(corpus) == before


def test_convert_lists_every_input_with_a_reason(corpus: Path, tmp_path: Path) -> None:
    before = hashes(corpus)
    out = tmp_path / "out"
    proc = cli("convert", corpus, "-o", out, "-j", "2", "--force")
    err = _clean_stderr(proc)
    assert proc.returncode == 3
    doc = json.loads((out / "summary.json").read_bytes().decode("utf-8"))
    assert doc["totals"]["failed"] == 0  # no input hit a bug of ours
    for entry in doc["files"]:
        if entry["status"] not in ("converted", "converted_with_errors"):
            reason = entry["first_error"] or entry["note"]
            assert reason and CJK.search(reason) and not INTERNAL.search(reason), entry
            assert Path(entry["path"]).name in err or entry["path"] in err
    (out / "汇总.csv").read_bytes().decode("utf-8-sig")
    names = os.listdir(out)
    assert not [n for n in names if n.startswith(".xxgk")], names
    assert not [n for n in names if re.search("[\u202a-\u202e\u2066-\u2069\u200b-\u200f]", n)]
    assert hashes(corpus) == before
