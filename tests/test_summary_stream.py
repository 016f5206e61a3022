"""summary.json and 汇总.csv are written a piece at a time (issue 16: flat memory), and the
pieces make exactly the text json.dumps(indent=2) and one csv writer make of the whole."""

from __future__ import annotations

import csv
import io
import json

import pytest

from xxgk.batch.summary import (
    CONVERTED,
    FORCED,
    ItemResult,
    RunResult,
    summary_csv,
    summary_doc,
    summary_json,
)


def items() -> list[ItemResult]:
    odd = ItemResult(1, "in/二\n行\udcff.xlsx", FORCED, errors=2, warnings=1, year=2024)
    odd.agency = '某"局\\'
    odd.error_codes = ["T3_BALANCE"]
    odd.problems = ["T3_BALANCE 表三!D8：不平衡"]
    odd.outputs = ["某局2024.json", "某局2024.docx"]
    return [ItemResult(0, "in/a.xlsx", CONVERTED, agency="甲局", year=2024), odd]


@pytest.mark.parametrize("fonts", [None, {"仿宋_GB2312": "Noto Serif CJK SC"}])
@pytest.mark.parametrize("count", [0, 1, 2])
def test_summary_json_is_what_json_dumps_writes(count: int, fonts: dict[str, str] | None) -> None:
    result = RunResult(items()[:count], ("json", "docx"), True, interrupted=count == 1)
    result.pdf_fonts = fonts
    whole = json.dumps(summary_doc(result), ensure_ascii=False, indent=2) + "\n"
    pieces = list(summary_json(result))
    assert b"".join(pieces) == whole.encode("utf-8")
    assert len(pieces) == (1 if count == 0 else count + 2)  # one piece per input
    if count == 2:  # cleaned as before: the lone surrogate replaced
        assert json.loads(pieces[2].lstrip(b",\n "))["path"] == "in/二\n行\ufffd.xlsx"


def test_summary_csv_rows_are_those_of_one_writer() -> None:
    result = RunResult(items(), ("json",), False)
    text = b"".join(summary_csv(result)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][:3] == ["序号", "输入文件", "状态"]
    assert [r[0] for r in rows[1:]] == ["1", "2"]
    assert rows[2][1] == "in/二\n行\ufffd.xlsx"  # the newline quoted, the surrogate replaced
    assert rows[2][10] == "某局2024.json；某局2024.docx"
    assert text.count("\r\n") == 3 and text.startswith("序号")
