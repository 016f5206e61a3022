"""What xxgk writes for a generated corpus is byte for byte what it wrote before the speed work
(issue 16): the hashes in tests/data/golden-outputs.json were recorded from main before any of
it (`python -m tests.test_outputs_unchanged record`), by the real CLI.

The corpus: 40 distinct filled workbooks (bench/corpus.py; every fifth with an arithmetic
error, converted with --force), three reports as JSON, and the hostile corpus
(tests/hostile) through `validate --format json`, whose findings say what the reader made of
every broken cell and file. DOCX and XLSX are compared by their members (names, order,
uncompressed bytes): the deflate level is chosen by measure and changes only the compressed
bytes. The summed workbook's docProps/core.xml holds the time it was written and is left out.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from .hostile.generate import write_corpus

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
GOLDEN = ROOT / "tests" / "data" / "golden-outputs.json"
ENV = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
FORMATS = "json,docx,html,md"
VOLATILE = {"docProps/core.xml"}  # when the file was written


def _corpus_module() -> Any:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return corpus


def digest(name: str, payload: bytes) -> str:
    if name.endswith((".docx", ".xlsx")):
        h = hashlib.sha256()
        with zipfile.ZipFile(io.BytesIO(payload)) as z:
            for info in z.infolist():
                if info.filename in VOLATILE:
                    continue
                h.update(info.filename.encode() + b"\0" + z.read(info) + b"\0")
        return "zip:" + h.hexdigest()
    return hashlib.sha256(payload).hexdigest()


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    cmd = [sys.executable, "-m", "xxgk.cli.main", *args]
    return subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, timeout=600, check=False)


def outputs(work: Path) -> dict[str, str]:
    """Run the CLI over the corpus in `work` (relative paths: no temp folder in any output)."""
    corpus = _corpus_module()
    inputs = work / "in"
    inputs.mkdir()
    reports = corpus.generate(inputs, 40, seed=16, flawed_every=5)
    for i in (1, 2, 3):  # a report sent as JSON, as another system would
        data = {k: v for k, v in reports[i].items() if k != "$schema"}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        (inputs / f"report{i}.json").write_text(text, encoding="utf-8")
    write_corpus(work / "hostile")
    out: dict[str, str] = {}
    runs = {
        "convert": cli(work, "convert", "in", "-o", "out", "--to", FORMATS, "--force", "-q"),
        "aggregate": cli(
            work,
            "aggregate",
            "in",
            "-o",
            "agg/汇总",
            "--agency",
            "示例县人民政府",
            "--year",
            "2024",
            "--address",
            "示例县政府路1号",
            "--postcode",
            "100000",
            "--phone",
            "010-12345678",
        ),
        "validate": cli(work, "validate", "--format", "json", "hostile"),
        "validate-in": cli(work, "validate", "in"),
    }
    for name, done in runs.items():
        out[f"{name}:exit"] = str(done.returncode)
        out[f"{name}:stdout"] = hashlib.sha256(done.stdout).hexdigest()
        out[f"{name}:stderr"] = hashlib.sha256(done.stderr).hexdigest()
    for folder in ("out", "agg"):
        for path in sorted((work / folder).rglob("*")):
            if path.is_file():
                out[path.relative_to(work).as_posix()] = digest(path.name, path.read_bytes())
    return out


@pytest.mark.skipif(not GOLDEN.is_file(), reason="no golden hashes recorded")
def test_outputs_are_byte_identical_to_those_recorded_before(tmp_path: Path) -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = outputs(tmp_path)
    assert sorted(got) == sorted(expected)  # the same files, none missing or extra
    changed = [name for name in expected if got[name] != expected[name]]
    assert changed == []


if __name__ == "__main__" and sys.argv[1:] == ["record"]:
    import tempfile

    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        first, second = outputs(Path(a)), outputs(Path(b))
    unstable = [k for k in first if first[k] != second.get(k)]
    if unstable:
        sys.exit(f"not deterministic: {unstable[:10]}")
    GOLDEN.write_text(json.dumps(first, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"recorded {len(first)} hashes in {GOLDEN}")
