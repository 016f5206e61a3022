"""`xxgk convert` tells what it found (issue 14): per input its errors and warnings with their
codes on stderr (counts, the first few, -q silences the warnings), and in summary.json and
汇总.csv columns for them — so an office sees the 1 in 1,000 reports that needs a look."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import load_example


def _denies_requests(requests: int) -> dict[str, Any]:
    """The case of the issue: the text says none was received, the table has thousands."""
    data = load_example()
    data["published_on"] = "2025-01-20"
    for row in ("new",):
        data["requests"][row].update(natural_person=requests, total=requests)
    for row in ("granted", "total"):
        data["requests"]["results"][row].update(natural_person=requests, total=requests)
    return data


def _convert(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "convert", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def test_warnings_are_told_on_stderr_and_in_the_summary(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text(
        json.dumps(_denies_requests(16319), ensure_ascii=False), encoding="utf-8"
    )
    clean = load_example()
    clean["published_on"] = "2025-01-20"
    clean["agency"]["name"] = "额敏县财政局"
    (tmp_path / "in" / "b.json").write_text(json.dumps(clean, ensure_ascii=False), "utf-8")
    done = _convert(tmp_path, "in", "-o", "out", "--to", "json", "-j", "1")
    assert done.returncode == 0, done.stderr  # warnings only
    assert "1 处警告（TEXT_SAYS_NO_REQUESTS）" in done.stderr
    assert "16319 件" in done.stderr  # the finding itself, not only a count
    assert "其中 1 个有警告" in done.stderr
    assert "b.json" not in done.stderr.split("共 2 个文件")[0]  # a clean input is not listed
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    by_input = {Path(f["path"]).name: f for f in summary["files"]}
    assert by_input["a.json"]["warning_codes"] == ["TEXT_SAYS_NO_REQUESTS"]
    assert by_input["a.json"]["error_codes"] == []
    assert by_input["a.json"]["problems"][0].startswith("TEXT_SAYS_NO_REQUESTS ")
    assert by_input["b.json"]["warning_codes"] == [] and by_input["b.json"]["problems"] == []
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "汇总.csv").read_text("utf-8-sig"))))
    got = {Path(r["输入文件"]).name: r for r in rows}
    assert got["a.json"]["警告代码"] == "TEXT_SAYS_NO_REQUESTS" and got["a.json"]["警告数"] == "1"
    assert got["b.json"]["警告代码"] == "" and got["b.json"]["错误代码"] == ""
    quiet = _convert(tmp_path, "in", "-o", "out-q", "--to", "json", "-j", "1", "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_errors_are_listed_with_their_codes_even_when_quiet(tmp_path: Path) -> None:
    data = _denies_requests(3)
    data["requests"]["new"]["total"] = 4  # 总计 ≠ the sum of its row: an error
    (tmp_path / "c.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = _convert(tmp_path, "c.json", "-o", "out", "--to", "json", "-q")
    assert done.returncode == 1
    assert "T3_ROW_TOTAL" in done.stderr and "有错误，未转换" in done.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert "T3_ROW_TOTAL" in summary["files"][0]["error_codes"]
