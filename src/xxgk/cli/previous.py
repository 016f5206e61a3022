"""`xxgk template --from LAST`: the command half (reading LAST, saving, messages)."""

from __future__ import annotations

import sys
from pathlib import Path

from xxgk.check.findings import SEVERITY_LABEL, counts, summary_text
from xxgk.check.source import check_source
from xxgk.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, echo_err
from xxgk.files.atomic import write_failure
from xxgk.files.read import read_source
from xxgk.files.save import save_workbook
from xxgk.format.schema import YEAR_MAX, YEAR_MIN
from xxgk.workbook.nextyear import next_year_template


def template_from(last_path: Path, out: Path) -> None:
    """Write next year's template from last year's report; exit 0, 1 (LAST has errors: the
    template is written all the same, the problems listed) or 3 (LAST unreadable)."""
    source = read_source(last_path)
    if not source.readable:
        echo_err(f"上年报告无法读取：{source.error}")
        sys.exit(EXIT_UNREADABLE)
    data = source.data
    year = data.get("year") if isinstance(data, dict) else None
    if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year < YEAR_MAX:
        echo_err(
            f"{last_path}：读不出上年报告的报告年度（或下一年超出 {YEAR_MIN}–{YEAR_MAX}），"
            "无法生成下一年的模板。请先改正上年报告。"
        )
        sys.exit(EXIT_ERRORS)
    wb = next_year_template(data)
    try:
        save_workbook(wb, out)
    except OSError as exc:
        echo_err(write_failure(out, exc))
        sys.exit(EXIT_UNREADABLE)
    echo_err(
        f"已生成 {year + 1} 年度模板：{out}（机关信息、上年结转已按 {last_path.name} 预填，"
        "并记录了上年的现行有效件数和结转数，用于校验与上年的衔接）"
    )
    found = [f for f in check_source(source) if f.is_error]
    if found:
        errors, warnings = counts(found)
        echo_err(f"{last_path}：{summary_text(errors, warnings)}，预填的数字可能不准，请核对：")
        for f in found:
            echo_err(f"  {SEVERITY_LABEL[f.severity]} {f.code} {f.located}")
    sys.exit(EXIT_ERRORS if found else EXIT_OK)
